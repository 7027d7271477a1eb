/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-bench"
#include "config.h"

/* Times the socket-table stages on their own: the netlink dump (with the TCP counters, struct
 * tcp_info, as porthole asks for it, and without them: issue 12's target is at most 1.2x), the
 * /proc/net read, and the inode -> pid walk over /proc/<pid>/fd, which reads each owner's name
 * as it goes.
 * Usage: bench-dump [RUNS]   (prints the median of RUNS, default 5) */

#include "porthole-procmap.h"
#include "porthole-socktable.h"

#include <stdio.h>
#include <stdlib.h>

enum { NETLINK, NETLINK_BARE, PROC, OWNERS, N_STAGES };

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int argc, char **argv)
{
  const PortholeDumpFlags flags = PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES;
  static const char * const names[N_STAGES] = { "netlink dump", "  without tcp_info",
                                                "/proc/net read", "owners and names" };
  double med[N_STAGES];
  GArray *times[N_STAGES];
  int runs = argc > 1 ? atoi (argv[1]) : 5;
  guint n_sockets = 0, n_wanted = 0, n_found = 0, n_pids = 0;

  if (runs < 1)
    runs = 1;
  for (int s = 0; s < N_STAGES; s++)
    times[s] = g_array_new (FALSE, FALSE, sizeof (double));

  for (int run = 0; run < runs; run++)
    {
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
      g_autoptr(GArray) proc_rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
      g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GHashTable) owners = NULL;
      g_autoptr(GHashTable) comms = NULL;
      g_autoptr(GError) error = NULL;
      gint64 t;
      double ms;

      /* with and without the counters, in turns, so neither always runs on a warmer cache */
      for (int k = 0; k < 2; k++)
        {
          gboolean bare = (k + run) % 2 == 1;
          g_autoptr(GArray) bare_rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));

          t = g_get_monotonic_time ();
          if (!porthole_socktable_dump (NULL, bare ? flags | PORTHOLE_DUMP_NO_TCP_INFO : flags,
                                        FALSE, bare ? bare_rows : rows, NULL, &error))
            {
              fprintf (stderr, "bench-dump: %s\n", error->message);
              return 1;
            }
          ms = ms_since (t);
          g_array_append_val (times[bare ? NETLINK_BARE : NETLINK], ms);
        }

      t = g_get_monotonic_time ();
      if (!porthole_socktable_dump (NULL, flags, TRUE, proc_rows, NULL, &error))
        {
          fprintf (stderr, "bench-dump: %s\n", error->message);
          return 1;
        }
      ms = ms_since (t);
      g_array_append_val (times[PROC], ms);

      t = g_get_monotonic_time ();
      for (guint i = 0; i < rows->len; i++)
        if (g_array_index (rows, PortholeSockInfo, i).inode != 0)
          g_hash_table_add (wanted, &g_array_index (rows, PortholeSockInfo, i).inode);
      owners = porthole_procmap_find_owners_full (NULL, wanted, &comms, NULL);
      ms = ms_since (t);
      g_array_append_val (times[OWNERS], ms);

      n_sockets = rows->len;
      n_wanted = g_hash_table_size (wanted);
      n_found = g_hash_table_size (owners);
      n_pids = g_hash_table_size (comms);
    }

  printf ("bench-dump: %u sockets, owners found for %u of %u inodes in %u processes; median of %d\n",
          n_sockets, n_found, n_wanted, n_pids, runs);
  for (int s = 0; s < N_STAGES; s++)
    {
      med[s] = median (times[s]);
      printf ("  %-18s %8.1f ms\n", names[s], med[s]);
      g_array_unref (times[s]);
    }
  printf ("  tcp_info: dump with / without %.2fx   (target <= 1.2)\n",
          med[NETLINK_BARE] > 0 ? med[NETLINK] / med[NETLINK_BARE] : 0.0);
  return 0;
}
