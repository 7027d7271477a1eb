/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PortholeDestroyWatch on real loopback connections, each test in a private network namespace
 * of its own (so the closes it sees are its own), its bounded store with small caps, the
 * recorded broadcasts of tests/fixtures/destroy, and the payload counters. */
#define G_LOG_DOMAIN "test-destroy-watch"
#include "config.h"

#include "porthole-destroy-watch-private.h"
#include "porthole-net-error.h"
#include "porthole-sockdiag.h"
#include "porthole-test-netns.h"
#include "porthole-test-sockets.h"
#include "porthole-test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024 * 1024)
/* How long a close may take to arrive: the kernel broadcasts from a workqueue */
#define DELIVERY_MS 10000

static void
private_netns (void)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "private network namespace: %s", reason);
}

/* ---- sockets ---------------------------------------------------------------------------- */

typedef struct {
  guint8  family;
  guint8  local[16];
  guint16 local_port;
  guint8  remote[16];
  guint16 remote_port;
} Tuple;

static void
address_of (const struct sockaddr_storage *ss, guint8 addr[16], guint16 *port)
{
  memset (addr, 0, 16);
  if (ss->ss_family == AF_INET6)
    {
      const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *) ss;

      memcpy (addr, &s6->sin6_addr, 16);
      *port = ntohs (s6->sin6_port);
    }
  else
    {
      const struct sockaddr_in *s4 = (const struct sockaddr_in *) ss;

      memcpy (addr, &s4->sin_addr, 4);
      *port = ntohs (s4->sin_port);
    }
}

static Tuple
tuple_of (int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  Tuple t = { 0 };

  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &ss, &len), 0);
  t.family = ss.ss_family;
  address_of (&ss, t.local, &t.local_port);
  len = sizeof ss;
  if (getpeername (fd, (struct sockaddr *) &ss, &len) == 0)
    address_of (&ss, t.remote, &t.remote_port);
  return t;
}

static gboolean
row_is (const PortholeSockInfo *r, const Tuple *t)
{
  return r->protocol == IPPROTO_TCP && r->family == t->family &&
         r->local_port == t->local_port && r->remote_port == t->remote_port &&
         memcmp (r->local_addr, t->local, 16) == 0 && memcmp (r->remote_addr, t->remote, 16) == 0;
}

static int
listen_on_loopback (int family, int backlog)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t len;
  int fd = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  if (family == AF_INET6)
    {
      struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) &ss;

      s6->sin6_family = AF_INET6;
      s6->sin6_addr = in6addr_loopback;
      len = sizeof *s6;
    }
  else
    {
      struct sockaddr_in *s4 = (struct sockaddr_in *) &ss;

      s4->sin_family = AF_INET;
      s4->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      len = sizeof *s4;
    }
  ck_assert_msg (bind (fd, (struct sockaddr *) &ss, len) == 0, "bind: %s", g_strerror (errno));
  ck_assert_int_eq (listen (fd, backlog), 0);
  return fd;
}

static int
connect_to (int listen_fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int fd;

  ck_assert_int_eq (getsockname (listen_fd, (struct sockaddr *) &ss, &len), 0);
  fd = socket (ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge (fd, 0);
  ck_assert_msg (connect (fd, (struct sockaddr *) &ss, len) == 0, "connect: %s",
                 g_strerror (errno));
  return fd;
}

/* Sends @n bytes; FALSE when the peer went away first */
static gboolean
write_n (int fd, guint64 n)
{
  static guint8 chunk[256 * 1024];

  memset (chunk, 'p', sizeof chunk);
  while (n > 0)
    {
      ssize_t w = send (fd, chunk, MIN (n, sizeof chunk), MSG_NOSIGNAL);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return FALSE;
      n -= (guint64) w;
    }
  return TRUE;
}

/* Reads to the end (or @limit bytes); returns how many */
static guint64
read_n (int fd, guint64 limit)
{
  g_autofree guint8 *buf = g_malloc (256 * 1024);
  guint64 got = 0;

  while (got < limit)
    {
      ssize_t r = recv (fd, buf, MIN (limit - got, 256 * 1024), 0);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      got += (guint64) r;
    }
  return got;
}

/* ---- collecting what the watch hands over ---------------------------------------------- */

typedef struct {
  GArray *rows;         /* every row taken */
  guint64 closes;       /* rows + summaries + dropped, over every batch */
  guint64 overflows;
  guint64 malformed;
  guint   batches;
} Seen;

static void
seen_init (Seen *s)
{
  memset (s, 0, sizeof *s);
  s->rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
}

static void
seen_clear (Seen *s)
{
  g_array_unref (s->rows);
}

/* One take; every batch must keep within the caps */
static void
seen_take (Seen *s, PortholeDestroyWatch *w)
{
  g_autoptr(PortholeDestroyBatch) b = porthole_destroy_watch_take (w);

  ck_assert_uint_le (b->rows->len, PORTHOLE_DESTROY_MAX_ROWS);
  ck_assert_uint_le (b->summaries->len, PORTHOLE_DESTROY_MAX_SUMMARIES);
  g_array_append_vals (s->rows, b->rows->data, b->rows->len);
  s->closes += porthole_destroy_batch_closes (b);
  s->overflows += b->overflows;
  s->malformed += b->malformed;
  s->batches++;
}

static const PortholeSockInfo *
seen_find (Seen *s, const Tuple *t, guint *count)
{
  const PortholeSockInfo *found = NULL;

  *count = 0;
  for (guint i = 0; i < s->rows->len; i++)
    if (row_is (&g_array_index (s->rows, PortholeSockInfo, i), t))
      {
        found = &g_array_index (s->rows, PortholeSockInfo, i);
        (*count)++;
      }
  return found;
}

/* Takes until a row for each of @tuples has come, or DELIVERY_MS; each must come exactly once */
static void
wait_for (Seen *s, PortholeDestroyWatch *w, const Tuple *tuples, guint n,
          const PortholeSockInfo **rows)
{
  gint64 end = g_get_monotonic_time () + DELIVERY_MS * 1000;
  guint found = 0;

  while (found < n && g_get_monotonic_time () < end)
    {
      g_usleep (2000);
      seen_take (s, w);
      found = 0;
      for (guint i = 0; i < n; i++)
        {
          guint count;

          rows[i] = seen_find (s, &tuples[i], &count);
          found += rows[i] != NULL;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *local = porthole_endpoint_to_string (tuples[i].family, tuples[i].local,
                                                            tuples[i].local_port, FALSE);
      g_autofree char *remote = porthole_endpoint_to_string (tuples[i].family, tuples[i].remote,
                                                             tuples[i].remote_port, FALSE);
      guint count;

      rows[i] = seen_find (s, &tuples[i], &count);
      ck_assert_msg (count == 1, "%s -> %s: %u destroy events (overflows %" G_GUINT64_FORMAT ")",
                     local, remote, count, s->overflows);
    }
}

static PortholeDestroyWatch *
new_watch (void)
{
  g_autoptr(GError) error = NULL;
  PortholeDestroyWatch *w = porthole_destroy_watch_new (&error);

  ck_assert_msg (w != NULL, "porthole_destroy_watch_new: %s", error ? error->message : "?");
  return w;
}

/* ---- exact counters ------------------------------------------------------------------------ */

typedef struct {
  int     listen_fd;
  guint64 reply;
  guint64 got;
  Tuple   accepted;
} Server;

/* Accepts one client, reads to its FIN, replies, closes */
static gpointer
serve_one (gpointer data)
{
  Server *s = data;
  int fd = accept4 (s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

  if (fd < 0)
    return NULL;
  s->accepted = tuple_of (fd);
  s->got = read_n (fd, G_MAXUINT64);
  write_n (fd, s->reply);
  close (fd);
  return NULL;
}

static const struct {
  guint64 sent;      /* client to server */
  guint64 replied;   /* server to client */
} transfers[] = {
  { 0, 1 },
  { 1, 0 },
  { 1000, 333 },
  { MIB, 1000 },
  { 100 * 1000 * 1000, MIB + 7 },
};

/* A client sends N bytes and closes its side; the server reads them all, replies M bytes and
 * closes; the client reads to the end and closes. Both ends' destroy events give N and M
 * exactly. Loop index: transfer * 2 + (IPv6). */
START_TEST (test_exact_counters)
{
  guint64 n = transfers[_i / 2].sent, m = transfers[_i / 2].replied;
  int family = _i % 2 ? AF_INET6 : AF_INET;
  g_autoptr(PortholeDestroyWatch) w = NULL;
  const PortholeSockInfo *rows[2];
  Server server = { 0 };
  GThread *thread;
  Tuple tuples[2];
  Seen seen;
  int client;

  private_netns ();
  w = new_watch ();
  seen_init (&seen);
  server.listen_fd = listen_on_loopback (family, 4);
  server.reply = m;
  thread = g_thread_new ("server", serve_one, &server);

  client = connect_to (server.listen_fd);
  tuples[0] = tuple_of (client);
  ck_assert (write_n (client, n));
  ck_assert_int_eq (shutdown (client, SHUT_WR), 0);
  ck_assert_uint_eq (read_n (client, G_MAXUINT64), m);
  close (client);
  g_thread_join (thread);
  ck_assert_uint_eq (server.got, n);
  tuples[1] = server.accepted;

  wait_for (&seen, w, tuples, 2, rows);
  for (guint i = 0; i < 2; i++)
    {
      const PortholeSockInfo *r = rows[i];
      guint64 sent = i == 0 ? n : m, received = i == 0 ? m : n;

      /* every destroyed socket ends in CLOSE, with its final struct tcp_info */
      ck_assert_uint_eq (r->state, PORTHOLE_TCP_CLOSE);
      ck_assert_uint_eq (r->netns, 0);
      ck_assert (porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_BYTES_SENT |
                                                    PORTHOLE_TCP_INFO_BYTES_RETRANS |
                                                    PORTHOLE_TCP_INFO_BYTES_ACKED |
                                                    PORTHOLE_TCP_INFO_BYTES_RECEIVED));
      ck_assert_msg (porthole_sockinfo_payload_sent (r) == sent,
                     "%s end sent %" G_GUINT64_FORMAT ", counted %" G_GUINT64_FORMAT
                     " (bytes_sent %" G_GUINT64_FORMAT ", retrans %" G_GUINT64_FORMAT ")",
                     i == 0 ? "client" : "server", sent, porthole_sockinfo_payload_sent (r),
                     r->bytes_sent, r->bytes_retrans);
      ck_assert_msg (porthole_sockinfo_payload_received (r) == received,
                     "%s end received %" G_GUINT64_FORMAT ", counted %" G_GUINT64_FORMAT
                     " (bytes_received %" G_GUINT64_FORMAT ")", i == 0 ? "client" : "server",
                     received, porthole_sockinfo_payload_received (r), r->bytes_received);
      /* what the older kernels' stand-in says: the SYN on the client end (+1) and the FIN on
       * both, which porthole_sockinfo_payload_sent() takes off in CLOSE */
      ck_assert_uint_eq (r->bytes_acked, sent + (i == 0 ? 2 : 1));
    }
  close (server.listen_fd);
  seen_clear (&seen);
}
END_TEST

/* A connection that lives about 5 ms, between two reads of the socket table: neither read has
 * it open (the second only has the client's TIME_WAIT, without counters), the watch has both
 * ends with their bytes. */
START_TEST (test_short_connection)
{
  g_autoptr(PortholeDestroyWatch) w = NULL;
  g_autoptr(GArray) before = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GArray) after = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  const PortholeSockInfo *rows[2];
  int listen_fd, client, server;
  guint time_wait = 0;
  Tuple tuples[2];
  Seen seen;

  private_netns ();
  w = new_watch ();
  seen_init (&seen);
  listen_fd = listen_on_loopback (AF_INET, 4);
  ck_assert (porthole_sockdiag_dump (PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES, before,
                                     &error));

  client = connect_to (listen_fd);
  server = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  ck_assert_int_ge (server, 0);
  tuples[0] = tuple_of (client);
  tuples[1] = tuple_of (server);
  ck_assert (write_n (client, 42));
  ck_assert_uint_eq (read_n (server, 42), 42);
  g_usleep (5000);
  close (client);
  ck_assert_uint_eq (read_n (server, G_MAXUINT64), 0);
  close (server);

  ck_assert (porthole_sockdiag_dump (PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES, after,
                                     &error));
  for (guint i = 0; i < before->len; i++)
    for (guint t = 0; t < 2; t++)
      ck_assert (!row_is (&g_array_index (before, PortholeSockInfo, i), &tuples[t]));
  for (guint i = 0; i < after->len; i++)
    for (guint t = 0; t < 2; t++)
      if (row_is (&g_array_index (after, PortholeSockInfo, i), &tuples[t]))
        {
          ck_assert_uint_eq (g_array_index (after, PortholeSockInfo, i).state,
                             PORTHOLE_TCP_TIME_WAIT);
          time_wait++;
        }
  ck_assert_uint_eq (time_wait, 1);

  wait_for (&seen, w, tuples, 2, rows);
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (rows[0]), 42);
  ck_assert_uint_eq (porthole_sockinfo_payload_received (rows[0]), 0);
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (rows[1]), 0);
  ck_assert_uint_eq (porthole_sockinfo_payload_received (rows[1]), 42);
  close (listen_fd);
  seen_clear (&seen);
}
END_TEST

/* A server that aborts mid-transfer (SO_LINGER 0, an RST): both ends are reported. The aborting
 * end arrives as the kernel left it after tcp_disconnect(): remote port 0 (the address stays)
 * and no counters; the client's row is whole, with at least what the
 * server read, and nothing received (no FIN, so nothing to take off). */
START_TEST (test_reset_mid_transfer)
{
  g_autoptr(PortholeDestroyWatch) w = NULL;
  struct linger abort_now = { 1, 0 };
  const PortholeSockInfo *rows[2];
  int listen_fd, client, server;
  guint64 server_read;
  Tuple tuples[2];
  Seen seen;

  private_netns ();
  w = new_watch ();
  seen_init (&seen);
  listen_fd = listen_on_loopback (AF_INET6, 4);
  client = connect_to (listen_fd);
  server = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  ck_assert_int_ge (server, 0);
  tuples[0] = tuple_of (client);
  tuples[1] = tuple_of (server);
  tuples[1].remote_port = 0;
  ck_assert (write_n (client, 64 * 1024));
  server_read = read_n (server, 64 * 1024);
  ck_assert_uint_eq (server_read, 64 * 1024);
  ck_assert_int_eq (setsockopt (server, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now), 0);
  close (server);
  /* far more than the socket buffers hold: the client is still sending when the RST comes */
  ck_assert (!write_n (client, 64 * MIB));
  close (client);

  /* the listener is still open (and its row's remote address would be ::), so this is the
   * aborted one */
  wait_for (&seen, w, tuples, 2, rows);
  ck_assert_uint_eq (rows[0]->state, PORTHOLE_TCP_CLOSE);
  ck_assert_uint_eq (rows[1]->state, PORTHOLE_TCP_CLOSE);
  ck_assert_uint_ge (porthole_sockinfo_payload_sent (rows[0]), server_read);
  ck_assert_uint_eq (porthole_sockinfo_payload_received (rows[0]), 0);
  ck_assert_uint_eq (rows[1]->bytes_received, 0);
  ck_assert_uint_eq (rows[1]->bytes_sent, 0);
  close (listen_fd);
  seen_clear (&seen);
}
END_TEST

/* Connections still waiting to be accepted when their listener closes are freed with it, as
 * tcp_disconnect() leaves them: remote port 0, the remote address kept (which tells them from
 * the listener's own row, whose remote address is ::), no counters. Their clients' rows are
 * whole. */
START_TEST (test_never_accepted)
{
  g_autoptr(PortholeDestroyWatch) w = NULL;
  const PortholeSockInfo *rows[1];
  int listen_fd, clients[3];
  guint children = 0, listeners = 0;
  Tuple listener;
  Seen seen;

  private_netns ();
  w = new_watch ();
  seen_init (&seen);
  listen_fd = listen_on_loopback (AF_INET6, 8);
  listener = tuple_of (listen_fd);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      clients[i] = connect_to (listen_fd);
      ck_assert (write_n (clients[i], 100));
    }
  close (listen_fd);
  wait_for (&seen, w, &listener, 1, rows);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    close (clients[i]);

  for (gint64 end = g_get_monotonic_time () + DELIVERY_MS * 1000;
       seen.rows->len < 7 && g_get_monotonic_time () < end;)
    {
      g_usleep (2000);
      seen_take (&seen, w);
    }
  ck_assert_uint_eq (seen.rows->len, 7);
  for (guint i = 0; i < seen.rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (seen.rows, PortholeSockInfo, i);

      if (r->local_port != listener.local_port)
        {
          /* a client: it sent its 100 bytes, and got an RST */
          ck_assert_uint_eq (r->remote_port, listener.local_port);
          ck_assert_uint_eq (porthole_sockinfo_payload_sent (r), 100);
          continue;
        }
      ck_assert_uint_eq (r->remote_port, 0);
      ck_assert_uint_eq (r->bytes_received, 0);
      if (porthole_address_is_any (r->family, r->remote_addr))
        listeners++;
      else
        children++;
    }
  ck_assert_uint_eq (listeners, 1);
  ck_assert_uint_eq (children, 3);
  seen_clear (&seen);
}
END_TEST

/* ---- storms ------------------------------------------------------------------------------ */

#define STORM_CONNECTIONS 10000
/* each connection closes twice (client and accepted end), and the listener once at the end */
#define STORM_CLOSES (2 * STORM_CONNECTIONS + 1)

/* The accepted ends live in a child process (the fd limit is 20,000 a process): it accepts them
 * all, and closes them all when told. Only system calls: the parent has other threads. */
static G_NORETURN void
storm_acceptor (int listen_fd, int ready_fd, int go_fd)
{
  static int accepted[STORM_CONNECTIONS];
  char c = 'r';

  for (guint i = 0; i < STORM_CONNECTIONS; i++)
    {
      accepted[i] = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
      if (accepted[i] < 0)
        _exit (1);
    }
  if (write (ready_fd, &c, 1) != 1 || read (go_fd, &c, 1) != 1)
    _exit (2);
  for (guint i = 0; i < STORM_CONNECTIONS; i++)
    close (accepted[i]);
  _exit (0);
}

/* 10,000 connections open at once, then all closed, both ends, within a second (0.5-0.9 s on
 * two busy cores here), then the listener. Returns the listener's port. */
static guint16
storm (int family)
{
  static int clients[STORM_CONNECTIONS];
  int listen_fd = listen_on_loopback (family, 4096);
  guint16 port = tuple_of (listen_fd).local_port;
  int ready[2], go[2], status;
  gint64 start;
  pid_t pid;
  char c = 'g';

  ck_assert_int_eq (pipe2 (ready, O_CLOEXEC), 0);
  ck_assert_int_eq (pipe2 (go, O_CLOEXEC), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    storm_acceptor (listen_fd, ready[1], go[0]);
  close (ready[1]);
  close (go[0]);
  for (guint i = 0; i < STORM_CONNECTIONS; i++)
    clients[i] = connect_to (listen_fd);
  ck_assert_int_eq (read (ready[0], &c, 1), 1);

  start = g_get_monotonic_time ();
  ck_assert_int_eq (write (go[1], &c, 1), 1);
  for (guint i = 0; i < STORM_CONNECTIONS; i++)
    close (clients[i]);
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  /* for the record (not asserted): how fast the closes came */
  g_printerr ("storm: %u connections, both ends closed in %" G_GINT64_FORMAT " ms\n",
              STORM_CONNECTIONS, (g_get_monotonic_time () - start) / 1000);
  close (ready[0]);
  close (go[1]);
  close (listen_fd);
  return port;
}

/* Waits until @w has received @n closes or DELIVERY_MS passed without a new one */
static guint64
wait_received (PortholeDestroyWatch *w, guint64 n)
{
  guint64 received = porthole_destroy_watch_get_received (w);
  gint64 last_change = g_get_monotonic_time ();

  while (received < n && g_get_monotonic_time () - last_change < DELIVERY_MS * 1000)
    {
      guint64 now;

      g_usleep (5000);
      now = porthole_destroy_watch_get_received (w);
      if (now != received)
        last_change = g_get_monotonic_time ();
      received = now;
    }
  return received;
}

/* Nothing taken during the storm: the rows stop at their cap, then the summaries (the accepted
 * ends share the listener's, each client end has its own port) at theirs, the rest is counted;
 * together they account for every close, once. */
START_TEST (test_storm_bounded)
{
  g_autoptr(PortholeDestroyWatch) w = NULL;
  g_autoptr(PortholeDestroyBatch) b = NULL;
  const PortholeDestroySummary *listener_summary = NULL;
  guint64 received, summarised = 0;
  guint16 port;

  private_netns ();
  w = new_watch ();
  port = storm (AF_INET);
  received = wait_received (w, STORM_CLOSES);
  b = porthole_destroy_watch_take (w);
  g_printerr ("storm: %" G_GUINT64_FORMAT " closes received, %u rows, %u summaries, %"
              G_GUINT64_FORMAT " dropped, %" G_GUINT64_FORMAT " overflows\n", received,
              b->rows->len, b->summaries->len, b->dropped, b->overflows);

  ck_assert_uint_eq (b->malformed, 0);
  /* as root the socket's buffer holds the whole storm; a kernel that still overflowed it is
   * counted, and then fewer closes came */
  if (b->overflows == 0)
    ck_assert_uint_eq (received, STORM_CLOSES);
  else
    ck_assert_uint_lt (received, STORM_CLOSES);
  ck_assert_uint_eq (porthole_destroy_batch_closes (b), received);
  ck_assert_uint_eq (b->rows->len, PORTHOLE_DESTROY_MAX_ROWS);
  ck_assert_uint_eq (b->summaries->len, PORTHOLE_DESTROY_MAX_SUMMARIES);
  ck_assert_uint_gt (b->dropped, 0);
  for (guint i = 0; i < b->rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (b->rows, PortholeSockInfo, i);

      ck_assert (r->local_port == port || r->remote_port == port);
      ck_assert_uint_eq (porthole_sockinfo_payload_sent (r), 0);
    }
  for (guint i = 0; i < b->summaries->len; i++)
    {
      const PortholeDestroySummary *s = &g_array_index (b->summaries, PortholeDestroySummary, i);

      summarised += s->closes;
      ck_assert_uint_gt (s->closes, 0);
      if (s->local_port == port)
        listener_summary = s;
    }
  /* the accepted ends past the rows all went to the listener's endpoint */
  ck_assert_ptr_nonnull (listener_summary);
  ck_assert_uint_gt (listener_summary->closes, 1000);
  ck_assert_uint_eq (b->rows->len + summarised + b->dropped, received);

  /* the next take starts empty */
  {
    g_autoptr(PortholeDestroyBatch) again = porthole_destroy_watch_take (w);

    ck_assert_uint_eq (porthole_destroy_batch_closes (again), 0);
  }
}
END_TEST

typedef struct {
  PortholeDestroyWatch *w;
  Seen                  seen;
  gint                  stop;
} Taker;

static gpointer
take_until_stopped (gpointer data)
{
  Taker *t = data;

  while (!g_atomic_int_get (&t->stop))
    {
      seen_take (&t->seen, t->w);
      g_usleep (200);
    }
  return NULL;
}

/* Another thread takes while the reader runs and the storm goes on: every close once. */
START_TEST (test_take_during_storm)
{
  Taker t = { 0 };
  GThread *thread;
  guint64 received;

  private_netns ();
  t.w = new_watch ();
  seen_init (&t.seen);
  thread = g_thread_new ("taker", take_until_stopped, &t);
  storm (AF_INET6);
  received = wait_received (t.w, STORM_CLOSES);
  g_atomic_int_set (&t.stop, 1);
  g_thread_join (thread);
  seen_take (&t.seen, t.w);

  ck_assert_uint_gt (t.seen.batches, 2);
  ck_assert_uint_eq (t.seen.malformed, 0);
  ck_assert_uint_eq (t.seen.closes, received);
  if (t.seen.overflows == 0)
    ck_assert_uint_eq (received, STORM_CLOSES);
  porthole_destroy_watch_free (t.w);
  seen_clear (&t.seen);
}
END_TEST

static gpointer
storm_thread (gpointer data)
{
  storm (AF_INET);
  return NULL;
}

/* Freed while the reader is busy and closes are pending, in the store and in the socket */
START_TEST (test_free_while_busy)
{
  PortholeDestroyWatch *w;
  GThread *thread;
  gint64 end;

  private_netns ();
  w = new_watch ();
  thread = g_thread_new ("storm", storm_thread, NULL);
  end = g_get_monotonic_time () + DELIVERY_MS * 1000;
  while (porthole_destroy_watch_get_received (w) < 500 && g_get_monotonic_time () < end)
    g_usleep (1000);
  ck_assert_uint_ge (porthole_destroy_watch_get_received (w), 500);
  porthole_destroy_watch_free (w);
  g_thread_join (thread);

  /* and one freed right after it was made, and NULL */
  porthole_destroy_watch_free (new_watch ());
  porthole_destroy_watch_free (NULL);
}
END_TEST

/* The kernel's queue overflows (ENOBUFS) while the reader is held: counted, and the watch goes
 * on. The kernel drops every broadcast from the overflow until the reader has emptied the
 * queue, so the close that shows it goes on is tried until one comes. */
START_TEST (test_overflow_counted)
{
  g_autoptr(PortholeDestroyWatch) w = NULL;
  g_autoptr(GError) error = NULL;
  int listen_fd, c, a;
  gboolean seen_after = FALSE;
  guint tries = 0;
  Seen seen;

  private_netns ();
  /* the kernel makes that about 8 KiB: a handful of broadcasts */
  w = porthole_destroy_watch_new_with_rcvbuf (4096, &error);
  ck_assert_msg (w != NULL, "%s", error ? error->message : "");
  seen_init (&seen);
  listen_fd = listen_on_loopback (AF_INET, 16);
  porthole_destroy_watch_set_paused (w, TRUE);
  for (guint i = 0; i < 200; i++)
    {
      c = connect_to (listen_fd);
      a = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
      ck_assert_int_ge (a, 0);
      close (c);
      close (a);
    }
  /* the broadcasts go out from a kernel workqueue: let them all come (and overflow) */
  g_usleep (300 * 1000);
  porthole_destroy_watch_set_paused (w, FALSE);

  while (!seen_after && tries++ < 20)
    {
      Tuple after;
      guint count;

      c = connect_to (listen_fd);
      a = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
      after = tuple_of (c);
      close (c);
      close (a);
      for (guint wait = 0; wait < 100 && !seen_after; wait++)
        {
          g_usleep (5000);
          seen_take (&seen, w);
          seen_after = seen_find (&seen, &after, &count) != NULL;
        }
    }
  g_printerr ("overflow: %" G_GUINT64_FORMAT " closes kept, %" G_GUINT64_FORMAT
              " overflows, %u tries after\n", seen.closes, seen.overflows, tries);
  ck_assert (seen_after);
  ck_assert_uint_ge (seen.overflows, 1);
  ck_assert_uint_lt (seen.closes, 400);
  ck_assert_uint_eq (seen.malformed, 0);
  ck_assert (porthole_destroy_watch_is_running (w, NULL));
  close (listen_fd);
  seen_clear (&seen);
}
END_TEST

/* ---- without root, and in another namespace ------------------------------------------------ */

static int
watch_as_nobody (int message_fd, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeDestroyWatch) w = porthole_destroy_watch_new (&error);
  g_autoptr(GArray) rows = NULL;
  Tuple tuple;
  gint64 end;
  int listen_fd, client, server;

  if (w == NULL)
    {
      dprintf (message_fd, "porthole_destroy_watch_new as uid %u: %s", getuid (), error->message);
      return 1;
    }
  listen_fd = listen_on_loopback (AF_INET, 4);
  client = connect_to (listen_fd);
  server = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  tuple = tuple_of (client);
  write_n (client, 7);
  read_n (server, 7);
  close (client);
  close (server);

  rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  end = g_get_monotonic_time () + DELIVERY_MS * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_autoptr(PortholeDestroyBatch) b = porthole_destroy_watch_take (w);

      for (guint i = 0; i < b->rows->len; i++)
        {
          const PortholeSockInfo *r = &g_array_index (b->rows, PortholeSockInfo, i);

          if (!row_is (r, &tuple))
            continue;
          if (porthole_sockinfo_payload_sent (r) == 7)
            return 0;
          dprintf (message_fd, "the client's close came with %" G_GUINT64_FORMAT " bytes sent",
                   porthole_sockinfo_payload_sent (r));
          return 1;
        }
      g_usleep (2000);
    }
  dprintf (message_fd, "no destroy event as uid %u", getuid ());
  return 1;
}

START_TEST (test_without_root)
{
  g_autofree char *message = NULL;
  int status;

  private_netns ();
  status = porthole_test_run_as_nobody (watch_as_nobody, NULL, &message);
  ck_assert_msg (status == 0, "%s", message ? message : "");
}
END_TEST

/* A watch made inside another namespace sees that namespace's closes (with its id) and not
 * ours; ours sees ours. */
START_TEST (test_other_namespace)
{
  g_autoptr(PortholeDestroyWatch) theirs = NULL;
  g_autoptr(PortholeDestroyWatch) ours = NULL;
  g_autoptr(GArray) namespaces = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  const PortholeNetns *ns = NULL;
  const PortholeSockInfo *rows[2];
  PortholeTestNetns t;
  guint listeners = 0, client = 0, accepted = 0;
  int listen_fd, c, a;
  Tuple tuples[2];
  Seen seen_theirs, seen_ours;

  private_netns ();
  ck_assert_msg (porthole_test_netns_spawn (&t, 1, &reason), "%s", reason);
  namespaces = porthole_netns_list (NULL, &error);
  ck_assert_ptr_nonnull (namespaces);
  for (guint i = 0; i < namespaces->len; i++)
    if (g_array_index (namespaces, PortholeNetns, i).id == t.id)
      ns = &g_array_index (namespaces, PortholeNetns, i);
  ck_assert_ptr_nonnull (ns);
  ck_assert (ns->enterable);
  theirs = porthole_destroy_watch_new_in_netns (NULL, ns, &error);
  ck_assert_msg (theirs != NULL, "%s", error ? error->message : "");
  ours = new_watch ();
  seen_init (&seen_theirs);
  seen_init (&seen_ours);

  listen_fd = listen_on_loopback (AF_INET, 4);
  c = connect_to (listen_fd);
  a = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
  tuples[0] = tuple_of (c);
  tuples[1] = tuple_of (a);
  close (c);
  close (a);
  /* its processes exit: two listeners and both ends of a connection close over there */
  porthole_test_netns_release (&t);

  wait_for (&seen_ours, ours, tuples, 2, rows);
  ck_assert_uint_eq (rows[0]->netns, 0);
  for (gint64 end = g_get_monotonic_time () + DELIVERY_MS * 1000;
       seen_theirs.rows->len < 4 && g_get_monotonic_time () < end;)
    {
      g_usleep (2000);
      seen_take (&seen_theirs, theirs);
    }
  for (guint i = 0; i < seen_theirs.rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (seen_theirs.rows, PortholeSockInfo, i);

      ck_assert_uint_eq (r->netns, t.id);
      ck_assert (!row_is (r, &tuples[0]) && !row_is (r, &tuples[1]));
      if (r->local_port == PORTHOLE_TEST_NETNS_PORT && r->remote_port == 0)
        listeners++;
      else if (r->remote_port == PORTHOLE_TEST_NETNS_PORT && r->local_port == t.client_port)
        client++;
      else if (r->local_port == PORTHOLE_TEST_NETNS_PORT && r->remote_port == t.client_port)
        accepted++;
    }
  ck_assert_uint_eq (listeners, 2);
  ck_assert_uint_eq (client, 1);
  ck_assert_uint_eq (accepted, 1);
  for (guint i = 0; i < seen_ours.rows->len; i++)
    ck_assert_uint_eq (g_array_index (seen_ours.rows, PortholeSockInfo, i).netns, 0);
  close (listen_fd);
  seen_clear (&seen_theirs);
  seen_clear (&seen_ours);
}
END_TEST

START_TEST (test_namespace_errors)
{
  g_autoptr(GError) error = NULL;
  PortholeNetns gone = { .id = 1, .pid = G_MAXINT, .n_pids = 1, .own = FALSE, .enterable = TRUE };
  PortholeNetns closed = { .id = 1, .pid = 1, .n_pids = 1, .own = FALSE, .enterable = FALSE };
  PortholeDestroyWatch *w;

  /* no process is in namespace 1 (not an inode /proc ever gives) */
  w = porthole_destroy_watch_new_in_netns (NULL, &gone, &error);
  ck_assert_ptr_null (w);
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_FAILED));
  g_clear_error (&error);
  w = porthole_destroy_watch_new_in_netns (NULL, &closed, &error);
  ck_assert_ptr_null (w);
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_REFUSED));
}
END_TEST

/* ---- the store ------------------------------------------------------------------------------ */

static PortholeSockInfo
closed_row (guint16 local_port, guint64 sent, guint64 received)
{
  PortholeSockInfo r = { 0 };

  r.protocol = IPPROTO_TCP;
  r.family = AF_INET;
  r.state = PORTHOLE_TCP_CLOSE;
  r.local_addr[0] = 127;
  r.local_addr[3] = 1;
  r.local_port = local_port;
  r.remote_port = 40000;
  r.flags = PORTHOLE_SOCKINFO_HAS_TCP_INFO;
  r.tcp_info_fields = PORTHOLE_TCP_INFO_ALL_FIELDS;
  r.bytes_sent = sent;
  r.bytes_acked = sent + 1;
  r.bytes_received = received + 1;   /* the FIN */
  return r;
}

START_TEST (test_store_caps)
{
  PortholeDestroyStore *store = porthole_destroy_store_new (2, 2);
  PortholeDestroyBatch *b;
  PortholeSockInfo r;
  const PortholeDestroySummary *s;

  /* rows first */
  r = closed_row (80, 10, 20);
  porthole_destroy_store_add (store, &r);
  r = closed_row (81, 1, 2);
  porthole_destroy_store_add (store, &r);
  /* then summaries per endpoint: 80 twice, 443 once */
  r = closed_row (80, 100, 200);
  porthole_destroy_store_add (store, &r);
  r = closed_row (443, 5, 6);
  porthole_destroy_store_add (store, &r);
  r = closed_row (80, 1000, 2000);
  porthole_destroy_store_add (store, &r);
  /* then only counts: another namespace is another endpoint */
  r = closed_row (80, 7, 8);
  r.netns = 99;
  porthole_destroy_store_add (store, &r);
  r = closed_row (22, 3, 0);
  porthole_destroy_store_add (store, &r);
  porthole_destroy_store_count_overflow (store);
  porthole_destroy_store_count_malformed (store, 2);

  b = porthole_destroy_store_take (store);
  ck_assert_uint_eq (b->rows->len, 2);
  ck_assert_uint_eq (g_array_index (b->rows, PortholeSockInfo, 0).local_port, 80);
  ck_assert_uint_eq (g_array_index (b->rows, PortholeSockInfo, 1).local_port, 81);
  ck_assert_uint_eq (b->summaries->len, 2);
  s = &g_array_index (b->summaries, PortholeDestroySummary, 0);
  ck_assert_uint_eq (s->local_port, 80);
  ck_assert_uint_eq (s->closes, 2);
  ck_assert_uint_eq (s->payload_sent, 1100);
  ck_assert_uint_eq (s->payload_received, 2200);
  ck_assert_uint_eq (s->local_addr[0], 127);
  s = &g_array_index (b->summaries, PortholeDestroySummary, 1);
  ck_assert_uint_eq (s->local_port, 443);
  ck_assert_uint_eq (s->closes, 1);
  ck_assert_uint_eq (b->dropped, 2);
  ck_assert_uint_eq (b->dropped_payload_sent, 10);
  ck_assert_uint_eq (b->dropped_payload_received, 8);
  ck_assert_uint_eq (b->overflows, 1);
  ck_assert_uint_eq (b->malformed, 2);
  ck_assert_uint_eq (porthole_destroy_batch_closes (b), 7);
  porthole_destroy_batch_free (b);

  /* a take empties everything, the summaries' index too */
  b = porthole_destroy_store_take (store);
  ck_assert_uint_eq (porthole_destroy_batch_closes (b) + b->overflows + b->malformed, 0);
  porthole_destroy_batch_free (b);
  for (guint i = 0; i < 3; i++)
    {
      r = closed_row (443, 1, 1);
      porthole_destroy_store_add (store, &r);
    }
  b = porthole_destroy_store_take (store);
  ck_assert_uint_eq (b->summaries->len, 1);
  ck_assert_uint_eq (g_array_index (b->summaries, PortholeDestroySummary, 0).closes, 1);
  porthole_destroy_batch_free (b);

  /* no room at all: everything is counted */
  porthole_destroy_store_free (store);
  store = porthole_destroy_store_new (0, 0);
  r = closed_row (1, 1, 1);
  porthole_destroy_store_add (store, &r);
  b = porthole_destroy_store_take (store);
  ck_assert_uint_eq (b->rows->len + b->summaries->len, 0);
  ck_assert_uint_eq (b->dropped, 1);
  porthole_destroy_batch_free (b);
  porthole_destroy_store_free (store);
}
END_TEST

/* ---- the recorded broadcasts, whole and spoiled ------------------------------------------ */

static GBytes *
load_fixture (void)
{
  g_autofree char *path = porthole_test_fixture ("destroy/destroy.netlink");
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  ck_assert_msg (g_file_get_contents (path, &data, &len, &error), "%s",
                 error ? error->message : "");
  return g_bytes_new_take (data, len);
}

/* tests/fixtures/destroy/record.py: what each of the 9 closes carried */
START_TEST (test_recorded_broadcasts)
{
  static const struct {
    guint8  family;
    guint16 local_port;    /* 0: the client end (an ephemeral port) */
    guint16 remote_port;
    guint64 sent;
    guint64 received;
  } expected[] = {
    { AF_INET, 5000, 0, 333, 1000 },       /* the server end closes first */
    { AF_INET, 0, 5000, 1000, 333 },
    { AF_INET6, 5001, 0, 0, 70000 },
    { AF_INET6, 0, 5001, 70000, 0 },
    /* aborted by the server (SO_LINGER 0): the kernel's tcp_disconnect() cleared its remote
     * port and its counters before the socket was freed; the client got the RST (no FIN) */
    { AF_INET, 5002, 0, 0, 0 },
    { AF_INET, 0, 5002, 10, 0 },
    { AF_INET, 5000, 0, 0, 0 },            /* the listeners */
    { AF_INET6, 5001, 0, 0, 0 },
    { AF_INET, 5002, 0, 0, 0 },
  };
  g_autoptr(GBytes) bytes = load_fixture ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  ck_assert (porthole_destroy_parse_message (data, len, 7, rows));
  ck_assert_uint_eq (rows->len, G_N_ELEMENTS (expected));
  for (guint i = 0; i < rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);
      gboolean listener = i >= 6 || i == 4;

      ck_assert_uint_eq (r->protocol, IPPROTO_TCP);
      ck_assert_uint_eq (r->family, expected[i].family);
      ck_assert_uint_eq (r->state, PORTHOLE_TCP_CLOSE);
      ck_assert_uint_eq (r->netns, 7);
      ck_assert_uint_eq (r->inode, 0);
      ck_assert (porthole_address_is_loopback (r->family, r->local_addr));
      if (expected[i].local_port != 0)
        ck_assert_uint_eq (r->local_port, expected[i].local_port);
      else
        ck_assert_uint_ge (r->local_port, 1024);
      if (listener)
        ck_assert_uint_eq (r->remote_port, 0);
      else if (expected[i].remote_port != 0)
        ck_assert_uint_eq (r->remote_port, expected[i].remote_port);
      ck_assert (porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_ALL_FIELDS));
      ck_assert_uint_eq (porthole_sockinfo_payload_sent (r), expected[i].sent);
      ck_assert_uint_eq (porthole_sockinfo_payload_received (r), expected[i].received);
    }
}
END_TEST

/* The offset of message @index's INET_DIAG_PROTOCOL value in @data */
static gsize
protocol_offset (const guint8 *data, gsize len, guint index)
{
  gsize off = 0;

  for (guint i = 0; i < index; i++)
    {
      struct nlmsghdr h;

      memcpy (&h, data + off, sizeof h);
      off += NLMSG_ALIGN (h.nlmsg_len);
    }
  off += NLMSG_HDRLEN + NLMSG_ALIGN (sizeof (struct inet_diag_msg));
  ck_assert_uint_lt (off + 4, len);
  /* the kernel puts it first */
  ck_assert_uint_eq (data[off + 2], INET_DIAG_PROTOCOL);
  return off;
}

START_TEST (test_hostile_broadcasts)
{
  g_autoptr(GBytes) bytes = load_fixture ();
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  PortholeSockInfo before = { .inode = 77 };
  gsize len, off;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *work = g_memdup2 (data, len);

  /* a message naming UDP, one naming a protocol without rows of ours, one without the
   * attribute: all three skipped, the other six kept */
  off = protocol_offset (work, len, 0);
  work[off + 4] = IPPROTO_UDP;
  off = protocol_offset (work, len, 1);
  work[off + 4] = IPPROTO_SCTP;
  off = protocol_offset (work, len, 2);
  work[off + 2] = 0x7f;   /* an attribute type nobody defined */
  g_array_append_val (rows, before);
  ck_assert (porthole_destroy_parse_message (work, len, 0, rows));
  ck_assert_uint_eq (rows->len, 1 + 6);
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 0).inode, 77);

  /* cut anywhere inside a message: an error, and the rows as they were */
  for (gsize cut = 1; cut < 380; cut += 13)
    {
      ck_assert (!porthole_destroy_parse_message (data, len - cut, 0, rows));
      ck_assert_uint_eq (rows->len, 7);
    }

  /* an attribute that runs past its message */
  memcpy (work, data, len);
  off = protocol_offset (work, len, 0);
  work[off] = 0xff;
  work[off + 1] = 0x7f;
  ck_assert (!porthole_destroy_parse_message (work, len, 0, rows));
  ck_assert_uint_eq (rows->len, 7);
}
END_TEST

/* ---- the payload counters on their own ------------------------------------------------------ */

START_TEST (test_payload_rules)
{
  /* the FIN has come in these states, not in the others */
  static const guint8 fin_in[] = { PORTHOLE_TCP_CLOSE_WAIT, PORTHOLE_TCP_LAST_ACK,
                                   PORTHOLE_TCP_CLOSING, PORTHOLE_TCP_TIME_WAIT,
                                   PORTHOLE_TCP_CLOSE };
  static const guint8 no_fin[] = { PORTHOLE_TCP_ESTABLISHED, PORTHOLE_TCP_SYN_SENT,
                                   PORTHOLE_TCP_FIN_WAIT1, PORTHOLE_TCP_FIN_WAIT2,
                                   PORTHOLE_TCP_LISTEN };
  PortholeSockInfo r = closed_row (80, 500, 0);
  PortholeSockInfo udp = { .protocol = IPPROTO_UDP, .bytes_sent = 9, .bytes_received = 9 };

  r.bytes_received = 101;
  for (gsize i = 0; i < G_N_ELEMENTS (fin_in); i++)
    {
      r.state = fin_in[i];
      ck_assert_uint_eq (porthole_sockinfo_payload_received (&r), 100);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (no_fin); i++)
    {
      r.state = no_fin[i];
      ck_assert_uint_eq (porthole_sockinfo_payload_received (&r), 101);
    }
  r.state = PORTHOLE_TCP_CLOSE;
  r.bytes_received = 0;
  ck_assert_uint_eq (porthole_sockinfo_payload_received (&r), 0);

  /* retransmissions are not payload twice */
  r.bytes_sent = 1500;
  r.bytes_retrans = 1000;
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (&r), 500);
  r.bytes_retrans = 2000;
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (&r), 0);

  /* an older kernel's struct: bytes_acked only, its FIN off once acknowledged */
  r.tcp_info_fields = PORTHOLE_TCP_INFO_ALL_FIELDS & ~(PORTHOLE_TCP_INFO_BYTES_SENT |
                                                       PORTHOLE_TCP_INFO_BYTES_RETRANS);
  r.bytes_acked = 501;
  r.state = PORTHOLE_TCP_CLOSE;
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (&r), 500);
  r.state = PORTHOLE_TCP_FIN_WAIT2;
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (&r), 500);
  r.state = PORTHOLE_TCP_ESTABLISHED;
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (&r), 501);

  /* unknown: no struct tcp_info, or UDP */
  porthole_sockinfo_forget_tcp_info (&r);
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (&r), 0);
  ck_assert_uint_eq (porthole_sockinfo_payload_received (&r), 0);
  ck_assert_uint_eq (porthole_sockinfo_payload_sent (&udp), 0);
  ck_assert_uint_eq (porthole_sockinfo_payload_received (&udp), 0);
}
END_TEST

static Suite *
destroy_watch_suite (void)
{
  Suite *s = suite_create ("destroy-watch");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 240);
  tcase_add_loop_test (tc, test_exact_counters, 0, 2 * G_N_ELEMENTS (transfers));
  tcase_add_test (tc, test_short_connection);
  tcase_add_test (tc, test_reset_mid_transfer);
  tcase_add_test (tc, test_never_accepted);
  tcase_add_test (tc, test_storm_bounded);
  tcase_add_test (tc, test_take_during_storm);
  tcase_add_test (tc, test_free_while_busy);
  tcase_add_test (tc, test_overflow_counted);
  tcase_add_test (tc, test_without_root);
  tcase_add_test (tc, test_other_namespace);
  tcase_add_test (tc, test_namespace_errors);
  tcase_add_test (tc, test_store_caps);
  tcase_add_test (tc, test_recorded_broadcasts);
  tcase_add_test (tc, test_hostile_broadcasts);
  tcase_add_test (tc, test_payload_rules);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (destroy_watch_suite)
