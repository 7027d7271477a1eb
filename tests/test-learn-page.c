/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-learn-page"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sockets.h"
#include "porthole-learn-examples.h"
#include "porthole-learn-page-private.h"
#include "porthole-port-line-private.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

/* The sections and the core functions that compute their examples (test-learn-examples) */
static const struct {
  const char *name;
  void      (*example) (PortholeSocketMonitor *monitor, PortholeLearnExample *out);
} sections[] = {
  { "addresses", porthole_learn_example_addresses },
  { "ranges", porthole_learn_example_ranges },
  { "ephemeral", porthole_learn_example_ephemeral },
  { "tuple", porthole_learn_example_tuple },
  { "limits", porthole_learn_example_limits },
  { "spaces", porthole_learn_example_port_spaces },
};

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error),
                 "%s", error ? error->message : "");
  *(gboolean *) data = TRUE;
}

static void
refresh (PortholeSocketMonitor *monitor)
{
  gboolean done = FALSE;

  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done);
  ck_assert (porthole_test_wait_for (&done, 10000));
  /* Let idle updates (accessible description, sections) run */
  porthole_test_spin (50);
}

static PortholeSocketMonitor *
live_monitor (void)
{
  return g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, "linger", 0, NULL);
}

static PortholeSocketMonitor *
empty_monitor (void)
{
  g_autofree char *root = porthole_test_fixture ("procnet-empty");
  PortholeSocketMonitor *monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "proc-root", root,
                                                 "force-proc", TRUE, "refresh-interval", 0,
                                                 "linger", 0, NULL);

  refresh (monitor);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (monitor)), 0);
  return monitor;
}

/* Sockets in the monitor of process @pid (any when < 0) on local port @port (any when < 0) */
static guint
count_sockets (PortholeSocketMonitor *monitor, int pid, int port)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (monitor)); i++)
    {
      g_autoptr(PortholeSocket) socket = g_list_model_get_item (G_LIST_MODEL (monitor), i);

      n += (pid < 0 || porthole_socket_get_pid (socket) == pid) &&
           (port < 0 || (int) porthole_socket_get_local_port (socket) == port);
    }
  return n;
}

static void
read_sysctl_range (guint *lo, guint *hi)
{
  g_autofree char *contents = NULL;

  ck_assert (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &contents, NULL, NULL));
  ck_assert_int_eq (sscanf (contents, "%u %u", lo, hi), 2);
}

static GtkWindow *
show_in_window (GtkWidget *child, int width)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, 700);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  porthole_test_spin (200);
  return window;
}

START_TEST (test_ticks_follow_child)
{
  g_autoptr(PortholeSocketMonitor) monitor = live_monitor ();
  PortholePortLine *line = PORTHOLE_PORT_LINE (porthole_port_line_new ());
  GtkWindow *window = show_in_window (GTK_WIDGET (line), 800);
  g_autofree char *reason = NULL;
  g_autofree char *range = NULL;
  PortholeTestSockets child;
  const PortholePortTick *t;
  guint lo, hi;
  int child_pid;

  porthole_port_line_set_monitor (line, monitor);
  ck_assert_msg (porthole_test_sockets_spawn (&child, "learn-ticks", &reason), "%s", reason);
  refresh (monitor);
  guint16 listeners[] = { child.tcp4_port, child.tcp6_port, child.udp4_port, child.udp6_port };

  /* Listeners (TCP and bound UDP) above the line, the client end of the pair below it */
  for (gsize i = 0; i < G_N_ELEMENTS (listeners); i++)
    {
      t = porthole_port_line_find_tick (line, listeners[i]);
      ck_assert_msg (t != NULL, "no tick for %u", listeners[i]);
      ck_assert_int_eq (t->kind, PORTHOLE_PORT_TICK_LISTENER);
    }
  ck_assert (porthole_port_line_find_tick (line, child.tcp4_port)->tcp);
  ck_assert (porthole_port_line_find_tick (line, child.udp4_port)->udp);
  /* The listener and its accepted connection share one tick */
  ck_assert_uint_ge (porthole_port_line_find_tick (line, child.tcp4_port)->n_sockets, 2);
  t = porthole_port_line_find_tick (line, child.client_port);
  ck_assert (t != NULL);
  ck_assert_int_eq (t->kind, PORTHOLE_PORT_TICK_CONNECTION);

  /* The accessible description states the live ephemeral range */
  read_sysctl_range (&lo, &hi);
  range = g_strdup_printf ("ephemeral ports from %u to %u", lo, hi);
  ck_assert_msg (strstr (porthole_port_line_get_summary (line), range) != NULL, "%s",
                 porthole_port_line_get_summary (line));

  /* Right and Left walk the open ports, in order, from the selection */
  porthole_port_line_set_selected_port (line, child.tcp4_port);
  {
    guint n, next = 0;
    const PortholePortTick *ticks = porthole_port_line_get_ticks (line, &n);

    for (guint i = 0; i < n && next == 0; i++)
      if (ticks[i].port > child.tcp4_port)
        next = ticks[i].port;
    porthole_port_line_step (line, 1);
    ck_assert_int_eq (porthole_port_line_get_selected_port (line), next ? (int) next : ticks[0].port);
    porthole_port_line_step (line, -1);
    ck_assert_int_eq (porthole_port_line_get_selected_port (line), child.tcp4_port);
  }

  child_pid = child.pid;
  ck_assert_uint_ge (count_sockets (monitor, child_pid, -1), 6);
  porthole_test_sockets_release (&child);
  refresh (monitor);
  ck_assert_uint_eq (count_sockets (monitor, child_pid, -1), 0);
  /* The child's ticks are gone; other tests run alongside, so one of their sockets may have
   * been given the same port number since: then the tick must be theirs */
  for (gsize i = 1; i < G_N_ELEMENTS (listeners); i++)
    ck_assert_msg (porthole_port_line_find_tick (line, listeners[i]) == NULL ||
                   count_sockets (monitor, -1, listeners[i]) > 0, "port %u", listeners[i]);
  /* The pair's ends may linger in TIME_WAIT: still in use by a connection, but nothing listens */
  t = porthole_port_line_find_tick (line, child.tcp4_port);
  ck_assert (t == NULL || t->kind == PORTHOLE_PORT_TICK_CONNECTION);
  t = porthole_port_line_find_tick (line, child.client_port);
  ck_assert (t == NULL || t->kind == PORTHOLE_PORT_TICK_CONNECTION);

  gtk_window_destroy (window);
}
END_TEST

START_TEST (test_geometry_and_pick)
{
  static const guint ports[] = { 0, 1, 1023, 1024, 32768, 49151, 49152, 60999, 65535 };
  PortholePortTick ticks[G_N_ELEMENTS (ports)];

  for (int width = 260; width <= 1200; width += 470)
    {
      double last = -1;

      /* Monotonic, inside the widget, and 0-1023 far wider than a linear scale would make it */
      for (gsize i = 0; i < G_N_ELEMENTS (ports); i++)
        {
          double x = porthole_port_line_x (width, ports[i]);

          ck_assert (x > last && x >= 0 && x <= width);
          last = x;
        }
      ck_assert (porthole_port_line_x (width, 1024) - porthole_port_line_x (width, 0) > width * 0.15);

      /* With no tick near, a click means the port under the pointer */
      for (gsize i = 0; i < G_N_ELEMENTS (ports); i++)
        {
          double x = porthole_port_line_x (width, ports[i]) + 1e-4;
          int picked = porthole_port_line_pick (width, NULL, 0, x);

          /* The picked port's cell holds x */
          ck_assert_msg (picked >= 0 && porthole_port_line_x (width, (guint) picked) <= x &&
                         x < porthole_port_line_x (width, (guint) picked + 1) &&
                         ABS (picked - (int) ports[i]) < 20,
                         "width %d port %u picked %d", width, ports[i], picked);
        }
      ck_assert_int_eq (porthole_port_line_pick (width, NULL, 0, -20), -1);

      /* A tick a few pixels away wins over the port under the pointer */
      for (gsize i = 0; i < G_N_ELEMENTS (ports); i++)
        ticks[i] = (PortholePortTick) { .port = (guint16) ports[i], .kind = PORTHOLE_PORT_TICK_LISTENER };
      ck_assert_int_eq (porthole_port_line_pick (width, ticks + 4, 1, porthole_port_line_x (width, 32768) + 3), 32768);
    }
}
END_TEST

/* Every section is shown with its text; @examples: each has an example too */
static void
assert_sections_render (PortholeLearnPage *page, gboolean examples)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      PortholeLearnSection *s = porthole_learn_page_get_section (page, sections[i].name);

      ck_assert (s != NULL);
      ck_assert_uint_gt (strlen (porthole_learn_section_get_text (s)), 100);
      ck_assert_msg ((strlen (porthole_learn_section_get_example (s)) > 20) == examples, "%s: “%s”",
                     sections[i].name, porthole_learn_section_get_example (s));
      ck_assert (gtk_widget_get_mapped (GTK_WIDGET (s)));
    }
}

/* The page shows what the core computes from its monitor, and the Test tab button when the
 * core says there is nothing to show; the texts themselves are checked in test-learn-examples */
static void
assert_sections_show (PortholeLearnPage *page, PortholeSocketMonitor *monitor)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      PortholeLearnSection *s = porthole_learn_page_get_section (page, sections[i].name);
      PortholeLearnExample ex = { 0 };

      sections[i].example (monitor, &ex);
      ck_assert_str_eq (porthole_learn_section_get_example (s), ex.example);
      ck_assert_str_eq (porthole_learn_section_get_detail (s), ex.detail ? ex.detail : "");
      if (ex.offer_test)
        ck_assert_str_eq (porthole_learn_section_get_button (s), "Open the Test Tab");
      else
        ck_assert_ptr_null (porthole_learn_section_get_button (s));
      porthole_learn_example_clear (&ex);
    }
}

START_TEST (test_sections_real_data)
{
  g_autoptr(PortholeSocketMonitor) monitor = live_monitor ();
  PortholeLearnPage *page = g_object_new (PORTHOLE_TYPE_LEARN_PAGE, NULL);
  GtkWindow *window = show_in_window (GTK_WIDGET (page), 1000);
  g_autofree char *reason = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *dump = NULL;
  PortholeTestSockets child;

  ck_assert_msg (porthole_test_sockets_spawn (&child, "learn-page", &reason), "%s", reason);
  porthole_learn_page_set_monitor (page, monitor);
  refresh (monitor);
  porthole_learn_page_update_now (page);
  assert_sections_render (page, TRUE);
  assert_sections_show (page, monitor);
  /* The child's client connection exists, so a real one is shown, not the Test tab button */
  ck_assert_ptr_null (porthole_learn_section_get_button (porthole_learn_page_get_section (page, "ephemeral")));
  ck_assert_ptr_null (porthole_learn_section_get_button (porthole_learn_page_get_section (page, "tuple")));

  /* The lookup sees the child's listener; a tick activated on the line is looked up */
  port_text = g_strdup_printf ("%u", child.tcp4_port);
  g_signal_emit_by_name (porthole_learn_page_get_port_line (page), "port-activated", (guint) child.tcp4_port);
  dump = porthole_port_lookup_widget_dump (porthole_learn_page_get_lookup (page));
  ck_assert_msg (strstr (dump, port_text) != NULL && strstr (dump, "Listening here now") != NULL &&
                 strstr (dump, "[Show in Listening]") != NULL, "%s", dump);
  ck_assert (strstr (porthole_learn_page_get_legend (page), "Open right now: ") != NULL);

  porthole_test_sockets_release (&child);
  gtk_window_destroy (window);
}
END_TEST

START_TEST (test_sections_no_data)
{
  g_autoptr(PortholeSocketMonitor) monitor = empty_monitor ();
  PortholeLearnPage *page = g_object_new (PORTHOLE_TYPE_LEARN_PAGE, NULL);
  GtkWindow *window = show_in_window (GTK_WIDGET (page), 360);
  guint n;

  /* Before any monitor: the explanations, and no example (there is no computer to take one from) */
  assert_sections_render (page, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    ck_assert_ptr_null (porthole_learn_section_get_button (porthole_learn_page_get_section (page, sections[i].name)));

  /* With one that holds no socket at all */
  porthole_learn_page_set_monitor (page, monitor);
  porthole_test_spin (50);
  assert_sections_render (page, TRUE);
  assert_sections_show (page, monitor);
  ck_assert_uint_eq ((porthole_port_line_get_ticks (porthole_learn_page_get_port_line (page), &n), n), 0);
  ck_assert (strstr (porthole_port_line_get_summary (porthole_learn_page_get_port_line (page)),
                     "0 ports are open") != NULL);
  /* No connection: a way to the Test tab to make one */
  ck_assert_str_eq (porthole_learn_section_get_button (porthole_learn_page_get_section (page, "ephemeral")),
                    "Open the Test Tab");
  ck_assert_str_eq (porthole_learn_section_get_button (porthole_learn_page_get_section (page, "tuple")),
                    "Open the Test Tab");

  gtk_window_destroy (window);
}
END_TEST

START_TEST (test_lookup_input)
{
  g_autoptr(PortholeSocketMonitor) monitor = empty_monitor ();
  PortholeLearnPage *page = g_object_new (PORTHOLE_TYPE_LEARN_PAGE, NULL);
  GtkWindow *window = show_in_window (GTK_WIDGET (page), 800);
  PortholePortLookup *lookup = porthole_learn_page_get_lookup (page);
  static const struct { const char *text; const char *needle; } bad[] = {
    { "65536", "65536" }, { "-1", "negative" }, { "letters", "letters" },
    { "123456789012345678901234567890", "above 65535" },
  };

  porthole_learn_page_set_monitor (page, monitor);
  porthole_port_lookup_widget_set_text (lookup, "postgresql");
  {
    g_autofree char *dump = porthole_port_lookup_widget_dump (lookup);

    ck_assert (porthole_port_lookup_widget_get_error (lookup) == NULL);
    ck_assert_msg (strstr (dump, "Port 5432: Registered (1024–49151)") != NULL, "%s", dump);
    /* The parts of porthole-cli explain's paragraph, one row each (test-port-info checks them) */
    ck_assert (strstr (dump, "Not privileged here\nOn this system it is not privileged") != NULL);
    ck_assert (strstr (dump, "Outside the ephemeral range here\nIt is outside") != NULL);
    ck_assert (strstr (dump, "Known services\n") != NULL);
    ck_assert (strstr (dump, "postgresql/tcp") != NULL);
    ck_assert (strstr (dump, "Nothing listens on port 5432") != NULL);
    ck_assert (strstr (dump, "[Show in Listening]") == NULL);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *dump = NULL;

      porthole_port_lookup_widget_set_text (lookup, bad[i].text);
      ck_assert (porthole_port_lookup_widget_get_error (lookup) != NULL);
      ck_assert_msg (strstr (porthole_port_lookup_widget_get_error (lookup), bad[i].needle) != NULL, "%s",
                     porthole_port_lookup_widget_get_error (lookup));
      dump = porthole_port_lookup_widget_dump (lookup);
      ck_assert_str_eq (dump, "");
    }
  porthole_port_lookup_widget_set_text (lookup, "");
  ck_assert (porthole_port_lookup_widget_get_error (lookup) == NULL);

  gtk_window_destroy (window);
}
END_TEST

static Suite *
learn_page_suite (void)
{
  Suite *s = suite_create ("learn-page");
  TCase *tc = tcase_create ("gui");

  adw_init ();
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_ticks_follow_child);
  tcase_add_test (tc, test_geometry_and_pick);
  tcase_add_test (tc, test_sections_real_data);
  tcase_add_test (tc, test_sections_no_data);
  tcase_add_test (tc, test_lookup_input);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (learn_page_suite)
