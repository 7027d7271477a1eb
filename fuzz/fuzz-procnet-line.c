/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_procnet_parse_line(): one /proc/net/{tcp,tcp6,udp,udp6} line, read only within its
 * length (the input is not NUL-terminated); an accepted row keeps the family and protocol
 * asked for and has an IPv4 address with zeroed upper bytes. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-procnet.h"

#include <string.h>

int
porthole_fuzz_procnet_line (const guint8 *data, gsize size)
{
  static const guint8 zeros[12] = { 0 };
  guint8 selector = size > 0 ? data[0] : 0;
  guint8 family = (selector & 1) ? AF_INET6 : AF_INET;
  guint8 protocol = (selector & 2) ? IPPROTO_UDP : IPPROTO_TCP;
  /* an exact-size copy, so reading one byte past the line is caught by ASan */
  gsize len = size > 0 ? size - 1 : 0;
  g_autofree char *line = porthole_fuzz_copy (data, size, 1);
  PortholeSockInfo info;

  memset (&info, 0xaa, sizeof info);
  if (!porthole_procnet_parse_line (line, len, family, protocol, &info))
    return 0;

  porthole_fuzz_assert (info.family == family);
  porthole_fuzz_assert (info.protocol == protocol);
  if (family == AF_INET)
    {
      porthole_fuzz_assert (memcmp (info.local_addr + 4, zeros, 12) == 0);
      porthole_fuzz_assert (memcmp (info.remote_addr + 4, zeros, 12) == 0);
    }
  /* every accepted row can be shown */
  {
    g_autofree char *local = porthole_endpoint_to_string (family, info.local_addr, info.local_port, TRUE);
    g_autofree char *remote = porthole_address_to_string (family, info.remote_addr);

    porthole_fuzz_assert (local != NULL && g_utf8_validate (local, -1, NULL));
    porthole_fuzz_assert (remote != NULL && g_utf8_validate (remote, -1, NULL));
    porthole_fuzz_assert (porthole_sockinfo_state_name (&info) != NULL);
  }
  return 0;
}
