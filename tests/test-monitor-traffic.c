/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-monitor-traffic"
#include "config.h"

#include "porthole-test.h"
#include "porthole-programs.h"
#include "porthole-socket-monitor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Traffic in the model, on real loopback connections in a private network namespace that each
 * forked test enters: exact payload counters on both ends and on the listener, rates against
 * a paced sender, rows updated in place, and programs adding it all up. */

typedef struct {
  PortholeSocketMonitor *monitor;
  guint                  n_changes;   /* items-changed emissions */
  guint                  n_traffic;   /* traffic-changed emissions */
  GPtrArray             *moved;       /* the last traffic-changed's sockets */
  guint                  n_rate_notify;
} Fixture;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  f->n_changes++;
}

static void
on_traffic (PortholeSocketMonitor *m, GPtrArray *sockets, Fixture *f)
{
  f->n_traffic++;
  g_ptr_array_set_size (f->moved, 0);
  for (guint i = 0; i < sockets->len; i++)
    g_ptr_array_add (f->moved, g_object_ref (g_ptr_array_index (sockets, i)));
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error),
                 "refresh failed: %s", error ? error->message : "?");
  *(gboolean *) data = TRUE;
}

static void
refresh (Fixture *f)
{
  gboolean done = FALSE;

  f->n_changes = f->n_traffic = f->n_rate_notify = 0;
  g_ptr_array_set_size (f->moved, 0);
  porthole_socket_monitor_refresh_async (f->monitor, NULL, on_refreshed, &done);
  ck_assert_msg (porthole_test_wait_for (&done, 20000), "refresh did not finish");
}

static void
fixture_init (Fixture *f)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  f->monitor = porthole_socket_monitor_new ();
  f->moved = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->monitor, "items-changed", G_CALLBACK (on_items_changed), f);
  g_signal_connect (f->monitor, "traffic-changed", G_CALLBACK (on_traffic), f);
}

static void
fixture_clear (Fixture *f)
{
  g_object_unref (f->monitor);
  g_ptr_array_unref (f->moved);
}

/* A connected pair on @address through a listener; fds out */
static void
make_pair (int family, const char *address, int *listener, int *client, int *server)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t len = family == AF_INET ? sizeof (struct sockaddr_in) : sizeof (struct sockaddr_in6);

  ss.ss_family = family;
  ck_assert_int_eq (inet_pton (family, address, family == AF_INET ? (void *) &((struct sockaddr_in *) &ss)->sin_addr
                                                                  : (void *) &((struct sockaddr_in6 *) &ss)->sin6_addr), 1);
  *listener = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_eq (bind (*listener, (struct sockaddr *) &ss, len), 0);
  ck_assert_int_eq (listen (*listener, 8), 0);
  ck_assert_int_eq (getsockname (*listener, (struct sockaddr *) &ss, &len), 0);
  *client = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_msg (connect (*client, (struct sockaddr *) &ss, len) == 0, "connect: %s", g_strerror (errno));
  *server = accept4 (*listener, NULL, NULL, SOCK_CLOEXEC);
  ck_assert_int_ge (*server, 0);
}

static guint16
local_port (int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;

  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &ss, &len), 0);
  return ntohs (ss.ss_family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                        : ((struct sockaddr_in6 *) &ss)->sin6_port);
}

/* The live socket of the model with this local port, listening or not */
static PortholeSocket *
find (Fixture *f, guint16 port, gboolean listening)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->monitor));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (f->monitor), i);

      if (porthole_socket_get_local_port (s) == port && !porthole_socket_get_closed (s) &&
          porthole_socket_is_listening (s) == listening && porthole_socket_get_info (s)->protocol == IPPROTO_TCP)
        return s;   /* the model holds it */
    }
  return NULL;
}

typedef struct {
  int     fd;
  guint64 n;           /* to read */
  guint64 reply;       /* then to write */
  guint64 got;
} Peer;

static void
write_all (int fd, guint64 n)
{
  static char chunk[65536];

  while (n > 0)
    {
      ssize_t w = write (fd, chunk, MIN (n, sizeof chunk));

      ck_assert_msg (w > 0, "write: %s", g_strerror (errno));
      n -= (guint64) w;
    }
}

static guint64
read_n (int fd, guint64 n)
{
  static char buf[65536];
  guint64 got = 0;

  while (got < n)
    {
      ssize_t r = read (fd, buf, MIN (n - got, sizeof buf));

      if (r <= 0)
        break;
      got += (guint64) r;
    }
  return got;
}

static gpointer
peer_thread (gpointer data)
{
  Peer *p = data;

  p->got = read_n (p->fd, p->n);
  write_all (p->fd, p->reply);
  return NULL;
}

static void
transfer (int client, int server, guint64 n, guint64 m)
{
  Peer peer = { server, n, m, 0 };
  GThread *thread = g_thread_new ("peer", peer_thread, &peer);

  write_all (client, n);
  ck_assert_uint_eq (read_n (client, m), m);
  g_thread_join (thread);
  ck_assert_uint_eq (peer.got, n);
}

/* One namespace per test: unshare() moves only the calling thread, and the monitor's worker
 * threads stay where the first one was made */
static void
check_exact (Fixture *f, int family, const char *address, guint64 n, guint64 m)
{
  int listener, client, server;
  PortholeSocket *c, *s, *l;

  make_pair (family, address, &listener, &client, &server);
  refresh (f);
  c = find (f, local_port (client), FALSE);
  s = find (f, local_port (server), FALSE);
  l = find (f, local_port (listener), TRUE);
  ck_assert_msg (c && s && l, "c %p s %p l %p of %u", (void *) c, (void *) s, (void *) l, g_list_model_get_n_items (G_LIST_MODEL (f->monitor)));
  ck_assert (porthole_socket_has_traffic (c) && porthole_socket_has_traffic (s));
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (c), 0);

  transfer (client, server, n, m);
  refresh (f);
  /* the same rows, updated in place */
  ck_assert_uint_eq (f->n_changes, 0);
  ck_assert_ptr_eq (find (f, local_port (client), FALSE), c);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (c), n);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (c), m);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (s), m);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (s), n);
  /* the listener counts what went through the connection it accepted */
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (l), m);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (l), n);
  ck_assert_msg (f->n_traffic == (n + m > 0 ? 1u : 0u), "traffic-changed %u times after moving %" G_GUINT64_FORMAT, f->n_traffic, n + m);
  if (n + m > 0)
    {
      ck_assert (g_ptr_array_find (f->moved, c, NULL) && g_ptr_array_find (f->moved, s, NULL) &&
                 g_ptr_array_find (f->moved, l, NULL));
      ck_assert (porthole_socket_get_rate (c) > 0 && porthole_socket_get_rate (l) > 0);
    }

  /* nothing moves: the rates drop to 0 once, then nothing at all */
  refresh (f);
  ck_assert_uint_eq (f->n_changes, 0);
  ck_assert_msg (f->n_traffic == (n + m > 0 ? 1u : 0u), "traffic-changed %u times when it stopped", f->n_traffic);
  ck_assert (porthole_socket_get_rate (c) == 0 && porthole_socket_get_rate (l) == 0);
  refresh (f);
  ck_assert_uint_eq (f->n_changes, 0);
  ck_assert_uint_eq (f->n_traffic, 0);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (c), n);

  close (client);
  close (server);
  close (listener);
}

START_TEST (test_exact_small)
{
  Fixture f = { 0 };

  fixture_init (&f);
  check_exact (&f, AF_INET, "127.0.0.1", 0, 0);
  check_exact (&f, AF_INET, "127.0.0.1", 1, 0);
  check_exact (&f, AF_INET6, "::1", 1000, 300);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_exact_large)
{
  Fixture f = { 0 };

  fixture_init (&f);
  check_exact (&f, AF_INET, "127.0.0.2", 1024 * 1024, 4096);
  check_exact (&f, AF_INET6, "::1", 100 * 1000 * 1000, 1);
  fixture_clear (&f);
}
END_TEST

typedef struct {
  int      fd;
  guint    chunk;
  guint    every_ms;
  guint    n_chunks;
} Pacer;

/* Sends a chunk on absolute deadlines, so a late wake-up is caught up, never lost */
static gpointer
pacer_thread (gpointer data)
{
  Pacer *p = data;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < p->n_chunks; i++)
    {
      gint64 due = start + (gint64) i * p->every_ms * 1000;
      gint64 now = g_get_monotonic_time ();

      if (due > now)
        g_usleep ((gulong) (due - now));
      write_all (p->fd, p->chunk);
    }
  return NULL;
}

static gpointer
drain_thread (gpointer data)
{
  read_n (GPOINTER_TO_INT (data), G_MAXUINT64);
  return NULL;
}

START_TEST (test_rate_paced)
{
  Fixture f = { 0 };
  int listener, client, server;
  /* 20 KB every 10 ms: 2,000,000 bytes a second, for 4 s */
  Pacer pacer = { 0, 20000, 10, 400 };
  GThread *sender, *drain;
  PortholeSocket *c, *s;
  double expected = 2e6;

  fixture_init (&f);
  make_pair (AF_INET, "127.0.0.1", &listener, &client, &server);
  refresh (&f);
  c = find (&f, local_port (client), FALSE);
  s = find (&f, local_port (server), FALSE);
  pacer.fd = client;
  drain = g_thread_new ("drain", drain_thread, GINT_TO_POINTER (server));
  sender = g_thread_new ("pacer", pacer_thread, &pacer);
  porthole_test_spin (1000);
  refresh (&f);
  porthole_test_spin (1500);
  refresh (&f);
  ck_assert_msg (ABS (porthole_socket_get_send_rate (c) - expected) <= expected / 10,
                 "send rate %.0f B/s, paced %.0f", porthole_socket_get_send_rate (c), expected);
  ck_assert_msg (ABS (porthole_socket_get_receive_rate (s) - expected) <= expected / 10,
                 "receive rate %.0f B/s, paced %.0f", porthole_socket_get_receive_rate (s), expected);
  {
    double history[PORTHOLE_TRAFFIC_HISTORY];
    guint n = porthole_socket_get_rate_history (c, history, G_N_ELEMENTS (history));

    ck_assert_uint_ge (n, 1);
    ck_assert (ABS (history[n - 1] - porthole_socket_get_rate (c)) < 1);
  }
  g_thread_join (sender);
  porthole_test_spin (100);
  refresh (&f);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (c), (guint64) pacer.chunk * pacer.n_chunks);
  shutdown (client, SHUT_WR);
  g_thread_join (drain);
  close (client);
  close (server);
  close (listener);
  fixture_clear (&f);
}
END_TEST

static void
on_rate (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

START_TEST (test_programs)
{
  Fixture f = { 0 };
  g_autoptr(PortholePrograms) programs = NULL;
  PortholeProgram *me = NULL;
  int listener, client, server;
  guint notified = 0;
  guint64 n = 300000, m = 7000;

  fixture_init (&f);
  make_pair (AF_INET, "127.0.0.1", &listener, &client, &server);
  refresh (&f);
  programs = porthole_programs_new (f.monitor);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (programs)); i++)
    {
      g_autoptr(PortholeProgram) p = g_list_model_get_item (G_LIST_MODEL (programs), i);

      if (porthole_program_get_pid (p) == getpid ())
        me = p;
    }
  ck_assert_msg (me != NULL, "this test's process is not among the programs");
  ck_assert_uint_eq (porthole_program_get_n_connections (me), 2);
  ck_assert_uint_eq (porthole_program_get_n_listeners (me), 1);
  ck_assert_ptr_eq (porthole_programs_lookup (programs, find (&f, local_port (client), FALSE)), me);
  g_signal_connect (me, "notify::rate", G_CALLBACK (on_rate), &notified);

  transfer (client, server, n, m);
  refresh (&f);
  /* both ends are this process: it sent n + m and received n + m */
  ck_assert_uint_eq (porthole_program_get_bytes_sent (me), n + m);
  ck_assert_uint_eq (porthole_program_get_bytes_received (me), n + m);
  ck_assert (porthole_program_get_rate (me) > 0);
  ck_assert_uint_eq (notified, 1);

  /* closed connections keep counting in the total; the program goes once it holds nothing */
  close (client);
  close (server);
  refresh (&f);
  ck_assert_uint_eq (porthole_program_get_bytes_sent (me), n + m);
  ck_assert_uint_eq (porthole_program_get_n_connections (me), 0);
  ck_assert_uint_eq (porthole_program_get_n_listeners (me), 1);
  close (listener);
  refresh (&f);
  refresh (&f);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (programs)); i++)
    {
      g_autoptr(PortholeProgram) p = g_list_model_get_item (G_LIST_MODEL (programs), i);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (programs)); i++)
    {
      g_autoptr(PortholeProgram) p = g_list_model_get_item (G_LIST_MODEL (programs), i);

      ck_assert_int_ne (porthole_program_get_pid (p), getpid ());
    }
  g_clear_object (&programs);
  fixture_clear (&f);
}
END_TEST

static Suite *
make_suite (void)
{
  Suite *s = suite_create ("monitor-traffic");
  TCase *tc = tcase_create ("traffic");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_exact_small);
  tcase_add_test (tc, test_exact_large);
  tcase_add_test (tc, test_rate_paced);
  tcase_add_test (tc, test_programs);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (make_suite)
