/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-services.h"

#include <string.h>

struct _PortholeServices {
  GPtrArray  *entries;    /* PortholeServiceEntry, file order */
  GHashTable *by_port;    /* port -> GPtrArray of entries (not owning) */
  GHashTable *by_name;    /* lower-case name or alias -> entry */
};

static void
entry_free (gpointer data)
{
  PortholeServiceEntry *entry = data;

  g_free (entry->name);
  g_free (entry->protocol);
  g_strfreev (entry->aliases);
  g_free (entry);
}

/* A service or protocol name: printable ASCII without spaces, as in netbase's file. Anything
 * else in the file is ignored rather than shown. */
static gboolean
is_token (const char *s)
{
  if (*s == '\0' || strlen (s) > 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isgraph (*s))
      return FALSE;
  return TRUE;
}

static PortholeServiceEntry *
parse_line (char *line)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(GPtrArray) aliases = NULL;
  PortholeServiceEntry *entry;
  char *hash, *slash;
  guint64 port;
  guint n;

  hash = strchr (line, '#');
  if (hash)
    *hash = '\0';
  /* A file written on Windows ends its lines with \r\n */
  fields = g_strsplit_set (line, " \t\r", -1);
  /* Drop empty fields from repeated separators */
  n = 0;
  for (guint i = 0; fields[i]; i++)
    {
      if (fields[i][0] != '\0')
        fields[n++] = fields[i];
      else
        g_free (fields[i]);
    }
  fields[n] = NULL;
  if (n < 2 || !is_token (fields[0]))
    return NULL;

  slash = strchr (fields[1], '/');
  if (slash == NULL || !is_token (slash + 1))
    return NULL;
  *slash = '\0';
  if (!g_ascii_string_to_unsigned (fields[1], 10, 0, 65535, &port, NULL))
    return NULL;

  aliases = g_ptr_array_new ();
  for (guint i = 2; i < n; i++)
    if (is_token (fields[i]))
      g_ptr_array_add (aliases, g_strdup (fields[i]));
  g_ptr_array_add (aliases, NULL);

  entry = g_new0 (PortholeServiceEntry, 1);
  entry->name = g_strdup (fields[0]);
  entry->protocol = g_ascii_strdown (slash + 1, -1);
  entry->port = (guint16) port;
  entry->aliases = (char **) g_ptr_array_free (g_steal_pointer (&aliases), FALSE);
  return entry;
}

static void
index_name (PortholeServices *self, const char *name, PortholeServiceEntry *entry)
{
  char *key = g_ascii_strdown (name, -1);

  if (g_hash_table_contains (self->by_name, key))
    g_free (key);
  else
    g_hash_table_insert (self->by_name, key, entry);
}

PortholeServices *
porthole_services_new_from_data (const char *data, gsize len)
{
  PortholeServices *self = g_new0 (PortholeServices, 1);
  const char *p = data, *end = data + len;

  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->by_port = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (p != NULL && p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      g_autofree char *line = g_strndup (p, line_end - p);  /* stops at an embedded NUL */
      PortholeServiceEntry *entry = parse_line (line);

      p = nl ? nl + 1 : NULL;
      if (entry == NULL)
        continue;

      {
        GPtrArray *list = g_hash_table_lookup (self->by_port, GUINT_TO_POINTER (entry->port));

        if (list == NULL)
          {
            list = g_ptr_array_new ();
            g_hash_table_insert (self->by_port, GUINT_TO_POINTER (entry->port), list);
          }
        g_ptr_array_add (list, entry);
      }
      g_ptr_array_add (self->entries, entry);
      index_name (self, entry->name, entry);
      for (guint i = 0; entry->aliases[i]; i++)
        index_name (self, entry->aliases[i], entry);
    }
  return self;
}

PortholeServices *
porthole_services_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  return porthole_services_new_from_data (contents, len);
}

PortholeServices *
porthole_services_get_default (void)
{
  static PortholeServices *services;

  if (g_once_init_enter (&services))
    {
      PortholeServices *loaded = porthole_services_new_from_file ("/etc/services", NULL);

      if (loaded == NULL)
        loaded = porthole_services_new_from_data ("", 0);
      g_once_init_leave (&services, loaded);
    }
  return services;
}

void
porthole_services_free (PortholeServices *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_port);
  g_ptr_array_unref (self->entries);
  g_free (self);
}

guint
porthole_services_get_n_entries (PortholeServices *self)
{
  return self->entries->len;
}

GPtrArray *
porthole_services_lookup_all (PortholeServices *self, guint16 port)
{
  return g_hash_table_lookup (self->by_port, GUINT_TO_POINTER (port));
}

const char *
porthole_services_lookup (PortholeServices *self, guint16 port, const char *protocol)
{
  GPtrArray *list = porthole_services_lookup_all (self, port);

  if (list == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    {
      PortholeServiceEntry *entry = g_ptr_array_index (list, i);

      if (protocol == NULL || g_ascii_strcasecmp (entry->protocol, protocol) == 0)
        return entry->name;
    }
  return NULL;
}

const PortholeServiceEntry *
porthole_services_find_name (PortholeServices *self, const char *name)
{
  g_autofree char *key = NULL;

  if (name == NULL)
    return NULL;
  key = g_ascii_strdown (name, -1);
  g_strstrip (key);
  return g_hash_table_lookup (self->by_name, key);
}
