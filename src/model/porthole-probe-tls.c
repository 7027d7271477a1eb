/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-probe-private.h"

#include "porthole-escape.h"

#include <glib/gi18n.h>

static gboolean
on_accept_certificate (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              data)
{
  PortholeProbeRun *run = data;

  /* Accept whatever it is: the probe sends nothing and only reports what it saw */
  g_set_object (&run->peer_certificate, certificate);
  run->peer_errors = errors;
  return TRUE;
}

static void
on_handshake (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeTlsInfo) info = NULL;
  gboolean timed_out = run->timed_out;
  g_auto(GStrv) problems = NULL;
  g_autofree char *joined = NULL;

  g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error);
  if (porthole_probe_bail_if_cancelled (&task))
    return;
  if (error != NULL && timed_out)
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("no TLS answer within %u ms"), self->timeout_ms);
    }
  info = porthole_tls_info_new (G_TLS_CONNECTION (source), run->peer_certificate,
                                run->peer_errors, error);
  g_set_object (&self->tls_info, info);
  porthole_probe_notify (self, PORTHOLE_PROBE_PROP_TLS_INFO);

  problems = porthole_tls_info_dup_error_descriptions (info);
  joined = g_strjoinv ("; ", problems);
  if (error != NULL)
    {
      porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_TLS, self->remote_address,
                                PORTHOLE_PROBE_STATUS_OPEN, "%s", joined);
      porthole_probe_run_complete (g_steal_pointer (&task), PORTHOLE_PROBE_STATUS_OPEN, NULL);
      return;
    }
  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_TLS, self->remote_address,
                            PORTHOLE_PROBE_STATUS_OPEN,
                            problems[0] != NULL ? _("%s, %s; certificate of %s: %s")
                                                : _("%s, %s; certificate of %s%s"),
                            porthole_tls_info_get_version (info) ?: "TLS",
                            porthole_tls_info_get_cipher (info) ?: "?",
                            porthole_tls_info_get_subject (info) ?: "?",
                            problems[0] != NULL ? joined : _(", valid"));
  g_set_object (&run->stream, G_IO_STREAM (source));
  porthole_probe_read_banner (g_steal_pointer (&task));
}

void
porthole_probe_start_tls (GTask *task)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (run->target->host,
                                                                  run->target->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = g_tls_client_connection_new (G_IO_STREAM (run->connection),
                                                          identity, &error);

  if (tls == NULL)
    {
      /* No TLS backend (glib-networking missing): say so, keep the verdict */
      g_autofree char *message = porthole_escape_text (error->message, -1, FALSE);

      porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_TLS, self->remote_address,
                                PORTHOLE_PROBE_STATUS_OPEN, _("TLS is not available: %s"), message);
      porthole_probe_run_complete (task, PORTHOLE_PROBE_STATUS_OPEN, NULL);
      return;
    }
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), run);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    porthole_probe_step_begin (run, self->timeout_ms),
                                    on_handshake, task);
}
