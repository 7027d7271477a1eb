/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-journal-writer.h"

#include <glib/gi18n.h>

/* A GThreadPool of one exclusive thread runs the jobs in order; the journal connection is
 * only ever touched there (and in _free, after that thread has finished). */

typedef enum {
  JOB_OPEN,
  JOB_WRITE,
  JOB_PRUNE,
  JOB_CLOSE,
} JobKind;

typedef struct {
  JobKind               kind;
  PortholeJournalBatch *batch;
  guint                 retention_days;
  guint64               max_bytes;
  gboolean              end_session;
} Job;

struct _PortholeJournalWriter {
  GObject         *owner;
  char            *path;
  char            *proc_root;
  GThreadPool     *pool;
  PortholeJournal *journal;    /* the pool thread's */
};

static void
job_free (Job *job)
{
  g_clear_pointer (&job->batch, porthole_journal_batch_free);
  g_free (job);
}

static void
run_open (PortholeJournalWriter *self, GTask *task)
{
  g_autoptr(GError) error = NULL;
  char *moved_aside = NULL;

  if (self->journal == NULL)
    self->journal = porthole_journal_open_writer (self->path, &moved_aside, &error);
  if (self->journal == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, moved_aside, g_free);
}

static void
run_write (PortholeJournalWriter *self, GTask *task, Job *job)
{
  g_autoptr(GError) error = NULL;

  if (self->journal == NULL)
    {
      g_task_return_new_error (task, PORTHOLE_JOURNAL_ERROR, PORTHOLE_JOURNAL_ERROR_FAILED,
                               _("History journal %s is not open"), self->path);
      return;
    }
  if (!porthole_journal_write (self->journal, job->batch, self->proc_root, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, (gssize) porthole_journal_get_batches (self->journal));
}

static void
run_prune (PortholeJournalWriter *self, GTask *task, Job *job)
{
  g_autoptr(GError) error = NULL;

  if (self->journal != NULL &&
      porthole_journal_prune (self->journal, g_get_real_time (), job->retention_days,
                              job->max_bytes, 20000, &error) < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_close (PortholeJournalWriter *self, GTask *task, Job *job)
{
  g_autoptr(GError) error = NULL;

  if (self->journal != NULL && job->end_session)
    porthole_journal_end_session (self->journal, g_get_real_time (), &error);
  g_clear_pointer (&self->journal, porthole_journal_close);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_job (gpointer data, gpointer user_data)
{
  g_autoptr(GTask) task = data;
  PortholeJournalWriter *self = user_data;
  Job *job = g_task_get_task_data (task);

  switch (job->kind)
    {
    case JOB_OPEN: run_open (self, task); break;
    case JOB_WRITE: run_write (self, task, job); break;
    case JOB_PRUNE: run_prune (self, task, job); break;
    case JOB_CLOSE: run_close (self, task, job); break;
    default: g_assert_not_reached ();
    }
}

PortholeJournalWriter *
porthole_journal_writer_new (GObject *owner, const char *path, const char *proc_root)
{
  PortholeJournalWriter *self = g_new0 (PortholeJournalWriter, 1);

  self->owner = owner;
  self->path = g_strdup (path);
  self->proc_root = g_strdup (proc_root);
  self->pool = g_thread_pool_new (run_job, self, 1, TRUE, NULL);
  return self;
}

void
porthole_journal_writer_free (PortholeJournalWriter *self)
{
  if (self == NULL)
    return;
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_pointer (&self->journal, porthole_journal_close);
  g_free (self->path);
  g_free (self->proc_root);
  g_free (self);
}

static void
push (PortholeJournalWriter *self, Job *job, gpointer tag, GAsyncReadyCallback callback,
      gpointer user_data)
{
  GTask *task = g_task_new (self->owner, NULL, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_thread_pool_push (self->pool, task, NULL);
}

void
porthole_journal_writer_open_async (PortholeJournalWriter *self, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_OPEN;
  push (self, job, porthole_journal_writer_open_async, callback, user_data);
}

gboolean
porthole_journal_writer_open_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                     char **moved_aside, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  char *moved = g_task_propagate_pointer (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (moved_aside != NULL)
    *moved_aside = moved;
  else
    g_free (moved);
  return TRUE;
}

void
porthole_journal_writer_write_async (PortholeJournalWriter *self, PortholeJournalBatch *batch,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_WRITE;
  job->batch = batch;
  push (self, job, porthole_journal_writer_write_async, callback, user_data);
}

gboolean
porthole_journal_writer_write_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                      guint64 *batches, GError **error)
{
  gssize n = g_task_propagate_int (G_TASK (result), error);

  if (n < 0)
    return FALSE;
  if (batches != NULL)
    *batches = (guint64) n;
  return TRUE;
}

void
porthole_journal_writer_prune_async (PortholeJournalWriter *self, guint retention_days,
                                     guint64 max_bytes, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_PRUNE;
  job->retention_days = retention_days;
  job->max_bytes = max_bytes;
  push (self, job, porthole_journal_writer_prune_async, callback, user_data);
}

gboolean
porthole_journal_writer_prune_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                      GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
porthole_journal_writer_close_async (PortholeJournalWriter *self, gboolean end_session,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_CLOSE;
  job->end_session = end_session;
  push (self, job, porthole_journal_writer_close_async, callback, user_data);
}

gboolean
porthole_journal_writer_close_finish (PortholeJournalWriter *self, GAsyncResult *result,
                                      GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
