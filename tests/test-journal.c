/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-journal"
#include "config.h"

#include "porthole-journal.h"
#include "porthole-test.h"
#include "porthole-test-mounts.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

/* The history journal on real SQLite files: round trips of hostile text, the writer lock,
 * crash recovery of open rows, newer schemas, other programs' files, damaged files moved
 * aside, pruning, and full, read-only and deleted places (tmpfs in a private mount
 * namespace). */

#define US_PER_DAY (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

static char *
temp_journal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("porthole-journal-XXXXXX", &error);

  ck_assert_msg (dir != NULL, "%s", error ? error->message : "");
  return g_build_filename (dir, "state", "porthole", "journal.sqlite3", NULL);
}

static PortholeJournalListener *
make_listener (guint port, guint64 inode, const char *process)
{
  PortholeJournalListener *l = porthole_journal_listener_new ();

  l->protocol = g_strdup ("tcp");
  l->family = g_strdup ("ipv4");
  l->address = g_strdup ("127.0.0.1");
  l->port = port;
  l->inode = inode;
  l->uid = 1000;
  l->user = g_strdup ("someone");
  l->pid = 0;   /* no /proc reads: the fields below are kept as given */
  l->process = g_strdup (process);
  return l;
}

static PortholeJournal *
open_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  PortholeJournal *journal = porthole_journal_open_writer (path, NULL, &error);

  ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
  return journal;
}

static void
write_batch (PortholeJournal *journal, PortholeJournalBatch *batch)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_journal_write (journal, batch, NULL, &error), "%s",
                 error ? error->message : "");
}

static GPtrArray *
query_all (PortholeJournal *journal)
{
  PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = porthole_journal_query (journal, &filter, &error);

  ck_assert_msg (rows != NULL, "%s", error ? error->message : "");
  return rows;
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  ck_assert (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static char *
integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *answer = NULL;

  ck_assert_int_eq (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    answer = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return answer;
}

START_TEST (test_hostile_round_trip)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeJournal) journal = open_writer (path);
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GByteArray) big = g_byte_array_new ();
  static const char *const names[] = {
    "x'); DROP TABLE listeners; --", "quote\"d 'name'", "%s%n\\", "ba\xff\xfe",
  };
  static const guint8 nul_cmdline[] = "prog\0--flag=\"a b\"\0\0'x'\0\xff\x01\n\0";
  g_autofree char *text = NULL;

  /* 100 KB of argument bytes, NUL separated, with a NUL run and every byte value */
  for (guint i = 0; big->len < 100 * 1024; i++)
    {
      guint8 c = (guint8) (i % 256);

      g_byte_array_append (big, &c, 1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      PortholeJournalListener *l = make_listener (8000 + i, 100 + i, names[i]);

      l->exe = g_strdup ("/opt/odd dir/it's\n\"exe\"");
      l->unit = g_strdup ("a'b\".service");
      if (i == 0)
        l->cmdline = g_bytes_new (nul_cmdline, sizeof nul_cmdline - 1);
      else if (i == 1)
        l->cmdline = g_bytes_new (big->data, big->len);
      l->container.runtime = PORTHOLE_RUNTIME_DOCKER;
      l->container.id = g_strdup ("abc'def");
      l->container.name = g_strdup ("web\"1");
      g_ptr_array_add (batch->opened, l);
    }
  batch->time = g_get_real_time ();
  write_batch (journal, batch);

  rows = query_all (journal);
  ck_assert_uint_eq (rows->len, G_N_ELEMENTS (names));
  for (guint i = 0; i < rows->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (rows, i);
      PortholeJournalListener *want = g_ptr_array_index (batch->opened, i);

      ck_assert_str_eq (l->process, names[i]);
      ck_assert_str_eq (l->exe, want->exe);
      ck_assert_str_eq (l->unit, want->unit);
      ck_assert_str_eq (l->container.id, "abc'def");
      ck_assert_str_eq (l->container.name, "web\"1");
      ck_assert_int_eq (l->container.runtime, PORTHOLE_RUNTIME_DOCKER);
      ck_assert_uint_eq (l->port, 8000 + i);
      ck_assert_int_eq (l->uid, 1000);
      ck_assert_int_eq (l->closed, 0);
      ck_assert_int_eq (l->opened, batch->time);
      if (want->cmdline == NULL)
        ck_assert_ptr_null (l->cmdline);
      else
        ck_assert_msg (l->cmdline != NULL && g_bytes_equal (l->cmdline, want->cmdline),
                       "command line %u not read back exactly", i);
    }
  /* For people: NULs as spaces, control characters and invalid bytes escaped */
  text = porthole_journal_listener_dup_cmdline_text (g_ptr_array_index (rows, 0));
  ck_assert_str_eq (text, "prog --flag=\"a b\"  'x' \\xff\\x01\\n");
  /* the table is still there, and a text search with quotes finds the row */
  {
    PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;
    g_autoptr(GPtrArray) found = NULL;

    filter.text = "drop table";
    found = porthole_journal_query (journal, &filter, NULL);
    ck_assert (found != NULL);
    ck_assert_uint_eq (found->len, 1);
    filter.text = NULL;
    filter.process = "' OR 1=1 --";
    g_clear_pointer (&found, g_ptr_array_unref);
    found = porthole_journal_query (journal, &filter, NULL);
    ck_assert_uint_eq (found->len, 0);
  }
}
END_TEST

START_TEST (test_close_and_recover)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeJournal) a = open_writer (path);
  g_autoptr(PortholeJournal) b = NULL;
  g_autoptr(PortholeJournalBatch) first = porthole_journal_batch_new ();
  g_autoptr(PortholeJournalBatch) second = porthole_journal_batch_new ();
  g_autoptr(PortholeJournalBatch) snapshot = porthole_journal_batch_new ();
  g_autoptr(GPtrArray) rows = NULL;
  /* after the sessions' start, which counts as their first sign of life */
  gint64 t0 = g_get_real_time () + 60 * G_USEC_PER_SEC;
  PortholeJournalListener *closing;

  /* Session A: three listeners open, one of them closes, then A dies (no end of session) */
  first->time = t0;
  g_ptr_array_add (first->opened, make_listener (1001, 11, "one"));
  g_ptr_array_add (first->opened, make_listener (1002, 12, "two"));
  g_ptr_array_add (first->opened, make_listener (1003, 13, "three"));
  write_batch (a, first);
  second->time = t0 + 10 * G_USEC_PER_SEC;
  closing = make_listener (1001, 11, "one");
  g_ptr_array_add (second->closed, closing);
  write_batch (a, second);
  ck_assert_uint_eq (porthole_journal_get_batches (a), 2);
  g_clear_pointer (&a, porthole_journal_close);

  /* Session B sees 1002 still there (same socket) and a new 1004; 1003 went meanwhile */
  b = open_writer (path);
  snapshot->time = t0 + 50 * G_USEC_PER_SEC;
  snapshot->snapshot = TRUE;
  g_ptr_array_add (snapshot->opened, make_listener (1002, 12, "two"));
  g_ptr_array_add (snapshot->opened, make_listener (1004, 14, "four"));
  write_batch (b, snapshot);

  rows = query_all (b);
  ck_assert_uint_eq (rows->len, 4);
  for (guint i = 0; i < rows->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (rows, i);

      switch (l->port)
        {
        case 1001:  /* closed by A when it saw it go */
          ck_assert_int_eq (l->opened, t0);
          ck_assert_int_eq (l->closed, t0 + 10 * G_USEC_PER_SEC);
          break;
        case 1002:  /* one row, still open */
          ck_assert_int_eq (l->opened, t0);
          ck_assert_int_eq (l->closed, 0);
          break;
        case 1003:  /* closed at A's last sign of life */
          ck_assert_int_eq (l->closed, t0 + 10 * G_USEC_PER_SEC);
          break;
        case 1004:
          ck_assert_int_eq (l->opened, t0 + 50 * G_USEC_PER_SEC);
          ck_assert_int_eq (l->closed, 0);
          break;
        default:
          ck_abort_msg ("unexpected port %u", l->port);
        }
    }
}
END_TEST

START_TEST (test_one_writer)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeJournal) first = open_writer (path);
  g_autoptr(PortholeJournal) second = NULL;
  g_autoptr(PortholeJournal) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  g_autoptr(GPtrArray) rows = NULL;

  second = porthole_journal_open_writer (path, NULL, &error);
  ck_assert_ptr_null (second);
  ck_assert (g_error_matches (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_LOCKED));
  g_clear_error (&error);

  batch->time = g_get_real_time ();
  g_ptr_array_add (batch->opened, make_listener (5432, 1, "postgres"));
  write_batch (first, batch);
  /* A reader works beside the writer */
  reader = porthole_journal_open_reader (path, &error);
  ck_assert_msg (reader != NULL, "%s", error ? error->message : "");
  rows = query_all (reader);
  ck_assert_uint_eq (rows->len, 1);

  g_clear_pointer (&first, porthole_journal_close);
  second = porthole_journal_open_writer (path, NULL, &error);
  ck_assert_msg (second != NULL, "%s", error ? error->message : "");
  ck_assert_int_gt (porthole_journal_get_session (second), 1);
}
END_TEST

/* A SQLite file made by hand: @sql run on a new file */
static void
make_sqlite (const char *path, const char *sql)
{
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *db = NULL;

  g_mkdir_with_parents (dir, 0700);
  ck_assert_int_eq (sqlite3_open (path, &db), SQLITE_OK);
  ck_assert_int_eq (sqlite3_exec (db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);
}

START_TEST (test_newer_schema)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  PortholeJournal *journal;

  make_sqlite (path, "PRAGMA application_id = 1347700785; PRAGMA user_version = 7;"
                     "CREATE TABLE future (x);");
  before = file_checksum (path);
  journal = porthole_journal_open_writer (path, NULL, &error);
  ck_assert_ptr_null (journal);
  ck_assert (g_error_matches (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_NEWER_SCHEMA));
  ck_assert_msg (strstr (error->message, "newer") && strstr (error->message, path),
                 "unclear: %s", error->message);
  g_clear_error (&error);
  journal = porthole_journal_open_reader (path, &error);
  ck_assert_ptr_null (journal);
  ck_assert (g_error_matches (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_NEWER_SCHEMA));
  after = file_checksum (path);
  ck_assert_str_eq (before, after);
}
END_TEST

START_TEST (test_not_a_journal)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  PortholeJournal *journal;

  make_sqlite (path, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');");
  before = file_checksum (path);
  journal = porthole_journal_open_writer (path, NULL, &error);
  ck_assert_ptr_null (journal);
  ck_assert (g_error_matches (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_NOT_A_JOURNAL));
  after = file_checksum (path);
  ck_assert_str_eq (before, after);
}
END_TEST

static void
assert_moved_aside (const char *path, const char *moved, const char *checksum)
{
  g_autofree char *prefix = g_strconcat (path, ".corrupt-", NULL);
  g_autofree char *moved_sum = NULL;

  ck_assert_msg (moved != NULL, "the damaged file was not moved aside");
  ck_assert_msg (g_str_has_prefix (moved, prefix), "moved to %s", moved);
  moved_sum = file_checksum (moved);
  ck_assert_str_eq (moved_sum, checksum);
}

START_TEST (test_random_bytes)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *sum = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *ok = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeJournal) journal = NULL;
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GByteArray) noise = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new ();

  for (guint i = 0; i < 64 * 1024; i++)
    {
      guint8 c = (guint8) g_rand_int_range (rand, 0, 256);

      g_byte_array_append (noise, &c, 1);
    }
  g_mkdir_with_parents (dir, 0700);
  ck_assert (g_file_set_contents (path, (const char *) noise->data, noise->len, NULL));
  sum = file_checksum (path);

  journal = porthole_journal_open_writer (path, &moved, &error);
  ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
  assert_moved_aside (path, moved, sum);
  batch->time = g_get_real_time ();
  g_ptr_array_add (batch->opened, make_listener (80, 2, "nginx"));
  write_batch (journal, batch);
  rows = query_all (journal);
  ck_assert_uint_eq (rows->len, 1);
  g_clear_pointer (&journal, porthole_journal_close);
  ok = integrity (path);
  ck_assert_str_eq (ok, "ok");
}
END_TEST

START_TEST (test_damaged_pages)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *sum = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeJournal) journal = open_writer (path);
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  g_autoptr(GPtrArray) rows = NULL;
  gsize len = 0;

  batch->time = g_get_real_time ();
  for (guint i = 0; i < 2000; i++)
    g_ptr_array_add (batch->opened, make_listener (1024 + i, i + 1, "many"));
  write_batch (journal, batch);
  g_clear_pointer (&journal, porthole_journal_close);   /* checkpoints the WAL into the file */

  /* A valid header, but the b-tree pages after the first few overwritten */
  ck_assert (g_file_get_contents (path, &contents, &len, NULL));
  ck_assert_uint_gt (len, 16 * 4096);
  for (gsize i = 4 * 4096; i < len; i++)
    contents[i] = (char) (i * 131 + 7);
  ck_assert (g_file_set_contents (path, contents, len, NULL));
  sum = file_checksum (path);

  journal = porthole_journal_open_writer (path, &moved, &error);
  ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
  assert_moved_aside (path, moved, sum);
  rows = query_all (journal);
  ck_assert_uint_eq (rows->len, 0);
}
END_TEST

START_TEST (test_prune)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeJournal) journal = open_writer (path);
  g_autoptr(PortholeJournalBatch) old = porthole_journal_batch_new ();
  g_autoptr(PortholeJournalBatch) recent = porthole_journal_batch_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  PortholeJournalConnection *c;
  GStatBuf before, after;
  gint64 deleted;

  /* 40 days ago: 1200 listeners that opened and closed, one that is still open, and a
   * connection; today: one listener, 100 KB command lines each */
  old->time = now - 40 * US_PER_DAY;
  for (guint i = 0; i < 1200; i++)
    {
      PortholeJournalListener *l = make_listener (2000 + (i % 100), 5000 + i, "old");
      g_autofree char *arg = g_strnfill (10 * 1024, 'a' + i % 26);

      l->opened = old->time;
      l->closed = old->time + G_USEC_PER_SEC;
      l->cmdline = g_bytes_new (arg, strlen (arg));
      g_ptr_array_add (old->opened, l);
      g_ptr_array_add (old->closed, make_listener (2000 + (i % 100), 5000 + i, "old"));
      ((PortholeJournalListener *) g_ptr_array_index (old->closed, i))->closed = l->closed;
    }
  g_ptr_array_add (old->opened, make_listener (22, 1, "sshd"));
  c = g_new0 (PortholeJournalConnection, 1);
  c->program = g_strdup ("curl");
  c->remote_address = g_strdup ("192.0.2.1");
  c->port = 443;
  c->protocol = g_strdup ("tcp");
  c->bytes_sent = c->bytes_received = -1;
  g_ptr_array_add (old->connections, c);
  write_batch (journal, old);
  recent->time = now;
  g_ptr_array_add (recent->opened, make_listener (8080, 9, "new"));
  write_batch (journal, recent);
  ck_assert (g_stat (path, &before) == 0);

  /* Retention: a bounded number of rows per call, until nothing is left to do */
  deleted = porthole_journal_prune (journal, now, 30, 0, 500, &error);
  ck_assert_msg (deleted >= 500 && deleted < 1201, "deleted %" G_GINT64_FORMAT, deleted);
  for (guint i = 0; i < 10 && (deleted = porthole_journal_prune (journal, now, 30, 0, 500, &error)) >= 0; i++)
    ;
  ck_assert_msg (deleted == 0, "%s", error ? error->message : "still deleting");
  rows = query_all (journal);
  ck_assert_uint_eq (rows->len, 2);   /* the open sshd of 40 days ago, and today's */
  hours = porthole_journal_query_connections (journal, 0, 0, &error);
  ck_assert_uint_eq (hours->len, 0);
  ck_assert (g_stat (path, &after) == 0);
  ck_assert_msg (after.st_size < before.st_size / 2, "the file kept its size: %ld -> %ld",
                 (long) before.st_size, (long) after.st_size);
}
END_TEST

START_TEST (test_size_cap)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeJournal) journal = open_writer (path);
  g_autoptr(GPtrArray) rows = NULL;
  gint64 now = g_get_real_time ();
  const guint64 cap = 256 * 1024;

  for (guint b = 0; b < 10; b++)
    {
      g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();

      batch->time = now - (10 - b) * G_USEC_PER_SEC;
      for (guint i = 0; i < 20; i++)
        {
          PortholeJournalListener *l = make_listener (3000 + b * 20 + i, b * 20 + i + 1, "x");
          g_autofree char *arg = g_strnfill (8 * 1024, 'z');

          l->cmdline = g_bytes_new (arg, strlen (arg));
          g_ptr_array_add (batch->opened, l);
          if (b < 9)   /* the last batch's stay open */
            g_ptr_array_add (batch->closed, make_listener (3000 + b * 20 + i, b * 20 + i + 1, "x"));
        }
      write_batch (journal, batch);
    }
  ck_assert_uint_gt (porthole_journal_get_data_size (journal), cap);
  while (porthole_journal_prune (journal, now, 30, cap, 100, NULL) > 0)
    ;
  ck_assert_uint_le (porthole_journal_get_data_size (journal), cap);
  rows = query_all (journal);
  ck_assert_uint_ge (rows->len, 20);
  /* the oldest went first, and the open ones stayed */
  ck_assert_uint_gt (((PortholeJournalListener *) rows->pdata[0])->port, 3000);
  for (guint port = 3180; port < 3200; port++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < rows->len; i++)
        if (((PortholeJournalListener *) rows->pdata[i])->port == port)
          found = ((PortholeJournalListener *) rows->pdata[i])->closed == 0;
      ck_assert_msg (found, "open listener on %u was pruned", port);
    }
}
END_TEST

START_TEST (test_query_filters)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeJournal) journal = open_writer (path);
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;
  gint64 day = US_PER_DAY, t = g_get_real_time () - 10 * day;
  struct { guint port; const char *process; gint64 opened, closed; } rows[] = {
    { 8080, "python3", t, t + day },
    { 8080, "node", t + 2 * day, t + 3 * day },
    { 5432, "postgres", t, 0 },
    { 18080, "Postgres-Helper", t + 5 * day, t + 6 * day },
  };

  batch->time = t;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      PortholeJournalListener *l = make_listener (rows[i].port, i + 1, rows[i].process);

      l->opened = rows[i].opened;
      g_ptr_array_add (batch->opened, l);
      if (rows[i].closed != 0)
        {
          PortholeJournalListener *c = make_listener (rows[i].port, i + 1, rows[i].process);

          c->closed = rows[i].closed;
          g_ptr_array_add (batch->closed, c);
        }
    }
  write_batch (journal, batch);

#define COUNT(f) ({ g_autoptr(GPtrArray) r_ = porthole_journal_query (journal, &(f), NULL); \
                    ck_assert (r_ != NULL); r_->len; })
  filter.port = 8080;
  ck_assert_uint_eq (COUNT (filter), 2);
  filter.since = t + day + 1;          /* python3 closed before that */
  ck_assert_uint_eq (COUNT (filter), 1);
  filter.port = -1;
  filter.since = 0;
  filter.process = "POSTGRES";         /* any case, a substring */
  ck_assert_uint_eq (COUNT (filter), 2);
  filter.process = NULL;
  filter.text = "8080";                /* the port, or text that holds it */
  ck_assert_uint_eq (COUNT (filter), 2);
  filter.text = "helper";
  ck_assert_uint_eq (COUNT (filter), 1);
  filter.text = NULL;
  filter.since = t + 4 * day;          /* postgres is open still, the helper came later */
  ck_assert_uint_eq (COUNT (filter), 2);
  filter.until = t + 4 * day + 1;
  ck_assert_uint_eq (COUNT (filter), 1);
  filter.since = filter.until = 0;
  filter.limit = 1;                    /* the newest */
  {
    g_autoptr(GPtrArray) r = porthole_journal_query (journal, &filter, NULL);

    ck_assert_uint_eq (r->len, 1);
    ck_assert_str_eq (((PortholeJournalListener *) r->pdata[0])->process, "Postgres-Helper");
  }
#undef COUNT
}
END_TEST

static void
enter_mounts (void)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_private_mounts (&reason), "%s", reason);
}

START_TEST (test_disk_full)
{
  g_autofree char *reason = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *ok = NULL;
  g_autoptr(PortholeJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint written = 0;
  gboolean full = FALSE;

  enter_mounts ();
  dir = porthole_test_mount_tmpfs (2 * 1024 * 1024, &reason);
  ck_assert_msg (dir != NULL, "%s", reason);
  path = g_build_filename (dir, "porthole", "journal.sqlite3", NULL);
  /* room for about 600 KB of journal: the filler goes later to make room again */
  {
    g_autofree char *ballast = g_strnfill (1400 * 1024, 'b');

    filler = g_build_filename (dir, "ballast", NULL);
    ck_assert (g_file_set_contents (filler, ballast, -1, NULL));
  }
  journal = open_writer (path);
  /* Bounded: 1 MiB fills after a few dozen batches of 64 KB */
  for (guint b = 0; b < 200 && !full; b++)
    {
      g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
      PortholeJournalListener *l = make_listener (4000 + b, b + 1, "filler");
      g_autofree char *arg = g_strnfill (64 * 1024, 'q');

      l->cmdline = g_bytes_new (arg, strlen (arg));
      g_ptr_array_add (batch->opened, l);
      batch->time = g_get_real_time ();
      if (porthole_journal_write (journal, batch, NULL, &error))
        written++;
      else
        full = TRUE;
    }
  ck_assert_msg (full, "the tmpfs never filled");
  ck_assert_msg (strstr (error->message, "disk is full") != NULL, "unclear: %s", error->message);
  ck_assert_uint_gt (written, 0);
  g_clear_error (&error);
  /* everything committed before is there, and the file is sound */
  rows = query_all (journal);
  ck_assert_uint_eq (rows->len, written);
  g_clear_pointer (&journal, porthole_journal_close);
  ok = integrity (path);
  ck_assert_str_eq (ok, "ok");
  /* a journal that cannot even start on a full disk says so */
  g_free (porthole_test_fill_disk (dir));
  {
    g_autofree char *other = g_build_filename (dir, "other", "journal.sqlite3", NULL);
    PortholeJournal *none = porthole_journal_open_writer (other, NULL, &error);

    ck_assert_ptr_null (none);
    ck_assert_msg (strstr (error->message, other) != NULL, "unclear: %s", error->message);
    g_clear_error (&error);
  }
  /* and once there is room again, it goes on */
  ck_assert (g_unlink (filler) == 0);
  journal = open_writer (path);
  {
    g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();

    batch->time = g_get_real_time ();
    g_ptr_array_add (batch->opened, make_listener (9999, 99999, "after"));
    write_batch (journal, batch);
  }
}
END_TEST

START_TEST (test_read_only)
{
  g_autofree char *reason = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(PortholeJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();

  enter_mounts ();
  dir = porthole_test_mount_tmpfs (4 * 1024 * 1024, &reason);
  ck_assert_msg (dir != NULL, "%s", reason);
  path = g_build_filename (dir, "journal.sqlite3", NULL);
  journal = open_writer (path);
  batch->time = g_get_real_time ();
  g_ptr_array_add (batch->opened, make_listener (631, 3, "cupsd"));
  write_batch (journal, batch);
  g_clear_pointer (&journal, porthole_journal_close);
  before = file_checksum (path);

  ck_assert_msg (porthole_test_remount (dir, TRUE, &reason), "%s", reason);
  journal = porthole_journal_open_writer (path, NULL, &error);
  ck_assert_ptr_null (journal);
  ck_assert_msg (strstr (error->message, path) != NULL &&
                 strstr (error->message, "Read-only") != NULL, "unclear: %s", error->message);
  g_clear_error (&error);
  after = file_checksum (path);
  ck_assert_str_eq (before, after);
  /* a folder that cannot be made */
  {
    g_autofree char *deeper = g_build_filename (dir, "new", "journal.sqlite3", NULL);

    journal = porthole_journal_open_writer (deeper, NULL, &error);
    ck_assert_ptr_null (journal);
    ck_assert_msg (strstr (error->message, "folder") != NULL, "unclear: %s", error->message);
  }
}
END_TEST

START_TEST (test_deleted_dir)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *command = NULL;
  g_autoptr(PortholeJournal) journal = open_writer (path);
  g_autoptr(PortholeJournalBatch) batch = porthole_journal_batch_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(GStrv) argv = NULL;
  int status = -1;

  argv = g_strsplit ("rm -rf --", " ", -1);
  {
    GStrvBuilder *b = g_strv_builder_new ();

    g_strv_builder_addv (b, (const char **) argv);
    g_strv_builder_add (b, dir);
    g_strfreev (argv);
    argv = g_strv_builder_end (b);
    g_strv_builder_unref (b);
  }
  ck_assert (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                           &status, NULL));
  ck_assert (!g_file_test (dir, G_FILE_TEST_EXISTS));
  batch->time = g_get_real_time ();
  g_ptr_array_add (batch->opened, make_listener (7, 7, "echo"));
  ck_assert (!porthole_journal_write (journal, batch, NULL, &error));
  ck_assert (g_error_matches (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_MISSING));
  ck_assert_msg (strstr (error->message, "deleted") != NULL, "unclear: %s", error->message);
  g_clear_pointer (&journal, porthole_journal_close);
  /* a new writer makes the folder again */
  journal = open_writer (path);
  write_batch (journal, batch);
  rows = query_all (journal);
  ck_assert_uint_eq (rows->len, 1);
}
END_TEST

START_TEST (test_reader_missing)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(GError) error = NULL;
  PortholeJournal *journal = porthole_journal_open_reader (path, &error);

  ck_assert_ptr_null (journal);
  ck_assert (g_error_matches (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_MISSING));
  ck_assert (!g_file_test (path, G_FILE_TEST_EXISTS));   /* a reader creates nothing */
}
END_TEST

static Suite *
journal_suite (void)
{
  Suite *s = suite_create ("journal");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_hostile_round_trip);
  tcase_add_test (tc, test_close_and_recover);
  tcase_add_test (tc, test_one_writer);
  tcase_add_test (tc, test_newer_schema);
  tcase_add_test (tc, test_not_a_journal);
  tcase_add_test (tc, test_random_bytes);
  tcase_add_test (tc, test_damaged_pages);
  tcase_add_test (tc, test_prune);
  tcase_add_test (tc, test_size_cap);
  tcase_add_test (tc, test_query_filters);
  tcase_add_test (tc, test_disk_full);
  tcase_add_test (tc, test_read_only);
  tcase_add_test (tc, test_deleted_dir);
  tcase_add_test (tc, test_reader_missing);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (journal_suite)
