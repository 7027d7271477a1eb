/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-sockinfo.h"

G_BEGIN_DECLS

/* One data line of /proc/net/{tcp,tcp6,udp,udp6} (not the header). Tolerates extra columns;
 * returns FALSE for a short or malformed line. */
gboolean porthole_procnet_parse_line (const char       *line,
                                      gsize             len,
                                      guint8            family,
                                      guint8            protocol,
                                      PortholeSockInfo *out);

/* A whole file's contents: skips the header, appends good rows, ignores a truncated last line.
 * Fails only when the contents are not a /proc/net table at all (no header). */
gboolean porthole_procnet_parse (const char *contents,
                                 gsize       len,
                                 guint8      family,
                                 guint8      protocol,
                                 GArray     *out,
                                 GError    **error);

/* Reads <proc_root>/net/{tcp,tcp6,udp,udp6} as @flags ask. A missing tcp6/udp6 (IPv6 disabled)
 * is not an error. */
gboolean porthole_procnet_read (const char        *proc_root,
                                PortholeDumpFlags  flags,
                                GArray            *out,
                                GError           **error);

G_END_DECLS
