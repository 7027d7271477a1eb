/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* PortholeContainerNames: what the container runtimes the user may ask (Docker's and Podman's
 * REST API on their unix sockets, and rootless Podman's own storage file) say about their
 * containers: name, image and published ports, keyed by the full container id (the id the
 * cgroup path holds).
 *
 * Signals (main context):
 *   "changed"   (PortholeContainerNames *)   the table changed; pointers from lookup() and
 *                                             list() taken before are no longer valid
 * Properties (read-only):
 *   "problem"   char*    why a runtime gave no names, or NULL
 *
 * A runtime that is absent, refuses, hangs, answers junk or too much costs one line in
 * "problem", never a warning, never a row. */

typedef struct {
  char    *id;          /* full id */
  char    *name;        /* without the leading "/", escaped for display, at most 256 characters */
  char    *image;       /* escaped, bounded, or NULL */
  char    *runtime;     /* "docker" or "podman" (which socket or storage answered) */
  GArray  *ports;       /* PortholeContainerPort */
} PortholeContainerInfo;

typedef struct {
  guint8   protocol;          /* IPPROTO_TCP / IPPROTO_UDP */
  char    *host_address;      /* "0.0.0.0", "::", "127.0.0.1", or NULL when not published */
  guint16  host_port;         /* 0 when not published */
  guint16  container_port;
} PortholeContainerPort;

#define PORTHOLE_TYPE_CONTAINER_NAMES (porthole_container_names_get_type ())
G_DECLARE_FINAL_TYPE (PortholeContainerNames, porthole_container_names,
                      PORTHOLE, CONTAINER_NAMES, GObject)

/* @docker_socket / @podman_socket: paths of the runtimes' API sockets; NULL means the defaults
 * (/var/run/docker.sock; $XDG_RUNTIME_DIR/podman/podman.sock, and /run/podman/podman.sock when
 * root). @storage_root: rootless Podman's storage (NULL: $XDG_DATA_HOME/containers/storage, or
 * /var/lib/containers/storage when root), whose overlay-containers/containers.json names
 * containers even when no podman service runs. */
PortholeContainerNames *porthole_container_names_new (const char *docker_socket,
                                                      const char *podman_socket,
                                                      const char *storage_root);

/* Refreshes the table in the background (both runtimes in parallel, each bounded by a timeout,
 * default 2 s, and a response-size limit, default 8 MiB); a call while a refresh is in flight
 * joins it. Emits "changed" when the table changed. _finish returns FALSE only on
 * cancellation (G_IO_ERROR_CANCELLED), which leaves the table and "problem" as they were. */
void     porthole_container_names_refresh_async (PortholeContainerNames *self,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
gboolean porthole_container_names_refresh_finish (PortholeContainerNames *self,
                                                  GAsyncResult           *result,
                                                  GError                **error);

/* By full id, or by a unique prefix of at least 12 characters; NULL when unknown or ambiguous.
 * Valid until the next "changed". */
const PortholeContainerInfo *porthole_container_names_lookup (PortholeContainerNames *self,
                                                              const char *id);
/* Every container known (PortholeContainerInfo*, borrowed; the array too), Docker's first */
GPtrArray  *porthole_container_names_list (PortholeContainerNames *self);
/* One line per runtime that gave no names (or no ports), or NULL */
const char *porthole_container_names_get_problem (PortholeContainerNames *self);

/* For tests */
void porthole_container_names_set_timeout (PortholeContainerNames *self, guint timeout_ms);
void porthole_container_names_set_max_bytes (PortholeContainerNames *self, gsize max_bytes);

G_END_DECLS
