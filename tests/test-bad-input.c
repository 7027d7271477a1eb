/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 6's bad-input table where it enters through the command line: every row through
 * `porthole-cli probe` / `porthole-cli scan` ($PORTHOLE_CLI), each refused with exit 2 and a
 * message naming the bad part, or accepted and run. The same table is checked on the parsers
 * (test-target.c, test-portlist.c) and in the Test tab's entries (test-test-page.c); test-cli.c
 * checks the one-line format of every refusal.
 * Accepted rows run inside a private network namespace that this test creates, so "h" is
 * looked up without reaching any DNS server and the full scan meets only an empty loopback. */
#define G_LOG_DOMAIN "test-bad-input"
#include "config.h"

#include "porthole-test.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

typedef struct {
  const char *text;
  gboolean    accepted;
  const char *names;      /* refused: the part the message must name; accepted: the host */
  guint       port;       /* accepted: the port probed, or the number of ports scanned */
} Row;

static const Row targets[] = {
  { "", FALSE, "empty", 0 },
  { ":", FALSE, "host", 0 },
  { "h:", FALSE, "“h:”", 0 },
  { "h:0", FALSE, "port 0", 0 },
  { "h:65535", TRUE, "h", 65535 },
  { "h:65536", FALSE, "65536", 0 },
  { "h:99999999999999999999", FALSE, "above 65535", 0 },
  { "[::1]:22", TRUE, "::1", 22 },
  { "::1:22", FALSE, "[::1]:22", 0 },
  { "[fe80::1%lo]:22", TRUE, "fe80::1", 22 },
  { "h:-1", FALSE, "-1", 0 },
};

static const Row port_lists[] = {
  { "0-70000", FALSE, "0-70000", 0 },
  { "5-1", FALSE, "5-1", 0 },
  { "1-65535", TRUE, "127.0.0.1", 65535 },
  { "80,,81", FALSE, "item 2", 0 },
};

/* Runs porthole-cli with @args; returns its exit status, stdout and stderr. */
static int
cli (const char *const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  ck_assert_ptr_nonnull (g_getenv ("PORTHOLE_CLI"));
  g_ptr_array_add (argv, (gpointer) g_getenv ("PORTHOLE_CLI"));
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  ck_assert_msg (process != NULL, "%s", error ? error->message : "");
  ck_assert_msg (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error), "%s",
                 error ? error->message : "");
  ck_assert (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
check_row (const Row *row, const char *const *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = cli (args, &out, &err);

  if (!row->accepted)
    {
      ck_assert_msg (status == 2, "“%s” exited %d: %s", row->text, status, err);
      ck_assert_msg (strstr (err, row->names) != NULL, "“%s”: “%s” does not name “%s”",
                     row->text, err, row->names);
      return;
    }

  /* ran: 0 (open) or 1 (a negative answer), never 2, and on the target that was typed */
  ck_assert_msg (status == 0 || status == 1, "“%s” exited %d: %s", row->text, status, err);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *o;

    ck_assert_msg (json_parser_load_from_data (parser, out, -1, &error), "“%s”: %s", row->text, out);
    o = json_node_get_object (json_parser_get_root (parser));
    ck_assert_str_eq (json_object_get_string_member (o, "host"), row->names);
    ck_assert_int_eq (json_object_get_int_member (o, json_object_has_member (o, "ports_scanned")
                                                      ? "ports_scanned" : "port"), row->port);
  }
}

START_TEST (test_cli_table)
{
  g_autofree char *reason = NULL;

  /* Check runs this in a forked child: the namespace goes with it */
  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);

  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      const char *args[] = { "probe", targets[i].text, "--timeout", "2", "--json", NULL };

      check_row (&targets[i], args);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (port_lists); i++)
    {
      const char *args[] = { "scan", "127.0.0.1", port_lists[i].text, "--json", NULL };

      check_row (&port_lists[i], args);
    }
}
END_TEST

static Suite *
bad_input_suite (void)
{
  Suite *s = suite_create ("bad-input");
  TCase *tc = tcase_create ("cli");

  /* one full scan of 1-65535 on loopback: seconds, more under a sanitizer */
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_cli_table);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (bad_input_suite)
