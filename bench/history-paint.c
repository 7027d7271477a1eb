/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The History tab's first paint (bench/journal.sh): the page in a window over the journal
 * given, showing the last month; prints the milliseconds from asking for the history until
 * the frame that shows the timeline has been painted, and the bars it holds.
 * Usage: bench-history-paint JOURNAL */
#include "config.h"

#include "porthole-history-page.h"
#include "porthole-history-timeline.h"

#include <adwaita.h>
#include <stdio.h>

typedef struct {
  PortholeHistoryPage *page;
  GMainLoop           *loop;
  gint64               start;
  gint64               painted;
} Bench;

static GtkWidget *
find (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find (c, type);

      if (found)
        return found;
    }
  return NULL;
}

static void
on_after_paint (GdkFrameClock *clock, Bench *b)
{
  if (b->painted == 0 && g_strcmp0 (porthole_history_page_get_state (b->page), "timeline") == 0)
    {
      b->painted = g_get_monotonic_time ();
      g_main_loop_quit (b->loop);
    }
}

static gboolean
on_timeout (gpointer data)
{
  g_main_loop_quit (((Bench *) data)->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholeRecorder) recorder = NULL;
  GtkWindow *window;
  GtkDropDown *span;
  Bench b = { 0 };

  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-history-paint JOURNAL\n");
      return 2;
    }
  gtk_init ();
  adw_init ();
  monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, NULL);
  recorder = porthole_recorder_new (monitor, argv[1]);   /* not started: only read */
  b.page = g_object_new (PORTHOLE_TYPE_HISTORY_PAGE, NULL);
  b.loop = g_main_loop_new (NULL, FALSE);
  span = GTK_DROP_DOWN (find (GTK_WIDGET (b.page), GTK_TYPE_DROP_DOWN));
  gtk_drop_down_set_selected (span, 3);   /* the last month */
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 700);
  gtk_window_set_child (window, GTK_WIDGET (b.page));
  gtk_window_present (window);
  /* the window is up; now the history is asked for */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), &b);
  b.start = g_get_monotonic_time ();
  porthole_history_page_set_recorder (b.page, recorder);
  g_timeout_add_seconds (30, on_timeout, &b);
  g_main_loop_run (b.loop);
  if (b.painted == 0)
    {
      fprintf (stderr, "bench-history-paint: no timeline after 30 s (%s)\n",
               porthole_history_page_get_state (b.page));
      return 1;
    }
  printf ("%.1f %u\n", (b.painted - b.start) / 1000.0,
          porthole_history_timeline_get_n_bars (PORTHOLE_HISTORY_TIMELINE (
            find (GTK_WIDGET (b.page), PORTHOLE_TYPE_HISTORY_TIMELINE))));
  gtk_window_destroy (window);
  return 0;
}
