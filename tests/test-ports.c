/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ports"
#include "config.h"

#include "porthole-test.h"
#include "porthole-ports.h"
#include "porthole-net-error.h"

#include <stdio.h>

#include <string.h>

START_TEST (test_range_boundaries)
{
  static const struct { guint port; PortholePortRange range; const char *id; } cases[] = {
    { 0, PORTHOLE_RANGE_WELL_KNOWN, "well-known" },
    { 1, PORTHOLE_RANGE_WELL_KNOWN, "well-known" },
    { 1023, PORTHOLE_RANGE_WELL_KNOWN, "well-known" },
    { 1024, PORTHOLE_RANGE_REGISTERED, "registered" },
    { 49151, PORTHOLE_RANGE_REGISTERED, "registered" },
    { 49152, PORTHOLE_RANGE_DYNAMIC, "dynamic" },
    { 65535, PORTHOLE_RANGE_DYNAMIC, "dynamic" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PortholePortRange r = porthole_port_range (cases[i].port);
      guint start, end;

      ck_assert_int_eq (r, cases[i].range);
      ck_assert_str_eq (porthole_port_range_id (r), cases[i].id);
      porthole_port_range_bounds (r, &start, &end);
      ck_assert_uint_le (start, cases[i].port);
      ck_assert_uint_ge (end, cases[i].port);
    }
}
END_TEST

START_TEST (test_sysctl_live)
{
  PortholeSysctl s;
  g_autofree char *contents = NULL;
  guint lo = 0, hi = 0;

  porthole_sysctl_read (NULL, &s);
  ck_assert (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &contents, NULL, NULL));
  ck_assert_int_eq (sscanf (contents, "%u %u", &lo, &hi), 2);
  ck_assert (s.from_system);
  ck_assert_uint_eq (s.ephemeral_start, lo);
  ck_assert_uint_eq (s.ephemeral_end, hi);
  ck_assert (porthole_port_is_ephemeral (&s, lo));
  ck_assert (porthole_port_is_ephemeral (&s, hi));
  ck_assert (!porthole_port_is_ephemeral (&s, lo - 1));
  if (hi < 65535)
    ck_assert (!porthole_port_is_ephemeral (&s, hi + 1));
}
END_TEST

START_TEST (test_sysctl_unusual)
{
  g_autofree char *root = porthole_test_fixture ("sysctl-unusual");
  PortholeSysctl s;

  porthole_sysctl_read (root, &s);
  ck_assert (s.from_system);
  ck_assert_uint_eq (s.ephemeral_start, 1024);
  ck_assert_uint_eq (s.ephemeral_end, 65000);
  ck_assert_uint_eq (s.unprivileged_start, 80);
  ck_assert (porthole_port_is_privileged (&s, 79));
  ck_assert (!porthole_port_is_privileged (&s, 80));
  ck_assert (!porthole_port_is_privileged (&s, 443));
  ck_assert (!porthole_port_is_privileged (&s, 0));
  ck_assert (porthole_port_is_ephemeral (&s, 1024));
  ck_assert (!porthole_port_is_ephemeral (&s, 1023));
  ck_assert (porthole_port_is_ephemeral (&s, 65000));
  ck_assert (!porthole_port_is_ephemeral (&s, 65001));
}
END_TEST

START_TEST (test_sysctl_missing_or_broken)
{
  g_autofree char *broken = porthole_test_fixture ("sysctl-broken");
  PortholeSysctl s;

  porthole_sysctl_read ("/nonexistent-porthole-root", &s);
  ck_assert (!s.from_system);
  ck_assert_uint_eq (s.ephemeral_start, 32768);
  ck_assert_uint_eq (s.ephemeral_end, 60999);
  ck_assert_uint_eq (s.unprivileged_start, 1024);

  /* start > end and a non-number: fall back rather than believe nonsense */
  porthole_sysctl_read (broken, &s);
  ck_assert (!s.from_system);
  ck_assert_uint_eq (s.ephemeral_start, 32768);
  ck_assert_uint_eq (s.unprivileged_start, 1024);
}
END_TEST

START_TEST (test_port_parse)
{
  static const struct { const char *text; gboolean allow_zero; gboolean ok; guint value; const char *needle; } cases[] = {
    { "22", FALSE, TRUE, 22, NULL },
    { " 443 ", FALSE, TRUE, 443, NULL },
    { "65535", FALSE, TRUE, 65535, NULL },
    { "1", FALSE, TRUE, 1, NULL },
    { "0", TRUE, TRUE, 0, NULL },
    { "0", FALSE, FALSE, 0, "port 0" },
    { "65536", FALSE, FALSE, 0, "65536" },
    { "70000", FALSE, FALSE, 0, "70000" },
    { "99999999999999999999", FALSE, FALSE, 0, "above 65535" },
    { "184467440737095516170", FALSE, FALSE, 0, "above 65535" },
    { "-1", FALSE, FALSE, 0, "negative" },
    { "", FALSE, FALSE, 0, "missing" },
    { "   ", FALSE, FALSE, 0, "missing" },
    { "http", FALSE, FALSE, 0, "not a number" },
    { "22a", FALSE, FALSE, 0, "22a" },
    { "0x16", FALSE, FALSE, 0, "not a number" },
    { "+22", FALSE, FALSE, 0, "not a number" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 value = 12345;
      gboolean ok = porthole_port_parse (cases[i].text, cases[i].allow_zero, &value, &error);

      ck_assert_msg (ok == cases[i].ok, "case “%s”", cases[i].text);
      if (ok)
        {
          ck_assert_uint_eq (value, cases[i].value);
          ck_assert (error == NULL);
        }
      else
        {
          ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
          ck_assert_msg (strstr (error->message, cases[i].needle) != NULL,
                         "“%s” -> “%s”", cases[i].text, error->message);
          ck_assert (strchr (error->message, '\n') == NULL);
          ck_assert_uint_lt (strlen (error->message), 120);
          ck_assert_uint_eq (value, 12345);
        }
    }
}
END_TEST

static Suite *
ports_suite (void)
{
  Suite *s = suite_create ("ports");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_range_boundaries);
  tcase_add_test (tc, test_sysctl_live);
  tcase_add_test (tc, test_sysctl_unusual);
  tcase_add_test (tc, test_sysctl_missing_or_broken);
  tcase_add_test (tc, test_port_parse);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (ports_suite)
