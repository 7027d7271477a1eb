/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-probe.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PROBE_TIMELINE (porthole_probe_timeline_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProbeTimeline, porthole_probe_timeline, PORTHOLE, PROBE_TIMELINE,
                      AdwBin)

/* The steps of a probe as they happen, one row each, with the time since the start.
 * Messages are shown as plain text (the model escapes them). The last row of a step that is
 * still going on (a lookup, a connect, a pending wait) shows a spinner. */

void   porthole_probe_timeline_clear (PortholeProbeTimeline *self);
/* @warn marks a step that worked with a problem (a TLS certificate that does not verify). */
void   porthole_probe_timeline_add (PortholeProbeTimeline *self,
                                    PortholeProbeStep      step,
                                    PortholeProbeStatus    status,
                                    const char            *message,
                                    double                 elapsed_ms,
                                    gboolean               warn);
/* A row with a spinner for something the model does not announce (waiting for a banner);
 * the next add() replaces it. */
void   porthole_probe_timeline_set_pending (PortholeProbeTimeline *self, const char *message);
/* Ends the run: stops every spinner; @message (or NULL) adds a last row ("Cancelled"). */
void   porthole_probe_timeline_stop (PortholeProbeTimeline *self, const char *message);
guint  porthole_probe_timeline_get_n_steps (PortholeProbeTimeline *self);
/* The timeline as text, one "time  message" line per row (for the clipboard and tests). */
char  *porthole_probe_timeline_dup_text (PortholeProbeTimeline *self);

G_END_DECLS
