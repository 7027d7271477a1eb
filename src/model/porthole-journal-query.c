/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-journal-private.h"

#include <string.h>

#define US_PER_HOUR G_GINT64_CONSTANT (3600000000)

/* Reading the journal back. The SQL is put together from fixed pieces of this file, one for
 * each filter given (so SQLite can use the index on port or on time); every value is bound,
 * and the text of a statement never holds anything from the input. */

enum {
  HAS_SINCE   = 1 << 0,
  HAS_UNTIL   = 1 << 1,
  HAS_PORT    = 1 << 2,
  HAS_PROCESS = 1 << 3,
  HAS_TEXT    = 1 << 4,
};

static const char *
query_sql (guint mask)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " PORTHOLE_JOURNAL_LISTENER_COLUMNS
                                         " FROM (SELECT * FROM listeners WHERE 1");

  if (mask & HAS_SINCE)
    g_string_append (sql, " AND (closed IS NULL OR closed >= ?1)");
  if (mask & HAS_UNTIL)
    g_string_append (sql, " AND opened <= ?2");
  if (mask & HAS_PORT)
    g_string_append (sql, " AND port = ?3");
  if (mask & HAS_PROCESS)
    g_string_append (sql, " AND instr(lower(coalesce(process, '')), lower(?4)) > 0");
  if (mask & HAS_TEXT)
    g_string_append (sql, " AND (port = ?6"
                          " OR instr(lower(coalesce(process, '')), lower(?5)) > 0"
                          " OR instr(lower(coalesce(exe, '')), lower(?5)) > 0"
                          " OR instr(lower(coalesce(unit, '')), lower(?5)) > 0"
                          " OR instr(lower(coalesce(container_name, '')), lower(?5)) > 0"
                          " OR instr(lower(address), lower(?5)) > 0)");
  g_string_append (sql, " ORDER BY opened DESC, id DESC LIMIT ?7) ORDER BY opened, id");
  /* interned: the statement cache is keyed by the address of its text */
  return g_intern_string (sql->str);
}

GPtrArray *
porthole_journal_query (PortholeJournal             *self,
                        const PortholeJournalFilter *filter,
                        GError                     **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) porthole_journal_listener_free);
  sqlite3_stmt *stmt;
  gint64 text_port = -1;
  guint mask = 0;
  int rc;

  g_return_val_if_fail (self != NULL && filter != NULL, NULL);

  mask |= filter->since != 0 ? HAS_SINCE : 0;
  mask |= filter->until != 0 ? HAS_UNTIL : 0;
  mask |= filter->port >= 0 ? HAS_PORT : 0;
  mask |= filter->process != NULL ? HAS_PROCESS : 0;
  mask |= filter->text != NULL ? HAS_TEXT : 0;
  stmt = porthole_journal_statement (self, query_sql (mask), error);
  if (stmt == NULL)
    return NULL;
  /* binding a parameter the statement does not use is a harmless SQLITE_RANGE */
  if (mask & HAS_SINCE)
    sqlite3_bind_int64 (stmt, 1, filter->since);
  if (mask & HAS_UNTIL)
    sqlite3_bind_int64 (stmt, 2, filter->until);
  if (mask & HAS_PORT)
    sqlite3_bind_int64 (stmt, 3, filter->port);
  if (mask & HAS_PROCESS)
    porthole_journal_bind_text (stmt, 4, filter->process);
  if (mask & HAS_TEXT)
    {
      porthole_journal_bind_text (stmt, 5, filter->text);
      if (*filter->text != '\0' && strspn (filter->text, "0123456789") == strlen (filter->text) &&
          strlen (filter->text) <= 5)
        text_port = g_ascii_strtoll (filter->text, NULL, 10);
      sqlite3_bind_int64 (stmt, 6, text_port);
    }
  sqlite3_bind_int64 (stmt, 7, filter->limit > 0 ? (gint64) filter->limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, porthole_journal_listener_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      porthole_journal_set_error (self->db, rc, self->path, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
porthole_journal_query_connections (PortholeJournal *self,
                                    gint64           since,
                                    gint64           until,
                                    GError         **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) porthole_journal_hour_count_free);
  sqlite3_stmt *stmt = porthole_journal_statement (self,
    "SELECT hour, program, inbound, remote_address, port, protocol, count, first_seen, "
    "last_seen, bytes_sent, bytes_received FROM connections WHERE hour >= ?1 AND hour <= ?2 "
    "ORDER BY hour, program, inbound, remote_address, port, protocol", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since / US_PER_HOUR);
  sqlite3_bind_int64 (stmt, 2, until != 0 ? until / US_PER_HOUR : G_MAXINT64);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PortholeJournalHourCount *h = g_new0 (PortholeJournalHourCount, 1);

      h->hour = sqlite3_column_int64 (stmt, 0) * US_PER_HOUR;
      h->connection.program = porthole_journal_column_text (stmt, 1);
      h->connection.inbound = sqlite3_column_int (stmt, 2) != 0;
      h->connection.remote_address = porthole_journal_column_text (stmt, 3);
      h->connection.port = (guint) sqlite3_column_int64 (stmt, 4);
      h->connection.protocol = porthole_journal_column_text (stmt, 5);
      h->count = sqlite3_column_int64 (stmt, 6);
      h->first_seen = sqlite3_column_int64 (stmt, 7);
      h->last_seen = sqlite3_column_int64 (stmt, 8);
      h->connection.bytes_sent =
        sqlite3_column_type (stmt, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 9);
      h->connection.bytes_received =
        sqlite3_column_type (stmt, 10) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 10);
      g_ptr_array_add (rows, h);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      porthole_journal_set_error (self->db, rc, self->path, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

typedef struct {
  char  *path;
  gint64 since, until;
  int    port;
  char  *process;
  char  *text;
  guint  limit;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_free (data->path);
  g_free (data->process);
  g_free (data->text);
  g_free (data);
}

static void
query_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  QueryData *data = task_data;
  PortholeJournalFilter filter = { data->since, data->until, data->port, data->process,
                                   data->text, data->limit };
  g_autoptr(PortholeJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  if (g_task_return_error_if_cancelled (task))
    return;
  journal = porthole_journal_open_reader (data->path, &error);
  if (journal == NULL)
    {
      if (g_error_matches (error, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_MISSING))
        g_task_return_pointer (task, g_ptr_array_new_with_free_func (
                                 (GDestroyNotify) porthole_journal_listener_free),
                               (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rows = porthole_journal_query (journal, &filter, &error);
  if (rows == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
  else
    g_ptr_array_unref (rows);
}

void
porthole_journal_query_async (const char                  *path,
                              const PortholeJournalFilter *filter,
                              GCancellable                *cancellable,
                              GAsyncReadyCallback          callback,
                              gpointer                     user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  QueryData *data = g_new0 (QueryData, 1);

  g_task_set_source_tag (task, porthole_journal_query_async);
  data->path = g_strdup (path);
  data->since = filter->since;
  data->until = filter->until;
  data->port = filter->port;
  data->process = g_strdup (filter->process);
  data->text = g_strdup (filter->text);
  data->limit = filter->limit;
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);
  g_task_run_in_thread (task, query_thread);
}

GPtrArray *
porthole_journal_query_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == porthole_journal_query_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
