/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-probe-private.h"

#include <glib/gi18n.h>

/* UDP: one empty datagram; ICMP port unreachable comes back as ECONNREFUSED on the next recv */

static gboolean
on_udp_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  g_autoptr(GTask) task = g_object_ref (data);   /* the source keeps its own */
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean timed_out = run->timed_out;
  char buffer[PORTHOLE_PROBE_BANNER_MAX];
  gssize n = -1;

  if (porthole_probe_bail_if_cancelled (&task))
    return G_SOURCE_REMOVE;
  if (!timed_out)
    n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
  if (n >= 0)
    {
      message = g_strdup_printf (_("A %zd-byte reply came back: open"), n);
      porthole_probe_record_attempt (run, PORTHOLE_PROBE_STATUS_OPEN, message);
      porthole_probe_set_banner (self, buffer, n);
      porthole_probe_run_complete (g_steal_pointer (&task), PORTHOLE_PROBE_STATUS_OPEN, NULL);
      return G_SOURCE_REMOVE;
    }
  if (timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      message = g_strdup_printf (_("No reply within %u ms: open or filtered (many UDP services "
                                   "ignore an empty datagram)"), self->timeout_ms);
      porthole_probe_record_attempt (run, PORTHOLE_PROBE_STATUS_OPEN_FILTERED, message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      message = g_strdup_printf (_("ICMP port unreachable came back: nothing listens on UDP "
                                   "port %u"), self->remote_port);
      porthole_probe_record_attempt (run, PORTHOLE_PROBE_STATUS_CLOSED, message);
    }
  else
    {
      PortholeProbeStatus status = porthole_probe_status_from_error (error);

      message = porthole_probe_describe_failure (run, status, error);
      porthole_probe_record_attempt (run, status, message);
    }
  g_socket_close (run->udp, NULL);
  g_clear_object (&run->udp);
  porthole_probe_try_next_address (g_steal_pointer (&task));
  return G_SOURCE_REMOVE;
}

void
porthole_probe_send_datagram (GTask *task, GSocketAddress *address)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  GSocketFamily family = g_socket_address_get_family (address);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSource) source = NULL;

  run->udp = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  if (run->udp != NULL)
    g_socket_set_blocking (run->udp, FALSE);
  if (run->udp == NULL || !g_socket_connect (run->udp, address, NULL, &error) ||
      g_socket_send (run->udp, "", 0, NULL, &error) < 0)
    {
      PortholeProbeStatus status = porthole_probe_status_from_error (error);
      g_autofree char *message = porthole_probe_describe_failure (run, status, error);

      porthole_probe_record_attempt (run, status, message);
      if (run->udp != NULL)
        g_socket_close (run->udp, NULL);
      g_clear_object (&run->udp);
      porthole_probe_try_next_address (task);
      return;
    }
  local = g_socket_get_local_address (run->udp, NULL);
  porthole_probe_set_local_endpoint (self, local);
  source = g_socket_create_source (run->udp, G_IO_IN,
                                   porthole_probe_step_begin (run, self->timeout_ms));
  g_source_set_callback (source, G_SOURCE_FUNC (on_udp_readable), task, g_object_unref);
  g_source_attach (source, NULL);
}
