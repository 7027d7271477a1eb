/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-target"
#include "config.h"

#include "porthole-test.h"
#include "porthole-net-error.h"
#include "porthole-target.h"

#include <string.h>

/* The message must be one line with no control characters. */
static void
assert_clean_message (const char *message)
{
  ck_assert_ptr_nonnull (message);
  ck_assert_uint_gt (strlen (message), 0);
  ck_assert_uint_lt (strlen (message), 300);
  ck_assert (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      ck_assert_msg (!g_unichar_iscntrl (c) && g_unichar_type (c) != G_UNICODE_FORMAT,
                     "control character U+%04X in “%s”", c, message);
    }
}

static void
assert_rejects (const char *text, const char *expected_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeTarget) target = porthole_target_parse (text, &error);

  ck_assert_msg (target == NULL, "“%s” was accepted", text);
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
  assert_clean_message (error->message);
  ck_assert_msg (strstr (error->message, expected_part) != NULL,
                 "message for “%s” is “%s”, expected it to name “%s”", text,
                 error->message, expected_part);
}

static PortholeTarget *
assert_accepts (const char *text, const char *host, guint port)
{
  g_autoptr(GError) error = NULL;
  PortholeTarget *target = porthole_target_parse (text, &error);

  ck_assert_msg (target != NULL, "“%s” rejected: %s", text, error ? error->message : "?");
  ck_assert_str_eq (target->host, host);
  ck_assert_uint_eq (target->port, port);
  return target;
}

/* The bad-input table of issue 6 item 5, with the part each message must name. */
START_TEST (test_bad_input_table)
{
  static const struct { const char *text; gboolean ok; const char *host; guint port;
                        const char *names; } table[] = {
    { "", FALSE, NULL, 0, "empty" },
    { ":", FALSE, NULL, 0, "host" },
    { "h:", FALSE, NULL, 0, "“h:”" },
    { "h:0", FALSE, NULL, 0, "port 0" },
    { "h:65535", TRUE, "h", 65535, NULL },
    { "h:65536", FALSE, NULL, 0, "65536" },
    { "h:99999999999999999999", FALSE, NULL, 0, "above 65535" },
    { "[::1]:22", TRUE, "::1", 22, NULL },
    { "::1:22", FALSE, NULL, 0, "put IPv6 addresses in brackets: [::1]:22" },
    { "[fe80::1%lo]:22", TRUE, "fe80::1", 22, NULL },
    { "h:-1", FALSE, NULL, 0, "-1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (table[i].ok)
        {
          g_autoptr(PortholeTarget) t = assert_accepts (table[i].text, table[i].host,
                                                        table[i].port);
        }
      else
        assert_rejects (table[i].text, table[i].names);
    }
}
END_TEST

START_TEST (test_forms)
{
  g_autoptr(PortholeTarget) a = assert_accepts ("example.org:443", "example.org", 443);
  g_autoptr(PortholeTarget) b = assert_accepts ("  example.org 22  ", "example.org", 22);
  g_autoptr(PortholeTarget) c = assert_accepts ("[2001:db8::1]:8080", "2001:db8::1", 8080);
  g_autoptr(PortholeTarget) d = assert_accepts ("[fe80::1%lo]:22", "fe80::1", 22);
  g_autoptr(PortholeTarget) e = assert_accepts ("127.0.0.1:80", "127.0.0.1", 80);
  g_autoptr(PortholeTarget) f = assert_accepts ("::1 22", "::1", 22);
  g_autoptr(PortholeTarget) g = assert_accepts ("[::1] 22", "::1", 22);
  g_autoptr(PortholeTarget) h = assert_accepts ("bücher.example:80", "bücher.example", 80);
  g_autofree char *cs = porthole_target_to_string (c);
  g_autofree char *ds = porthole_target_to_string (d);
  g_autofree char *es = porthole_target_to_string (e);

  ck_assert (!a->is_ip && !a->is_ipv6 && a->scheme == NULL && a->zone == NULL);
  ck_assert (c->is_ip && c->is_ipv6);
  ck_assert_str_eq (d->zone, "lo");
  ck_assert (e->is_ip && !e->is_ipv6);
  ck_assert (f->is_ipv6 && g->is_ipv6);
  ck_assert_str_eq (cs, "[2001:db8::1]:8080");
  ck_assert_str_eq (ds, "[fe80::1%lo]:22");
  ck_assert_str_eq (es, "127.0.0.1:80");
}
END_TEST

START_TEST (test_urls)
{
  static const struct {
    const char *url;
    const char *host;
    guint       port;
    const char *scheme;
  } cases[] = {
    { "http://example.org", "example.org", 80, "http" },
    { "https://example.org/path?q=1#frag", "example.org", 443, "https" },
    { "HTTPS://Example.org", "Example.org", 443, "https" },
    { "ssh://user@host", "host", 22, "ssh" },
    { "ftp://a:b@host/", "host", 21, "ftp" },
    { "smtp://mail", "mail", 25, "smtp" },
    { "imap://mail", "mail", 143, "imap" },
    { "imaps://mail", "mail", 993, "imaps" },
    { "pop3://mail", "mail", 110, "pop3" },
    { "ldap://dir", "dir", 389, "ldap" },
    { "postgres://u:p@db/name", "db", 5432, "postgres" },
    { "postgresql://db", "db", 5432, "postgresql" },
    { "mysql://db", "db", 3306, "mysql" },
    { "redis://cache", "cache", 6379, "redis" },
    { "mongodb://db", "db", 27017, "mongodb" },
    { "amqp://mq", "mq", 5672, "amqp" },
    { "mqtt://broker", "broker", 1883, "mqtt" },
    { "https://example.org:8443/x", "example.org", 8443, "https" },  /* explicit port wins */
    { "http://[::1]/", "::1", 80, "http" },
    { "http://[::1]:8080", "::1", 8080, "http" },
    { "unknown://host:99", "host", 99, "unknown" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PortholeTarget) t = assert_accepts (cases[i].url, cases[i].host, cases[i].port);
      ck_assert_str_eq (t->scheme, cases[i].scheme);
    }
  ck_assert_uint_eq (porthole_target_scheme_port ("HTTP"), 80);
  ck_assert_uint_eq (porthole_target_scheme_port ("nope"), 0);
  assert_rejects ("unknown://host", "unknown");
  assert_rejects ("http://", "no host");
  assert_rejects ("http://user@/x", "no host");
  assert_rejects ("://host", "scheme");
  assert_rejects ("1http://host", "1http");
  assert_rejects ("http://host:0", "port 0");
}
END_TEST

START_TEST (test_more_rejects)
{
  assert_rejects ("host", "“host”");
  assert_rejects ("[::1]", "PORT");                    /* no port after the brackets */
  assert_rejects ("[::1", "]");
  assert_rejects ("[::1]x22", "x22");
  assert_rejects ("[127.0.0.1]:22", "127.0.0.1");      /* only IPv6 in brackets */
  assert_rejects ("[]:22", "[]");
  assert_rejects ("[fe80::1%]:22", "zone");
  assert_rejects ("[fe80::1%a/b]:22", "a/b");
  assert_rejects ("fe80::1", "[fe80::1]:PORT");
  assert_rejects ("a:b:c", "a:b:c");
  assert_rejects ("h:http", "http");
  assert_rejects ("h:+22", "+22");
  assert_rejects ("h:22x", "22x");
  assert_rejects ("h a b", "too many words");
  assert_rejects ("999.1.1.1:22", "999.1.1.1");
  assert_rejects ("a..b:22", "empty label");
  assert_rejects ("ho/st:22", "/");
  assert_rejects ("h:-99999999999999999999999999999999", "negative");
}
END_TEST

START_TEST (test_hostile)
{
  static const char *hostile[] = {
    "\x1b[31mred\x1b[0m:22",
    "h:\x1b[2J",
    "\xe2\x80\xae" "evil:22",        /* right-to-left override */
    "h\xc2\x85:22",                  /* C1 NEL */
    "\xff\xfe:22",                   /* invalid UTF-8 */
    "h\n:22",
    "h:2\r2",
    "[\x1b]:22",
    "unknown\x1b://h",
    "h:\xe2\x80\x8b" "22",           /* zero-width space */
  };
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeTarget) t = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(PortholeTarget) r = porthole_target_parse (hostile[i], &e);

      ck_assert_msg (r == NULL, "hostile input %zu accepted", i);
      assert_clean_message (e->message);
    }

  /* A megabyte of host or port: rejected with a short message, no overflow */
  for (int i = 0; i < 1 << 20; i++)
    g_string_append_c (huge, "a1:["[i % 4]);
  t = porthole_target_parse (huge->str, &error);
  ck_assert_ptr_null (t);
  assert_clean_message (error->message);
  g_clear_error (&error);

  g_string_assign (huge, "h:");
  for (int i = 0; i < 1 << 20; i++)
    g_string_append_c (huge, '9');
  t = porthole_target_parse (huge->str, &error);
  ck_assert_ptr_null (t);
  assert_clean_message (error->message);
  ck_assert (strstr (error->message, "above 65535") != NULL);
}
END_TEST

START_TEST (test_endpoint)
{
  g_autofree char *v4 = porthole_format_endpoint ("192.0.2.1", 80);
  g_autofree char *v6 = porthole_format_endpoint ("2001:db8::1", 443);
  g_autofree char *q = porthole_quote_short ("\x1b[31m", 5);

  ck_assert_str_eq (v4, "192.0.2.1:80");
  ck_assert_str_eq (v6, "[2001:db8::1]:443");
  ck_assert (strchr (q, '\x1b') == NULL);
}
END_TEST

static Suite *
target_suite (void)
{
  Suite *s = suite_create ("target");
  TCase *tc = tcase_create ("parse");

  /* The megabyte inputs take a while under the sanitizers on a busy machine */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_bad_input_table);
  tcase_add_test (tc, test_forms);
  tcase_add_test (tc, test_urls);
  tcase_add_test (tc, test_more_rejects);
  tcase_add_test (tc, test_hostile);
  tcase_add_test (tc, test_endpoint);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (target_suite)
