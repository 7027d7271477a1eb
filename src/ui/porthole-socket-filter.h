/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-programs.h"
#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* Which sockets a table shows before the search and the toggles apply. */
typedef enum {
  PORTHOLE_SOCKET_FILTER_LISTENING,     /* listeners and bound UDP sockets */
  PORTHOLE_SOCKET_FILTER_CONNECTIONS,   /* everything else: the 4-tuples */
} PortholeSocketFilterMode;

#define PORTHOLE_TYPE_SOCKET_FILTER (porthole_socket_filter_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSocketFilter, porthole_socket_filter, PORTHOLE, SOCKET_FILTER, GtkFilter)

/* A GtkFilter over PortholeSocket: the page's mode, the TCP/UDP and IPv4/IPv6 toggles and
 * whether sockets in containers and other network namespaces are shown (properties show-tcp,
 * show-udp, show-ipv4, show-ipv6, show-containers, bindable to GSettings) and a search text.
 * The search is split on spaces; every word must match the port (exactly, or as a prefix
 * when it is all digits), an address or endpoint, the process name or pid, the user
 * or the service, the container's name or runtime or the namespace's label (case-insensitive
 * substring; the container id by prefix). "tcp", "udp", "ipv4", "ipv6" and state names also
 * match. The monitor names the containers ("containers-changed" refilters a search). */
PortholeSocketFilter *porthole_socket_filter_new (PortholeSocketFilterMode mode);

void        porthole_socket_filter_set_search (PortholeSocketFilter *self, const char *search);
const char *porthole_socket_filter_get_search (PortholeSocketFilter *self);
void        porthole_socket_filter_set_mode (PortholeSocketFilter *self, PortholeSocketFilterMode mode);
void        porthole_socket_filter_set_monitor (PortholeSocketFilter  *self,
                                                PortholeSocketMonitor *monitor);
/* Only the sockets of @program (NULL: every program's) */
void        porthole_socket_filter_set_program (PortholeSocketFilter *self, PortholeProgram *program);
PortholeProgram *porthole_socket_filter_get_program (PortholeSocketFilter *self);
/* TRUE when the toggles, the search or a program hide something (so an empty table means "no match") */
gboolean    porthole_socket_filter_is_narrowed (PortholeSocketFilter *self);
gboolean    porthole_socket_filter_matches (PortholeSocketFilter *self, PortholeSocket *socket);

G_END_DECLS
