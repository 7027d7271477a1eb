/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The socket monitor over ssh against the same monitor on this computer (bench/remote.sh):
 * the first full view (the first refresh, applied), then no-change refreshes.
 * Usage: bench-remote HOST [RUNS]   (HOST "" : this computer) */
#include "config.h"

#include "porthole-socket-monitor.h"

#include <stdio.h>
#include <stdlib.h>

static gboolean done;

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error))
    {
      fprintf (stderr, "bench-remote: %s\n", error->message);
      exit (1);
    }
  done = TRUE;
}

static double
timed_refresh (PortholeSocketMonitor *monitor)
{
  gint64 start = g_get_monotonic_time ();

  done = FALSE;
  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int argc, char **argv)
{
  const char *host = argc > 1 && *argv[1] ? argv[1] : NULL;
  int runs = argc > 2 ? atoi (argv[2]) : 5;
  g_autoptr(PortholeSocketMonitor) monitor = host ? porthole_socket_monitor_new_for_host (host)
                                                  : porthole_socket_monitor_new ();
  double first, best = 1e9, sum = 0;

  first = timed_refresh (monitor);
  for (int i = 0; i < runs; i++)
    {
      double ms = timed_refresh (monitor);

      best = MIN (best, ms);
      sum += ms;
    }
  printf ("%s: first full view %.0f ms (%u rows); no-change refresh best %.0f ms, mean %.0f ms\n",
          host ? host : "this computer", first, g_list_model_get_n_items (G_LIST_MODEL (monitor)),
          best, sum / runs);
  return 0;
}
