/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-container-names.h"
#include "porthole-name-cache.h"
#include "porthole-ports.h"
#include "porthole-process-details.h"
#include "porthole-socket.h"
#include "porthole-socktable.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SOCKET_MONITOR (porthole_socket_monitor_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSocketMonitor, porthole_socket_monitor, PORTHOLE, SOCKET_MONITOR, GObject)

/* A GListModel of PortholeSocket: every TCP and UDP socket, IPv4 and IPv6, every state.
 *
 * Each refresh dumps the kernel tables in a worker thread and diffs them there against the
 * keys of the previous snapshot, so the main thread only applies a short change list.
 * items-changed fires only for real changes: a refresh that finds nothing new emits nothing.
 * New sockets are appended; "socket-opened" is emitted for each (not for the first snapshot).
 * A socket that goes gets "closed" set and "socket-closed" emitted; it stays in the model for
 * "linger" milliseconds (0: removed at once), so a view can show it fading out.
 *
 * Properties: refresh-interval (ms, 0 = no timer), paused, linger (ms), flags
 * (PortholeDumpFlags; default every protocol, family and state), proc-root and force-proc
 * (construct-only, for tests), source (PortholeSource of the last dump), error (message of the
 * last failed refresh or NULL), hidden-owners (sockets whose process we could not see), sysctl
 * changes are announced with notify::sysctl.
 *
 * Traffic: a TCP row whose counters moved keeps its place (no items-changed); the item's
 * counters are updated, it notifies "rate", and "traffic-changed" (a GPtrArray of the sockets
 * concerned) is emitted once per refresh in which anything moved or stopped moving. A listener
 * counts the payload through the connections it accepted. */

PortholeSocketMonitor *porthole_socket_monitor_new (void);

void     porthole_socket_monitor_set_refresh_interval (PortholeSocketMonitor *self, guint interval_ms);
guint    porthole_socket_monitor_get_refresh_interval (PortholeSocketMonitor *self);
void     porthole_socket_monitor_set_paused (PortholeSocketMonitor *self, gboolean paused);
gboolean porthole_socket_monitor_get_paused (PortholeSocketMonitor *self);
void     porthole_socket_monitor_set_linger (PortholeSocketMonitor *self, guint linger_ms);
guint    porthole_socket_monitor_get_linger (PortholeSocketMonitor *self);
void     porthole_socket_monitor_set_flags (PortholeSocketMonitor *self, PortholeDumpFlags flags);
PortholeDumpFlags porthole_socket_monitor_get_flags (PortholeSocketMonitor *self);
PortholeSource porthole_socket_monitor_get_source (PortholeSocketMonitor *self);
const char *porthole_socket_monitor_get_error (PortholeSocketMonitor *self);
guint    porthole_socket_monitor_get_hidden_owners (PortholeSocketMonitor *self);
/* TRUE once the first refresh has completed (successfully or not) */
gboolean porthole_socket_monitor_get_loaded (PortholeSocketMonitor *self);
const PortholeSysctl *porthole_socket_monitor_get_sysctl (PortholeSocketMonitor *self);

/* The source (construct-only "host"): NULL for this computer, else an ssh destination
 * ("user@host:port" or a ~/.ssh/config alias) listed over ssh with porthole-cli there, or ss.
 * Its owners are the ones the host names; process details are not read for it (empty). When
 * the host does not answer, "error" says why in words, "stale" is TRUE and the rows stay as
 * last seen ("last-seen": g_get_real_time() of the last answer, 0 never); the timer then asks
 * again after 1 s, 2 s, 4 s ... up to 30 s (an explicit refresh asks at once). "notice": what
 * is worth saying of a working source (ss answered because porthole-cli is not there). */
PortholeSocketMonitor *porthole_socket_monitor_new_for_host (const char *host);
const char *porthole_socket_monitor_get_host (PortholeSocketMonitor *self);
gboolean    porthole_socket_monitor_get_stale (PortholeSocketMonitor *self);
gint64      porthole_socket_monitor_get_last_seen (PortholeSocketMonitor *self);
const char *porthole_socket_monitor_get_notice (PortholeSocketMonitor *self);

/* Starts a refresh now (coalesced with one already running). */
void     porthole_socket_monitor_refresh (PortholeSocketMonitor *self);
/* Refreshes and calls back once this refresh has been applied to the model. */
void     porthole_socket_monitor_refresh_async (PortholeSocketMonitor *self,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
gboolean porthole_socket_monitor_refresh_finish (PortholeSocketMonitor *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

/* "all-namespaces" (default FALSE): every network namespace of the processes Porthole can see,
 * each socket tagged with its namespace (porthole_socket_get_netns) and container; FALSE: only
 * the namespace Porthole runs in, like ss. */
void     porthole_socket_monitor_set_all_namespaces (PortholeSocketMonitor *self, gboolean all);
gboolean porthole_socket_monitor_get_all_namespaces (PortholeSocketMonitor *self);
/* What Docker and Podman say of their containers (asked while containers are seen, at most
 * every 10 s); "containers-changed" is emitted when names arrive or change */
PortholeContainerNames *porthole_socket_monitor_get_container_names (PortholeSocketMonitor *self);
/* How a container is called: the runtime's name, the name its cgroup tells, or its short id;
 * escaped; NULL for none */
char    *porthole_socket_monitor_dup_container_name (PortholeSocketMonitor *self,
                                                     const PortholeContainerRef *container);

/* Reverse DNS names for the remote addresses, off until enabled (the "resolve-names" setting) */
PortholeNameCache *porthole_socket_monitor_get_name_cache (PortholeSocketMonitor *self);

/* Live (not closed) sockets connected to @listener's port: "one port, many clients".
 * Returns a new array of PortholeSocket references. */
GPtrArray *porthole_socket_monitor_get_connections_to (PortholeSocketMonitor *self,
                                                       PortholeSocket        *listener);
/* The first live listener on @port in model order, in Porthole's own namespace if one is there
 * (a container's port of that number is another port), else in any; NULL if none. @protocol: "tcp", "udp" or NULL
 * for either. Answered from the listener index, in O(1). */
PortholeSocket *porthole_socket_monitor_find_listener (PortholeSocketMonitor *self,
                                                       guint                  port,
                                                       const char            *protocol);

/* The listener index, kept as each refresh is applied: whether a live socket listens on
 * @port (a TCP listener, or a UDP socket that is not connected). @protocol: "tcp", "udp", or
 * NULL for either. O(1), for every cell of a large table. */
gboolean porthole_socket_monitor_has_listener (PortholeSocketMonitor *self,
                                               const char            *protocol,
                                               guint                  port);
/* Which side of a connection the system picked from its ephemeral range (this monitor's
 * sysctl): a port something listens on is the server side whatever its range; otherwise the
 * local side is ephemeral when it lies in the ephemeral range, and the remote side when our
 * side is a server's port, or (when neither side says) when it lies in the ephemeral or the
 * IANA dynamic range. Listeners are never ephemeral. */
gboolean porthole_socket_monitor_local_is_ephemeral (PortholeSocketMonitor *self,
                                                     PortholeSocket        *socket);
gboolean porthole_socket_monitor_remote_is_ephemeral (PortholeSocketMonitor *self,
                                                      PortholeSocket        *socket);

/* Reads the details of @socket's process (command line, systemd unit, owner, start time,
 * whether the pid still runs that program, whether it may be ended) under this monitor's
 * proc-root, in a worker thread. For a socket whose process is not known the result is
 * empty (pid 0). Fails only with G_IO_ERROR_CANCELLED. */
void     porthole_socket_monitor_read_process_async (PortholeSocketMonitor *self,
                                                     PortholeSocket        *socket,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
PortholeProcessDetails *porthole_socket_monitor_read_process_finish (PortholeSocketMonitor *self,
                                                                     GAsyncResult          *result,
                                                                     GError               **error);

G_END_DECLS
