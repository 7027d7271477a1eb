/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "porthole-socket.h"

G_BEGIN_DECLS

/* The fields of a socket row as the outside world sees them, in the order and with the names
 * of `porthole-cli list --json` (DESIGN.md): one definition for the CLI and for export. A
 * field has either get_string (NULL means JSON null) or get_int (with *is_null). */
typedef struct {
  const char  *name;
  const char *(*get_string) (PortholeSocket *s);
  gint64      (*get_int) (PortholeSocket *s, gboolean *is_null);
} PortholeSocketField;

const PortholeSocketField *porthole_socket_fields (guint *n_fields);

/* One socket as a JSON object node built with @builder (which is reset first). */
JsonNode *porthole_socket_to_json (PortholeSocket *socket, JsonBuilder *builder);

/* Many sockets, one JSON object each, as porthole_socket_to_json() and a non-pretty
 * JsonGenerator write them, byte for byte, but without building a tree per socket: the writer
 * keeps one row object and updates its member nodes in place (30,000 rows cost more to build
 * and free as trees than to read from the kernel). */
typedef struct _PortholeSocketJsonWriter PortholeSocketJsonWriter;

PortholeSocketJsonWriter *porthole_socket_json_writer_new    (void);
void                      porthole_socket_json_writer_append (PortholeSocketJsonWriter *writer,
                                                              PortholeSocket           *socket,
                                                              GString                  *out);
void                      porthole_socket_json_writer_free   (PortholeSocketJsonWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeSocketJsonWriter, porthole_socket_json_writer_free)

G_END_DECLS
