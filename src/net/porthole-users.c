/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-users.h"
#include "porthole-escape.h"

#include <pwd.h>
#include <unistd.h>

G_LOCK_DEFINE_STATIC (users);
static GHashTable *users_cache;

static char *
lookup_name (guint32 uid)
{
  struct passwd pw, *result = NULL;
  long size = sysconf (_SC_GETPW_R_SIZE_MAX);
  g_autofree char *buf = NULL;

  if (size <= 0)
    size = 16384;
  buf = g_malloc ((gsize) size);
  if (getpwuid_r ((uid_t) uid, &pw, buf, (gsize) size, &result) == 0 && result != NULL)
    return porthole_escape_text (result->pw_name, -1, FALSE);
  return g_strdup_printf ("%u", uid);
}

char *
porthole_user_name (guint32 uid)
{
  const char *cached;
  char *name;

  G_LOCK (users);
  if (users_cache == NULL)
    users_cache = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  cached = g_hash_table_lookup (users_cache, GUINT_TO_POINTER (uid));
  if (cached != NULL)
    {
      name = g_strdup (cached);
      G_UNLOCK (users);
      return name;
    }
  G_UNLOCK (users);

  /* NSS may be slow (LDAP); look up without holding the lock */
  name = lookup_name (uid);
  G_LOCK (users);
  g_hash_table_replace (users_cache, GUINT_TO_POINTER (uid), g_strdup (name));
  G_UNLOCK (users);
  return name;
}
