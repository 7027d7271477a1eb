/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_ssh_config_hosts(): ~/.ssh/config for the host menu, any bytes: read only within
 * the length, at most PORTHOLE_SSH_CONFIG_MAX_HOSTS names, each one ssh cannot read as an
 * option, without wildcards, control characters or repeats. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-ssh-config.h"
#include "porthole-ssh-destination.h"

#include <string.h>

int
porthole_fuzz_ssh_config (const guint8 *data, gsize size)
{
  /* an exact-size copy: a read past the end is ASan's to see */
  g_autofree char *text = porthole_fuzz_copy (data, size, 0);
  g_auto(GStrv) hosts = porthole_ssh_config_hosts (text, size);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  porthole_fuzz_assert (hosts != NULL);
  porthole_fuzz_assert (g_strv_length (hosts) <= PORTHOLE_SSH_CONFIG_MAX_HOSTS);
  for (guint i = 0; hosts[i]; i++)
    {
      g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };

      porthole_fuzz_assert (hosts[i][0] != '\0' && hosts[i][0] != '-');
      porthole_fuzz_assert (strpbrk (hosts[i], "*?!") == NULL);
      porthole_fuzz_assert (g_utf8_validate (hosts[i], -1, NULL));
      for (const char *p = hosts[i]; *p; p++)
        porthole_fuzz_assert (!g_ascii_isspace (*p) && !g_ascii_iscntrl (*p));
      porthole_fuzz_assert (porthole_ssh_destination_parse (hosts[i], &dest, NULL));
      porthole_fuzz_assert (g_hash_table_add (seen, hosts[i]));
    }
  return 0;
}
