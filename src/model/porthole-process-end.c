/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-process-end.h"

#include "porthole-procmap.h"

#include <errno.h>
#include <signal.h>

#define POLL_US (100 * 1000)

typedef struct {
  char    *proc_root;
  int      pid;
  guint64  start_time;
  int      signo;
  guint    grace_ms;
} EndData;

static void
end_data_free (gpointer data)
{
  EndData *ed = data;

  g_free (ed->proc_root);
  g_free (ed);
}

static gboolean
still_running (EndData *ed)
{
  return ed->start_time != 0 && porthole_proc_read_start_time (ed->proc_root, ed->pid) == ed->start_time;
}

static void
end_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  EndData *ed = task_data;

  if (!still_running (ed))
    {
      g_task_return_int (task, PORTHOLE_END_ALREADY_GONE);
      return;
    }
  if (kill (ed->pid, ed->signo) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return;
    }
  for (guint waited = 0; waited < ed->grace_ms; waited += POLL_US / 1000)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      if (!still_running (ed))
        {
          g_task_return_int (task, PORTHOLE_END_ENDED);
          return;
        }
      g_usleep (POLL_US);
    }
  g_task_return_int (task, still_running (ed) ? PORTHOLE_END_STILL_RUNNING : PORTHOLE_END_ENDED);
}

/* The worker is done: refresh so the process's sockets go, then hand the answer on */
static void
end_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  gssize outcome = g_task_propagate_int (G_TASK (result), &error);

  if (error != NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  porthole_socket_monitor_refresh (PORTHOLE_SOCKET_MONITOR (source));
  g_task_return_int (outer, outcome);
}

void
porthole_socket_monitor_end_process_async (PortholeSocketMonitor *self,
                                           int                    pid,
                                           guint64                start_time,
                                           int                    signo,
                                           guint                  grace_ms,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  EndData *ed;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  g_return_if_fail (pid > 1);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, porthole_socket_monitor_end_process_async);

  ed = g_new0 (EndData, 1);
  g_object_get (self, "proc-root", &ed->proc_root, NULL);
  ed->pid = pid;
  ed->start_time = start_time;
  ed->signo = signo;
  ed->grace_ms = grace_ms;
  task = g_task_new (self, cancellable, end_done, g_steal_pointer (&outer));
  g_task_set_source_tag (task, porthole_socket_monitor_end_process_async);
  g_task_set_task_data (task, ed, end_data_free);
  g_task_run_in_thread (task, end_worker);
}

PortholeEndOutcome
porthole_socket_monitor_end_process_finish (PortholeSocketMonitor *self, GAsyncResult *result, GError **error)
{
  gssize outcome;

  g_return_val_if_fail (g_task_is_valid (result, self), PORTHOLE_END_ALREADY_GONE);
  outcome = g_task_propagate_int (G_TASK (result), error);
  return outcome < 0 ? PORTHOLE_END_ALREADY_GONE : (PortholeEndOutcome) outcome;
}
