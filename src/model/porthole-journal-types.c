/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-journal-private.h"

#include "porthole-escape.h"

#include <string.h>

/* The journal's records: listeners, connections, batches, and reading a listener row back. */

G_DEFINE_BOXED_TYPE (PortholeJournalListener, porthole_journal_listener,
                     porthole_journal_listener_copy, porthole_journal_listener_free)

PortholeJournalListener *
porthole_journal_listener_new (void)
{
  PortholeJournalListener *self = g_new0 (PortholeJournalListener, 1);

  self->uid = -1;
  return self;
}

PortholeJournalListener *
porthole_journal_listener_copy (const PortholeJournalListener *self)
{
  PortholeJournalListener *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->protocol = g_strdup (self->protocol);
  copy->family = g_strdup (self->family);
  copy->address = g_strdup (self->address);
  copy->container.id = g_strdup (self->container.id);
  copy->container.name = g_strdup (self->container.name);
  copy->user = g_strdup (self->user);
  copy->process = g_strdup (self->process);
  copy->exe = g_strdup (self->exe);
  copy->cmdline = self->cmdline ? g_bytes_ref (self->cmdline) : NULL;
  copy->unit = g_strdup (self->unit);
  return copy;
}

void
porthole_journal_listener_free (PortholeJournalListener *self)
{
  if (self == NULL)
    return;
  g_free (self->protocol);
  g_free (self->family);
  g_free (self->address);
  porthole_container_ref_clear (&self->container);
  g_free (self->user);
  g_free (self->process);
  g_free (self->exe);
  g_clear_pointer (&self->cmdline, g_bytes_unref);
  g_free (self->unit);
  g_free (self);
}

char *
porthole_journal_listener_dup_cmdline_text (const PortholeJournalListener *self)
{
  gsize len = 0;
  const char *data;
  g_autofree char *joined = NULL;

  if (self->cmdline == NULL)
    return NULL;
  data = g_bytes_get_data (self->cmdline, &len);
  while (len > 0 && data[len - 1] == '\0')
    len--;
  if (len == 0)
    return NULL;
  joined = g_memdup2 (data, len + 1);
  joined[len] = '\0';
  for (gsize i = 0; i < len; i++)
    if (joined[i] == '\0')
      joined[i] = ' ';
  return porthole_escape_text (joined, (gssize) len, FALSE);
}

void
porthole_journal_connection_free (PortholeJournalConnection *self)
{
  if (self == NULL)
    return;
  g_free (self->program);
  g_free (self->remote_address);
  g_free (self->protocol);
  g_free (self);
}

void
porthole_journal_hour_count_free (PortholeJournalHourCount *self)
{
  if (self == NULL)
    return;
  g_free (self->connection.program);
  g_free (self->connection.remote_address);
  g_free (self->connection.protocol);
  g_free (self);
}

PortholeJournalBatch *
porthole_journal_batch_new (void)
{
  PortholeJournalBatch *self = g_new0 (PortholeJournalBatch, 1);

  self->opened = g_ptr_array_new_with_free_func ((GDestroyNotify) porthole_journal_listener_free);
  self->closed = g_ptr_array_new_with_free_func ((GDestroyNotify) porthole_journal_listener_free);
  self->connections =
    g_ptr_array_new_with_free_func ((GDestroyNotify) porthole_journal_connection_free);
  return self;
}

void
porthole_journal_batch_free (PortholeJournalBatch *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->opened);
  g_ptr_array_unref (self->closed);
  g_ptr_array_unref (self->connections);
  g_free (self);
}

gboolean
porthole_journal_batch_is_empty (const PortholeJournalBatch *self)
{
  return !self->snapshot && self->opened->len == 0 && self->closed->len == 0 &&
         self->connections->len == 0;
}

static PortholeRuntime
runtime_from_string (const char *text)
{
  for (int r = PORTHOLE_RUNTIME_DOCKER; text != NULL && r <= PORTHOLE_RUNTIME_FLATPAK; r++)
    if (g_strcmp0 (porthole_runtime_to_string (r), text) == 0)
      return r;
  return PORTHOLE_RUNTIME_NONE;
}

PortholeJournalListener *
porthole_journal_listener_from_row (sqlite3_stmt *stmt)
{
  PortholeJournalListener *l = porthole_journal_listener_new ();
  g_autofree char *runtime = NULL;
  int i = 0;

  l->opened = sqlite3_column_int64 (stmt, i++);
  l->closed = sqlite3_column_int64 (stmt, i++);   /* NULL reads as 0: still open */
  l->protocol = porthole_journal_column_text (stmt, i++);
  l->family = porthole_journal_column_text (stmt, i++);
  l->address = porthole_journal_column_text (stmt, i++);
  l->port = (guint) sqlite3_column_int64 (stmt, i++);
  l->inode = (guint64) sqlite3_column_int64 (stmt, i++);
  l->netns = (guint64) sqlite3_column_int64 (stmt, i++);
  runtime = porthole_journal_column_text (stmt, i++);
  l->container.runtime = runtime_from_string (runtime);
  l->container.id = porthole_journal_column_text (stmt, i++);
  l->container.name = porthole_journal_column_text (stmt, i++);
  l->uid = sqlite3_column_type (stmt, i) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, i);
  i++;
  l->user = porthole_journal_column_text (stmt, i++);
  l->pid = (int) sqlite3_column_int64 (stmt, i++);
  l->process = porthole_journal_column_text (stmt, i++);
  l->exe = porthole_journal_column_text (stmt, i++);
  if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
    {
      const void *blob = sqlite3_column_blob (stmt, i);
      int len = sqlite3_column_bytes (stmt, i);

      l->cmdline = g_bytes_new (blob, (gsize) MAX (len, 0));
    }
  i++;
  l->unit = porthole_journal_column_text (stmt, i++);
  return l;
}
