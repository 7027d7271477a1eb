/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-cli-format.h"
#include "porthole-cli-session.h"
#include "porthole-socket-fields.h"
#include "porthole-socket-monitor.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

/* The watch stream's version (DESIGN.md, "watch"): a reader that knows an older one may still
 * read this, as keys are only ever added; a change of meaning gets a new number */
#define WATCH_CONTRACT 1

/* Output is written at the end of each refresh, and in chunks of this size within one (the
 * first snapshot of a busy machine): never more than this is held */
#define WATCH_CHUNK (64 * 1024)

typedef struct {
  PortholeSocketMonitor    *monitor;
  GMainLoop                *loop;
  GCancellable             *cancellable;
  PortholeSocketJsonWriter *writer;
  JsonObject               *event;        /* {event, initial, send_rate, receive_rate} */
  JsonGenerator            *event_generator;
  GString                  *out;
  gboolean                  json;
  gboolean                  started;      /* the first snapshot was written */
  gboolean                  failed;       /* the first refresh failed: exit 1 */
  guint                     interval;
  guint                     timeout_id;
} Watch;

static void
flush (Watch *w)
{
  if (w->out->len > 0 && !porthole_cli_write_all (STDOUT_FILENO, w->out->str, w->out->len))
    g_main_loop_quit (w->loop);
  g_string_truncate (w->out, 0);
}

static void
maybe_flush (Watch *w)
{
  if (w->out->len >= WATCH_CHUNK)
    flush (w);
}

static void
append_json (GString *out, JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_to_gstring (generator, out);
  g_string_append_c (out, '\n');
}

static void
set_rate (JsonObject *event, const char *name, PortholeSocket *s, double rate)
{
  if (porthole_socket_has_traffic (s))
    json_object_set_int_member (event, name, (gint64) (MAX (rate, 0) + 0.5));
  else
    json_object_set_null_member (event, name);
}

/* One line: {"event":..., "initial":..., "send_rate":..., "receive_rate":..., ...list keys} */
static void
append_event_json (Watch *w, const char *event, gboolean initial, PortholeSocket *s)
{
  gsize at;

  json_object_set_string_member (w->event, "event", event);
  json_object_set_boolean_member (w->event, "initial", initial);
  set_rate (w->event, "send_rate", s, porthole_socket_get_send_rate (s));
  set_rate (w->event, "receive_rate", s, porthole_socket_get_receive_rate (s));
  /* {event...} and {row...} make {event...,row...}: every byte is json-glib's */
  json_generator_to_gstring (w->event_generator, w->out);
  g_assert (w->out->len > 0 && w->out->str[w->out->len - 1] == '}');
  g_string_truncate (w->out, w->out->len - 1);
  at = w->out->len;
  porthole_socket_json_writer_append (w->writer, s, w->out);
  g_assert (w->out->str[at] == '{');
  w->out->str[at] = ',';
  g_string_append_c (w->out, '\n');
}

static void
append_owner (GString *out, PortholeSocket *s)
{
  const char *process = porthole_socket_get_process (s);   /* escaped by the model */

  if (process != NULL && porthole_socket_get_pid (s) > 0)
    g_string_append_printf (out, " %s(%d)", process, porthole_socket_get_pid (s));
  else
    g_string_append (out, " -");
}

/* One line for people: time, event, the socket, and what it moved */
static void
append_event_text (Watch *w, const char *event, PortholeSocket *s)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  g_string_append_printf (w->out, "%s %-7s %-3s %-11s %s -> %s", time, event,
                          porthole_socket_get_protocol (s), porthole_socket_get_state (s),
                          porthole_socket_get_local_endpoint (s),
                          porthole_socket_get_remote_endpoint (s));
  append_owner (w->out, s);
  if (porthole_socket_has_traffic (s))
    {
      char a[PORTHOLE_CLI_FORMAT_SIZE], b[PORTHOLE_CLI_FORMAT_SIZE];

      if (strcmp (event, "traffic") == 0)
        g_string_append_printf (w->out, "  send %s, receive %s",
                                porthole_cli_format_rate (porthole_socket_get_send_rate (s), a),
                                porthole_cli_format_rate (porthole_socket_get_receive_rate (s), b));
      g_string_append_printf (w->out, "  (sent %s, received %s)",
                              porthole_cli_format_bytes (porthole_socket_get_bytes_sent (s), a),
                              porthole_cli_format_bytes (porthole_socket_get_bytes_received (s), b));
    }
  g_string_append_c (w->out, '\n');
}

static void
append_event (Watch *w, const char *event, gboolean initial, PortholeSocket *s)
{
  if (w->json)
    append_event_json (w, event, initial, s);
  else
    append_event_text (w, event, s);
  maybe_flush (w);
}

static void
on_opened (PortholeSocketMonitor *monitor, PortholeSocket *s, Watch *w)
{
  if (w->started)
    append_event (w, "opened", FALSE, s);
}

static void
on_closed (PortholeSocketMonitor *monitor, PortholeSocket *s, Watch *w)
{
  if (w->started)
    append_event (w, "closed", FALSE, s);
}

static void
on_traffic (PortholeSocketMonitor *monitor, GPtrArray *sockets, Watch *w)
{
  if (!w->started)
    return;
  for (guint i = 0; i < sockets->len; i++)
    if (!porthole_socket_get_closed (g_ptr_array_index (sockets, i)))
      append_event (w, "traffic", FALSE, g_ptr_array_index (sockets, i));
}

/* Names from the runtimes arrived or changed: rows written from now on carry them */
static void
on_containers_changed (PortholeSocketMonitor *monitor, Watch *w)
{
  porthole_socket_json_writer_set_container_names (w->writer, NULL);
  porthole_socket_json_writer_set_container_names (
    w->writer, porthole_socket_monitor_get_container_names (monitor));
}

static void
append_hello (Watch *w)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, "hello");
  json_builder_set_member_name (b, "contract");
  json_builder_add_int_value (b, WATCH_CONTRACT);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "interval_ms");
  json_builder_add_int_value (b, w->interval);
  json_builder_set_member_name (b, "netns");
  json_builder_add_string_value (b, porthole_socket_monitor_get_all_namespaces (w->monitor)
                                    ? "all" : "host");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  append_json (w->out, root);
}

/* After the first snapshot's "opened" lines: the reader now holds the whole state */
static void
append_synced (Watch *w, guint n)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, "synced");
  json_builder_set_member_name (b, "sockets");
  json_builder_add_int_value (b, n);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  append_json (w->out, root);
}

static void
append_error (Watch *w, const char *message)
{
  if (w->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "error");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      append_json (w->out, root);
    }
  else
    g_printerr ("porthole-cli: %s\n", message);
}

static void
write_snapshot (Watch *w)
{
  GListModel *model = G_LIST_MODEL (w->monitor);
  guint n = g_list_model_get_n_items (model);

  if (!w->json)
    {
      g_string_append_printf (w->out,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Watching %u socket, every %u ms (Ctrl+C stops)",
                                           "Watching %u sockets, every %u ms (Ctrl+C stops)", n),
                              n, w->interval);
      g_string_append_c (w->out, '\n');
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      append_event (w, "opened", TRUE, s);
    }
  append_synced (w, n);
}

static void refresh (Watch *w);

static gboolean
on_tick (gpointer data)
{
  Watch *w = data;

  w->timeout_id = 0;
  refresh (w);
  return G_SOURCE_REMOVE;
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;

  if (!porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!w->started)
        {
          g_printerr ("porthole-cli: %s\n", error->message);
          w->failed = TRUE;
          g_main_loop_quit (w->loop);
          return;
        }
      append_error (w, error->message);
    }
  else if (!w->started)
    {
      if (porthole_socket_monitor_get_all_namespaces (w->monitor))
        porthole_socket_json_writer_set_container_names (
          w->writer, porthole_socket_monitor_get_container_names (w->monitor));
      write_snapshot (w);
      w->started = TRUE;
    }
  flush (w);
  w->timeout_id = g_timeout_add (w->interval, on_tick, w);
}

static void
refresh (Watch *w)
{
  porthole_socket_monitor_refresh_async (w->monitor, w->cancellable, on_refreshed, w);
}

int
porthole_cli_watch (int argc, char **argv)
{
  gboolean json = FALSE, tcp = FALSE, udp = FALSE;
  g_autofree char *netns = NULL, *interval = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("One JSON object a line"), NULL },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, N_("Milliseconds between refreshes (default 1000)"), N_("MS") },
    { "netns", 0, 0, G_OPTION_ARG_STRING, &netns,
      N_("Network namespaces: all (the default; containers too) or host (only this one)"),
      "host|all" },
    { "tcp", 't', 0, G_OPTION_ARG_NONE, &tcp, N_("TCP sockets"), NULL },
    { "udp", 'u', 0, G_OPTION_ARG_NONE, &udp, N_("UDP sockets"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PortholeSocketJsonWriter) writer = porthole_socket_json_writer_new ();
  g_autoptr(JsonGenerator) event_generator = json_generator_new ();
  g_autoptr(JsonObject) event = json_object_new ();
  g_autoptr(JsonNode) event_root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) out = g_string_sized_new (WATCH_CHUNK + 4096);
  PortholeDumpFlags flags = PORTHOLE_DUMP_IPV4 | PORTHOLE_DUMP_IPV6 | PORTHOLE_DUMP_ALL_STATES;
  Watch w = { 0 };

  g_option_context_set_summary (context, _("Stream sockets opening, closing and moving data."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc > 1)
    return porthole_cli_bad_input (_("unexpected argument “%s”"), argv[1]);
  if (netns != NULL && strcmp (netns, "host") != 0 && strcmp (netns, "all") != 0)
    return porthole_cli_bad_input (_("bad --netns value “%s” (host or all)"), netns);
  if (!porthole_cli_parse_interval (interval, 1000, &w.interval))
    return PORTHOLE_CLI_BAD_INPUT;
  if (!tcp && !udp)
    tcp = udp = TRUE;
  flags |= (tcp ? PORTHOLE_DUMP_TCP : 0) | (udp ? PORTHOLE_DUMP_UDP : 0);

  /* the refreshes are driven here, one after the other, so each one's lines go out together;
   * a closed socket is reported once and dropped at once (no linger) */
  monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "flags", flags, "refresh-interval", 0,
                          "linger", 0,
                          "all-namespaces", netns == NULL || strcmp (netns, "all") == 0, NULL);
  json_object_set_string_member (event, "event", "");
  json_object_set_boolean_member (event, "initial", FALSE);
  json_object_set_null_member (event, "send_rate");
  json_object_set_null_member (event, "receive_rate");
  json_node_set_object (event_root, event);
  json_generator_set_root (event_generator, event_root);

  w.monitor = monitor;
  w.loop = loop;
  w.cancellable = cancellable;
  w.writer = writer;
  w.event = event;
  w.event_generator = event_generator;
  w.out = out;
  w.json = json;
  g_signal_connect (monitor, "socket-opened", G_CALLBACK (on_opened), &w);
  g_signal_connect (monitor, "socket-closed", G_CALLBACK (on_closed), &w);
  g_signal_connect (monitor, "traffic-changed", G_CALLBACK (on_traffic), &w);
  g_signal_connect (monitor, "containers-changed", G_CALLBACK (on_containers_changed), &w);

  porthole_cli_session_start (loop, NULL, NULL);
  porthole_cli_session_watch_stdout (loop);
  if (json)
    {
      append_hello (&w);
      flush (&w);
    }
  refresh (&w);
  if (!porthole_cli_session_quitting ())
    g_main_loop_run (loop);

  g_cancellable_cancel (cancellable);
  g_clear_handle_id (&w.timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (monitor, &w);
  return w.failed ? PORTHOLE_CLI_NEGATIVE : PORTHOLE_CLI_OK;
}
