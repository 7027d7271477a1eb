/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-recorder.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_HISTORY_PAGE (porthole_history_page_get_type ())
G_DECLARE_FINAL_TYPE (PortholeHistoryPage, porthole_history_page, PORTHOLE, HISTORY_PAGE, AdwBin)

/* The History tab: the journal's listeners on a timeline, by port or by program, over the last
 * hour, day, week or month, with a search ("8080", "postgres", "yesterday"). Queries run in a
 * worker thread, the previous one cancelled; the page follows the recorder's batches. */

void porthole_history_page_set_recorder (PortholeHistoryPage *self, PortholeRecorder *recorder);
/* Runs the query again now */
void porthole_history_page_reload (PortholeHistoryPage *self);
/* For tests: the visible state ("empty", "nothing", "error", "timeline", "loading") */
const char *porthole_history_page_get_state (PortholeHistoryPage *self);

G_END_DECLS
