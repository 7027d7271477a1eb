/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recorded sock_diag dumps (tests/fixtures/procnet/{tcp,tcp6,udp,udp6}.netlink and
 * tests/fixtures/tcp-info/{tcp,tcp6}.netlink, which carry struct tcp_info; real kernel buffers)
 * made hostile:
 * every header and attribute word overwritten with extreme values, NLM_F_DUMP_INTR set on every
 * message, a dump cut into several recvmsg() buffers with the last one broken. The parser must
 * stay inside the buffer (ASan in the sanitizer suite), fail with an error and without partial
 * rows, or succeed; it must never loop, crash or return rows a message does not hold. The
 * tcp_info attributes are cut to every length, grown past our struct (a newer kernel) and given
 * lengths that do not match their contents: a counter is known only when all of it was there.
 * test-sockdiag.c covers hand-built messages, prefixes of a dump and the live dump. */
#define G_LOG_DOMAIN "test-netlink-hostile"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-tcp-info.h"

#include "porthole-net-error.h"
#include "porthole-sockdiag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <string.h>

static const struct {
  const char *name;
  guint8 protocol;
} dumps[] = {
  { "procnet/tcp.netlink", IPPROTO_TCP },
  { "procnet/tcp6.netlink", IPPROTO_TCP },
  { "procnet/udp.netlink", IPPROTO_UDP },
  { "procnet/udp6.netlink", IPPROTO_UDP },
  { "tcp-info/tcp.netlink", IPPROTO_TCP },
  { "tcp-info/tcp6.netlink", IPPROTO_TCP },
};

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

/* Offsets of the netlink headers in a well-formed buffer */
static GArray *
message_offsets (const guint8 *buf, gsize len)
{
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize off = 0; off + NLMSG_HDRLEN <= len; )
    {
      struct nlmsghdr h;

      memcpy (&h, buf + off, sizeof h);
      g_array_append_val (offsets, off);
      off += NLMSG_ALIGN (h.nlmsg_len);
    }
  return offsets;
}

/* Parses an exact-size copy (so ASan sees one byte too far) after a row already in @rows;
 * checks the contract whatever happens. Returns whether the parse succeeded. */
static gboolean
parse_checked (const guint8 *data, gsize len, guint8 protocol, guint *n_rows,
               gboolean *done, gboolean *interrupted)
{
  g_autofree guint8 *copy = g_memdup2 (data, MAX (len, 1));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  PortholeSockInfo before = { .inode = 77 };
  gboolean ok;

  g_array_append_val (rows, before);
  ok = porthole_sockdiag_parse (copy, len, protocol, rows, done, interrupted, &error);
  if (ok)
    ck_assert_ptr_null (error);
  else
    {
      ck_assert_msg (error != NULL && error->domain == PORTHOLE_NET_ERROR, "failure without an error");
      ck_assert_uint_eq (rows->len, 1);
    }
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 0).inode, 77);
  /* one row per inet_diag_msg at most */
  ck_assert_uint_le ((rows->len - 1) * (NLMSG_HDRLEN + sizeof (struct inet_diag_msg)), len);
  for (guint i = 1; i < rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

      ck_assert_int_eq (r->protocol, protocol);
      /* the counters: only what an attribute held, never past the message */
      ck_assert_uint_le (r->tcp_info_len, len);
      if (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO))
        ck_assert (r->tcp_info_fields == 0 && r->tcp_info_len == 0 && r->bytes_acked == 0);
      ck_assert_uint_eq (r->tcp_info_fields & ~PORTHOLE_TCP_INFO_ALL_FIELDS, 0);
      if (r->tcp_info_fields & PORTHOLE_TCP_INFO_BYTES_RETRANS)
        ck_assert_uint_ge (r->tcp_info_len, offsetof (struct tcp_info, tcpi_bytes_retrans) + 8);
      else if (r->tcp_info_fields & PORTHOLE_TCP_INFO_BYTES_ACKED)
        ck_assert_uint_ge (r->tcp_info_len, offsetof (struct tcp_info, tcpi_bytes_acked) + 8);
    }
  *n_rows = rows->len - 1;
  return ok;
}

/* Every 32-bit word of every recorded dump set to each extreme value in turn. */
START_TEST (test_every_word_corrupted)
{
  static const guint32 values[] = { 0, 1, 3, 4, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff };

  for (gsize d = 0; d < G_N_ELEMENTS (dumps); d++)
    {
      g_autoptr(GBytes) dump = load (dumps[d].name);
      gsize len;
      const guint8 *data = g_bytes_get_data (dump, &len);
      g_autofree guint8 *work = g_memdup2 (data, len);
      g_autoptr(GArray) offsets = message_offsets (data, len);
      guint rejected = 0, length_rejected = 0, n_rows;
      gboolean done, intr;

      ck_assert (parse_checked (data, len, dumps[d].protocol, &n_rows, &done, &intr));
      ck_assert (done && !intr && n_rows > 0);

      for (gsize off = 0; off + 4 <= len; off += 4)
        for (gsize v = 0; v < G_N_ELEMENTS (values); v++)
          {
            memcpy (work + off, &values[v], 4);
            if (!parse_checked (work, len, dumps[d].protocol, &n_rows, &done, &intr))
              rejected++;
            memcpy (work + off, data + off, 4);
          }
      /* a message length of 0, 1, 3, past the end or below the fixed part is always refused */
      for (guint m = 0; m < offsets->len; m++)
        for (gsize v = 0; v < G_N_ELEMENTS (values); v++)
          {
            gsize off = g_array_index (offsets, gsize, m);
            struct nlmsghdr h;

            memcpy (&h, data + off, sizeof h);
            if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY || values[v] == 0x10000 || values[v] == 0xffff)
              continue;
            memcpy (work + off, &values[v], 4);
            if (!parse_checked (work, len, dumps[d].protocol, &n_rows, &done, &intr))
              length_rejected++;
            memcpy (work + off, data + off, 4);
          }
      ck_assert_uint_gt (rejected, 0);
      ck_assert_uint_eq (length_rejected, (offsets->len - 1) * 7);
    }
}
END_TEST

/* The kernel marks a dump whose table changed under it with NLM_F_DUMP_INTR, on any message
 * including NLMSG_DONE: the rows still parse, and the caller is told to dump again. */
START_TEST (test_dump_intr_anywhere)
{
  for (gsize d = 0; d < G_N_ELEMENTS (dumps); d++)
    {
      g_autoptr(GBytes) dump = load (dumps[d].name);
      gsize len;
      const guint8 *data = g_bytes_get_data (dump, &len);
      g_autoptr(GArray) offsets = message_offsets (data, len);
      guint expected, n_rows;
      gboolean done, intr;

      ck_assert (parse_checked (data, len, dumps[d].protocol, &expected, &done, &intr));
      for (guint m = 0; m < offsets->len; m++)
        {
          g_autofree guint8 *work = g_memdup2 (data, len);
          struct nlmsghdr h;

          memcpy (&h, work + g_array_index (offsets, gsize, m), sizeof h);
          h.nlmsg_flags |= NLM_F_DUMP_INTR;
          memcpy (work + g_array_index (offsets, gsize, m), &h, sizeof h);
          ck_assert (parse_checked (work, len, dumps[d].protocol, &n_rows, &done, &intr));
          ck_assert_msg (intr, "%s: DUMP_INTR on message %u not reported", dumps[d].name, m);
          ck_assert (done);
          ck_assert_uint_eq (n_rows, expected);
        }
    }
}
END_TEST

/* A dump read in three recvmsg() buffers: rows accumulate across calls, and a broken last
 * buffer takes back only its own rows. */
START_TEST (test_buffers_in_sequence)
{
  g_autoptr(GBytes) dump = load ("procnet/tcp.netlink");
  gsize len;
  const guint8 *data = g_bytes_get_data (dump, &len);
  g_autoptr(GArray) offsets = message_offsets (data, len);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  gsize cut1 = g_array_index (offsets, gsize, 4), cut2 = g_array_index (offsets, gsize, 9);
  g_autofree guint8 *third = g_memdup2 (data + cut2, len - cut2);
  gboolean done = TRUE, intr = TRUE;
  struct nlmsghdr h;
  struct rtattr rta;

  ck_assert_uint_ge (offsets->len, 12);
  ck_assert (porthole_sockdiag_parse (data, cut1, IPPROTO_TCP, rows, &done, &intr, &error));
  ck_assert (!done && !intr);
  ck_assert_uint_eq (rows->len, 4);
  ck_assert (porthole_sockdiag_parse (data + cut1, cut2 - cut1, IPPROTO_TCP, rows, &done, &intr, &error));
  ck_assert (!done && !intr);
  ck_assert_uint_eq (rows->len, 9);

  /* the second message of the last buffer: its first attribute claims more than is left */
  memcpy (&h, third, sizeof h);
  memcpy (&rta, third + NLMSG_ALIGN (h.nlmsg_len) + NLMSG_HDRLEN +
          NLMSG_ALIGN (sizeof (struct inet_diag_msg)), sizeof rta);
  rta.rta_len = 0xfff0;
  memcpy (third + NLMSG_ALIGN (h.nlmsg_len) + NLMSG_HDRLEN + NLMSG_ALIGN (sizeof (struct inet_diag_msg)),
          &rta, sizeof rta);
  ck_assert (!porthole_sockdiag_parse (third, len - cut2, IPPROTO_TCP, rows, &done, &intr, &error));
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED));
  ck_assert_msg (strstr (error->message, "attribute") != NULL, "%s", error->message);
  ck_assert (!done);
  /* the first message of the broken buffer parsed before the bad one: taken back too */
  ck_assert_uint_eq (rows->len, 9);
}
END_TEST

/* The rtattr of type @type in the message at @msg (its nlmsghdr), or -1: an offset into @msg */
static gssize
find_attribute (const guint8 *msg, guint16 type)
{
  struct nlmsghdr h;
  gsize off = NLMSG_HDRLEN + NLMSG_ALIGN (sizeof (struct inet_diag_msg));

  memcpy (&h, msg, sizeof h);
  while (off + sizeof (struct rtattr) <= h.nlmsg_len)
    {
      struct rtattr rta;

      memcpy (&rta, msg + off, sizeof rta);
      if (rta.rta_type == type)
        return off;
      off += RTA_ALIGN (rta.rta_len);
    }
  return -1;
}

/* The message at @msg again with its INET_DIAG_INFO payload cut to @len bytes or grown to it
 * (the extra bytes 0xaa), everything else as it was */
static GByteArray *
with_info_length (const guint8 *msg, gsize info_off, gsize len)
{
  static const guint8 pad[4] = { 0 };
  GByteArray *out = g_byte_array_new ();
  struct nlmsghdr h;
  struct rtattr rta;
  gsize old_payload, after;

  memcpy (&h, msg, sizeof h);
  memcpy (&rta, msg + info_off, sizeof rta);
  old_payload = rta.rta_len - RTA_LENGTH (0);
  after = info_off + RTA_ALIGN (rta.rta_len);

  g_byte_array_append (out, msg, info_off);
  rta.rta_len = RTA_LENGTH (len);
  g_byte_array_append (out, (const guint8 *) &rta, sizeof rta);
  g_byte_array_append (out, msg + info_off + RTA_LENGTH (0), MIN (len, old_payload));
  for (gsize i = old_payload; i < len; i++)
    g_byte_array_append (out, (const guint8 *) "\xaa", 1);
  g_byte_array_append (out, pad, RTA_ALIGN (len) - len);
  if (after < h.nlmsg_len)
    g_byte_array_append (out, msg + after, h.nlmsg_len - after);
  h.nlmsg_len = out->len;
  memcpy (out->data, &h, sizeof h);
  return out;
}

/* Every message of the recorded dumps that carries struct tcp_info, rebuilt with the attribute
 * cut to each length from 0 (an older kernel's struct, or a broken one) and grown by up to 64
 * bytes (a newer kernel's): each counter is the recorded one when the attribute holds all of
 * it, else unknown (0, its bit clear); the extra bytes change nothing. */
START_TEST (test_tcp_info_every_length)
{
  guint with_info = 0;

  for (gsize d = 0; d < G_N_ELEMENTS (dumps); d++)
    {
      g_autoptr(GBytes) dump = NULL;
      g_autoptr(GArray) offsets = NULL;
      const guint8 *data;
      gsize len;

      if (!g_str_has_prefix (dumps[d].name, "tcp-info/"))
        continue;
      dump = load (dumps[d].name);
      data = g_bytes_get_data (dump, &len);
      offsets = message_offsets (data, len);
      for (guint m = 0; m < offsets->len; m++)
        {
          const guint8 *msg = data + g_array_index (offsets, gsize, m);
          g_autoptr(GArray) full_rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
          PortholeSockInfo full;
          struct nlmsghdr h;
          struct rtattr rta;
          gssize info_off;
          gsize recorded;

          memcpy (&h, msg, sizeof h);
          if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY)
            continue;
          info_off = find_attribute (msg, INET_DIAG_INFO);
          if (info_off < 0)
            continue;
          with_info++;
          memcpy (&rta, msg + info_off, sizeof rta);
          recorded = rta.rta_len - RTA_LENGTH (0);
          ck_assert (porthole_sockdiag_parse (msg, h.nlmsg_len, IPPROTO_TCP, full_rows,
                                              NULL, NULL, NULL));
          ck_assert_uint_eq (full_rows->len, 1);
          full = g_array_index (full_rows, PortholeSockInfo, 0);
          ck_assert_uint_eq (full.tcp_info_fields, PORTHOLE_TCP_INFO_ALL_FIELDS);

          for (gsize cut = 0; cut <= recorded + 64; cut++)
            {
              g_autoptr(GByteArray) b = with_info_length (msg, info_off, cut);
              g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
              g_autoptr(GError) error = NULL;
              g_autofree guint8 *copy = g_memdup2 (b->data, b->len);
              PortholeSockInfo r, want = full;
              guint32 bits = 0;

              ck_assert_msg (porthole_sockdiag_parse (copy, b->len, IPPROTO_TCP, rows,
                                                      NULL, NULL, &error),
                             "%s message %u cut at %" G_GSIZE_FORMAT ": %s", dumps[d].name, m,
                             cut, error->message);
              ck_assert_uint_eq (rows->len, 1);
              r = g_array_index (rows, PortholeSockInfo, 0);
              ck_assert_uint_eq (r.tcp_info_len, cut);
              for (gsize f = 0; f < G_N_ELEMENTS (porthole_test_tcp_info_fields); f++)
                if (porthole_test_tcp_info_fields[f].end <= cut)
                  bits |= porthole_test_tcp_info_fields[f].bit;
              ck_assert_msg (r.tcp_info_fields == bits, "cut at %" G_GSIZE_FORMAT ": 0x%x", cut,
                             r.tcp_info_fields);
              /* what the recorded row would be with only those fields */
              if (!(bits & PORTHOLE_TCP_INFO_LAST_DATA_SENT)) want.last_data_sent_ms = 0;
              if (!(bits & PORTHOLE_TCP_INFO_LAST_DATA_RECV)) want.last_data_recv_ms = 0;
              if (!(bits & PORTHOLE_TCP_INFO_RTT)) want.rtt_us = 0;
              if (!(bits & PORTHOLE_TCP_INFO_RTTVAR)) want.rttvar_us = 0;
              if (!(bits & PORTHOLE_TCP_INFO_SND_CWND)) want.snd_cwnd = 0;
              if (!(bits & PORTHOLE_TCP_INFO_TOTAL_RETRANS)) want.total_retrans = 0;
              if (!(bits & PORTHOLE_TCP_INFO_BYTES_ACKED)) want.bytes_acked = 0;
              if (!(bits & PORTHOLE_TCP_INFO_BYTES_RECEIVED)) want.bytes_received = 0;
              if (!(bits & PORTHOLE_TCP_INFO_SEGS_OUT)) want.segs_out = 0;
              if (!(bits & PORTHOLE_TCP_INFO_SEGS_IN)) want.segs_in = 0;
              if (!(bits & PORTHOLE_TCP_INFO_DELIVERY_RATE)) want.delivery_rate = 0;
              if (!(bits & PORTHOLE_TCP_INFO_BYTES_SENT)) want.bytes_sent = want.bytes_acked;
              if (!(bits & PORTHOLE_TCP_INFO_BYTES_RETRANS)) want.bytes_retrans = 0;
              want.tcp_info_fields = bits;
              want.tcp_info_len = cut;
              ck_assert_msg (memcmp (&r, &want, sizeof r) == 0, "%s message %u cut at %"
                             G_GSIZE_FORMAT ": the row differs", dumps[d].name, m, cut);
            }
        }
    }
  /* 5 full TCP sockets in the v4 dump (TIME_WAIT has none), 3 in the v6 one */
  ck_assert_uint_eq (with_info, 7);
}
END_TEST

/* The INET_DIAG_INFO rta_len overwritten in place with every value up to past its message,
 * so that what follows it is read as attributes (or as nothing): the contract holds. */
START_TEST (test_tcp_info_bad_rta_len)
{
  guint accepted = 0, refused = 0;

  for (gsize d = 0; d < G_N_ELEMENTS (dumps); d++)
    {
      g_autoptr(GBytes) dump = NULL;
      g_autoptr(GArray) offsets = NULL;
      g_autofree guint8 *work = NULL;
      const guint8 *data;
      gsize len;

      if (!g_str_has_prefix (dumps[d].name, "tcp-info/"))
        continue;
      dump = load (dumps[d].name);
      data = g_bytes_get_data (dump, &len);
      work = g_memdup2 (data, len);
      offsets = message_offsets (data, len);
      for (guint m = 0; m < offsets->len; m++)
        {
          gsize off = g_array_index (offsets, gsize, m);
          struct nlmsghdr h;
          struct rtattr rta;
          gssize info_off;

          memcpy (&h, data + off, sizeof h);
          if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY)
            continue;
          info_off = find_attribute (data + off, INET_DIAG_INFO);
          if (info_off < 0)
            continue;
          for (guint32 v = 0; v <= h.nlmsg_len + 8; v++)
            {
              guint n_rows;
              gboolean done, intr;

              memcpy (&rta, data + off + info_off, sizeof rta);
              rta.rta_len = (guint16) v;
              memcpy (work + off + info_off, &rta, sizeof rta);
              if (parse_checked (work, len, IPPROTO_TCP, &n_rows, &done, &intr))
                accepted++;
              else
                refused++;
              memcpy (work + off + info_off, data + off + info_off, sizeof rta);
            }
        }
    }
  /* below the rtattr header or past the message: refused; many others walk on */
  ck_assert_uint_gt (accepted, 0);
  ck_assert_uint_gt (refused, 0);
}
END_TEST

static Suite *
netlink_hostile_suite (void)
{
  Suite *s = suite_create ("netlink-hostile");
  TCase *tc = tcase_create ("core");

  /* ~15 000 parses of exact-size copies: slow under ASan and valgrind */
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_every_word_corrupted);
  tcase_add_test (tc, test_dump_intr_anywhere);
  tcase_add_test (tc, test_buffers_in_sequence);
  tcase_add_test (tc, test_tcp_info_every_length);
  tcase_add_test (tc, test_tcp_info_bad_rta_len);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (netlink_hostile_suite)
