/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* The closes the kernel told of between two dumps (porthole-destroy-watch.h), joined to the
 * table in the worker. A destroy event carries the 4-tuple and the final counters, not the
 * inode or the owner: a connection the last table had is found by its 4-tuple and gets its
 * last counts; one that a client closed first also left a TIME_WAIT row, which takes them; one
 * that opened and closed in between becomes a row of its own, opened and closed at once,
 * owned by the listener that accepted it when there is one. */

#include "porthole-socket-monitor-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* The 4-tuple and namespace, without the state or inode that the key also holds */
static guint
tuple_hash (gconstpointer data)
{
  const PortholeSockInfo *info = data;
  guint h = info->protocol ^ (info->family << 8) ^ ((guint) info->local_port << 16) ^ info->remote_port;

  for (guint i = 0; i < 16; i += 4)
    {
      guint32 a, b;

      memcpy (&a, info->local_addr + i, 4);
      memcpy (&b, info->remote_addr + i, 4);
      h = h * 31 + a;
      h = h * 31 + b;
    }
  return h ^ (guint) info->netns ^ (guint) (info->netns >> 32);
}

static gboolean
tuple_equal (gconstpointer a, gconstpointer b)
{
  const PortholeSockInfo *x = a, *y = b;

  return x->protocol == y->protocol && x->family == y->family && x->local_port == y->local_port &&
         x->remote_port == y->remote_port && x->netns == y->netns &&
         memcmp (x->local_addr, y->local_addr, 16) == 0 && memcmp (x->remote_addr, y->remote_addr, 16) == 0;
}

static GHashTable *
index_tcp (GPtrArray *items, gboolean time_wait_only)
{
  GHashTable *index = g_hash_table_new (tuple_hash, tuple_equal);

  for (guint i = 0; i < items->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (items, i);
      const PortholeSockInfo *info = porthole_socket_get_info (s);

      if (info->protocol != IPPROTO_TCP || porthole_sockinfo_is_listening (info) ||
          (time_wait_only && info->state != PORTHOLE_TCP_TIME_WAIT))
        continue;
      g_hash_table_insert (index, (gpointer) info, s);
    }
  return index;
}

/* (netns, port) -> a live TCP listener, from the table before this refresh and the new rows */
static GHashTable *
index_listeners (PortholeMonitorRefresh *rd)
{
  GHashTable *index = g_hash_table_new (tuple_hash, tuple_equal);
  GHashTableIter iter;
  gpointer key, item;

  g_hash_table_iter_init (&iter, rd->live);
  while (g_hash_table_iter_next (&iter, &key, &item))
    {
      const PortholeSockInfo *info = key;

      if (info->protocol == IPPROTO_TCP && porthole_sockinfo_is_listening (info))
        g_hash_table_insert (index, (gpointer) info, item);
    }
  for (guint i = 0; i < rd->added->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rd->added, i);
      const PortholeSockInfo *info = porthole_socket_get_info (s);

      if (info->protocol == IPPROTO_TCP && porthole_sockinfo_is_listening (info))
        g_hash_table_insert (index, (gpointer) info, s);
    }
  return index;
}

/* The listener that accepted @row: bound to its address, else a wildcard one */
static PortholeSocket *
find_listener (GHashTable *listeners, const PortholeSockInfo *row)
{
  PortholeSockInfo probe = { 0 };
  PortholeSocket *l;

  probe.protocol = IPPROTO_TCP;
  probe.family = row->family;
  probe.local_port = row->local_port;
  probe.netns = row->netns;
  memcpy (probe.local_addr, row->local_addr, 16);
  if ((l = g_hash_table_lookup (listeners, &probe)) != NULL)
    return l;
  memset (probe.local_addr, 0, 16);
  if ((l = g_hash_table_lookup (listeners, &probe)) != NULL)
    return l;
  probe.family = AF_INET6;   /* a dual-stack [::] listener takes IPv4 too */
  l = g_hash_table_lookup (listeners, &probe);
  if (l && row->family == AF_INET && (porthole_socket_get_info (l)->flags & PORTHOLE_SOCKINFO_V6ONLY))
    l = NULL;
  return l;
}

static PortholeSocket *
flash_item (PortholeMonitorRefresh *rd, GHashTable **listeners, const PortholeSockInfo *row)
{
  PortholeSocketOwner owner = { 0, NULL, PORTHOLE_OWNER_UNSEEN, TRUE };
  PortholeSocket *listener;
  const char *user = _("unknown");

  if (*listeners == NULL)
    *listeners = index_listeners (rd);
  listener = find_listener (*listeners, row);
  if (listener != NULL)
    {
      /* an accepted connection belongs to whoever holds the listener */
      owner.pid = porthole_socket_get_pid (listener);
      owner.process = (char *) porthole_socket_get_process (listener);
      owner.status = porthole_socket_get_owner_status (listener);
      owner.uid_hidden = porthole_socket_get_uid_hidden (listener);
      user = porthole_socket_get_user (listener);
    }
  {
    PortholeSockInfo info = *row;
    PortholeSocket *item;

    info.inode = 0;
    if (listener != NULL)
      info.uid = porthole_socket_get_info (listener)->uid;
    item = porthole_socket_new (&info, &owner, user,
                                porthole_monitor_pick_service (porthole_services_get_default (), &info, &rd->sysctl),
                                g_get_monotonic_time ());
    porthole_socket_set_counters_time (item, rd->sampled_at);
    return item;
  }
}

static void
free_watch (gpointer watch)
{
  porthole_destroy_watch_free (watch);
}

GHashTable *
porthole_monitor_ns_watches_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, free_watch);
}

void
porthole_monitor_watch_namespaces (PortholeMonitorRefresh *rd, GArray *namespaces)
{
  g_autoptr(GHashTable) there = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTableIter iter;
  gpointer id;

  for (guint i = 0; i < namespaces->len; i++)
    {
      const PortholeNetns *ns = &g_array_index (namespaces, PortholeNetns, i);

      if (ns->own || !ns->enterable)
        continue;
      g_hash_table_add (there, (gpointer) &ns->id);
      if (g_hash_table_contains (rd->ns_watches, &ns->id) ||
          g_hash_table_size (rd->ns_watches) >= PORTHOLE_SOCKET_MONITOR_MAX_NS_WATCHES)
        continue;
      /* NULL is kept too: a namespace that refused is not asked again */
      g_hash_table_insert (rd->ns_watches, g_memdup2 (&ns->id, sizeof ns->id),
                           porthole_destroy_watch_new_in_netns (rd->proc_root, ns, NULL));
    }
  g_hash_table_iter_init (&iter, rd->ns_watches);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (there, id))
      g_hash_table_iter_remove (&iter);
}

static void join_batch (PortholeMonitorRefresh *rd, PortholeDestroyBatch *batch);

void
porthole_monitor_take_closes (PortholeMonitorRefresh *rd)
{
  GHashTableIter iter;
  gpointer watch;

  join_batch (rd, porthole_destroy_watch_take (rd->destroy));
  if (rd->ns_watches == NULL)
    return;
  g_hash_table_iter_init (&iter, rd->ns_watches);
  while (g_hash_table_iter_next (&iter, NULL, &watch))
    if (watch != NULL)
      join_batch (rd, porthole_destroy_watch_take (watch));
}

/* Takes @batch */
static void
join_batch (PortholeMonitorRefresh *rd, PortholeDestroyBatch *batch_)
{
  g_autoptr(PortholeDestroyBatch) batch = batch_;
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(GHashTable) time_wait = NULL;
  g_autoptr(GHashTable) listeners = NULL;

  if (batch->summaries->len > 0 && rd->summaries == NULL)
    rd->summaries = g_array_ref (batch->summaries);
  else if (batch->summaries->len > 0)
    g_array_append_vals (rd->summaries, batch->summaries->data, batch->summaries->len);
  if (batch->rows->len == 0)
    return;
  removed = index_tcp (rd->removed, FALSE);
  /* a close the last dump missed whose event came late: the row is closed already */
  for (guint i = 0; rd->recent && i < rd->recent->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rd->recent, i);
      const PortholeSockInfo *info = porthole_socket_get_info (s);

      if (info->protocol == IPPROTO_TCP && !porthole_sockinfo_is_listening (info) &&
          !g_hash_table_contains (removed, info))
        g_hash_table_insert (removed, (gpointer) info, s);
    }
  time_wait = index_tcp (rd->added, TRUE);
  for (guint i = 0; i < batch->rows->len; i++)
    {
      const PortholeSockInfo *row = &g_array_index (batch->rows, PortholeSockInfo, i);
      PortholeSocket *item;

      if (porthole_sockinfo_is_listening (row) || row->remote_port == 0 || !(row->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO))
        continue;   /* a listener closing, or a socket that never connected */
      if ((item = g_hash_table_lookup (removed, row)) != NULL)
        {
          PortholeCounterUpdate update = { g_object_ref (item), *row };

          g_array_append_val (rd->finals, update);
        }
      else if ((item = g_hash_table_lookup (time_wait, row)) != NULL)
        porthole_socket_take_final_counters (item, row);
      else
        g_ptr_array_add (rd->flashed, flash_item (rd, &listeners, row));
    }
}
