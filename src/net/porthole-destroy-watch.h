/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-destroy-store.h"
#include "porthole-netns.h"

G_BEGIN_DECLS

/* Every TCP socket that closes, as the kernel reports it: the closes between two refreshes of a
 * socket table, including connections that opened and closed in between.
 *
 * API note for the monitor. porthole_destroy_watch_new() opens a NETLINK_SOCK_DIAG socket bound
 * to the kernel's SKNLGRP_INET_TCP_DESTROY and SKNLGRP_INET6_TCP_DESTROY groups (allowed without
 * root) and starts one reader thread; from then on each freed TCP socket of the namespace
 * arrives as a SOCK_DIAG_BY_FAMILY message and is kept as a PortholeSockInfo row, parsed by
 * porthole_sockdiag_parse() (net/ipv4/inet_diag.c, inet_diag_handler_get_info). Call
 * porthole_destroy_watch_take() once per refresh, from any one thread (the monitor's worker): it
 * hands over everything since the previous call and is O(pending). What a row holds: the
 * 4-tuple, family, ifindex, the state the socket ended in (CLOSE after any close, graceful or
 * not; a listener's row has no remote end) and, in the counters, the final struct tcp_info
 * (porthole_sockinfo_payload_sent/received() give the application's bytes exactly after a
 * graceful close). It does NOT hold uid or inode (the kernel sends 0: the socket has no file any
 * more), so the owner comes from the row the monitor saw in its previous table with the same
 * 4-tuple, or for an accepted connection that lived less than a refresh from the listener on the
 * local port. A connection closed by the client first leaves a TIME_WAIT row in the next table
 * (no counters) after its destroy event. Nothing is queued without bound: past
 * PORTHOLE_DESTROY_MAX_ROWS rows closes are folded into per-local-endpoint summaries, past
 * PORTHOLE_DESTROY_MAX_SUMMARIES of those only counted (PortholeDestroyBatch, rows + summaries +
 * dropped = closes received); a full kernel queue (ENOBUFS) is counted in overflows. The socket
 * sees the network namespace it was made in: porthole_destroy_watch_new_in_netns() makes it in
 * another one (root, or our own user namespace owning it), and its rows carry that netns id. */

typedef struct _PortholeDestroyWatch PortholeDestroyWatch;

/* Watches porthole's own network namespace (rows with netns 0). Fails with
 * PORTHOLE_NET_ERROR_REFUSED when the kernel refuses the socket or the groups (no sock_diag, a
 * seccomp filter, a kernel before 4.5), PORTHOLE_NET_ERROR_FAILED otherwise. */
PortholeDestroyWatch *porthole_destroy_watch_new (GError **error);

/* Watches @ns, a namespace from porthole_netns_list() on @proc_root (NULL: "/proc"): the socket
 * is made by a short-lived thread inside it, like porthole_netns_dump()'s, and rows carry
 * ns->id (0 when ns->own). PORTHOLE_NET_ERROR_REFUSED when @ns is not enterable. */
PortholeDestroyWatch *porthole_destroy_watch_new_in_netns (const char          *proc_root,
                                                           const PortholeNetns *ns,
                                                           GError             **error);

/* Every close since the previous take (never NULL; free with porthole_destroy_batch_free) */
PortholeDestroyBatch *porthole_destroy_watch_take (PortholeDestroyWatch *watch);

/* FALSE, with the reason, once the reader has stopped on an error the socket cannot recover
 * from (it never stops for ENOBUFS or bad messages); the watch should then be made again. */
gboolean porthole_destroy_watch_is_running (PortholeDestroyWatch *watch,
                                            GError              **error);

/* Stops and joins the reader, closes the socket; pending closes are freed. NULL is allowed. */
void porthole_destroy_watch_free (PortholeDestroyWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeDestroyWatch, porthole_destroy_watch_free)

G_END_DECLS
