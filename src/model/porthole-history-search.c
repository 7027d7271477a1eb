/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-history-search.h"

#include "porthole-when.h"

#include <string.h>

static gboolean
is_port (const char *word, guint *port)
{
  guint64 value;

  if (*word == '\0' || strspn (word, "0123456789") != strlen (word) || strlen (word) > 5)
    return FALSE;
  value = g_ascii_strtoull (word, NULL, 10);
  if (value > 65535)
    return FALSE;
  *port = (guint) value;
  return TRUE;
}

gboolean
porthole_history_search_parse (const char            *search,
                               gint64                 now,
                               PortholeJournalFilter *filter,
                               char                 **out_text,
                               gint64                *start,
                               gint64                *end)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean timed = FALSE;

  g_return_val_if_fail (filter != NULL && out_text != NULL && start != NULL && end != NULL,
                        FALSE);

  *out_text = NULL;
  filter->port = -1;
  filter->text = NULL;
  words = g_strsplit_set (search != NULL ? search : "", " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gint64 s, e;
      guint port;

      if (*words[i] == '\0')
        continue;
      if (filter->port < 0 && is_port (words[i], &port))
        filter->port = (int) port;
      else if (!timed && porthole_when_parse_range (words[i], now, NULL, &s, &e, NULL))
        {
          timed = TRUE;
          *start = s;
          /* "7d": from then until now; "yesterday": that day */
          *end = e > s ? e : now;
        }
      else
        {
          if (text->len > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, words[i]);
        }
    }
  if (text->len > 0)
    {
      *out_text = g_string_free (g_steal_pointer (&text), FALSE);
      filter->text = *out_text;
    }
  return timed;
}
