/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The TCP counters of the live dump (struct tcp_info through INET_DIAG_INFO), against traffic
 * this test makes itself: loopback connections to listeners it opened on port 0, carrying an
 * exact number of bytes each way. test-sockdiag.c and test-netlink-hostile.c cover the
 * attribute parser on built and recorded buffers. */
#define G_LOG_DOMAIN "test-tcp-info"
#include "config.h"

#include "porthole-test.h"

#include "porthole-sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK (64 * 1024)
/* Counters settle once the last ACK is in; a delayed ACK takes up to 200 ms */
#define SETTLE_MS 3000

typedef struct {
  int      listener;
  int      client;
  int      server;
  guint8   family;
  guint16  listen_port;
  guint16  client_port;
} Pair;

static guint16
local_port (int fd)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;

  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &ss, &len), 0);
  if (ss.ss_family == AF_INET6)
    return ntohs (((struct sockaddr_in6 *) &ss)->sin6_port);
  return ntohs (((struct sockaddr_in *) &ss)->sin_port);
}

/* A listener on loopback port 0 (the kernel's choice), a client connected to it, the
 * accepted end */
static void
pair_open (Pair *p, guint8 family)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t len;

  memset (p, 0, sizeof *p);
  p->family = family;
  if (family == AF_INET6)
    {
      struct sockaddr_in6 *a = (struct sockaddr_in6 *) &ss;

      a->sin6_family = AF_INET6;
      a->sin6_addr = in6addr_loopback;
      len = sizeof *a;
    }
  else
    {
      struct sockaddr_in *a = (struct sockaddr_in *) &ss;

      a->sin_family = AF_INET;
      a->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      len = sizeof *a;
    }
  p->listener = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge (p->listener, 0);
  ck_assert_msg (bind (p->listener, (struct sockaddr *) &ss, len) == 0, "bind: %s",
                 g_strerror (errno));
  ck_assert_int_eq (listen (p->listener, 4), 0);
  p->listen_port = local_port (p->listener);
  if (family == AF_INET6)
    ((struct sockaddr_in6 *) &ss)->sin6_port = htons (p->listen_port);
  else
    ((struct sockaddr_in *) &ss)->sin_port = htons (p->listen_port);

  p->client = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge (p->client, 0);
  ck_assert_msg (connect (p->client, (struct sockaddr *) &ss, len) == 0, "connect: %s",
                 g_strerror (errno));
  p->client_port = local_port (p->client);
  p->server = accept4 (p->listener, NULL, NULL, SOCK_CLOEXEC);
  ck_assert_int_ge (p->server, 0);
}

static void
pair_close (Pair *p)
{
  if (p->client >= 0)
    close (p->client);
  if (p->server >= 0)
    close (p->server);
  close (p->listener);
}

static void
write_exactly (int fd, gsize n)
{
  g_autofree guint8 *buf = g_malloc (CHUNK);

  memset (buf, 'p', CHUNK);
  while (n > 0)
    {
      ssize_t w = write (fd, buf, MIN (n, CHUNK));

      if (w < 0 && errno == EINTR)
        continue;
      ck_assert_msg (w > 0, "write: %s", g_strerror (errno));
      n -= (gsize) w;
    }
}

static void
read_exactly (int fd, gsize n)
{
  g_autofree guint8 *buf = g_malloc (CHUNK);

  while (n > 0)
    {
      ssize_t r = read (fd, buf, MIN (n, CHUNK));

      if (r < 0 && errno == EINTR)
        continue;
      ck_assert_msg (r > 0, "read: %s", r == 0 ? "end of stream" : g_strerror (errno));
      n -= (gsize) r;
    }
}

typedef struct {
  int   fd;
  gsize in;
  gsize out;
} Peer;

/* The accepted end: reads everything the client sends, then answers */
static gpointer
server_thread (gpointer data)
{
  Peer *peer = data;

  read_exactly (peer->fd, peer->in);
  write_exactly (peer->fd, peer->out);
  return NULL;
}

/* The client sends @n bytes, the server reads them all and sends @m back, the client reads
 * them all: each direction's bytes are in flight at most until the peer has read them. */
static void
transfer (Pair *p, gsize n, gsize m)
{
  Peer peer = { p->server, n, m };
  GThread *thread = g_thread_new ("server", server_thread, &peer);

  write_exactly (p->client, n);
  read_exactly (p->client, m);
  g_thread_join (thread);
}

static const PortholeSockInfo *
find_row (GArray *rows, guint8 family, guint16 local, guint16 remote)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

      if (r->protocol == IPPROTO_TCP && r->family == family && r->local_port == local &&
          r->remote_port == remote)
        return r;
    }
  return NULL;
}

static GArray *
dump_tcp (guint8 family, PortholeDumpFlags extra)
{
  g_autoptr(GError) error = NULL;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  PortholeDumpFlags flags = PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_ALL_STATES | extra |
                            (family == AF_INET6 ? PORTHOLE_DUMP_IPV6 : PORTHOLE_DUMP_IPV4);

  ck_assert_msg (porthole_sockdiag_dump (flags, rows, &error), "%s",
                 error ? error->message : "");
  return rows;
}

/* The kernel counts the acknowledged sequence space: on the end that connected it includes the
 * SYN (one more than the data), on the accepted end it starts after the SYN-ACK. */
enum { SYN_NOT_COUNTED = 0, SYN_COUNTED = 1 };

static gboolean
counters_are (const PortholeSockInfo *r, gsize sent, gsize received, guint syn)
{
  return r != NULL && porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_BYTES_ACKED |
                                                         PORTHOLE_TCP_INFO_BYTES_RECEIVED) &&
         r->bytes_acked == sent + syn && r->bytes_received == received &&
         (!(r->tcp_info_fields & PORTHOLE_TCP_INFO_BYTES_SENT) || r->bytes_sent == sent);
}

static void
assert_end (const PortholeSockInfo *r, const char *end, gsize sent, gsize received, guint syn)
{
  ck_assert_msg (r != NULL, "%s: no row", end);
  ck_assert_msg (r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO, "%s: no tcp_info", end);
  ck_assert_int_eq (r->state, PORTHOLE_TCP_ESTABLISHED);
  /* every kernel since 4.1 (2015) has the byte counts, since 4.19 bytes_sent */
  ck_assert_msg (porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_BYTES_ACKED |
                                                    PORTHOLE_TCP_INFO_BYTES_RECEIVED |
                                                    PORTHOLE_TCP_INFO_RTT |
                                                    PORTHOLE_TCP_INFO_TOTAL_RETRANS |
                                                    PORTHOLE_TCP_INFO_SEGS_IN |
                                                    PORTHOLE_TCP_INFO_SEGS_OUT),
                 "%s: fields 0x%x, %u bytes of tcp_info", end, r->tcp_info_fields, r->tcp_info_len);
  ck_assert_msg (r->bytes_received == received, "%s: received %" G_GUINT64_FORMAT
                 ", want %" G_GSIZE_FORMAT, end, r->bytes_received, received);
  ck_assert_msg (r->bytes_acked == sent + syn, "%s: acked %" G_GUINT64_FORMAT
                 ", want %" G_GSIZE_FORMAT " + %u", end, r->bytes_acked, sent, syn);
  if (r->tcp_info_fields & PORTHOLE_TCP_INFO_BYTES_SENT)
    {
      /* data sent, retransmissions included (loopback does not lose segments, but a loaded
       * machine may still retransmit on a timeout) */
      guint64 retrans = (r->tcp_info_fields & PORTHOLE_TCP_INFO_BYTES_RETRANS) ? r->bytes_retrans
                                                                                : 0;

      ck_assert_msg (r->bytes_sent - retrans == sent, "%s: sent %" G_GUINT64_FORMAT " (%"
                     G_GUINT64_FORMAT " again), want %" G_GSIZE_FORMAT, end, r->bytes_sent,
                     retrans, sent);
    }
  else
    ck_assert (r->bytes_sent == r->bytes_acked);   /* the stand-in of kernels before 4.19 */
  /* data moved: segments went both ways (data one way, ACKs the other). The accepted end of a
   * silent connection has sent and received none: the handshake was the request socket's. */
  if (sent + received > 0)
    {
      ck_assert_uint_gt (r->segs_in, 0);
      ck_assert_uint_gt (r->segs_out, 0);
    }
  /* the handshake gave both ends a round-trip sample */
  ck_assert_msg (r->rtt_us > 0, "%s: rtt 0", end);
}

static void
check_exact (guint8 family, gsize n, gsize m)
{
  Pair p;
  gint64 deadline;
  GArray *rows = NULL;
  const PortholeSockInfo *c = NULL, *s = NULL;

  pair_open (&p, family);
  transfer (&p, n, m);

  /* Both ends have read everything: the counters reach the exact figures once the last ACK is
   * in, and they never go past them */
  deadline = g_get_monotonic_time () + SETTLE_MS * 1000;
  for (;;)
    {
      g_clear_pointer (&rows, g_array_unref);
      rows = dump_tcp (family, 0);
      c = find_row (rows, family, p.client_port, p.listen_port);
      s = find_row (rows, family, p.listen_port, p.client_port);
      if ((counters_are (c, n, m, SYN_COUNTED) && counters_are (s, m, n, SYN_NOT_COUNTED)) ||
          g_get_monotonic_time () > deadline)
        break;
      g_usleep (10 * 1000);
    }

  assert_end (c, "client", n, m, SYN_COUNTED);
  assert_end (s, "server", m, n, SYN_NOT_COUNTED);
  g_array_unref (rows);
  pair_close (&p);
}

START_TEST (test_exact_small)
{
  check_exact (AF_INET, 0, 0);
  check_exact (AF_INET, 1, 0);
  check_exact (AF_INET, 1, 1);
  check_exact (AF_INET, 1000, 1);
  check_exact (AF_INET, 1, 1000);
  check_exact (AF_INET6, 1000, 333);
}
END_TEST

START_TEST (test_exact_mib)
{
  check_exact (AF_INET, 1024 * 1024, 1000);
  check_exact (AF_INET6, 1000, 1024 * 1024 + 7);
}
END_TEST

/* 100 MiB one way and 10 MiB back, unpaced: the 64-bit counters and many windows' worth */
START_TEST (test_exact_100_mib)
{
  check_exact (AF_INET, (gsize) 100 * 1024 * 1024, (gsize) 10 * 1024 * 1024 + 1);
}
END_TEST

/* A listener has struct tcp_info too (it sends and receives no data itself: its counts are 0,
 * which is true, not unknown); TIME_WAIT has none (unknown); and the counters are not asked for
 * with PORTHOLE_DUMP_NO_TCP_INFO. */
START_TEST (test_listener_time_wait_and_opt_out)
{
  Pair p;
  g_autoptr(GArray) rows = NULL;
  const PortholeSockInfo *r;
  gint64 deadline;

  pair_open (&p, AF_INET);
  transfer (&p, 100, 10);

  rows = dump_tcp (AF_INET, 0);
  r = find_row (rows, AF_INET, p.listen_port, 0);
  ck_assert (r != NULL);
  ck_assert_int_eq (r->state, PORTHOLE_TCP_LISTEN);
  ck_assert (r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO);
  ck_assert_uint_ge (r->tcp_info_len, 104);    /* Linux 2.6's struct, the shortest there is */
  ck_assert_uint_eq (r->bytes_acked, 0);
  ck_assert_uint_eq (r->bytes_received, 0);
  ck_assert_uint_eq (r->bytes_sent, 0);
  ck_assert_uint_eq (r->segs_in, 0);

  g_array_unref (g_steal_pointer (&rows));
  rows = dump_tcp (AF_INET, PORTHOLE_DUMP_NO_TCP_INFO);
  r = find_row (rows, AF_INET, p.client_port, p.listen_port);
  ck_assert (r != NULL);
  ck_assert (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO));
  ck_assert_uint_eq (r->tcp_info_fields, 0);
  ck_assert_uint_eq (r->tcp_info_len, 0);
  ck_assert_uint_eq (r->bytes_acked, 0);
  ck_assert_uint_eq (r->rtt_us, 0);
  r = find_row (rows, AF_INET, p.listen_port, 0);
  ck_assert (r != NULL && !(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO));

  /* the client closes first and is left in TIME_WAIT once the server closes too */
  close (p.client);
  p.client = -1;
  {
    guint8 byte;

    ck_assert_int_eq (read (p.server, &byte, 1), 0);   /* the client's FIN */
  }
  close (p.server);
  p.server = -1;
  deadline = g_get_monotonic_time () + SETTLE_MS * 1000;
  do
    {
      g_usleep (10 * 1000);
      g_array_unref (g_steal_pointer (&rows));
      rows = dump_tcp (AF_INET, 0);
      r = find_row (rows, AF_INET, p.client_port, p.listen_port);
    }
  while ((r == NULL || r->state != PORTHOLE_TCP_TIME_WAIT) && g_get_monotonic_time () < deadline);
  ck_assert_msg (r != NULL && r->state == PORTHOLE_TCP_TIME_WAIT, "no TIME_WAIT row");
  ck_assert (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO));
  ck_assert (!porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_BYTES_ACKED));
  ck_assert_uint_eq (r->bytes_acked, 0);

  pair_close (&p);
}
END_TEST

/* The dump without ALL_STATES (listeners only) still carries the counters */
START_TEST (test_listeners_dump)
{
  Pair p;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  const PortholeSockInfo *r;

  pair_open (&p, AF_INET6);
  ck_assert (porthole_sockdiag_dump (PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV6, rows, &error));
  r = find_row (rows, AF_INET6, p.listen_port, 0);
  ck_assert (r != NULL);
  ck_assert (porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_BYTES_ACKED |
                                                PORTHOLE_TCP_INFO_SND_CWND));
  ck_assert (find_row (rows, AF_INET6, p.client_port, p.listen_port) == NULL);
  pair_close (&p);
}
END_TEST

static Suite *
tcp_info_suite (void)
{
  Suite *s = suite_create ("tcp-info");
  TCase *tc = tcase_create ("core");

  /* 110 MiB over loopback on a loaded 2-core machine, or under valgrind */
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_exact_small);
  tcase_add_test (tc, test_exact_mib);
  tcase_add_test (tc, test_exact_100_mib);
  tcase_add_test (tc, test_listener_time_wait_and_opt_out);
  tcase_add_test (tc, test_listeners_dump);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (tcp_info_suite)
