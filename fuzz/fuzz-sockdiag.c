/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_sockdiag_parse(): the netlink message and attribute walker, fed one recvmsg()
 * buffer. It stays inside the buffer whatever the lengths say, fails with an error and no
 * partial rows, or succeeds with at most one row per inet_diag_msg that fits. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-sockdiag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <string.h>

int
porthole_fuzz_sockdiag (const guint8 *data, gsize size)
{
  guint8 protocol = size > 0 && (data[0] & 1) ? IPPROTO_UDP : IPPROTO_TCP;
  gsize len = size > 0 ? size - 1 : 0;
  /* exact size, so that one byte too far is an ASan report */
  g_autofree guint8 *buf = porthole_fuzz_copy (data, size, 1);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  PortholeSockInfo sentinel = { 0 };
  gboolean done = 2, interrupted = 2;

  sentinel.inode = 0x5eed;
  g_array_append_val (rows, sentinel);

  if (porthole_sockdiag_parse (buf, len, protocol, rows, &done, &interrupted, &error))
    {
      porthole_fuzz_assert (error == NULL);
      porthole_fuzz_assert (done == TRUE || done == FALSE);
      porthole_fuzz_assert (interrupted == TRUE || interrupted == FALSE);
      porthole_fuzz_assert ((rows->len - 1) * (NLMSG_HDRLEN + sizeof (struct inet_diag_msg)) <= len);
      for (guint i = 1; i < rows->len; i++)
        {
          const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

          porthole_fuzz_assert (r->protocol == protocol);
          porthole_fuzz_assert (r->family == AF_INET || r->family == AF_INET6);
        }
    }
  else
    {
      porthole_fuzz_assert (error != NULL && error->message != NULL);
      porthole_fuzz_assert (rows->len == 1);
    }
  porthole_fuzz_assert (g_array_index (rows, PortholeSockInfo, 0).inode == 0x5eed);
  return 0;
}
