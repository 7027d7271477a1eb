/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* Traffic, on the main thread: the worker found which live rows' counters moved; here they are
 * copied into their items (one notify::rate each, no items-changed: a row that only moved data
 * is the same row), the rates of the span since the last dump are worked out, each listener
 * adds up what went through the connections it accepted, and sockets that stopped moving drop
 * to 0 once. A refresh in which nothing moved and nothing was moving does nothing at all. */

#include "porthole-socket-monitor-private.h"

void
porthole_monitor_counter_update_clear (gpointer data)
{
  PortholeCounterUpdate *update = data;

  g_clear_object (&update->item);
}

typedef struct {
  guint64 sent;
  guint64 received;
} Served;

static void
serve (GHashTable *served, PortholeSocket *listener, guint64 sent, guint64 received)
{
  Served *s;

  if (listener == NULL || (sent == 0 && received == 0))
    return;
  s = g_hash_table_lookup (served, listener);
  if (s == NULL)
    {
      s = g_new0 (Served, 1);
      g_hash_table_insert (served, listener, s);
    }
  s->sent += sent;
  s->received += received;
}

static void
moved (PortholeSocketMonitor *self, GHashTable *now_moving, GPtrArray *changed, PortholeSocket *socket)
{
  if (g_hash_table_contains (now_moving, socket))
    return;
  g_ptr_array_add (changed, g_object_ref (socket));
  if (porthole_socket_get_rate (socket) > 0)
    g_hash_table_add (now_moving, g_object_ref (socket));
}

void
porthole_monitor_traffic_apply (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd)
{
  g_autoptr(GHashTable) now_moving = NULL;
  g_autoptr(GHashTable) served = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  gint64 since = self->sampled_at;
  gint64 now = rd->sampled_at;
  GHashTableIter iter;
  gpointer key, value;

  self->sampled_at = now;
  if ((rd->updated == NULL || rd->updated->len == 0) && g_hash_table_size (self->moving) == 0 &&
      (rd->first || rd->added->len == 0))
    return;

  now_moving = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  served = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  changed = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; rd->updated && i < rd->updated->len; i++)
    {
      PortholeCounterUpdate *u = &g_array_index (rd->updated, PortholeCounterUpdate, i);
      guint64 sent = porthole_socket_get_bytes_sent (u->item);
      guint64 received = porthole_socket_get_bytes_received (u->item);

      if (porthole_socket_get_closed (u->item))
        continue;
      porthole_socket_update_counters (u->item, &u->row, since ? since : now, now);
      if (!porthole_socket_is_listening (u->item))
        serve (served, porthole_monitor_listener_serving (self, u->item),
               porthole_socket_get_bytes_sent (u->item) - MIN (sent, porthole_socket_get_bytes_sent (u->item)),
               porthole_socket_get_bytes_received (u->item) - MIN (received, porthole_socket_get_bytes_received (u->item)));
      moved (self, now_moving, changed, u->item);
    }

  /* A connection seen for the first time moved its counts since it began: after the first
   * refresh that is within the span since the last one */
  for (guint i = 0; i < rd->added->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rd->added, i);
      guint64 sent, received;

      if (porthole_socket_is_listening (s) || !porthole_socket_has_traffic (s))
        continue;
      sent = porthole_socket_get_bytes_sent (s);
      received = porthole_socket_get_bytes_received (s);
      if (sent == 0 && received == 0)
        continue;
      serve (served, porthole_monitor_listener_serving (self, s), sent, received);
      if (rd->first || since == 0)
        continue;
      porthole_socket_start_counters (s, since, now);
      moved (self, now_moving, changed, s);
    }

  g_hash_table_iter_init (&iter, served);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Served *s = value;

      porthole_socket_add_served (key, s->sent, s->received, rd->first || since == 0 ? now : since, now);
      moved (self, now_moving, changed, key);
    }

  /* What was moving and did not this time drops to 0, once */
  g_hash_table_iter_init (&iter, self->moving);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (now_moving, key) && porthole_socket_settle (key))
      g_ptr_array_add (changed, g_object_ref (key));

  g_hash_table_unref (self->moving);
  self->moving = g_steal_pointer (&now_moving);
  if (changed->len > 0)
    g_signal_emit (self, porthole_socket_monitor_signals[TRAFFIC_CHANGED], 0, changed);
}
