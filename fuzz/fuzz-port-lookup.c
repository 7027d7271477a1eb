/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_port_lookup() (porthole-cli explain, the Learn tab's lookup entry): a number must be
 * 0-65535 written in digits alone, a name must be one the services database or the project's
 * own list knows; anything else is refused with one clean line. The first byte chooses between
 * a small services database and none. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-net-error.h"
#include "porthole-port-info.h"

#include <string.h>

static PortholeServices *
small_services (void)
{
  static const char text[] =
    "ssh\t\t22/tcp\n"
    "http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP\n"
    "domain\t\t53/udp\n"
    "postgresql\t5432/tcp\tpostgres\n"
    "x11\t\t6000/tcp\tx11-0\n";
  static PortholeServices *services;

  if (services == NULL)
    services = porthole_services_new_from_data (text, sizeof text - 1);
  return services;
}

int
porthole_fuzz_port_lookup (const guint8 *data, gsize size)
{
  PortholeServices *services = size > 0 && (data[0] & 1) ? small_services () : NULL;
  g_autofree char *text = porthole_fuzz_strndup (size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  if (!porthole_port_lookup (text, services, &port, &error))
    {
      porthole_fuzz_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      porthole_fuzz_assert_clean_line (error->message, 300);
      return 0;
    }
  porthole_fuzz_assert (error == NULL);
  if (stripped[0] != '\0' && strspn (stripped, "0123456789") == strlen (stripped))
    {
      guint64 value;

      porthole_fuzz_assert (g_ascii_string_to_unsigned (stripped, 10, 0, 65535, &value, NULL));
      porthole_fuzz_assert (value == port);
    }
  else
    {
      const PortholeServiceEntry *entry = services ? porthole_services_find_name (services, stripped) : NULL;

      /* a name: from the database, or one the project describes */
      porthole_fuzz_assert ((entry != NULL && entry->port == port) ||
                            porthole_port_description (port) != NULL);
    }
  return 0;
}
