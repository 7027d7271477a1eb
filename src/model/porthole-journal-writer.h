/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-journal.h"

G_BEGIN_DECLS

/* The journal's writer thread: one thread of its own that owns the writer connection; every
 * job runs there in the order it was given, and reports back as a GTask on the caller's main
 * context. Used by PortholeRecorder (never from two threads). @owner is every task's source
 * object (kept alive while a job is pending). */
typedef struct _PortholeJournalWriter PortholeJournalWriter;

PortholeJournalWriter *porthole_journal_writer_new (GObject    *owner,
                                                    const char *path,
                                                    const char *proc_root);
/* Waits for the jobs given so far, then closes the journal (without ending its session) */
void     porthole_journal_writer_free (PortholeJournalWriter *self);

/* Takes the writer role: opens (or creates, migrates, repairs) the journal. The result's
 * pointer is the moved-aside path of a damaged file, or NULL. */
void     porthole_journal_writer_open_async (PortholeJournalWriter *self,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
gboolean porthole_journal_writer_open_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                              char **moved_aside, GError **error);
/* Writes @batch (taken) in one transaction; returns the session's committed batches */
void     porthole_journal_writer_write_async (PortholeJournalWriter *self,
                                              PortholeJournalBatch  *batch,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean porthole_journal_writer_write_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                               guint64 *batches, GError **error);
void     porthole_journal_writer_prune_async (PortholeJournalWriter *self,
                                              guint                  retention_days,
                                              guint64                max_bytes,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean porthole_journal_writer_prune_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                               GError **error);
/* Ends the session when @end_session, then closes the journal and gives up the role */
void     porthole_journal_writer_close_async (PortholeJournalWriter *self,
                                              gboolean               end_session,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean porthole_journal_writer_close_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                               GError **error);

G_END_DECLS
