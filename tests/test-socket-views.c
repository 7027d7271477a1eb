/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-socket-views"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-application.h"
#include "porthole-column-sorter.h"
#include "porthole-connections-page.h"
#include "porthole-end-process.h"
#include "porthole-export.h"
#include "porthole-listening-page.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-text.h"
#include "porthole-socket-private.h"
#include "porthole-test-netns.h"
#include "porthole-window.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- child processes (fork + exec of tests/porthole-socket-child) ----------------------- */

typedef struct {
  GSubprocess      *proc;
  GDataInputStream *out;
  int               pid;
  guint             ports[16];
  guint             n_ports;
  gboolean          done;       /* reaped */
} Child;

static void
on_child_waited (GObject *source, GAsyncResult *result, gpointer data)
{
  Child *child = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  child->done = TRUE;
}

static Child *
child_spawn (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Child *child = g_new0 (Child, 1);
  const char *path = g_getenv ("PORTHOLE_SOCKET_CHILD");
  va_list ap;

  ck_assert_msg (path != NULL, "PORTHOLE_SOCKET_CHILD is not set");
  g_ptr_array_add (argv, (char *) path);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  child->proc = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  ck_assert_msg (child->proc != NULL, "spawn: %s", error ? error->message : "");
  child->pid = atoi (g_subprocess_get_identifier (child->proc));
  child->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->proc));
  g_subprocess_wait_async (child->proc, NULL, on_child_waited, child);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (child->out, NULL, NULL, &error);

      ck_assert_msg (line != NULL, "the child exited before it was ready");
      if (strcmp (line, "ready") == 0)
        break;
      ck_assert_uint_lt (child->n_ports, G_N_ELEMENTS (child->ports));
      child->ports[child->n_ports++] = atoi (line);
    }
  return child;
}

static void
child_command (Child *child, const char *command, const char *answer)
{
  g_autofree char *line = NULL;
  GOutputStream *in = g_subprocess_get_stdin_pipe (child->proc);

  ck_assert (g_output_stream_write_all (in, command, strlen (command), NULL, NULL, NULL));
  if (answer)
    {
      line = g_data_input_stream_read_line_utf8 (child->out, NULL, NULL, NULL);
      ck_assert_str_eq (line, answer);
    }
}

static void
child_free (Child *child)
{
  if (!child->done)
    g_subprocess_force_exit (child->proc);
  ck_assert (porthole_test_wait_for (&child->done, 5000));
  g_clear_object (&child->out);
  g_clear_object (&child->proc);
  g_free (child);
}

/* ---- fixtures ----------------------------------------------------------------------------- */

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *done = data;

  porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, NULL);
  *done = TRUE;
}

static void
refresh (PortholeSocketMonitor *monitor)
{
  gboolean done = FALSE;

  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done);
  ck_assert (porthole_test_wait_for (&done, 20000));
  porthole_test_spin (50);   /* let the views lay out and bind their rows */
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.porthole.Porthole");
  const char *keys[] = { "show-tcp", "show-udp", "show-ipv4", "show-ipv6", "show-containers",
                         "highlight-changes",
                         "listening-sort-column", "listening-sort-descending",
                         "connections-sort-column", "connections-sort-descending" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

typedef struct {
  GtkWindow             *window;
  PortholeListeningPage *page;
  PortholeSocketView    *view;
  PortholeSocketMonitor *monitor;
} Fixture;

static Fixture *
fixture_new (guint linger_ms)
{
  Fixture *f = g_new0 (Fixture, 1);

  reset_settings ();
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 800);
  f->page = g_object_new (PORTHOLE_TYPE_LISTENING_PAGE, NULL);
  f->view = porthole_listening_page_get_view (f->page);
  porthole_listening_page_set_settings (f->page, porthole_test_settings ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  f->monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "linger", linger_ms, NULL);
  porthole_listening_page_set_monitor (f->page, f->monitor);
  ck_assert_str_eq (porthole_socket_view_get_state (f->view), "loading");
  gtk_window_present (f->window);
  refresh (f->monitor);
  return f;
}

static void
fixture_free (Fixture *f)
{
  gtk_window_destroy (f->window);
  g_object_run_dispose (G_OBJECT (f->monitor));
  g_object_unref (f->monitor);
  porthole_test_spin (20);
  g_free (f);
}

/* The row on @port (of process @pid when not 0) */
static PortholeSocket *
find_row_of (GListModel *model, guint port, const char *protocol, int pid, guint *position)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      /* our own namespace: other tests' namespaces may use the same port number meanwhile */
      if (porthole_socket_get_local_port (s) == port && porthole_socket_get_netns (s) == 0 &&
          (pid == 0 || porthole_socket_get_pid (s) == pid) &&
          (protocol == NULL || strcmp (porthole_socket_get_protocol (s), protocol) == 0))
        {
          if (position)
            *position = i;
          return s;   /* the model keeps its reference */
        }
    }
  return NULL;
}

static PortholeSocket *
find_row (GListModel *model, guint port, const char *protocol, guint *position)
{
  return find_row_of (model, port, protocol, 0, position);
}

static void
collect_cells (GtkWidget *widget, PortholeSocket *socket, GPtrArray *out)
{
  if (PORTHOLE_IS_SOCKET_CELL (widget) && porthole_socket_cell_get_socket (PORTHOLE_SOCKET_CELL (widget)) == socket)
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_cells (c, socket, out);
}

static char *
cell_text (Fixture *f, PortholeSocket *socket, PortholeCellKind kind)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  collect_cells (GTK_WIDGET (f->page), socket, cells);
  for (guint i = 0; i < cells->len; i++)
    if (porthole_socket_cell_get_kind (cells->pdata[i]) == kind)
      return porthole_socket_cell_get_text (cells->pdata[i]);
  return NULL;
}

static gboolean
all_cells_have_class (Fixture *f, PortholeSocket *socket, const char *css_class)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  collect_cells (GTK_WIDGET (f->page), socket, cells);
  if (cells->len == 0)
    return FALSE;
  for (guint i = 0; i < cells->len; i++)
    if (!gtk_widget_has_css_class (cells->pdata[i], css_class))
      return FALSE;
  return TRUE;
}

/* ---- a listener appears, closes, and goes ----------------------------------------------- */

START_TEST (test_listener_row_lifecycle)
{
  Fixture *f = fixture_new (1500);
  GListModel *model = porthole_socket_view_get_model (f->view);
  g_autofree char *user = g_strdup (g_get_user_name ());
  g_autofree char *pid_text = NULL;
  g_autofree char *port_text = NULL;
  Child *child = child_spawn ("--name", "ph-listen", "--tcp4", "1", NULL);
  PortholeSocket *row;
  gint64 waited = 0;
  guint position;

  ck_assert_str_eq (porthole_socket_view_get_state (f->view), "table");
  /* (another test's socket may be given the same port number: only this child's row counts) */
  ck_assert_ptr_null (find_row_of (model, child->ports[0], "tcp", child->pid, NULL));
  refresh (f->monitor);
  row = find_row_of (model, child->ports[0], "tcp", child->pid, &position);
  ck_assert_ptr_nonnull (row);
  porthole_socket_view_select (f->view, row);
  porthole_test_spin (100);

  port_text = g_strdup_printf ("%u", child->ports[0]);
  pid_text = g_strdup_printf ("ph-listen %d", child->pid);
  {
    g_autofree char *port = cell_text (f, row, PORTHOLE_CELL_PORT);
    g_autofree char *protocol = cell_text (f, row, PORTHOLE_CELL_PROTOCOL);
    g_autofree char *address = cell_text (f, row, PORTHOLE_CELL_ADDRESS);
    g_autofree char *exposure = cell_text (f, row, PORTHOLE_CELL_EXPOSURE);
    g_autofree char *range = cell_text (f, row, PORTHOLE_CELL_RANGE);
    g_autofree char *owner = cell_text (f, row, PORTHOLE_CELL_PROCESS);
    g_autofree char *who = cell_text (f, row, PORTHOLE_CELL_USER);

    ck_assert_str_eq (port, port_text);
    ck_assert_str_eq (protocol, "TCP");
    ck_assert_str_eq (address, "127.0.0.1");
    ck_assert_str_eq (exposure, "This computer only");
    ck_assert_str_eq (range, porthole_socket_range_text (row));
    ck_assert_str_eq (range, porthole_port_range (child->ports[0]) == PORTHOLE_RANGE_DYNAMIC ? "Dynamic" : "Registered");
    ck_assert_str_eq (owner, pid_text);
    ck_assert_str_eq (who, user);
  }
  /* It appeared after the first snapshot: tinted as new */
  ck_assert (all_cells_have_class (f, row, "socket-new"));
  ck_assert (!all_cells_have_class (f, row, "socket-closed"));

  child_command (child, "close\n", "closed");
  refresh (f->monitor);
  ck_assert (porthole_socket_get_closed (row));
  ck_assert_ptr_eq (find_row_of (model, child->ports[0], "tcp", child->pid, NULL), row);
  ck_assert (all_cells_have_class (f, row, "socket-closed"));
  ck_assert (!all_cells_have_class (f, row, "socket-new"));
  {
    g_autofree char *process_after = cell_text (f, row, PORTHOLE_CELL_PROCESS);

    ck_assert_str_eq (process_after, pid_text);
  }

  /* ... and is removed once the linger time is over */
  while (find_row_of (model, child->ports[0], "tcp", child->pid, NULL) != NULL && waited < 5000)
    {
      porthole_test_spin (100);
      waited += 100;
    }
  ck_assert_ptr_null (find_row_of (model, child->ports[0], "tcp", child->pid, NULL));
  ck_assert_uint_ge (waited, 1000);
  child_free (child);
  fixture_free (f);
}
END_TEST

/* ---- selection follows the item ----------------------------------------------------------- */

START_TEST (test_selection_survives_rows_above)
{
  Fixture *f = fixture_new (0);
  GListModel *model = porthole_socket_view_get_model (f->view);
  GtkSingleSelection *selection = porthole_socket_view_get_selection (f->view);
  Child *selected_child = child_spawn ("--name", "zzz-selected", "--tcp4", "1", NULL);
  Child *above = NULL;
  PortholeSocket *row;
  guint before, after;

  /* Sorted by program name, the newcomers ("aaa-...") land above the selected row */
  ck_assert (porthole_socket_view_sort_by (f->view, "process", FALSE));
  refresh (f->monitor);
  row = find_row (model, selected_child->ports[0], "tcp", &before);
  ck_assert_ptr_nonnull (row);
  ck_assert_uint_lt (before, g_list_model_get_n_items (model));
  ck_assert (porthole_socket_view_select (f->view, row));
  ck_assert_ptr_eq (gtk_single_selection_get_selected_item (selection), row);

  above = child_spawn ("--name", "aaa-above", "--tcp4", "5", NULL);
  refresh (f->monitor);
  ck_assert_ptr_eq (gtk_single_selection_get_selected_item (selection), row);
  find_row (model, selected_child->ports[0], "tcp", &after);
  ck_assert_uint_eq (gtk_single_selection_get_selected (selection), after);
  /* Other programs' sockets come and go on a busy machine: count only our newcomers */
  ck_assert_uint_ge (after, 5);
  for (guint i = 0; i < above->n_ports; i++)
    {
      guint pos;

      ck_assert_ptr_nonnull (find_row (model, above->ports[i], "tcp", &pos));
      ck_assert_uint_lt (pos, after);
    }
  /* The details pane shows the selected socket */
  ck_assert_ptr_eq (porthole_socket_details_get_socket (porthole_socket_view_get_details (f->view)), row);

  /* Rows above it that close and go leave it selected too */
  child_command (above, "close\n", "closed");
  refresh (f->monitor);
  porthole_test_spin (100);
  ck_assert_ptr_eq (gtk_single_selection_get_selected_item (selection), row);
  child_free (above);
  child_free (selected_child);
  fixture_free (f);
}
END_TEST

/* ---- search and the toggles --------------------------------------------------------------- */

static gboolean
every_row (GListModel *model, gboolean (*pred) (PortholeSocket *s))
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      if (!pred (s))
        return FALSE;
    }
  return TRUE;
}

static gboolean is_udp (PortholeSocket *s) { return strcmp (porthole_socket_get_protocol (s), "udp") == 0; }
static gboolean is_tcp (PortholeSocket *s) { return strcmp (porthole_socket_get_protocol (s), "tcp") == 0; }
static gboolean is_tcp6 (PortholeSocket *s) { return is_tcp (s) && strcmp (porthole_socket_get_family (s), "ipv6") == 0; }
static gboolean is_mine (PortholeSocket *s) { return g_strcmp0 (porthole_socket_get_process (s), "ph-search") == 0; }

START_TEST (test_search_and_filters)
{
  Fixture *f = fixture_new (0);
  GListModel *model = porthole_socket_view_get_model (f->view);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.porthole.Porthole");
  Child *child = child_spawn ("--name", "ph-search", "--tcp4", "1", "--tcp6", "1", "--udp4", "1", NULL);
  guint tcp4 = child->ports[0], tcp6 = child->ports[1], udp4 = child->ports[2];
  g_autofree char *text = NULL;

  refresh (f->monitor);
  ck_assert_ptr_nonnull (find_row (model, tcp4, "tcp", NULL));
  ck_assert_ptr_nonnull (find_row (model, tcp6, "tcp", NULL));
  ck_assert_ptr_nonnull (find_row (model, udp4, "udp", NULL));

  /* By port: exactly that port */
  text = g_strdup_printf ("%u", tcp4);
  porthole_socket_view_start_search (f->view, text);
  ck_assert_uint_ge (g_list_model_get_n_items (model), 1);
  ck_assert_ptr_nonnull (find_row (model, tcp4, "tcp", NULL));
  ck_assert_ptr_null (find_row (model, tcp6, "tcp", NULL));

  /* By program name: all three, and nothing else */
  porthole_socket_view_start_search (f->view, "PH-SEARCH");
  ck_assert_uint_eq (g_list_model_get_n_items (model), 3);
  ck_assert (every_row (model, is_mine));

  /* Name and address together (every word must match) */
  porthole_socket_view_start_search (f->view, "ph-search ::1");
  ck_assert_uint_eq (g_list_model_get_n_items (model), 1);
  ck_assert_ptr_nonnull (find_row (model, tcp6, "tcp", NULL));

  /* By user, with protocol toggles */
  porthole_socket_view_start_search (f->view, g_get_user_name ());
  ck_assert_ptr_nonnull (find_row (model, udp4, "udp", NULL));
  g_settings_set_boolean (settings, "show-tcp", FALSE);
  ck_assert (every_row (model, is_udp));
  ck_assert_ptr_nonnull (find_row (model, udp4, "udp", NULL));
  g_settings_set_boolean (settings, "show-tcp", TRUE);
  g_settings_set_boolean (settings, "show-udp", FALSE);
  ck_assert (every_row (model, is_tcp));
  ck_assert_ptr_nonnull (find_row (model, tcp4, "tcp", NULL));

  /* TCP over IPv6 only */
  g_settings_set_boolean (settings, "show-ipv4", FALSE);
  porthole_socket_view_start_search (f->view, "ph-search");
  ck_assert_uint_eq (g_list_model_get_n_items (model), 1);
  ck_assert (every_row (model, is_tcp6));

  /* Nothing matches: the empty state says so */
  g_settings_set_boolean (settings, "show-ipv6", FALSE);
  ck_assert_uint_eq (g_list_model_get_n_items (model), 0);
  ck_assert_str_eq (porthole_socket_view_get_state (f->view), "empty");
  porthole_socket_view_start_search (f->view, "no-such-program-anywhere");
  g_settings_reset (settings, "show-ipv4");
  g_settings_reset (settings, "show-ipv6");
  g_settings_reset (settings, "show-udp");
  ck_assert_str_eq (porthole_socket_view_get_state (f->view), "empty");
  porthole_socket_view_start_search (f->view, "");
  ck_assert_str_eq (porthole_socket_view_get_state (f->view), "table");
  ck_assert_ptr_nonnull (find_row (model, udp4, "udp", NULL));
  child_free (child);
  fixture_free (f);
}
END_TEST

/* ---- sorting by every column, remembered --------------------------------------------------- */

static void
check_sorted (Fixture *f, const char *name, gboolean descending)
{
  GListModel *model = porthole_socket_view_get_model (f->view);
  GListModel *columns = gtk_column_view_get_columns (porthole_socket_view_get_column_view (f->view));
  g_autoptr(GSettings) settings = g_settings_new ("io.github.porthole.Porthole");
  g_autofree char *saved = NULL;
  GtkSorter *inner = NULL;
  PortholeColumnSorter *primary;
  gboolean is_descending = !descending;

  for (guint i = 0; i < g_list_model_get_n_items (columns) && inner == NULL; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      PortholeColumnSorter *sorter = PORTHOLE_COLUMN_SORTER (gtk_column_view_column_get_sorter (column));

      if (strcmp (porthole_column_sorter_get_name (sorter), name) == 0)
        inner = porthole_column_sorter_get_sorter (sorter);
    }
  ck_assert_msg (inner != NULL, "no column %s", name);

  ck_assert (porthole_socket_view_sort_by (f->view, name, descending));
  primary = porthole_column_sorter_get_primary (gtk_column_view_get_sorter (porthole_socket_view_get_column_view (f->view)),
                                                columns, &is_descending);
  ck_assert_str_eq (porthole_column_sorter_get_name (primary), name);
  ck_assert (is_descending == descending);
  saved = g_settings_get_string (settings, "listening-sort-column");
  ck_assert_str_eq (saved, name);
  ck_assert (g_settings_get_boolean (settings, "listening-sort-descending") == descending);

  ck_assert_uint_ge (g_list_model_get_n_items (model), 3);
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PortholeSocket) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PortholeSocket) b = g_list_model_get_item (model, i);
      GtkOrdering order = gtk_sorter_compare (inner, a, b);

      ck_assert_msg (descending ? order != GTK_ORDERING_SMALLER : order != GTK_ORDERING_LARGER,
                     "column %s%s: row %u (%s) and %u (%s) out of order", name, descending ? " descending" : "",
                     i - 1, porthole_socket_get_key (a), i, porthole_socket_get_key (b));
    }
}

START_TEST (test_sort_every_column)
{
  Fixture *f = fixture_new (0);
  Child *child = child_spawn ("--name", "ph-sort-b", "--tcp4", "2", "--tcp6", "1", "--udp4", "1", NULL);
  Child *other = child_spawn ("--name", "ph-sort-a", "--tcp4", "1", NULL);
  const char *names[] = { "protocol", "address", "exposure", "port", "range", "service", "process",
                          "container", "traffic", "user" };
  GListModel *columns = gtk_column_view_get_columns (porthole_socket_view_get_column_view (f->view));

  refresh (f->monitor);
  ck_assert_uint_eq (g_list_model_get_n_items (columns), G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      check_sorted (f, names[i], FALSE);
      check_sorted (f, names[i], TRUE);
    }

  /* The sort still holds for rows added later */
  check_sorted (f, "port", TRUE);
  child_command (other, "close\n", "closed");
  {
    Child *late = child_spawn ("--name", "ph-sort-c", "--tcp4", "3", NULL);

    refresh (f->monitor);
    check_sorted (f, "port", TRUE);
    child_free (late);
  }

  /* A new page opens sorted the way the settings say the last one was left */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.porthole.Porthole");
    PortholeListeningPage *page;
    gboolean descending = FALSE;
    PortholeColumnSorter *primary;

    g_settings_set_string (settings, "listening-sort-column", "service");
    g_settings_set_boolean (settings, "listening-sort-descending", TRUE);
    GtkColumnView *column_view;

    page = g_object_ref_sink (g_object_new (PORTHOLE_TYPE_LISTENING_PAGE, NULL));
    porthole_listening_page_set_settings (page, porthole_test_settings ());
    column_view = porthole_socket_view_get_column_view (porthole_listening_page_get_view (page));
    primary = porthole_column_sorter_get_primary (gtk_column_view_get_sorter (column_view),
                                                  gtk_column_view_get_columns (column_view), &descending);
    ck_assert_str_eq (porthole_column_sorter_get_name (primary), "service");
    ck_assert (descending);
    g_object_unref (page);
  }
  child_free (other);
  child_free (child);
  fixture_free (f);
}
END_TEST

/* ---- End Process ---------------------------------------------------------------------------- */

static gboolean
label_contains (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
find_label_containing (GtkWidget *root, const char *text)
{
  return porthole_test_find_matching (root, label_contains, text) != NULL;
}

static AdwMessageDialog *
find_dialog (const char *heading_part)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (w) &&
          strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)), heading_part) != NULL)
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
wait_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  for (guint waited = 0; waited < timeout_ms; waited += 50)
    {
      if (cond (data))
        return TRUE;
      porthole_test_spin (50);
    }
  return cond (data);
}

static gboolean
details_loaded (gpointer data)
{
  return porthole_socket_details_can_end_process (data);
}

static gboolean
child_gone (gpointer data)
{
  Child *child = data;

  return child->done;
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelQuery;

static gboolean
label_shown (gpointer data)
{
  LabelQuery *q = data;

  return find_label_containing (q->root, q->text);
}

static void
end_process_run (gboolean ignore_term)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  PortholeSocketMonitor *monitor = porthole_application_get_monitor (app);
  PortholeWindow *window = porthole_window_new (app);
  PortholeListeningPage *page;
  PortholeSocketView *view;
  PortholeSocketDetails *details;
  Child *child = ignore_term ? child_spawn ("--name", "ph-defiant", "--ignore-term", "--tcp4", "1", NULL)
                             : child_spawn ("--name", "ph-victim", "--tcp4", "1", NULL);
  g_autofree char *toast = NULL;
  AdwMessageDialog *dialog;
  LabelQuery query;
  PortholeSocket *row;

  reset_settings ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  page = PORTHOLE_LISTENING_PAGE (porthole_test_find_widget (GTK_WIDGET (window), PORTHOLE_TYPE_LISTENING_PAGE, 0));
  view = porthole_listening_page_get_view (page);
  details = porthole_socket_view_get_details (view);

  refresh (monitor);
  ck_assert (porthole_window_show_listener (window, child->ports[0], "tcp"));
  row = find_row (porthole_socket_view_get_model (view), child->ports[0], "tcp", NULL);
  ck_assert_ptr_eq (porthole_socket_details_get_socket (details), row);
  ck_assert (wait_until (details_loaded, details, 5000));

  dialog = porthole_socket_details_end_process (details);
  ck_assert_ptr_nonnull (dialog);
  adw_message_dialog_response (dialog, "end");

  if (ignore_term)
    {
      AdwMessageDialog *force = NULL;

      for (guint waited = 0; waited < 6000 && force == NULL; waited += 100)
        {
          porthole_test_spin (100);
          force = find_dialog ("Still Running");
        }
      ck_assert_msg (force != NULL, "no offer to force the process to quit");
      ck_assert (!child_gone (child));
      adw_message_dialog_response (force, "force");
      toast = g_strdup_printf ("Forced “ph-defiant” (%d) to quit", child->pid);
    }
  else
    toast = g_strdup_printf ("Ended “ph-victim” (%d)", child->pid);

  ck_assert (wait_until (child_gone, child, 5000));
  ck_assert (g_subprocess_get_if_signaled (child->proc));
  ck_assert_int_eq (g_subprocess_get_term_sig (child->proc), ignore_term ? SIGKILL : SIGTERM);
  query.root = GTK_WIDGET (window);
  query.text = toast;
  ck_assert_msg (wait_until (label_shown, &query, 3000), "no toast saying %s", toast);

  /* The row goes: closed at the refresh End Process asked for, removed after the linger time */
  for (guint waited = 0;
       waited < 10000 && find_row_of (porthole_socket_view_get_model (view), child->ports[0], "tcp", child->pid, NULL);
       waited += 100)
    porthole_test_spin (100);
  ck_assert_ptr_null (find_row_of (porthole_socket_view_get_model (view), child->ports[0], "tcp", child->pid, NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  child_free (child);
}

START_TEST (test_end_process)
{
  end_process_run (FALSE);
}
END_TEST

START_TEST (test_end_process_force)
{
  end_process_run (TRUE);
}
END_TEST

START_TEST (test_end_process_not_for_other_users)
{
  Fixture *f;
  Child *nobody, *mine;
  PortholeSocket *theirs, *ours;
  PortholeSocketDetails *details;

  if (geteuid () != 0)
    {
      /* Without root the test cannot start another user's process; our own must be allowed */
      return;
    }
  f = fixture_new (0);
  details = porthole_socket_view_get_details (f->view);
  nobody = child_spawn ("--uid", "65534", "--name", "ph-nobody", "--tcp4", "1", NULL);
  mine = child_spawn ("--name", "ph-mine", "--tcp4", "1", NULL);
  refresh (f->monitor);
  theirs = find_row (porthole_socket_view_get_model (f->view), nobody->ports[0], "tcp", NULL);
  ours = find_row (porthole_socket_view_get_model (f->view), mine->ports[0], "tcp", NULL);
  ck_assert_ptr_nonnull (theirs);
  ck_assert_ptr_nonnull (ours);
  ck_assert_uint_eq (porthole_socket_get_uid (theirs), 65534);
  ck_assert_int_eq (porthole_socket_get_pid (theirs), nobody->pid);

  {
    g_autoptr(PortholeProcessDetails) their_process = porthole_process_details_read ("/proc", theirs);
    g_autoptr(PortholeProcessDetails) our_process = porthole_process_details_read ("/proc", ours);

    ck_assert (!their_process->can_end);
    ck_assert (our_process->can_end);
  }

  porthole_socket_view_select (f->view, ours);
  ck_assert (wait_until (details_loaded, details, 5000));
  porthole_socket_view_select (f->view, theirs);
  porthole_test_spin (500);
  ck_assert_ptr_eq (porthole_socket_details_get_socket (details), theirs);
  ck_assert (!porthole_socket_details_can_end_process (details));
  ck_assert_ptr_null (porthole_socket_details_end_process (details));
  ck_assert_ptr_null (find_dialog ("End"));
  child_free (nobody);
  child_free (mine);
  fixture_free (f);
}
END_TEST

/* A row names its program as seen at the snapshot; when the pid names another program by the
 * time the details load (it exited and the pid was reused), neither that program's command
 * line nor End Process is offered */
START_TEST (test_details_pid_reused)
{
  Child *child = child_spawn ("--name", "ph-details", "--tcp4", "1", NULL);
  PortholeSockInfo info = { .protocol = IPPROTO_TCP, .family = AF_INET, .state = 10,
                            .local_port = 9, .inode = 1 };
  PortholeSocketOwner then = { child->pid, (char *) "ph-previous", PORTHOLE_OWNER_KNOWN, FALSE };
  PortholeSocketOwner now = { child->pid, (char *) "ph-details", PORTHOLE_OWNER_KNOWN, FALSE };
  g_autoptr(PortholeSocket) stale = porthole_socket_new (&info, &then, "root", NULL, 0);
  g_autoptr(PortholeSocket) fresh = porthole_socket_new (&info, &now, "root", NULL, 0);
  PortholeSocketDetails *details = g_object_ref_sink (g_object_new (PORTHOLE_TYPE_SOCKET_DETAILS, NULL));
  g_autoptr(PortholeSocketMonitor) monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  LabelQuery exited = { GTK_WIDGET (details), "The program has exited" };

  /* the monitor reads the process details; it is never refreshed here */
  porthole_socket_details_set_monitor (details, monitor);
  gtk_window_set_child (window, GTK_WIDGET (details));
  gtk_window_present (window);
  /* the same pid under its real name: End Process is offered, nothing says it exited */
  porthole_socket_details_set_socket (details, fresh);
  ck_assert (wait_until (details_loaded, details, 5000));
  ck_assert (!label_shown (&exited));
  porthole_socket_details_set_socket (details, stale);
  ck_assert (wait_until (label_shown, &exited, 5000));
  ck_assert (!porthole_socket_details_can_end_process (details));
  ck_assert_ptr_null (porthole_socket_details_end_process (details));

  /* A program that renamed itself since the snapshot but still holds the socket is the same
   * program: this very process, under another name, with a socket it really holds */
  {
    int fd = socket (AF_INET, SOCK_DGRAM, 0);
    struct stat st;
    PortholeSockInfo mine = info;
    PortholeSocketOwner renamed = { getpid (), (char *) "ph-renamed", PORTHOLE_OWNER_KNOWN, FALSE };
    g_autoptr(PortholeSocket) row = NULL;
    LabelQuery cmdline = { GTK_WIDGET (details), "test-socket-views" };

    ck_assert (fd >= 0 && fstat (fd, &st) == 0);
    mine.inode = st.st_ino;
    row = porthole_socket_new (&mine, &renamed, "root", NULL, 0);
    porthole_socket_details_set_socket (details, row);
    ck_assert (wait_until (label_shown, &cmdline, 5000));
    ck_assert (!label_shown (&exited));
    close (fd);
  }
  gtk_window_destroy (window);
  g_object_unref (details);
  child_free (child);
}
END_TEST

/* ---- Export ------------------------------------------------------------------------------- */

static void
on_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  gssize *rows = data;
  g_autoptr(GError) error = NULL;

  *rows = porthole_export_save_finish (result, &error);
  ck_assert_msg (*rows >= 0, "export: %s", error ? error->message : "");
}

static GFile *
export_to_file (GListModel *model, PortholeExportFormat format, const char *name, gssize *rows)
{
  g_autofree char *dir = g_dir_make_tmp ("porthole-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GFile *file = g_file_new_for_path (path);

  *rows = -2;
  porthole_export_save_async (model, format, file, NULL, on_saved, rows);
  for (guint waited = 0; *rows == -2 && waited < 10000; waited += 20)
    porthole_test_spin (20);
  ck_assert_int_ne (*rows, -2);
  return file;
}

/* RFC 4180 reader: fields may be quoted, quotes doubled, line breaks inside quotes */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        g_ptr_array_add (row, g_string_free (g_steal_pointer (&field), FALSE)), field = g_string_new (NULL);
      else if (*p == '\r' && p[1] == '\n')
        {
          p++;
          g_ptr_array_add (row, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
        }
      else
        g_string_append_c (field, *p);
    }
  ck_assert_uint_eq (field->len, 0);
  ck_assert_uint_eq (row->len, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (row);
  return rows;
}

START_TEST (test_export_matches_model)
{
  Fixture *f = fixture_new (0);
  Child *child = child_spawn ("--name", "ph,\"export\"", "--tcp4", "2", "--udp4", "1", NULL);
  GListModel *model = porthole_socket_view_get_model (f->view);
  g_autoptr(GFile) json_file = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) csv = NULL;
  g_autofree char *csv_text = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  gssize rows;
  guint n;

  refresh (f->monitor);
  porthole_socket_view_start_search (f->view, g_get_user_name ());
  porthole_socket_view_sort_by (f->view, "port", TRUE);
  n = g_list_model_get_n_items (model);
  ck_assert_uint_ge (n, 3);

  json_file = export_to_file (model, PORTHOLE_EXPORT_JSON, "table.json", &rows);
  ck_assert_int_eq (rows, n);
  ck_assert (porthole_export_format_for_file (json_file) == PORTHOLE_EXPORT_JSON);
  ck_assert_msg (json_parser_load_from_file (parser, g_file_peek_path (json_file), &error), "%s",
                 error ? error->message : "");
  array = json_node_get_array (json_parser_get_root (parser));
  ck_assert_uint_eq (json_array_get_length (array), n);

  csv_file = export_to_file (model, PORTHOLE_EXPORT_CSV, "table.csv", &rows);
  ck_assert_int_eq (rows, n);
  ck_assert (g_file_load_contents (csv_file, NULL, &csv_text, NULL, NULL, NULL));
  csv = parse_csv (csv_text);
  ck_assert_uint_eq (csv->len, n + 1);
  ck_assert_str_eq (g_ptr_array_index ((GPtrArray *) csv->pdata[0], 0), "protocol");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);
      JsonObject *o = json_array_get_object_element (array, i);
      GPtrArray *r = csv->pdata[i + 1];
      g_autofree char *port = g_strdup_printf ("%u", porthole_socket_get_local_port (s));
      g_autofree char *inode = g_strdup_printf ("%" G_GUINT64_FORMAT, porthole_socket_get_inode (s));
      const char *process = porthole_socket_get_process (s);

      /* the flat fields: the first round's 14, exposure and netns, the 4 TCP counters */
      ck_assert_uint_eq (r->len, 20);
      ck_assert_str_eq (json_object_get_string_member (o, "protocol"), porthole_socket_get_protocol (s));
      ck_assert_str_eq (json_object_get_string_member (o, "local_address"), porthole_socket_get_local_address (s));
      ck_assert_int_eq (json_object_get_int_member (o, "local_port"), porthole_socket_get_local_port (s));
      ck_assert_int_eq (json_object_get_int_member (o, "inode"), (gint64) porthole_socket_get_inode (s));
      ck_assert_str_eq (json_object_get_string_member (o, "user"), porthole_socket_get_user (s));
      ck_assert_str_eq (json_object_get_string_member (o, "range"), porthole_port_range_id (porthole_socket_get_range (s)));
      if (process)
        ck_assert_str_eq (json_object_get_string_member (o, "process"), process);
      else
        ck_assert (json_object_get_null_member (o, "process"));

      ck_assert_str_eq (r->pdata[0], porthole_socket_get_protocol (s));
      ck_assert_str_eq (r->pdata[3], porthole_socket_get_local_address (s));
      ck_assert_str_eq (r->pdata[4], port);
      ck_assert_str_eq (r->pdata[7], inode);
      ck_assert_str_eq (r->pdata[11], process ? process : "");
    }
  /* The awkward name went through both formats intact */
  {
    gboolean seen = FALSE;

    for (guint i = 1; i < csv->len; i++)
      seen |= strcmp (((GPtrArray *) csv->pdata[i])->pdata[11], "ph,\"export\"") == 0;
    ck_assert (seen);
  }
  child_free (child);
  fixture_free (f);
}
END_TEST

/* ---- states ------------------------------------------------------------------------------- */

START_TEST (test_error_state)
{
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "porthole-no-such-proc", NULL);
  PortholeConnectionsPage *page = g_object_ref_sink (g_object_new (PORTHOLE_TYPE_CONNECTIONS_PAGE, NULL));
  PortholeSocketView *view = porthole_connections_page_get_view (page);

  /* A proc root that does not exist and no netlink: the tables cannot be read at all */
  monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "proc-root", missing, "force-proc", TRUE, NULL);
  porthole_connections_page_set_monitor (page, monitor);
  ck_assert_str_eq (porthole_socket_view_get_state (view), "loading");
  refresh (monitor);
  ck_assert_ptr_nonnull (porthole_socket_monitor_get_error (monitor));
  ck_assert_str_eq (porthole_socket_view_get_state (view), "error");
  g_object_unref (page);
}
END_TEST

/* ---- another network namespace ------------------------------------------------------------- */

static PortholeSocket *
find_inode (GListModel *model, guint64 inode, guint64 netns)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      if (porthole_socket_get_inode (s) == inode && porthole_socket_get_netns (s) == netns)
        return s;
    }
  return NULL;
}

static GtkColumnViewColumn *
column_named (PortholeSocketView *view, const char *name)
{
  GListModel *columns = gtk_column_view_get_columns (porthole_socket_view_get_column_view (view));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (g_strcmp0 (porthole_column_sorter_get_name (PORTHOLE_COLUMN_SORTER (sorter)), name) == 0)
        return column;   /* the column view keeps it */
    }
  return NULL;
}

/* A listener on 0.0.0.0:5080 in a namespace of the test's own (root only): listed with its
 * namespace, reachable from its own network only, in the details' Container block, hidden
 * by Show Containers off */
START_TEST (test_other_namespace)
{
  Fixture *f;
  PortholeTestNetns ns;
  g_autofree char *reason = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.porthole.Porthole");
  GListModel *model;
  PortholeSocket *row;
  PortholeSocketDetails *details;
  GtkColumnViewColumn *container_column;

  if (geteuid () != 0)
    return;
  f = fixture_new (0);
  model = porthole_socket_view_get_model (f->view);
  details = porthole_socket_view_get_details (f->view);
  container_column = column_named (f->view, "container");
  ck_assert_ptr_nonnull (container_column);
  /* Only our own namespace so far: nothing to name, no column */
  ck_assert (!gtk_column_view_column_get_visible (container_column));
  ck_assert (!porthole_socket_view_get_show_container_column (f->view));

  ck_assert_msg (porthole_test_netns_spawn (&ns, 1, &reason), "%s", reason);
  porthole_socket_monitor_set_all_namespaces (f->monitor, TRUE);
  refresh (f->monitor);
  row = find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN], ns.id);
  ck_assert_ptr_nonnull (row);
  ck_assert (gtk_column_view_column_get_visible (container_column));
  label = g_strdup_printf ("namespace %" G_GUINT64_FORMAT, ns.id);

  porthole_socket_view_select (f->view, row);
  porthole_test_spin (100);
  {
    g_autofree char *exposure = cell_text (f, row, PORTHOLE_CELL_EXPOSURE);
    g_autofree char *container = cell_text (f, row, PORTHOLE_CELL_CONTAINER);
    g_autofree char *address = cell_text (f, row, PORTHOLE_CELL_ADDRESS);

    ck_assert_str_eq (exposure, "Container network");
    g_autofree char *shown = g_strdup_printf ("%" G_GUINT64_FORMAT " netns", ns.id);

    ck_assert_str_eq (container, shown);
    ck_assert_str_eq (address, "0.0.0.0");
  }
  /* The details say where it lives, that nothing publishes it, and offer no test from here */
  ck_assert_ptr_eq (porthole_socket_details_get_socket (details), row);
  ck_assert (find_label_containing (GTK_WIDGET (details), "Container"));
  ck_assert (find_label_containing (GTK_WIDGET (details), label));
  ck_assert (find_label_containing (GTK_WIDGET (details), "Published on no port of this computer"));
  ck_assert (find_label_containing (GTK_WIDGET (details), "its own 65,536 ports"));
  /* Its one client is the namespace's own: no other namespace's port 5080 counts */
  ck_assert_uint_eq (porthole_socket_details_get_n_clients (details), 1);

  /* The search finds it by its namespace */
  porthole_socket_view_start_search (f->view, "namespace");
  ck_assert_ptr_eq (find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN], ns.id), row);
  ck_assert (every_row (model, porthole_socket_is_elsewhere));
  {
    g_autofree char *cli = g_strdup_printf ("netns:%" G_GUINT64_FORMAT, ns.id);

    porthole_socket_view_start_search (f->view, cli);
    ck_assert_ptr_eq (find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN], ns.id), row);
  }
  porthole_socket_view_start_search (f->view, "");

  /* Show Containers off: this computer's own sockets only, and no Container column */
  g_settings_set_boolean (settings, "show-containers", FALSE);
  ck_assert_ptr_null (find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN], ns.id));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      ck_assert (!porthole_socket_is_elsewhere (s));
    }
  ck_assert (!gtk_column_view_column_get_visible (container_column));
  g_settings_set_boolean (settings, "show-containers", TRUE);
  ck_assert_ptr_nonnull (find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN], ns.id));
  ck_assert (gtk_column_view_column_get_visible (container_column));

  /* The namespace goes: its sockets close, and the column goes with the last of them
   * (other tests' namespaces may still be there on a shared machine) */
  porthole_test_netns_release (&ns);
  refresh (f->monitor);
  ck_assert_ptr_null (find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN], ns.id));
  porthole_socket_monitor_set_all_namespaces (f->monitor, FALSE);
  refresh (f->monitor);
  ck_assert (!gtk_column_view_column_get_visible (container_column));
  fixture_free (f);
}
END_TEST

/* A forwarder on this computer (a process named docker-proxy with docker-proxy's flags, holding
 * a listener) publishing port 5080 of a namespace (root only): its details say where it
 * forwards; the namespace's listener, when it is the one joined, says where it is published */
START_TEST (test_published_port)
{
  Fixture *f;
  PortholeTestNetns ns;
  g_autofree char *reason = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *forwards = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) forwarder = NULL;
  g_autoptr(GError) error = NULL;
  struct sockaddr_in sin = { .sin_family = AF_INET };
  socklen_t len = sizeof sin;
  PortholeSocketDetails *details;
  PortholeSocket *host, *inside;
  GListModel *model;
  int fd;

  if (geteuid () != 0)
    return;
  f = fixture_new (0);
  details = porthole_socket_view_get_details (f->view);
  ck_assert_msg (porthole_test_netns_spawn (&ns, 1, &reason), "%s", reason);

  /* The host port: a listener the forwarder inherits */
  fd = socket (AF_INET, SOCK_STREAM, 0);
  ck_assert (fd >= 0 && bind (fd, (struct sockaddr *) &sin, sizeof sin) == 0);
  ck_assert_int_eq (listen (fd, 4), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  port_text = g_strdup_printf ("%u", ntohs (sin.sin_port));
  dir = g_dir_make_tmp ("porthole-proxy-XXXXXX", NULL);
  proxy = g_build_filename (dir, "docker-proxy", NULL);
  ck_assert_int_eq (symlink (g_getenv ("PORTHOLE_ARGV_CHILD"), proxy), 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_take_fd (launcher, fd, fd);
  forwarder = g_subprocess_launcher_spawn (launcher, &error, proxy, "-proto", "tcp",
                                           "-host-ip", "0.0.0.0", "-host-port", port_text,
                                           "-container-ip", "10.88.0.2", "-container-port",
                                           G_STRINGIFY (PORTHOLE_TEST_NETNS_PORT), NULL);
  ck_assert_msg (forwarder != NULL, "%s", error ? error->message : "");
  g_clear_object (&launcher);   /* closes our copy of the listener */

  porthole_socket_monitor_set_all_namespaces (f->monitor, TRUE);
  refresh (f->monitor);
  host = find_row_of (porthole_socket_view_get_model (f->view), ntohs (sin.sin_port), "tcp",
                      atoi (g_subprocess_get_identifier (forwarder)), NULL);
  ck_assert_ptr_nonnull (host);
  ck_assert_str_eq (porthole_socket_get_process (host), "docker-proxy");
  ck_assert_ptr_nonnull (porthole_socket_get_published (host));
  porthole_socket_view_select (f->view, host);
  porthole_test_spin (100);
  forwards = g_strdup_printf ("Forwards to port %u in another network namespace",
                              PORTHOLE_TEST_NETNS_PORT);
  ck_assert (find_label_containing (GTK_WIDGET (details), forwards));
  ck_assert (find_label_containing (GTK_WIDGET (details), "firewall"));

  /* The namespace's end: its IPv4 or IPv6 listener on 5080, whichever the monitor joined
   * (without a runtime's word the first listener on that port is taken: on a shared machine
   * another test's namespace on 5080 may be) */
  model = porthole_socket_view_get_model (f->view);
  inside = find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN], ns.id);
  ck_assert_ptr_nonnull (inside);
  if (porthole_socket_get_published (inside) == NULL)
    inside = find_inode (model, ns.inodes[PORTHOLE_TEST_NETNS_TCP6_LISTEN], ns.id);
  if (inside && porthole_socket_get_published (inside))
    {
      g_autofree char *published = g_strdup_printf ("Published on 0.0.0.0:%s → container port %u",
                                                    port_text, PORTHOLE_TEST_NETNS_PORT);
      g_autofree char *exposure = NULL;

      porthole_socket_view_select (f->view, inside);
      porthole_test_spin (100);
      exposure = cell_text (f, inside, PORTHOLE_CELL_EXPOSURE);
      ck_assert_str_eq (exposure, "Network");
      ck_assert (find_label_containing (GTK_WIDGET (details), published));
    }

  g_output_stream_close (g_subprocess_get_stdin_pipe (forwarder), NULL, NULL);
  ck_assert (g_subprocess_wait (forwarder, NULL, NULL));
  unlink (proxy);
  g_rmdir (dir);
  porthole_test_netns_release (&ns);
  fixture_free (f);
}
END_TEST

/* The exposure words, from sockets built with each case */
START_TEST (test_exposure_text)
{
  struct {
    const char *address;
    guint64     netns;
    gboolean    container;
    gboolean    published;
    const char *text;
    guint       rank;
  } cases[] = {
    { "127.0.0.1", 0, FALSE, FALSE, "This computer only", 2 },
    { "0.0.0.0", 0, FALSE, FALSE, "Network", 0 },
    { "127.0.0.1", 7, TRUE, FALSE, "This container only", 3 },
    { "127.0.0.1", 7, FALSE, FALSE, "Inside its namespace only", 3 },
    { "0.0.0.0", 7, TRUE, FALSE, "Container network", 1 },
    { "0.0.0.0", 7, TRUE, TRUE, "Network", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PortholeSockInfo info = { .protocol = IPPROTO_TCP, .family = AF_INET, .state = 10,
                                .local_port = 80, .inode = 1, .netns = cases[i].netns };
      PortholeSocketOwner owner = { 0, NULL, PORTHOLE_OWNER_GONE, FALSE };
      g_autoptr(PortholeSocket) s = NULL;

      ck_assert_int_eq (inet_pton (AF_INET, cases[i].address, info.local_addr), 1);
      s = porthole_socket_new (&info, &owner, "root", NULL, 0);
      if (cases[i].container)
        {
          PortholeContainerRef ref = {
            PORTHOLE_RUNTIME_DOCKER,
            g_strdup ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), NULL
          };

          porthole_socket_take_container (s, &ref);
        }
      if (cases[i].published)
        {
          PortholePublished *p = g_new0 (PortholePublished, 1);

          p->host_port = 8080;
          p->container_port = 80;
          porthole_socket_set_published (s, p);
        }
      ck_assert_msg (g_str_equal (porthole_socket_exposure_text (s), cases[i].text), "case %u: %s",
                     i, porthole_socket_exposure_text (s));
      ck_assert_uint_eq (porthole_socket_exposure_rank (s), cases[i].rank);
      ck_assert_ptr_nonnull (porthole_socket_exposure_tooltip (s));
      if (cases[i].container)
        {
          g_autofree char *name = porthole_socket_container_text (s, NULL);

          ck_assert_str_eq (name, "0123456789ab");
          ck_assert_str_eq (porthole_socket_runtime_text (s), "Docker");
        }
    }
}
END_TEST

static Suite *
socket_views_suite (void)
{
  Suite *s = suite_create ("socket-views");
  TCase *tc = tcase_create ("views");

  gtk_init ();
  /* Under a loaded machine (and ASan) AdwFlap's fold/reveal animation once handed its stack a
   * width of INT_MIN (a NaN progress cast to int), a GTK warning that is fatal here. The tests
   * check what the view shows, not animations, so they run with animations off. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_error_state);
  tcase_add_test (tc, test_listener_row_lifecycle);
  tcase_add_test (tc, test_selection_survives_rows_above);
  tcase_add_test (tc, test_search_and_filters);
  tcase_add_test (tc, test_sort_every_column);
  tcase_add_test (tc, test_export_matches_model);
  tcase_add_test (tc, test_end_process_not_for_other_users);
  tcase_add_test (tc, test_details_pid_reused);
  tcase_add_test (tc, test_end_process);
  tcase_add_test (tc, test_end_process_force);
  tcase_add_test (tc, test_exposure_text);
  tcase_add_test (tc, test_other_namespace);
  tcase_add_test (tc, test_published_port);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (socket_views_suite)
