/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Peers for probe tests: loopback sockets this test opened itself (bound to port 0), served
 * from a thread so the main loop stays free for the code under test. */

typedef enum {
  PORTHOLE_TEST_PEER_SILENT,     /* accepts, never sends */
  PORTHOLE_TEST_PEER_SEND,       /* accepts, sends the given bytes */
  PORTHOLE_TEST_PEER_JUNK,       /* accepts, pushes up to 10 MB of binary junk with terminal
                                  * escapes, NUL, C1 and bidi controls */
  PORTHOLE_TEST_PEER_DRIP,       /* one byte at once, then one every 2 s (3 more at most) */
  PORTHOLE_TEST_PEER_DRIP_LATE,  /* the first byte after 2 s */
  PORTHOLE_TEST_PEER_TLS,        /* a TLS server with the given certificate */
  PORTHOLE_TEST_PEER_UDP_ECHO,   /* UDP: answers one datagram with "pong" */
} PortholeTestPeerMode;

typedef struct _PortholeTestPeer PortholeTestPeer;
struct _PortholeTestPeer {
  guint16 port;          /* where it listens */
  guint16 client_port;   /* the port the client came from, as the peer saw it */
  /* private */
  int                  listen_fd;
  int                  stop_pipe[2];
  PortholeTestPeerMode mode;
  GBytes              *data;
  GTlsCertificate     *certificate;
  GThread             *thread;
  GMutex               lock;
  GCond                cond;
  gboolean             accepted;
  gsize                sent;
  char                *tls_error;
};

/* Listens on @address (TCP, or UDP for UDP_ECHO) port 0 and serves one client; NULL when the
 * address is not available (no IPv6). */
PortholeTestPeer *porthole_test_peer_start (const char *address, PortholeTestPeerMode mode,
                                            GBytes *data);
PortholeTestPeer *porthole_test_peer_start_tls (const char *address, GTlsCertificate *certificate);
/* Waits (bounded) until the peer accepted its client; returns whether it did. */
gboolean          porthole_test_peer_wait_accepted (PortholeTestPeer *peer, guint timeout_ms);
/* Stops the thread, closes everything, frees the peer; returns how many bytes it sent. */
gsize             porthole_test_peer_stop (PortholeTestPeer *peer);

/* A TCP socket bound to @address port 0 but not listening: connecting to it is refused. */
int               porthole_test_bound_socket (const char *address, guint16 *port);
/* A UDP socket bound to @address port 0. */
int               porthole_test_bound_udp (const char *address, guint16 *port);
/* A TCP listener on @address port 0 with @backlog. */
int               porthole_test_listener (const char *address, guint16 *port, int backlog);
/* A listener with backlog 0 whose accept queue is full of connections it never accepts: the
 * kernel drops new SYNs, so a connect gets no answer (filtered). @fillers receives the filling
 * client sockets (unused slots -1). */
int               porthole_test_full_listener (const char *address, guint16 *port, int *fillers,
                                               guint n_fillers);
void              porthole_test_close_all (int listener, int *fillers, guint n_fillers);
/* How many descriptors this process has open (/proc/self/fd). */
guint             porthole_test_count_fds (void);
/* Open TCP/UDP sockets of this process: what a probe or scan may leak, unlike the D-Bus,
 * netlink and eventfd descriptors GTK and GLib open lazily */
guint             porthole_test_count_inet_fds (void);
/* "fd=target fd=target ...", for a failure message that says which descriptors are open */
char             *porthole_test_describe_fds (void);

G_END_DECLS
