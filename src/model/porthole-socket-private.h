/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-socket.h"

G_BEGIN_DECLS

typedef struct {
  int                 pid;
  char               *process;      /* escaped; owned by the caller */
  PortholeOwnerStatus status;
  gboolean            uid_hidden;   /* the kernel gave the overflow uid: the owner is unknown */
} PortholeSocketOwner;

/* Safe to call from a worker thread. */
PortholeSocket *porthole_socket_new (const PortholeSockInfo    *info,
                                     const PortholeSocketOwner *owner,
                                     const char                *user,
                                     const char                *service,
                                     gint64                     first_seen);
void            porthole_socket_mark_closed (PortholeSocket *self, gint64 now);
/* Before the item is published to the main thread: takes @container's contents */
void            porthole_socket_take_container (PortholeSocket *self, PortholeContainerRef *container);
/* Main thread: takes @published (NULL clears); notifies "published" when it changed */
void            porthole_socket_set_published (PortholeSocket *self, PortholePublished *published);

/* Main thread, on a refresh: @now is the row the kernel gave for this socket at @sample_time
 * (µs, monotonic), with counters different from the ones the socket holds; @since is when the
 * previous refresh sampled (the rates are over that span). Copies the counters, computes the
 * rates, pushes a history sample and notifies "rate". */
void     porthole_socket_update_counters (PortholeSocket         *self,
                                          const PortholeSockInfo *now,
                                          gint64                  since,
                                          gint64                  sample_time);
/* Worker, before the item is published: a TIME_WAIT row (which has no counters) of a
 * connection whose destroy event carried them takes them, silently */
void     porthole_socket_take_final_counters (PortholeSocket         *self,
                                              const PortholeSockInfo *final);
/* Worker, before the item is published: when the dump it came from was made */
void     porthole_socket_set_counters_time (PortholeSocket *self, gint64 sample_time);
/* Main thread: a socket seen for the first time after the first refresh moved all its
 * counters since @since (it began after that): sampled as its first rate */
void     porthole_socket_start_counters (PortholeSocket *self,
                                         gint64          since,
                                         gint64          sample_time);
/* Main thread: a listener's accepted connections moved @sent/@received payload bytes between
 * @since and @sample_time (both 0 for a refresh in which they did not move) */
void     porthole_socket_add_served (PortholeSocket *self,
                                     guint64         sent,
                                     guint64         received,
                                     gint64          since,
                                     gint64          sample_time);
/* Main thread: the socket moved no data since the last refresh: its rates drop to 0 (one
 * history sample), "rate" notified. Returns FALSE when they already were 0 (nothing done). */
gboolean porthole_socket_settle (PortholeSocket *self);
/* Whether the counters that count (bytes, segments, retransmissions) differ: the worker's test */
gboolean porthole_sockinfo_counters_moved (const PortholeSockInfo *was, const PortholeSockInfo *now);

/* Hash and equality over the identity of a row: protocol, family, state, both endpoints,
 * inode, network namespace (a TIME_WAIT row has no inode, and two namespaces may hold the same
 * 4-tuple). Used with PortholeSockInfo pointers. */
guint    porthole_sockinfo_key_hash (gconstpointer info);
gboolean porthole_sockinfo_key_equal (gconstpointer a, gconstpointer b);

G_END_DECLS
