/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <netinet/in.h>
#include <sys/socket.h>

G_BEGIN_DECLS

/* One row of the kernel's socket tables, as plain data. Filled from sock_diag or /proc/net. */
typedef struct {
  guint8  protocol;          /* IPPROTO_TCP or IPPROTO_UDP */
  guint8  family;            /* AF_INET or AF_INET6 */
  guint8  state;             /* kernel TCP state number (1 ESTABLISHED ... 10 LISTEN ... 12 NEW_SYN_RECV) */
  guint8  flags;             /* PortholeSockInfoFlags */
  guint16 local_port;        /* host byte order */
  guint16 remote_port;       /* host byte order */
  guint8  local_addr[16];    /* network byte order; IPv4 uses the first 4 bytes, the rest zero */
  guint8  remote_addr[16];
  guint32 ifindex;           /* bound device or scope id, 0 when none */
  guint32 uid;
  guint64 inode;             /* 0 for sockets without a file (TIME_WAIT, SYN_RECV) */
  guint32 rx_queue;
  guint32 tx_queue;
  guint64 netns;             /* 0: porthole's own network namespace; else PortholeNetns.id */
} PortholeSockInfo;

typedef enum {
  /* sock_diag told us IPV6_V6ONLY (INET_DIAG_SKV6ONLY); /proc/net cannot tell */
  PORTHOLE_SOCKINFO_V6ONLY_KNOWN = 1 << 0,
  PORTHOLE_SOCKINFO_V6ONLY       = 1 << 1,
} PortholeSockInfoFlags;

/* The kernel's state numbers (include/net/tcp_states.h) */
enum {
  PORTHOLE_TCP_ESTABLISHED = 1,
  PORTHOLE_TCP_SYN_SENT,
  PORTHOLE_TCP_SYN_RECV,
  PORTHOLE_TCP_FIN_WAIT1,
  PORTHOLE_TCP_FIN_WAIT2,
  PORTHOLE_TCP_TIME_WAIT,
  PORTHOLE_TCP_CLOSE,
  PORTHOLE_TCP_CLOSE_WAIT,
  PORTHOLE_TCP_LAST_ACK,
  PORTHOLE_TCP_LISTEN,
  PORTHOLE_TCP_CLOSING,
  PORTHOLE_TCP_NEW_SYN_RECV,
  PORTHOLE_TCP_MAX_STATES
};

/* What to dump. */
typedef enum {
  PORTHOLE_DUMP_TCP  = 1 << 0,
  PORTHOLE_DUMP_UDP  = 1 << 1,
  PORTHOLE_DUMP_IPV4 = 1 << 2,
  PORTHOLE_DUMP_IPV6 = 1 << 3,
  /* Without ALL_STATES: TCP listeners and unconnected UDP sockets, like `ss -tul`. */
  PORTHOLE_DUMP_ALL_STATES = 1 << 4,
} PortholeDumpFlags;

#define PORTHOLE_DUMP_DEFAULT (PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4 | PORTHOLE_DUMP_IPV6)

/* "LISTEN", "ESTABLISHED", ...; for UDP "UNCONN" (unconnected) or "ESTABLISHED" (connected). */
const char *porthole_sockinfo_state_name (const PortholeSockInfo *info);
gboolean    porthole_sockinfo_is_listening (const PortholeSockInfo *info);
/* Whether the row passes the dump flags (protocol, family, state) */
gboolean    porthole_sockinfo_matches (const PortholeSockInfo *info, PortholeDumpFlags flags);

/* inet_ntop form ("127.0.0.1", "::1"); IPv6 link-local gets "%ifindex" when a scope is set. */
char *porthole_address_to_string (guint8 family, const guint8 addr[16]);
/* "127.0.0.1:22", "[::1]:22", "*:53" when the address is unspecified and @star_for_any */
char *porthole_endpoint_to_string (guint8 family, const guint8 addr[16], guint16 port, gboolean star_for_any);
gboolean porthole_address_is_loopback (guint8 family, const guint8 addr[16]);
gboolean porthole_address_is_any (guint8 family, const guint8 addr[16]);

G_END_DECLS
