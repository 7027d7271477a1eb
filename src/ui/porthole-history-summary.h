/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-recorder.h"
#include "porthole-socket.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_HISTORY_SUMMARY (porthole_history_summary_get_type ())
G_DECLARE_FINAL_TYPE (PortholeHistorySummary, porthole_history_summary, PORTHOLE, HISTORY_SUMMARY, AdwBin)

/* One line for a socket's details pane: when its port was first and last seen listening, and
 * who else held it ("Port 8080: first seen Nov 2, last seen now; also held by python3").
 * Asks the journal in a worker thread when the socket changes; hidden while it knows nothing.
 * Place it with one line in porthole-socket-details.ui and hand it the recorder and socket. */

GtkWidget *porthole_history_summary_new (void);
void       porthole_history_summary_set_recorder (PortholeHistorySummary *self, PortholeRecorder *recorder);
void       porthole_history_summary_set_socket (PortholeHistorySummary *self, PortholeSocket *socket);
/* The text shown, or NULL while hidden (tests) */
const char *porthole_history_summary_get_text (PortholeHistorySummary *self);

G_END_DECLS
