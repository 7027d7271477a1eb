/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-tcp-info.h"
#include "porthole-test-sockets.h"

#include "porthole-net-error.h"
#include "porthole-procnet.h"
#include "porthole-sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

/* Netlink buffers built by hand, laid out as the kernel lays them out. */

static void
put_msg (GByteArray *b, guint16 type, guint16 flags, const void *payload, gsize len)
{
  struct nlmsghdr h = { 0 };
  static const guint8 pad[4] = { 0 };

  h.nlmsg_len = NLMSG_HDRLEN + len;
  h.nlmsg_type = type;
  h.nlmsg_flags = flags;
  g_byte_array_append (b, (const guint8 *) &h, sizeof h);
  if (len)
    g_byte_array_append (b, payload, len);
  g_byte_array_append (b, pad, NLMSG_ALIGN (len) - len);
}

static void
put_int_msg (GByteArray *b, guint16 type, int value)
{
  put_msg (b, type, NLM_F_MULTI, &value, sizeof value);
}

static void
put_attr (GByteArray *b, guint16 type, guint16 rta_len, gsize payload_len)
{
  struct rtattr rta = { .rta_len = rta_len, .rta_type = type };
  guint8 payload[64] = { 0 };

  g_byte_array_append (b, (const guint8 *) &rta, sizeof rta);
  g_byte_array_append (b, payload, RTA_ALIGN (sizeof rta + payload_len) - sizeof rta);
}

/* An inet_diag_msg for 127.0.0.1 (or ::1):@sport -> same:@dport, followed by @attrs */
static void
put_diag (GByteArray *b, guint16 flags, guint8 family, guint8 state, guint16 sport,
          guint16 dport, guint32 inode, GByteArray *attrs)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  struct inet_diag_msg m = { 0 };

  m.idiag_family = family;
  m.idiag_state = state;
  m.id.idiag_sport = htons (sport);
  m.id.idiag_dport = htons (dport);
  inet_pton (family, family == AF_INET ? "127.0.0.1" : "::1", m.id.idiag_src);
  inet_pton (family, family == AF_INET ? "127.0.0.2" : "::1", m.id.idiag_dst);
  m.id.idiag_if = 7;
  m.idiag_rqueue = 11;
  m.idiag_wqueue = 12;
  m.idiag_uid = 1000;
  m.idiag_inode = inode;
  g_byte_array_append (payload, (const guint8 *) &m, sizeof m);
  if (attrs)
    g_byte_array_append (payload, attrs->data, attrs->len);
  put_msg (b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI | flags, payload->data, payload->len);
}

static void
put_attr_data (GByteArray *b, guint16 type, const void *data, gsize len)
{
  struct rtattr rta = { .rta_len = RTA_LENGTH (len), .rta_type = type };
  static const guint8 pad[4] = { 0 };

  g_byte_array_append (b, (const guint8 *) &rta, sizeof rta);
  if (len)
    g_byte_array_append (b, data, len);
  g_byte_array_append (b, pad, RTA_ALIGN (len) - len);
}

/* A struct tcp_info with a distinct value in every field porthole reads, followed by @extra
 * bytes of 0xaa (a kernel newer than our headers) */
static guint8 *
tcp_info_bytes (gsize extra, gsize *len)
{
  struct tcp_info ti;
  guint8 *bytes;

  memset (&ti, 0x11, sizeof ti);
  ti.tcpi_last_data_sent = 101;
  ti.tcpi_last_data_recv = 102;
  ti.tcpi_rtt = 103;
  ti.tcpi_rttvar = 104;
  ti.tcpi_snd_cwnd = 105;
  ti.tcpi_total_retrans = 106;
  ti.tcpi_bytes_acked = G_GUINT64_CONSTANT (0x100000107);
  ti.tcpi_bytes_received = G_GUINT64_CONSTANT (0x200000108);
  ti.tcpi_segs_out = 109;
  ti.tcpi_segs_in = 110;
  ti.tcpi_delivery_rate = G_GUINT64_CONSTANT (0x300000111);
  ti.tcpi_bytes_sent = G_GUINT64_CONSTANT (0x400000112);
  ti.tcpi_bytes_retrans = G_GUINT64_CONSTANT (0x500000113);
  *len = sizeof ti + extra;
  bytes = g_malloc (*len);
  memcpy (bytes, &ti, sizeof ti);
  memset (bytes + sizeof ti, 0xaa, extra);
  return bytes;
}

static GArray *
new_rows (void)
{
  return g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
}

static gboolean
parse (GByteArray *b, GArray *rows, gboolean *done, gboolean *interrupted, GError **error)
{
  return porthole_sockdiag_parse (b->data, b->len, IPPROTO_TCP, rows, done, interrupted, error);
}

START_TEST (test_built_rows)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) attrs = g_byte_array_new ();
  g_autoptr(GArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE, interrupted = TRUE;
  const PortholeSockInfo *r;
  guint8 want[16] = { 0 };

  put_attr (attrs, INET_DIAG_SHUTDOWN, RTA_LENGTH (1), 1);
  put_attr (attrs, INET_DIAG_SKV6ONLY, RTA_LENGTH (0), 0);   /* zero-length payload is fine */
  put_attr (attrs, 200, RTA_LENGTH (13), 13);                /* unknown type, padded */
  put_diag (b, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 4242, attrs);
  put_diag (b, 0, AF_INET6, PORTHOLE_TCP_ESTABLISHED, 40000, 22, 4243, NULL);
  put_msg (b, NLMSG_NOOP, 0, NULL, 0);
  put_int_msg (b, NLMSG_DONE, 0);
  /* anything after NLMSG_DONE is not read */
  put_diag (b, 0, AF_INET, PORTHOLE_TCP_LISTEN, 23, 0, 1, NULL);

  ck_assert (parse (b, rows, &done, &interrupted, &error));
  ck_assert (done);
  ck_assert (!interrupted);
  ck_assert_uint_eq (rows->len, 2);

  r = &g_array_index (rows, PortholeSockInfo, 0);
  ck_assert_int_eq (r->protocol, IPPROTO_TCP);
  ck_assert_int_eq (r->family, AF_INET);
  ck_assert_int_eq (r->state, PORTHOLE_TCP_LISTEN);
  ck_assert_uint_eq (r->local_port, 22);
  ck_assert_uint_eq (r->inode, 4242);
  ck_assert_uint_eq (r->uid, 1000);
  ck_assert_uint_eq (r->ifindex, 7);
  ck_assert_uint_eq (r->rx_queue, 11);
  ck_assert_uint_eq (r->tx_queue, 12);
  inet_pton (AF_INET, "127.0.0.2", want);
  ck_assert (memcmp (r->remote_addr, want, 16) == 0);

  r = &g_array_index (rows, PortholeSockInfo, 1);
  ck_assert_int_eq (r->family, AF_INET6);
  ck_assert_uint_eq (r->local_port, 40000);
  ck_assert_uint_eq (r->remote_port, 22);
  inet_pton (AF_INET6, "::1", want);
  ck_assert (memcmp (r->local_addr, want, 16) == 0);
}
END_TEST

START_TEST (test_dump_intr)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GArray) rows = new_rows ();
  gboolean done, interrupted;

  put_diag (b, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 1, NULL);
  put_diag (b, NLM_F_DUMP_INTR, AF_INET, PORTHOLE_TCP_LISTEN, 23, 0, 2, NULL);
  ck_assert (parse (b, rows, &done, &interrupted, NULL));
  ck_assert (interrupted);
  ck_assert (!done);
  ck_assert_uint_eq (rows->len, 2);
}
END_TEST

START_TEST (test_nlmsg_error)
{
  static const struct {
    int err;
    int code;
  } cases[] = {
    { EPERM, PORTHOLE_NET_ERROR_REFUSED },
    { EACCES, PORTHOLE_NET_ERROR_REFUSED },
    { EPROTONOSUPPORT, PORTHOLE_NET_ERROR_REFUSED },
    { ENOENT, PORTHOLE_NET_ERROR_REFUSED },
    { EINVAL, PORTHOLE_NET_ERROR_FAILED },
    { ENOBUFS, PORTHOLE_NET_ERROR_FAILED },
    /* not an errno at all: -G_MININT cannot even be computed (UBSan catches that) */
    { G_MININT, PORTHOLE_NET_ERROR_FAILED },
    { -5000, PORTHOLE_NET_ERROR_FAILED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = g_byte_array_new ();
      g_autoptr(GArray) rows = new_rows ();
      g_autoptr(GError) error = NULL;
      struct nlmsgerr e = { .error = cases[i].err == G_MININT ? G_MININT : -cases[i].err };

      /* rows before the error are taken back */
      put_diag (b, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 1, NULL);
      put_msg (b, NLMSG_ERROR, 0, &e, sizeof e);
      ck_assert (!parse (b, rows, NULL, NULL, &error));
      ck_assert_msg (g_error_matches (error, PORTHOLE_NET_ERROR, cases[i].code), "%s",
                     error->message);
      ck_assert_uint_eq (rows->len, 0);
    }
}
END_TEST

START_TEST (test_ack_and_done_errors)
{
  g_autoptr(GByteArray) ack = g_byte_array_new ();
  g_autoptr(GByteArray) failed = g_byte_array_new ();
  g_autoptr(GByteArray) short_error = g_byte_array_new ();
  g_autoptr(GArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  struct nlmsgerr e = { .error = 0 };
  gboolean done;

  put_msg (ack, NLMSG_ERROR, 0, &e, sizeof e);
  put_int_msg (ack, NLMSG_DONE, 0);
  ck_assert (parse (ack, rows, &done, NULL, NULL));
  ck_assert (done);

  put_diag (failed, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 1, NULL);
  put_int_msg (failed, NLMSG_DONE, -EPERM);
  put_int_msg (short_error, NLMSG_DONE, G_MININT);
  ck_assert (!parse (short_error, rows, &done, NULL, &error));
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_FAILED));
  g_clear_error (&error);
  g_byte_array_set_size (short_error, 0);
  ck_assert (!parse (failed, rows, &done, NULL, &error));
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_REFUSED));
  ck_assert_uint_eq (rows->len, 0);
  g_clear_error (&error);

  put_msg (short_error, NLMSG_ERROR, 0, "ab", 2);
  ck_assert (!parse (short_error, rows, NULL, NULL, &error));
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED));
}
END_TEST

static void
assert_malformed (GByteArray *b, const char *what)
{
  g_autoptr(GArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;

  ck_assert_msg (!parse (b, rows, NULL, NULL, &error), "%s parsed", what);
  ck_assert_msg (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED),
                 "%s: %s", what, error->message);
  ck_assert_uint_eq (rows->len, 0);
}

START_TEST (test_bad_headers)
{
  g_autoptr(GByteArray) truncated = g_byte_array_new ();
  g_autoptr(GByteArray) past_end = g_byte_array_new ();
  g_autoptr(GByteArray) zero_len = g_byte_array_new ();
  g_autoptr(GByteArray) short_payload = g_byte_array_new ();
  struct nlmsghdr h;
  guint8 half[20] = { 0 };

  put_diag (truncated, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 1, NULL);
  g_byte_array_append (truncated, half, NLMSG_HDRLEN - 1);
  assert_malformed (truncated, "truncated header");

  put_diag (past_end, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 1, NULL);
  memcpy (&h, past_end->data, sizeof h);
  h.nlmsg_len = past_end->len + 4;
  memcpy (past_end->data, &h, sizeof h);
  assert_malformed (past_end, "nlmsg_len past the buffer");

  /* nlmsg_len 0 would make a naive walker loop forever */
  memset (&h, 0, sizeof h);
  h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  g_byte_array_append (zero_len, (const guint8 *) &h, sizeof h);
  assert_malformed (zero_len, "nlmsg_len 0");

  put_msg (short_payload, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, half, sizeof half);
  assert_malformed (short_payload, "short inet_diag_msg");
}
END_TEST

START_TEST (test_bad_attributes)
{
  static const struct {
    const char *what;
    guint16 rta_len;
    gsize payload;
  } cases[] = {
    { "rta_len 0", 0, 4 },
    { "rta_len below the header", 2, 4 },
    { "rta_len past the message", RTA_LENGTH (60), 4 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) b = g_byte_array_new ();
      g_autoptr(GByteArray) attrs = g_byte_array_new ();

      put_attr (attrs, INET_DIAG_SHUTDOWN, RTA_LENGTH (1), 1);
      put_attr (attrs, INET_DIAG_TOS, cases[i].rta_len, cases[i].payload);
      put_diag (b, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 1, attrs);
      put_int_msg (b, NLMSG_DONE, 0);
      assert_malformed (b, cases[i].what);
    }

  /* two stray bytes after the last attribute */
  {
    g_autoptr(GByteArray) b = g_byte_array_new ();
    g_autoptr(GByteArray) attrs = g_byte_array_new ();
    static const guint8 stray[2] = { 1, 2 };

    put_attr (attrs, INET_DIAG_SHUTDOWN, RTA_LENGTH (1), 1);
    g_byte_array_append (attrs, stray, 2);
    put_diag (b, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 1, attrs);
    assert_malformed (b, "stray bytes");
  }
}
END_TEST

START_TEST (test_skipped_messages)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GArray) rows = new_rows ();
  static const guint8 junk[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

  put_msg (b, 0x7777, 0, junk, sizeof junk);                   /* unknown message type */
  put_diag (b, 0, AF_UNIX, PORTHOLE_TCP_LISTEN, 22, 0, 1, NULL); /* not an inet family */
  put_diag (b, 0, AF_INET, PORTHOLE_TCP_LISTEN, 22, 0, 2, NULL);
  ck_assert (parse (b, rows, NULL, NULL, NULL));
  ck_assert_uint_eq (rows->len, 1);
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 0).inode, 2);
}
END_TEST

static GBytes *
load (const char *name)
{
  g_autofree char *path = porthole_test_fixture (name);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  ck_assert_msg (g_file_get_contents (path, &contents, &len, &error), "%s", path);
  return g_bytes_new_take (contents, len);
}

/* struct tcp_info cut at every length from none to a future kernel's: each counter is taken
 * only when the attribute holds all of it, and the attributes after it are still read. */
START_TEST (test_tcp_info_lengths)
{
  gsize full;
  g_autofree guint8 *ti = tcp_info_bytes (300, &full);

  /* the kernel ABI, whatever our headers say: Linux 2.6's struct ends after total_retrans */
  ck_assert_uint_eq (PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_total_retrans), 104);
  ck_assert_uint_eq (PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_bytes_received), 136);
  ck_assert_uint_eq (PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_bytes_retrans), 216);

  for (gsize len = 0; len <= full; len++)
    {
      g_autoptr(GByteArray) b = g_byte_array_new ();
      g_autoptr(GByteArray) attrs = g_byte_array_new ();
      g_autoptr(GArray) rows = new_rows ();
      g_autoptr(GError) error = NULL;
      const PortholeSockInfo *r;
      guint8 one = 1;
      guint32 want = 0;

      put_attr_data (attrs, INET_DIAG_INFO, ti, len);
      put_attr_data (attrs, INET_DIAG_SKV6ONLY, &one, 1);
      put_diag (b, 0, AF_INET6, PORTHOLE_TCP_ESTABLISHED, 40000, 22, 9, attrs);
      put_int_msg (b, NLMSG_DONE, 0);
      ck_assert_msg (parse (b, rows, NULL, NULL, &error), "length %" G_GSIZE_FORMAT ": %s",
                     len, error->message);
      ck_assert_uint_eq (rows->len, 1);
      r = &g_array_index (rows, PortholeSockInfo, 0);
      /* misaligned lengths: the attribute after it is found all the same */
      ck_assert_msg (r->flags & PORTHOLE_SOCKINFO_V6ONLY, "length %" G_GSIZE_FORMAT, len);
      ck_assert (r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO);
      ck_assert_uint_eq (r->tcp_info_len, len);
      for (gsize f = 0; f < G_N_ELEMENTS (porthole_test_tcp_info_fields); f++)
        if (porthole_test_tcp_info_fields[f].end <= len)
          want |= porthole_test_tcp_info_fields[f].bit;
      ck_assert_msg (r->tcp_info_fields == want, "length %" G_GSIZE_FORMAT
                     ": fields 0x%x, want 0x%x", len, r->tcp_info_fields, want);
#define EXPECT(bit, value) ((want & PORTHOLE_TCP_INFO_##bit) ? (value) : 0)
      ck_assert_uint_eq (r->last_data_sent_ms, EXPECT (LAST_DATA_SENT, 101));
      ck_assert_uint_eq (r->last_data_recv_ms, EXPECT (LAST_DATA_RECV, 102));
      ck_assert_uint_eq (r->rtt_us, EXPECT (RTT, 103));
      ck_assert_uint_eq (r->rttvar_us, EXPECT (RTTVAR, 104));
      ck_assert_uint_eq (r->snd_cwnd, EXPECT (SND_CWND, 105));
      ck_assert_uint_eq (r->total_retrans, EXPECT (TOTAL_RETRANS, 106));
      ck_assert_uint_eq (r->bytes_acked, EXPECT (BYTES_ACKED, 0x100000107));
      ck_assert_uint_eq (r->bytes_received, EXPECT (BYTES_RECEIVED, 0x200000108));
      ck_assert_uint_eq (r->segs_out, EXPECT (SEGS_OUT, 109));
      ck_assert_uint_eq (r->segs_in, EXPECT (SEGS_IN, 110));
      ck_assert_uint_eq (r->delivery_rate, EXPECT (DELIVERY_RATE, 0x300000111));
      ck_assert_uint_eq (r->bytes_retrans, EXPECT (BYTES_RETRANS, 0x500000113));
      /* before tcpi_bytes_sent (Linux 4.19) the bytes acknowledged stand in */
      ck_assert_uint_eq (r->bytes_sent, (want & PORTHOLE_TCP_INFO_BYTES_SENT) ? 0x400000112
                                                                               : r->bytes_acked);
#undef EXPECT
      ck_assert (porthole_sockinfo_has_tcp_info (r, want));
      ck_assert (porthole_sockinfo_has_tcp_info (r, 0));
      if (want != PORTHOLE_TCP_INFO_ALL_FIELDS)
        ck_assert (!porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_ALL_FIELDS));
    }
}
END_TEST

/* No INET_DIAG_INFO: every counter unknown. In a UDP dump: not trusted. Two in one message:
 * the last one counts, whole. */
START_TEST (test_tcp_info_absent_udp_and_twice)
{
  gsize full;
  g_autofree guint8 *ti = tcp_info_bytes (0, &full);
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) twice = g_byte_array_new ();
  g_autoptr(GByteArray) with_info = g_byte_array_new ();
  g_autoptr(GArray) rows = new_rows ();
  const PortholeSockInfo *r;
  PortholeSockInfo zero = { 0 };

  put_attr_data (with_info, INET_DIAG_INFO, ti, full);
  put_diag (b, 0, AF_INET, PORTHOLE_TCP_TIME_WAIT, 40000, 22, 0, NULL);
  put_diag (b, 0, AF_INET, PORTHOLE_TCP_ESTABLISHED, 40001, 22, 1, with_info);
  ck_assert (parse (b, rows, NULL, NULL, NULL));
  ck_assert_uint_eq (rows->len, 2);
  r = &g_array_index (rows, PortholeSockInfo, 0);
  ck_assert (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO));
  ck_assert (!porthole_sockinfo_has_tcp_info (r, 0));
  ck_assert (memcmp (&r->bytes_sent, &zero.bytes_sent,
                     sizeof zero - offsetof (PortholeSockInfo, bytes_sent)) == 0);
  r = &g_array_index (rows, PortholeSockInfo, 1);
  ck_assert (porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_ALL_FIELDS));

  g_array_set_size (rows, 0);
  ck_assert (porthole_sockdiag_parse (b->data, b->len, IPPROTO_UDP, rows, NULL, NULL, NULL));
  ck_assert_uint_eq (rows->len, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      r = &g_array_index (rows, PortholeSockInfo, i);
      ck_assert (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO));
      ck_assert_uint_eq (r->tcp_info_fields, 0);
      ck_assert_uint_eq (r->bytes_acked, 0);
    }

  /* a full one, then a short one: nothing of the first is left over */
  g_byte_array_set_size (with_info, 0);
  put_attr_data (with_info, INET_DIAG_INFO, ti, full);
  put_attr_data (with_info, INET_DIAG_INFO, ti, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_rtt));
  put_diag (twice, 0, AF_INET, PORTHOLE_TCP_ESTABLISHED, 40001, 22, 1, with_info);
  g_array_set_size (rows, 0);
  ck_assert (parse (twice, rows, NULL, NULL, NULL));
  r = &g_array_index (rows, PortholeSockInfo, 0);
  ck_assert_uint_eq (r->tcp_info_len, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_rtt));
  ck_assert_uint_eq (r->tcp_info_fields, PORTHOLE_TCP_INFO_LAST_DATA_SENT |
                                         PORTHOLE_TCP_INFO_LAST_DATA_RECV | PORTHOLE_TCP_INFO_RTT);
  ck_assert_uint_eq (r->bytes_acked, 0);
  ck_assert_uint_eq (r->bytes_sent, 0);
  ck_assert_uint_eq (r->rtt_us, 103);
}
END_TEST

/* A real dump as porthole asks for it (tests/fixtures/tcp-info/record.py): loopback
 * connections that carried a known number of bytes. */
START_TEST (test_recorded_tcp_info)
{
  g_autoptr(GBytes) v4 = load ("tcp-info/tcp.netlink");
  g_autoptr(GBytes) v6 = load ("tcp-info/tcp6.netlink");
  g_autoptr(GArray) rows = new_rows ();
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  gsize len;
  const guint8 *data;
  guint listeners = 0, established = 0, time_wait = 0;

  data = g_bytes_get_data (v4, &len);
  ck_assert_msg (porthole_sockdiag_parse (data, len, IPPROTO_TCP, rows, &done, NULL, &error),
                 "%s", error ? error->message : "");
  ck_assert (done);
  data = g_bytes_get_data (v6, &len);
  ck_assert (porthole_sockdiag_parse (data, len, IPPROTO_TCP, rows, &done, NULL, &error));
  ck_assert_uint_eq (rows->len, 8);

  for (guint i = 0; i < rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);
      /* 127.0.0.1:5000: 1000 bytes to the listener, 333 back; [::1]:5001: 70000 and none */
      gboolean ipv6 = r->family == AF_INET6;
      guint64 to_server = ipv6 ? 70000 : 1000, to_client = ipv6 ? 0 : 333;

      switch (r->state)
        {
        case PORTHOLE_TCP_LISTEN:
          listeners++;
          ck_assert (r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO);
          ck_assert_uint_eq (r->bytes_acked, 0);
          ck_assert_uint_eq (r->bytes_received, 0);
          break;

        case PORTHOLE_TCP_TIME_WAIT:
          time_wait++;
          ck_assert (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO));
          ck_assert_uint_eq (r->tcp_info_fields, 0);
          break;

        case PORTHOLE_TCP_ESTABLISHED:
          established++;
          ck_assert (porthole_sockinfo_has_tcp_info (r, PORTHOLE_TCP_INFO_ALL_FIELDS));
          ck_assert_uint_ge (r->tcp_info_len, sizeof (struct tcp_info) - 64);
          ck_assert_uint_gt (r->rtt_us, 0);
          ck_assert_uint_eq (r->total_retrans, 0);
          ck_assert_uint_eq (r->bytes_retrans, 0);
          if (r->local_port == 5000 || r->local_port == 5001)   /* the accepted end */
            {
              ck_assert_uint_eq (r->bytes_received, to_server);
              ck_assert_uint_eq (r->bytes_sent, to_client);
              ck_assert_uint_eq (r->bytes_acked, to_client);
            }
          else   /* the client: its SYN is acknowledged too */
            {
              ck_assert_uint_eq (r->bytes_sent, to_server);
              ck_assert_uint_eq (r->bytes_acked, to_server + 1);
              ck_assert_uint_eq (r->bytes_received, to_client);
            }
          break;

        default:
          ck_abort_msg ("state %u", r->state);
        }
    }
  ck_assert_uint_eq (listeners, 3);
  ck_assert_uint_eq (established, 4);
  ck_assert_uint_eq (time_wait, 1);
}
END_TEST

static gint
compare_rows (gconstpointer a, gconstpointer b)
{
  const PortholeSockInfo *x = a, *y = b;
  int c;

  if ((c = memcmp (x->local_addr, y->local_addr, 16)) != 0)
    return c;
  if (x->local_port != y->local_port)
    return x->local_port - y->local_port;
  if ((c = memcmp (x->remote_addr, y->remote_addr, 16)) != 0)
    return c;
  return x->remote_port - y->remote_port;
}

/* The netlink dumps were recorded at the same moment as the /proc/net files (record.py):
 * two independent parsers of two kernel interfaces must see the same sockets. */
START_TEST (test_recorded_agrees_with_procnet)
{
  static const struct {
    const char *name;
    guint8 family;
    guint8 protocol;
    guint rows;
  } tables[] = {
    { "tcp", AF_INET, IPPROTO_TCP, 13 },
    { "tcp6", AF_INET6, IPPROTO_TCP, 7 },
    { "udp", AF_INET, IPPROTO_UDP, 2 },
    { "udp6", AF_INET6, IPPROTO_UDP, 2 },
  };

  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *nl_name = g_strdup_printf ("procnet/%s.netlink", tables[t].name);
      g_autofree char *proc_name = g_strdup_printf ("procnet/%s", tables[t].name);
      g_autoptr(GBytes) nl = load (nl_name);
      g_autoptr(GBytes) proc = load (proc_name);
      g_autoptr(GArray) a = new_rows ();
      g_autoptr(GArray) b = new_rows ();
      g_autoptr(GError) error = NULL;
      gboolean done = FALSE;
      gsize len;
      const guint8 *data = g_bytes_get_data (nl, &len);

      ck_assert_msg (porthole_sockdiag_parse (data, len, tables[t].protocol, a, &done, NULL,
                                              &error), "%s", error ? error->message : "");
      ck_assert (done);
      data = g_bytes_get_data (proc, &len);
      ck_assert (porthole_procnet_parse ((const char *) data, len, tables[t].family,
                                         tables[t].protocol, b, &error));
      ck_assert_uint_eq (a->len, tables[t].rows);
      ck_assert_uint_eq (b->len, tables[t].rows);
      g_array_sort (a, compare_rows);
      g_array_sort (b, compare_rows);
      for (guint i = 0; i < a->len; i++)
        {
          PortholeSockInfo x = g_array_index (a, PortholeSockInfo, i);
          PortholeSockInfo y = g_array_index (b, PortholeSockInfo, i);

          /* for listeners sock_diag reports the backlog limit where /proc has 0 */
          if (x.state == PORTHOLE_TCP_LISTEN)
            x.tx_queue = y.tx_queue = 0;
          /* only sock_diag knows IPV6_V6ONLY */
          ck_assert (y.flags == 0);
          if (x.family == AF_INET6 && x.state == PORTHOLE_TCP_LISTEN)
            ck_assert_msg (x.flags & PORTHOLE_SOCKINFO_V6ONLY_KNOWN, "%s row %u: no v6only", tables[t].name, i);
          x.flags = 0;
          ck_assert_msg (memcmp (&x, &y, sizeof x) == 0, "%s row %u differs (port %u)",
                         tables[t].name, i, x.local_port);
        }
    }
}
END_TEST

/* Every prefix of a real dump either parses (at a message boundary) or fails as malformed. */
START_TEST (test_every_prefix)
{
  g_autoptr(GBytes) nl = load ("procnet/tcp.netlink");
  gsize len;
  const guint8 *data = g_bytes_get_data (nl, &len);
  guint boundaries = 0;

  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(GArray) rows = new_rows ();
      g_autoptr(GError) error = NULL;
      guint8 *copy = g_memdup2 (data, cut);   /* exact size, so ASan sees any over-read */
      gboolean ok = porthole_sockdiag_parse (copy, cut, IPPROTO_TCP, rows, NULL, NULL, &error);

      if (ok)
        boundaries++;
      else
        ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED));
      g_free (copy);
    }
  /* empty, each of the 13 messages, and NLMSG_DONE */
  ck_assert_uint_eq (boundaries, 15);
}
END_TEST

static const PortholeSockInfo *
find_inode (GArray *rows, guint64 inode)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_array_index (rows, PortholeSockInfo, i).inode == inode)
      return &g_array_index (rows, PortholeSockInfo, i);
  return NULL;
}

static void
assert_socket (GArray *rows, guint64 inode, guint8 protocol, guint8 family, guint8 state,
               guint16 local_port, guint16 remote_port)
{
  const PortholeSockInfo *r = find_inode (rows, inode);
  guint8 loopback[16] = { 0 };

  ck_assert_msg (r != NULL, "inode %" G_GUINT64_FORMAT " not dumped", inode);
  ck_assert_int_eq (r->protocol, protocol);
  ck_assert_int_eq (r->family, family);
  ck_assert_int_eq (r->state, state);
  ck_assert_uint_eq (r->local_port, local_port);
  ck_assert_uint_eq (r->remote_port, remote_port);
  ck_assert_uint_eq (r->uid, geteuid ());
  inet_pton (family, family == AF_INET ? "127.0.0.1" : "::1", loopback);
  ck_assert (memcmp (r->local_addr, loopback, 16) == 0);
}

START_TEST (test_live_dump)
{
  PortholeTestSockets s;
  g_autoptr(GArray) all = new_rows ();
  g_autoptr(GArray) listeners = new_rows ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_sockets_spawn (&s, "porthole-kid", &reason), "%s", reason);
  ck_assert_msg (porthole_sockdiag_dump (PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES, all,
                                         &error), "%s", error ? error->message : "");
  ck_assert_msg (porthole_sockdiag_dump (PORTHOLE_DUMP_DEFAULT, listeners, &error), "%s",
                 error ? error->message : "");

  assert_socket (all, s.tcp4_inode, IPPROTO_TCP, AF_INET, PORTHOLE_TCP_LISTEN, s.tcp4_port, 0);
  assert_socket (all, s.tcp6_inode, IPPROTO_TCP, AF_INET6, PORTHOLE_TCP_LISTEN, s.tcp6_port, 0);
  assert_socket (all, s.udp4_inode, IPPROTO_UDP, AF_INET, PORTHOLE_TCP_CLOSE, s.udp4_port, 0);
  assert_socket (all, s.udp6_inode, IPPROTO_UDP, AF_INET6, PORTHOLE_TCP_CLOSE, s.udp6_port, 0);
  assert_socket (all, s.client_inode, IPPROTO_TCP, AF_INET, PORTHOLE_TCP_ESTABLISHED,
                 s.client_port, s.tcp4_port);
  assert_socket (all, s.accepted_inode, IPPROTO_TCP, AF_INET, PORTHOLE_TCP_ESTABLISHED,
                 s.tcp4_port, s.client_port);

  /* without ALL_STATES the kernel sends listeners and unconnected UDP only */
  ck_assert (find_inode (listeners, s.tcp4_inode) != NULL);
  ck_assert (find_inode (listeners, s.udp6_inode) != NULL);
  ck_assert (find_inode (listeners, s.client_inode) == NULL);
  ck_assert (find_inode (listeners, s.accepted_inode) == NULL);
  for (guint i = 0; i < listeners->len; i++)
    ck_assert (porthole_sockinfo_is_listening (&g_array_index (listeners, PortholeSockInfo, i)));

  /* only the IPv6 TCP table */
  g_array_set_size (all, 0);
  ck_assert (porthole_sockdiag_dump (PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV6, all, &error));
  ck_assert (find_inode (all, s.tcp6_inode) != NULL);
  for (guint i = 0; i < all->len; i++)
    {
      ck_assert_int_eq (g_array_index (all, PortholeSockInfo, i).family, AF_INET6);
      ck_assert_int_eq (g_array_index (all, PortholeSockInfo, i).protocol, IPPROTO_TCP);
    }

  porthole_test_sockets_release (&s);
}
END_TEST

static Suite *
sockdiag_suite (void)
{
  Suite *s = suite_create ("sockdiag");
  TCase *tc = tcase_create ("core");

  /* Check's default of 4 s is too short on a loaded 2-core CI machine */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_built_rows);
  tcase_add_test (tc, test_dump_intr);
  tcase_add_test (tc, test_nlmsg_error);
  tcase_add_test (tc, test_ack_and_done_errors);
  tcase_add_test (tc, test_bad_headers);
  tcase_add_test (tc, test_bad_attributes);
  tcase_add_test (tc, test_skipped_messages);
  tcase_add_test (tc, test_tcp_info_lengths);
  tcase_add_test (tc, test_tcp_info_absent_udp_and_twice);
  tcase_add_test (tc, test_recorded_tcp_info);
  tcase_add_test (tc, test_recorded_agrees_with_procnet);
  tcase_add_test (tc, test_every_prefix);
  tcase_add_test (tc, test_live_dump);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (sockdiag_suite)
