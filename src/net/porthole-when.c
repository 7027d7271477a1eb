/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-when.h"

#include "porthole-net-error.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <string.h>

/* Far enough for any history: beyond it a duration is bad input, not an overflow */
#define MAX_BACK_US (G_GINT64_CONSTANT (100) * 366 * 24 * 3600 * G_USEC_PER_SEC)

static gboolean
fail (const char *text, GError **error)
{
  g_autofree char *bad = porthole_quote_short (text, strlen (text));

  g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
               _("“%s” is not a time: write a duration back from now (7d, 12h, 30m), a date "
                 "(2026-12-01, 2026-12-01T10:00), today or yesterday"), bad);
  return FALSE;
}

static gint64
unit_us (char unit)
{
  switch (unit)
    {
    case 's': return G_USEC_PER_SEC;
    case 'm': return 60 * G_USEC_PER_SEC;
    case 'h': return G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
    case 'd': return G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;
    case 'w': return G_GINT64_CONSTANT (7 * 86400) * G_USEC_PER_SEC;
    default: return 0;
    }
}

/* "1d12h": FALSE when it is not a duration at all */
static gboolean
parse_duration (const char *text, gint64 *back)
{
  const char *p = text;
  gint64 total = 0;

  if (*p == '\0')
    return FALSE;
  while (*p != '\0')
    {
      gint64 n = 0, unit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          n = n * 10 + (*p - '0');
          if (n > MAX_BACK_US)
            return FALSE;
        }
      unit = unit_us (*p);
      if (unit == 0 || n > MAX_BACK_US / unit)
        return FALSE;
      total += n * unit;
      if (total > MAX_BACK_US)
        return FALSE;
      p++;
    }
  *back = total;
  return TRUE;
}

static gint64
to_usec (GDateTime *t)
{
  return g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t);
}

static GDateTime *
local_midnight (gint64 now, GTimeZone *tz, int days_back)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) here = t ? g_date_time_to_timezone (t, tz) : NULL;
  g_autoptr(GDateTime) midnight = NULL;

  if (here == NULL)
    return NULL;
  midnight = g_date_time_new (tz, g_date_time_get_year (here), g_date_time_get_month (here),
                              g_date_time_get_day_of_month (here), 0, 0, 0);
  return midnight ? g_date_time_add_days (midnight, -days_back) : NULL;
}

/* ISO 8601 with or without a time; *@whole_day when only a date was given */
static GDateTime *
parse_date (const char *text, GTimeZone *tz, gboolean *whole_day)
{
  gsize len = strlen (text);
  g_autofree char *iso = NULL;

  *whole_day = FALSE;
  if (len < 10 || len > 40 || !g_ascii_isdigit (text[0]))
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("-:+. ", text[i]) == NULL)
      return NULL;
  if (len == 10)
    {
      *whole_day = TRUE;
      iso = g_strconcat (text, "T00:00:00", NULL);
    }
  else
    {
      iso = g_strdup (text);
      if (iso[10] == ' ')
        iso[10] = 'T';
      /* "2026-12-01T10:00": GLib wants the seconds */
      if (strlen (iso) == 16)
        {
          char *with_seconds = g_strconcat (iso, ":00", NULL);

          g_free (iso);
          iso = with_seconds;
        }
    }
  return g_date_time_new_from_iso8601 (iso, tz);
}

gboolean
porthole_when_parse_range (const char *text,
                           gint64      now,
                           GTimeZone  *tz,
                           gint64     *start,
                           gint64     *end,
                           GError    **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) t = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *word = NULL;
  gboolean whole_day = FALSE;
  gint64 back;

  g_return_val_if_fail (text != NULL && start != NULL && end != NULL, FALSE);

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  word = g_strstrip (g_ascii_strdown (text, -1));
  if (strcmp (word, "now") == 0)
    {
      *start = *end = now;
      return TRUE;
    }
  if (parse_duration (word, &back))
    {
      *start = *end = now - back;
      return TRUE;
    }
  if (strcmp (word, "today") == 0 || strcmp (word, "yesterday") == 0)
    {
      t = local_midnight (now, tz, word[0] == 'y' ? 1 : 0);
      whole_day = TRUE;
    }
  else
    {
      g_autofree char *upper = g_ascii_strup (word, -1);

      t = parse_date (upper, tz, &whole_day);
    }
  if (t == NULL)
    return fail (text, error);
  *start = to_usec (t);
  if (whole_day && (next = g_date_time_add_days (t, 1)) != NULL)
    *end = to_usec (next);
  else
    *end = *start;
  return TRUE;
}

gboolean
porthole_when_parse (const char *text, gint64 now, GTimeZone *tz, gint64 *out, GError **error)
{
  gint64 end;

  return porthole_when_parse_range (text, now, tz, out, &end, error);
}
