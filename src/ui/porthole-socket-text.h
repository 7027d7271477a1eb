/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-socket.h"

G_BEGIN_DECLS

/* How a socket reads in the tables, the details pane and the export: translated, plain text
 * (the socket's own strings are already escaped by the model). */
char       *porthole_socket_address_text (PortholeSocket *socket);
const char *porthole_socket_address_tooltip (PortholeSocket *socket);
const char *porthole_socket_exposure_text (PortholeSocket *socket);
const char *porthole_socket_range_text (PortholeSocket *socket);
/* The process as people read it: "name (pid)" or the honest reason it is unknown */
char       *porthole_socket_owner_text (PortholeSocket *socket);
const char *porthole_socket_owner_reason (PortholeSocket *socket);
const char *porthole_socket_owner_tooltip (PortholeSocket *socket);

G_END_DECLS
