/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-probe.h"
#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PROBE_VIEW (porthole_probe_view_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProbeView, porthole_probe_view, PORTHOLE, PROBE_VIEW, AdwBin)

/* "Test a Connection": a target entry validated as you type (the parser's message shown under
 * it), recent targets, Connect/Cancel, TLS and UDP toggles, a timeout; then the steps as they
 * happen and the result card. Owns one PortholeProbe and a GCancellable cancelled in dispose. */

/* Target history (target-history, last-target) and the default timeout (probe-timeout). */
void           porthole_probe_view_set_settings (PortholeProbeView *self, GSettings *settings);
/* The monitor's sysctl says which ports are ephemeral on this system. */
void           porthole_probe_view_set_monitor (PortholeProbeView     *self,
                                                PortholeSocketMonitor *monitor);
/* Fills the entry; does not start. */
void           porthole_probe_view_set_target (PortholeProbeView *self, const char *target);
/* As pressing Connect: validates (showing the problem inline) and starts. */
gboolean       porthole_probe_view_start (PortholeProbeView *self);
PortholeProbe *porthole_probe_view_get_probe (PortholeProbeView *self);

G_END_DECLS
