/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ssh-config"
#include "config.h"

#include "porthole-test.h"
#include "porthole-ssh-config.h"

#include <string.h>

/* The hosts menu's parser over recorded ssh_config files (tests/fixtures/ssh-config) and
 * hostile input */

typedef struct {
  const char *name;
  const char *hosts;   /* joined with ',' */
} Case;

static const Case cases[] = {
  /* wildcards, negations, Match, quoted names with spaces and option-like text are left out;
   * each name once */
  { "typical", "web1,web2,db.internal,backup,nas,10.0.0.5,[fe80::1],user@jump.example.org:2200" },
  { "crlf", "windows1,windows2" },
  /* a line with a NUL is skipped whole; control characters, invalid UTF-8 and names no
   * destination holds refuse the pattern only */
  { "hostile", "indented,last" },
  { "empty", "" },
};

static char *
hosts_of (const char *text, gsize len)
{
  g_auto(GStrv) hosts = porthole_ssh_config_hosts (text, len);

  return g_strjoinv (",", hosts);
}

START_TEST (test_fixtures)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *joined = NULL;
  gsize len;

  path = g_build_filename (g_getenv ("PORTHOLE_FIXTURES"), "ssh-config", cases[_i].name, NULL);
  ck_assert (g_file_get_contents (path, &text, &len, NULL));
  joined = hosts_of (text, len);
  ck_assert_msg (strcmp (joined, cases[_i].hosts) == 0, "%s: “%s”, not “%s”", cases[_i].name,
                 joined, cases[_i].hosts);
}
END_TEST

START_TEST (test_every_fixture_listed)
{
  porthole_test_assert_fixtures_listed ("ssh-config", cases, G_N_ELEMENTS (cases), sizeof cases[0],
                                        G_STRUCT_OFFSET (Case, name));
}
END_TEST

START_TEST (test_bounds)
{
  GString *text = g_string_new (NULL);
  g_auto(GStrv) hosts = NULL;
  g_autofree char *joined = NULL;

  /* thousands of hosts: the first PORTHOLE_SSH_CONFIG_MAX_HOSTS */
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "Host h%u\n", i);
  hosts = porthole_ssh_config_hosts (text->str, text->len);
  ck_assert_uint_eq (g_strv_length (hosts), PORTHOLE_SSH_CONFIG_MAX_HOSTS);
  ck_assert_str_eq (hosts[0], "h0");
  g_string_free (text, TRUE);

  /* read only within @len: the rest of the buffer is not the file */
  joined = hosts_of ("Host one two", 8);
  ck_assert_str_eq (joined, "one");
  g_clear_pointer (&joined, g_free);
  /* an unterminated quote, a lone keyword, a line of 10 kB */
  joined = hosts_of ("Host \"open\nHost\nHost=\n", 22);
  ck_assert_str_eq (joined, "open");
  {
    g_autofree char *line = g_strnfill (10000, 'a');
    g_autofree char *big = g_strdup_printf ("Host %s\nHost fine\n", line);

    g_clear_pointer (&joined, g_free);
    joined = hosts_of (big, strlen (big));
    ck_assert_str_eq (joined, "fine");
  }
}
END_TEST

static Suite *
ssh_config_suite (void)
{
  Suite *s = suite_create ("ssh-config");
  TCase *tc = tcase_create ("core");

  tcase_add_loop_test (tc, test_fixtures, 0, G_N_ELEMENTS (cases));
  tcase_add_test (tc, test_every_fixture_listed);
  tcase_add_test (tc, test_bounds);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (ssh_config_suite)
