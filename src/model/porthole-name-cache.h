/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_NAME_CACHE (porthole_name_cache_get_type ())
G_DECLARE_FINAL_TYPE (PortholeNameCache, porthole_name_cache, PORTHOLE, NAME_CACHE, GObject)

/* Reverse DNS names for remote addresses, looked up with GResolver in the background,
 * at most a few at a time, each answer (or failure) cached for the life of the process.
 * Nothing is looked up while "enabled" is FALSE (the default: each lookup may send a query
 * to the network); disabling cancels the lookups in flight. "resolved" is emitted, detailed
 * by the address text, when an answer arrives. Names are escaped for display. */
PortholeNameCache *porthole_name_cache_new (GResolver *resolver);   /* NULL: the default resolver */

void        porthole_name_cache_set_enabled (PortholeNameCache *self, gboolean enabled);
gboolean    porthole_name_cache_get_enabled (PortholeNameCache *self);
/* The name when known; otherwise NULL, and a lookup is queued when enabled. */
const char *porthole_name_cache_lookup (PortholeNameCache *self, const char *address);
guint       porthole_name_cache_get_n_pending (PortholeNameCache *self);

G_END_DECLS
