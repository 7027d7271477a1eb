/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-socket-monitor.h"
#include "porthole-socket-private.h"

#include "porthole-procmap.h"
#include "porthole-services.h"
#include "porthole-escape.h"
#include "porthole-users.h"

#include <string.h>
#if HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include <glib/gi18n.h>
#include <unistd.h>

struct _PortholeSocketMonitor {
  GObject            parent_instance;

  GPtrArray         *items;        /* PortholeSocket, in model order */
  GHashTable        *live;         /* PortholeSockInfo* inside the item -> item, not closed */

  char              *proc_root;
  gboolean           force_proc;
  PortholeDumpFlags  flags;
  guint              refresh_interval;
  guint              linger;
  gboolean           paused;
  gboolean           loaded;
  PortholeSource     source;
  char              *error;
  guint              hidden_owners;
  PortholeSysctl     sysctl;

  guint              timer_id;
  guint              linger_id;
  GCancellable      *cancellable;
  gboolean           in_flight;
  gboolean           again;
  GPtrArray         *pending_waiters;  /* GTask: want a refresh that starts after they asked */
  GPtrArray         *active_waiters;   /* GTask: served by the refresh in flight */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PortholeSocketMonitor, porthole_socket_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_REFRESH_INTERVAL,
  PROP_PAUSED,
  PROP_LINGER,
  PROP_FLAGS,
  PROP_PROC_ROOT,
  PROP_FORCE_PROC,
  PROP_SOURCE,
  PROP_ERROR,
  PROP_HIDDEN_OWNERS,
  PROP_LOADED,
  PROP_SYSCTL,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  SOCKET_OPENED,
  SOCKET_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Refreshes of at least this many rows trim the malloc arenas afterwards */
#define TRIM_MIN_ROWS 4096

/* ---- the worker ------------------------------------------------------------------------- */

typedef struct {
  /* in */
  char              *proc_root;
  gboolean           force_proc;
  PortholeDumpFlags  flags;
  GHashTable        *live;       /* read-only while the worker runs */
  gboolean           first;
  /* out */
  GPtrArray         *added;      /* new PortholeSocket */
  GPtrArray         *removed;    /* PortholeSocket from @live that are gone */
  PortholeSource     source;
  PortholeSysctl     sysctl;
} RefreshData;

static void
refresh_data_free (gpointer data)
{
  RefreshData *rd = data;

  g_free (rd->proc_root);
  g_clear_pointer (&rd->live, g_hash_table_unref);
  g_clear_pointer (&rd->added, g_ptr_array_unref);
  g_clear_pointer (&rd->removed, g_ptr_array_unref);
  g_free (rd);
}

static gboolean
owner_is_hidden (PortholeOwnerStatus status)
{
  return status == PORTHOLE_OWNER_OTHER_USER || status == PORTHOLE_OWNER_SANDBOXED ||
         status == PORTHOLE_OWNER_GONE;
}

static const char *
pick_service (PortholeServices *services, const PortholeSockInfo *info, const PortholeSysctl *sysctl)
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

/* Builds PortholeSocket items for rows not seen before; processes are mapped only for them. */
static void
make_items (RefreshData *rd, GArray *rows, GArray *fresh)
{
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
      g_ptr_array_add (rd->added,
                       porthole_socket_new (info, &owner, user,
                                            pick_service (services, info, &rd->sysctl), now));
    }
}

static void
refresh_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RefreshData *rd = task_data;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) fresh_keys = NULL;
  GError *error = NULL;
  GHashTableIter iter;
  gpointer item;

  porthole_sysctl_read (NULL, &rd->sysctl);
  if (!porthole_socktable_dump (rd->proc_root, rd->flags, rd->force_proc, rows, &rd->source, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  seen = g_hash_table_new (NULL, NULL);
  fresh_keys = g_hash_table_new (porthole_sockinfo_key_hash, porthole_sockinfo_key_equal);
  for (guint i = 0; i < rows->len; i++)
    {
      PortholeSockInfo *info = &g_array_index (rows, PortholeSockInfo, i);

      item = g_hash_table_lookup (rd->live, info);
      if (item != NULL)
        g_hash_table_add (seen, item);
      else if (g_hash_table_add (fresh_keys, info))   /* the kernel may list a row twice */
        g_array_append_val (fresh, i);
    }

  rd->removed = g_ptr_array_new_with_free_func (g_object_unref);
  if (g_hash_table_size (seen) != g_hash_table_size (rd->live))
    {
      g_hash_table_iter_init (&iter, rd->live);
      while (g_hash_table_iter_next (&iter, NULL, &item))
        if (!g_hash_table_contains (seen, item))
          g_ptr_array_add (rd->removed, g_object_ref (item));
    }

  rd->added = g_ptr_array_new_with_free_func (g_object_unref);
  if (fresh->len > 0)
    make_items (rd, rows, fresh);

  g_task_return_boolean (task, TRUE);
#if HAVE_MALLOC_TRIM
  /* A dump of tens of thousands of rows leaves megabytes of freed scratch (netlink buffers,
   * the row array, the hash sets) in this thread's malloc arena, resident for good unless
   * handed back. Small tables are not worth the walk over the heap. */
  if (rows->len >= TRIM_MIN_ROWS)
    {
      g_clear_pointer (&rows, g_array_unref);
      g_clear_pointer (&fresh, g_array_unref);
      g_clear_pointer (&seen, g_hash_table_unref);
      g_clear_pointer (&fresh_keys, g_hash_table_unref);
      malloc_trim (0);
    }
#endif
}

/* ---- applying a change list on the main thread ------------------------------------------ */

static void
set_error (PortholeSocketMonitor *self, const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Removes items that are closed and whose linger time is over, one items-changed per run of
 * neighbours. Returns the earliest time a remaining closed item is due, or 0. */
static gint64
remove_expired (PortholeSocketMonitor *self, gint64 now)
{
  gint64 linger_us = (gint64) self->linger * 1000;
  gint64 next_due = 0;
  guint i = 0;
  guint n_before = self->items->len;

  while (i < self->items->len)
    {
      guint run = 0;

      while (i + run < self->items->len)
        {
          PortholeSocket *s = g_ptr_array_index (self->items, i + run);
          gint64 closed_at = porthole_socket_get_closed_at (s);

          if (closed_at == 0)
            break;
          if (closed_at + linger_us > now)
            {
              next_due = next_due ? MIN (next_due, closed_at + linger_us) : closed_at + linger_us;
              break;
            }
          run++;
        }
      if (run > 0)
        {
          g_ptr_array_remove_range (self->items, i, run);
          g_list_model_items_changed (G_LIST_MODEL (self), i, run, 0);
        }
      else
        i++;
    }
  if (n_before != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return next_due;
}

static void schedule_linger (PortholeSocketMonitor *self, gint64 due);

static gboolean
on_linger_timeout (gpointer data)
{
  PortholeSocketMonitor *self = data;

  self->linger_id = 0;
  schedule_linger (self, remove_expired (self, g_get_monotonic_time ()));
  return G_SOURCE_REMOVE;
}

static void
schedule_linger (PortholeSocketMonitor *self, gint64 due)
{
  gint64 delay_ms;

  if (due == 0 || self->linger_id != 0)
    return;
  delay_ms = MAX (0, (due - g_get_monotonic_time () + 999) / 1000);
  self->linger_id = g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), on_linger_timeout, self);
}

static void
apply_changes (PortholeSocketMonitor *self, RefreshData *rd)
{
  gint64 now = g_get_monotonic_time ();
  guint old_len;

  for (guint i = 0; i < rd->removed->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rd->removed, i);

      g_hash_table_remove (self->live, porthole_socket_get_info (s));
      if (owner_is_hidden (porthole_socket_get_owner_status (s)))
        self->hidden_owners--;
      porthole_socket_mark_closed (s, now);
      g_signal_emit (self, signals[SOCKET_CLOSED], 0, s);
    }
  if (rd->removed->len > 0)
    {
      if (self->linger_id != 0)
        g_clear_handle_id (&self->linger_id, g_source_remove);
      schedule_linger (self, remove_expired (self, now));
    }

  old_len = self->items->len;
  for (guint i = 0; i < rd->added->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rd->added, i);

      g_hash_table_insert (self->live, (gpointer) porthole_socket_get_info (s), s);
      g_ptr_array_add (self->items, g_object_ref (s));
      if (owner_is_hidden (porthole_socket_get_owner_status (s)))
        self->hidden_owners++;
    }
  if (rd->added->len > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, rd->added->len);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      if (!rd->first)
        for (guint i = 0; i < rd->added->len; i++)
          g_signal_emit (self, signals[SOCKET_OPENED], 0, g_ptr_array_index (rd->added, i));
    }
  if (rd->added->len > 0 || rd->removed->len > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDDEN_OWNERS]);
}

static void start_refresh (PortholeSocketMonitor *self);

static void
finish_waiters (GPtrArray *waiters, const GError *error)
{
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (error)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_boolean (waiter, TRUE);
    }
  g_ptr_array_set_size (waiters, 0);
}

static void
refresh_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PortholeSocketMonitor *self = PORTHOLE_SOCKET_MONITOR (source);
  RefreshData *rd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->in_flight = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          finish_waiters (self->active_waiters, error);
          return;
        }
      set_error (self, error->message);
    }
  else
    {
      gboolean sysctl_changed = memcmp (&self->sysctl, &rd->sysctl, sizeof rd->sysctl) != 0;

      apply_changes (self, rd);
#if HAVE_MALLOC_TRIM
      /* After the first load or a mass change, the views have re-sorted and re-filtered
       * tens of thousands of rows: give their freed scratch memory back too */
      if (rd->added->len + rd->removed->len >= TRIM_MIN_ROWS)
        malloc_trim (0);
#endif
      set_error (self, NULL);
      self->sysctl = rd->sysctl;
      if (sysctl_changed)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYSCTL]);
      if (self->source != rd->source)
        {
          self->source = rd->source;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
        }
    }
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  finish_waiters (self->active_waiters, error);

  if (self->again || self->pending_waiters->len > 0)
    start_refresh (self);
}

static void
start_refresh (PortholeSocketMonitor *self)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *rd;
  GPtrArray *swap;

  if (self->in_flight)
    {
      self->again = TRUE;
      return;
    }
  self->again = FALSE;
  self->in_flight = TRUE;

  swap = self->active_waiters;
  self->active_waiters = self->pending_waiters;
  self->pending_waiters = swap;

  rd = g_new0 (RefreshData, 1);
  rd->proc_root = g_strdup (self->proc_root);
  rd->force_proc = self->force_proc;
  rd->flags = self->flags;
  rd->live = g_hash_table_ref (self->live);
  rd->first = !self->loaded;

  task = g_task_new (self, self->cancellable, refresh_done, NULL);
  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, rd, refresh_data_free);
  g_task_run_in_thread (task, refresh_worker);
}

/* ---- timer ------------------------------------------------------------------------------ */

static gboolean
on_timer (gpointer data)
{
  PortholeSocketMonitor *self = data;

  /* A slow dump is never stacked: a tick during a refresh is simply skipped */
  if (!self->in_flight)
    start_refresh (self);
  return G_SOURCE_CONTINUE;
}

static void
update_timer (PortholeSocketMonitor *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->refresh_interval > 0 && !self->paused)
    self->timer_id = g_timeout_add (self->refresh_interval, on_timer, self);
}

/* ---- public API ------------------------------------------------------------------------- */

PortholeSocketMonitor *
porthole_socket_monitor_new (void)
{
  return g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, NULL);
}

void
porthole_socket_monitor_refresh (PortholeSocketMonitor *self)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  start_refresh (self);
}

void
porthole_socket_monitor_refresh_async (PortholeSocketMonitor *self,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  GTask *task;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, porthole_socket_monitor_refresh_async);
  g_ptr_array_add (self->pending_waiters, task);
  if (!self->in_flight)
    start_refresh (self);
}

gboolean
porthole_socket_monitor_refresh_finish (PortholeSocketMonitor *self,
                                        GAsyncResult          *result,
                                        GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
porthole_socket_monitor_set_refresh_interval (PortholeSocketMonitor *self, guint interval_ms)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  if (self->refresh_interval == interval_ms)
    return;
  self->refresh_interval = interval_ms;
  update_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

guint porthole_socket_monitor_get_refresh_interval (PortholeSocketMonitor *self) { return self->refresh_interval; }

void
porthole_socket_monitor_set_paused (PortholeSocketMonitor *self, gboolean paused)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  update_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean porthole_socket_monitor_get_paused (PortholeSocketMonitor *self) { return self->paused; }

void
porthole_socket_monitor_set_linger (PortholeSocketMonitor *self, guint linger_ms)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  if (self->linger == linger_ms)
    return;
  self->linger = linger_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINGER]);
}

guint porthole_socket_monitor_get_linger (PortholeSocketMonitor *self) { return self->linger; }

void
porthole_socket_monitor_set_flags (PortholeSocketMonitor *self, PortholeDumpFlags flags)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  if (self->flags == flags)
    return;
  self->flags = flags;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGS]);
}

PortholeDumpFlags porthole_socket_monitor_get_flags (PortholeSocketMonitor *self) { return self->flags; }
PortholeSource porthole_socket_monitor_get_source (PortholeSocketMonitor *self) { return self->source; }
const char *porthole_socket_monitor_get_error (PortholeSocketMonitor *self) { return self->error; }
guint porthole_socket_monitor_get_hidden_owners (PortholeSocketMonitor *self) { return self->hidden_owners; }
gboolean porthole_socket_monitor_get_loaded (PortholeSocketMonitor *self) { return self->loaded; }
const PortholeSysctl *porthole_socket_monitor_get_sysctl (PortholeSocketMonitor *self) { return &self->sysctl; }

GPtrArray *
porthole_socket_monitor_get_connections_to (PortholeSocketMonitor *self, PortholeSocket *listener)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  const PortholeSockInfo *l = porthole_socket_get_info (listener);

  for (guint i = 0; i < self->items->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (self->items, i);
      const PortholeSockInfo *info = porthole_socket_get_info (s);

      if (s == listener || porthole_socket_get_closed (s) || porthole_sockinfo_is_listening (info))
        continue;
      if (info->protocol != l->protocol || info->local_port != l->local_port)
        continue;
      /* A wildcard listener serves every local address; a bound one only its own */
      if (!porthole_address_is_any (l->family, l->local_addr) &&
          (info->family != l->family || memcmp (info->local_addr, l->local_addr, 16) != 0))
        continue;
      g_ptr_array_add (result, g_object_ref (s));
    }
  return result;
}

PortholeSocket *
porthole_socket_monitor_find_listener (PortholeSocketMonitor *self, guint port, const char *protocol)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (self->items, i);

      if (!porthole_socket_get_closed (s) && porthole_socket_is_listening (s) &&
          porthole_socket_get_local_port (s) == port &&
          (protocol == NULL || g_strcmp0 (protocol, porthole_socket_get_protocol (s)) == 0))
        return s;
    }
  return NULL;
}

/* ---- GListModel ------------------------------------------------------------------------- */

static GType
get_item_type (GListModel *model)
{
  return PORTHOLE_TYPE_SOCKET;
}

static guint
get_n_items (GListModel *model)
{
  return PORTHOLE_SOCKET_MONITOR (model)->items->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  PortholeSocketMonitor *self = PORTHOLE_SOCKET_MONITOR (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
porthole_socket_monitor_dispose (GObject *object)
{
  PortholeSocketMonitor *self = PORTHOLE_SOCKET_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->linger_id, g_source_remove);
  G_OBJECT_CLASS (porthole_socket_monitor_parent_class)->dispose (object);
}

static void
porthole_socket_monitor_finalize (GObject *object)
{
  PortholeSocketMonitor *self = PORTHOLE_SOCKET_MONITOR (object);

  g_hash_table_unref (self->live);
  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->pending_waiters);
  g_ptr_array_unref (self->active_waiters);
  g_clear_object (&self->cancellable);
  g_free (self->proc_root);
  g_free (self->error);
  G_OBJECT_CLASS (porthole_socket_monitor_parent_class)->finalize (object);
}

static void
porthole_socket_monitor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeSocketMonitor *self = PORTHOLE_SOCKET_MONITOR (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL: g_value_set_uint (value, self->refresh_interval); break;
    case PROP_PAUSED: g_value_set_boolean (value, self->paused); break;
    case PROP_LINGER: g_value_set_uint (value, self->linger); break;
    case PROP_FLAGS: g_value_set_uint (value, self->flags); break;
    case PROP_PROC_ROOT: g_value_set_string (value, self->proc_root); break;
    case PROP_FORCE_PROC: g_value_set_boolean (value, self->force_proc); break;
    case PROP_SOURCE: g_value_set_int (value, self->source); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_HIDDEN_OWNERS: g_value_set_uint (value, self->hidden_owners); break;
    case PROP_LOADED: g_value_set_boolean (value, self->loaded); break;
    case PROP_SYSCTL: g_value_set_pointer (value, &self->sysctl); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->items->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_monitor_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeSocketMonitor *self = PORTHOLE_SOCKET_MONITOR (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL: porthole_socket_monitor_set_refresh_interval (self, g_value_get_uint (value)); break;
    case PROP_PAUSED: porthole_socket_monitor_set_paused (self, g_value_get_boolean (value)); break;
    case PROP_LINGER: porthole_socket_monitor_set_linger (self, g_value_get_uint (value)); break;
    case PROP_FLAGS: porthole_socket_monitor_set_flags (self, g_value_get_uint (value)); break;
    case PROP_PROC_ROOT:
      g_free (self->proc_root);
      self->proc_root = g_value_dup_string (value);
      if (self->proc_root == NULL)
        self->proc_root = g_strdup ("/proc");
      break;
    case PROP_FORCE_PROC: self->force_proc = g_value_get_boolean (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_monitor_class_init (PortholeSocketMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = porthole_socket_monitor_dispose;
  object_class->finalize = porthole_socket_monitor_finalize;
  object_class->get_property = porthole_socket_monitor_get_property;
  object_class->set_property = porthole_socket_monitor_set_property;

  properties[PROP_REFRESH_INTERVAL] = g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 3600000, 0, rw);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  properties[PROP_LINGER] = g_param_spec_uint ("linger", NULL, NULL, 0, 600000, 0, rw);
  properties[PROP_FLAGS] = g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT,
                                              PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES, rw);
  properties[PROP_PROC_ROOT] = g_param_spec_string ("proc-root", NULL, NULL, "/proc",
                                                    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                    G_PARAM_STATIC_STRINGS);
  properties[PROP_FORCE_PROC] = g_param_spec_boolean ("force-proc", NULL, NULL, FALSE,
                                                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                      G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] = g_param_spec_int ("source", NULL, NULL, 0, PORTHOLE_SOURCE_PROC, 0, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_HIDDEN_OWNERS] = g_param_spec_uint ("hidden-owners", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  properties[PROP_SYSCTL] = g_param_spec_pointer ("sysctl", NULL, NULL, ro);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SOCKET_OPENED] = g_signal_new ("socket-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, PORTHOLE_TYPE_SOCKET);
  signals[SOCKET_CLOSED] = g_signal_new ("socket-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, PORTHOLE_TYPE_SOCKET);
}

static void
porthole_socket_monitor_init (PortholeSocketMonitor *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->live = g_hash_table_new (porthole_sockinfo_key_hash, porthole_sockinfo_key_equal);
  self->pending_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->active_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->proc_root = g_strdup ("/proc");
  self->flags = PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES;
  porthole_sysctl_read (NULL, &self->sysctl);
}
