/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An inclusive run of ports, start <= end. */
typedef struct {
  guint16 start;
  guint16 end;
} PortholePortSpan;

/* A validated port list such as "22,80,8000-8100": sorted, with overlapping and adjacent
 * spans merged. */
typedef struct _PortholePortList PortholePortList;

/* Parses a comma-separated list of ports and ranges (pure: no I/O). Ports are 1-65535, a range's
 * start is <= its end, no item is empty; spaces around items and around '-' are tolerated and
 * duplicates merged. On failure returns NULL with a PORTHOLE_NET_ERROR_INVALID error naming the
 * bad item ("item 2 of “80,,81” is empty", "range “5-1” runs backwards"). */
PortholePortList       *porthole_port_list_parse (const char *text, GError **error);
/* A list holding the single span @start-@end (both 1-65535, start <= end). */
PortholePortList       *porthole_port_list_new_span (guint16 start, guint16 end);
void                    porthole_port_list_free (PortholePortList *self);

/* The merged spans, ascending and disjoint. */
const PortholePortSpan *porthole_port_list_get_spans (const PortholePortList *self, guint *n_spans);
/* How many distinct ports the list holds (1-65535). */
guint                   porthole_port_list_get_count (const PortholePortList *self);
gboolean                porthole_port_list_contains (const PortholePortList *self, guint port);
/* The canonical text form: "22,80,8000-8100". */
char                   *porthole_port_list_to_string (const PortholePortList *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholePortList, porthole_port_list_free)

G_END_DECLS
