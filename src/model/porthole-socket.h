/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "porthole-container.h"
#include "porthole-ports.h"
#include "porthole-sockinfo.h"

G_BEGIN_DECLS

/* Why a socket has no process next to it. */
typedef enum {
  PORTHOLE_OWNER_KNOWN,        /* pid and process name are set */
  PORTHOLE_OWNER_NO_PROCESS,   /* no file holds it (TIME_WAIT, SYN_RECV): the kernel owns it */
  PORTHOLE_OWNER_OTHER_USER,   /* another user's process: /proc/<pid>/fd is not readable to us */
  PORTHOLE_OWNER_SANDBOXED,    /* inside a Flatpak sandbox, other processes are invisible */
  PORTHOLE_OWNER_GONE,         /* the process exited, or lives in another pid namespace */
  PORTHOLE_OWNER_UNSEEN,       /* it opened and closed between two refreshes: the kernel told
                                * of its end (a destroy event), never whose it was */
} PortholeOwnerStatus;

/* Who can reach a socket, for a listener: DESIGN.md's JSON words in porthole_exposure_to_string */
typedef enum {
  PORTHOLE_EXPOSURE_LOOPBACK,            /* loopback of the namespace porthole runs in: this computer only */
  PORTHOLE_EXPOSURE_CONTAINER,           /* loopback inside another namespace: that container only */
  PORTHOLE_EXPOSURE_CONTAINER_NETWORK,   /* another namespace's own addresses, published on no host port */
  PORTHOLE_EXPOSURE_NETWORK,             /* a wildcard or routable address here, or published */
} PortholeExposure;

/* A port published from a container on a host port: both ends carry it */
typedef struct {
  char                *host_address;    /* as the forwarder or runtime says ("0.0.0.0", "::"), NULL: every address */
  guint16              host_port;
  guint16              container_port;
  PortholeContainerRef container;       /* the container it leads into */
  char                *via;             /* what forwards it: "docker-proxy", "rootlessport", "pasta", "docker" (no proxy) */
} PortholePublished;

void               porthole_published_free (PortholePublished *published);
PortholePublished *porthole_published_copy (const PortholePublished *published);
gboolean           porthole_published_equal (const PortholePublished *a, const PortholePublished *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholePublished, porthole_published_free)

const char *porthole_exposure_to_string (PortholeExposure exposure);   /* "loopback", "container", ... */

#define PORTHOLE_TYPE_SOCKET (porthole_socket_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSocket, porthole_socket, PORTHOLE, SOCKET, GObject)

/* A row of the socket table. Its identity never changes. "closed" changes once, when the
 * monitor sees the socket go (it then lingers a few seconds before it is removed);
 * "published" when a forward appears or goes; and the TCP counters (get_info's tcp_info
 * fields and the traffic accessors below) on the main thread whenever a refresh finds they
 * moved, with one notify::rate for all of them. */
const PortholeSockInfo *porthole_socket_get_info (PortholeSocket *self);

const char *porthole_socket_get_protocol (PortholeSocket *self);      /* "tcp", "udp" */
const char *porthole_socket_get_family (PortholeSocket *self);        /* "ipv4", "ipv6" */
const char *porthole_socket_get_state (PortholeSocket *self);         /* "LISTEN", "UNCONN", ... */
const char *porthole_socket_get_local_address (PortholeSocket *self); /* inet_ntop form */
guint       porthole_socket_get_local_port (PortholeSocket *self);
const char *porthole_socket_get_remote_address (PortholeSocket *self);
guint       porthole_socket_get_remote_port (PortholeSocket *self);
/* Text forms for people: "127.0.0.1:22", "[::1]:22", "0.0.0.0:22", "[::]:22", "*:22"
 * (the last for a dual-stack IPv6 wildcard that also takes IPv4) */
const char *porthole_socket_get_local_endpoint (PortholeSocket *self);
const char *porthole_socket_get_remote_endpoint (PortholeSocket *self);
guint64     porthole_socket_get_inode (PortholeSocket *self);
guint       porthole_socket_get_uid (PortholeSocket *self);
/* TRUE inside a sandbox's user namespace when the kernel could only say "someone else" (the
 * overflow uid): then get_uid() is meaningless and get_user() is a translated "another user". */
gboolean    porthole_socket_get_uid_hidden (PortholeSocket *self);
const char *porthole_socket_get_user (PortholeSocket *self);
int         porthole_socket_get_pid (PortholeSocket *self);           /* 0 when unknown */
const char *porthole_socket_get_process (PortholeSocket *self);       /* escaped, NULL when unknown */
PortholeOwnerStatus porthole_socket_get_owner_status (PortholeSocket *self);
PortholePortRange porthole_socket_get_range (PortholeSocket *self);   /* of the local port */
const char *porthole_socket_get_service (PortholeSocket *self);       /* NULL when unknown */
gboolean    porthole_socket_is_listening (PortholeSocket *self);
gboolean    porthole_socket_is_loopback (PortholeSocket *self);       /* reachable only from this computer */
gboolean    porthole_socket_is_wildcard (PortholeSocket *self);       /* bound to every address */
gboolean    porthole_socket_get_closed (PortholeSocket *self);
/* g_get_monotonic_time() when the monitor first saw it; 0 for sockets already there at start */
gint64      porthole_socket_get_first_seen (PortholeSocket *self);
gint64      porthole_socket_get_closed_at (PortholeSocket *self);
/* The network namespace it lives in (an id from porthole_netns_list); 0 for porthole's own */
guint64     porthole_socket_get_netns (PortholeSocket *self);
/* The container the socket's process (or its namespace) runs in, or NULL on the host */
const PortholeContainerRef *porthole_socket_get_container (PortholeSocket *self);
/* The published port it is one end of, or NULL; changes on the main thread ("published") */
const PortholePublished *porthole_socket_get_published (PortholeSocket *self);
/* Derived from the address, the namespace and the publishing */
PortholeExposure porthole_socket_get_exposure (PortholeSocket *self);

/* ---- traffic (TCP only; from the kernel's tcp_info counters, updated on each refresh) ---- */

/* Samples kept for a sparkline: one per refresh while the socket moves data */
#define PORTHOLE_TRAFFIC_HISTORY 60

/* Whether the kernel gave byte counters: TCP sockets with a file (not TIME_WAIT or SYN_RECV),
 * read with sock_diag. UDP has no byte counters; /proc/net has none either. A listener has
 * them when it has (it then counts what went through the connections it accepted). */
gboolean porthole_socket_has_traffic (PortholeSocket *self);
/* Application bytes (payload) sent and received over the socket's life, exact: without the
 * SYN and FIN the kernel's counters include, and without retransmissions. For a listener: the
 * payload through the connections it accepted while Porthole watched, plus their counts when
 * first seen. 0 when unknown. */
guint64  porthole_socket_get_bytes_sent (PortholeSocket *self);
guint64  porthole_socket_get_bytes_received (PortholeSocket *self);
/* Bytes per second over the last refresh (for a listener: through its accepted connections) */
double   porthole_socket_get_send_rate (PortholeSocket *self);
double   porthole_socket_get_receive_rate (PortholeSocket *self);
double   porthole_socket_get_rate (PortholeSocket *self);   /* send + receive */
/* The last rates (send + receive, bytes/s), oldest first, one per refresh in which it moved
 * and a 0 for the refresh in which it stopped, at most PORTHOLE_TRAFFIC_HISTORY.
 * Copies up to @n_out of the newest into @out; returns how many. */
guint    porthole_socket_get_rate_history (PortholeSocket *self, double *out, guint n_out);
/* g_get_monotonic_time() of the dump whose counters get_info() holds: the kernel's
 * "milliseconds since data last moved" (last_data_sent_ms, last_data_recv_ms) were true then,
 * and an idle connection's are not replaced (that would be a change every refresh) */
gint64   porthole_socket_get_counters_time (PortholeSocket *self);
/* Segments retransmitted over the socket's life (tcpi_total_retrans); 0 when unknown */
guint    porthole_socket_get_retransmits (PortholeSocket *self);

/* A stable text key (protocol, family, state, endpoints, inode, namespace); main thread only */
const char *porthole_socket_get_key (PortholeSocket *self);

G_END_DECLS
