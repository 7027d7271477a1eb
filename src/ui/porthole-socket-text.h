/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* How a socket reads in the tables, the details pane and the export: translated, plain text
 * (the socket's own strings are already escaped by the model). */
char       *porthole_socket_address_text (PortholeSocket *socket);
const char *porthole_socket_address_tooltip (PortholeSocket *socket);
/* Who can reach it: "This computer only", "This container only" ("Inside its namespace only"
 * without a known container), "Container network", "Network"; and why, for a tooltip */
const char *porthole_socket_exposure_text (PortholeSocket *socket);
const char *porthole_socket_exposure_tooltip (PortholeSocket *socket);
/* 0 for the widest reach (Network) to 3 for the narrowest (one container's loopback) */
guint       porthole_socket_exposure_rank (PortholeSocket *socket);
/* In a container or another network namespace: what the Container column names and the
 * "Show Containers" setting hides */
gboolean    porthole_socket_is_elsewhere (PortholeSocket *socket);
/* The container runtime as a product name ("Docker", "Podman", ...), NULL on the host */
const char *porthole_socket_runtime_text (PortholeSocket *socket);
/* "namespace N" for a socket in another network namespace, NULL for porthole's own */
char       *porthole_socket_namespace_label (PortholeSocket *socket);
/* The container's name (the runtime's word when @monitor knows it, else the cgroup's, else the
 * short id), or the namespace label, or NULL on the host; escaped */
char       *porthole_socket_container_text (PortholeSocket *socket, PortholeSocketMonitor *monitor);
const char *porthole_socket_range_text (PortholeSocket *socket);
/* The process as people read it: "name (pid)" or the honest reason it is unknown */
char       *porthole_socket_owner_text (PortholeSocket *socket);
const char *porthole_socket_owner_reason (PortholeSocket *socket);
const char *porthole_socket_owner_tooltip (PortholeSocket *socket);

G_END_DECLS
