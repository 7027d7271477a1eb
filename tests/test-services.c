/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-services"
#include "config.h"

#include "porthole-test.h"
#include "porthole-services.h"

#include <string.h>

START_TEST (test_recorded_file)
{
  g_autofree char *path = porthole_test_fixture ("services-debian12");
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeServices) db = porthole_services_new_from_file (path, &error);
  const PortholeServiceEntry *entry;
  GPtrArray *all;

  ck_assert (error == NULL);
  ck_assert_uint_gt (porthole_services_get_n_entries (db), 300);
  ck_assert_str_eq (porthole_services_lookup (db, 22, "tcp"), "ssh");
  ck_assert_str_eq (porthole_services_lookup (db, 443, "tcp"), "https");
  ck_assert_str_eq (porthole_services_lookup (db, 53, "udp"), "domain");
  ck_assert_str_eq (porthole_services_lookup (db, 5432, "tcp"), "postgresql");
  ck_assert_ptr_null (porthole_services_lookup (db, 1, "udp"));
  ck_assert_ptr_null (porthole_services_lookup (db, 44444, "tcp"));

  entry = porthole_services_find_name (db, "PostgreSQL");
  ck_assert_ptr_nonnull (entry);
  ck_assert_uint_eq (entry->port, 5432);
  /* An alias finds its entry: "www" is an alias of http */
  entry = porthole_services_find_name (db, "www");
  ck_assert_ptr_nonnull (entry);
  ck_assert_uint_eq (entry->port, 80);

  all = porthole_services_lookup_all (db, 53);
  ck_assert_ptr_nonnull (all);
  ck_assert_uint_ge (all->len, 2);
}
END_TEST

START_TEST (test_hostile)
{
  static const char data[] =
    "# comment only\n"
    "\n"
    "good 1234/tcp alias1 alias2 # trailing comment\n"
    "noport\n"
    "badport 70000/tcp\n"
    "negative -1/tcp\n"
    "noproto 99/\n"
    "noslash 98\n"
    "esc\x1b[31m 97/tcp\n"
    "   spaced\t\t  96/udp   \n"
    "hex 0x10/tcp\n"
    "huge 99999999999999999999999/tcp\n"
    "last 95/tcp";   /* no final newline */
  g_autoptr(PortholeServices) db = porthole_services_new_from_data (data, sizeof data - 1);

  ck_assert_uint_eq (porthole_services_get_n_entries (db), 3);
  ck_assert_str_eq (porthole_services_lookup (db, 1234, "tcp"), "good");
  ck_assert_ptr_nonnull (porthole_services_find_name (db, "alias2"));
  ck_assert_str_eq (porthole_services_lookup (db, 96, "udp"), "spaced");
  ck_assert_str_eq (porthole_services_lookup (db, 95, NULL), "last");
  ck_assert_ptr_null (porthole_services_lookup (db, 97, "tcp"));
  ck_assert_ptr_null (porthole_services_lookup (db, 70000 & 0xffff, "tcp"));
}
END_TEST

START_TEST (test_crlf)
{
  static const char data[] = "ssh 22/tcp\r\nhttp 80/tcp www\r\n# note\r\n";
  g_autoptr(PortholeServices) db = porthole_services_new_from_data (data, sizeof data - 1);

  ck_assert_uint_eq (porthole_services_get_n_entries (db), 2);
  ck_assert_str_eq (porthole_services_lookup (db, 22, "tcp"), "ssh");
  ck_assert_ptr_nonnull (porthole_services_find_name (db, "www"));
  ck_assert_uint_eq (porthole_services_find_name (db, "www")->port, 80);
}
END_TEST

START_TEST (test_embedded_nul_and_empty)
{
  static const char data[] = "a 1/tcp\0b 2/tcp\nc 3/tcp\n";
  g_autoptr(PortholeServices) db = porthole_services_new_from_data (data, sizeof data - 1);
  g_autoptr(PortholeServices) empty = porthole_services_new_from_data ("", 0);
  g_autoptr(GError) error = NULL;
  PortholeServices *missing = porthole_services_new_from_file ("/nonexistent/services", &error);

  ck_assert_str_eq (porthole_services_lookup (db, 1, "tcp"), "a");
  ck_assert_ptr_null (porthole_services_lookup (db, 2, "tcp"));
  ck_assert_str_eq (porthole_services_lookup (db, 3, "tcp"), "c");
  ck_assert_uint_eq (porthole_services_get_n_entries (empty), 0);
  ck_assert_ptr_null (missing);
  ck_assert (error != NULL);
}
END_TEST

static Suite *
services_suite (void)
{
  Suite *s = suite_create ("services");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_recorded_file);
  tcase_add_test (tc, test_hostile);
  tcase_add_test (tc, test_embedded_nul_and_empty);
  tcase_add_test (tc, test_crlf);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (services_suite)
