/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-socket-monitor.h"
#include "porthole-sparkline.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_TRAFFIC_SECTION (porthole_traffic_section_get_type ())
G_DECLARE_FINAL_TYPE (PortholeTrafficSection, porthole_traffic_section, PORTHOLE, TRAFFIC_SECTION, AdwBin)

/* The details pane's traffic part: what a connection has sent and received, its rate now and
 * a sparkline of the last minute, and TCP's health in plain words (round-trip time,
 * retransmissions, congestion window, how long since data last moved each way, delivery
 * rate), each with a line saying what it means. For a listener: the traffic through the
 * connections it accepted. For UDP: why there is nothing (the kernel counts no bytes).
 * Follows the socket's notify::rate. */
void porthole_traffic_section_set_socket (PortholeTrafficSection *self, PortholeSocket *socket);

/* For tests: the text shown, one label a line (headings, values and explanations) */
char *porthole_traffic_section_get_text (PortholeTrafficSection *self);
PortholeSparkline *porthole_traffic_section_get_sparkline (PortholeTrafficSection *self);

G_END_DECLS
