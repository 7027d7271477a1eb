/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-portlist"
#include "config.h"

#include "porthole-test.h"
#include "porthole-net-error.h"
#include "porthole-portlist.h"

#include <string.h>

static void
assert_rejects (const char *text, const char *expected_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholePortList) list = porthole_port_list_parse (text, &error);

  ck_assert_msg (list == NULL, "“%s” was accepted", text);
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
  ck_assert (g_utf8_validate (error->message, -1, NULL));
  ck_assert_uint_lt (strlen (error->message), 300);
  for (const char *p = error->message; *p; p = g_utf8_next_char (p))
    ck_assert (!g_unichar_iscntrl (g_utf8_get_char (p)) &&
               g_unichar_type (g_utf8_get_char (p)) != G_UNICODE_FORMAT);
  ck_assert_msg (strstr (error->message, expected_part) != NULL,
                 "message for “%s” is “%s”, expected it to name “%s”", text,
                 error->message, expected_part);
}

static void
assert_list (const char *text, const char *canonical, guint count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholePortList) list = porthole_port_list_parse (text, &error);
  g_autofree char *str = NULL;

  ck_assert_msg (list != NULL, "“%s” rejected: %s", text, error ? error->message : "?");
  str = porthole_port_list_to_string (list);
  ck_assert_str_eq (str, canonical);
  ck_assert_uint_eq (porthole_port_list_get_count (list), count);
}

/* Issue 6 item 5: the port lists of the bad-input table. */
START_TEST (test_bad_input_table)
{
  assert_rejects ("0-70000", "0-70000");
  assert_rejects ("5-1", "5-1");
  assert_rejects ("80,,81", "item 2");
  assert_list ("1-65535", "1-65535", 65535);
}
END_TEST

START_TEST (test_valid)
{
  g_autoptr(PortholePortList) list = NULL;
  const PortholePortSpan *spans;
  guint n;

  assert_list ("22,80,8000-8100", "22,80,8000-8100", 103);
  assert_list (" 22 , 80 , 8000 - 8100 ", "22,80,8000-8100", 103);
  assert_list ("80,22,80,22", "22,80", 2);                 /* duplicates merged, sorted */
  assert_list ("10-20,15-30,31,5", "5,10-31", 23);         /* overlap and adjacency merged */
  assert_list ("65535", "65535", 1);
  assert_list ("1", "1", 1);
  assert_list ("1-65535,80", "1-65535", 65535);

  list = porthole_port_list_parse ("443,22,8000-8002", NULL);
  spans = porthole_port_list_get_spans (list, &n);
  ck_assert_uint_eq (n, 3);
  ck_assert_uint_eq (spans[0].start, 22);
  ck_assert_uint_eq (spans[2].start, 8000);
  ck_assert_uint_eq (spans[2].end, 8002);
  ck_assert (porthole_port_list_contains (list, 8001));
  ck_assert (porthole_port_list_contains (list, 22));
  ck_assert (!porthole_port_list_contains (list, 23));
  ck_assert (!porthole_port_list_contains (list, 0));
  ck_assert (!porthole_port_list_contains (list, 65535));
}
END_TEST

START_TEST (test_rejects)
{
  assert_rejects ("", "empty");
  assert_rejects ("   ", "empty");
  assert_rejects (",", "item 1");
  assert_rejects ("80,", "item 2");
  assert_rejects ("0", "port 0");
  assert_rejects ("65536", "65536");
  assert_rejects ("1-65536", "1-65536");
  assert_rejects ("-5", "no start");
  assert_rejects ("5-", "no end");
  assert_rejects ("1-2-3", "1-2-3");
  assert_rejects ("http", "h");
  assert_rejects ("22;80", ";");
  assert_rejects ("99999999999999999999", "above 65535");
  assert_rejects ("1-99999999999999999999", "above 65535");
}
END_TEST

START_TEST (test_hostile)
{
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(PortholePortList) list = NULL;

  assert_rejects ("22,\x1b[2J", "\\x1b[2J");
  assert_rejects ("\xe2\x80\xae" "80", "80");
  assert_rejects ("8\xff", "8");
  assert_rejects ("80\n81", "80");

  /* A hundred thousand items still parse, merge and count */
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (huge, "%u,", 1 + (i * 7919) % 65535);
  g_string_append (huge, "1");
  list = porthole_port_list_parse (huge->str, NULL);
  ck_assert_ptr_nonnull (list);
  ck_assert_uint_le (porthole_port_list_get_count (list), 65535);
  ck_assert (porthole_port_list_contains (list, 1));

  /* A megabyte of commas is rejected at the first empty item */
  g_string_truncate (huge, 0);
  for (guint i = 0; i < 1 << 20; i++)
    g_string_append_c (huge, ',');
  assert_rejects (huge->str, "item 1");
}
END_TEST

static Suite *
portlist_suite (void)
{
  Suite *s = suite_create ("portlist");
  TCase *tc = tcase_create ("parse");

  /* The megabyte inputs take a while under the sanitizers on a busy machine */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_bad_input_table);
  tcase_add_test (tc, test_valid);
  tcase_add_test (tc, test_rejects);
  tcase_add_test (tc, test_hostile);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (portlist_suite)
