/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"

#include "porthole-net-error.h"
#include "porthole-procnet.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* tests/fixtures/procnet/{tcp,tcp6,udp,udp6} were recorded by record.py (next to them) in a
 * private network namespace; ss.txt is `ss -tuaneH` taken at the same moment. The rows below
 * are read off that ss output. */

static GArray *
parse_fixture (const char *name, guint8 family, guint8 protocol)
{
  g_autofree char *path = porthole_test_fixture (name);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  gsize len;

  ck_assert_msg (g_file_get_contents (path, &contents, &len, &error), "%s", path);
  ck_assert_msg (porthole_procnet_parse (contents, len, family, protocol, rows, &error),
                 "%s: %s", name, error ? error->message : "");
  return rows;
}

static const PortholeSockInfo *
find_row (GArray *rows, guint16 local_port, guint16 remote_port)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

      if (r->local_port == local_port && r->remote_port == remote_port)
        return r;
    }
  ck_abort_msg ("no row %u -> %u", local_port, remote_port);
  return NULL;
}

static void
assert_addr (guint8 family, const guint8 addr[16], const char *expected)
{
  guint8 want[16] = { 0 };

  ck_assert_int_eq (inet_pton (family, expected, want), 1);
  ck_assert_msg (memcmp (addr, want, 16) == 0, "address is not %s", expected);
}

static void
assert_row (const PortholeSockInfo *r, guint8 state, const char *local, const char *remote,
            guint32 uid, guint64 inode)
{
  ck_assert_int_eq (r->state, state);
  assert_addr (r->family, r->local_addr, local);
  assert_addr (r->family, r->remote_addr, remote);
  ck_assert_uint_eq (r->uid, uid);
  ck_assert_uint_eq (r->inode, inode);
}

START_TEST (test_recorded_tcp4)
{
  g_autoptr(GArray) rows = parse_fixture ("procnet/tcp", AF_INET, IPPROTO_TCP);
  const PortholeSockInfo *r;

  ck_assert_uint_eq (rows->len, 13);
  for (guint i = 0; i < rows->len; i++)
    {
      ck_assert_int_eq (g_array_index (rows, PortholeSockInfo, i).family, AF_INET);
      ck_assert_int_eq (g_array_index (rows, PortholeSockInfo, i).protocol, IPPROTO_TCP);
    }

  r = find_row (rows, 5000, 0);
  assert_row (r, PORTHOLE_TCP_LISTEN, "127.0.0.1", "0.0.0.0", 0, 20189);
  assert_row (find_row (rows, 5001, 0), PORTHOLE_TCP_LISTEN, "0.0.0.0", "0.0.0.0", 0, 20190);
  /* the listener with a full accept queue: one connection waiting */
  r = find_row (rows, 5004, 0);
  ck_assert_uint_eq (r->rx_queue, 1);
  /* 100 unread bytes */
  r = find_row (rows, 5000, 50730);
  assert_row (r, PORTHOLE_TCP_ESTABLISHED, "127.0.0.1", "127.0.0.1", 0, 20194);
  ck_assert_uint_eq (r->rx_queue, 100);
  assert_row (find_row (rows, 50730, 5000), PORTHOLE_TCP_ESTABLISHED, "127.0.0.1", "127.0.0.1",
              0, 20193);
  assert_row (find_row (rows, 50742, 5000), PORTHOLE_TCP_FIN_WAIT2, "127.0.0.1", "127.0.0.1",
              0, 20201);
  assert_row (find_row (rows, 5000, 50742), PORTHOLE_TCP_CLOSE_WAIT, "127.0.0.1", "127.0.0.1",
              0, 20202);
  /* established but not accepted yet: no file, so no inode */
  assert_row (find_row (rows, 5004, 44176), PORTHOLE_TCP_ESTABLISHED, "127.0.0.1", "127.0.0.1",
              0, 0);
  r = find_row (rows, 44184, 5004);
  assert_row (r, PORTHOLE_TCP_SYN_SENT, "127.0.0.1", "127.0.0.1", 0, 20207);
  ck_assert_uint_eq (r->tx_queue, 1);
  ck_assert_str_eq (porthole_sockinfo_state_name (r), "SYN_SENT");
}
END_TEST

START_TEST (test_recorded_tcp6)
{
  g_autoptr(GArray) rows = parse_fixture ("procnet/tcp6", AF_INET6, IPPROTO_TCP);

  ck_assert_uint_eq (rows->len, 7);
  assert_row (find_row (rows, 5003, 0), PORTHOLE_TCP_LISTEN, "::", "::", 0, 20192);
  assert_row (find_row (rows, 5002, 0), PORTHOLE_TCP_LISTEN, "::1", "::", 0, 20191);
  assert_row (find_row (rows, 45110, 5002), PORTHOLE_TCP_ESTABLISHED, "::1", "::1", 0, 20195);
  assert_row (find_row (rows, 45120, 5002), PORTHOLE_TCP_TIME_WAIT, "::1", "::1", 0, 0);
  /* v4-mapped: an IPv6 client of an IPv4 listener, and an IPv4 client of a dual-stack one */
  assert_row (find_row (rows, 41830, 5001), PORTHOLE_TCP_ESTABLISHED,
              "::ffff:127.0.0.1", "::ffff:127.0.0.1", 0, 20197);
  assert_row (find_row (rows, 5003, 53692), PORTHOLE_TCP_ESTABLISHED,
              "::ffff:127.0.0.1", "::ffff:127.0.0.1", 0, 20200);
}
END_TEST

START_TEST (test_recorded_udp)
{
  g_autoptr(GArray) v4 = parse_fixture ("procnet/udp", AF_INET, IPPROTO_UDP);
  g_autoptr(GArray) v6 = parse_fixture ("procnet/udp6", AF_INET6, IPPROTO_UDP);
  const PortholeSockInfo *r;

  ck_assert_uint_eq (v4->len, 2);
  ck_assert_uint_eq (v6->len, 2);
  r = find_row (v4, 5300, 0);
  assert_row (r, PORTHOLE_TCP_CLOSE, "127.0.0.1", "0.0.0.0", 0, 20209);
  ck_assert_uint_eq (r->rx_queue, 832);   /* one queued datagram, as the kernel accounts it */
  ck_assert_str_eq (porthole_sockinfo_state_name (r), "UNCONN");
  r = find_row (v4, 58167, 5300);
  assert_row (r, PORTHOLE_TCP_ESTABLISHED, "127.0.0.1", "127.0.0.1", 0, 20210);
  ck_assert_str_eq (porthole_sockinfo_state_name (r), "ESTABLISHED");
  assert_row (find_row (v6, 5301, 0), PORTHOLE_TCP_CLOSE, "::1", "::", 65534, 20211);
  assert_row (find_row (v6, 5302, 0), PORTHOLE_TCP_CLOSE, "::", "::", 0, 20212);
}
END_TEST

/* Every prefix of a real file parses to exactly its complete lines: the truncated last line
 * is always dropped, never misread. */
START_TEST (test_every_prefix)
{
  static const char * const files[] = { "procnet/tcp", "procnet/tcp6", "procnet/udp6" };

  for (gsize f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = porthole_test_fixture (files[f]);
      g_autofree char *contents = NULL;
      const char *header_end;
      gsize len;

      ck_assert (g_file_get_contents (path, &contents, &len, NULL));
      header_end = strchr (contents, '\n');
      for (gsize cut = 0; cut <= len; cut++)
        {
          g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
          g_autoptr(GError) error = NULL;
          guint lines = 0;
          gboolean ok;

          ok = porthole_procnet_parse (contents, cut, strstr (files[f], "6") ? AF_INET6 : AF_INET,
                                       IPPROTO_TCP, rows, &error);
          if (cut <= (gsize) (header_end - contents))
            {
              ck_assert_msg (!ok, "%s cut at %" G_GSIZE_FORMAT, files[f], cut);
              ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED));
              continue;
            }
          ck_assert (ok);
          for (gsize i = header_end - contents + 1; i < cut; i++)
            lines += contents[i] == '\n';
          ck_assert_msg (rows->len == lines, "%s cut at %" G_GSIZE_FORMAT ": %u rows, %u lines",
                         files[f], cut, rows->len, lines);
        }
    }
}
END_TEST

START_TEST (test_hostile_files)
{
  static const struct {
    const char *name;
    gboolean ok;
    guint rows;
  } cases[] = {
    { "procnet/hostile/empty", FALSE, 0 },
    { "procnet/hostile/garbage", FALSE, 0 },
    { "procnet/hostile/text", FALSE, 0 },
    { "procnet/hostile/header-only", TRUE, 0 },
    { "procnet/hostile/truncated", TRUE, 3 },
    { "procnet/hostile/mixed", TRUE, 4 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = porthole_test_fixture (cases[i].name);
      g_autofree char *contents = NULL;
      g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
      g_autoptr(GError) error = NULL;
      gsize len;
      gboolean ok;

      ck_assert (g_file_get_contents (path, &contents, &len, NULL));
      ok = porthole_procnet_parse (contents, len, AF_INET, IPPROTO_TCP, rows, &error);
      ck_assert_msg (ok == cases[i].ok, "%s", cases[i].name);
      ck_assert_msg (rows->len == cases[i].rows, "%s: %u rows", cases[i].name, rows->len);
      if (!ok)
        ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED));
    }
}
END_TEST

START_TEST (test_mixed_rows)
{
  g_autoptr(GArray) rows = parse_fixture ("procnet/hostile/mixed", AF_INET, IPPROTO_TCP);
  const PortholeSockInfo *r;

  /* lines 0, 1, 4 and 12 are the good ones */
  ck_assert_uint_eq (rows->len, 4);
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 0).inode, 111);
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 1).inode, 112);
  r = &g_array_index (rows, PortholeSockInfo, 2);
  ck_assert_uint_eq (r->inode, G_MAXUINT64);
  ck_assert_uint_eq (r->uid, G_MAXUINT32);
  r = &g_array_index (rows, PortholeSockInfo, 3);
  ck_assert_uint_eq (r->local_port, 0x13a0);
  ck_assert_uint_eq (r->remote_port, 0xc62a);
  ck_assert_uint_eq (r->tx_queue, 10);
  ck_assert_uint_eq (r->rx_queue, 11);
  ck_assert_uint_eq (r->uid, 1000);
}
END_TEST

START_TEST (test_lines)
{
  static const char v6_line[] =
    "   0: 000080FE00000000FF005452563412FE:0016 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000   123        0 4242 1 0";
  static const char nul_line[] =
    "   0: 0100007F:0016 00000000:0000\0 0A 00000000:00000000 00:00000000 00000000 0 0 1";
  PortholeSockInfo info;
  gsize inode_at;

  /* fe80::5254:ff:fe12:3456 written word by word in host order (little-endian, like the
   * recorded fixtures) */
  ck_assert (porthole_procnet_parse_line (v6_line, strlen (v6_line), AF_INET6, IPPROTO_TCP, &info));
  assert_addr (AF_INET6, info.local_addr, "fe80::5254:ff:fe12:3456");
  ck_assert_uint_eq (info.local_port, 22);
  ck_assert_uint_eq (info.uid, 123);
  /* the same line is not an IPv4 row, and no prefix short of the inode column is a row */
  ck_assert (!porthole_procnet_parse_line (v6_line, strlen (v6_line), AF_INET, IPPROTO_TCP, &info));
  inode_at = (gsize) (strstr (v6_line, " 4242") - v6_line) + 1;
  for (gsize cut = 0; cut <= inode_at; cut++)
    ck_assert_msg (!porthole_procnet_parse_line (v6_line, cut, AF_INET6, IPPROTO_TCP, &info),
                   "cut at %" G_GSIZE_FORMAT, cut);
  /* an embedded NUL ends the line */
  ck_assert (!porthole_procnet_parse_line (nul_line, sizeof nul_line - 1, AF_INET, IPPROTO_TCP,
                                           &info));
}
END_TEST

static char *
make_root (gboolean with_ipv6)
{
  char *root = g_dir_make_tmp ("porthole-procnet-XXXXXX", NULL);
  g_autofree char *net = g_build_filename (root, "net", NULL);
  const char *names[] = { "tcp", "udp", "tcp6", "udp6" };

  ck_assert (root != NULL);
  ck_assert (g_mkdir (net, 0755) == 0);
  for (guint i = 0; i < (with_ipv6 ? 4u : 2u); i++)
    {
      g_autofree char *fixture = g_strconcat ("procnet/", names[i], NULL);
      g_autofree char *target = porthole_test_fixture (fixture);
      g_autofree char *link = g_build_filename (net, names[i], NULL);

      ck_assert (symlink (target, link) == 0);
    }
  return root;
}

static void
remove_root (const char *root)
{
  const char *names[] = { "tcp", "udp", "tcp6", "udp6" };

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *link = g_build_filename (root, "net", names[i], NULL);

      unlink (link);
    }
  {
    g_autofree char *net = g_build_filename (root, "net", NULL);

    rmdir (net);
  }
  rmdir (root);
}

static guint
read_count (const char *root, PortholeDumpFlags flags)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_procnet_read (root, flags, rows, &error), "%s",
                 error ? error->message : "");
  for (guint i = 0; i < rows->len; i++)
    ck_assert (porthole_sockinfo_matches (&g_array_index (rows, PortholeSockInfo, i), flags));
  return rows->len;
}

START_TEST (test_read_flags)
{
  g_autofree char *root = make_root (TRUE);
  g_autofree char *no_v6 = make_root (FALSE);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (root, "nowhere", NULL);

  /* listeners (3 + 2) and unconnected UDP sockets (1 + 2), as `ss -tul` shows them */
  ck_assert_uint_eq (read_count (root, PORTHOLE_DUMP_DEFAULT), 8);
  ck_assert_uint_eq (read_count (root, PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES), 24);
  ck_assert_uint_eq (read_count (root, PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV6 |
                                       PORTHOLE_DUMP_ALL_STATES), 7);
  ck_assert_uint_eq (read_count (root, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4), 1);
  ck_assert_uint_eq (read_count (root, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4 |
                                       PORTHOLE_DUMP_ALL_STATES), 2);
  /* IPv6 disabled: no tcp6/udp6 files, not an error */
  ck_assert_uint_eq (read_count (no_v6, PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES), 15);
  /* no tables at all is an error, and leaves nothing behind */
  ck_assert (!porthole_procnet_read (missing, PORTHOLE_DUMP_DEFAULT, rows, &error));
  ck_assert (error != NULL);
  ck_assert_uint_eq (rows->len, 0);

  remove_root (root);
  remove_root (no_v6);
}
END_TEST

static Suite *
procnet_suite (void)
{
  Suite *s = suite_create ("procnet");
  TCase *tc = tcase_create ("core");

  /* Check's default of 4 s is too short on a loaded 2-core CI machine */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_recorded_tcp4);
  tcase_add_test (tc, test_recorded_tcp6);
  tcase_add_test (tc, test_recorded_udp);
  tcase_add_test (tc, test_every_prefix);
  tcase_add_test (tc, test_hostile_files);
  tcase_add_test (tc, test_mixed_rows);
  tcase_add_test (tc, test_lines);
  tcase_add_test (tc, test_read_flags);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (procnet_suite)
