/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The container runtimes' JSON: the first byte picks the parser (even: Docker/libpod API answer,
 * odd: Podman's storage file), the rest is the document. Whatever comes back has a plain id,
 * escaped and bounded text, and ports that are real ports. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-container-names-private.h"

#include <netinet/in.h>
#include <string.h>

static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  /* At most PORTHOLE_CONTAINER_TEXT_MAX characters of at most 4 bytes */
  porthole_fuzz_assert_clean_line (text, PORTHOLE_CONTAINER_TEXT_MAX * 4);
  porthole_fuzz_assert (g_utf8_strlen (text, -1) <= PORTHOLE_CONTAINER_TEXT_MAX);
}

int
porthole_fuzz_container_json (const guint8 *data, gsize size)
{
  g_autoptr(GPtrArray) infos = porthole_container_info_array_new ();
  g_autofree char *copy = NULL;
  gboolean ok;

  if (size == 0)
    return 0;
  copy = porthole_fuzz_copy (data, size, 1);
  if (data[0] % 2 == 0)
    ok = porthole_container_names_parse_api (copy, size - 1, "docker", infos);
  else
    ok = porthole_container_names_parse_storage (copy, size - 1, infos);
  porthole_fuzz_assert (ok || infos->len == 0);
  for (guint i = 0; i < infos->len; i++)
    {
      const PortholeContainerInfo *info = g_ptr_array_index (infos, i);

      porthole_fuzz_assert (info->id != NULL && info->id[0] != '\0' && strlen (info->id) <= 128);
      for (const char *p = info->id; *p != '\0'; p++)
        porthole_fuzz_assert (g_ascii_islower (*p) || g_ascii_isdigit (*p));
      check_text (info->name);
      check_text (info->image);
      porthole_fuzz_assert (info->runtime != NULL);
      porthole_fuzz_assert (info->ports->len <= PORTHOLE_CONTAINER_PORTS_MAX);
      for (guint j = 0; j < info->ports->len; j++)
        {
          const PortholeContainerPort *port =
            &g_array_index (info->ports, PortholeContainerPort, j);

          porthole_fuzz_assert (port->protocol == IPPROTO_TCP || port->protocol == IPPROTO_UDP);
          porthole_fuzz_assert (port->container_port > 0);
          porthole_fuzz_assert ((port->host_address == NULL) == (port->host_port == 0));
          if (port->host_address != NULL)
            {
              g_autoptr(GInetAddress) address = g_inet_address_new_from_string (port->host_address);

              porthole_fuzz_assert (address != NULL);
            }
        }
    }
  return 0;
}
