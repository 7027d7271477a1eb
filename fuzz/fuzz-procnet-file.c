/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_procnet_parse(): a whole /proc/net table. Failure sets an error and appends
 * nothing; success appends at most one row per line after the header. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-procnet.h"

#include <string.h>

int
porthole_fuzz_procnet_file (const guint8 *data, gsize size)
{
  guint8 selector = size > 0 ? data[0] : 0;
  guint8 family = (selector & 1) ? AF_INET6 : AF_INET;
  guint8 protocol = (selector & 2) ? IPPROTO_UDP : IPPROTO_TCP;
  gsize len = size > 0 ? size - 1 : 0;
  g_autofree char *contents = porthole_fuzz_copy (data, size, 1);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  PortholeSockInfo sentinel = { 0 };
  guint newlines = 0;

  /* a row already in the array must survive a failed or successful parse */
  sentinel.inode = 0x5eed;
  g_array_append_val (rows, sentinel);
  for (gsize i = 0; i < len; i++)
    newlines += contents[i] == '\n';

  if (porthole_procnet_parse (contents, len, family, protocol, rows, &error))
    {
      porthole_fuzz_assert (error == NULL);
      porthole_fuzz_assert (rows->len - 1 <= newlines + 1);
      for (guint i = 1; i < rows->len; i++)
        {
          const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

          porthole_fuzz_assert (r->family == family && r->protocol == protocol);
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
