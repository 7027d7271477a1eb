/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-test-client.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_TEST_SERVER (porthole_test_server_get_type ())
G_DECLARE_FINAL_TYPE (PortholeTestServer, porthole_test_server, PORTHOLE, TEST_SERVER, GObject)

/* PortholeTestServer: a TCP listener for learning, "one server port, many clients".
 *
 * Settings (read-write; apply at the next start):
 *   "address"   char*     where to listen; default "127.0.0.1" (loopback). Anything else
 *                         ("0.0.0.0", "::") only when the user asked for it.
 *   "port"      guint     0 picks any free port; after start, the port actually bound
 *   "greeting"  char*     text sent to each client as it connects, or NULL
 * State (read-only):
 *   "running"   gboolean
 *   "clients"   GListModel* of PortholeTestClient, the connected clients in the order they came;
 *               a row is added as a client connects and removed as it disconnects. The same
 *               object for the server's whole life.
 *   "n-clients" guint
 *   "n-outgoing" guint    connections opened by connect_clients_async() still open
 * Signals (main context):
 *   "client-connected"    (PortholeTestServer *, PortholeTestClient *client)
 *   "client-disconnected" (PortholeTestServer *, PortholeTestClient *client)
 *
 * porthole_test_server_stop() and dispose close the listener and every connection, both the
 * accepted ones and the outgoing ones, and empty "clients" (emitting client-disconnected). */

/* @address NULL means the default, 127.0.0.1 */
PortholeTestServer *porthole_test_server_new (const char *address, guint port);

void                porthole_test_server_set_address (PortholeTestServer *self,
                                                      const char         *address);
const char         *porthole_test_server_get_address (PortholeTestServer *self);
void                porthole_test_server_set_port (PortholeTestServer *self, guint port);
guint               porthole_test_server_get_port (PortholeTestServer *self);
void                porthole_test_server_set_greeting (PortholeTestServer *self,
                                                       const char         *greeting);
const char         *porthole_test_server_get_greeting (PortholeTestServer *self);

/* Binds and listens (immediate: no blocking). G_IO_ERROR_ADDRESS_IN_USE when the port is taken,
 * PORTHOLE_NET_ERROR_INVALID when "address" is not an IP address. */
gboolean            porthole_test_server_start (PortholeTestServer *self, GError **error);
void                porthole_test_server_stop (PortholeTestServer *self);
gboolean            porthole_test_server_get_running (PortholeTestServer *self);
GListModel         *porthole_test_server_get_clients (PortholeTestServer *self);
guint               porthole_test_server_get_n_clients (PortholeTestServer *self);
guint               porthole_test_server_get_n_outgoing (PortholeTestServer *self);

/* Opens @n (1-1000) client connections to the running server itself, each from its own
 * ephemeral port, and keeps them open until disconnect_clients(), stop() or dispose. Returns
 * how many connected; fails only when none did (or when cancelled). */
void                porthole_test_server_connect_clients_async (PortholeTestServer  *self,
                                                                guint                n,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
guint               porthole_test_server_connect_clients_finish (PortholeTestServer  *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);
/* Closes the connections opened by connect_clients_async(); their rows go as the server sees
 * them close. */
void                porthole_test_server_disconnect_clients (PortholeTestServer *self);

G_END_DECLS
