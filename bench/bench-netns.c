/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-bench"
#include "config.h"

/* Times reading every network namespace against reading ours alone. As root, in a private
 * namespace of its own (the "host", with HOST sockets), it starts NS processes, each in a
 * namespace of its own with PER sockets (a third listeners, the rest loopback pairs), then
 * times porthole_netns_list, the host-only dump, and the dump of every namespace (sock_diag
 * inside each, and the /proc parser). All traffic stays on loopback in those namespaces.
 * Usage: bench-netns [NS [PER [HOST [RUNS]]]]   (defaults 20 500 30000 5) */

#include "porthole-netns.h"

#include <gio/gio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALL (PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES)
#define HOST_CHUNK 9999

static gboolean
enter_private_netns (void)
{
  struct ifreq ifr = { 0 };
  int fd;

  if (unshare (CLONE_NEWNET) != 0)
    return FALSE;
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_strlcpy (ifr.ifr_name, "lo", IFNAMSIZ);
  if (fd < 0 || ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    return FALSE;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

/* @n sockets on 127.0.0.1: n/3 listeners, and pairs connected to one more listener */
static gboolean
open_sockets (guint n)
{
  struct sockaddr_in lo = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof lo;
  guint listeners = n / 3;
  int hub;

  for (guint i = 0; i + 1 < listeners; i++)
    {
      int fd = socket (AF_INET, SOCK_STREAM, 0);

      lo.sin_port = 0;
      if (fd < 0 || bind (fd, (struct sockaddr *) &lo, sizeof lo) < 0 || listen (fd, 1) < 0)
        return FALSE;
    }
  hub = socket (AF_INET, SOCK_STREAM, 0);
  lo.sin_port = 0;
  if (hub < 0 || bind (hub, (struct sockaddr *) &lo, sizeof lo) < 0 || listen (hub, 64) < 0 ||
      getsockname (hub, (struct sockaddr *) &lo, &len) < 0)
    return FALSE;
  for (guint i = listeners; i + 2 <= n; i += 2)
    {
      int client = socket (AF_INET, SOCK_STREAM, 0);

      if (client < 0 || connect (client, (struct sockaddr *) &lo, sizeof lo) < 0 ||
          accept (hub, NULL, NULL) < 0)
        return FALSE;
    }
  return TRUE;
}

/* A process holding @n sockets, in a namespace of its own when @private_netns */
static pid_t
spawn_holder (guint n, gboolean private_netns, const int ready[2], const int hold[2])
{
  pid_t pid = fork ();
  char c;

  if (pid != 0)
    return pid;
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  close (ready[0]);
  close (hold[1]);
  c = (!private_netns || enter_private_netns ()) && open_sockets (n) ? 'y' : 'n';
  if (write (ready[1], &c, 1) != 1)
    _exit (1);
  while (read (hold[0], &c, 1) > 0)
    ;
  _exit (0);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return v[n / 2];
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

enum { STAGE_LIST, STAGE_HOST, STAGE_ALL, STAGE_PROC, STAGE_HOST_LISTEN, STAGE_ALL_LISTEN, N_STAGES };

static const struct {
  const char *name;
  PortholeDumpFlags flags;
  gboolean only_ours;
  gboolean force_proc;
} stages[N_STAGES] = {
  { "porthole_netns_list", 0, FALSE, FALSE },
  { "list + host only, all states", ALL, TRUE, FALSE },
  { "list + every namespace, all states", ALL, FALSE, FALSE },
  { "list + every namespace, all states, /proc", ALL, FALSE, TRUE },
  { "list + host only, listening", PORTHOLE_DUMP_DEFAULT, TRUE, FALSE },
  { "list + every namespace, listening", PORTHOLE_DUMP_DEFAULT, FALSE, FALSE },
};

/* Lists, then dumps every namespace (or only ours); returns the rows read */
static guint
dump_all (int stage, guint *n_ns, guint *n_pids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = porthole_netns_list (NULL, &error);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));

  if (list == NULL)
    g_error ("list: %s", error->message);
  *n_ns = list->len;
  *n_pids = 0;
  for (guint i = 0; i < list->len; i++)
    {
      const PortholeNetns *ns = &g_array_index (list, PortholeNetns, i);

      *n_pids += ns->n_pids;
      if (stages[stage].only_ours && !ns->own)
        continue;
      /* another program's namespace may be gone already: skip it, as a refresh would */
      if (!porthole_netns_dump (NULL, ns, stages[stage].flags, stages[stage].force_proc, rows,
                                NULL, &error) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_error ("dump of %" G_GUINT64_FORMAT ": %s", ns->id, error->message);
      g_clear_error (&error);
    }
  return rows->len;
}

/* Milliseconds `porthole-cli list --all --json --netns NETNS` takes, output discarded; < 0 when
 * it fails (a porthole-cli without --netns) */
static double
time_cli (const char *cli, const char *netns)
{
  const char *argv[] = { cli, "list", "--all", "--json", "--netns", netns, NULL };
  gint64 t = g_get_monotonic_time ();
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    return -1;
  return ms_since (t);
}

/* The measure: the whole command, every namespace against the host's alone */
static void
bench_cli (const char *cli, int runs)
{
  g_autofree double *host = g_new (double, runs);
  g_autofree double *all = g_new (double, runs);

  for (int r = -1; r < runs; r++)
    {
      double h = time_cli (cli, "host"), a = time_cli (cli, "all");

      if (h < 0 || a < 0)
        {
          printf ("  porthole-cli list --all --json --netns: did not run (%s)\n", cli);
          return;
        }
      if (r >= 0)
        host[r] = h, all[r] = a;
    }
  printf ("  porthole-cli list --all --json --netns host %8.1f ms\n", median (host, runs));
  printf ("  porthole-cli list --all --json --netns all  %8.1f ms   all / host %.2f   (target <= 1.50)\n",
          median (all, runs), median (all, runs) / median (host, runs));
}

int
main (int argc, char **argv)
{
  guint n_ns = argc > 1 ? atoi (argv[1]) : 20;
  guint per = argc > 2 ? atoi (argv[2]) : 500;
  guint host = argc > 3 ? atoi (argv[3]) : 30000;
  int runs = MAX (argc > 4 ? atoi (argv[4]) : 5, 1);
  double *ms[N_STAGES];
  double median_ms[N_STAGES];
  guint rows[N_STAGES] = { 0 };
  guint namespaces = 0, pids = 0;
  int ready[2], hold[2];

  if (geteuid () != 0 || !enter_private_netns ())
    {
      fprintf (stderr, "bench-netns: needs root, to make its own network namespaces\n");
      return 77;
    }
  /* The host's sockets are held by several processes: one may have only so many descriptors
   * (RLIMIT_NOFILE, which root may not be allowed to raise) */
  if (pipe (ready) < 0 || pipe (hold) < 0)
    return 1;
  for (guint i = 0; i < n_ns + (host + HOST_CHUNK - 1) / HOST_CHUNK; i++)
    {
      gboolean is_host = i >= n_ns;
      guint n = is_host ? MIN (HOST_CHUNK, host - (i - n_ns) * HOST_CHUNK) : per;
      char c = 'n';

      spawn_holder (n, !is_host, ready, hold);
      if (read (ready[0], &c, 1) != 1 || c != 'y')
        {
          fprintf (stderr, "bench-netns: %s %u could not be set up\n",
                   is_host ? "host socket holder" : "namespace", i);
          return 1;
        }
    }
  close (hold[0]);

  for (int s = 0; s < N_STAGES; s++)
    ms[s] = g_new (double, runs);
  for (int r = -1; r < runs; r++)   /* one warm-up run */
    {
      g_autoptr(GArray) list = NULL;
      gint64 t;

      t = g_get_monotonic_time ();
      list = porthole_netns_list (NULL, NULL);
      ms[STAGE_LIST][MAX (r, 0)] = ms_since (t);
      for (int s = STAGE_HOST; s < N_STAGES; s++)
        {
          t = g_get_monotonic_time ();
          rows[s] = dump_all (s, &namespaces, &pids);
          ms[s][MAX (r, 0)] = ms_since (t);
        }
    }

  printf ("bench-netns: %u namespaces, %u processes; %u namespaces of %u sockets beside the "
          "host's %u; median of %d\n", namespaces, pids, n_ns, per, host, runs);
  for (int s = 0; s < N_STAGES; s++)
    {
      median_ms[s] = median (ms[s], runs);
      printf ("  %-42s %8.1f ms", stages[s].name, median_ms[s]);
      if (s != STAGE_LIST)
        printf ("  (%u rows)", rows[s]);
      printf ("\n");
      g_free (ms[s]);
    }
  printf ("  every namespace / host only: all states %.2f (/proc %.2f), listening %.2f\n",
          median_ms[STAGE_ALL] / median_ms[STAGE_HOST], median_ms[STAGE_PROC] / median_ms[STAGE_HOST],
          median_ms[STAGE_ALL_LISTEN] / median_ms[STAGE_HOST_LISTEN]);

  if (g_getenv ("PORTHOLE_CLI") != NULL)
    bench_cli (g_getenv ("PORTHOLE_CLI"), runs);

  close (hold[1]);
  while (wait (NULL) > 0)
    ;
  return 0;
}
