/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_port_parse() (porthole-cli explain PORT, the Learn tab's port entry): accepts only
 * a decimal number in range, surrounded by nothing but spaces; a rejection is one clean line. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-net-error.h"
#include "porthole-ports.h"

#include <string.h>

int
porthole_fuzz_port (const guint8 *data, gsize size)
{
  gboolean allow_zero = size > 0 && (data[0] & 1);
  g_autofree char *text = porthole_fuzz_strndup (size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  if (porthole_port_parse (text, allow_zero, &port, &error))
    {
      guint64 value;

      porthole_fuzz_assert (error == NULL);
      porthole_fuzz_assert (allow_zero || port != 0);
      porthole_fuzz_assert (stripped[0] != '\0' && strspn (stripped, "0123456789") == strlen (stripped));
      porthole_fuzz_assert (g_ascii_string_to_unsigned (stripped, 10, 0, 65535, &value, NULL));
      porthole_fuzz_assert (value == port);
    }
  else
    {
      porthole_fuzz_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      porthole_fuzz_assert_clean_line (error->message, 300);
    }
  return 0;
}
