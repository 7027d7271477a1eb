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

/* Hash and equality over the identity of a row: protocol, family, state, both endpoints,
 * inode, network namespace (a TIME_WAIT row has no inode, and two namespaces may hold the same
 * 4-tuple). Used with PortholeSockInfo pointers. */
guint    porthole_sockinfo_key_hash (gconstpointer info);
gboolean porthole_sockinfo_key_equal (gconstpointer a, gconstpointer b);

G_END_DECLS
