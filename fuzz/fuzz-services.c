/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_services_new_from_data(): any /etc/services-like text. Every entry found is a
 * clean token on its own port, and every name and alias finds an entry again. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-services.h"

#include <string.h>

static void
assert_token (const char *s)
{
  porthole_fuzz_assert (s != NULL && s[0] != '\0' && strlen (s) <= 64);
  for (; *s; s++)
    porthole_fuzz_assert (g_ascii_isgraph (*s));
}

static void
check_port (PortholeServices *services, guint16 port)
{
  GPtrArray *entries = porthole_services_lookup_all (services, port);

  if (entries == NULL)
    {
      porthole_fuzz_assert (porthole_services_lookup (services, port, NULL) == NULL);
      return;
    }
  porthole_fuzz_assert (entries->len > 0);
  for (guint i = 0; i < entries->len; i++)
    {
      const PortholeServiceEntry *e = g_ptr_array_index (entries, i);

      porthole_fuzz_assert (e->port == port);
      assert_token (e->name);
      assert_token (e->protocol);
      porthole_fuzz_assert (porthole_services_lookup (services, port, e->protocol) != NULL);
      porthole_fuzz_assert (porthole_services_find_name (services, e->name) != NULL);
      for (guint j = 0; e->aliases[j] != NULL; j++)
        {
          assert_token (e->aliases[j]);
          porthole_fuzz_assert (porthole_services_find_name (services, e->aliases[j]) != NULL);
        }
    }
}

int
porthole_fuzz_services (const guint8 *data, gsize size)
{
  g_autofree char *text = porthole_fuzz_copy (data, size, 0);
  g_autoptr(PortholeServices) services = porthole_services_new_from_data (text, size);
  guint checked = 0;

  /* the ports worth looking up are the numbers in the text (at most 32 of them) */
  for (gsize i = 0; i < size && checked < 32; i++)
    {
      guint value = 0;
      gsize j = i;

      while (j < size && g_ascii_isdigit (text[j]) && value <= 65535)
        value = value * 10 + (guint) (text[j++] - '0');
      if (j == i)
        continue;
      if (value <= 65535)
        check_port (services, (guint16) value);
      checked++;
      i = j;
    }
  check_port (services, 0);
  porthole_fuzz_assert (porthole_services_find_name (services, "") == NULL);
  return 0;
}
