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
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Traffic in the model, on real loopback connections in a private network namespace that each
 * forked test enters: exact payload counters on both ends and on the listener, rates against
 * a paced sender, rows updated in place, and programs adding it all up. */

typedef struct {
  PortholeSocketMonitor *monitor;
  GPtrArray             *opened;      /* socket-opened since the last refresh () */
  GPtrArray             *closed;
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
on_opened (PortholeSocketMonitor *m, PortholeSocket *s, Fixture *f)
{
  g_ptr_array_add (f->opened, g_object_ref (s));
}

static void
on_closed (PortholeSocketMonitor *m, PortholeSocket *s, Fixture *f)
{
  g_ptr_array_add (f->closed, g_object_ref (s));
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
  g_ptr_array_set_size (f->opened, 0);
  g_ptr_array_set_size (f->closed, 0);
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
  f->opened = g_ptr_array_new_with_free_func (g_object_unref);
  f->closed = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->monitor, "socket-opened", G_CALLBACK (on_opened), f);
  g_signal_connect (f->monitor, "socket-closed", G_CALLBACK (on_closed), f);
  g_signal_connect (f->monitor, "items-changed", G_CALLBACK (on_items_changed), f);
  g_signal_connect (f->monitor, "traffic-changed", G_CALLBACK (on_traffic), f);
}

static void
fixture_clear (Fixture *f)
{
  g_object_unref (f->monitor);
  g_ptr_array_unref (f->moved);
  g_ptr_array_unref (f->opened);
  g_ptr_array_unref (f->closed);
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
  {
    gint64 before = g_get_monotonic_time ();

    refresh (f);
    /* the kernel's ages (last data sent and received) are as of that dump */
    if (n + m > 0)
      ck_assert (porthole_socket_get_counters_time (c) >= before);
  }
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

/* The closed row of the last refresh with these ports (local, remote), or NULL */
static PortholeSocket *
find_closed (Fixture *f, guint16 local, guint16 remote)
{
  for (guint i = 0; i < f->closed->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (f->closed, i);

      if (porthole_socket_get_local_port (s) == local && porthole_socket_get_remote_port (s) == remote &&
          porthole_socket_has_traffic (s))
        return s;
    }
  return NULL;
}

/* A connection the last table had ends with a transfer right before the refresh: its closed row
 * holds the final counts, from the kernel's destroy event */
START_TEST (test_final_counters)
{
  Fixture f = { 0 };
  int listener, client, server;
  guint16 cport, sport;
  guint64 n = 2 * 1000 * 1000, m = 12345;
  PortholeSocket *c, *s;

  fixture_init (&f);
  make_pair (AF_INET, "127.0.0.1", &listener, &client, &server);
  cport = local_port (client);
  sport = local_port (server);
  refresh (&f);
  ck_assert (find (&f, cport, FALSE) != NULL);
  transfer (client, server, n, m);
  close (server);
  close (client);
  porthole_test_spin (50);
  refresh (&f);
  c = find_closed (&f, cport, sport);
  s = find_closed (&f, sport, cport);
  ck_assert_msg (c && s, "the closed rows are not both there (%u closed)", f.closed->len);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (c), n);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (c), m);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (s), m);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (s), n);
  close (listener);
  fixture_clear (&f);
}
END_TEST

/* A connection that lives about 5 ms between two refreshes a second apart is reported, opened
 * and closed at once, with its bytes, and the server's end is its listener's program's */
START_TEST (test_short_connection)
{
  Fixture f = { 0 };
  g_autoptr(PortholePrograms) programs = NULL;
  PortholeProgram *me;
  int listener, client, server;
  guint16 cport, sport;
  guint64 n = 5000, m = 700;
  PortholeSocket *s = NULL;
  gboolean client_seen = FALSE;

  fixture_init (&f);
  {
    int l2, c2, s2;

    /* the listener first, alone in the table */
    make_pair (AF_INET, "127.0.0.1", &l2, &c2, &s2);
    close (c2);
    close (s2);
    listener = l2;
  }
  refresh (&f);
  porthole_test_spin (1000);
  refresh (&f);
  programs = porthole_programs_new (f.monitor);
  {
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof sin;
    gint64 start = g_get_monotonic_time ();

    getsockname (listener, (struct sockaddr *) &sin, &len);
    client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_eq (connect (client, (struct sockaddr *) &sin, len), 0);
    server = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
    cport = local_port (client);
    sport = local_port (server);
    transfer (client, server, n, m);
    g_usleep (5000);
    close (client);   /* the client closes first: its end waits in TIME_WAIT, the server's goes */
    close (server);
    ck_assert_int_lt (g_get_monotonic_time () - start, 500000);
  }
  porthole_test_spin (1000);
  refresh (&f);
  for (guint i = 0; i < f.closed->len; i++)
    {
      PortholeSocket *x = g_ptr_array_index (f.closed, i);

      if (porthole_socket_get_local_port (x) == sport && porthole_socket_get_remote_port (x) == cport)
        s = x;
      if (porthole_socket_get_local_port (x) == cport && porthole_socket_get_bytes_sent (x) == n &&
          porthole_socket_get_bytes_received (x) == m)
        client_seen = TRUE;
    }
  ck_assert_msg (s != NULL, "the 5 ms connection's server end was not reported");
  ck_assert (g_ptr_array_find (f.opened, s, NULL));
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (s), m);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (s), n);
  ck_assert_int_eq (porthole_socket_get_pid (s), getpid ());
  /* the client's end: its TIME_WAIT row (it closed last here, so may have none) or its own flash */
  for (guint i = 0; !client_seen && i < f.opened->len; i++)
    {
      PortholeSocket *x = g_ptr_array_index (f.opened, i);

      client_seen = porthole_socket_get_local_port (x) == cport && porthole_socket_get_bytes_sent (x) == n;
    }
  ck_assert_msg (client_seen, "the 5 ms connection's client end was not reported with its bytes");
  /* counted in the program's total */
  me = porthole_programs_lookup (programs, s);
  ck_assert (me != NULL);
  ck_assert_uint_ge (porthole_program_get_bytes_received (me), n);
  ck_assert_uint_ge (porthole_program_get_bytes_sent (me), m);
  /* and it goes like any closed row */
  g_clear_object (&programs);
  close (listener);
  fixture_clear (&f);
}
END_TEST

/* 10,000 connections closing within about a second: what the model takes stays bounded, and a
 * listener's total still counts the bytes of those past the rows (from the summaries) */
START_TEST (test_close_storm)
{
  Fixture f = { 0 };
  int listener, c0, s0;
  struct sockaddr_in sin = { .sin_family = AF_INET };
  socklen_t len = sizeof sin;
  PortholeSocket *l;
  guint n_conns = 10000;
  char buf[16];

  fixture_init (&f);
  make_pair (AF_INET, "127.0.0.1", &listener, &c0, &s0);
  close (c0);
  close (s0);
  getsockname (listener, (struct sockaddr *) &sin, &len);
  refresh (&f);
  porthole_test_spin (300);
  refresh (&f);
  for (guint i = 0; i < n_conns; i++)
    {
      int c = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), s;

      ck_assert_int_eq (connect (c, (struct sockaddr *) &sin, len), 0);
      ck_assert_int_eq (write (c, "0123456789", 10), 10);
      s = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
      ck_assert_int_ge (s, 0);
      ck_assert_int_eq (read_n (s, 10), 10);
      close (s);
      close (c);
    }
  porthole_test_spin (200);
  refresh (&f);
  l = find (&f, ntohs (sin.sin_port), TRUE);
  ck_assert (l != NULL);
  /* no more closed rows than the watch keeps (the clients' ends wait in TIME_WAIT, new rows) */
  ck_assert_uint_le (f.closed->len, 4096);
  ck_assert_uint_le (porthole_socket_get_bytes_received (l), 10 * (guint64) n_conns);
  ck_assert_msg (porthole_socket_get_bytes_received (l) >= 9 * (guint64) n_conns,
                 "the listener counted %" G_GUINT64_FORMAT " of %u bytes",   /* 99,995 here */
                 porthole_socket_get_bytes_received (l), 10 * n_conns);
  (void) buf;
  close (listener);
  fixture_clear (&f);
}
END_TEST

/* A child in a network namespace of its own: listens on 127.0.0.1, makes one short connection
 * to itself on command (N bytes up, M down, the client closing first), exits on the next */
static pid_t
spawn_namespace_child (guint64 n, guint64 m, guint16 *port, int *command_fd, int *ack_fd)
{
  int command[2], ack[2];
  pid_t pid;

  ck_assert_int_eq (pipe2 (command, O_CLOEXEC), 0);
  ck_assert_int_eq (pipe2 (ack, O_CLOEXEC), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      int listener, client, server;
      guint16 p;
      char c;

      close (command[1]);
      close (ack[0]);
      if (!porthole_test_enter_netns (NULL))
        _exit (1);
      make_pair (AF_INET, "127.0.0.1", &listener, &client, &server);
      close (client);
      close (server);
      p = local_port (listener);
      if (write (ack[1], &p, sizeof p) != sizeof p || read (command[0], &c, 1) != 1)
        _exit (1);
      {
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (p) };

        inet_pton (AF_INET, "127.0.0.1", &sin.sin_addr);
        client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (connect (client, (struct sockaddr *) &sin, sizeof sin) != 0)
          _exit (1);
        server = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
        write_all (client, n);
        read_n (server, n);
        write_all (server, m);
        read_n (client, m);
        close (client);
        close (server);
      }
      if (write (ack[1], &c, 1) != 1)
        _exit (1);
      read (command[0], &c, 1);
      _exit (0);
    }
  close (command[0]);
  close (ack[1]);
  ck_assert_int_eq (read (ack[0], port, sizeof *port), sizeof *port);
  *command_fd = command[1];
  *ack_fd = ack[0];
  return pid;
}

/* Another namespace's short connection is reported too, with its namespace and bytes */
START_TEST (test_other_namespace)
{
  Fixture f = { 0 };
  guint16 port;
  int command_fd, ack_fd;
  guint64 n = 4321, m = 99;
  pid_t child;
  PortholeSocket *found = NULL;
  char c = 'x';

  fixture_init (&f);
  porthole_socket_monitor_set_all_namespaces (f.monitor, TRUE);
  child = spawn_namespace_child (n, m, &port, &command_fd, &ack_fd);
  refresh (&f);
  refresh (&f);
  ck_assert_int_eq (write (command_fd, &c, 1), 1);
  ck_assert_int_eq (read (ack_fd, &c, 1), 1);
  porthole_test_spin (100);
  refresh (&f);
  for (guint i = 0; i < f.closed->len; i++)
    {
      PortholeSocket *x = g_ptr_array_index (f.closed, i);

      if (porthole_socket_get_netns (x) != 0 && porthole_socket_get_local_port (x) == port)
        found = x;
    }
  ck_assert_msg (found != NULL, "the other namespace's short connection was not reported (%u closed)", f.closed->len);
  ck_assert_uint_eq (porthole_socket_get_bytes_received (found), n);
  ck_assert_uint_eq (porthole_socket_get_bytes_sent (found), m);
  ck_assert_int_eq (porthole_socket_get_pid (found), child);
  close (command_fd);
  close (ack_fd);
  waitpid (child, NULL, 0);
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
  tcase_add_test (tc, test_final_counters);
  tcase_add_test (tc, test_short_connection);
  tcase_add_test (tc, test_close_storm);
  tcase_add_test (tc, test_other_namespace);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (make_suite)
