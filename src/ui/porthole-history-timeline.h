/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-journal.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_HISTORY_TIMELINE (porthole_history_timeline_get_type ())
G_DECLARE_FINAL_TYPE (PortholeHistoryTimeline, porthole_history_timeline, PORTHOLE, HISTORY_TIMELINE, GtkWidget)

/* Listeners drawn as bars from opened to closed (or to now while open) over a time span, one
 * lane per port or per program; the time axis on top. Colours come from the theme, so it
 * follows dark mode. A tooltip names the listener under the pointer. */

GtkWidget *porthole_history_timeline_new (void);
/* @rows: PortholeJournalListener (a reference is kept) */
void       porthole_history_timeline_set_rows (PortholeHistoryTimeline *self, GPtrArray *rows);
/* The span shown, in microseconds since the epoch; @end is usually now */
void       porthole_history_timeline_set_range (PortholeHistoryTimeline *self, gint64 start, gint64 end);
void       porthole_history_timeline_set_by_program (PortholeHistoryTimeline *self, gboolean by_program);
guint      porthole_history_timeline_get_n_lanes (PortholeHistoryTimeline *self);
/* How many bars fall inside the span */
guint      porthole_history_timeline_get_n_bars (PortholeHistoryTimeline *self);

G_END_DECLS
