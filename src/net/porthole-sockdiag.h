/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-sockinfo.h"

G_BEGIN_DECLS

/* Dumps the kernel socket tables with NETLINK_SOCK_DIAG (inet_diag_req_v2), appending
 * PortholeSockInfo rows to @out. Without PORTHOLE_DUMP_ALL_STATES the kernel is asked for TCP
 * listeners and unconnected UDP sockets only (what porthole_sockinfo_matches() keeps).
 * TCP rows carry the kernel's struct tcp_info counters (INET_DIAG_INFO) unless
 * PORTHOLE_DUMP_NO_TCP_INFO is set; see PortholeSockInfo for which are known.
 * A table whose dump reports NLM_F_DUMP_INTR is read again, up to 5 times
 * (PORTHOLE_NET_ERROR_INTERRUPTED after that). Fails with PORTHOLE_NET_ERROR_REFUSED when the
 * kernel does not allow sock_diag (the caller then falls back to /proc/net). On failure @out
 * is left as it was. */
gboolean porthole_sockdiag_dump (PortholeDumpFlags flags,
                                 GArray           *out,
                                 GError          **error);

/* Parses one buffer as received from the netlink socket: a sequence of nlmsghdr carrying
 * inet_diag_msg (and attributes, each bounds-checked). Rows are appended to @out. @protocol is
 * the dump's (IPPROTO_TCP or IPPROTO_UDP), or 0 to take each message's from its
 * INET_DIAG_PROTOCOL attribute, as the kernel's destroy broadcasts carry it (a message without
 * one, or naming another protocol, gives no row). For TCP an INET_DIAG_INFO attribute fills the
 * counters, each one only when the attribute is long enough to hold it
 * (PortholeSockInfo.tcp_info_fields says which).
 * Sets *@done when NLMSG_DONE is seen, *@interrupted when any message carries NLM_F_DUMP_INTR.
 * NLMSG_ERROR, a truncated header or a message longer than the buffer is an error. */
gboolean porthole_sockdiag_parse (const guint8 *buf,
                                  gsize         len,
                                  guint8        protocol,
                                  GArray       *out,
                                  gboolean     *done,
                                  gboolean     *interrupted,
                                  GError      **error);

G_END_DECLS
