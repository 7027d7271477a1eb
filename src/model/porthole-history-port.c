/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-history-port.h"

#include "porthole-escape.h"

#define MAX_OTHERS 5

PortholeHistoryPort *
porthole_history_port_new (GPtrArray *rows, const char *current)
{
  PortholeHistoryPort *self = g_new0 (PortholeHistoryPort, 1);
  g_autoptr(GStrvBuilder) others = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean open = FALSE;

  self->n_rows = rows->len;
  /* rows come oldest first: walk back for the newest others */
  for (guint i = rows->len; i > 0; i--)
    {
      PortholeJournalListener *l = g_ptr_array_index (rows, i - 1);
      g_autofree char *name = NULL;

      if (self->first_seen == 0 || l->opened < self->first_seen)
        self->first_seen = l->opened;
      if (l->closed == 0)
        open = TRUE;
      else if (l->closed > self->last_seen)
        self->last_seen = l->closed;
      if (l->process == NULL)
        continue;
      name = porthole_escape_text (l->process, -1, FALSE);
      if (g_strcmp0 (name, current) == 0 || g_hash_table_contains (seen, name) ||
          g_hash_table_size (seen) >= MAX_OTHERS)
        continue;
      g_strv_builder_add (others, name);
      g_hash_table_add (seen, g_steal_pointer (&name));
    }
  if (open)
    self->last_seen = 0;
  self->others = g_strv_builder_end (others);
  return self;
}

void
porthole_history_port_free (PortholeHistoryPort *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->others);
  g_free (self);
}
