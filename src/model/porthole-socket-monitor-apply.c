/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* The main-thread half of a refresh: start one (never two at once), apply the worker's short
 * change list to the model, emit the signals, and let closed sockets linger. */

#include "porthole-socket-monitor-private.h"

#include <string.h>
#if HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

static void
set_error (PortholeSocketMonitor *self, const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  porthole_socket_monitor_notify (self, PROP_ERROR);
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
    porthole_socket_monitor_notify (self, PROP_N_ITEMS);
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

/* Connections that opened and closed between two dumps: shown opened and closed at once (they
 * linger like any closed row), never live */
static void
apply_flashed (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd, gint64 now)
{
  guint old_len = self->items->len;

  for (guint i = 0; i < rd->flashed->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (rd->flashed, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, rd->flashed->len);
  porthole_socket_monitor_notify (self, PROP_N_ITEMS);
  for (guint i = 0; i < rd->flashed->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rd->flashed, i);

      g_signal_emit (self, porthole_socket_monitor_signals[SOCKET_OPENED], 0, s);
      porthole_socket_mark_closed (s, now);
      g_signal_emit (self, porthole_socket_monitor_signals[SOCKET_CLOSED], 0, s);
    }
  if (self->linger_id != 0)
    g_clear_handle_id (&self->linger_id, g_source_remove);
  schedule_linger (self, remove_expired (self, now));
}

static void
apply_changes (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd)
{
  gint64 now = g_get_monotonic_time ();
  guint old_len;

  for (guint i = 0; i < rd->removed->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rd->removed, i);

      g_hash_table_remove (self->live, porthole_socket_get_info (s));
      porthole_monitor_listeners_count (self, s, -1);
      if (porthole_monitor_owner_is_hidden (porthole_socket_get_owner_status (s)))
        self->hidden_owners--;
      porthole_socket_mark_closed (s, now);
      g_signal_emit (self, porthole_socket_monitor_signals[SOCKET_CLOSED], 0, s);
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
      porthole_monitor_listeners_count (self, s, +1);
      g_ptr_array_add (self->items, g_object_ref (s));
      if (porthole_monitor_owner_is_hidden (porthole_socket_get_owner_status (s)))
        self->hidden_owners++;
    }
  if (rd->added->len > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, rd->added->len);
      porthole_socket_monitor_notify (self, PROP_N_ITEMS);
      if (!rd->first)
        for (guint i = 0; i < rd->added->len; i++)
          g_signal_emit (self, porthole_socket_monitor_signals[SOCKET_OPENED], 0,
                         g_ptr_array_index (rd->added, i));
    }
  if (rd->flashed && rd->flashed->len > 0)
    apply_flashed (self, rd, now);
  if (rd->added->len > 0 || rd->removed->len > 0)
    porthole_socket_monitor_notify (self, PROP_HIDDEN_OWNERS);
}

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
  PortholeMonitorRefresh *rd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->in_flight = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          finish_waiters (self->active_waiters, error);
          return;
        }
      porthole_monitor_remote_done (self, rd, error);
      set_error (self, error->message);
    }
  else
    {
      gboolean sysctl_changed = memcmp (&self->sysctl, &rd->sysctl, sizeof rd->sysctl) != 0;

      PortholeTrafficPass *pass = porthole_monitor_traffic_begin (self, rd);

      apply_changes (self, rd);
      porthole_monitor_traffic_end (self, rd, pass);
      g_clear_pointer (&self->recent_closed, g_ptr_array_unref);
      if (self->destroy && rd->removed->len > 0)
        self->recent_closed = g_ptr_array_ref (rd->removed);
      porthole_monitor_published_apply (self, rd);
      g_clear_pointer (&self->read_ns, g_hash_table_unref);
      self->read_ns = g_steal_pointer (&rd->read_ns);
      porthole_monitor_names_maybe_refresh (self, rd);
#if HAVE_MALLOC_TRIM
      /* After the first load or a mass change, the views have re-sorted and re-filtered
       * tens of thousands of rows: give their freed scratch memory back too */
      if (rd->added->len + rd->removed->len >= PORTHOLE_SOCKET_MONITOR_TRIM_MIN_ROWS)
        malloc_trim (0);
#endif
      porthole_monitor_remote_done (self, rd, NULL);
      set_error (self, NULL);
      self->sysctl = rd->sysctl;
      if (sysctl_changed)
        porthole_socket_monitor_notify (self, PROP_SYSCTL);
      if (self->source != rd->source)
        {
          self->source = rd->source;
          porthole_socket_monitor_notify (self, PROP_SOURCE);
        }
    }
  if (!self->loaded)
    {
      self->loaded = TRUE;
      porthole_socket_monitor_notify (self, PROP_LOADED);
    }
  finish_waiters (self->active_waiters, error);

  if (self->again || self->pending_waiters->len > 0)
    porthole_socket_monitor_start_refresh (self);
}

void
porthole_socket_monitor_start_refresh (PortholeSocketMonitor *self)
{
  g_autoptr(GTask) task = NULL;
  PortholeMonitorRefresh *rd;
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

  rd = g_new0 (PortholeMonitorRefresh, 1);
  rd->proc_root = g_strdup (self->proc_root);
  rd->force_proc = self->force_proc;
  rd->flags = self->flags;
  rd->live = g_hash_table_ref (self->live);
  rd->first = !self->loaded;
  rd->all_namespaces = self->all_namespaces;
  rd->host = g_strdup (self->host);
  /* Each namespace read in every state walks the kernel's whole connection table once (tens
   * of ms with 40,000 sockets): other namespaces' connections are read every fifth refresh,
   * their listeners every time */
  rd->full = rd->first || self->generation % PORTHOLE_SOCKET_MONITOR_FULL_EVERY == 0;
  self->generation++;
  /* a namespace not read in full before is, whatever the turn */
  rd->read_ns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (self->read_ns)
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, self->read_ns);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_hash_table_add (rd->read_ns, g_memdup2 (id, sizeof (guint64)));
    }
  rd->api = porthole_monitor_names_snapshot (self);
  /* Closes between refreshes: asked of the kernel when the whole TCP table of this computer
   * is watched (not for a fixture /proc, nor over /proc/net, which has no counters) */
  if (!self->destroy_tried && self->host == NULL && (self->flags & PORTHOLE_DUMP_TCP) && (self->flags & PORTHOLE_DUMP_ALL_STATES) &&
      !self->force_proc && g_strcmp0 (self->proc_root, "/proc") == 0)
    {
      g_autoptr(GError) error = NULL;

      self->destroy_tried = TRUE;
      self->destroy = porthole_destroy_watch_new (&error);
      if (self->destroy == NULL)
        g_debug ("no destroy events: %s", error->message);
    }
  rd->destroy = self->destroy;
  if (self->destroy && self->all_namespaces)
    rd->ns_watches = self->ns_watches;
  rd->recent = self->recent_closed ? g_ptr_array_ref (self->recent_closed) : NULL;

  task = g_task_new (self, self->cancellable, refresh_done, NULL);
  g_task_set_source_tag (task, porthole_socket_monitor_start_refresh);
  g_task_set_task_data (task, rd, porthole_monitor_refresh_free);
  g_task_run_in_thread (task, porthole_monitor_refresh_worker);
}
