/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_when_parse_range() (porthole-cli history --since/--until, the History tab's
 * search): an accepted time lies within a century of "now" and a range never ends before it
 * starts; a rejection is one clean, short line. Times are read in UTC, so runs repeat. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-net-error.h"
#include "porthole-when.h"

#define NOW G_GINT64_CONSTANT (1796232000000000)
#define CENTURY (G_GINT64_CONSTANT (101) * 366 * 86400 * G_USEC_PER_SEC)

int
porthole_fuzz_when (const guint8 *data, gsize size)
{
  g_autofree char *text = porthole_fuzz_strndup (data, size);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  gint64 start = 0, end = 0, single = 0;

  if (porthole_when_parse_range (text, NOW, utc, &start, &end, &error))
    {
      porthole_fuzz_assert (error == NULL);
      porthole_fuzz_assert (end >= start);
      porthole_fuzz_assert (end - start <= G_GINT64_CONSTANT (25) * 3600 * G_USEC_PER_SEC);
      porthole_fuzz_assert (porthole_when_parse (text, NOW, utc, &single, NULL));
      porthole_fuzz_assert (single == start);
      /* a duration reaches back at most a century; dates may be anywhere GLib can read */
      if (start > NOW - CENTURY)
        porthole_fuzz_assert (start <= G_GINT64_CONSTANT (253402300800) * G_USEC_PER_SEC);
    }
  else
    {
      porthole_fuzz_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      porthole_fuzz_assert_clean_line (error->message, 300);
    }
  return 0;
}
