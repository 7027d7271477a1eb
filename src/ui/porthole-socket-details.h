/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-socket-monitor.h"
#include "porthole-traffic-section.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SOCKET_DETAILS (porthole_socket_details_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSocketDetails, porthole_socket_details, PORTHOLE, SOCKET_DETAILS, AdwBin)

/* The pane beside a socket table: the port explained, the container (runtime, name, id, image,
 * published ports, either end of a publication; for a socket in another namespace or a host
 * port that forwards into one), its traffic and TCP health, the process (name, pid, command line, user, systemd unit), a
 * listener's live clients, and actions (Copy Address, Test This Port,
 * End Process…). Emits "close-requested" from its close button. */
void            porthole_socket_details_set_monitor (PortholeSocketDetails *self, PortholeSocketMonitor *monitor);
void            porthole_socket_details_set_socket (PortholeSocketDetails *self, PortholeSocket *socket);
PortholeSocket *porthole_socket_details_get_socket (PortholeSocketDetails *self);

/* For tests: whether End Process is on offer, and the current clients shown for a listener */
gboolean porthole_socket_details_can_end_process (PortholeSocketDetails *self);
guint    porthole_socket_details_get_n_clients (PortholeSocketDetails *self);
/* The traffic part: counters, sparkline and TCP health */
PortholeTrafficSection *porthole_socket_details_get_traffic (PortholeSocketDetails *self);
/* Opens the End Process confirmation (what the button does); NULL when not offered */
AdwMessageDialog *porthole_socket_details_end_process (PortholeSocketDetails *self);

G_END_DECLS
