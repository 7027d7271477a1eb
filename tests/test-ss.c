/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ss"
#include "config.h"

#include "porthole-test.h"
#include "porthole-ss.h"
#include "porthole-ssh-destination.h"
#include "porthole-net-error.h"

#include <string.h>

/* ss output as recorded here (iproute2 6.1, in a private namespace: tests/fixtures/ss/), the
 * lines it prints in other cases, and hostile remote output; then ssh destinations. */

static GArray *
parse_fixture (const char *name, guint *n_bad)
{
  g_autofree char *path = porthole_test_fixture (name);
  g_autofree char *text = NULL;
  gsize len = 0;
  GArray *rows = porthole_ss_rows_new ();

  ck_assert (g_file_get_contents (path, &text, &len, NULL));
  porthole_ss_parse (text, len, rows, n_bad);
  return rows;
}

static const PortholeSsRow *
find (GArray *rows, guint8 protocol, guint port, guint8 state)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PortholeSsRow *r = &g_array_index (rows, PortholeSsRow, i);

      if (r->info.protocol == protocol && r->info.local_port == port && r->info.state == state)
        return r;
    }
  return NULL;
}

START_TEST (test_recorded)
{
  const char *files[] = { "ss/ss-tuanpeHO.txt", "ss/ss-tuanpH.txt" };

  for (gsize f = 0; f < G_N_ELEMENTS (files); f++)
    {
      guint bad = 99;
      g_autoptr(GArray) rows = parse_fixture (files[f], &bad);
      const PortholeSsRow *r;
      guint8 lo6[16] = { [15] = 1 };

      ck_assert_uint_eq (rows->len, 9);
      ck_assert_uint_eq (bad, 0);
      r = find (rows, IPPROTO_TCP, 8080, PORTHOLE_TCP_LISTEN);
      ck_assert_ptr_nonnull (r);
      ck_assert_int_eq (r->info.family, AF_INET);
      ck_assert_str_eq (r->process, "python3");
      ck_assert_int_eq (r->pid, 24527);   /* the first program listed */
      ck_assert_uint_eq (r->info.remote_port, 0);
      ck_assert_uint_eq (r->info.inode, f == 0 ? 2435724 : 0);   /* -e gives the inode */

      /* "*:22" is the dual-stack IPv6 wildcard */
      r = find (rows, IPPROTO_TCP, 22, PORTHOLE_TCP_LISTEN);
      ck_assert_ptr_nonnull (r);
      ck_assert_int_eq (r->info.family, AF_INET6);
      ck_assert (porthole_address_is_any (AF_INET6, r->info.local_addr));
      if (f == 0)
        ck_assert_uint_eq (r->info.flags, PORTHOLE_SOCKINFO_V6ONLY_KNOWN);

      r = find (rows, IPPROTO_TCP, 8443, PORTHOLE_TCP_LISTEN);
      ck_assert_ptr_nonnull (r);
      ck_assert_int_eq (r->info.family, AF_INET6);
      ck_assert (memcmp (r->info.local_addr, lo6, 16) == 0);
      if (f == 0)
        ck_assert_uint_eq (r->info.flags, PORTHOLE_SOCKINFO_V6ONLY_KNOWN | PORTHOLE_SOCKINFO_V6ONLY);

      r = find (rows, IPPROTO_TCP, 51198, PORTHOLE_TCP_ESTABLISHED);
      ck_assert_ptr_nonnull (r);
      ck_assert_uint_eq (r->info.remote_port, 8080);
      /* UDP: unconnected and connected */
      ck_assert_ptr_nonnull (find (rows, IPPROTO_UDP, 5353, PORTHOLE_TCP_CLOSE));
      ck_assert_ptr_nonnull (find (rows, IPPROTO_UDP, 53, PORTHOLE_TCP_ESTABLISHED));
    }
}
END_TEST

START_TEST (test_other_lines)
{
  PortholeSsRow r;

  /* no program: the kernel holds it; a user; a scope */
  ck_assert (porthole_ss_parse_line ("tcp TIME-WAIT 0 0 10.0.0.5:443 10.0.0.9:51000 timer:(timewait,52sec,0) ino:0 sk:1",
                                     strlen ("tcp TIME-WAIT 0 0 10.0.0.5:443 10.0.0.9:51000 timer:(timewait,52sec,0) ino:0 sk:1"), &r));
  ck_assert_int_eq (r.info.state, PORTHOLE_TCP_TIME_WAIT);
  ck_assert_int_eq (r.pid, 0);
  ck_assert_ptr_null (r.process);
  porthole_ss_row_clear (&r);
  {
    const char *line = "udp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:* users:((\"systemd-resolve\",pid=612,fd=14)) uid:991 ino:19841 sk:2 cgroup:/system.slice/systemd-resolved.service <->";

    ck_assert (porthole_ss_parse_line (line, strlen (line), &r));
    ck_assert_uint_eq (r.info.uid, 991);
    ck_assert_uint_eq (r.info.local_port, 53);
    ck_assert_str_eq (r.process, "systemd-resolve");
    ck_assert_int_eq (r.pid, 612);
    porthole_ss_row_clear (&r);
  }
  {
    /* comm may hold spaces, quotes and parentheses: ss prints them as they are */
    const char *line = "tcp LISTEN 0 5 [fe80::1%eth0]:22 [::]:* users:((\"my \"odd) prog\",pid=77,fd=3))";

    ck_assert (porthole_ss_parse_line (line, strlen (line), &r));
    ck_assert_str_eq (r.process, "my \"odd) prog");
    ck_assert_int_eq (r.pid, 77);
    ck_assert_int_eq (r.info.family, AF_INET6);
    porthole_ss_row_clear (&r);
  }
}
END_TEST

START_TEST (test_hostile)
{
  static const char *lines[] = {
    "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process",   /* a header */
    "raw UNCONN 0 0 *:ipv6-icmp *:*",                  /* another protocol */
    "tcp LISTEN 0 128 127.0.0.1:70000 0.0.0.0:*",      /* port out of range */
    "tcp LISTEN 0 128 127.0.0.1:-1 0.0.0.0:*",
    "tcp LISTEN 0 128 300.0.0.1:22 0.0.0.0:*",         /* not an address */
    "tcp LISTEN 0 128 127.0.0.1 0.0.0.0:*",            /* no port */
    "tcp LISTEN x 128 127.0.0.1:22 0.0.0.0:*",         /* not a queue */
    "tcp WEIRD 0 0 127.0.0.1:22 0.0.0.0:*",            /* not a state */
    "tcp LISTEN 0 0 127.0.0.1:22 [::1]:5",             /* families that disagree */
    "tcp LISTEN 0 0",                                  /* short */
    "tcp LISTEN 0 0 [0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:22 [::]:*",   /* long */
    "",
    "\x1b[2J\x07",
  };
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GArray) rows = porthole_ss_rows_new ();
  PortholeSsRow r;
  guint bad = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      ck_assert_msg (!porthole_ss_parse_line (lines[i], strlen (lines[i]), &r), "took: %s", lines[i]);
      ck_assert_ptr_null (r.process);
    }
  /* a users field cut short, a pid of junk, an unterminated name: the row, no program */
  {
    const char *cut[] = { "tcp LISTEN 0 1 127.0.0.1:22 0.0.0.0:* users:((\"sshd\",pid=",
                          "tcp LISTEN 0 1 127.0.0.1:22 0.0.0.0:* users:((\"sshd\",pid=abc,fd=3))",
                          "tcp LISTEN 0 1 127.0.0.1:22 0.0.0.0:* users:((\"sshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshdsshd" };

    for (gsize i = 0; i < G_N_ELEMENTS (cut); i++)
      {
        ck_assert (porthole_ss_parse_line (cut[i], strlen (cut[i]), &r));
        ck_assert_int_eq (r.pid, 0);
        ck_assert_ptr_null (r.process);
      }
  }
  /* invalid UTF-8 in a name comes back valid */
  {
    const char *line = "tcp LISTEN 0 1 127.0.0.1:22 0.0.0.0:* users:((\"a\xff\xfe\",pid=5,fd=3))";

    ck_assert (porthole_ss_parse_line (line, strlen (line), &r));
    ck_assert (g_utf8_validate (r.process, -1, NULL));
    porthole_ss_row_clear (&r);
  }
  /* a line is read only to its length: the rest of the buffer is not the line's */
  ck_assert (!porthole_ss_parse_line ("tcp LISTEN 0 1 127.0.0.1:22 0.0.0.0:*", 20, &r));

  /* output that never ends: bounded rows, the junk counted */
  for (guint i = 0; i < 2000; i++)
    g_string_append (big, "tcp LISTEN 0 1 127.0.0.1:22 0.0.0.0:*\r\njunk\n");
  ck_assert_uint_eq (porthole_ss_parse (big->str, big->len, rows, &bad), 2000);
  ck_assert_uint_eq (bad, 2000);
  /* NUL bytes inside */
  {
    static const char nul[] = "tcp LISTEN 0 1 127.0.0.1:22 0.0.0.0:*\n\0\0\0\ntcp LISTEN 0 1 127.0.0.1:23 0.0.0.0:*\n";

    g_array_set_size (rows, 0);
    ck_assert_uint_eq (porthole_ss_parse (nul, sizeof nul - 1, rows, &bad), 2);
    ck_assert_uint_eq (bad, 1);
  }
}
END_TEST

/* ---- ssh destinations ------------------------------------------------------------------- */

START_TEST (test_destinations)
{
  static const struct { const char *text; const char *user; const char *host; guint port; } good[] = {
    { "server", NULL, "server", 0 },
    { "alice@db.example.org", "alice", "db.example.org", 0 },
    { "db.example.org:2222", NULL, "db.example.org", 2222 },
    { "bob@[2001:db8::5]:22", "bob", "2001:db8::5", 22 },
    { "2001:db8::5", NULL, "2001:db8::5", 0 },
    { "root@10.0.0.7", "root", "10.0.0.7", 0 },
    { "my_alias-2", NULL, "my_alias-2", 0 },
  };
  static const char *bad[] = {
    "", "-oProxyCommand=touch /tmp/x", "a@-oProxyCommand=x", "-@host", "host name", "host\tx", "ho\x1bst",
    "a@b@c", "host:0", "host:70000", "host:abc", "[::1", "[::1]x", "@host", "user@", "host;rm",
    "$(reboot)", "ho`st`", "ho\nst", "\xff\xfe",
  };
  g_autoptr(GString) long_text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_auto(PortholeSshDestination) d = { NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

      ck_assert_msg (porthole_ssh_destination_parse (good[i].text, &d, &error), "%s: %s", good[i].text,
                     error ? error->message : "");
      ck_assert_str_eq (d.host, good[i].host);
      ck_assert (g_strcmp0 (d.user, good[i].user) == 0);
      ck_assert_uint_eq (d.port, good[i].port);
      /* argv: nothing after "--" can be an option */
      porthole_ssh_destination_to_argv (&d, argv);
      ck_assert_str_eq (g_ptr_array_index (argv, argv->len - 2), "--");
      ck_assert (((char *) g_ptr_array_index (argv, argv->len - 1))[0] != '-');
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(PortholeSshDestination) d = { NULL };
      g_autoptr(GError) error = NULL;

      ck_assert_msg (!porthole_ssh_destination_parse (bad[i], &d, &error), "took: %s", bad[i]);
      ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      ck_assert_ptr_null (d.host);
      /* the message names the input, escaped: no raw control character */
      for (const char *p = error->message; *p; p++)
        ck_assert ((guchar) *p >= 0x20);
    }
  g_string_append_c (long_text, 'a');
  for (guint i = 0; i < 300; i++)
    g_string_append_c (long_text, 'b');
  {
    g_auto(PortholeSshDestination) d = { NULL };

    ck_assert (!porthole_ssh_destination_parse (long_text->str, &d, NULL));
  }
}
END_TEST

static Suite *
ss_suite (void)
{
  Suite *s = suite_create ("ss");
  TCase *tc = tcase_create ("ss");

  tcase_add_test (tc, test_recorded);
  tcase_add_test (tc, test_other_lines);
  tcase_add_test (tc, test_hostile);
  tcase_add_test (tc, test_destinations);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (ss_suite)
