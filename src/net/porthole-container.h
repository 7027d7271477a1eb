/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PORTHOLE_RUNTIME_NONE,
  PORTHOLE_RUNTIME_DOCKER,
  PORTHOLE_RUNTIME_PODMAN,
  PORTHOLE_RUNTIME_CONTAINERD,
  PORTHOLE_RUNTIME_KUBERNETES,
  PORTHOLE_RUNTIME_CRIO,
  PORTHOLE_RUNTIME_LXC,
  PORTHOLE_RUNTIME_NSPAWN,
  PORTHOLE_RUNTIME_FLATPAK,
} PortholeRuntime;

typedef struct {
  PortholeRuntime runtime;
  char           *id;     /* full container id as the cgroup spells it (64 hex for docker/podman/
                             containerd/crio), or the machine/container name for lxc and nspawn, or
                             the app id for flatpak; valid UTF-8, raw (escape before display) */
  char           *name;   /* a name the cgroup itself tells (lxc, nspawn machine, flatpak app id), else NULL */
} PortholeContainerRef;

/* Recognises the container a process runs in from the text of /proc/<pid>/cgroup (v1 lines
 * "N:controllers:/path" and v2 "0::/path"). TRUE and fills @out (free with _clear) when one is
 * found; FALSE for the host, a user session, a system service. Never reads beyond @len.
 * @out is overwritten, not freed first; on FALSE it is left zeroed (PORTHOLE_RUNTIME_NONE).
 * The cgroup v2 line wins over v1 lines; within a path the deepest container wins (Docker in
 * LXC is Docker). A runtime's supervisor (conmon, an nspawn supervisor) is not its container.
 * containerd and Docker under a "kubepods" path are PORTHOLE_RUNTIME_KUBERNETES; CRI-O stays
 * PORTHOLE_RUNTIME_CRIO. Names and ids are at most 255 bytes (NAME_MAX): longer ones are not
 * taken for containers. */
gboolean    porthole_container_parse_cgroup (const char *text, gsize len, PortholeContainerRef *out);
void        porthole_container_ref_clear (PortholeContainerRef *ref);
/* "docker", "podman", "containerd", "kubernetes", "crio", "lxc", "nspawn", "flatpak" (the JSON words); NULL for NONE */
const char *porthole_runtime_to_string (PortholeRuntime runtime);
/* The first 12 characters of a hex id, like `docker ps`; the id itself for non-hex ids */
char       *porthole_container_short_id (const PortholeContainerRef *ref);
/* Reads <proc_root>/<pid>/cgroup and parses it; FALSE when unreadable or not in a container */
gboolean    porthole_container_read (const char *proc_root, int pid, PortholeContainerRef *out);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PortholeContainerRef, porthole_container_ref_clear)

G_END_DECLS
