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

struct _PortholeTrafficPass {
  GHashTable *now_moving;   /* PortholeSocket (ref) with a rate after this refresh */
  GHashTable *served;       /* listener -> Served */
  GPtrArray  *changed;      /* PortholeSocket (ref) for traffic-changed */
  gint64      since;
  gint64      now;
};

static void
update (PortholeSocketMonitor *self, PortholeTrafficPass *pass, PortholeCounterUpdate *u)
{
  guint64 sent = porthole_socket_get_bytes_sent (u->item);
  guint64 received = porthole_socket_get_bytes_received (u->item);

  porthole_socket_update_counters (u->item, &u->row, pass->since ? pass->since : pass->now, pass->now);
  if (!porthole_socket_is_listening (u->item))
    {
      guint64 sent_now = porthole_socket_get_bytes_sent (u->item);
      guint64 received_now = porthole_socket_get_bytes_received (u->item);

      serve (pass->served, porthole_monitor_listener_serving (self, u->item),
             sent_now > sent ? sent_now - sent : 0, received_now > received ? received_now - received : 0);
    }
  moved (self, pass->now_moving, pass->changed, u->item);
}

PortholeTrafficPass *
porthole_monitor_traffic_begin (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd)
{
  PortholeTrafficPass *pass;
  gint64 since = self->sampled_at;

  self->sampled_at = rd->sampled_at;
  if ((rd->updated == NULL || rd->updated->len == 0) && (rd->finals == NULL || rd->finals->len == 0) &&
      g_hash_table_size (self->moving) == 0 && (rd->first || rd->added->len == 0) &&
      (rd->flashed == NULL || rd->flashed->len == 0) && (rd->summaries == NULL || rd->summaries->len == 0))
    return NULL;   /* nothing moved, nothing was moving */

  pass = g_new0 (PortholeTrafficPass, 1);
  pass->now_moving = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  pass->served = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  pass->changed = g_ptr_array_new_with_free_func (g_object_unref);
  pass->since = since;
  pass->now = rd->sampled_at;

  /* Before the change list: the connections that closed get their last counters while they
   * are still live, so whoever adds up sees them before "socket-closed" */
  for (guint i = 0; rd->finals && i < rd->finals->len; i++)
    update (self, pass, &g_array_index (rd->finals, PortholeCounterUpdate, i));
  for (guint i = 0; rd->updated && i < rd->updated->len; i++)
    update (self, pass, &g_array_index (rd->updated, PortholeCounterUpdate, i));
  return pass;
}

/* A connection seen for the first time moved its counts since it began: after the first
 * refresh that is within the span since the last one */
static void
start (PortholeSocketMonitor *self, PortholeTrafficPass *pass, PortholeMonitorRefresh *rd, PortholeSocket *s)
{
  guint64 sent, received;

  if (porthole_socket_is_listening (s) || !porthole_socket_has_traffic (s))
    return;
  sent = porthole_socket_get_bytes_sent (s);
  received = porthole_socket_get_bytes_received (s);
  if (sent == 0 && received == 0)
    return;
  serve (pass->served, porthole_monitor_listener_serving (self, s), sent, received);
  if (rd->first || pass->since == 0)
    return;
  porthole_socket_start_counters (s, pass->since, pass->now);
  moved (self, pass->now_moving, pass->changed, s);
}

void
porthole_monitor_traffic_end (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd, PortholeTrafficPass *pass)
{
  GHashTableIter iter;
  gpointer key, value;

  if (pass == NULL)
    return;
  for (guint i = 0; i < rd->added->len; i++)
    start (self, pass, rd, g_ptr_array_index (rd->added, i));
  for (guint i = 0; rd->flashed && i < rd->flashed->len; i++)
    start (self, pass, rd, g_ptr_array_index (rd->flashed, i));
  /* closes past the destroy watch's rows: only their sums, per local endpoint */
  for (guint i = 0; rd->summaries && i < rd->summaries->len; i++)
    {
      const PortholeDestroySummary *sum = &g_array_index (rd->summaries, PortholeDestroySummary, i);

      serve (pass->served, porthole_monitor_listener_at (self, sum->protocol, sum->local_port, sum->netns),
             sum->payload_sent, sum->payload_received);
    }

  g_hash_table_iter_init (&iter, pass->served);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Served *s = value;

      porthole_socket_add_served (key, s->sent, s->received, rd->first || pass->since == 0 ? pass->now : pass->since, pass->now);
      moved (self, pass->now_moving, pass->changed, key);
    }

  /* What was moving and did not this time drops to 0, once */
  g_hash_table_iter_init (&iter, self->moving);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (pass->now_moving, key) && porthole_socket_settle (key))
      g_ptr_array_add (pass->changed, g_object_ref (key));

  g_hash_table_unref (self->moving);
  self->moving = g_steal_pointer (&pass->now_moving);
  if (pass->changed->len > 0)
    g_signal_emit (self, porthole_socket_monitor_signals[TRAFFIC_CHANGED], 0, pass->changed);
  g_hash_table_unref (pass->served);
  g_ptr_array_unref (pass->changed);
  g_free (pass);
}
