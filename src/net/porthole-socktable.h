/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-sockinfo.h"

G_BEGIN_DECLS

typedef enum {
  PORTHOLE_SOURCE_NETLINK,
  PORTHOLE_SOURCE_PROC,
} PortholeSource;

/* Dumps the socket tables: sock_diag first, /proc/net when netlink is refused (or when
 * @force_proc). The fallback is per protocol, so a kernel without udp_diag still gives TCP
 * through netlink; *@source_used is PORTHOLE_SOURCE_PROC when any table came from /proc.
 * @proc_root (NULL means "/proc") is read only on the /proc path. Rows not matching @flags are
 * dropped. On failure @out is left as it was. */
gboolean porthole_socktable_dump (const char        *proc_root,
                                  PortholeDumpFlags  flags,
                                  gboolean           force_proc,
                                  GArray            *out,
                                  PortholeSource    *source_used,
                                  GError           **error);

/* Drops the rows from index @from on that do not match @flags, keeping the order. */
void porthole_socktable_filter (GArray *rows, guint from, PortholeDumpFlags flags);

G_END_DECLS
