/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-history"
#include "config.h"

#include "porthole-journal.h"
#include "porthole-test.h"
#include "porthole-test-peer.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* `porthole-cli history` and `porthole-cli record` against the contract in DESIGN.md: bad
 * input (exit 2, one line), the JSON keys and times, filters, a reader beside a writing
 * recorder, and two recorders started together. */

#define US_PER_HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static int
run_cli (const char *const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PORTHOLE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  ck_assert_ptr_nonnull (g_getenv ("PORTHOLE_CLI"));
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error), "%s", error ? error->message : "");
  ck_assert (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
temp_journal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("porthole-cli-history-XXXXXX", &error);

  ck_assert_msg (dir != NULL, "%s", error ? error->message : "");
  return g_build_filename (dir, "journal.sqlite3", NULL);
}

START_TEST (test_bad_input)
{
  static const char *const cases[][8] = {
    { "history", "--port", "abc", NULL },
    { "history", "--port", "0", NULL },
    { "history", "--port", "70000", NULL },
    { "history", "--port", "", NULL },
    { "history", "--since", "7x", NULL },
    { "history", "--since", "", NULL },
    { "history", "--since", "-3d", NULL },
    { "history", "--until", "2026-13-40", NULL },
    { "history", "--since", "1d", "--until", "2d", NULL },
    { "history", "--process", "", NULL },
    { "history", "--journal", "", NULL },
    { "history", "extra", NULL },
    { "history", "--since", "\x1b[31m7d", NULL },
    { "history", "--bogus", NULL },
    { "record", "--interval", "5", NULL },
    { "record", "--interval", "x", NULL },
    { "record", "--retention", "0", NULL },
    { "record", "--max-size", "-1", NULL },
    { "record", "--journal", "", NULL },
    { "record", "extra", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int code = run_cli (cases[i], &out, &err);
      const char *nl;

      ck_assert_msg (code == 2, "case %u (%s %s): exit %d, %s", i, cases[i][0], cases[i][1], code,
                     err);
      ck_assert_msg (g_str_has_prefix (err, "porthole-cli: "), "case %u: %s", i, err);
      nl = strchr (err, '\n');
      ck_assert_msg (nl != NULL && nl[1] == '\0', "case %u: not one line: %s", i, err);
      ck_assert_msg (strchr (err, '\x1b') == NULL, "case %u: raw escape in %s", i, err);
      ck_assert_str_eq (out, "");
    }
}
END_TEST

static PortholeJournalListener *
listener (guint port, guint64 inode, const char *process, gint64 opened, gint64 closed)
{
  PortholeJournalListener *l = porthole_journal_listener_new ();

  l->protocol = g_strdup ("tcp");
  l->family = g_strdup ("ipv6");
  l->address = g_strdup ("::1");
  l->port = port;
  l->inode = inode;
  l->opened = opened;
  l->closed = closed;
  l->process = g_strdup (process);
  return l;
}

/* A journal with three listeners: 8080 by python3 two days ago (closed), 8080 by node an
 * hour ago (open, in a container, with a unit, exe and command line), 5432 by nobody known */
static char *
make_journal (gint64 now)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeJournal) journal = porthole_journal_open_writer (path, NULL, &error);
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  PortholeJournalListener *l;
  static const char cmdline[] = "node\0server.js\0--port=8080\0";

  ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
  batch->time = now;
  l = listener (8080, 1, "python3", now - 48 * US_PER_HOUR, 0);
  l->uid = 1000;
  l->user = g_strdup ("alice");
  l->pid = 4242;
  g_ptr_array_add (batch->opened, l);
  g_ptr_array_add (batch->closed, listener (8080, 1, "python3", 0, now - 47 * US_PER_HOUR));
  l = listener (8080, 2, "node", now - US_PER_HOUR, 0);
  l->uid = 0;
  l->user = g_strdup ("root");
  l->pid = 77;
  l->exe = g_strdup ("/usr/bin/node");
  l->cmdline = g_bytes_new (cmdline, sizeof cmdline - 1);
  l->unit = g_strdup ("web.service");
  l->container.runtime = PORTHOLE_RUNTIME_DOCKER;
  l->container.id = g_strdup ("0123456789abcdef");
  l->container.name = g_strdup ("web");
  g_ptr_array_add (batch->opened, l);
  g_ptr_array_add (batch->opened, listener (5432, 3, NULL, now - 2 * US_PER_HOUR, 0));
  ck_assert_msg (porthole_journal_write (journal, batch, NULL, &error), "%s",
                 error ? error->message : "");
  return g_steal_pointer (&path);
}

static JsonArray *
parse_array (JsonParser *parser, const char *out)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (json_parser_load_from_data (parser, out, -1, &error), "%s: %s",
                 error ? error->message : "", out);
  ck_assert (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_node_get_array (json_parser_get_root (parser));
}

static char *
iso (gint64 usec)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

START_TEST (test_json)
{
  gint64 now = g_get_real_time ();
  g_autofree char *path = make_journal (now);
  const char *args[] = { "history", "--journal", path, "--json", NULL };
  static const char *const keys[] = {
    "protocol", "local_address", "local_port", "opened", "closed", "uid", "user", "pid",
    "process", "exe", "cmdline", "unit", "container",
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *opened = iso (now - 48 * US_PER_HOUR);
  g_autofree char *closed = iso (now - 47 * US_PER_HOUR);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *rows;
  JsonObject *o, *c;

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  rows = parse_array (parser, out);
  ck_assert_uint_eq (json_array_get_length (rows), 3);
  for (guint i = 0; i < 3; i++)
    {
      o = json_array_get_object_element (rows, i);
      ck_assert_uint_eq (json_object_get_size (o), G_N_ELEMENTS (keys));
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        ck_assert_msg (json_object_has_member (o, keys[k]), "no %s", keys[k]);
    }
  /* oldest first */
  o = json_array_get_object_element (rows, 0);
  ck_assert_str_eq (json_object_get_string_member (o, "process"), "python3");
  ck_assert_str_eq (json_object_get_string_member (o, "opened"), opened);
  ck_assert_str_eq (json_object_get_string_member (o, "closed"), closed);
  ck_assert_str_eq (json_object_get_string_member (o, "protocol"), "tcp");
  ck_assert_str_eq (json_object_get_string_member (o, "local_address"), "::1");
  ck_assert_int_eq (json_object_get_int_member (o, "local_port"), 8080);
  ck_assert_int_eq (json_object_get_int_member (o, "uid"), 1000);
  ck_assert_int_eq (json_object_get_int_member (o, "pid"), 4242);
  ck_assert (json_object_get_null_member (o, "exe"));
  ck_assert (json_object_get_null_member (o, "container"));
  o = json_array_get_object_element (rows, 1);
  ck_assert (json_object_get_null_member (o, "process"));
  ck_assert (json_object_get_null_member (o, "pid"));
  ck_assert (json_object_get_null_member (o, "uid"));
  ck_assert (json_object_get_null_member (o, "user"));
  o = json_array_get_object_element (rows, 2);
  ck_assert (json_object_get_null_member (o, "closed"));
  ck_assert_str_eq (json_object_get_string_member (o, "cmdline"), "node server.js --port=8080");
  ck_assert_str_eq (json_object_get_string_member (o, "exe"), "/usr/bin/node");
  ck_assert_str_eq (json_object_get_string_member (o, "unit"), "web.service");
  c = json_object_get_object_member (o, "container");
  ck_assert_str_eq (json_object_get_string_member (c, "runtime"), "docker");
  ck_assert_str_eq (json_object_get_string_member (c, "id"), "0123456789abcdef");
  ck_assert_str_eq (json_object_get_string_member (c, "name"), "web");
}
END_TEST

static guint
count_rows (const char *const *args, int expect)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int code = run_cli (args, &out, &err);

  ck_assert_msg (code == expect, "exit %d: %s", code, err);
  return json_array_get_length (parse_array (parser, out));
}

START_TEST (test_filters)
{
  gint64 now = g_get_real_time ();
  g_autofree char *path = make_journal (now);
  g_autofree char *yesterday_noon = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  {
    const char *a[] = { "history", "--journal", path, "--json", "--port", "8080", NULL };
    ck_assert_uint_eq (count_rows (a, 0), 2);
  }
  {
    const char *a[] = { "history", "--journal", path, "--json", "--process", "NODE", NULL };
    ck_assert_uint_eq (count_rows (a, 0), 1);
  }
  {
    const char *a[] = { "history", "--journal", path, "--json", "--since", "12h", NULL };
    ck_assert_uint_eq (count_rows (a, 0), 2);   /* python3 closed 47 hours ago */
  }
  {
    const char *a[] = { "history", "--journal", path, "--json", "--until", "3h", NULL };
    ck_assert_uint_eq (count_rows (a, 0), 1);
  }
  {
    const char *a[] = { "history", "--journal", path, "--json", "--port", "22", NULL };
    ck_assert_uint_eq (count_rows (a, 1), 0);   /* nothing: exit 1, an empty array */
  }
  {
    /* the default journal is $PORTHOLE_JOURNAL; a missing one is "nothing recorded" */
    const char *a[] = { "history", "--json", NULL };
    g_autofree char *missing = temp_journal ();

    g_setenv ("PORTHOLE_JOURNAL", path, TRUE);
    ck_assert_uint_eq (count_rows (a, 0), 3);
    g_setenv ("PORTHOLE_JOURNAL", missing, TRUE);
    ck_assert_uint_eq (count_rows (a, 1), 0);
    g_unsetenv ("PORTHOLE_JOURNAL");
  }
  {
    const char *a[] = { "history", "--journal", path, NULL };

    ck_assert_int_eq (run_cli (a, &out, &err), 0);
    ck_assert (g_str_has_prefix (out, "OPENED"));
    ck_assert (strstr (out, "[::1]:8080") != NULL);
    ck_assert (strstr (out, "node (web.service)") != NULL);
  }
}
END_TEST

static void
enter_netns (void)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "%s", reason);
}

static GPid
spawn_record (const char *path, int *err_fd)
{
  const char *argv[] = { g_getenv ("PORTHOLE_CLI"), "record", "--journal", path,
                         "--interval", "100", "--retry", "200", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  ck_assert_msg (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, NULL, err_fd, &error),
                 "%s", error ? error->message : "");
  return pid;
}

static char *
stop (GPid pid, int err_fd)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buf[1024];
  ssize_t n;
  int status = 0;

  ck_assert (kill (pid, SIGTERM) == 0);
  ck_assert (waitpid (pid, &status, 0) == pid);
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "record: status %d", status);
  while ((n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  close (err_fd);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
sessions (const char *path, int *ended)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  ck_assert_int_eq (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_prepare_v2 (db, "SELECT count(*), count(ended) FROM sessions", -1,
                                        &stmt, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  if (ended)
    *ended = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

START_TEST (test_read_while_recording)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *said = NULL;
  int err_fd = -1, ended = 0;
  GPid pid;
  guint seen = 0;

  enter_netns ();
  pid = spawn_record (path, &err_fd);
  for (guint round = 0; round < 30; round++)
    {
      guint16 port;
      int fd = porthole_test_listener ("127.0.0.1", &port, 4);
      g_autofree char *port_text = g_strdup_printf ("%u", port);
      const char *a[] = { "history", "--journal", path, "--json", "--port", port_text, NULL };
      /* the first round waits for the recorder to start (slow under sanitizers) */
      gint64 deadline = g_get_monotonic_time () + (round == 0 ? 60 : 30) * G_USEC_PER_SEC;
      int code = 1;

      while (code == 1 && g_get_monotonic_time () < deadline)
        {
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;

          g_usleep (50 * 1000);
          code = run_cli (a, &out, &err);
          /* 0 once the listener is in, 1 before; never an error about locks or damage */
          ck_assert_msg (code == 0 || code == 1, "exit %d: %s", code, err);
          ck_assert_msg (strstr (err, "busy") == NULL && strstr (err, "damaged") == NULL, "%s", err);
        }
      if (code == 0)
        seen++;
      close (fd);
    }
  said = stop (pid, err_fd);
  ck_assert_msg (seen == 30, "only %u of 30 listeners were in the journal in time", seen);
  ck_assert_int_eq (sessions (path, &ended), 1);
  ck_assert_int_eq (ended, 1);   /* SIGTERM ends it cleanly */
  ck_assert_msg (strstr (said, "recording to") != NULL, "%s", said);
}
END_TEST

START_TEST (test_two_started_together)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *said_a = NULL;
  g_autofree char *said_b = NULL;
  int fd_a = -1, fd_b = -1;
  GPid a, b;

  enter_netns ();
  a = spawn_record (path, &fd_a);
  b = spawn_record (path, &fd_b);
  g_usleep (1500 * 1000);
  ck_assert_int_eq (sessions (path, NULL), 1);
  said_a = stop (a, fd_a);
  said_b = stop (b, fd_b);
  /* one wrote; the other waited, and took over when the first stopped (or was stopped) */
  ck_assert_msg ((strstr (said_a, "another recorder") != NULL) !=
                 (strstr (said_b, "another recorder") != NULL), "%s\n---\n%s", said_a, said_b);
  ck_assert_int_le (sessions (path, NULL), 2);
}
END_TEST

static Suite *
cli_history_suite (void)
{
  Suite *s = suite_create ("cli-history");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_filters);
  tcase_add_test (tc, test_read_while_recording);
  tcase_add_test (tc, test_two_started_together);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (cli_history_suite)
