/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-journal.h"

#include <sqlite3.h>
#include <sys/types.h>

G_BEGIN_DECLS

struct _PortholeJournal {
  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* const char *sql (static strings) -> sqlite3_stmt */
  int         lock_fd;      /* the writer's flock on "<path>.lock"; -1 for a reader */
  dev_t       dev;          /* the file the writer opened, to notice it deleted or replaced */
  ino_t       ino;
  gint64      session;
  guint64     batches;
  GHashTable *facts;        /* pid -> what /proc showed of it, kept while its start time holds */
};

/* A cached prepared statement for @sql (a string literal: its address is the key), reset and
 * with its bindings cleared. NULL with @error set when it does not prepare. */
sqlite3_stmt *porthole_journal_statement (PortholeJournal *self, const char *sql, GError **error);
/* Sets @error from SQLite's last result on @db, with what was being done */
void          porthole_journal_set_error (sqlite3 *db, int rc, const char *path, GError **error);
/* Runs @sql (no parameters, trusted text of this program only) */
gboolean      porthole_journal_exec (PortholeJournal *self, const char *sql, GError **error);
/* Steps a statement to SQLITE_DONE; FALSE with @error otherwise */
gboolean      porthole_journal_step_done (PortholeJournal *self, sqlite3_stmt *stmt, GError **error);

gint64        porthole_journal_get_free_pages (PortholeJournal *self);

void          porthole_journal_bind_text (sqlite3_stmt *stmt, int index, const char *text);
char         *porthole_journal_column_text (sqlite3_stmt *stmt, int index);

/* Every column of a listeners row, in this order, for SELECTs */
#define PORTHOLE_JOURNAL_LISTENER_COLUMNS \
  "opened, closed, protocol, family, address, port, inode, netns, container_runtime, " \
  "container_id, container_name, uid, user, pid, process, exe, cmdline, unit"
PortholeJournalListener *porthole_journal_listener_from_row (sqlite3_stmt *stmt);

G_END_DECLS
