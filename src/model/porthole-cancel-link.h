/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Ties a caller's GCancellable to an object's own run: PortholeProbe and PortholeScan accept a
 * cancellable in run_async() and must stop emitting the moment it fires, whichever thread
 * cancels it. */
typedef struct _PortholeCancelLink PortholeCancelLink;

typedef void (*PortholeCancelFunc) (gpointer object);

/* When @external is cancelled (in any thread), cancels @own at once and calls @cancel (@object)
 * on the main context. NULL when @external is NULL. @object must outlive the link. */
PortholeCancelLink *porthole_cancel_link_new (GCancellable       *external,
                                              GCancellable       *own,
                                              GObject            *object,
                                              PortholeCancelFunc  cancel);
/* Disconnects (from the main context, never inside a "cancelled" handler); NULL is fine. */
void                porthole_cancel_link_free (PortholeCancelLink *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeCancelLink, porthole_cancel_link_free)

G_END_DECLS
