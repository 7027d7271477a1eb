/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-history-page"
#include "config.h"

#include "porthole-history-page.h"
#include "porthole-history-summary.h"
#include "porthole-history-timeline.h"
#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-test-peer.h"

#include <adwaita.h>
#include <string.h>

/* The History tab on a real journal file: the empty state, the timeline by port and by
 * program, the search (a port, a program, a day, nothing found) and a journal it cannot read.
 * PORTHOLE_SCREENSHOT_DIR=dir saves the timeline as history.png (and history-dark.png). */

#define US_PER_HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static char *
temp_journal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("porthole-history-page-XXXXXX", &error);

  ck_assert_msg (dir != NULL, "%s", error ? error->message : "");
  return g_build_filename (dir, "journal.sqlite3", NULL);
}

static void
add (PortholeJournalBatch *batch, guint port, const char *process, gint64 opened, gint64 closed)
{
  static guint64 inode = 1000;
  PortholeJournalListener *l = porthole_journal_listener_new ();

  l->protocol = g_strdup ("tcp");
  l->family = g_strdup ("ipv4");
  l->address = g_strdup ("127.0.0.1");
  l->port = port;
  l->inode = ++inode;
  l->opened = opened;
  l->closed = closed;
  l->process = g_strdup (process);
  g_ptr_array_add (batch->opened, l);
}

/* A day of a developer's machine: postgres all along, a web server restarted, test servers
 * that came and went, and yesterday's python http.server */
static void
fill_journal (const char *path, gint64 now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeJournal) journal = porthole_journal_open_writer (path, NULL, &error);
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (today),
                                                          g_date_time_get_month (today),
                                                          g_date_time_get_day_of_month (today),
                                                          0, 0, 0);
  gint64 yesterday_noon = (g_date_time_to_unix (midnight) - 12 * 3600) * G_USEC_PER_SEC;

  ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
  batch->time = now;
  add (batch, 5432, "postgres", now - 30 * US_PER_HOUR, 0);
  add (batch, 8080, "node", now - 20 * US_PER_HOUR, now - 9 * US_PER_HOUR);
  add (batch, 8080, "node", now - 9 * US_PER_HOUR + 60 * G_GINT64_CONSTANT (1000000), 0);
  add (batch, 3000, "ruby", now - 7 * US_PER_HOUR, now - 5 * US_PER_HOUR);
  add (batch, 9000, "porthole-cli", now - 3 * US_PER_HOUR, now - 2 * US_PER_HOUR);
  add (batch, 9000, "porthole-cli", now - 90 * 60 * G_GINT64_CONSTANT (1000000), now - 30 * 60 * G_GINT64_CONSTANT (1000000));
  add (batch, 631, "cupsd", now - 30 * US_PER_HOUR, 0);
  add (batch, 6379, "redis-server", now - 15 * US_PER_HOUR, now - 14 * US_PER_HOUR);
  add (batch, 8000, "python3", yesterday_noon, yesterday_noon + US_PER_HOUR);
  add (batch, 1716, "kdeconnectd\x1b[31m", now - 4 * US_PER_HOUR, 0);
  ck_assert_msg (porthole_journal_write (journal, batch, NULL, &error), "%s",
                 error ? error->message : "");
}

typedef struct {
  PortholeSocketMonitor *monitor;
  PortholeRecorder      *recorder;
  PortholeHistoryPage   *page;
  GtkWindow             *window;
} Fixture;

static void
fixture_init (Fixture *f, const char *path)
{
  f->monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, NULL);
  /* not started: the page only reads its journal */
  f->recorder = porthole_recorder_new (f->monitor, path);
  f->page = g_object_new (PORTHOLE_TYPE_HISTORY_PAGE, NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 560);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  porthole_history_page_set_recorder (f->page, f->recorder);
}

static void
fixture_clear (Fixture *f)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->recorder);
  g_clear_object (&f->monitor);
  porthole_test_spin (50);
}

/* Waits for the query in flight to land */
static const char *
settle (Fixture *f)
{
  for (guint i = 0; i < 300 && strcmp (porthole_history_page_get_state (f->page), "loading") == 0; i++)
    porthole_test_spin (10);
  porthole_test_spin (100);
  return porthole_history_page_get_state (f->page);
}

static void
search (Fixture *f, const char *text)
{
  GtkWidget *entry = porthole_test_find_widget (GTK_WIDGET (f->page), GTK_TYPE_SEARCH_ENTRY, 0);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  porthole_history_page_reload (f->page);   /* the entry's own signal waits 150 ms */
}

static GtkDropDown *
dropdown (Fixture *f, guint nth)
{
  return GTK_DROP_DOWN (porthole_test_find_widget (GTK_WIDGET (f->page), GTK_TYPE_DROP_DOWN, nth));
}

static PortholeHistoryTimeline *
timeline (Fixture *f)
{
  return PORTHOLE_HISTORY_TIMELINE (porthole_test_find_widget (GTK_WIDGET (f->page),
                                                               PORTHOLE_TYPE_HISTORY_TIMELINE, 0));
}

static void
save_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("PORTHOLE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  ck_assert (node != NULL);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_build_filename (dir, name, NULL);
  ck_assert (gdk_texture_save_to_png (texture, path));
}

START_TEST (test_empty)
{
  g_autofree char *path = temp_journal ();
  Fixture f;

  fixture_init (&f, path);
  ck_assert_str_eq (settle (&f), "empty");
  search (&f, "8080");
  ck_assert_str_eq (settle (&f), "nothing");
  fixture_clear (&f);
}
END_TEST

START_TEST (test_timeline)
{
  g_autofree char *path = temp_journal ();
  gint64 now = g_get_real_time ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  Fixture f;

  fill_journal (path, now);
  fixture_init (&f, path);
  ck_assert_str_eq (settle (&f), "timeline");
  /* the last day, by port: 5432, 8080, 3000, 9000, 631, 6379, 1716 (not yesterday noon's 8000
   * when "now" is past noon... it is older than a day only when now is past noon) */
  ck_assert_msg (porthole_history_timeline_get_n_lanes (timeline (&f)) >= 7, "%u lanes, %u bars",
                 porthole_history_timeline_get_n_lanes (timeline (&f)),
                 porthole_history_timeline_get_n_bars (timeline (&f)));
  gtk_drop_down_set_selected (dropdown (&f, 1), 1);   /* by program */
  porthole_test_spin (50);
  ck_assert_uint_ge (porthole_history_timeline_get_n_lanes (timeline (&f)), 7);
  gtk_drop_down_set_selected (dropdown (&f, 1), 0);
  gtk_drop_down_set_selected (dropdown (&f, 0), 3);   /* the last month: everything */
  ck_assert_str_eq (settle (&f), "timeline");
  ck_assert_uint_eq (porthole_history_timeline_get_n_lanes (timeline (&f)), 8);
  ck_assert_uint_eq (porthole_history_timeline_get_n_bars (timeline (&f)), 10);
  /* the screenshots: the last day */
  gtk_drop_down_set_selected (dropdown (&f, 0), 1);
  ck_assert_str_eq (settle (&f), "timeline");
  porthole_test_spin (200);
  save_screenshot (GTK_WIDGET (f.window), "history.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  porthole_test_spin (300);
  save_screenshot (GTK_WIDGET (f.window), "history-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_drop_down_set_selected (dropdown (&f, 0), 3);

  search (&f, "8080");
  ck_assert_str_eq (settle (&f), "timeline");
  ck_assert_uint_eq (porthole_history_timeline_get_n_lanes (timeline (&f)), 1);
  ck_assert_uint_eq (porthole_history_timeline_get_n_bars (timeline (&f)), 2);
  search (&f, "postgres");
  ck_assert_str_eq (settle (&f), "timeline");
  ck_assert_uint_eq (porthole_history_timeline_get_n_bars (timeline (&f)), 1);
  search (&f, "yesterday");   /* the whole of yesterday: python3, and what was open then */
  ck_assert_str_eq (settle (&f), "timeline");
  ck_assert_uint_ge (porthole_history_timeline_get_n_bars (timeline (&f)), 1);
  search (&f, "python3 yesterday");
  ck_assert_str_eq (settle (&f), "timeline");
  ck_assert_uint_eq (porthole_history_timeline_get_n_bars (timeline (&f)), 1);
  search (&f, "no-such-program");
  ck_assert_str_eq (settle (&f), "nothing");
  fixture_clear (&f);
}
END_TEST

START_TEST (test_unreadable)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *dir = g_path_get_dirname (path);
  Fixture f;

  g_mkdir_with_parents (dir, 0700);
  ck_assert (g_file_set_contents (path, "this is not a database, not at all, and it is long "
                                        "enough to be read as one by SQLite's header check", -1,
                                  NULL));
  fixture_init (&f, path);
  ck_assert_str_eq (settle (&f), "error");
  fixture_clear (&f);
}
END_TEST

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, NULL);
  *(gboolean *) data = TRUE;
}

START_TEST (test_summary)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeSocketMonitor) monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR,
                                                           "refresh-interval", 0, NULL);
  g_autoptr(PortholeRecorder) recorder = porthole_recorder_new (monitor, path);
  PortholeHistorySummary *summary = PORTHOLE_HISTORY_SUMMARY (porthole_history_summary_new ());
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  gint64 now = g_get_real_time ();
  PortholeSocket *socket;
  gboolean done = FALSE;
  guint16 port;
  int fd = porthole_test_listener ("127.0.0.1", &port, 4);
  const char *text;

  /* the journal knows two programs that held this port before */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PortholeJournal) journal = porthole_journal_open_writer (path, NULL, &error);
    g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();

    ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
    batch->time = now;
    add (batch, port, "python3", now - 48 * US_PER_HOUR, now - 47 * US_PER_HOUR);
    add (batch, port, "it's \"ruby\"", now - 5 * US_PER_HOUR, now - 4 * US_PER_HOUR);
    ck_assert (porthole_journal_write (journal, batch, NULL, &error));
  }
  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done);
  ck_assert (porthole_test_wait_for (&done, 10000));
  socket = porthole_socket_monitor_find_listener (monitor, port, "tcp");
  ck_assert (socket != NULL);

  gtk_window_set_child (window, GTK_WIDGET (summary));
  gtk_window_present (window);
  ck_assert_ptr_null (porthole_history_summary_get_text (summary));
  porthole_history_summary_set_recorder (summary, recorder);
  porthole_history_summary_set_socket (summary, socket);
  for (guint i = 0; i < 300 && porthole_history_summary_get_text (summary) == NULL; i++)
    porthole_test_spin (10);
  text = porthole_history_summary_get_text (summary);
  ck_assert_msg (text != NULL, "nothing shown");
  ck_assert_msg (strstr (text, "last seen 2") != NULL && strstr (text, "first seen") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "also held by it's \"ruby\", python3") != NULL, "%s", text);
  /* a connection (not a listener) says nothing */
  porthole_history_summary_set_socket (summary, NULL);
  ck_assert_ptr_null (porthole_history_summary_get_text (summary));
  gtk_window_destroy (window);
  close (fd);
}
END_TEST

static Suite *
history_page_suite (void)
{
  Suite *s = suite_create ("history-page");
  TCase *tc = tcase_create ("gui");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_empty);
  tcase_add_test (tc, test_timeline);
  tcase_add_test (tc, test_unreadable);
  tcase_add_test (tc, test_summary);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr;
  int failed;

  gtk_init ();
  adw_init ();
  sr = srunner_create (history_page_suite ());
  srunner_set_fork_status (sr, CK_NOFORK);
  srunner_set_tap (sr, "/dev/stdout");
  srunner_run_all (sr, CK_SILENT);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
