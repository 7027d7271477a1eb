/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-ports.h"
#include "porthole-probe.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PROBE_RESULT (porthole_probe_result_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProbeResult, porthole_probe_result, PORTHOLE, PROBE_RESULT, AdwBin)

/* The result card of a finished probe: the verdict in colour and words with one sentence on
 * what it means, the 4-tuple ("your machine IP:ephemeral port -> server IP:port") with the
 * ranges of both ports and whether ours is inside @sysctl's ephemeral range, the TLS details
 * and the banner. Every text from the peer is shown as plain text, already escaped by the
 * model. */
void porthole_probe_result_show (PortholeProbeResult  *self,
                                 PortholeProbe        *probe,
                                 const PortholeSysctl *sysctl);

/* One sentence on what a verdict means, translated. */
/* The verdict in words for people ("Open", "Open or Filtered"), translated */
const char *porthole_probe_result_title (PortholeProbeStatus status);
const char *porthole_probe_result_explain (PortholeProbeStatus status);

G_END_DECLS
