/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-programs-view.h"
#include "porthole-socket-monitor.h"
#include "porthole-socket-view.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_CONNECTIONS_PAGE (porthole_connections_page_get_type ())
G_DECLARE_FINAL_TYPE (PortholeConnectionsPage, porthole_connections_page, PORTHOLE, CONNECTIONS_PAGE, AdwBin)

void porthole_connections_page_set_monitor (PortholeConnectionsPage *self, PortholeSocketMonitor *monitor);
void porthole_connections_page_set_settings (PortholeConnectionsPage *self, PortholeSettings *settings);
PortholeSocketView *porthole_connections_page_get_view (PortholeConnectionsPage *self);
/* The programs the connections add up to (its own PortholePrograms over the monitor) */
PortholeProgramsView *porthole_connections_page_get_programs_view (PortholeConnectionsPage *self);
/* Which view the page shows: "connections" or "programs" (property "shown", action page.show,
 * Alt+C and Alt+P; the toolbars' toggle drives the boolean "show-programs") */
void        porthole_connections_page_show (PortholeConnectionsPage *self, const char *name);
const char *porthole_connections_page_get_shown (PortholeConnectionsPage *self);

G_END_DECLS
