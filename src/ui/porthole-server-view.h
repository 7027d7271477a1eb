/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-test-server.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SERVER_VIEW (porthole_server_view_get_type ())
G_DECLARE_FINAL_TYPE (PortholeServerView, porthole_server_view, PORTHOLE, SERVER_VIEW, AdwBin)

/* "Test Server": a PortholeTestServer on a chosen port (0 = any) and address (loopback unless
 * the user types another), an optional greeting, Start/Stop, the live list of connected
 * clients' 4-tuples and "Connect N clients", which opens N connections to it. The server stops
 * and every connection closes when the view is disposed (the window closes). */

/* As pressing Start; FALSE (with the reason shown) when the server could not start. */
gboolean            porthole_server_view_start (PortholeServerView *self);
/* As pressing Connect Clients. */
void                porthole_server_view_connect_clients (PortholeServerView *self, guint n);
PortholeTestServer *porthole_server_view_get_server (PortholeServerView *self);

G_END_DECLS
