/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Main-thread cost of a socket-table refresh with the real window: the app's shared monitor
 * feeding the Listening and Connections pages (filter, sort, selection, cells). Run by
 * bench/ui-refresh.sh inside a private network namespace full of sockets.
 *
 * For each refresh it reports the main thread's CPU time (CLOCK_THREAD_CPUTIME_ID) from the
 * request to the completion callback, which covers applying the change list and every
 * synchronous items-changed handler (filter and sort models, selection, bound cells), and
 * the same plus the frames drawn in the next 200 ms, less what an idle 200 ms costs. It counts
 * the monitor's items-changed emissions, and prints the process's RSS.
 *
 * With --views-only the window holds just the Listening and Connections pages (a GtkStack
 * showing Listening, as the app does), so their cost is seen apart from the other tabs'.
 *
 * With PORTHOLE_BENCH_HOLDER set (the pid of bench/sockets.py), it then turns that holder's
 * traffic on (about 10% of the sockets move each second) and times refreshes a second apart:
 * counters updated in place, "traffic-changed", the programs, and the bound cells; with
 * --views-only also with Connections shown sorted by rate (re-sorted each refresh) and with
 * the Programs view shown.
 *
 * Usage: bench-ui-refresh [--views-only] [REPEATS] */
#define G_LOG_DOMAIN "bench-ui-refresh"
#include "config.h"

#include "porthole-application.h"
#include "porthole-connections-page.h"
#include "porthole-listening-page.h"
#include "porthole-window.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <malloc.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SETTLE_MS 200

static guint items_changed;
static guint traffic_sockets;

static void
on_traffic_changed (PortholeSocketMonitor *monitor, GPtrArray *sockets, gpointer data)
{
  traffic_sockets += sockets->len;
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  items_changed++;
}

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  double *done_at = data;

  porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, NULL);
  *done_at = thread_cpu_ms ();
}

typedef struct {
  double apply_ms;     /* request to callback */
  double total_ms;     /* plus the next frames, less idle */
  guint  signals;
} Sample;

static Sample
timed_refresh (PortholeSocketMonitor *monitor, double idle_ms)
{
  Sample s;
  double done_at = -1, t0, t2;

  items_changed = 0;
  t0 = thread_cpu_ms ();
  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done_at);
  while (done_at < 0)
    g_main_context_iteration (NULL, TRUE);
  s.apply_ms = done_at - t0;
  spin (SETTLE_MS);
  t2 = thread_cpu_ms ();
  s.total_ms = MAX (0, t2 - t0 - idle_ms);
  s.signals = items_changed;
  return s;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what, Sample *samples, guint n)
{
  double apply[64], total[64];
  guint signals = 0;

  for (guint i = 0; i < n; i++)
    {
      apply[i] = samples[i].apply_ms;
      total[i] = samples[i].total_ms;
      signals += samples[i].signals;
    }
  qsort (apply, n, sizeof (double), cmp_double);
  qsort (total, n, sizeof (double), cmp_double);
  printf ("  %-22s main thread: apply median %7.2f ms (max %7.2f), with frames median %7.2f ms; items-changed %u per refresh\n",
          what, apply[n / 2], apply[n - 1], total[n / 2], signals / n);
}

/* RSS split three ways: the anonymous memory that is the app's own (heap, GTK's caches), and
 * of the file-backed rest, the share of Mesa's software GL (libLLVM, swrast), which GDK's X11
 * backend maps at start-up to choose a visual and which Xvfb makes the LLVM rasteriser */
static char *
rss_text (void)
{
  g_autofree char *smaps = NULL;
  g_auto(GStrv) lines = NULL;
  long total = 0, anon = 0, mesa = 0;
  gboolean in_mesa = FALSE;

  if (!g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
    return g_strdup ("?");
  lines = g_strsplit (smaps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];

      if (g_ascii_isxdigit (l[0]) && strchr (l, '-') != NULL && strchr (l, ' ') > strchr (l, '-'))
        in_mesa = strstr (l, "libLLVM") != NULL || strstr (l, "/dri/") != NULL;
      else if (g_str_has_prefix (l, "Rss:"))
        {
          long kib = strtol (l + 4, NULL, 10);

          total += kib;
          mesa += in_mesa ? kib : 0;
        }
      else if (g_str_has_prefix (l, "Anonymous:"))
        anon += strtol (l + 10, NULL, 10);
    }
#if defined(__GLIBC__) && __GLIBC_PREREQ (2, 33)
  {
    struct mallinfo2 mi = mallinfo2 ();

    return g_strdup_printf ("%ld MiB (anonymous %ld MiB, of which malloc in use %zu MiB; "
                            "Mesa software GL %ld MiB)", total / 1024, anon / 1024,
                            (mi.uordblks + mi.hblkhd) >> 20, mesa / 1024);
  }
#else
  return g_strdup_printf ("%ld MiB (anonymous %ld MiB; Mesa software GL %ld MiB)",
                          total / 1024, anon / 1024, mesa / 1024);
#endif
}

static int *
open_listeners (guint n)
{
  int *fds = g_new (int, n);

  for (guint i = 0; i < n; i++)
    {
      struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };

      fds[i] = socket (AF_INET, SOCK_STREAM, 0);
      if (fds[i] < 0 || bind (fds[i], (struct sockaddr *) &sin, sizeof sin) < 0 || listen (fds[i], 4) < 0)
        g_error ("listener %u: %s", i, g_strerror (errno));
    }
  return fds;
}

int
main (int argc, char **argv)
{
  gboolean views_only = argc > 1 && strcmp (argv[1], "--views-only") == 0;
  guint repeats = argc > 1 + views_only ? (guint) atoi (argv[1 + views_only]) : 10;
  g_autoptr(PortholeApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  PortholeSocketMonitor *monitor;
  GtkWindow *window;
  GtkStack *views_stack = NULL;
  PortholeConnectionsPage *connections_page = NULL;
  Sample samples[64];
  double t0, idle_ms, load_ms, done_at = -1;
  guint n_sockets, change;
  int *fds;

  repeats = CLAMP (repeats, 1, G_N_ELEMENTS (samples));
  gtk_init ();
  settings = g_settings_new ("io.github.porthole.Porthole");
  g_settings_set_boolean (settings, "paused", TRUE);   /* only the refreshes timed here */
  app = porthole_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register: %s", error->message);
  monitor = porthole_application_get_monitor (app);
  if (views_only)
    {
      GtkStack *stack = GTK_STACK (gtk_stack_new ());
      PortholeListeningPage *listening = g_object_new (PORTHOLE_TYPE_LISTENING_PAGE, NULL);
      PortholeConnectionsPage *connections = g_object_new (PORTHOLE_TYPE_CONNECTIONS_PAGE, NULL);

      gtk_stack_add_named (stack, GTK_WIDGET (listening), "listening");
      gtk_stack_add_named (stack, GTK_WIDGET (connections), "connections");
      views_stack = stack;
      connections_page = connections;
      porthole_listening_page_set_monitor (listening, monitor);
      porthole_connections_page_set_monitor (connections, monitor);
      window = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_default_size (window, 1000, 700);
      gtk_window_set_child (window, GTK_WIDGET (stack));
    }
  else
    window = GTK_WINDOW (porthole_window_new (app));
  printf ("  window: %s\n", views_only ? "Listening and Connections pages only" : "the app's window, every tab");
  gtk_window_present (window);
  g_signal_connect (monitor, "items-changed", G_CALLBACK (on_items_changed), NULL);
  g_signal_connect (monitor, "traffic-changed", G_CALLBACK (on_traffic_changed), NULL);

  /* The first snapshot (started by the application) and its first frames */
  t0 = thread_cpu_ms ();
  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done_at);
  while (done_at < 0)
    g_main_context_iteration (NULL, TRUE);
  load_ms = done_at - t0;
  spin (1000);
  n_sockets = g_list_model_get_n_items (G_LIST_MODEL (monitor));
  {
    g_autofree char *rss = rss_text ();

    printf ("  %u sockets; first load: main thread %.1f ms; RSS after load %s\n",
            n_sockets, load_ms, rss);
  }

  /* What SETTLE_MS of an idle main loop costs, to subtract */
  t0 = thread_cpu_ms ();
  spin (SETTLE_MS);
  idle_ms = thread_cpu_ms () - t0;

  for (guint i = 0; i < repeats; i++)
    samples[i] = timed_refresh (monitor, idle_ms);
  report ("no change", samples, repeats);

  /* 1% changed: that many new listeners, then the same closed again */
  change = MAX (1, n_sockets / 100);
  for (guint i = 0; i < repeats; i++)
    {
      fds = open_listeners (change);
      samples[i] = timed_refresh (monitor, idle_ms);
      for (guint k = 0; k < change; k++)
        close (fds[k]);
      g_free (fds);
      /* the closed ones linger, tinted, then go: wait them out so each round starts alike */
      timed_refresh (monitor, idle_ms);
      spin (porthole_socket_monitor_get_linger (monitor) + 300);
    }
  {
    g_autofree char *label = g_strdup_printf ("1%% opened (%u)", change);

    report (label, samples, repeats);
  }
  for (guint i = 0; i < repeats; i++)
    {
      fds = open_listeners (change);
      timed_refresh (monitor, idle_ms);
      for (guint k = 0; k < change; k++)
        close (fds[k]);
      g_free (fds);
      samples[i] = timed_refresh (monitor, idle_ms);
      spin (porthole_socket_monitor_get_linger (monitor) + 300);
    }
  {
    g_autofree char *label = g_strdup_printf ("1%% closed (%u)", change);

    report (label, samples, repeats);
  }
  if (g_getenv ("PORTHOLE_BENCH_HOLDER"))
    {
      pid_t holder = atoi (g_getenv ("PORTHOLE_BENCH_HOLDER"));
      const char *scenes[] = { "Listening shown", "Connections by rate", "Programs shown" };

      kill (holder, SIGUSR1);
      spin (2500);
      for (guint k = 0; k < (views_only ? G_N_ELEMENTS (scenes) : 1); k++)
        {
          g_autofree char *label = NULL;

          if (k == 1)
            {
              gtk_stack_set_visible_child_name (views_stack, "connections");
              porthole_socket_view_sort_by (porthole_connections_page_get_view (connections_page), "rate", TRUE);
            }
          else if (k == 2)
            porthole_connections_page_show (connections_page, "programs");
          spin (1000);
          traffic_sockets = 0;
          for (guint i = 0; i < repeats; i++)
            {
              spin (1000 - SETTLE_MS);   /* a second of traffic in each refresh */
              samples[i] = timed_refresh (monitor, idle_ms);
            }
          label = g_strdup_printf ("traffic, %s", scenes[k]);
          report (label, samples, repeats);
          printf ("  %-22s %u sockets' counters moved per refresh (%.1f%%)\n", "",
                  traffic_sockets / repeats, 100.0 * traffic_sockets / repeats / MAX (n_sockets, 1));
        }
      kill (holder, SIGUSR2);
    }
  {
    g_autofree char *rss = rss_text ();

    printf ("  RSS at the end %s\n", rss);
  }

  gtk_window_destroy (window);
  g_application_quit (G_APPLICATION (app));
  return 0;
}
