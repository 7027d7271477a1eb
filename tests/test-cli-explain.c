/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-explain"
#include "config.h"

#include "porthole-test.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <sys/wait.h>
#include <string.h>

typedef struct {
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs $PORTHOLE_CLI explain ARGS...; with @fixtures, reads the unusual sysctl values and the
 * recorded Debian /etc/services instead of this machine's. */
static void
run_explain (Run *run, gboolean fixtures, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *sysctl_root = porthole_test_fixture ("sysctl-unusual");
  g_autofree char *services = porthole_test_fixture ("services-debian12");
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PORTHOLE_CLI"));
  g_ptr_array_add (argv, "explain");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, "PORTHOLE_SYSCTL_ROOT");
  envp = g_environ_unsetenv (envp, "PORTHOLE_SERVICES_FILE");
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  if (fixtures)
    {
      envp = g_environ_setenv (envp, "PORTHOLE_SYSCTL_ROOT", sysctl_root, TRUE);
      envp = g_environ_setenv (envp, "PORTHOLE_SERVICES_FILE", services, TRUE);
    }
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv->pdata, envp, 0, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error),
                 "%s", error ? error->message : "");
  ck_assert (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static JsonObject *
parse_object (const char *text, JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (json_parser_load_from_data (parser, text, -1, &error), "%s", error ? error->message : "");
  ck_assert (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

START_TEST (test_json_keys_and_values)
{
  static const char * const keys[] = {
    "port", "range", "range_start", "range_end", "in_ephemeral_range", "ephemeral_start",
    "ephemeral_end", "privileged", "services",
  };
  static const struct {
    const char *arg; gint64 port; const char *range; gint64 start, end; gboolean eph, priv;
    const char *service; const char *protocol; gboolean described;
  } cases[] = {
    { "0", 0, "well-known", 0, 1023, FALSE, FALSE, NULL, NULL, FALSE },
    { "1", 1, "well-known", 0, 1023, FALSE, TRUE, "tcpmux", "tcp", FALSE },
    { "79", 79, "well-known", 0, 1023, FALSE, TRUE, "finger", "tcp", FALSE },
    { "80", 80, "well-known", 0, 1023, FALSE, FALSE, "http", "tcp", TRUE },
    { "1023", 1023, "well-known", 0, 1023, FALSE, FALSE, NULL, NULL, FALSE },
    { "1024", 1024, "registered", 1024, 49151, TRUE, FALSE, NULL, NULL, FALSE },
    { "49151", 49151, "registered", 1024, 49151, TRUE, FALSE, NULL, NULL, FALSE },
    { "49152", 49152, "dynamic", 49152, 65535, TRUE, FALSE, NULL, NULL, FALSE },
    { "65000", 65000, "dynamic", 49152, 65535, TRUE, FALSE, NULL, NULL, FALSE },
    { "65001", 65001, "dynamic", 49152, 65535, FALSE, FALSE, NULL, NULL, FALSE },
    { "65535", 65535, "dynamic", 49152, 65535, FALSE, FALSE, NULL, NULL, FALSE },
    { "postgresql", 5432, "registered", 1024, 49151, TRUE, FALSE, "postgresql", "tcp", TRUE },
    { "mongodb", 27017, "registered", 1024, 49151, TRUE, FALSE, "mongodb", "tcp", TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GList) members = NULL;
      const char *args[] = { cases[i].arg, "--json", NULL };
      Run run = { 0 };
      JsonObject *o;
      JsonArray *services;

      run_explain (&run, TRUE, args);
      ck_assert_msg (run.status == 0, "%s: %s", cases[i].arg, run.err);
      ck_assert_str_eq (run.err, "");
      o = parse_object (run.out, parser);

      members = json_object_get_members (o);
      ck_assert_uint_eq (g_list_length (members), G_N_ELEMENTS (keys));
      for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
        ck_assert_msg (json_object_has_member (o, keys[k]), "missing %s", keys[k]);

      ck_assert_int_eq (json_object_get_int_member (o, "port"), cases[i].port);
      ck_assert_str_eq (json_object_get_string_member (o, "range"), cases[i].range);
      ck_assert_int_eq (json_object_get_int_member (o, "range_start"), cases[i].start);
      ck_assert_int_eq (json_object_get_int_member (o, "range_end"), cases[i].end);
      ck_assert_int_eq (json_object_get_boolean_member (o, "in_ephemeral_range"), cases[i].eph);
      ck_assert_int_eq (json_object_get_int_member (o, "ephemeral_start"), 1024);
      ck_assert_int_eq (json_object_get_int_member (o, "ephemeral_end"), 65000);
      ck_assert_msg (json_object_get_boolean_member (o, "privileged") == cases[i].priv, "%s", cases[i].arg);

      services = json_object_get_array_member (o, "services");
      if (cases[i].service == NULL)
        {
          ck_assert_uint_eq (json_array_get_length (services), 0);
        }
      else
        {
          JsonObject *s;

          ck_assert_uint_ge (json_array_get_length (services), 1);
          s = json_array_get_object_element (services, 0);
          ck_assert_uint_eq (json_object_get_size (s), 3);
          ck_assert_str_eq (json_object_get_string_member (s, "name"), cases[i].service);
          ck_assert_str_eq (json_object_get_string_member (s, "protocol"), cases[i].protocol);
          ck_assert (json_object_has_member (s, "description"));
          if (cases[i].described)
            ck_assert_uint_gt (strlen (json_object_get_string_member (s, "description")), 10);
          else
            ck_assert (json_object_get_null_member (s, "description"));
        }
      run_clear (&run);
    }
}
END_TEST

/* Without fixtures, the live /proc/sys values */
START_TEST (test_live_sysctl)
{
  static const char * const args[] = { "22", "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  guint lo = 0, hi = 0;
  Run run = { 0 };
  JsonObject *o;

  ck_assert (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &contents, NULL, NULL));
  ck_assert_int_eq (sscanf (contents, "%u %u", &lo, &hi), 2);
  run_explain (&run, FALSE, args);
  ck_assert_int_eq (run.status, 0);
  o = parse_object (run.out, parser);
  ck_assert_int_eq (json_object_get_int_member (o, "ephemeral_start"), lo);
  ck_assert_int_eq (json_object_get_int_member (o, "ephemeral_end"), hi);
  run_clear (&run);
}
END_TEST

START_TEST (test_text)
{
  static const char * const args[] = { "ssh", NULL };
  static const char * const zero[] = { "0", NULL };
  Run run = { 0 };

  run_explain (&run, TRUE, args);
  ck_assert_int_eq (run.status, 0);
  ck_assert_str_eq (run.err, "");
  /* One paragraph: a single line of sentences */
  ck_assert (g_str_has_suffix (run.out, ".\n"));
  ck_assert (strchr (run.out, '\n') == run.out + strlen (run.out) - 1);
  ck_assert_msg (g_str_has_prefix (run.out, "Port 22 is a well-known port (0–1023)."), "%s", run.out);
  ck_assert (strstr (run.out, "it is privileged") != NULL);
  ck_assert (strstr (run.out, "below 80") != NULL);
  ck_assert (strstr (run.out, "outside this system’s ephemeral range (1024–65000") != NULL);
  ck_assert (strstr (run.out, "ssh/tcp: SSH") != NULL);
  run_clear (&run);

  run_explain (&run, TRUE, zero);
  ck_assert_int_eq (run.status, 0);
  ck_assert (strstr (run.out, "pick a free port") != NULL);
  run_clear (&run);
}
END_TEST

START_TEST (test_bad_input)
{
  static const struct { const char *args[3]; const char *needle; } cases[] = {
    { { "65536", NULL }, "65536" },
    { { "-1", NULL }, "negative" },
    { { "-1", "--json" }, "negative" },
    { { "letters", NULL }, "letters" },
    { { "", NULL }, "port number" },
    { { "123456789012345678901234567890", "--json" }, "above 65535" },
    { { "22x", NULL }, "22x" },
    { { NULL }, "missing" },
    { { "22", "23" }, "23" },
    { { "22", "--bogus" }, "--bogus" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = { 0 };
      const char *end;

      run_explain (&run, TRUE, cases[i].args);
      ck_assert_msg (run.status == 2, "case %zu: status %d", i, run.status);
      ck_assert_str_eq (run.out, "");
      /* Exactly one line on stderr, naming the bad part */
      end = strchr (run.err, '\n');
      ck_assert_msg (end != NULL && end[1] == '\0', "case %zu: “%s”", i, run.err);
      ck_assert (g_str_has_prefix (run.err, "porthole-cli: "));
      ck_assert_msg (strstr (run.err, cases[i].needle) != NULL, "case %zu: “%s”", i, run.err);
      run_clear (&run);
    }
}
END_TEST

static Suite *
cli_explain_suite (void)
{
  Suite *s = suite_create ("cli-explain");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_json_keys_and_values);
  tcase_add_test (tc, test_live_sysctl);
  tcase_add_test (tc, test_text);
  tcase_add_test (tc, test_bad_input);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (cli_explain_suite)
