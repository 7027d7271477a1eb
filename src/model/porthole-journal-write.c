/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-journal-private.h"

#include "porthole-procmap.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

/* Writing the journal: one transaction per batch, the session's heartbeat, pruning. */

#define DELETE_STEP 500
#define US_PER_HOUR G_GINT64_CONSTANT (3600000000)
#define US_PER_DAY (24 * US_PER_HOUR)

typedef struct {
  guint64  start_time;   /* with the pid, names the process for good */
  guint64  used;         /* the batch that last used it */
  char    *exe;
  GBytes  *cmdline;
  char    *unit;
} ProcessFacts;

/* Processes remembered between batches; past this the ones unused longest are forgotten */
#define MAX_FACTS 2048

static void
process_facts_free (ProcessFacts *facts)
{
  g_free (facts->exe);
  g_clear_pointer (&facts->cmdline, g_bytes_unref);
  g_free (facts->unit);
  g_free (facts);
}

/* What /proc shows of @pid, kept only when the pid still holds @inode afterwards (a pid
 * reused meanwhile must not lend its command line). Empty facts when not visible. */
static ProcessFacts *
read_facts (const char *proc_root, int pid, guint64 inode, guint64 start_time)
{
  ProcessFacts *facts = g_new0 (ProcessFacts, 1);
  g_autofree char *dir = g_strdup_printf ("%s/%d", proc_root, pid);
  g_autofree char *cmdline_path = g_build_filename (dir, "cmdline", NULL);
  g_autofree char *exe_path = g_build_filename (dir, "exe", NULL);
  char *contents = NULL;
  gsize len = 0;

  facts->start_time = start_time;
  if (g_file_get_contents (cmdline_path, &contents, &len, NULL) && len > 0)
    facts->cmdline = g_bytes_new_take (contents, len);
  else
    g_free (contents);
  facts->exe = g_file_read_link (exe_path, NULL);
  facts->unit = porthole_proc_read_systemd_unit (proc_root, pid);
  if (!porthole_procmap_pid_holds (proc_root, pid, inode))
    {
      g_clear_pointer (&facts->exe, g_free);
      g_clear_pointer (&facts->cmdline, g_bytes_unref);
      g_clear_pointer (&facts->unit, g_free);
      facts->start_time = 0;   /* not kept: the next socket of this pid looks again */
    }
  return facts;
}

static void
forget_old_facts (GHashTable *facts, guint64 batch)
{
  GHashTableIter iter;
  ProcessFacts *f;

  if (g_hash_table_size (facts) <= MAX_FACTS)
    return;
  g_hash_table_iter_init (&iter, facts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &f))
    if (f->used + 10 < batch)
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (facts) > MAX_FACTS)
    g_hash_table_remove_all (facts);
}

/* Fills in each listener's exe, command line and unit. A process is read once (its
 * descriptors walked once to prove it holds the socket) and then remembered while its start
 * time stays the same, so churn in one program costs one small read per batch. */
static void
add_process_facts (PortholeJournal *self, GPtrArray *listeners, const char *proc_root)
{
  g_autoptr(GHashTable) checked = g_hash_table_new (NULL, NULL);

  if (self->facts == NULL)
    self->facts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) process_facts_free);
  for (guint i = 0; i < listeners->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (listeners, i);
      ProcessFacts *facts;

      if (l->pid <= 0 || l->exe != NULL || l->cmdline != NULL || l->unit != NULL)
        continue;
      facts = g_hash_table_lookup (self->facts, GINT_TO_POINTER (l->pid));
      if (!g_hash_table_contains (checked, GINT_TO_POINTER (l->pid)))
        {
          guint64 start_time = porthole_proc_read_start_time (proc_root, l->pid);

          g_hash_table_add (checked, GINT_TO_POINTER (l->pid));
          if (facts == NULL || facts->start_time == 0 || facts->start_time != start_time)
            {
              facts = read_facts (proc_root, l->pid, l->inode, start_time);
              g_hash_table_replace (self->facts, GINT_TO_POINTER (l->pid), facts);
            }
        }
      if (facts == NULL)
        continue;
      facts->used = self->batches + 1;
      l->exe = g_strdup (facts->exe);
      l->cmdline = facts->cmdline ? g_bytes_ref (facts->cmdline) : NULL;
      l->unit = g_strdup (facts->unit);
    }
  forget_old_facts (self->facts, self->batches + 1);
}

static char *
listener_key (const char *protocol, const char *family, const char *address, guint port,
              guint64 inode, guint64 netns)
{
  return g_strdup_printf ("%s|%s|%s|%u|%" G_GUINT64_FORMAT "|%" G_GUINT64_FORMAT,
                          protocol, family, address, port, inode, netns);
}

static gboolean
insert_listener (PortholeJournal *self, PortholeJournalListener *l, gint64 time, GError **error)
{
  sqlite3_stmt *stmt = porthole_journal_statement (self,
    "INSERT INTO listeners (session, opened, protocol, family, address, port, inode, netns, "
    "container_runtime, container_id, container_name, uid, user, pid, process, exe, cmdline, "
    "unit, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  int i = 1;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, i++, self->session);
  sqlite3_bind_int64 (stmt, i++, l->opened != 0 ? l->opened : time);
  porthole_journal_bind_text (stmt, i++, l->protocol);
  porthole_journal_bind_text (stmt, i++, l->family);
  porthole_journal_bind_text (stmt, i++, l->address);
  sqlite3_bind_int64 (stmt, i++, l->port);
  sqlite3_bind_int64 (stmt, i++, (sqlite3_int64) l->inode);
  sqlite3_bind_int64 (stmt, i++, (sqlite3_int64) l->netns);
  porthole_journal_bind_text (stmt, i++, porthole_runtime_to_string (l->container.runtime));
  porthole_journal_bind_text (stmt, i++, l->container.id);
  porthole_journal_bind_text (stmt, i++, l->container.name);
  if (l->uid >= 0)
    sqlite3_bind_int64 (stmt, i++, l->uid);
  else
    sqlite3_bind_null (stmt, i++);
  porthole_journal_bind_text (stmt, i++, l->user);
  sqlite3_bind_int64 (stmt, i++, l->pid);
  porthole_journal_bind_text (stmt, i++, l->process);
  porthole_journal_bind_text (stmt, i++, l->exe);
  if (l->cmdline != NULL)
    {
      gsize len = 0;
      gconstpointer data = g_bytes_get_data (l->cmdline, &len);

      sqlite3_bind_blob64 (stmt, i++, data != NULL ? data : "", len, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_null (stmt, i++);
  porthole_journal_bind_text (stmt, i++, l->unit);
  /* one that opened and closed between two looks (or an import) */
  if (l->closed > 0)
    sqlite3_bind_int64 (stmt, i++, MAX (l->closed, l->opened));
  else
    sqlite3_bind_null (stmt, i++);
  return porthole_journal_step_done (self, stmt, error);
}

static gboolean
close_listener (PortholeJournal *self, PortholeJournalListener *l, gint64 time, GError **error)
{
  sqlite3_stmt *stmt = porthole_journal_statement (self,
    "UPDATE listeners SET closed = max(opened, ?) WHERE closed IS NULL AND inode = ? AND "
    "port = ? AND protocol = ? AND family = ? AND address = ? AND netns = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, l->closed != 0 ? l->closed : time);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) l->inode);
  sqlite3_bind_int64 (stmt, 3, l->port);
  porthole_journal_bind_text (stmt, 4, l->protocol);
  porthole_journal_bind_text (stmt, 5, l->family);
  porthole_journal_bind_text (stmt, 6, l->address);
  sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) l->netns);
  return porthole_journal_step_done (self, stmt, error);
}

static gboolean
count_connection (PortholeJournal *self, PortholeJournalConnection *c, gint64 time,
                  GError **error)
{
  sqlite3_stmt *stmt = porthole_journal_statement (self,
    "INSERT INTO connections (hour, program, inbound, remote_address, port, protocol, count, "
    "first_seen, last_seen, bytes_sent, bytes_received) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
    "ON CONFLICT (hour, program, inbound, remote_address, port, protocol) DO UPDATE SET "
    "count = count + 1, last_seen = max(last_seen, excluded.last_seen), "
    "bytes_sent = coalesce(bytes_sent, 0) + excluded.bytes_sent, "
    "bytes_received = coalesce(bytes_received, 0) + excluded.bytes_received", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, time / US_PER_HOUR);
  porthole_journal_bind_text (stmt, 2, c->program ? c->program : "");
  sqlite3_bind_int (stmt, 3, c->inbound ? 1 : 0);
  porthole_journal_bind_text (stmt, 4, c->remote_address ? c->remote_address : "");
  sqlite3_bind_int64 (stmt, 5, c->port);
  porthole_journal_bind_text (stmt, 6, c->protocol ? c->protocol : "");
  sqlite3_bind_int64 (stmt, 7, time);
  sqlite3_bind_int64 (stmt, 8, time);
  /* NULL until the traffic counters exist; then summed per hour */
  if (c->bytes_sent >= 0)
    sqlite3_bind_int64 (stmt, 9, c->bytes_sent);
  else
    sqlite3_bind_null (stmt, 9);
  if (c->bytes_received >= 0)
    sqlite3_bind_int64 (stmt, 10, c->bytes_received);
  else
    sqlite3_bind_null (stmt, 10);
  return porthole_journal_step_done (self, stmt, error);
}

/* Open rows against the live listeners: the ones still there stay open (and are not inserted
 * again), the others are closed when their recorder was last seen alive. Removes from
 * @opened what is already recorded. */
static gboolean
reconcile (PortholeJournal *self, GPtrArray *opened, GError **error)
{
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) stale = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < opened->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (opened, i);

      g_hash_table_insert (live, listener_key (l->protocol, l->family, l->address, l->port,
                                               l->inode, l->netns), l);
    }
  stmt = porthole_journal_statement (self,
    "SELECT id, protocol, family, address, port, inode, netns FROM listeners "
    "WHERE closed IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *key = listener_key ((const char *) sqlite3_column_text (stmt, 1),
                                           (const char *) sqlite3_column_text (stmt, 2),
                                           (const char *) sqlite3_column_text (stmt, 3),
                                           (guint) sqlite3_column_int64 (stmt, 4),
                                           (guint64) sqlite3_column_int64 (stmt, 5),
                                           (guint64) sqlite3_column_int64 (stmt, 6));
      PortholeJournalListener *l = g_hash_table_lookup (live, key);

      if (l != NULL && l->opened == 0)
        l->opened = -1;   /* recorded already: not inserted again */
      else
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (stale, id);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      porthole_journal_set_error (self->db, rc, self->path, error);
      return FALSE;
    }
  for (guint i = 0; i < stale->len; i++)
    {
      stmt = porthole_journal_statement (self,
        "UPDATE listeners SET closed = max(opened, coalesce((SELECT last_seen FROM sessions "
        "WHERE sessions.id = listeners.session), opened)) WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (stale, gint64, i));
      if (!porthole_journal_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The file the writer opened is still the one at its path (not deleted, not replaced) */
static gboolean
still_there (PortholeJournal *self, GError **error)
{
  GStatBuf st;

  if (g_stat (self->path, &st) == 0 && st.st_dev == self->dev && st.st_ino == self->ino)
    return TRUE;
  g_set_error (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_MISSING,
               _("History journal %s was deleted or replaced while it was being written"),
               self->path);
  return FALSE;
}

static gboolean
write_rows (PortholeJournal *self, PortholeJournalBatch *batch, GError **error)
{
  sqlite3_stmt *stmt;

  if (batch->snapshot && !reconcile (self, batch->opened, error))
    return FALSE;
  for (guint i = 0; i < batch->opened->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (batch->opened, i);

      if (l->opened >= 0 && !insert_listener (self, l, batch->time, error))
        return FALSE;
    }
  for (guint i = 0; i < batch->closed->len; i++)
    if (!close_listener (self, g_ptr_array_index (batch->closed, i), batch->time, error))
      return FALSE;
  for (guint i = 0; i < batch->connections->len; i++)
    if (!count_connection (self, g_ptr_array_index (batch->connections, i), batch->time, error))
      return FALSE;
  stmt = porthole_journal_statement (self,
    "UPDATE sessions SET last_seen = max(last_seen, ?), batches = batches + 1 WHERE id = ?",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch->time);
  sqlite3_bind_int64 (stmt, 2, self->session);
  return porthole_journal_step_done (self, stmt, error);
}

gboolean
porthole_journal_write (PortholeJournal      *self,
                        PortholeJournalBatch *batch,
                        const char           *proc_root,
                        GError              **error)
{
  g_return_val_if_fail (self != NULL && self->lock_fd >= 0, FALSE);

  if (!still_there (self, error))
    return FALSE;
  add_process_facts (self, batch->opened, proc_root != NULL ? proc_root : "/proc");
  if (!porthole_journal_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!write_rows (self, batch, error) || !porthole_journal_exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  self->batches++;
  return TRUE;
}

gboolean
porthole_journal_end_session (PortholeJournal *self, gint64 time, GError **error)
{
  sqlite3_stmt *stmt = porthole_journal_statement (self,
    "UPDATE sessions SET last_seen = max(last_seen, ?1), ended = ?1 WHERE id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, time);
  sqlite3_bind_int64 (stmt, 2, self->session);
  return porthole_journal_step_done (self, stmt, error);
}

/* Runs a DELETE of at most DELETE_STEP rows (its own small transaction); returns the rows
 * deleted or -1 */
static gint64
delete_step (PortholeJournal *self, const char *sql, gint64 cutoff, GError **error)
{
  sqlite3_stmt *stmt = porthole_journal_statement (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (cutoff != G_MININT64)
    sqlite3_bind_int64 (stmt, 1, cutoff);
  if (!porthole_journal_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (self->db);
}

gint64
porthole_journal_prune (PortholeJournal *self,
                        gint64           now,
                        guint            retention_days,
                        guint64          max_bytes,
                        guint            max_rows,
                        GError         **error)
{
  gint64 cutoff = now - (gint64) retention_days * US_PER_DAY;
  gint64 deleted = 0, n;

  g_return_val_if_fail (self != NULL && self->lock_fd >= 0, -1);

  /* Past the retention period: listeners closed before it, hours before it */
  do
    {
      n = delete_step (self, "DELETE FROM listeners WHERE id IN (SELECT id FROM listeners "
                             "WHERE closed IS NOT NULL AND closed < ? LIMIT 500)", cutoff, error);
      if (n < 0)
        return -1;
      deleted += n;
    }
  while (n == DELETE_STEP && deleted < max_rows);
  do
    {
      n = delete_step (self, "DELETE FROM connections WHERE (hour, program, inbound, "
                             "remote_address, port, protocol) IN (SELECT hour, program, inbound, "
                             "remote_address, port, protocol FROM connections WHERE hour < ? "
                             "LIMIT 500)", cutoff / US_PER_HOUR, error);
      if (n < 0)
        return -1;
      deleted += n;
    }
  while (n == DELETE_STEP && deleted < max_rows);
  /* Over the size cap: the oldest first, connections and listeners in turn */
  while (max_bytes > 0 && deleted < max_rows && porthole_journal_get_data_size (self) > max_bytes)
    {
      gint64 a, b;

      a = delete_step (self, "DELETE FROM connections WHERE (hour, program, inbound, "
                             "remote_address, port, protocol) IN (SELECT hour, program, inbound, "
                             "remote_address, port, protocol FROM connections ORDER BY hour "
                             "LIMIT 500)", G_MININT64, error);
      if (a < 0)
        return -1;
      b = delete_step (self, "DELETE FROM listeners WHERE id IN (SELECT id FROM listeners "
                             "WHERE closed IS NOT NULL ORDER BY closed LIMIT 500)",
                       G_MININT64, error);
      if (b < 0)
        return -1;
      deleted += a + b;
      if (a + b == 0)
        break;   /* only open listeners left: they stay */
    }
  if (delete_step (self, "DELETE FROM sessions WHERE last_seen < ? AND id != (SELECT max(id) "
                         "FROM sessions) AND NOT EXISTS (SELECT 1 FROM listeners WHERE "
                         "closed IS NULL AND listeners.session = sessions.id)", cutoff,
                   error) < 0)
    return -1;
  /* The freed pages go back to the file system a few thousand at a time, never with a
   * VACUUM; the checkpoint carries the shorter file from the WAL into the database file */
  if (porthole_journal_get_free_pages (self) > 0)
    {
      if (!porthole_journal_exec (self, "PRAGMA incremental_vacuum(2000)", error) ||
          !porthole_journal_exec (self, "PRAGMA wal_checkpoint(PASSIVE)", error))
        return -1;
    }
  return deleted;
}
