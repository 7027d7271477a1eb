/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

typedef enum {
  PORTHOLE_END_ENDED,          /* it quit after the signal */
  PORTHOLE_END_ALREADY_GONE,   /* it had quit, or its pid names another program, before the signal */
  PORTHOLE_END_STILL_RUNNING,  /* still running when the grace time ran out */
} PortholeEndOutcome;

/* Sends @signo to @pid if it is still the process that started at @start_time (clock ticks
 * after boot, PortholeProcessDetails' start_time: a reused pid is never signalled), then
 * waits in a worker thread, up to @grace_ms, for it to go, and refreshes @self so its
 * sockets leave the model. Errors: G_IO_ERROR_PERMISSION_DENIED and the like from kill(),
 * G_IO_ERROR_CANCELLED. The process is read under the monitor's proc-root. */
void               porthole_socket_monitor_end_process_async  (PortholeSocketMonitor *self,
                                                               int                    pid,
                                                               guint64                start_time,
                                                               int                    signo,
                                                               guint                  grace_ms,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
PortholeEndOutcome porthole_socket_monitor_end_process_finish (PortholeSocketMonitor *self,
                                                               GAsyncResult          *result,
                                                               GError               **error);

G_END_DECLS
