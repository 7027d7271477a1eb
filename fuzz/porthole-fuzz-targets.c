/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const PortholeFuzzTarget porthole_fuzz_targets[] = {
  { "cgroup", porthole_fuzz_cgroup },
  { "container-json", porthole_fuzz_container_json },
  { "destroy", porthole_fuzz_destroy },
  { "escape", porthole_fuzz_escape },
  { "forwarder", porthole_fuzz_forwarder },
  { "port", porthole_fuzz_port },
  { "port-lookup", porthole_fuzz_port_lookup },
  { "portlist", porthole_fuzz_portlist },
  { "procnet-file", porthole_fuzz_procnet_file },
  { "procnet-line", porthole_fuzz_procnet_line },
  { "remote", porthole_fuzz_remote },
  { "services", porthole_fuzz_services },
  { "sockdiag", porthole_fuzz_sockdiag },
  { "ss", porthole_fuzz_ss },
  { "ssh-config", porthole_fuzz_ssh_config },
  { "target", porthole_fuzz_target },
  { "when", porthole_fuzz_when },
  { NULL, NULL },
};

void
porthole_fuzz_fail (const char *file, int line, const char *expr)
{
  fprintf (stderr, "%s:%d: fuzz assertion failed: %s\n", file, line, expr);
  abort ();
}

char *
porthole_fuzz_strndup (const guint8 *data, gsize size)
{
  return g_strndup ((const char *) data, size);
}

gpointer
porthole_fuzz_copy (const guint8 *data, gsize size, gsize skip)
{
  gsize len = size > skip ? size - skip : 0;
  guint8 *copy = g_malloc (MAX (len, 1));

  if (len > 0)
    memcpy (copy, data + skip, len);
  return copy;
}

void
porthole_fuzz_assert_clean_line (const char *message, gsize max)
{
  porthole_fuzz_assert (message != NULL);
  porthole_fuzz_assert (strlen (message) <= max);
  porthole_fuzz_assert (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p; p = g_utf8_next_char (p))
    {
      GUnicodeType type = g_unichar_type (g_utf8_get_char (p));

      porthole_fuzz_assert (type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT &&
                            type != G_UNICODE_LINE_SEPARATOR &&
                            type != G_UNICODE_PARAGRAPH_SEPARATOR);
    }
}
