/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recorded sock_diag dumps (tests/fixtures/procnet/{tcp,tcp6,udp,udp6}.netlink, real kernel buffers) made hostile:
 * every header and attribute word overwritten with extreme values, NLM_F_DUMP_INTR set on every
 * message, a dump cut into several recvmsg() buffers with the last one broken. The parser must
 * stay inside the buffer (ASan in the sanitizer suite), fail with an error and without partial
 * rows, or succeed; it must never loop, crash or return rows a message does not hold.
 * test-sockdiag.c covers hand-built messages, prefixes of a dump and the live dump. */
#define G_LOG_DOMAIN "test-netlink-hostile"
#include "config.h"

#include "porthole-test.h"

#include "porthole-net-error.h"
#include "porthole-sockdiag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <string.h>

static const struct {
  const char *name;
  guint8 protocol;
} dumps[] = {
  { "procnet/tcp.netlink", IPPROTO_TCP },
  { "procnet/tcp6.netlink", IPPROTO_TCP },
  { "procnet/udp.netlink", IPPROTO_UDP },
  { "procnet/udp6.netlink", IPPROTO_UDP },
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
    ck_assert_int_eq (g_array_index (rows, PortholeSockInfo, i).protocol, protocol);
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
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (netlink_hostile_suite)
