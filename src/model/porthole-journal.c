/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-journal-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opening the journal: the lock, the file, the schema and its migrations, and what is done
 * with a file that is not one we can use. */

/* "PTH1": tells our journal from any other SQLite file */
#define JOURNAL_APPLICATION_ID 0x50544831

G_DEFINE_QUARK (porthole-journal-error-quark, porthole_journal_error)

/* migrations[v] takes a journal from user_version v to v + 1; one per line of history, never
 * edited once released (a new version appends a step). */
static const char *const migrations[PORTHOLE_JOURNAL_SCHEMA_VERSION] = {
  /* 0 -> 1 */
  "CREATE TABLE sessions ("
  "  id INTEGER PRIMARY KEY,"
  "  pid INTEGER NOT NULL,"
  "  started INTEGER NOT NULL,"
  "  last_seen INTEGER NOT NULL,"
  "  ended INTEGER,"
  "  batches INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE listeners ("
  "  id INTEGER PRIMARY KEY,"
  "  session INTEGER NOT NULL,"
  "  opened INTEGER NOT NULL,"
  "  closed INTEGER,"
  "  protocol TEXT NOT NULL,"
  "  family TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  port INTEGER NOT NULL,"
  "  inode INTEGER NOT NULL,"
  "  netns INTEGER NOT NULL,"
  "  container_runtime TEXT,"
  "  container_id TEXT,"
  "  container_name TEXT,"
  "  uid INTEGER,"
  "  user TEXT,"
  "  pid INTEGER,"
  "  process TEXT,"
  "  exe TEXT,"
  "  cmdline BLOB,"
  "  unit TEXT);"
  "CREATE INDEX listeners_port ON listeners (port, opened);"
  "CREATE INDEX listeners_opened ON listeners (opened);"
  "CREATE INDEX listeners_closed ON listeners (closed) WHERE closed IS NOT NULL;"
  "CREATE INDEX listeners_live ON listeners (inode, port) WHERE closed IS NULL;"
  "CREATE TABLE connections ("
  "  hour INTEGER NOT NULL,"
  "  program TEXT NOT NULL,"
  "  inbound INTEGER NOT NULL,"
  "  remote_address TEXT NOT NULL,"
  "  port INTEGER NOT NULL,"
  "  protocol TEXT NOT NULL,"
  "  count INTEGER NOT NULL,"
  "  first_seen INTEGER NOT NULL,"
  "  last_seen INTEGER NOT NULL,"
  "  bytes_sent INTEGER,"
  "  bytes_received INTEGER,"
  "  PRIMARY KEY (hour, program, inbound, remote_address, port, protocol)) WITHOUT ROWID;",
};

char *
porthole_journal_default_path (void)
{
  const char *path = g_getenv ("PORTHOLE_JOURNAL");

  if (path != NULL && *path != '\0')
    return g_strdup (path);
  return g_build_filename (g_get_user_state_dir (), "porthole", "journal.sqlite3", NULL);
}

void
porthole_journal_set_error (sqlite3 *db, int rc, const char *path, GError **error)
{
  int primary = rc & 0xff;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  PortholeJournalError code = PORTHOLE_JOURNAL_ERROR_FAILED;
  const char *what;

  switch (primary)
    {
    case SQLITE_FULL:
      what = _("the disk is full");
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      what = _("it cannot be written there (a read-only or missing folder, or no permission)");
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      what = _("the file is damaged");
      code = PORTHOLE_JOURNAL_ERROR_CORRUPT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      what = _("another program keeps it busy");
      break;
    default:
      what = _("SQLite failed");
      break;
    }
  g_set_error (error, PORTHOLE_JOURNAL_ERROR, code, _("History journal %s: %s (%s)"),
               path, what, detail);
}

void
porthole_journal_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
porthole_journal_column_text (sqlite3_stmt *stmt, int index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

sqlite3_stmt *
porthole_journal_statement (PortholeJournal *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      porthole_journal_set_error (self->db, rc, self->path, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
porthole_journal_exec (PortholeJournal *self, const char *sql, GError **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      porthole_journal_set_error (self->db, rc, self->path, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
porthole_journal_step_done (PortholeJournal *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      porthole_journal_set_error (self->db, rc, self->path, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* One integer from a statement without parameters (PRAGMAs); FALSE with @error */
static gboolean
query_int (PortholeJournal *self, const char *sql, gint64 *out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    porthole_journal_set_error (self->db, rc, self->path, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static PortholeJournal *
journal_new (const char *path)
{
  PortholeJournal *self = g_new0 (PortholeJournal, 1);

  self->path = g_strdup (path);
  self->lock_fd = -1;
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  return self;
}

void
porthole_journal_close (PortholeJournal *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->facts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);   /* releases the flock */
  g_free (self->path);
  g_free (self);
}

const char *porthole_journal_get_path (PortholeJournal *self) { return self->path; }
gint64 porthole_journal_get_session (PortholeJournal *self) { return self->session; }
guint64 porthole_journal_get_batches (PortholeJournal *self) { return self->batches; }

guint64
porthole_journal_get_data_size (PortholeJournal *self)
{
  gint64 pages = 0, free_pages = 0, page_size = 0;

  if (!query_int (self, "PRAGMA page_count", &pages, NULL) ||
      !query_int (self, "PRAGMA freelist_count", &free_pages, NULL) ||
      !query_int (self, "PRAGMA page_size", &page_size, NULL))
    return 0;
  return (guint64) MAX (0, pages - free_pages) * (guint64) page_size;
}

gint64
porthole_journal_get_free_pages (PortholeJournal *self)
{
  gint64 free_pages = 0;

  query_int (self, "PRAGMA freelist_count", &free_pages, NULL);
  return free_pages;
}

static gboolean
open_db (PortholeJournal *self, int flags, GError **error)
{
  int rc = sqlite3_open_v2 (self->path, &self->db, flags | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      porthole_journal_set_error (self->db, rc, self->path, error);
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  /* The other process (the app and the user unit) commits in milliseconds */
  sqlite3_busy_timeout (self->db, 5000);
  return TRUE;
}

/* Checks what kind of file this is. *@version gets its schema version. */
static gboolean
check_identity (PortholeJournal *self, gint64 *version, GError **error)
{
  gint64 app_id = 0, n_tables = 0;

  if (!query_int (self, "PRAGMA application_id", &app_id, error) ||
      !query_int (self, "PRAGMA user_version", version, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_master", &n_tables, error))
    return FALSE;
  if (app_id != JOURNAL_APPLICATION_ID && (app_id != 0 || n_tables > 0))
    {
      g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_NOT_A_JOURNAL,
                   _("History journal %s: this SQLite file belongs to another program; it is "
                     "left untouched (move it away to start a journal there)"), self->path);
      return FALSE;
    }
  if (*version > PORTHOLE_JOURNAL_SCHEMA_VERSION)
    {
      g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_NEWER_SCHEMA,
                   _("History journal %s was written by a newer Porthole (schema %" G_GINT64_FORMAT
                     ", this one knows up to %d); it is left untouched"),
                   self->path, *version, PORTHOLE_JOURNAL_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
quick_check (PortholeJournal *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &stmt, NULL);
  gboolean ok = FALSE;

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *answer = (const char *) sqlite3_column_text (stmt, 0);

      ok = g_strcmp0 (answer, "ok") == 0;
      if (!ok)
        g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_CORRUPT,
                     _("History journal %s: the file is damaged (%s)"), self->path,
                     answer ? answer : "?");
    }
  else
    porthole_journal_set_error (self->db, rc, self->path, error);
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
migrate (PortholeJournal *self, gint64 version, GError **error)
{
  g_autofree char *set_version = NULL;

  if (version == PORTHOLE_JOURNAL_SCHEMA_VERSION)
    return TRUE;
  if (!porthole_journal_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (gint64 v = version; v < PORTHOLE_JOURNAL_SCHEMA_VERSION; v++)
    if (!porthole_journal_exec (self, migrations[v], error))
      goto fail;
  set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                                 JOURNAL_APPLICATION_ID, PORTHOLE_JOURNAL_SCHEMA_VERSION);
  if (!porthole_journal_exec (self, set_version, error) ||
      !porthole_journal_exec (self, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Renames @path (and its -wal and -shm, which belong to it and must not be replayed into a new
 * file) to "<path>.corrupt-<UTC time>"; returns the new name or NULL with @error */
static char *
move_aside (const char *path, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  static const char *const sidecars[] = { "-wal", "-shm" };

  /* Two within one second get a counter rather than overwrite the first */
  for (guint i = 1; g_file_test (target, G_FILE_TEST_EXISTS) && i < 1000; i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, i);
    }
  if (g_rename (path, target) != 0)
    {
      int saved = errno;

      g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_FAILED,
                   _("History journal %s is damaged and could not be moved aside: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (sidecars); i++)
    {
      g_autofree char *from = g_strconcat (path, sidecars[i], NULL);
      g_autofree char *to = g_strconcat (target, sidecars[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  return g_steal_pointer (&target);
}

static gboolean
take_lock (PortholeJournal *self, GError **error)
{
  g_autofree char *lock_path = g_strconcat (self->path, ".lock", NULL);
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_FAILED,
                   _("History journal %s: cannot create its folder: %s"), self->path,
                   g_strerror (saved));
      return FALSE;
    }
  self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (self->lock_fd < 0)
    {
      int saved = errno;

      g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_FAILED,
                   _("History journal %s: cannot create its lock file: %s"), self->path,
                   g_strerror (saved));
      return FALSE;
    }
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      if (saved == EWOULDBLOCK)
        g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_LOCKED,
                     _("History journal %s: another recorder is writing it"), self->path);
      else
        g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_FAILED,
                     _("History journal %s: cannot lock it: %s"), self->path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Opens, checks and migrates; a damaged file is reported as PORTHOLE_JOURNAL_ERROR_CORRUPT */
static gboolean
open_checked (PortholeJournal *self, GError **error)
{
  gint64 version = 0;
  GStatBuf st;

  if (!open_db (self, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error))
    return FALSE;
  if (!check_identity (self, &version, error))
    return FALSE;
  if (version > 0 && !quick_check (self, error))
    return FALSE;
  /* auto_vacuum only takes effect on a new file (before WAL mode writes its first page):
   * prune gives pages back with it */
  if (version == 0 && !porthole_journal_exec (self, "PRAGMA auto_vacuum = INCREMENTAL", error))
    return FALSE;
  if (!porthole_journal_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !porthole_journal_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !migrate (self, version, error))
    return FALSE;
  if (g_stat (self->path, &st) == 0)
    {
      self->dev = st.st_dev;
      self->ino = st.st_ino;
    }
  return TRUE;
}

static gboolean
start_session (PortholeJournal *self, GError **error)
{
  sqlite3_stmt *stmt = porthole_journal_statement (self,
    "INSERT INTO sessions (pid, started, last_seen) VALUES (?, ?, ?)", error);
  gint64 now = g_get_real_time ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, getpid ());
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!porthole_journal_step_done (self, stmt, error))
    return FALSE;
  self->session = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

PortholeJournal *
porthole_journal_open_writer (const char *path, char **moved_aside, GError **error)
{
  g_autoptr(PortholeJournal) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = journal_new (path);
  if (!take_lock (self, error))
    return NULL;
  if (!open_checked (self, &local_error))
    {
      g_autofree char *target = NULL;

      if (!g_error_matches (local_error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_CORRUPT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_pointer (&self->statements, g_hash_table_unref);
      self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
      g_clear_pointer (&self->db, sqlite3_close_v2);
      target = move_aside (path, error);
      if (target == NULL)
        return NULL;
      g_message ("%s; moved aside to %s", local_error->message, target);
      g_clear_error (&local_error);
      if (!open_checked (self, error))
        return NULL;
      if (moved_aside != NULL)
        *moved_aside = g_steal_pointer (&target);
    }
  if (!start_session (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

PortholeJournal *
porthole_journal_open_reader (const char *path, GError **error)
{
  g_autoptr(PortholeJournal) self = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 version = 0;

  g_return_val_if_fail (path != NULL, NULL);

  self = journal_new (path);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_MISSING,
                   _("History journal %s does not exist yet: nothing has been recorded"), path);
      return NULL;
    }
  /* Read-write (never create) so that SQLite may make the WAL index when no writer has;
   * read-only when that is refused. query_only keeps a reader from writing either way. */
  if (!open_db (self, SQLITE_OPEN_READWRITE, &local_error))
    {
      g_clear_error (&local_error);
      if (!open_db (self, SQLITE_OPEN_READONLY, error))
        return NULL;
    }
  if (!porthole_journal_exec (self, "PRAGMA query_only = 1", error) ||
      !check_identity (self, &version, error))
    return NULL;
  if (version < PORTHOLE_JOURNAL_SCHEMA_VERSION)
    {
      g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_MISSING,
                   version == 0
                     ? _("History journal %s is empty: nothing has been recorded")
                     : _("History journal %s is of an older schema; the recorder updates it"),
                   path);
      return NULL;
    }
  return g_steal_pointer (&self);
}
