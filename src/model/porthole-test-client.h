/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_TEST_CLIENT (porthole_test_client_get_type ())
G_DECLARE_FINAL_TYPE (PortholeTestClient, porthole_test_client, PORTHOLE, TEST_CLIENT, GObject)

/* One client connected to a PortholeTestServer: its 4-tuple, seen from the server. Immutable.
 * Read-only properties:
 *   "local-address"   char*      the server's address (no brackets)
 *   "local-port"      guint      the server's port: the same for every client
 *   "remote-address"  char*      the client's address
 *   "remote-port"     guint      the client's (usually ephemeral) port: different for each
 *   "connected"       GDateTime* when the server accepted it */

/* NULL when the connection has no peer any more (reset before it was accepted) */
PortholeTestClient *porthole_test_client_new (GSocketConnection *connection);

const char *porthole_test_client_get_local_address (PortholeTestClient *self);
guint       porthole_test_client_get_local_port (PortholeTestClient *self);
const char *porthole_test_client_get_remote_address (PortholeTestClient *self);
guint       porthole_test_client_get_remote_port (PortholeTestClient *self);
GDateTime  *porthole_test_client_get_connected (PortholeTestClient *self);

G_END_DECLS
