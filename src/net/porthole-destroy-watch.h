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
 * root) and starts one reader thread; from then on each TCP socket of the namespace that the
 * kernel frees arrives as a SOCK_DIAG_BY_FAMILY message (net/ipv4/inet_diag.c,
 * inet_diag_handler_get_info) and is kept as a PortholeSockInfo row, parsed by
 * porthole_sockdiag_parse(). Call porthole_destroy_watch_take() once per refresh from one thread
 * (the monitor's worker): it hands over everything since the previous call, O(pending). A row
 * holds the 4-tuple, family, ifindex, the state the socket ended in (CLOSE, whatever the close)
 * and the final struct tcp_info: porthole_sockinfo_payload_sent/received() give the
 * application's bytes, exact after a graceful close. Listeners come too (remote port 0);
 * TIME_WAIT and SYN_RECV entries do not (not full sockets), and the end that closed first still
 * shows as TIME_WAIT, without counters, in the next table. A socket its own program aborted
 * (SO_LINGER 0), and a connection still waiting to be accepted when its listener closed, arrive
 * as the kernel's tcp_disconnect() left them: remote port 0 but the remote address kept (a
 * listener's is ::/0.0.0.0) and every counter 0; the peer's row, which got the RST, is whole. Rows have
 * NO uid and NO inode (the kernel sends 0: the socket has no file any more), so the owner is the
 * row of the previous table with the same 4-tuple, or, for an accepted connection that lived
 * less than a refresh, the listener on its local port. Nothing is queued without bound: past
 * PORTHOLE_DESTROY_MAX_ROWS rows a close is folded into the summary of its local endpoint (a
 * listener's accepted connections share one), past PORTHOLE_DESTROY_MAX_SUMMARIES summaries it is
 * only counted: rows + summaries + dropped = closes received (porthole_destroy_batch_closes()).
 * When the kernel's queue for the socket overflows (ENOBUFS; 12,000 closes as root, a few hundred
 * with the default rmem_max otherwise) it drops every close until the reader has caught up:
 * counted in overflows, how many is unknown. The socket sees the network namespace it was made
 * in: porthole_destroy_watch_new_in_netns() makes it inside another one (root, or our own user
 * namespace owning it), and its rows carry that namespace's id; one watch per namespace. */

typedef struct _PortholeDestroyWatch PortholeDestroyWatch;

/* Watches porthole's own network namespace (rows with netns 0). Fails with
 * PORTHOLE_NET_ERROR_REFUSED when the kernel refuses the socket or the groups (no sock_diag, a
 * seccomp filter, a kernel without the destroy groups), PORTHOLE_NET_ERROR_FAILED otherwise. */
PortholeDestroyWatch *porthole_destroy_watch_new (GError **error);

/* Watches @ns, a namespace from porthole_netns_list() on @proc_root (NULL: "/proc"): the socket
 * is made by a short-lived thread inside it, like porthole_netns_dump()'s, and rows carry
 * ns->id (0 when ns->own). PORTHOLE_NET_ERROR_REFUSED when @ns is not enterable. */
PortholeDestroyWatch *porthole_destroy_watch_new_in_netns (const char          *proc_root,
                                                           const PortholeNetns *ns,
                                                           GError             **error);

/* Every close since the previous take (never NULL; free with porthole_destroy_batch_free) */
PortholeDestroyBatch *porthole_destroy_watch_take (PortholeDestroyWatch *watch);

/* Closes received since the watch was made, kept, summarised or dropped alike (not those lost to
 * an overflow): to wait for a known number of them without taking them */
guint64 porthole_destroy_watch_get_received (PortholeDestroyWatch *watch);

/* FALSE, with the reason, once the reader has stopped on an error the socket cannot recover
 * from (it never stops for ENOBUFS or bad messages); the watch should then be made again. */
gboolean porthole_destroy_watch_is_running (PortholeDestroyWatch *watch,
                                            GError              **error);

/* Stops and joins the reader, closes the socket; pending closes are freed. NULL is allowed. */
void porthole_destroy_watch_free (PortholeDestroyWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeDestroyWatch, porthole_destroy_watch_free)

G_END_DECLS
