/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-ssh-config.h"

#include "porthole-ssh-destination.h"

#include <string.h>

/* Lines longer than this are not ssh's (it stops at 1 KiB... and then some); skipped */
#define MAX_LINE 4096

/* The next whitespace-separated token (one '=' may come first, after the keyword) of @line from *@pos, with
 * ssh's double quotes taken off; NULL at the end or at a comment */
static char *
next_token (const char *line, gsize len, gsize *pos, gboolean after_keyword)
{
  GString *token;
  gsize i = *pos;

  while (i < len && (g_ascii_isspace (line[i]) || (after_keyword && line[i] == '=')))
    {
      if (line[i] == '=')
        after_keyword = FALSE;   /* one '=' at the most */
      i++;
    }
  if (i >= len || line[i] == '#')
    {
      *pos = len;
      return NULL;
    }
  token = g_string_new (NULL);
  if (line[i] == '"')
    {
      i++;
      while (i < len && line[i] != '"')
        g_string_append_c (token, line[i++]);
      if (i < len)
        i++;
    }
  else
    while (i < len && !g_ascii_isspace (line[i]))
      g_string_append_c (token, line[i++]);
  *pos = i;
  return g_string_free (token, FALSE);
}

static gboolean
wanted (const char *pattern)
{
  g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };

  if (*pattern == '\0' || strpbrk (pattern, "*?!") != NULL)
    return FALSE;
  return porthole_ssh_destination_parse (pattern, &dest, NULL);
}

char **
porthole_ssh_config_hosts (const char *text, gsize len)
{
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gsize start = 0;

  while (start < len && hosts->len < PORTHOLE_SSH_CONFIG_MAX_HOSTS)
    {
      const char *nl = memchr (text + start, '\n', len - start);
      gsize end = nl ? (gsize) (nl - text) : len;
      const char *line = text + start;
      gsize line_len = end - start;
      gsize pos = 0;
      g_autofree char *keyword = NULL;

      start = end + 1;
      if (line_len > MAX_LINE || memchr (line, '\0', line_len) != NULL)
        continue;
      /* the keyword ends at whitespace or '=' */
      while (pos < line_len && g_ascii_isspace (line[pos]))
        pos++;
      {
        gsize k = pos;

        while (k < line_len && !g_ascii_isspace (line[k]) && line[k] != '=')
          k++;
        keyword = g_strndup (line + pos, k - pos);
        pos = k;
      }
      if (g_ascii_strcasecmp (keyword, "Host") != 0)
        continue;
      for (gboolean first = TRUE;; first = FALSE)
        {
          g_autofree char *pattern = next_token (line, line_len, &pos, first);

          if (pattern == NULL)
            break;
          if (!wanted (pattern) || g_hash_table_contains (seen, pattern))
            continue;
          if (hosts->len >= PORTHOLE_SSH_CONFIG_MAX_HOSTS)
            break;
          g_hash_table_add (seen, pattern);
          g_ptr_array_add (hosts, g_steal_pointer (&pattern));
        }
    }
  g_ptr_array_add (hosts, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&hosts), FALSE);
}
