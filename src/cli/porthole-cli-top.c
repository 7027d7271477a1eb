/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-cli-format.h"
#include "porthole-cli-session.h"
#include "porthole-cli-term.h"
#include "porthole-programs.h"
#include "porthole-socket-monitor.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

/* porthole-cli top: programs, then connections, by what they move now, like nethogs and
 * iftop, refreshed in place on a terminal; one snapshot (two reads, so that rates exist) when
 * stdout is not one. */

#define RATE_COLUMNS 10    /* "1023 KiB/s" */
#define BYTES_COLUMNS 8    /* "1023 KiB" */
#define PID_COLUMNS 7
#define CONN_COLUMNS 5
#define PROTO_COLUMNS 5
#define STATE_COLUMNS 11   /* "ESTABLISHED" */
#define ENDPOINT_COLUMNS 47   /* "[ffff:...:ffff]:65535" */

typedef struct {
  PortholeSocketMonitor *monitor;
  PortholePrograms      *programs;
  GMainLoop             *loop;
  GCancellable          *cancellable;
  GString               *out;
  guint                  interval;
  guint                  timeout_id;
  guint                  refreshes;
  gboolean               tty;
  gboolean               failed;
  char                  *error;
} Top;

static int
compare_programs (gconstpointer a, gconstpointer b)
{
  PortholeProgram *x = *(PortholeProgram **) a, *y = *(PortholeProgram **) b;
  double rx = porthole_program_get_rate (x), ry = porthole_program_get_rate (y);
  guint64 tx = porthole_program_get_bytes_sent (x) + porthole_program_get_bytes_received (x);
  guint64 ty = porthole_program_get_bytes_sent (y) + porthole_program_get_bytes_received (y);

  if (rx != ry)
    return rx > ry ? -1 : 1;
  if (tx != ty)
    return tx > ty ? -1 : 1;
  return g_strcmp0 (porthole_program_get_title (x), porthole_program_get_title (y));
}

static int
compare_sockets (gconstpointer a, gconstpointer b)
{
  PortholeSocket *x = *(PortholeSocket **) a, *y = *(PortholeSocket **) b;
  double rx = porthole_socket_get_rate (x), ry = porthole_socket_get_rate (y);
  guint64 tx = porthole_socket_get_bytes_sent (x) + porthole_socket_get_bytes_received (x);
  guint64 ty = porthole_socket_get_bytes_sent (y) + porthole_socket_get_bytes_received (y);

  if (rx != ry)
    return rx > ry ? -1 : 1;
  if (tx != ty)
    return tx > ty ? -1 : 1;
  return g_strcmp0 (porthole_socket_get_key (x), porthole_socket_get_key (y));
}

/* Connections worth a line: not listeners, not the kernel's TIME_WAIT leftovers */
static GPtrArray *
sorted_connections (Top *t)
{
  GListModel *model = G_LIST_MODEL (t->monitor);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      PortholeSocket *s = g_list_model_get_item (model, i);

      if (porthole_socket_is_listening (s) || porthole_socket_get_closed (s) ||
          strcmp (porthole_socket_get_state (s), "TIME_WAIT") == 0)
        g_object_unref (s);
      else
        g_ptr_array_add (list, s);
    }
  g_ptr_array_sort (list, compare_sockets);
  return list;
}

static GPtrArray *
sorted_programs (Top *t)
{
  GListModel *model = G_LIST_MODEL (t->programs);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (list, g_list_model_get_item (model, i));
  g_ptr_array_sort (list, compare_programs);
  return list;
}

/* Appends @line cut to @width columns and ends it (erasing what a longer line left there) */
static void
end_line (Top *t, GString *line, guint width, gboolean last)
{
  porthole_cli_term_fit (t->out, line->str, width, FALSE);
  if (t->tty)
    g_string_append (t->out, "\033[K");
  if (!last)
    g_string_append_c (t->out, '\n');
  g_string_truncate (line, 0);
}

static void
cell (GString *line, const char *text, guint columns, gboolean right)
{
  if (line->len > 0)
    g_string_append_c (line, ' ');
  porthole_cli_term_fit (line, text, columns, right);
}

static void
traffic_cells (GString *line, gboolean known, double send_rate, double receive_rate,
               guint64 sent, guint64 received)
{
  char buf[PORTHOLE_CLI_FORMAT_SIZE];

  cell (line, known ? porthole_cli_format_rate (send_rate, buf) : "-", RATE_COLUMNS, TRUE);
  cell (line, known ? porthole_cli_format_rate (receive_rate, buf) : "-", RATE_COLUMNS, TRUE);
  cell (line, known ? porthole_cli_format_bytes (sent, buf) : "-", BYTES_COLUMNS, TRUE);
  cell (line, known ? porthole_cli_format_bytes (received, buf) : "-", BYTES_COLUMNS, TRUE);
}

static void
traffic_headers (GString *line)
{
  cell (line, _("SEND/s"), RATE_COLUMNS, TRUE);
  cell (line, _("RECV/s"), RATE_COLUMNS, TRUE);
  cell (line, _("SENT"), BYTES_COLUMNS, TRUE);
  cell (line, _("RECEIVED"), BYTES_COLUMNS, TRUE);
}

#define TRAFFIC_COLUMNS (2 * (RATE_COLUMNS + 1) + 2 * (BYTES_COLUMNS + 1))

static void
program_line (GString *line, PortholeProgram *p, guint name_columns)
{
  char pid[16], conns[16];

  g_snprintf (pid, sizeof pid, "%d", porthole_program_get_pid (p));
  g_snprintf (conns, sizeof conns, "%u", porthole_program_get_n_connections (p));
  cell (line, porthole_program_get_title (p), name_columns, FALSE);
  cell (line, porthole_program_get_pid (p) > 0 ? pid : "-", PID_COLUMNS, TRUE);
  cell (line, conns, CONN_COLUMNS, TRUE);
  traffic_cells (line, TRUE, porthole_program_get_send_rate (p), porthole_program_get_receive_rate (p),
                 porthole_program_get_bytes_sent (p), porthole_program_get_bytes_received (p));
}

static void
connection_line (GString *line, PortholeSocket *s, guint endpoint_columns, guint process_columns)
{
  g_autofree char *owner = NULL;

  if (porthole_socket_get_process (s) != NULL && porthole_socket_get_pid (s) > 0)
    owner = g_strdup_printf ("%s(%d)", porthole_socket_get_process (s), porthole_socket_get_pid (s));
  cell (line, porthole_socket_get_protocol (s), PROTO_COLUMNS, FALSE);
  cell (line, porthole_socket_get_state (s), STATE_COLUMNS, FALSE);
  cell (line, porthole_socket_get_local_endpoint (s), endpoint_columns, FALSE);
  cell (line, porthole_socket_get_remote_endpoint (s), endpoint_columns, FALSE);
  traffic_cells (line, porthole_socket_has_traffic (s), porthole_socket_get_send_rate (s),
                 porthole_socket_get_receive_rate (s), porthole_socket_get_bytes_sent (s),
                 porthole_socket_get_bytes_received (s));
  cell (line, owner ? owner : "-", process_columns, FALSE);
}

/* One frame: @rows 0 is every line (the snapshot for a pipe) */
static void
render (Top *t, guint columns, guint rows)
{
  g_autoptr(GPtrArray) programs = sorted_programs (t);
  g_autoptr(GPtrArray) connections = sorted_connections (t);
  g_autoptr(GString) line = g_string_new (NULL);
  double send = 0, receive = 0;
  char a[PORTHOLE_CLI_FORMAT_SIZE], b[PORTHOLE_CLI_FORMAT_SIZE];
  /* the last column is left alone: a terminal that wraps there would scroll the frame */
  guint width = t->tty ? MAX (columns, 2) - 1 : columns;
  guint name_columns = MAX (width, TRAFFIC_COLUMNS + PID_COLUMNS + CONN_COLUMNS + 12) -
                       (TRAFFIC_COLUMNS + PID_COLUMNS + CONN_COLUMNS + 2);
  guint fixed = PROTO_COLUMNS + STATE_COLUMNS + TRAFFIC_COLUMNS + 4;
  guint flex = width > fixed + 30 ? width - fixed : 30;
  guint process_columns = flex >= 2 * ENDPOINT_COLUMNS + 16 ? flex - 2 * ENDPOINT_COLUMNS : MAX (flex / 4, 8);
  guint endpoint_columns = MIN (ENDPOINT_COLUMNS, (flex - process_columns) / 2);
  guint n_programs = programs->len, n_connections = connections->len;

  for (guint i = 0; i < programs->len; i++)
    {
      send += porthole_program_get_send_rate (g_ptr_array_index (programs, i));
      receive += porthole_program_get_receive_rate (g_ptr_array_index (programs, i));
    }
  if (rows > 0)
    {
      /* title, blank, header, programs, blank, header, connections */
      guint room = rows > 5 ? rows - 5 : 0;

      n_programs = MIN (n_programs, MAX (room / 2, room - MIN (room, connections->len)));
      n_connections = MIN (n_connections, room - n_programs);
    }

  if (t->tty)
    g_string_append (t->out, "\033[H");
  g_string_append_printf (line, _("Porthole: %u programs, %u connections; sending %s, receiving %s"),
                          programs->len, connections->len, porthole_cli_format_rate (send, a),
                          porthole_cli_format_rate (receive, b));
  if (t->error)
    g_string_append_printf (line, " (%s)", t->error);
  else if (t->tty)
    g_string_append_printf (line, _("; every %.1f s; q quits"), t->interval / 1000.0);
  end_line (t, line, width, FALSE);
  end_line (t, line, width, FALSE);

  cell (line, _("PROGRAM"), name_columns, FALSE);
  cell (line, _("PID"), PID_COLUMNS, TRUE);
  cell (line, _("CONNS"), CONN_COLUMNS, TRUE);
  traffic_headers (line);
  end_line (t, line, width, FALSE);
  for (guint i = 0; i < n_programs; i++)
    {
      program_line (line, g_ptr_array_index (programs, i), name_columns);
      end_line (t, line, width, FALSE);
    }
  end_line (t, line, width, FALSE);

  cell (line, _("PROTO"), PROTO_COLUMNS, FALSE);
  cell (line, _("STATE"), STATE_COLUMNS, FALSE);
  cell (line, _("LOCAL"), endpoint_columns, FALSE);
  cell (line, _("REMOTE"), endpoint_columns, FALSE);
  traffic_headers (line);
  cell (line, _("PROCESS"), process_columns, FALSE);
  end_line (t, line, width, n_connections == 0);
  for (guint i = 0; i < n_connections; i++)
    {
      connection_line (line, g_ptr_array_index (connections, i), endpoint_columns, process_columns);
      end_line (t, line, width, i + 1 == n_connections);
    }
  if (t->tty)
    g_string_append (t->out, "\033[J");
  else
    g_string_append_c (t->out, '\n');
}

static void
draw (Top *t)
{
  guint columns, rows;

  porthole_cli_term_size (t->tty ? 80 : 120, &columns, &rows);
  g_string_truncate (t->out, 0);
  render (t, columns, t->tty ? rows : 0);
  if (!porthole_cli_write_all (STDOUT_FILENO, t->out->str, t->out->len))
    g_main_loop_quit (t->loop);
  g_string_truncate (t->out, 0);
}

static gboolean
on_resize (gpointer data)
{
  Top *t = data;

  if (t->refreshes > 0)
    draw (t);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_key (int fd, GIOCondition condition, gpointer data)
{
  Top *t = data;
  char keys[64];
  ssize_t n = read (fd, keys, sizeof keys);

  if (n <= 0)
    return G_SOURCE_REMOVE;   /* no more keys; signals still end it */
  for (ssize_t i = 0; i < n; i++)
    if (keys[i] == 'q' || keys[i] == 'Q' || keys[i] == 3 /* Ctrl+C */)
      g_main_loop_quit (t->loop);
  return G_SOURCE_CONTINUE;
}

static void refresh (Top *t);

static gboolean
on_tick (gpointer data)
{
  Top *t = data;

  t->timeout_id = 0;
  refresh (t);
  return G_SOURCE_REMOVE;
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  Top *t = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&t->error, g_free);
  if (!ok && t->refreshes == 0)
    {
      g_printerr ("porthole-cli: %s\n", error->message);
      t->failed = TRUE;
      g_main_loop_quit (t->loop);
      return;
    }
  if (!ok)
    t->error = g_strdup (error->message);
  t->refreshes++;
  /* a pipe gets one snapshot, once the second read gave rates */
  if (t->tty || t->refreshes >= 2)
    draw (t);
  if (!t->tty && t->refreshes >= 2)
    {
      g_main_loop_quit (t->loop);
      return;
    }
  t->timeout_id = g_timeout_add (t->interval, on_tick, t);
}

static void
refresh (Top *t)
{
  porthole_socket_monitor_refresh_async (t->monitor, t->cancellable, on_refreshed, t);
}

int
porthole_cli_top (int argc, char **argv)
{
  g_autofree char *netns = NULL, *interval = NULL;
  GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, N_("Milliseconds between refreshes (default 1000)"), N_("MS") },
    { "netns", 0, 0, G_OPTION_ARG_STRING, &netns,
      N_("Network namespaces: all (the default; containers too) or host (only this one)"),
      "host|all" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholePrograms) programs = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  guint key_watch = 0;
  Top t = { 0 };

  g_option_context_set_summary (context, _("Programs and connections by what they move now (q quits)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc > 1)
    return porthole_cli_bad_input (_("unexpected argument “%s”"), argv[1]);
  if (netns != NULL && strcmp (netns, "host") != 0 && strcmp (netns, "all") != 0)
    return porthole_cli_bad_input (_("bad --netns value “%s” (host or all)"), netns);
  if (!porthole_cli_parse_interval (interval, 1000, &t.interval))
    return PORTHOLE_CLI_BAD_INPUT;

  monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, "linger", 0,
                          "all-namespaces", netns == NULL || strcmp (netns, "all") == 0, NULL);
  programs = porthole_programs_new (monitor);
  t.monitor = monitor;
  t.programs = programs;
  t.loop = loop;
  t.cancellable = cancellable;
  t.out = out;
  t.tty = isatty (STDOUT_FILENO);

  porthole_cli_session_start (loop, on_resize, &t);
  if (t.tty)
    {
      porthole_cli_term_enter ();
      if (isatty (STDIN_FILENO))
        key_watch = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, on_key, &t);
    }
  else
    porthole_cli_session_watch_stdout (loop);
  refresh (&t);
  if (!porthole_cli_session_quitting ())
    g_main_loop_run (loop);

  g_cancellable_cancel (cancellable);
  g_clear_handle_id (&t.timeout_id, g_source_remove);
  g_clear_handle_id (&key_watch, g_source_remove);
  porthole_cli_term_leave ();
  g_free (t.error);
  return t.failed ? PORTHOLE_CLI_NEGATIVE : PORTHOLE_CLI_OK;
}
