/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli-format.h"


/* Binary units, as ss, top and nethogs count memory and traffic: "0 B", "900 B", "1.5 KiB",
 * "12 MiB" (one decimal below 10, none above, so a column never grows past 8 characters) */
const char *
porthole_cli_format_bytes (double bytes, char buf[PORTHOLE_CLI_FORMAT_SIZE])
{
  static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
  guint u = 0;

  if (!(bytes >= 0) || bytes > G_MAXDOUBLE)
    bytes = 0;
  while (bytes >= 1023.5 && u + 1 < G_N_ELEMENTS (units))
    {
      bytes /= 1024;
      u++;
    }
  if (u == 0)
    g_snprintf (buf, PORTHOLE_CLI_FORMAT_SIZE, "%.0f %s", bytes, units[u]);
  else if (bytes < 9.95)
    g_snprintf (buf, PORTHOLE_CLI_FORMAT_SIZE, "%.1f %s", bytes, units[u]);
  else
    g_snprintf (buf, PORTHOLE_CLI_FORMAT_SIZE, "%.0f %s", bytes, units[u]);
  return buf;
}

const char *
porthole_cli_format_rate (double bytes_per_s, char buf[PORTHOLE_CLI_FORMAT_SIZE])
{
  char size[PORTHOLE_CLI_FORMAT_SIZE];

  g_snprintf (buf, PORTHOLE_CLI_FORMAT_SIZE, "%s/s", porthole_cli_format_bytes (bytes_per_s, size));
  return buf;
}
