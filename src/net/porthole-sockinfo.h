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
  /* TCP counters from the kernel's struct tcp_info (sock_diag's INET_DIAG_INFO). None of them is
   * part of a row's identity. A value is known only when PORTHOLE_SOCKINFO_HAS_TCP_INFO is set
   * and its bit is in tcp_info_fields (an older kernel sends a shorter struct); otherwise it is 0,
   * meaning "unknown". /proc/net and UDP never have them. */
  guint64 bytes_sent;        /* tcpi_bytes_sent (Linux 4.19); before that a copy of bytes_acked */
  guint64 bytes_acked;       /* tcpi_bytes_acked (4.1) */
  guint64 bytes_received;    /* tcpi_bytes_received (4.1) */
  guint64 bytes_retrans;     /* tcpi_bytes_retrans (4.19) */
  guint32 segs_in;           /* tcpi_segs_in (4.2) */
  guint32 segs_out;          /* tcpi_segs_out (4.2) */
  guint32 rtt_us;            /* tcpi_rtt: smoothed round-trip time, microseconds */
  guint32 rttvar_us;         /* tcpi_rttvar, microseconds */
  guint32 total_retrans;     /* tcpi_total_retrans: segments retransmitted over the lifetime */
  guint32 snd_cwnd;          /* tcpi_snd_cwnd: congestion window, segments */
  guint32 last_data_sent_ms; /* tcpi_last_data_sent: milliseconds since data was last sent */
  guint32 last_data_recv_ms; /* tcpi_last_data_recv */
  guint64 delivery_rate;     /* tcpi_delivery_rate (4.9): bytes per second */
  guint32 tcp_info_fields;   /* PortholeTcpInfoFields: which of the above the kernel sent */
  guint32 tcp_info_len;      /* bytes of struct tcp_info the kernel sent (0 when none) */
} PortholeSockInfo;

typedef enum {
  /* sock_diag told us IPV6_V6ONLY (INET_DIAG_SKV6ONLY); /proc/net cannot tell */
  PORTHOLE_SOCKINFO_V6ONLY_KNOWN = 1 << 0,
  PORTHOLE_SOCKINFO_V6ONLY       = 1 << 1,
  /* sock_diag sent INET_DIAG_INFO (struct tcp_info, of any length) for this TCP socket: the
   * kernel sends it for full sockets, listeners included, not for TIME_WAIT or SYN_RECV ones.
   * Which counters it held is in tcp_info_fields. */
  PORTHOLE_SOCKINFO_HAS_TCP_INFO = 1 << 2,
} PortholeSockInfoFlags;

/* Which counters struct tcp_info held: the struct grew over the kernel's history and each
 * field is taken only when the attribute is long enough to hold all of it. */
typedef enum {
  PORTHOLE_TCP_INFO_LAST_DATA_SENT = 1 << 0,
  PORTHOLE_TCP_INFO_LAST_DATA_RECV = 1 << 1,
  PORTHOLE_TCP_INFO_RTT            = 1 << 2,
  PORTHOLE_TCP_INFO_RTTVAR         = 1 << 3,
  PORTHOLE_TCP_INFO_SND_CWND       = 1 << 4,
  PORTHOLE_TCP_INFO_TOTAL_RETRANS  = 1 << 5,
  PORTHOLE_TCP_INFO_BYTES_ACKED    = 1 << 6,
  PORTHOLE_TCP_INFO_BYTES_RECEIVED = 1 << 7,
  PORTHOLE_TCP_INFO_SEGS_OUT       = 1 << 8,
  PORTHOLE_TCP_INFO_SEGS_IN        = 1 << 9,
  PORTHOLE_TCP_INFO_DELIVERY_RATE  = 1 << 10,
  /* bytes_sent is the kernel's tcpi_bytes_sent; without this bit but with BYTES_ACKED it is
   * bytes_acked (what an older kernel can tell) */
  PORTHOLE_TCP_INFO_BYTES_SENT     = 1 << 11,
  PORTHOLE_TCP_INFO_BYTES_RETRANS  = 1 << 12,
} PortholeTcpInfoFields;

#define PORTHOLE_TCP_INFO_ALL_FIELDS ((PortholeTcpInfoFields) ((1 << 13) - 1))

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
  /* sock_diag only: do not ask for struct tcp_info (the counters stay unknown); for callers
   * that need the table alone, and to measure what the counters cost */
  PORTHOLE_DUMP_NO_TCP_INFO = 1 << 5,
} PortholeDumpFlags;

#define PORTHOLE_DUMP_DEFAULT (PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4 | PORTHOLE_DUMP_IPV6)

/* "LISTEN", "ESTABLISHED", ...; for UDP "UNCONN" (unconnected) or "ESTABLISHED" (connected). */
const char *porthole_sockinfo_state_name (const PortholeSockInfo *info);
gboolean    porthole_sockinfo_is_listening (const PortholeSockInfo *info);
/* Whether the row passes the dump flags (protocol, family, state) */
gboolean    porthole_sockinfo_matches (const PortholeSockInfo *info, PortholeDumpFlags flags);
/* Whether every counter in @fields is known for this row (TCP, INET_DIAG_INFO long enough).
 * bytes_sent holds a value with PORTHOLE_TCP_INFO_BYTES_ACKED alone too (the older kernels'
 * stand-in); ask for PORTHOLE_TCP_INFO_BYTES_SENT to know it is the kernel's own count. */
gboolean    porthole_sockinfo_has_tcp_info (const PortholeSockInfo *info,
                                            PortholeTcpInfoFields   fields);
/* Clears the counters and PORTHOLE_SOCKINFO_HAS_TCP_INFO: the row as /proc/net would give it.
 * For comparing rows by what they are rather than by how much they carried (two dumps a moment
 * apart differ in last_data_sent_ms alone). */
void        porthole_sockinfo_forget_tcp_info (PortholeSockInfo *info);

/* The application's own bytes (payload) a TCP row sent and received, for people: the kernel's
 * counters also count the handshake and the closing (measured with ss -ti on loopback and
 * checked by tests/test-destroy-watch.c). 0 when unknown (UDP, /proc/net, no INET_DIAG_INFO).
 * Sent: tcpi_bytes_sent counts payload with its retransmissions, so it is bytes_sent minus
 * bytes_retrans (Linux 4.19). Before that only tcpi_bytes_acked is known, which also counts an
 * acknowledged SYN (+1 on the connecting side) and FIN (+1): the FIN is taken off when the state
 * says it was acknowledged, the SYN cannot be told from the row, so such a count of a connecting
 * end is one high. Received: tcpi_bytes_received counts a received FIN (+1), taken off in the
 * states that come after one (see the function). */
guint64 porthole_sockinfo_payload_sent (const PortholeSockInfo *info);
guint64 porthole_sockinfo_payload_received (const PortholeSockInfo *info);

/* inet_ntop form ("127.0.0.1", "::1"); IPv6 link-local gets "%ifindex" when a scope is set. */
char *porthole_address_to_string (guint8 family, const guint8 addr[16]);
/* "127.0.0.1:22", "[::1]:22", "*:53" when the address is unspecified and @star_for_any */
char *porthole_endpoint_to_string (guint8 family, const guint8 addr[16], guint16 port, gboolean star_for_any);
gboolean porthole_address_is_loopback (guint8 family, const guint8 addr[16]);
gboolean porthole_address_is_any (guint8 family, const guint8 addr[16]);

G_END_DECLS
