/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-container.h"

G_BEGIN_DECLS

/* The history journal: a SQLite database of every listener opened and closed, and of
 * connections counted per program, peer, port and hour. A PortholeJournal is one connection to
 * it, used by one thread at a time (the recorder's writer thread, or a query's worker).
 *
 * Only one process writes: porthole_journal_open_writer() takes an exclusive flock() on
 * "<path>.lock" first and fails with PORTHOLE_JOURNAL_ERROR_LOCKED while another holds it.
 * The writer creates the file, runs migrations (PRAGMA user_version), and moves a corrupt file
 * aside (renamed "<path>.corrupt-<UTC time>", never deleted); a journal of a newer schema, or a
 * SQLite file that is not a journal, is refused and left untouched. Every statement is
 * prepared with bound parameters; no text is ever spliced into SQL.
 *
 * Times are microseconds since the Unix epoch (g_get_real_time()). */

#define PORTHOLE_JOURNAL_SCHEMA_VERSION 1

#define PORTHOLE_JOURNAL_ERROR (porthole_journal_error_quark ())
GQuark porthole_journal_error_quark (void);

typedef enum {
  PORTHOLE_JOURNAL_ERROR_FAILED,         /* I/O error, read-only place, disk full: message says which */
  PORTHOLE_JOURNAL_ERROR_LOCKED,         /* another recorder holds the writer role */
  PORTHOLE_JOURNAL_ERROR_NEWER_SCHEMA,   /* written by a newer Porthole: left untouched */
  PORTHOLE_JOURNAL_ERROR_NOT_A_JOURNAL,  /* another program's SQLite file: left untouched */
  PORTHOLE_JOURNAL_ERROR_CORRUPT,        /* corrupt (a reader reports it; the writer moves it aside) */
  PORTHOLE_JOURNAL_ERROR_MISSING,        /* no journal yet (a reader), or its file was deleted */
} PortholeJournalError;

/* A listener as the journal keeps it. Strings are as read (process names as the monitor
 * escaped them; exe and cmdline raw, cmdline with its NULs): escape before display. */
typedef struct {
  gint64               opened;        /* when first seen */
  gint64               closed;        /* when seen gone; 0 while open */
  char                *protocol;      /* "tcp", "udp" */
  char                *family;        /* "ipv4", "ipv6" */
  char                *address;       /* inet_ntop form */
  guint                port;
  guint64              inode;
  guint64              netns;         /* 0: the recorder's own namespace */
  PortholeContainerRef container;     /* runtime NONE on the host */
  gint64               uid;           /* -1 when unknown or hidden */
  char                *user;
  int                  pid;           /* 0 when unknown */
  char                *process;
  char                *exe;           /* /proc/<pid>/exe, NULL when not visible */
  GBytes              *cmdline;       /* /proc/<pid>/cmdline exactly (NUL separated), or NULL */
  char                *unit;          /* systemd unit, or NULL */
} PortholeJournalListener;

#define PORTHOLE_TYPE_JOURNAL_LISTENER (porthole_journal_listener_get_type ())
GType                    porthole_journal_listener_get_type (void) G_GNUC_CONST;
PortholeJournalListener *porthole_journal_listener_new (void);
PortholeJournalListener *porthole_journal_listener_copy (const PortholeJournalListener *self);
void                     porthole_journal_listener_free (PortholeJournalListener *self);
/* The command line for people: arguments joined by spaces, escaped; NULL when unknown */
char                    *porthole_journal_listener_dup_cmdline_text (const PortholeJournalListener *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeJournalListener, porthole_journal_listener_free)

/* One connection seen opening: counted in its hour under (program, direction, remote address,
 * port, protocol). Inbound: @port is ours (the service's), not the client's ephemeral one. */
typedef struct {
  char    *program;          /* "" when unknown */
  gboolean inbound;
  char    *remote_address;
  guint    port;
  char    *protocol;
  gint64   bytes_sent;       /* -1 when unknown */
  gint64   bytes_received;
} PortholeJournalConnection;

void porthole_journal_connection_free (PortholeJournalConnection *self);

/* What one refresh changed, written in one transaction. With @snapshot, @opened holds every
 * live listener: open rows that are not among them are closed at the time their recorder was
 * last seen alive (a recorder that died, or listeners that went while nobody recorded), the
 * ones that are stay open, and the rest are inserted. */
typedef struct {
  gint64     time;
  gboolean   snapshot;
  GPtrArray *opened;        /* PortholeJournalListener */
  GPtrArray *closed;        /* PortholeJournalListener: protocol, family, address, port, inode, netns */
  GPtrArray *connections;   /* PortholeJournalConnection */
} PortholeJournalBatch;

PortholeJournalBatch *porthole_journal_batch_new (void);
void                  porthole_journal_batch_free (PortholeJournalBatch *self);
gboolean              porthole_journal_batch_is_empty (const PortholeJournalBatch *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeJournalBatch, porthole_journal_batch_free)

/* What to look for. A listener matches when it was open at some time in [since, until]. */
typedef struct {
  gint64      since;      /* 0: from the start */
  gint64      until;      /* 0: until now */
  int         port;       /* -1: any */
  const char *process;    /* substring of the process name, case-insensitive (ASCII); NULL: any */
  const char *text;       /* substring of the process, address, unit or exe; or a port number; NULL: any */
  guint       limit;      /* 0: no limit; newest first beyond it */
} PortholeJournalFilter;

#define PORTHOLE_JOURNAL_FILTER_INIT { 0, 0, -1, NULL, NULL, 0 }

typedef struct _PortholeJournal PortholeJournal;

/* "$PORTHOLE_JOURNAL" when set, else "<g_get_user_state_dir()>/porthole/journal.sqlite3" */
char *porthole_journal_default_path (void);

/* The writer: takes the lock, creates the directory and the file, migrates, repairs. When a
 * corrupt file was moved aside, *@moved_aside (if non-NULL) gets its new path. */
PortholeJournal *porthole_journal_open_writer (const char *path, char **moved_aside, GError **error);
/* A reader: never creates, migrates or repairs. PORTHOLE_JOURNAL_ERROR_MISSING when there is
 * no journal yet. */
PortholeJournal *porthole_journal_open_reader (const char *path, GError **error);
void             porthole_journal_close (PortholeJournal *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeJournal, porthole_journal_close)

const char *porthole_journal_get_path (PortholeJournal *self);
/* The writer's session (a row of its own, alive until it closes): 0 for a reader */
gint64      porthole_journal_get_session (PortholeJournal *self);
/* Batches this writer's session has committed */
guint64     porthole_journal_get_batches (PortholeJournal *self);

/* Writes @batch in one transaction (all or nothing) and marks the session alive at its time.
 * Reads each opened listener's exe, command line and unit under @proc_root (NULL: /proc)
 * first, and keeps them only when the pid still holds the socket. Fails with
 * PORTHOLE_JOURNAL_ERROR_MISSING when the file was deleted or replaced under the writer. */
gboolean porthole_journal_write (PortholeJournal      *self,
                                 PortholeJournalBatch *batch,
                                 const char           *proc_root,
                                 GError              **error);
/* Marks the session ended (a clean stop). */
gboolean porthole_journal_end_session (PortholeJournal *self, gint64 time, GError **error);

/* Deletes rows closed before @now - @retention_days, then the oldest rows while the data
 * outgrows @max_bytes (0: no cap), at most @max_rows rows per call in small transactions, and
 * gives freed pages back with incremental_vacuum (never VACUUM). Returns the rows deleted, or
 * -1 on error. */
gint64 porthole_journal_prune (PortholeJournal *self,
                               gint64           now,
                               guint            retention_days,
                               guint64          max_bytes,
                               guint            max_rows,
                               GError         **error);

/* Listeners matching @filter, oldest first: a new array of PortholeJournalListener. */
GPtrArray *porthole_journal_query (PortholeJournal             *self,
                                   const PortholeJournalFilter *filter,
                                   GError                     **error);
/* Connections counted per hour: rows of (hour start, program, inbound, remote, port, protocol,
 * count), each a PortholeJournalConnection in a PortholeJournalHourCount. */
typedef struct {
  gint64                    hour;       /* start of the hour */
  gint64                    count;
  gint64                    first_seen;
  gint64                    last_seen;
  PortholeJournalConnection connection;
} PortholeJournalHourCount;

void       porthole_journal_hour_count_free (PortholeJournalHourCount *self);
GPtrArray *porthole_journal_query_connections (PortholeJournal *self,
                                               gint64           since,
                                               gint64           until,
                                               GError         **error);

/* Size of the data (pages in use times page size), in bytes */
guint64 porthole_journal_get_data_size (PortholeJournal *self);

/* The same query in a worker thread with a connection of its own (reader), cancellable.
 * A journal that does not exist yet answers an empty array. */
void       porthole_journal_query_async (const char                  *path,
                                         const PortholeJournalFilter *filter,
                                         GCancellable                *cancellable,
                                         GAsyncReadyCallback          callback,
                                         gpointer                     user_data);
GPtrArray *porthole_journal_query_finish (GAsyncResult *result, GError **error);

G_END_DECLS
