/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "porthole-container-names.h"

G_BEGIN_DECLS

/* Text from a runtime is bounded before it is escaped, and after */
#define PORTHOLE_CONTAINER_TEXT_MAX 256
/* Ports kept per container: a libpod "range" may claim thousands */
#define PORTHOLE_CONTAINER_PORTS_MAX 1024

void      porthole_container_info_free (PortholeContainerInfo *info);
/* An empty GPtrArray that frees its PortholeContainerInfo items */
GPtrArray *porthole_container_info_array_new (void);
gboolean porthole_container_info_equal (const PortholeContainerInfo *a,
                                        const PortholeContainerInfo *b);

/* Parsers (porthole-container-names-parse.c), pure and thread-safe. Each appends the containers
 * it finds to @infos (PortholeContainerInfo*, owned by the array) and returns FALSE when @data
 * is not a container list at all; an entry without a usable id is skipped, any other field may
 * be missing or of the wrong type. */
/* GET /containers/json (Docker, Podman's compat API) or /libpod/containers/json (Podman) */
gboolean porthole_container_names_parse_api (const char *data,
                                             gsize       length,
                                             const char *runtime,
                                             GPtrArray  *infos);
/* Podman's storage overlay-containers/containers.json (names and images, no ports) */
gboolean porthole_container_names_parse_storage (const char *data,
                                                 gsize       length,
                                                 GPtrArray  *infos);

/* Fetch (porthole-container-names-fetch.c): GET the first of @paths that exists (a 400 or 404
 * moves on to the next) over @session, whose remote-connectable is the unix socket @socket_path.
 * Errors, all G_IO_ERROR: NOT_FOUND or CONNECTION_REFUSED (nothing listens), PERMISSION_DENIED,
 * TIMED_OUT (no complete answer within @timeout_ms), MESSAGE_TOO_LARGE (more than @max_bytes;
 * never more than @max_bytes + 1 read), FAILED (an HTTP error status), CANCELLED. */
SoupSession *porthole_container_names_session_new (const char *socket_path);
void         porthole_container_names_fetch_async (SoupSession         *session,
                                                   const char          *socket_path,
                                                   const char * const  *paths,
                                                   guint                timeout_ms,
                                                   gsize                max_bytes,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GBytes      *porthole_container_names_fetch_finish (GAsyncResult *result,
                                                    GError      **error);
/* A local file, read in the calling thread with the same bound: NULL and NOT_FOUND when absent */
GBytes      *porthole_container_names_read_file (const char *path,
                                                 gsize       max_bytes,
                                                 GError    **error);

/* One runtime's answer turned into containers (appended to @infos) and the line "problem" shows
 * for it, or NULL (porthole-container-names-digest.c; worker thread). @body and @error come from
 * the fetch, one of them set. For Podman (@storage_path set) a failed API falls back to the
 * storage file, and a socket that is merely absent is no problem when that file names
 * containers. */
char        *porthole_container_names_digest (const char  *runtime,
                                              const char  *socket_path,
                                              const char  *storage_path,
                                              GBytes      *body,
                                              const GError *error,
                                              guint        timeout_ms,
                                              gsize        max_bytes,
                                              GPtrArray   *infos);

G_END_DECLS
