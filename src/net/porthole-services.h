/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The services database (/etc/services format). Immutable once loaded; safe to share between threads. */
typedef struct _PortholeServices PortholeServices;

typedef struct {
  char    *name;
  char    *protocol;   /* "tcp", "udp", "sctp", ... */
  guint16  port;
  char   **aliases;    /* NULL-terminated, may be empty */
} PortholeServiceEntry;

PortholeServices *porthole_services_new_from_data (const char *data, gsize len);
PortholeServices *porthole_services_new_from_file (const char *path, GError **error);
/* /etc/services, loaded once; an empty database when the file is missing (some sandboxes). */
PortholeServices *porthole_services_get_default (void);
void              porthole_services_free (PortholeServices *self);

guint porthole_services_get_n_entries (PortholeServices *self);
/* The first name listed for @port/@protocol ("tcp"/"udp"), or NULL. */
const char *porthole_services_lookup (PortholeServices *self, guint16 port, const char *protocol);
/* Every entry for @port, any protocol, in file order; the array is owned by @self. */
GPtrArray  *porthole_services_lookup_all (PortholeServices *self, guint16 port);
/* Looks up a name or alias ("postgresql", "www"); case-insensitive. */
const PortholeServiceEntry *porthole_services_find_name (PortholeServices *self, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeServices, porthole_services_free)

G_END_DECLS
