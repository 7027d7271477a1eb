/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-socktable.h"

G_BEGIN_DECLS

/* One network namespace, as seen through the processes in it.
 *
 * The id is the inode that stat() gives for <proc_root>/<pid>/net/tcp: the kernel makes one
 * /proc/net tree per namespace, so the inode is the same for every process in a namespace and
 * differs between namespaces, and any user may stat it, where readlink of <pid>/ns/net ("net:[N]",
 * a different number) needs ptrace rights over the process, even for root. One scheme for every
 * user keeps ids stable whether or not porthole runs as root. Like "net:[N]", an id may be
 * reused once its namespace is gone. */
typedef struct {
  guint64  id;          /* this namespace's id (see above; same scheme for our own namespace) */
  int      pid;         /* one visible process inside it (the lowest pid), to read its tables through */
  guint    n_pids;      /* visible processes inside it */
  gboolean own;         /* the namespace porthole itself runs in */
  gboolean enterable;   /* setns() into it is allowed (root, or our own user namespace owns it) */
} PortholeNetns;

/* Every distinct network namespace of the processes visible under @proc_root (NULL: "/proc"),
 * ours first. One stat() per process; a process that exits mid-walk is skipped. GArray of PortholeNetns. */
GArray  *porthole_netns_list (const char *proc_root, GError **error);

/* Dumps @ns's socket tables into @out (appending PortholeSockInfo rows with `netns` set to ns->id):
 * for our own namespace exactly what porthole_socktable_dump does today; for another one, sock_diag
 * inside it when ns->enterable (a short-lived thread that setns()es into <proc_root>/<pid>/ns/net,
 * dumps, and exits, so no other thread ever changes namespace), else the /proc/<pid>/net/{tcp,tcp6,udp,udp6}
 * parser. A namespace that vanishes mid-dump is an error for that namespace only (G_IO_ERROR_NOT_FOUND).
 *
 * Our own namespace's rows keep netns 0, as porthole_socktable_dump gives them. @force_proc: the
 * /proc parser in every namespace. When ns->pid has exited or moved to another namespace since
 * the list, another process still in @ns is read through instead (the lowest pid); rows are never
 * taken from a namespace other than @ns. On failure @out is left as it was. */
gboolean porthole_netns_dump (const char *proc_root, const PortholeNetns *ns, PortholeDumpFlags flags,
                              gboolean force_proc, GArray *out, PortholeSource *source_used, GError **error);

/* A socket(@domain, @type, @protocol) made inside @ns by a short-lived thread that setns()es into
 * it (as porthole_netns_dump does; a socket stays in the namespace it was made in), or in our own
 * namespace when ns->own. -1 with a G_IO_ERROR: PERMISSION_DENIED when @ns may not be entered,
 * NOT_FOUND when no process is left in it, else the socket's own errno. */
int      porthole_netns_socket (const char *proc_root, const PortholeNetns *ns, int domain, int type,
                                int protocol, GError **error);

G_END_DECLS
