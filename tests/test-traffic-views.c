/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The traffic views: the Sent, Received and Rate columns of Connections, the Traffic column of
 * Listening, the details pane's counters, sparkline and TCP health, with real TCP connections
 * the test opens on loopback inside a private network namespace (so its rows are the only
 * ones, and the busiest connection is the test's own), read by a real socket monitor. */
#define G_LOG_DOMAIN "test-traffic-views"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-connections-page.h"
#include "porthole-listening-page.h"
#include "porthole-program-cell.h"
#include "porthole-programs-view.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-details.h"
#include "porthole-sparkline.h"
#include "porthole-traffic-section.h"
#include "porthole-traffic-text.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gtk/gtk.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- loopback connections ----------------------------------------------------------------- */

typedef struct {
  int     listener;
  int     client;
  int     server;      /* the accepted end */
  guint   listen_port;
  guint   client_port;
} Pair;

static guint
local_port (int fd)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;

  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  return ntohs (sin.sin_port);
}

static void
pair_open (Pair *p)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;

  p->listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge (p->listener, 0);
  ck_assert_int_eq (bind (p->listener, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (listen (p->listener, 4), 0);
  ck_assert_int_eq (getsockname (p->listener, (struct sockaddr *) &sin, &len), 0);
  p->listen_port = ntohs (sin.sin_port);
  p->client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_eq (connect (p->client, (struct sockaddr *) &sin, sizeof sin), 0);
  p->server = accept4 (p->listener, NULL, NULL, SOCK_CLOEXEC);
  ck_assert_int_ge (p->server, 0);
  p->client_port = local_port (p->client);
  fcntl (p->client, F_SETFL, O_NONBLOCK);
  fcntl (p->server, F_SETFL, O_NONBLOCK);
}

static void
pair_close (Pair *p)
{
  if (p->client >= 0)
    close (p->client);
  if (p->server >= 0)
    close (p->server);
  close (p->listener);
}

/* Moves exactly @n bytes from @from to @to (both non-blocking), reading as it writes */
static void
pump (int from, int to, gsize n)
{
  static char buf[65536];
  gsize sent = 0, received = 0;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (received < n)
    {
      struct pollfd fds[2] = { { .fd = from, .events = sent < n ? POLLOUT : 0 }, { .fd = to, .events = POLLIN } };
      ssize_t r;

      ck_assert_msg (g_get_monotonic_time () < deadline, "pump: stuck at %zu of %zu", received, n);
      poll (fds, 2, 100);
      if (sent < n && (fds[0].revents & POLLOUT))
        {
          r = send (from, buf, MIN (sizeof buf, n - sent), MSG_NOSIGNAL);
          if (r > 0)
            sent += r;
          else
            ck_assert_msg (errno == EAGAIN, "send: %s", g_strerror (errno));
        }
      if (fds[1].revents & POLLIN)
        {
          r = recv (to, buf, sizeof buf, 0);
          ck_assert_msg (r > 0 || errno == EAGAIN, "recv: %s", g_strerror (errno));
          if (r > 0)
            received += r;
        }
    }
  ck_assert_uint_eq (received, n);
}

/* ---- the views -------------------------------------------------------------------------- */

typedef struct {
  GtkWindow               *window;
  PortholeConnectionsPage *connections;
  PortholeListeningPage   *listening;
  GtkStack                *stack;
  PortholeSocketView      *view;        /* the one shown */
  PortholeSocketMonitor   *monitor;
} Fixture;

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, NULL);
  *(gboolean *) data = TRUE;
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
                         "listening-sort-column", "listening-sort-descending",
                         "connections-sort-column", "connections-sort-descending" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static Fixture *
fixture_new (const char *shown)
{
  Fixture *f = g_new0 (Fixture, 1);

  reset_settings ();
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1400, 800);
  f->stack = GTK_STACK (gtk_stack_new ());
  f->connections = g_object_new (PORTHOLE_TYPE_CONNECTIONS_PAGE, NULL);
  f->listening = g_object_new (PORTHOLE_TYPE_LISTENING_PAGE, NULL);
  gtk_stack_add_named (f->stack, GTK_WIDGET (f->connections), "connections");
  gtk_stack_add_named (f->stack, GTK_WIDGET (f->listening), "listening");
  gtk_stack_set_visible_child_name (f->stack, shown);
  porthole_connections_page_set_settings (f->connections, porthole_test_settings ());
  porthole_listening_page_set_settings (f->listening, porthole_test_settings ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->stack));
  f->monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, "linger", 0, NULL);
  porthole_connections_page_set_monitor (f->connections, f->monitor);
  porthole_listening_page_set_monitor (f->listening, f->monitor);
  f->view = g_str_equal (shown, "connections") ? porthole_connections_page_get_view (f->connections)
                                               : porthole_listening_page_get_view (f->listening);
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

/* The row whose local port is @port (this namespace holds only the test's sockets) */
static PortholeSocket *
find_row (GListModel *model, guint port, const char *protocol, guint *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      if (porthole_socket_get_local_port (s) == port &&
          strcmp (porthole_socket_get_protocol (s), protocol) == 0)
        {
          if (position)
            *position = i;
          return s;
        }
    }
  return NULL;
}

static PortholeSocketCell *
find_cell (GtkWidget *root, PortholeSocket *socket, PortholeCellKind kind)
{
  if (PORTHOLE_IS_SOCKET_CELL (root) &&
      porthole_socket_cell_get_socket (PORTHOLE_SOCKET_CELL (root)) == socket &&
      porthole_socket_cell_get_kind (PORTHOLE_SOCKET_CELL (root)) == kind)
    return PORTHOLE_SOCKET_CELL (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      PortholeSocketCell *found = find_cell (c, socket, kind);

      if (found)
        return found;
    }
  return NULL;
}

/* GLib puts a no-break space between a figure and its unit: read as a plain space here */
static char *
plain (char *text)
{
  GString *s = g_string_new (text);

  g_string_replace (s, "\u00a0", " ", 0);
  g_free (text);
  return g_string_free (s, FALSE);
}

static char *
cell_text (Fixture *f, PortholeSocket *socket, PortholeCellKind kind)
{
  PortholeSocketCell *cell = find_cell (GTK_WIDGET (f->view), socket, kind);

  ck_assert_msg (cell != NULL, "no cell of kind %d for %s", kind, porthole_socket_get_key (socket));
  return plain (porthole_socket_cell_get_text (cell));
}

/* The main label of a cell is dimmed ("TCP only", "—", idle) */
static gboolean
cell_dim (Fixture *f, PortholeSocket *socket, PortholeCellKind kind)
{
  PortholeSocketCell *cell = find_cell (GTK_WIDGET (f->view), socket, kind);
  GtkWidget *label = gtk_widget_get_first_child (GTK_WIDGET (cell));

  return gtk_widget_has_css_class (label, "dim-label");
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, guint *n)
{
  (*n)++;
}

/* ---- units ------------------------------------------------------------------------------ */

START_TEST (test_units)
{
  const struct { guint64 bytes; const char *text; } sizes[] = {
    { 0, "0 B" }, { 1023, "1023 B" }, { 1024, "1.0 KiB" }, { 300000, "293.0 KiB" },
    { 5 * 1024 * 1024 + 300 * 1024, "5.3 MiB" },
  };
  g_autofree char *rate = plain (porthole_format_rate (348160));
  g_autofree char *zero = porthole_format_rate (-1);
  g_autofree char *us = porthole_format_microseconds (85);
  g_autofree char *ms = porthole_format_microseconds (1250);
  g_autofree char *ago = porthole_format_ago_ms (125000);
  g_autofree char *now = porthole_format_ago_ms (400);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *text = plain (porthole_format_bytes (sizes[i].bytes));

      ck_assert_str_eq (text, sizes[i].text);
    }
  ck_assert_str_eq (rate, "340.0 KiB/s");
  ck_assert_str_eq (zero, "0 B/s");
  ck_assert_str_eq (us, "85 µs");
  ck_assert_str_eq (ms, "1.2 ms");
  ck_assert_str_eq (ago, "2 minutes ago");
  ck_assert_str_eq (now, "just now");
}
END_TEST

/* ---- counters in the cells, updated in place -------------------------------------------- */

START_TEST (test_counters_in_cells)
{
  Fixture *f = fixture_new ("connections");
  GListModel *model = porthole_socket_view_get_model (f->view);
  Pair p;
  PortholeSocket *client, *server;
  guint position, position_after, changes = 0;
  gulong handler;

  pair_open (&p);
  pump (p.client, p.server, 300000);
  pump (p.server, p.client, 5000);
  porthole_test_spin (50);   /* the last acknowledgements */
  refresh (f->monitor);
  client = find_row (model, p.client_port, "tcp", &position);
  server = find_row (model, p.listen_port, "tcp", NULL);
  ck_assert_ptr_nonnull (client);
  ck_assert_ptr_nonnull (server);
  ck_assert (porthole_socket_has_traffic (client));
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (client), 300000);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (client), 5000);
  {
    g_autofree char *sent = cell_text (f, client, PORTHOLE_CELL_SENT);
    g_autofree char *received = cell_text (f, client, PORTHOLE_CELL_RECEIVED);
    g_autofree char *server_sent = cell_text (f, server, PORTHOLE_CELL_SENT);
    g_autofree char *server_received = cell_text (f, server, PORTHOLE_CELL_RECEIVED);

    ck_assert_str_eq (sent, "293.0 KiB");
    ck_assert_str_eq (received, "4.9 KiB");
    ck_assert_str_eq (server_sent, "4.9 KiB");
    ck_assert_str_eq (server_received, "293.0 KiB");
    ck_assert (!cell_dim (f, client, PORTHOLE_CELL_SENT));
  }

  /* More bytes: the same row object, in the same place, with new figures; the view's model
   * says nothing (sorted by a column that does not depend on counters) */
  handler = g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
  pump (p.client, p.server, 2 * 1024 * 1024);
  porthole_test_spin (50);
  refresh (f->monitor);
  ck_assert_ptr_eq (find_row (model, p.client_port, "tcp", &position_after), client);
  ck_assert_uint_eq (position_after, position);
  ck_assert_uint_eq (changes, 0);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (client), 300000 + 2 * 1024 * 1024);
  {
    g_autofree char *sent = cell_text (f, client, PORTHOLE_CELL_SENT);
    g_autofree char *expected = plain (porthole_format_bytes (300000 + 2 * 1024 * 1024));
    g_autofree char *rate = cell_text (f, client, PORTHOLE_CELL_RATE);

    ck_assert_str_eq (sent, expected);
    ck_assert_str_eq (sent, "2.3 MiB");
    ck_assert_msg (g_str_has_suffix (rate, "/s") && !g_str_has_prefix (rate, "0 B"), "rate %s", rate);
    ck_assert (porthole_socket_get_rate (client) > 0);
  }
  /* Idle for a refresh: the rate falls to 0 and says so, dimmed */
  refresh (f->monitor);
  {
    g_autofree char *rate = cell_text (f, client, PORTHOLE_CELL_RATE);

    ck_assert_str_eq (rate, "0 B/s");
    ck_assert (cell_dim (f, client, PORTHOLE_CELL_RATE));
  }
  ck_assert_uint_eq (changes, 0);
  g_signal_handler_disconnect (model, handler);
  pair_close (&p);
  fixture_free (f);
}
END_TEST

/* ---- sorted by rate, re-sorted as rates change ------------------------------------------ */

static PortholeSocket *
first_row (GListModel *model)
{
  g_autoptr(PortholeSocket) s = g_list_model_get_item (model, 0);

  return s;   /* the model keeps it */
}

START_TEST (test_sort_by_rate)
{
  Fixture *f = fixture_new ("connections");
  GListModel *model = porthole_socket_view_get_model (f->view);
  Pair a, b;
  PortholeSocket *a_client, *b_client;

  pair_open (&a);
  pair_open (&b);
  refresh (f->monitor);
  a_client = find_row (model, a.client_port, "tcp", NULL);
  b_client = find_row (model, b.client_port, "tcp", NULL);
  ck_assert_ptr_nonnull (a_client);
  ck_assert_ptr_nonnull (b_client);
  ck_assert (porthole_socket_view_sort_by (f->view, "rate", TRUE));

  /* a moves: a's two ends first */
  pump (a.client, a.server, 1024 * 1024);
  porthole_test_spin (30);
  refresh (f->monitor);
  ck_assert_msg (porthole_socket_get_local_port (first_row (model)) == a.client_port ||
                 porthole_socket_get_local_port (first_row (model)) == a.listen_port,
                 "first row %s", porthole_socket_get_key (first_row (model)));

  /* now b moves and a rests: b first, without anything else telling the sorter */
  pump (b.client, b.server, 1024 * 1024);
  porthole_test_spin (30);
  refresh (f->monitor);
  ck_assert_msg (porthole_socket_get_local_port (first_row (model)) == b.client_port ||
                 porthole_socket_get_local_port (first_row (model)) == b.listen_port,
                 "first row %s", porthole_socket_get_key (first_row (model)));
  ck_assert (porthole_socket_get_rate (a_client) == 0);
  {
    g_autofree char *rate = cell_text (f, b_client, PORTHOLE_CELL_RATE);
    g_autofree char *expected = plain (porthole_format_rate (porthole_socket_get_rate (b_client)));

    ck_assert_str_eq (rate, expected);
  }

  /* By bytes sent, ascending: the idle ends first, the busy senders last; still in order after
   * the counters moved */
  ck_assert (porthole_socket_view_sort_by (f->view, "sent", FALSE));
  pump (a.server, a.client, 3 * 1024 * 1024);
  porthole_test_spin (30);
  refresh (f->monitor);
  {
    guint n = g_list_model_get_n_items (model);
    g_autoptr(PortholeSocket) last = g_list_model_get_item (model, n - 1);

    ck_assert_uint_eq (porthole_socket_get_local_port (last), a.listen_port);
    for (guint i = 1; i < n; i++)
      {
        g_autoptr(PortholeSocket) x = g_list_model_get_item (model, i - 1);
        g_autoptr(PortholeSocket) y = g_list_model_get_item (model, i);

        ck_assert_uint_le (porthole_socket_get_bytes_sent (x), porthole_socket_get_bytes_sent (y));
      }
  }
  pair_close (&a);
  pair_close (&b);
  fixture_free (f);
}
END_TEST

/* ---- UDP and TIME_WAIT rows ------------------------------------------------------------- */

START_TEST (test_no_counters)
{
  Fixture *f = fixture_new ("connections");
  GListModel *model = porthole_socket_view_get_model (f->view);
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int bound = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int connected = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  PortholeSocket *udp, *waiting;
  PortholeSocketDetails *details = porthole_socket_view_get_details (f->view);
  Pair p;

  ck_assert_int_eq (bind (bound, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (getsockname (bound, (struct sockaddr *) &sin, &len), 0);
  ck_assert_int_eq (connect (connected, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (send (connected, "hello", 5, 0), 5);
  /* a TCP connection whose client closed first: its end waits in TIME_WAIT, with no file */
  pair_open (&p);
  pump (p.client, p.server, 1000);
  close (p.client);
  p.client = -1;
  porthole_test_spin (50);
  close (p.server);
  p.server = -1;
  porthole_test_spin (50);
  refresh (f->monitor);

  udp = find_row (model, local_port (connected), "udp", NULL);
  ck_assert_ptr_nonnull (udp);
  for (PortholeCellKind k = PORTHOLE_CELL_SENT; k <= PORTHOLE_CELL_RATE; k++)
    {
      g_autofree char *text = cell_text (f, udp, k);

      ck_assert_str_eq (text, "TCP only");
      ck_assert (cell_dim (f, udp, k));
    }
  waiting = find_row (model, p.client_port, "tcp", NULL);
  ck_assert_ptr_nonnull (waiting);
  ck_assert_str_eq (porthole_socket_get_state (waiting), "TIME_WAIT");
  {
    g_autofree char *text = cell_text (f, waiting, PORTHOLE_CELL_SENT);

    ck_assert_str_eq (text, "—");
    ck_assert (cell_dim (f, waiting, PORTHOLE_CELL_SENT));
  }

  /* The details say why */
  ck_assert (porthole_socket_view_select (f->view, udp));
  porthole_test_spin (50);
  {
    g_autofree char *text = plain (porthole_traffic_section_get_text (porthole_socket_details_get_traffic (details)));

    ck_assert_msg (strstr (text, "The kernel keeps no byte counts for UDP") != NULL, "%s", text);
    ck_assert_msg (strstr (text, "Round trip") == NULL, "%s", text);
  }

  /* UDP sorts below every TCP count, busiest first */
  ck_assert (porthole_socket_view_sort_by (f->view, "received", TRUE));
  {
    guint n = g_list_model_get_n_items (model);
    g_autoptr(PortholeSocket) last = g_list_model_get_item (model, n - 1);

    ck_assert (!porthole_socket_has_traffic (last));
  }
  close (bound);
  close (connected);
  pair_close (&p);
  fixture_free (f);
}
END_TEST

/* ---- the details pane: counters, sparkline, health ----------------------------------------- */

START_TEST (test_details_traffic)
{
  Fixture *f = fixture_new ("connections");
  GListModel *model = porthole_socket_view_get_model (f->view);
  PortholeSocketDetails *details = porthole_socket_view_get_details (f->view);
  PortholeTrafficSection *section = porthole_socket_details_get_traffic (details);
  PortholeSparkline *sparkline = porthole_traffic_section_get_sparkline (section);
  PortholeSocket *client;
  Pair p;

  pair_open (&p);
  refresh (f->monitor);
  client = find_row (model, p.client_port, "tcp", NULL);
  ck_assert_ptr_nonnull (client);
  ck_assert (porthole_socket_view_select (f->view, client));
  for (guint i = 0; i < 3; i++)
    {
      pump (p.client, p.server, (i + 1) * 512 * 1024);
      pump (p.server, p.client, 1000);
      porthole_test_spin (30);
      refresh (f->monitor);
    }
  {
    g_autofree char *text = plain (porthole_traffic_section_get_text (section));
    g_autofree char *sent = plain (porthole_format_bytes (porthole_socket_get_bytes_sent (client)));

    ck_assert_uint_eq (porthole_socket_get_bytes_sent (client), 6 * 512 * 1024);
    ck_assert_msg (strstr (text, "Traffic\n") != NULL, "%s", text);
    ck_assert_msg (strstr (text, sent) != NULL, "%s", text);
    ck_assert_msg (strstr (text, "(3,145,728 bytes)") != NULL || strstr (text, "(3145728 bytes)") != NULL,
                   "%s", text);
    ck_assert_msg (strstr (text, "2.9 KiB") != NULL, "%s", text);
    /* TCP's health, each with what it means */
    ck_assert_msg (strstr (text, "Round trip\n") && strstr (text, "give or take"), "%s", text);
    ck_assert_msg (strstr (text, "its acknowledgement to come back"), "%s", text);
    ck_assert_msg (strstr (text, "Resent\nNone\n"), "%s", text);
    ck_assert_msg (strstr (text, "Window\n") && strstr (text, " segments\n"), "%s", text);
    ck_assert_msg (strstr (text, "Last sent\n") && strstr (text, "Last received\n"), "%s", text);
    ck_assert_msg (strstr (text, "Delivery\n"), "%s", text);
  }
  /* one sample per refresh since it first moved, scaled to the busiest */
  ck_assert_uint_ge (porthole_sparkline_get_n_values (sparkline), 3);
  ck_assert (porthole_sparkline_get_peak (sparkline) > 0);
  ck_assert_msg (g_str_has_prefix (porthole_sparkline_get_description (sparkline), "Now "), "%s",
                 porthole_sparkline_get_description (sparkline));

  /* A listener: what went through the connections it accepted */
  pair_close (&p);
  fixture_free (f);
}
END_TEST

/* ---- Listening: the traffic through each listener ---------------------------------------- */

START_TEST (test_listener_traffic)
{
  Fixture *f = fixture_new ("listening");
  GListModel *model = porthole_socket_view_get_model (f->view);
  PortholeSocketDetails *details = porthole_socket_view_get_details (f->view);
  PortholeSocket *listener;
  Pair p;

  pair_open (&p);
  refresh (f->monitor);
  listener = find_row (model, p.listen_port, "tcp", NULL);
  ck_assert_ptr_nonnull (listener);
  pump (p.client, p.server, 200000);
  pump (p.server, p.client, 100000);
  porthole_test_spin (30);
  refresh (f->monitor);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (listener), 200000);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (listener), 100000);
  {
    g_autofree char *text = cell_text (f, listener, PORTHOLE_CELL_TRAFFIC);

    ck_assert_str_eq (text, "293.0 KiB");
  }
  ck_assert (porthole_socket_view_select (f->view, listener));
  porthole_test_spin (30);
  {
    g_autofree char *text = plain (porthole_traffic_section_get_text (porthole_socket_details_get_traffic (details)));

    ck_assert_msg (strstr (text, "Traffic Through Its Connections\n"), "%s", text);
    ck_assert_msg (strstr (text, "Received\n195.3 KiB"), "%s", text);
    ck_assert_msg (strstr (text, "Round trip") == NULL, "%s", text);
  }
  pair_close (&p);
  fixture_free (f);
}
END_TEST

/* ---- Programs ------------------------------------------------------------------------------ */

typedef struct {
  GSubprocess      *proc;
  GDataInputStream *out;
  guint             port;
} Child;

/* tests/porthole-socket-child under @name, connected to 127.0.0.1:@port */
static Child *
child_connect (const char *name, guint port)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Child *c = g_new0 (Child, 1);

  c->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              g_getenv ("PORTHOLE_SOCKET_CHILD"), "--name", name, "--connect", port_text, NULL);
  ck_assert_msg (c->proc != NULL, "spawn: %s", error ? error->message : "");
  c->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->proc));
  line = g_data_input_stream_read_line_utf8 (c->out, NULL, NULL, &error);
  ck_assert_msg (line != NULL, "the child said nothing");
  c->port = atoi (line);
  g_free (g_data_input_stream_read_line_utf8 (c->out, NULL, NULL, NULL));   /* "ready" */
  return c;
}

static void
child_free (Child *c)
{
  g_subprocess_force_exit (c->proc);
  g_subprocess_wait (c->proc, NULL, NULL);
  g_clear_object (&c->out);
  g_clear_object (&c->proc);
  g_free (c);
}

static PortholeProgram *
find_program (GListModel *model, int pid, guint *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PortholeProgram) p = g_list_model_get_item (model, i);

      if (porthole_program_get_pid (p) == pid)
        {
          if (position)
            *position = i;
          return p;
        }
    }
  return NULL;
}

static PortholeProgramCell *
find_program_cell (GtkWidget *root, PortholeProgram *program, PortholeProgramCellKind kind)
{
  if (PORTHOLE_IS_PROGRAM_CELL (root) &&
      porthole_program_cell_get_program (PORTHOLE_PROGRAM_CELL (root)) == program &&
      porthole_program_cell_get_kind (PORTHOLE_PROGRAM_CELL (root)) == kind)
    return PORTHOLE_PROGRAM_CELL (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      PortholeProgramCell *found = find_program_cell (c, program, kind);

      if (found)
        return found;
    }
  return NULL;
}

static char *
program_text (GtkWidget *root, PortholeProgram *program, PortholeProgramCellKind kind)
{
  PortholeProgramCell *cell = find_program_cell (root, program, kind);

  ck_assert_msg (cell != NULL, "no cell %d for %s", kind, porthole_program_get_title (program));
  return plain (porthole_program_cell_get_text (cell));
}

static gboolean
no_control_characters (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return g_utf8_validate (text, -1, NULL);
}

START_TEST (test_programs_view)
{
  Fixture *f = fixture_new ("connections");
  PortholeProgramsView *programs = porthole_connections_page_get_programs_view (f->connections);
  GListModel *model = porthole_programs_view_get_model (programs);
  GListModel *connections = porthole_socket_view_get_model (f->view);
  /* a process name with an escape sequence and markup in it */
  const char *hostile = "ph-\033[31m<b>x";
  Child *child;
  PortholeProgram *mine, *theirs;
  guint position;
  Pair p;

  porthole_connections_page_show (f->connections, "programs");
  porthole_test_spin (50);
  /* Nothing has moved in this namespace yet */
  ck_assert_str_eq (porthole_programs_view_get_state (programs), "empty");

  pair_open (&p);
  child = child_connect (hostile, p.listen_port);
  {
    int accepted = accept4 (p.listener, NULL, NULL, SOCK_CLOEXEC);

    ck_assert_int_ge (accepted, 0);
    refresh (f->monitor);
    pump (p.client, p.server, 700000);
    pump (p.server, p.client, 300000);
    /* the child does not read: 50,000 bytes wait in its receive buffer, counted all the same */
    ck_assert_int_eq (send (accepted, memset (g_alloca (50000), 'y', 50000), 50000, 0), 50000);
    porthole_test_spin (50);
    refresh (f->monitor);
    ck_assert_str_eq (porthole_programs_view_get_state (programs), "table");

    mine = find_program (model, getpid (), &position);
    ck_assert_ptr_nonnull (mine);
    /* both ends are ours: 700,000 one way, 300,000 and 50,000 the other */
    ck_assert_uint_eq (porthole_program_get_bytes_sent (mine), 700000 + 300000 + 50000);
    ck_assert_uint_eq (porthole_program_get_bytes_received (mine), 700000 + 300000);
    ck_assert_uint_eq (position, 0);   /* the busiest */
    {
      g_autofree char *sent = program_text (GTK_WIDGET (programs), mine, PORTHOLE_PROGRAM_CELL_SENT);
      g_autofree char *received = program_text (GTK_WIDGET (programs), mine, PORTHOLE_PROGRAM_CELL_RECEIVED);
      g_autofree char *name = program_text (GTK_WIDGET (programs), mine, PORTHOLE_PROGRAM_CELL_NAME);
      g_autofree char *expected_name = g_strdup_printf ("%s %d", porthole_program_get_process (mine), getpid ());
      g_autofree char *count = program_text (GTK_WIDGET (programs), mine, PORTHOLE_PROGRAM_CELL_CONNECTIONS);
      PortholeProgramCell *history = find_program_cell (GTK_WIDGET (programs), mine, PORTHOLE_PROGRAM_CELL_HISTORY);

      ck_assert_str_eq (sent, "1.0 MiB");
      ck_assert_str_eq (received, "976.6 KiB");
      ck_assert_str_eq (name, expected_name);
      ck_assert_str_eq (count, "3");
      ck_assert_ptr_nonnull (history);
      ck_assert_uint_ge (porthole_sparkline_get_n_values (PORTHOLE_SPARKLINE (porthole_program_cell_get_sparkline (history))), 1);
    }

    theirs = find_program (model, atoi (g_subprocess_get_identifier (child->proc)), NULL);
    ck_assert_ptr_nonnull (theirs);
    ck_assert_uint_eq (porthole_program_get_bytes_received (theirs), 50000);
    {
      g_autofree char *name = program_text (GTK_WIDGET (programs), theirs, PORTHOLE_PROGRAM_CELL_NAME);
      PortholeProgramCell *cell = find_program_cell (GTK_WIDGET (programs), theirs, PORTHOLE_PROGRAM_CELL_NAME);
      GtkWidget *label = gtk_widget_get_first_child (GTK_WIDGET (cell));

      /* escaped by the model, shown as text, never as markup */
      ck_assert_msg (no_control_characters (name), "%s", name);
      ck_assert_msg (g_str_has_prefix (name, "ph-\\x1b[31m<b>x"), "%s", name);
      ck_assert (!gtk_label_get_use_markup (GTK_LABEL (label)));
    }

    /* A click on our row: the Connections view, with our connections only */
    porthole_programs_view_activate (programs, mine);
    ck_assert_str_eq (porthole_connections_page_get_shown (f->connections), "connections");
    ck_assert_ptr_eq (porthole_socket_view_get_program (f->view), mine);
    ck_assert_uint_eq (g_list_model_get_n_items (connections), 3);
    for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
      {
        g_autoptr(PortholeSocket) s = g_list_model_get_item (connections, i);

        ck_assert_int_eq (porthole_socket_get_pid (s), getpid ());
      }
    porthole_socket_view_show_program (f->view, NULL);
    /* the child's end (and what earlier tests left in TIME_WAIT) is back */
    ck_assert_ptr_nonnull (find_row (connections, child->port, "tcp", NULL));

    /* Idle: still listed with its totals, its rate at 0, ranked by what it moved */
    refresh (f->monitor);
    ck_assert (porthole_program_get_rate (mine) == 0);
    ck_assert_ptr_nonnull (find_program (model, getpid (), NULL));
    close (accepted);
  }
  child_free (child);
  pair_close (&p);
  fixture_free (f);
}
END_TEST

/* Both views of the Connections tab, their switch included, fit a phone-sized window */
START_TEST (test_narrow)
{
  Fixture *f = fixture_new ("connections");
  const char *views[] = { "connections", "programs" };

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      int min_width = 0;

      porthole_connections_page_show (f->connections, views[i]);
      porthole_test_spin (50);
      gtk_widget_measure (GTK_WIDGET (f->connections), GTK_ORIENTATION_HORIZONTAL, -1, &min_width,
                          NULL, NULL, NULL);
      g_printerr ("# %s: minimum width %d\n", views[i], min_width);
      ck_assert_msg (min_width <= 360, "%s needs %d px", views[i], min_width);
    }
  fixture_free (f);
}
END_TEST

static Suite *
traffic_views_suite (void)
{
  Suite *s = suite_create ("traffic-views");
  TCase *tc = tcase_create ("views");
  g_autofree char *reason = NULL;

  /* Before any thread exists: every thread, the monitor's workers included, must live in the
   * private namespace */
  if (!porthole_test_enter_netns (&reason))
    g_error ("no private network namespace: %s", reason);
  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_units);
  tcase_add_test (tc, test_counters_in_cells);
  tcase_add_test (tc, test_sort_by_rate);
  tcase_add_test (tc, test_no_counters);
  tcase_add_test (tc, test_details_traffic);
  tcase_add_test (tc, test_listener_traffic);
  tcase_add_test (tc, test_programs_view);
  tcase_add_test (tc, test_narrow);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (traffic_views_suite)
