/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-probe-private.h"

#include "porthole-escape.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <net/if.h>

static void
run_free (gpointer data)
{
  PortholeProbeRun *run = data;

  g_clear_handle_id (&run->timer, g_source_remove);
  g_clear_object (&run->op);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->target, porthole_target_free);
  g_clear_pointer (&run->addresses, g_ptr_array_unref);
  g_free (run->best_message);
  g_clear_object (&run->client);
  g_clear_object (&run->stream);
  if (run->connection != NULL)
    g_io_stream_close (G_IO_STREAM (run->connection), NULL, NULL);
  g_clear_object (&run->connection);
  g_clear_object (&run->peer_certificate);
  if (run->udp != NULL)
    g_socket_close (run->udp, NULL);
  g_clear_object (&run->udp);
  g_free (run);
}

static gboolean
on_step_timeout (gpointer data)
{
  PortholeProbeRun *run = data;

  run->timer = 0;
  run->timed_out = TRUE;
  g_cancellable_cancel (run->op);
  return G_SOURCE_REMOVE;
}

GCancellable *
porthole_probe_step_begin (PortholeProbeRun *run, guint timeout_ms)
{
  g_clear_object (&run->op);
  run->op = g_cancellable_new ();
  run->timed_out = FALSE;
  run->timer = g_timeout_add (timeout_ms, on_step_timeout, run);
  if (g_cancellable_is_cancelled (run->cancellable))
    g_cancellable_cancel (run->op);
  return run->op;
}

static void
step_end (PortholeProbeRun *run)
{
  g_clear_handle_id (&run->timer, g_source_remove);
  g_clear_object (&run->op);
}

/* Ends the run: a verdict, or G_IO_ERROR_CANCELLED. Takes the task's reference. */
void
porthole_probe_run_complete (GTask *task, PortholeProbeStatus status, const char *message)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;

  step_end (run);
  /* A run cancelled and replaced by a new one at once must leave the new one's state alone */
  if (self->run == run)
    {
      g_clear_pointer (&self->link, porthole_cancel_link_free);
      self->run = NULL;
    }

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      if (self->run == NULL)
        porthole_probe_set_running (self, FALSE);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The probe was cancelled"));
      g_object_unref (task);
      return;
    }

  self->status = status;
  porthole_probe_notify (self, PORTHOLE_PROBE_PROP_STATUS);
  porthole_probe_set_string (self, &self->error_message,
                             status == PORTHOLE_PROBE_STATUS_OPEN ? NULL : message,
                             PORTHOLE_PROBE_PROP_ERROR_MESSAGE);
  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_FINISHED, self->remote_address, status,
                            "%s", porthole_probe_status_to_string (status));
  porthole_probe_set_running (self, FALSE);
  g_task_return_int (task, status);
  g_object_unref (task);
}

/* Ends the run without a verdict: the probe could not be run at all (from a remote host that
 * does not answer). Takes the task's reference and @error. */
void
porthole_probe_run_fail (GTask *task, GError *error)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_error_free (error);
      porthole_probe_run_complete (task, PORTHOLE_PROBE_STATUS_UNKNOWN, NULL);
      return;
    }
  step_end (run);
  if (self->run == run)
    {
      g_clear_pointer (&self->link, porthole_cancel_link_free);
      self->run = NULL;
    }
  porthole_probe_set_string (self, &self->error_message, error->message,
                             PORTHOLE_PROBE_PROP_ERROR_MESSAGE);
  porthole_probe_set_running (self, FALSE);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Called first in every callback: ends the step, and when the run was cancelled completes it,
 * consuming *@task, and returns TRUE. */
gboolean
porthole_probe_bail_if_cancelled (GTask **task)
{
  PortholeProbeRun *run = g_task_get_task_data (*task);

  step_end (run);
  if (!g_cancellable_is_cancelled (run->cancellable))
    return FALSE;
  porthole_probe_run_complete (g_steal_pointer (task), PORTHOLE_PROBE_STATUS_UNKNOWN, NULL);
  return TRUE;
}

void
porthole_probe_set_local_endpoint (PortholeProbe *self, GSocketAddress *address)
{
  g_autofree char *text = NULL;
  GInetSocketAddress *inet;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return;
  inet = G_INET_SOCKET_ADDRESS (address);
  text = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  porthole_probe_set_string (self, &self->local_address, text, PORTHOLE_PROBE_PROP_LOCAL_ADDRESS);
  porthole_probe_set_uint (self, &self->local_port,
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)),
                           PORTHOLE_PROBE_PROP_LOCAL_PORT);
}

static int
status_rank (PortholeProbeStatus status)
{
  switch (status)
    {
    case PORTHOLE_PROBE_STATUS_OPEN: return 6;
    case PORTHOLE_PROBE_STATUS_OPEN_FILTERED: return 5;
    case PORTHOLE_PROBE_STATUS_CLOSED: return 4;
    case PORTHOLE_PROBE_STATUS_FILTERED: return 3;
    case PORTHOLE_PROBE_STATUS_UNREACHABLE: return 2;
    case PORTHOLE_PROBE_STATUS_DNS_ERROR: return 1;
    case PORTHOLE_PROBE_STATUS_UNKNOWN:
    default: return 0;
    }
}

/* Records the result of the current address's attempt and announces it. */
void
porthole_probe_record_attempt (PortholeProbeRun    *run,
                               PortholeProbeStatus  status,
                               const char          *message)
{
  PortholeProbe *self = run->self;
  PortholeProbeAttempt attempt = {
    .address = g_strdup (self->remote_address),
    .port = self->remote_port,
    .status = status,
    .ms = (g_get_monotonic_time () - run->attempt_us) / 1000.0,
    .message = g_strdup (message),
  };

  g_array_append_val (self->attempts, attempt);
  if (status_rank (status) > status_rank (run->best))
    {
      run->best = status;
      g_free (run->best_message);
      run->best_message = g_strdup (message);
    }
  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_ATTEMPT, self->remote_address, status,
                            "%s", message);
}

/* An escaped, one-line description of a failed attempt. */
char *
porthole_probe_describe_failure (PortholeProbeRun    *run,
                                 PortholeProbeStatus  status,
                                 const GError        *error)
{
  PortholeProbe *self = run->self;
  g_autofree char *detail = porthole_escape_text (error->message, -1, FALSE);

  if (run->timed_out)
    return g_strdup_printf (_("No answer within %u ms: filtered (a firewall drops the packets, "
                              "or the host is down)"), self->timeout_ms);
  switch (status)
    {
    case PORTHOLE_PROBE_STATUS_CLOSED:
      return g_strdup_printf (_("Refused: the host answered, but nothing listens on port %u"),
                              self->remote_port);
    case PORTHOLE_PROBE_STATUS_FILTERED:
      return g_strdup_printf (_("Filtered: %s"), detail);
    case PORTHOLE_PROBE_STATUS_UNREACHABLE:
      return g_strdup_printf (_("Unreachable: %s"), detail);
    default:
      return g_steal_pointer (&detail);
    }
}

/* Banner: one bounded read */

static void
on_banner (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);
  gboolean timed_out = run->timed_out;

  if (porthole_probe_bail_if_cancelled (&task))
    return;
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      gsize size;
      const char *raw = g_bytes_get_data (bytes, &size);

      porthole_probe_set_banner (self, raw, size);
      porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_BANNER, self->remote_address,
                                PORTHOLE_PROBE_STATUS_OPEN,
                                g_dngettext (GETTEXT_PACKAGE, "The server said %zu byte first",
                                             "The server said %zu bytes first", size), size);
    }
  else if (bytes != NULL)
    porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_BANNER, self->remote_address,
                              PORTHOLE_PROBE_STATUS_OPEN,
                              _("The server closed the connection without a word"));
  else if (timed_out)
    porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_BANNER, self->remote_address,
                              PORTHOLE_PROBE_STATUS_OPEN,
                              _("Nothing within %u ms: this server waits for the client to "
                                "speak first"), self->banner_wait_ms);
  else
    {
      g_autofree char *message = porthole_escape_text (error->message, -1, FALSE);

      porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_BANNER, self->remote_address,
                                PORTHOLE_PROBE_STATUS_OPEN, _("Reading failed: %s"), message);
    }
  porthole_probe_run_complete (g_steal_pointer (&task), PORTHOLE_PROBE_STATUS_OPEN, NULL);
}

void
porthole_probe_set_banner (PortholeProbe *self, const char *raw, gsize size)
{
  g_clear_pointer (&self->banner_bytes, g_bytes_unref);
  self->banner_bytes = g_bytes_new (raw, size);
  porthole_probe_notify (self, PORTHOLE_PROBE_PROP_BANNER_BYTES);
  g_free (self->banner);
  self->banner = porthole_escape_text (raw, size, TRUE);
  porthole_probe_notify (self, PORTHOLE_PROBE_PROP_BANNER);
}

void
porthole_probe_read_banner (GTask *task)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;

  if (self->banner_wait_ms == 0)
    {
      porthole_probe_run_complete (task, PORTHOLE_PROBE_STATUS_OPEN, NULL);
      return;
    }
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (run->stream),
                                   PORTHOLE_PROBE_BANNER_MAX, G_PRIORITY_DEFAULT,
                                   porthole_probe_step_begin (run, self->banner_wait_ms),
                                   on_banner, task);
}

/* TCP */

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *message = NULL;

  if (connection != NULL)
    g_set_object (&run->connection, connection);
  if (porthole_probe_bail_if_cancelled (&task))
    return;
  if (connection == NULL)
    {
      PortholeProbeStatus status = run->timed_out ? PORTHOLE_PROBE_STATUS_FILTERED
                                                  : porthole_probe_status_from_error (error);

      message = porthole_probe_describe_failure (run, status, error);
      porthole_probe_record_attempt (run, status, message);
      porthole_probe_try_next_address (g_steal_pointer (&task));
      return;
    }

  self->connect_ms = (g_get_monotonic_time () - run->attempt_us) / 1000.0;
  porthole_probe_notify (self, PORTHOLE_PROBE_PROP_CONNECT_MS);
  local = g_socket_connection_get_local_address (connection, NULL);
  porthole_probe_set_local_endpoint (self, local);
  from = porthole_format_endpoint (self->local_address ?: "?", self->local_port);
  to = porthole_format_endpoint (self->remote_address, self->remote_port);
  message = g_strdup_printf (_("Connected in %.1f ms: %s -> %s"), self->connect_ms, from, to);
  porthole_probe_record_attempt (run, PORTHOLE_PROBE_STATUS_OPEN, message);
  g_set_object (&run->stream, G_IO_STREAM (connection));
  if (self->tls)
    porthole_probe_start_tls (g_steal_pointer (&task));
  else
    porthole_probe_read_banner (g_steal_pointer (&task));
}

/* One address after the other, until one is open */
void
porthole_probe_try_next_address (GTask *task)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  GInetAddress *address;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autofree char *text = NULL;
  g_autofree char *endpoint = NULL;

  if (run->best == PORTHOLE_PROBE_STATUS_OPEN || run->index >= run->addresses->len)
    {
      porthole_probe_run_complete (task, run->best, run->best_message);
      return;
    }
  address = g_ptr_array_index (run->addresses, run->index++);
  text = g_inet_address_to_string (address);
  porthole_probe_set_string (self, &self->remote_address, text, PORTHOLE_PROBE_PROP_REMOTE_ADDRESS);
  porthole_probe_set_uint (self, &self->remote_port, run->target->port,
                           PORTHOLE_PROBE_PROP_REMOTE_PORT);
  endpoint = porthole_format_endpoint (text, run->target->port);
  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_CONNECTING, text,
                            PORTHOLE_PROBE_STATUS_UNKNOWN,
                            self->udp ? _("Sending one UDP datagram to %s")
                                      : _("Connecting to %s (TCP)"), endpoint);
  run->attempt_us = g_get_monotonic_time ();
  socket_address = g_object_new (G_TYPE_INET_SOCKET_ADDRESS, "address", address,
                                 "port", (guint) run->target->port,
                                 "scope-id", run->scope_id, NULL);
  if (self->udp)
    {
      porthole_probe_send_datagram (task, socket_address);
      return;
    }
  g_socket_client_connect_async (run->client, G_SOCKET_CONNECTABLE (socket_address),
                                 porthole_probe_step_begin (run, self->timeout_ms),
                                 on_connected, task);
}

/* Lookup */

static void
set_addresses (PortholeProbeRun *run)
{
  PortholeProbe *self = run->self;
  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < run->addresses->len; i++)
    {
      g_autofree char *text = g_inet_address_to_string (g_ptr_array_index (run->addresses, i));
      g_strv_builder_add (builder, text);
    }
  g_strfreev (self->addresses);
  self->addresses = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  porthole_probe_notify (self, PORTHOLE_PROBE_PROP_ADDRESSES);
}

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_autoptr(GError) error = NULL;
  GList *list = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  gboolean timed_out = run->timed_out;
  g_autofree char *joined = NULL;

  if (porthole_probe_bail_if_cancelled (&task))
    {
      g_resolver_free_addresses (list);
      return;
    }
  if (list == NULL)
    {
      g_autofree char *message = NULL;

      if (timed_out)
        message = g_strdup_printf (_("No answer from the resolver within %u ms"), self->timeout_ms);
      else
        message = porthole_escape_text (error->message, -1, FALSE);
      porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVED, NULL,
                                PORTHOLE_PROBE_STATUS_DNS_ERROR, "%s", message);
      porthole_probe_run_complete (g_steal_pointer (&task), PORTHOLE_PROBE_STATUS_DNS_ERROR,
                                   message);
      return;
    }
  for (GList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (run->addresses, l->data);
  g_list_free (list);
  set_addresses (run);
  joined = g_strjoinv (", ", self->addresses);
  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVED, NULL, PORTHOLE_PROBE_STATUS_UNKNOWN,
                            g_dngettext (GETTEXT_PACKAGE, "%s has %u address: %s",
                                         "%s has %u addresses: %s", run->addresses->len),
                            self->host, run->addresses->len, joined);
  porthole_probe_try_next_address (g_steal_pointer (&task));
}

static void
resolve (GTask *task)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  GInetAddress *literal;

  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVING, NULL,
                            PORTHOLE_PROBE_STATUS_UNKNOWN,
                            _("Looking up %s"), self->host);
  if (!run->target->is_ip)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, self->host,
                                       porthole_probe_step_begin (run, self->timeout_ms),
                                       on_resolved, task);
      return;
    }

  literal = g_inet_address_new_from_string (self->host);
  g_ptr_array_add (run->addresses, literal);
  if (run->target->zone != NULL)
    {
      run->scope_id = if_nametoindex (run->target->zone);
      if (run->scope_id == 0)
        {
          g_autofree char *zone = porthole_escape_text (run->target->zone, -1, FALSE);
          g_autofree char *message = g_strdup_printf (_("There is no network interface “%s”"),
                                                      zone);

          porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVED, NULL,
                                    PORTHOLE_PROBE_STATUS_UNREACHABLE, "%s", message);
          porthole_probe_run_complete (task, PORTHOLE_PROBE_STATUS_UNREACHABLE, message);
          return;
        }
    }
  set_addresses (run);
  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVED, NULL, PORTHOLE_PROBE_STATUS_UNKNOWN,
                            _("%s is an IP address: no lookup needed"), self->host);
  porthole_probe_try_next_address (task);
}

void
porthole_probe_run_async (PortholeProbe       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeTarget) target = NULL;
  PortholeProbeRun *run;
  GTask *task;

  g_return_if_fail (PORTHOLE_IS_PROBE (self));

  if (self->running)
    {
      task = g_task_new (self, NULL, callback, user_data);
      g_task_set_source_tag (task, porthole_probe_run_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("The probe is running"));
      g_object_unref (task);
      return;
    }

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, porthole_probe_run_async);

  porthole_probe_reset_results (self);
  target = porthole_target_parse (self->target, &error);
  if (target == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  run = g_new0 (PortholeProbeRun, 1);
  run->self = self;
  run->cancellable = g_object_ref (self->cancellable);
  run->target = g_steal_pointer (&target);
  run->addresses = g_ptr_array_new_with_free_func (g_object_unref);
  run->client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (run->client, FALSE);
  /* A backstop in whole seconds; the step timers give the millisecond timeouts */
  g_socket_client_set_timeout (run->client, self->timeout_ms / 1000 + 2);
  g_task_set_task_data (task, run, run_free);
  self->run = run;
  self->start_us = g_get_monotonic_time ();

  g_object_freeze_notify (G_OBJECT (self));
  porthole_probe_set_string (self, &self->host, run->target->host, PORTHOLE_PROBE_PROP_HOST);
  porthole_probe_set_uint (self, &self->port, run->target->port, PORTHOLE_PROBE_PROP_PORT);
  porthole_probe_set_running (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));

  self->link = porthole_cancel_link_new (cancellable, self->cancellable, G_OBJECT (self),
                                         (PortholeCancelFunc) porthole_probe_cancel);
  if (porthole_probe_is_cancelled (self))
    {
      porthole_probe_run_complete (task, PORTHOLE_PROBE_STATUS_UNKNOWN, NULL);
      return;
    }
  if (self->via_host != NULL)   /* run by porthole-cli on that host */
    {
      porthole_probe_remote_start (task);
      return;
    }
  resolve (task);
}

PortholeProbeStatus
porthole_probe_run_finish (PortholeProbe *self, GAsyncResult *result, GError **error)
{
  gssize status;

  g_return_val_if_fail (g_task_is_valid (result, self), PORTHOLE_PROBE_STATUS_UNKNOWN);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == porthole_probe_run_async,
                        PORTHOLE_PROBE_STATUS_UNKNOWN);

  status = g_task_propagate_int (G_TASK (result), error);
  return status < 0 ? PORTHOLE_PROBE_STATUS_UNKNOWN : (PortholeProbeStatus) status;
}

void
porthole_probe_cancel (PortholeProbe *self)
{
  g_return_if_fail (PORTHOLE_IS_PROBE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->run != NULL && self->run->op != NULL)
    g_cancellable_cancel (self->run->op);
  porthole_probe_set_running (self, FALSE);
}
