/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SOCKET_SORTER (porthole_socket_sorter_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSocketSorter, porthole_socket_sorter, PORTHOLE, SOCKET_SORTER, GtkSorter)

/* Orders PortholeSocket items where a plain string or number sorter would be wrong, chosen by
 * the "key" property (declared in .ui):
 *   "address"  local address by family and bytes (10.0.0.2 before 127.0.0.1), wildcards first
 *   "exposure" widest reach first: network, container network, this computer, one container
 *   "container" containers by name, then other namespaces, then the host's sockets ("monitor"
 *              names them; bound to the view's in .ui, re-sorted on "containers-changed")
 *   "process"  by name, then pid; sockets without a known process last
 *   "local"    local address, then local port
 *   "remote"   remote address, then remote port
 *   "service"  by service name, sockets without one last
 *   "sent", "received", "rate", "traffic" (sent + received): by the TCP counters, sockets
 *              without counters (UDP, TIME_WAIT) below zero. Their order changes as counters
 *              move in place: whoever sorts by them calls gtk_sorter_changed() on
 *              "traffic-changed" (the socket view does, while one is its primary key). */
GtkSorter *porthole_socket_sorter_new (const char *key);
void       porthole_socket_sorter_set_monitor (PortholeSocketSorter  *self,
                                               PortholeSocketMonitor *monitor);

/* Whether the key is one of the traffic keys */
gboolean   porthole_socket_sorter_is_traffic (PortholeSocketSorter *self);

G_END_DECLS
