/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "porthole-container-names.h"
#include "porthole-socket.h"

G_BEGIN_DECLS

/* Room get_text may write into */
#define PORTHOLE_SOCKET_FIELD_TEXT_SIZE 24

/* The flat fields of a socket row as the outside world sees them, in the order and with the
 * names of `porthole-cli list --json` (DESIGN.md): one definition for the CLI and for export
 * (CSV has these columns). A field has exactly one of get_string (NULL means JSON null),
 * get_int (with *is_null) or get_text (a string written into @buf, of
 * PORTHOLE_SOCKET_FIELD_TEXT_SIZE bytes, or NULL for null).
 *
 * JSON rows then carry two objects that CSV leaves out, "container" (null or {runtime, id,
 * name}) and "published" (null or {host_address, host_port, container, container_port}),
 * between "netns" and the TCP counters ("bytes_sent", "bytes_received", "rtt_us",
 * "retransmits"), which stay the last fields of both. */
typedef struct {
  const char  *name;
  const char *(*get_string) (PortholeSocket *s);
  gint64      (*get_int) (PortholeSocket *s, gboolean *is_null);
  const char *(*get_text) (PortholeSocket *s, char *buf);
} PortholeSocketField;

const PortholeSocketField *porthole_socket_fields (guint *n_fields);

/* One socket as a JSON object node built with @builder (which is reset first). Container names
 * come from the cgroup alone (null when it tells none). */
JsonNode *porthole_socket_to_json (PortholeSocket *socket, JsonBuilder *builder);
/* Same, with the names the runtimes gave in @names (may be NULL) */
JsonNode *porthole_socket_to_json_with_names (PortholeSocket         *socket,
                                              PortholeContainerNames *names,
                                              JsonBuilder            *builder);

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
/* Container names from @names (may be NULL), as porthole_socket_to_json_with_names() */
void porthole_socket_json_writer_set_container_names (PortholeSocketJsonWriter *writer,
                                                      PortholeContainerNames   *names);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeSocketJsonWriter, porthole_socket_json_writer_free)

G_END_DECLS
