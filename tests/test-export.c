/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sockets.h"
#include "porthole-export.h"
#include "porthole-socket-monitor.h"
#include "porthole-socket-private.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

/* Each test forks (Check) and enters a private network namespace, so the monitor and
 * `porthole-cli list` see only the sockets of the child the test starts. */

/* The keys of `porthole-cli list --json`, in order (DESIGN.md) */
static const char * const list_keys[] = {
  "protocol", "family", "state", "local_address", "local_port", "remote_address", "remote_port",
  "inode", "uid", "user", "pid", "process", "range", "service", "exposure", "netns", "container",
  "published", "bytes_sent", "bytes_received", "rtt_us", "retransmits",
};
/* CSV has the flat ones: all but "container" and "published", in the same order */
static const char * const csv_keys[] = {
  "protocol", "family", "state", "local_address", "local_port", "remote_address", "remote_port",
  "inode", "uid", "user", "pid", "process", "range", "service", "exposure", "netns",
  "bytes_sent", "bytes_received", "rtt_us", "retransmits",
};
#define N_CSV_KEYS G_N_ELEMENTS (csv_keys)

typedef struct {
  PortholeTestSockets    child;
  PortholeSocketMonitor *monitor;
} Fixture;

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error),
                 "refresh: %s", error ? error->message : "");
  *(gboolean *) data = TRUE;
}

/* A monitor that has read the tables once, with @comm's sockets in it */
static void
fixture_init (Fixture *f, const char *comm)
{
  g_autofree char *reason = NULL;
  gboolean done = FALSE;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  ck_assert_msg (porthole_test_sockets_spawn (&f->child, comm, &reason), "%s", reason);
  f->monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, "linger", 0, NULL);
  porthole_socket_monitor_refresh_async (f->monitor, NULL, on_refreshed, &done);
  ck_assert (porthole_test_wait_for (&done, 10000));
  /* The child's six sockets (two listeners, two UDP, both ends of one connection) */
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f->monitor)), 6);
}

static void
fixture_clear (Fixture *f)
{
  porthole_test_sockets_release (&f->child);
  g_object_unref (f->monitor);
}

static JsonArray *
parse_array (JsonParser *parser, const char *text, gssize len)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (json_parser_load_from_data (parser, text, len, &error), "%s", error ? error->message : "");
  ck_assert (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_node_get_array (json_parser_get_root (parser));
}

/* The row of @array for the same socket as @row: same protocol, endpoints and inode */
static JsonObject *
find_row (JsonArray *array, JsonObject *row)
{
  static const char * const identity[] = { "protocol", "local_address", "local_port", "remote_address",
                                           "remote_port", "inode" };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      gboolean same = TRUE;

      for (gsize k = 0; k < G_N_ELEMENTS (identity) && same; k++)
        same = json_node_equal (json_object_get_member (o, identity[k]), json_object_get_member (row, identity[k]));
      if (same)
        return o;
    }
  return NULL;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

START_TEST (test_json_matches_cli)
{
  Fixture f;
  const char *cli = g_getenv ("PORTHOLE_CLI");
  const char *argv[] = { cli, "list", "--all", "--json", "--netns", "host", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) cli_parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *cli_out = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *exported, *listed;
  gsize len = 0;
  const char *text;
  int status = -1;

  ck_assert_msg (cli != NULL, "PORTHOLE_CLI is not set");
  fixture_init (&f, "ph-export");
  bytes = porthole_export_to_bytes (G_LIST_MODEL (f.monitor), PORTHOLE_EXPORT_JSON);
  text = g_bytes_get_data (bytes, &len);
  exported = parse_array (parser, text, len);
  ck_assert_uint_eq (json_array_get_length (exported), 6);

  /* The CLI, in the same namespace, on the same sockets (the child holds them open) */
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &cli_out, NULL, &status, &error), "%s", error ? error->message : "");
  ck_assert (g_spawn_check_wait_status (status, NULL));
  listed = parse_array (cli_parser, cli_out, -1);
  ck_assert_uint_eq (json_array_get_length (listed), 6);

  for (guint i = 0; i < json_array_get_length (exported); i++)
    {
      JsonObject *row = json_array_get_object_element (exported, i);
      g_autoptr(GList) members = json_object_get_members (row);
      JsonObject *twin = find_row (listed, row);
      GList *m = members;

      /* Exactly the contract's keys, in its order, with the CLI's values */
      ck_assert_uint_eq (g_list_length (members), G_N_ELEMENTS (list_keys));
      for (gsize k = 0; k < G_N_ELEMENTS (list_keys); k++, m = m->next)
        ck_assert_str_eq (m->data, list_keys[k]);
      ck_assert_msg (twin != NULL, "row %u is not in porthole-cli list", i);
      for (gsize k = 0; k < G_N_ELEMENTS (list_keys); k++)
        ck_assert_msg (json_node_equal (json_object_get_member (row, list_keys[k]),
                                        json_object_get_member (twin, list_keys[k])),
                       "row %u: %s differs from porthole-cli list", i, list_keys[k]);

      /* And the values are the child's sockets, as the contract spells them */
      ck_assert_int_eq (json_object_get_int_member (row, "pid"), f.child.pid);
      ck_assert_str_eq (json_object_get_string_member (row, "process"), "ph-export");
      ck_assert_str_eq (json_object_get_string_member (row, "user"), g_get_user_name ());
      ck_assert (g_strv_contains ((const char *[]) { "well-known", "registered", "dynamic", NULL },
                                  json_object_get_string_member (row, "range")));
    }

  {
    static const struct { const char *protocol, *family, *state, *local, *remote; } want[] = {
      { "tcp", "ipv4", "LISTEN", "127.0.0.1", "0.0.0.0" },
      { "tcp", "ipv6", "LISTEN", "::1", "::" },
      { "udp", "ipv4", "UNCONN", "127.0.0.1", "0.0.0.0" },
      { "udp", "ipv6", "UNCONN", "::1", "::" },
      { "tcp", "ipv4", "ESTABLISHED", "127.0.0.1", "127.0.0.1" },
    };
    guint64 inodes[] = { f.child.tcp4_inode, f.child.tcp6_inode, f.child.udp4_inode, f.child.udp6_inode,
                         f.child.client_inode };
    guint ports[] = { f.child.tcp4_port, f.child.tcp6_port, f.child.udp4_port, f.child.udp6_port,
                      f.child.client_port };

    for (gsize w = 0; w < G_N_ELEMENTS (want); w++)
      {
        JsonObject *o = NULL;

        for (guint i = 0; i < json_array_get_length (exported) && o == NULL; i++)
          if ((guint64) json_object_get_int_member (json_array_get_object_element (exported, i), "inode") == inodes[w])
            o = json_array_get_object_element (exported, i);
        ck_assert_msg (o != NULL, "socket %zu is missing", w);
        ck_assert_str_eq (json_object_get_string_member (o, "protocol"), want[w].protocol);
        ck_assert_str_eq (json_object_get_string_member (o, "family"), want[w].family);
        ck_assert_str_eq (json_object_get_string_member (o, "state"), want[w].state);
        ck_assert_str_eq (json_object_get_string_member (o, "local_address"), want[w].local);
        ck_assert_str_eq (json_object_get_string_member (o, "remote_address"), want[w].remote);
        ck_assert_int_eq (json_object_get_int_member (o, "local_port"), ports[w]);
        ck_assert_int_eq (json_object_get_int_member (o, "remote_port"),
                          w == 4 ? f.child.tcp4_port : 0);
        /* TCP counters: the idle pair has moved nothing yet and has a round trip; a listener
         * counts what it served (nothing) and has no round trip of its own; UDP has none */
        if (w == 4)
          {
            ck_assert_int_eq (json_object_get_int_member (o, "bytes_sent"), 0);
            ck_assert_int_eq (json_object_get_int_member (o, "bytes_received"), 0);
            ck_assert_int_ge (json_object_get_int_member (o, "rtt_us"), 0);
            ck_assert_int_eq (json_object_get_int_member (o, "retransmits"), 0);
          }
        else if (strcmp (want[w].protocol, "tcp") == 0)
          {
            ck_assert_int_eq (json_object_get_int_member (o, "bytes_sent"), 0);
            ck_assert (json_object_get_null_member (o, "rtt_us"));
            ck_assert (json_object_get_null_member (o, "retransmits"));
          }
        else
          for (guint k = 0; k < 4; k++)
            ck_assert (json_object_get_null_member (o, csv_keys[N_CSV_KEYS - 4 + k]));
      }
  }
  fixture_clear (&f);
}
END_TEST

/* ---- CSV ----------------------------------------------------------------------------------- */

START_TEST (test_csv_field)
{
  static const struct { const char *in, *out; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "\"", "\"\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { "crlf\r\n", "\"crlf\r\n\"" },
    { " padded ", "\" padded \"" },
    { " lead", "\" lead\"" },
    { "trail ", "\"trail \"" },
    { " ", "\" \"" },
    { "in side", "in side" },
    { "tab\there", "tab\there" },
    { "\\x1b[31m", "\\x1b[31m" },
    { "=1+1", "=1+1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = porthole_export_csv_field (cases[i].in);

      ck_assert_str_eq (got, cases[i].out);
    }
  {
    g_autofree char *got = porthole_export_csv_field (NULL);

    ck_assert_str_eq (got, "");
  }
}
END_TEST

/* RFC 4180 reader: fields may be quoted, quotes doubled, line breaks inside quotes; records
 * end with CRLF */
static GPtrArray *
parse_csv (const char *text, gsize len)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text, *end = text + len; p < end; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p + 1 < end && p[1] == '"')
            g_string_append_c (field, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        {
          /* A quote opens a field only at its start */
          ck_assert_uint_eq (field->len, 0);
          quoted = TRUE;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (*p == '\r' && p + 1 < end && p[1] == '\n')
        {
          p++;
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
        }
      else
        {
          /* Outside quotes, no bare line break and no edge space may appear */
          ck_assert (*p != '\r' && *p != '\n');
          g_string_append_c (field, *p);
        }
    }
  ck_assert (!quoted);
  ck_assert_uint_eq (field->len, 0);
  ck_assert_uint_eq (row->len, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (row);
  return rows;
}

/* The monitor's rows again, each owned by a process, user and service with hostile names */
static GListStore *
hostile_rows (PortholeSocketMonitor *monitor)
{
  static const char * const names[] = { "a,b", "say \"hi\"", "two\nlines", " edges ", "cr\r\nlf", "," };
  GListStore *store = g_list_store_new (PORTHOLE_TYPE_SOCKET);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (monitor)); i++)
    {
      g_autoptr(PortholeSocket) real = g_list_model_get_item (G_LIST_MODEL (monitor), i);
      const char *name = names[i % G_N_ELEMENTS (names)];
      PortholeSocketOwner owner = { porthole_socket_get_pid (real), (char *) name, PORTHOLE_OWNER_KNOWN, FALSE };
      g_autoptr(PortholeSocket) row = porthole_socket_new (porthole_socket_get_info (real), &owner,
                                                           names[(i + 1) % G_N_ELEMENTS (names)],
                                                           names[(i + 2) % G_N_ELEMENTS (names)], 0);

      g_list_store_append (store, row);
    }
  return store;
}

START_TEST (test_csv_round_trip)
{
  Fixture f;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  gsize len = 0;
  const char *text;

  fixture_init (&f, "ph-csv");
  store = hostile_rows (f.monitor);
  csv = porthole_export_to_bytes (G_LIST_MODEL (store), PORTHOLE_EXPORT_CSV);
  json = porthole_export_to_bytes (G_LIST_MODEL (store), PORTHOLE_EXPORT_JSON);
  text = g_bytes_get_data (csv, &len);
  rows = parse_csv (text, len);
  text = g_bytes_get_data (json, &len);
  array = parse_array (parser, text, len);

  /* A header with the JSON keys, then one record per socket with every field intact */
  ck_assert_uint_eq (rows->len, 1 + 6);
  ck_assert_uint_eq (json_array_get_length (array), 6);
  ck_assert_uint_eq (((GPtrArray *) rows->pdata[0])->len, N_CSV_KEYS);
  for (gsize k = 0; k < N_CSV_KEYS; k++)
    ck_assert_str_eq (((GPtrArray *) rows->pdata[0])->pdata[k], csv_keys[k]);
  for (guint i = 0; i < 6; i++)
    {
      GPtrArray *record = rows->pdata[i + 1];
      JsonObject *o = json_array_get_object_element (array, i);

      ck_assert_uint_eq (record->len, N_CSV_KEYS);
      for (gsize k = 0; k < N_CSV_KEYS; k++)
        {
          JsonNode *node = json_object_get_member (o, csv_keys[k]);
          g_autofree char *want = NULL;

          if (JSON_NODE_HOLDS_NULL (node))
            want = g_strdup ("");
          else if (json_node_get_value_type (node) == G_TYPE_STRING)
            want = g_strdup (json_node_get_string (node));
          else
            want = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          ck_assert_msg (strcmp (record->pdata[k], want) == 0, "row %u %s: “%s” in CSV, “%s” in JSON",
                         i, csv_keys[k], (char *) record->pdata[k], want);
        }
    }
  fixture_clear (&f);
}
END_TEST

/* ---- saving -------------------------------------------------------------------------------- */

typedef struct {
  gboolean  done;
  gssize    rows;
  GError   *error;
} Saved;

static void
on_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  Saved *saved = data;

  ck_assert_ptr_null (source);
  ck_assert (g_async_result_is_tagged (result, porthole_export_save_async));
  saved->rows = porthole_export_save_finish (result, &saved->error);
  saved->done = TRUE;
}

static Saved
save (GListModel *model, GFile *file, GCancellable *cancellable)
{
  Saved saved = { FALSE, -2, NULL };

  porthole_export_save_async (model, porthole_export_format_for_file (file), file, cancellable,
                              on_saved, &saved);
  ck_assert (porthole_test_wait_for (&saved.done, 10000));
  return saved;
}

START_TEST (test_save_async)
{
  Fixture f;
  g_autofree char *dir = g_dir_make_tmp ("porthole-export-XXXXXX", NULL);
  g_autoptr(GListStore) store = g_list_store_new (PORTHOLE_TYPE_SOCKET);
  static const char * const names[] = { "table.json", "TABLE.JSON", "table.csv", "table" };

  fixture_init (&f, "ph-save");
  ck_assert_ptr_nonnull (dir);
  /* A snapshot of the monitor, so the file can be compared with the bytes byte for byte */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f.monitor)); i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (f.monitor), i);

      g_list_store_append (store, s);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      PortholeExportFormat format = porthole_export_format_for_file (file);
      g_autoptr(GBytes) want = porthole_export_to_bytes (G_LIST_MODEL (store), format);
      g_autoptr(GBytes) got = NULL;
      Saved saved;

      ck_assert (format == (i < 2 ? PORTHOLE_EXPORT_JSON : PORTHOLE_EXPORT_CSV));
      saved = save (G_LIST_MODEL (store), file, NULL);
      ck_assert_msg (saved.rows == 6, "%s: %s", names[i], saved.error ? saved.error->message : "");
      got = g_file_load_bytes (file, NULL, NULL, NULL);
      ck_assert (got != NULL && g_bytes_equal (got, want));
      /* Saving again replaces the file */
      saved = save (G_LIST_MODEL (store), file, NULL);
      ck_assert_int_eq (saved.rows, 6);
      g_clear_pointer (&got, g_bytes_unref);
      got = g_file_load_bytes (file, NULL, NULL, NULL);
      ck_assert (g_bytes_equal (got, want));
      g_unlink (path);
    }

  /* A cancelled save writes nothing */
  {
    g_autofree char *path = g_build_filename (dir, "cancelled.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Saved saved;

    g_cancellable_cancel (cancellable);
    saved = save (G_LIST_MODEL (store), file, cancellable);
    ck_assert_int_eq (saved.rows, -1);
    ck_assert (g_error_matches (saved.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    ck_assert (!g_file_test (path, G_FILE_TEST_EXISTS));
    g_clear_error (&saved.error);
  }
  ck_assert_int_eq (g_rmdir (dir), 0);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_save_unwritable)
{
  Fixture f;
  g_autofree char *dir = g_dir_make_tmp ("porthole-export-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain-file", NULL);
  /* Paths no process can write, root included: a missing directory, a file as a directory */
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "table.csv", NULL);
  g_autofree char *under_file = g_build_filename (plain, "table.json", NULL);
  const char *paths[] = { missing, under_file };

  fixture_init (&f, "ph-unwritable");
  ck_assert (g_file_set_contents (plain, "x", 1, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      Saved saved = save (G_LIST_MODEL (f.monitor), file, NULL);

      ck_assert_int_eq (saved.rows, -1);
      ck_assert (saved.error != NULL && saved.error->domain == G_IO_ERROR);
      /* The message names the file, so the toast says what could not be written */
      ck_assert_msg (strstr (saved.error->message, paths[i]) != NULL, "%s", saved.error->message);
      ck_assert (!g_file_test (paths[i], G_FILE_TEST_EXISTS));
      g_clear_error (&saved.error);
    }
  /* Nothing left behind: no temporary file beside the one it could not write */
  g_unlink (plain);
  ck_assert_int_eq (g_rmdir (dir), 0);
  fixture_clear (&f);
}
END_TEST

static Suite *
export_suite (void)
{
  Suite *s = suite_create ("export");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_json_matches_cli);
  tcase_add_test (tc, test_csv_field);
  tcase_add_test (tc, test_csv_round_trip);
  tcase_add_test (tc, test_save_async);
  tcase_add_test (tc, test_save_unwritable);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (export_suite)
