/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_RECORDER (porthole_recorder_get_type ())
G_DECLARE_FINAL_TYPE (PortholeRecorder, porthole_recorder, PORTHOLE, RECORDER, GObject)

/* Records what a PortholeSocketMonitor sees into the history journal (porthole-journal.h).
 *
 * Events are gathered on the main thread as the monitor applies a refresh, and flushed as one
 * batch (one transaction) from an idle after it, on the journal's writer thread; while a batch
 * is being written the next refresh's events wait and go together. When it gets the writer
 * role (and the monitor has loaded), the first batch is a snapshot of the live listeners,
 * which also closes the rows a recorder that died left open, at its last sign of life.
 *
 * Only one recorder writes a journal: the other (the app while the user unit records, or the
 * reverse) only reads, "writing" stays FALSE, and it tries to take the role again every
 * "retry-interval" ms. A journal it cannot write (read-only or deleted folder, full disk, a
 * newer schema) sets "error" to a message for people and is retried the same way; the
 * monitor and the live views are never affected. A damaged file is moved aside (the message
 * says where) and a new journal started.
 *
 * Properties: path (construct-only; NULL: porthole_journal_default_path()), monitor
 * (construct-only), writing, other-writer, error, batches (committed by this recorder's current session),
 * retention-days (default 30), max-bytes (default 256 MiB, 0 none), retry-interval (ms,
 * default 10000), heartbeat-interval (ms, default 30000: marks the session alive while nothing
 * happens). Signal "batch-written" (guint64 batches) after each commit. */

PortholeRecorder *porthole_recorder_new (PortholeSocketMonitor *monitor, const char *path);

/* Connects to the monitor and tries to take the writer role */
void        porthole_recorder_start (PortholeRecorder *self);
/* Writes what is pending, ends the session and gives up the role; the recorder then stays
 * stopped. */
void        porthole_recorder_stop_async (PortholeRecorder    *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    porthole_recorder_stop_finish (PortholeRecorder *self,
                                           GAsyncResult     *result,
                                           GError          **error);

const char *porthole_recorder_get_path (PortholeRecorder *self);
gboolean    porthole_recorder_get_writing (PortholeRecorder *self);
/* TRUE while another recorder holds the writer role (this one only reads) */
gboolean    porthole_recorder_get_other_writer (PortholeRecorder *self);
const char *porthole_recorder_get_error (PortholeRecorder *self);
guint64     porthole_recorder_get_batches (PortholeRecorder *self);
void        porthole_recorder_set_retention_days (PortholeRecorder *self, guint days);
guint       porthole_recorder_get_retention_days (PortholeRecorder *self);
void        porthole_recorder_set_max_bytes (PortholeRecorder *self, guint64 max_bytes);
guint64     porthole_recorder_get_max_bytes (PortholeRecorder *self);

G_END_DECLS
