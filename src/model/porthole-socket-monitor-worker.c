/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* The worker half of a refresh: dump the kernel tables, diff them against the keys of the
 * previous snapshot, and build items (with their processes) only for rows not seen before. */

#include "porthole-socket-monitor-private.h"

#include "porthole-escape.h"
#include "porthole-netns.h"
#include "porthole-procmap.h"
#include "porthole-services.h"
#include "porthole-users.h"

#if HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include <glib/gi18n.h>
#include <unistd.h>

void
porthole_monitor_refresh_free (gpointer data)
{
  PortholeMonitorRefresh *rd = data;

  g_free (rd->proc_root);
  g_clear_pointer (&rd->live, g_hash_table_unref);
  g_clear_pointer (&rd->added, g_ptr_array_unref);
  g_clear_pointer (&rd->removed, g_ptr_array_unref);
  g_clear_pointer (&rd->api, g_ptr_array_unref);
  g_clear_pointer (&rd->published, g_hash_table_unref);
  g_clear_pointer (&rd->read_ns, g_hash_table_unref);
  g_clear_pointer (&rd->updated, g_array_unref);
  g_clear_pointer (&rd->finals, g_array_unref);
  g_clear_pointer (&rd->recent, g_ptr_array_unref);
  g_clear_pointer (&rd->flashed, g_ptr_array_unref);
  g_clear_pointer (&rd->summaries, g_array_unref);
  g_free (rd->host);
  g_clear_pointer (&rd->remote_owners, g_array_unref);
  g_free (rd->remote_notice);
  g_free (rd);
}

gboolean
porthole_monitor_owner_is_hidden (PortholeOwnerStatus status)
{
  return status == PORTHOLE_OWNER_OTHER_USER || status == PORTHOLE_OWNER_SANDBOXED ||
         status == PORTHOLE_OWNER_GONE;
}

const char *
porthole_monitor_pick_service (PortholeServices *services, const PortholeSockInfo *info, const PortholeSysctl *sysctl)
{
  const char *proto = info->protocol == IPPROTO_UDP ? "udp" : "tcp";
  const char *local = porthole_services_lookup (services, info->local_port, proto);

  if (porthole_sockinfo_is_listening (info))
    return local;
  /* A client's side is an ephemeral port; the service is what the other end offers */
  if (local == NULL || porthole_port_is_ephemeral (sysctl, info->local_port))
    {
      const char *remote = porthole_services_lookup (services, info->remote_port, proto);

      if (remote != NULL)
        return remote;
    }
  return local;
}

/* Builds PortholeSocket items for rows not seen before; processes are mapped only for them.
 * @ns_pids: namespace id -> a process inside it, for the containers of other namespaces. */
static void
make_items (PortholeMonitorRefresh *rd, GArray *rows, GArray *fresh, GHashTable *ns_pids)
{
  PortholeMonitorContainers *containers;
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) owners = NULL;
  g_autoptr(GHashTable) comms = NULL;   /* pid -> raw comm, from the fd walk */
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) users = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  PortholeServices *services = porthole_services_get_default ();
  gboolean sandboxed = porthole_proc_in_sandbox ();
  uid_t me = geteuid ();
  /* In a user namespace (a Flatpak sandbox) the kernel reports every unmapped owner as the
   * overflow uid; that number is not anybody's, so it is not shown as an owner */
  gint64 overflow_uid = sandboxed ? porthole_proc_read_overflow_uid (rd->proc_root) : -1;
  gint64 now = rd->first ? 0 : g_get_monotonic_time ();

  if (rd->host != NULL)   /* a remote host named the owners itself */
    {
      porthole_monitor_remote_make_items (rd, rows, fresh);
      return;
    }
  containers = porthole_monitor_containers_new (rd->proc_root);
  for (guint i = 0; i < fresh->len; i++)
    {
      PortholeSockInfo *info = &g_array_index (rows, PortholeSockInfo, g_array_index (fresh, guint, i));

      if (info->inode != 0)
        g_hash_table_add (wanted, &info->inode);
    }
  owners = porthole_procmap_find_owners_full (rd->proc_root, wanted, &comms, NULL);

  for (guint i = 0; i < fresh->len; i++)
    {
      const PortholeSockInfo *info = &g_array_index (rows, PortholeSockInfo, g_array_index (fresh, guint, i));
      PortholeSocketOwner owner = { 0, NULL, PORTHOLE_OWNER_GONE };
      gpointer pid_ptr = NULL;
      const char *user;

      if (info->inode == 0)
        owner.status = PORTHOLE_OWNER_NO_PROCESS;
      else if (owners && g_hash_table_lookup_extended (owners, &info->inode, NULL, &pid_ptr))
        {
          owner.pid = GPOINTER_TO_INT (pid_ptr);
          owner.status = PORTHOLE_OWNER_KNOWN;
          owner.process = g_hash_table_lookup (names, pid_ptr);
          if (owner.process == NULL)
            {
              /* not re-read by pid here: that pid may already belong to another process */
              const char *raw = g_hash_table_lookup (comms, pid_ptr);

              owner.process = raw ? porthole_escape_text (raw, -1, FALSE) : g_strdup ("?");
              g_hash_table_insert (names, pid_ptr, owner.process);
            }
        }
      else if (sandboxed)
        owner.status = PORTHOLE_OWNER_SANDBOXED;
      else if (me != 0 && info->uid != me)
        owner.status = PORTHOLE_OWNER_OTHER_USER;

      owner.uid_hidden = overflow_uid >= 0 && info->uid == (guint64) overflow_uid && info->uid != me;
      if (owner.uid_hidden)
        user = _("another user");
      else
        user = g_hash_table_lookup (users, GUINT_TO_POINTER (info->uid));
      if (user == NULL)
        {
          char *name = porthole_user_name (info->uid);

          g_hash_table_insert (users, GUINT_TO_POINTER (info->uid), name);
          user = name;
        }
      {
        PortholeSocket *item = porthole_socket_new (info, &owner, user, porthole_monitor_pick_service (services, info, &rd->sysctl), now);

        if (rd->all_namespaces)
          porthole_monitor_containers_assign (containers, item,
                                              info->netns ? GPOINTER_TO_INT (g_hash_table_lookup (ns_pids, &info->netns)) : 0);
        g_ptr_array_add (rd->added, item);
      }
    }
  porthole_monitor_containers_free (containers);
}

/* Between full reads, the connections of the namespaces in @kept (read for their listeners
 * only) are taken as the last refresh left them: one pass over the live rows for them all */
static void
keep_connections (PortholeMonitorRefresh *rd, GHashTable *kept, GArray *rows)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (kept) == 0)
    return;
  g_hash_table_iter_init (&iter, rd->live);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const PortholeSockInfo *info = key;

      if (info->netns != 0 && !porthole_sockinfo_is_listening (info) &&
          g_hash_table_contains (kept, &info->netns))
        g_array_append_vals (rows, info, 1);
    }
}

/* Every namespace's tables; a namespace that vanishes meanwhile is skipped. Fills @ns_pids
 * (namespace id -> a process inside) for the other namespaces. */
static gboolean
dump_all (PortholeMonitorRefresh *rd, GArray *rows, GHashTable *ns_pids, GError **error)
{
  g_autoptr(GArray) namespaces = porthole_netns_list (rd->proc_root, NULL);
  g_autoptr(GHashTable) known = g_steal_pointer (&rd->read_ns);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_int64_hash, g_int64_equal);

  /* the namespaces read in full from now on: those there now and read in full once */
  rd->read_ns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (namespaces == NULL)   /* no /proc view of namespaces: ours alone, as before */
    return porthole_socktable_dump (rd->proc_root, rd->flags, rd->force_proc, rows, &rd->source, error);
  if (rd->ns_watches != NULL)
    porthole_monitor_watch_namespaces (rd, namespaces);
  for (guint i = 0; i < namespaces->len; i++)
    {
      const PortholeNetns *ns = &g_array_index (namespaces, PortholeNetns, i);
      PortholeSource source = PORTHOLE_SOURCE_NETLINK;
      g_autoptr(GError) local = NULL;
      gboolean listeners_only = !ns->own && !rd->full && (rd->flags & PORTHOLE_DUMP_ALL_STATES) &&
                                known && g_hash_table_contains (known, &ns->id);
      PortholeDumpFlags flags = listeners_only ? rd->flags & ~PORTHOLE_DUMP_ALL_STATES : rd->flags;

      if (!porthole_netns_dump (rd->proc_root, ns, flags, rd->force_proc, rows, &source, &local))
        {
          if (ns->own)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          continue;
        }
      {
        guint64 *id = g_memdup2 (&ns->id, sizeof ns->id);

        g_hash_table_add (rd->read_ns, id);   /* owns it; kept borrows */
        if (listeners_only)
          g_hash_table_add (kept, id);
      }
      if (ns->own)
        rd->source = source;
      else
        {
          guint64 *id = g_new (guint64, 1);

          *id = ns->id;
          g_hash_table_insert (ns_pids, id, GINT_TO_POINTER (ns->pid));
        }
    }
  keep_connections (rd, kept, rows);
  return TRUE;
}

/* Every live item after this refresh: the old ones still there, and the new */
static GPtrArray *
live_items (PortholeMonitorRefresh *rd, GHashTable *seen)
{
  GPtrArray *items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    g_ptr_array_add (items, item);
  for (guint i = 0; i < rd->added->len; i++)
    g_ptr_array_add (items, g_ptr_array_index (rd->added, i));
  return items;
}

void
porthole_monitor_refresh_worker (GTask        *task,
                                 gpointer      source,
                                 gpointer      task_data,
                                 GCancellable *cancellable)
{
  PortholeMonitorRefresh *rd = task_data;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) fresh_keys = NULL;
  g_autoptr(GHashTable) ns_pids = NULL;
  GError *error = NULL;
  GHashTableIter iter;
  gpointer item;

  porthole_sysctl_read (NULL, &rd->sysctl);
  ns_pids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (rd->host != NULL ? !porthole_monitor_remote_dump (rd, rows, cancellable, &error)
      : rd->all_namespaces ? !dump_all (rd, rows, ns_pids, &error)
                           : !porthole_socktable_dump (rd->proc_root, rd->flags, rd->force_proc, rows, &rd->source, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  rd->sampled_at = g_get_monotonic_time ();
  if (g_task_return_error_if_cancelled (task))
    return;

  rd->updated = g_array_new (FALSE, FALSE, sizeof (PortholeCounterUpdate));
  g_array_set_clear_func (rd->updated, porthole_monitor_counter_update_clear);
  seen = g_hash_table_new (NULL, NULL);
  fresh_keys = g_hash_table_new (porthole_sockinfo_key_hash, porthole_sockinfo_key_equal);
  for (guint i = 0; i < rows->len; i++)
    {
      PortholeSockInfo *info = &g_array_index (rows, PortholeSockInfo, i);

      item = g_hash_table_lookup (rd->live, info);
      if (item != NULL)
        {
          /* the item's counters are not changed while a refresh is in flight */
          const PortholeSockInfo *was = porthole_socket_get_info (item);

          g_hash_table_add (seen, item);
          /* a listener's own counters say nothing (its traffic is its connections') */
          if ((info->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO) && !porthole_sockinfo_is_listening (info) &&
              porthole_sockinfo_counters_moved (was, info))
            {
              PortholeCounterUpdate update = { g_object_ref (item), *info };

              g_array_append_val (rd->updated, update);
            }
        }
      else if (g_hash_table_add (fresh_keys, info))   /* the kernel may list a row twice */
        g_array_append_val (fresh, i);
    }

  rd->removed = g_ptr_array_new_with_free_func (g_object_unref);
  rd->finals = g_array_new (FALSE, FALSE, sizeof (PortholeCounterUpdate));
  g_array_set_clear_func (rd->finals, porthole_monitor_counter_update_clear);
  rd->flashed = g_ptr_array_new_with_free_func (g_object_unref);
  if (g_hash_table_size (seen) != g_hash_table_size (rd->live))
    {
      g_hash_table_iter_init (&iter, rd->live);
      while (g_hash_table_iter_next (&iter, NULL, &item))
        if (!g_hash_table_contains (seen, item))
          g_ptr_array_add (rd->removed, g_object_ref (item));
    }

  rd->added = g_ptr_array_new_with_free_func (g_object_unref);
  if (fresh->len > 0)
    make_items (rd, rows, fresh, ns_pids);
  rd->has_containers = g_hash_table_size (ns_pids) > 0;
  for (guint i = 0; i < rd->added->len; i++)
    porthole_socket_set_counters_time (g_ptr_array_index (rd->added, i), rd->sampled_at);
  if (rd->destroy != NULL && !rd->first)
    porthole_monitor_take_closes (rd);
  else if (rd->destroy != NULL)   /* what closed before the first table is not news */
    porthole_destroy_batch_free (porthole_destroy_watch_take (rd->destroy));
  if (rd->all_namespaces && rd->host == NULL)
    {
      g_autoptr(GPtrArray) items = live_items (rd, seen);

      porthole_monitor_published_join (rd, items);
    }

  g_task_return_boolean (task, TRUE);
#if HAVE_MALLOC_TRIM
  /* A dump of tens of thousands of rows leaves megabytes of freed scratch (netlink buffers,
   * the row array, the hash sets) in this thread's malloc arena, resident for good unless
   * handed back. Small tables are not worth the walk over the heap. */
  if (rows->len >= PORTHOLE_SOCKET_MONITOR_TRIM_MIN_ROWS)
    {
      g_clear_pointer (&rows, g_array_unref);
      g_clear_pointer (&fresh, g_array_unref);
      g_clear_pointer (&seen, g_hash_table_unref);
      g_clear_pointer (&fresh_keys, g_hash_table_unref);
      malloc_trim (0);
    }
#endif
}
