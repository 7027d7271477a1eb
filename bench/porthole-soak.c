/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Soak driver (build-aux/dev soak; not part of CI): the socket monitor refreshes every 100 ms
 * for a long time while a child process churns loopback sockets, and this process samples its
 * own RSS and open fd count. Leaks show up as a rising series; both series are printed.
 *
 *   porthole-soak [SECONDS [INTERVAL_MS [SAMPLE_SECONDS]]]    defaults: 600 100 10
 *
 * Exit status 1 when the fd count grows or RSS keeps growing after the warm-up. */
#define G_LOG_DOMAIN "porthole-soak"
#include "config.h"

#include "porthole-socket-monitor.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Sockets per churn round: a listener with CHURN_PAIRS connections, plus CHURN_UDP bound
 * UDP sockets, all on 127.0.0.1 with kernel-chosen ports. */
#define CHURN_PAIRS 6
#define CHURN_UDP 4

typedef struct {
  GMainLoop *loop;
  PortholeSocketMonitor *monitor;
  GArray *rss_kb;
  GArray *fds;
  GArray *n_items;
  guint64 opened;
  guint64 closed;
  guint64 changes;
  gint64 start;
  guint seconds;
} Soak;

static void
sleep_ms (long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

static int
loopback_socket (int type, struct sockaddr_in *addr)
{
  socklen_t len = sizeof *addr;
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);

  memset (addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  addr->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) addr, sizeof *addr) < 0 ||
      getsockname (fd, (struct sockaddr *) addr, &len) < 0)
    {
      if (fd >= 0)
        close (fd);
      return -1;
    }
  return fd;
}

/* The churn child: opens a round of sockets, holds them 30-70 ms, closes them, forever.
 * Every other round ends its connections with a reset so TIME_WAIT stays bounded. */
G_GNUC_NORETURN static void
churn (void)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  for (guint round = 0;; round++)
    {
      int fds[1 + 2 * CHURN_PAIRS + CHURN_UDP];
      guint n = 0;
      struct sockaddr_in addr;
      int listener = loopback_socket (SOCK_STREAM, &addr);

      if (listener >= 0 && listen (listener, CHURN_PAIRS) == 0)
        {
          fds[n++] = listener;
          for (guint i = 0; i < CHURN_PAIRS; i++)
            {
              int c = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
              int a;

              if (c < 0)
                break;
              if (connect (c, (struct sockaddr *) &addr, sizeof addr) < 0 ||
                  (a = accept (listener, NULL, NULL)) < 0)
                {
                  close (c);
                  break;
                }
              if (round % 2)
                {
                  struct linger rst = { 1, 0 };

                  setsockopt (c, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
                  setsockopt (a, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
                }
              fds[n++] = c;
              fds[n++] = a;
            }
        }
      else if (listener >= 0)
        close (listener);
      for (guint i = 0; i < CHURN_UDP; i++)
        {
          int u = loopback_socket (SOCK_DGRAM, &addr);

          if (u >= 0)
            fds[n++] = u;
        }
      sleep_ms (30 + (long) (round % 5) * 10);
      for (guint i = 0; i < n; i++)
        close (fds[i]);
      sleep_ms (20);
    }
}

static guint
read_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmRSS:");
  return line ? (guint) g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10) : 0;
}

static guint
count_fds (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *de;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((de = readdir (dir)) != NULL)
    if (de->d_name[0] != '.')
      n++;
  closedir (dir);
  return n - 1; /* the directory's own fd */
}

/* Sampled right after a refresh has been applied, when no dump holds a netlink socket or a
 * /proc directory open, so the fd count is not noisy. */
static void
sample_now (GObject *source, GAsyncResult *result, gpointer data)
{
  Soak *soak = data;
  guint rss = read_rss_kb ();
  guint fds = count_fds ();
  guint items = g_list_model_get_n_items (G_LIST_MODEL (soak->monitor));
  double t = (g_get_monotonic_time () - soak->start) / 1e6;

  g_array_append_val (soak->rss_kb, rss);
  g_array_append_val (soak->fds, fds);
  g_array_append_val (soak->n_items, items);
  printf ("t=%5.0fs rss=%6u KiB fds=%3u items=%5u opened=%" G_GUINT64_FORMAT
          " closed=%" G_GUINT64_FORMAT " changes=%" G_GUINT64_FORMAT "%s%s\n",
          t, rss, fds, items, soak->opened, soak->closed, soak->changes,
          porthole_socket_monitor_get_error (soak->monitor) ? " error=" : "",
          porthole_socket_monitor_get_error (soak->monitor) ? porthole_socket_monitor_get_error (soak->monitor) : "");
  fflush (stdout);
  porthole_socket_monitor_refresh_finish (soak->monitor, result, NULL);
  if (t + 0.5 >= soak->seconds)
    g_main_loop_quit (soak->loop);
}

static gboolean
on_sample (gpointer data)
{
  Soak *soak = data;

  porthole_socket_monitor_refresh_async (soak->monitor, NULL, sample_now, soak);
  return G_SOURCE_CONTINUE;
}

static void
on_opened (PortholeSocketMonitor *monitor, PortholeSocket *socket, Soak *soak)
{
  soak->opened++;
}

static void
on_closed (PortholeSocketMonitor *monitor, PortholeSocket *socket, Soak *soak)
{
  soak->closed++;
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Soak *soak)
{
  soak->changes++;
}

static void
print_series (const char *name, GArray *values)
{
  printf ("%s:", name);
  for (guint i = 0; i < values->len; i++)
    printf (" %u", g_array_index (values, guint, i));
  printf ("\n");
}

int
main (int argc, char **argv)
{
  Soak soak = { 0 };
  guint interval = argc > 2 ? (guint) atoi (argv[2]) : 100;
  guint sample = argc > 3 ? (guint) atoi (argv[3]) : 10;
  guint warm, rss_warm, rss_max_after = 0, fds_first, fds_max = 0;
  pid_t child;
  int status = 0;

  soak.seconds = argc > 1 ? (guint) atoi (argv[1]) : 600;
  if (soak.seconds == 0 || interval == 0 || sample == 0)
    {
      fprintf (stderr, "usage: porthole-soak [SECONDS [INTERVAL_MS [SAMPLE_SECONDS]]]\n");
      return 2;
    }

  child = fork ();
  if (child < 0)
    return 2;
  if (child == 0)
    churn ();

  soak.loop = g_main_loop_new (NULL, FALSE);
  soak.rss_kb = g_array_new (FALSE, FALSE, sizeof (guint));
  soak.fds = g_array_new (FALSE, FALSE, sizeof (guint));
  soak.n_items = g_array_new (FALSE, FALSE, sizeof (guint));
  soak.monitor = porthole_socket_monitor_new ();
  /* as the window uses it: closed rows linger a moment */
  porthole_socket_monitor_set_linger (soak.monitor, 1500);
  g_signal_connect (soak.monitor, "socket-opened", G_CALLBACK (on_opened), &soak);
  g_signal_connect (soak.monitor, "socket-closed", G_CALLBACK (on_closed), &soak);
  g_signal_connect (soak.monitor, "items-changed", G_CALLBACK (on_items_changed), &soak);
  porthole_socket_monitor_set_refresh_interval (soak.monitor, interval);
  porthole_socket_monitor_refresh (soak.monitor);

  printf ("soak: %u s, refresh every %u ms, sample every %u s, churn child %d\n",
          soak.seconds, interval, sample, (int) child);
  soak.start = g_get_monotonic_time ();
  g_timeout_add_seconds (sample, on_sample, &soak);
  g_main_loop_run (soak.loop);

  kill (child, SIGKILL);
  waitpid (child, NULL, 0);

  print_series ("rss_kib", soak.rss_kb);
  print_series ("open_fds", soak.fds);
  print_series ("items", soak.n_items);

  /* Verdict: after a warm-up (a sixth of the run), fds must not grow at all and RSS must
   * not grow by more than 10 % plus 2 MiB (allocator noise, thread stacks). */
  warm = soak.rss_kb->len / 6;
  if (soak.rss_kb->len < 2)
    return 2;
  rss_warm = g_array_index (soak.rss_kb, guint, warm);
  fds_first = g_array_index (soak.fds, guint, warm);
  for (guint i = warm; i < soak.rss_kb->len; i++)
    {
      rss_max_after = MAX (rss_max_after, g_array_index (soak.rss_kb, guint, i));
      fds_max = MAX (fds_max, g_array_index (soak.fds, guint, i));
    }
  printf ("rss after warm-up: %u -> max %u KiB; fds after warm-up: %u -> max %u; "
          "socket-opened %" G_GUINT64_FORMAT ", socket-closed %" G_GUINT64_FORMAT "\n",
          rss_warm, rss_max_after, fds_first, fds_max, soak.opened, soak.closed);
  if (fds_max > fds_first || rss_max_after > rss_warm + rss_warm / 10 + 2048 || soak.opened == 0)
    {
      printf ("soak: FAILED (fd or memory growth, or no churn seen)\n");
      status = 1;
    }
  else
    printf ("soak: flat\n");

  g_object_unref (soak.monitor);
  g_main_loop_unref (soak.loop);
  g_array_unref (soak.rss_kb);
  g_array_unref (soak.fds);
  g_array_unref (soak.n_items);
  return status;
}
