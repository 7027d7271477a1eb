/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* The object: properties, the timer, the public API and the GListModel. A refresh is split
 * between porthole-socket-monitor-worker.c (dump and diff, in a thread) and
 * porthole-socket-monitor-apply.c (the change list, on the main thread). */

#include "porthole-socket-monitor-private.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PortholeSocketMonitor, porthole_socket_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

GParamSpec *porthole_socket_monitor_properties[N_PROPS];
guint porthole_socket_monitor_signals[N_SIGNALS];

void
porthole_socket_monitor_notify (PortholeSocketMonitor *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), porthole_socket_monitor_properties[prop]);
}

/* ---- timer ------------------------------------------------------------------------------ */

static gboolean
on_timer (gpointer data)
{
  PortholeSocketMonitor *self = data;

  /* A slow dump is never stacked: a tick during a refresh is simply skipped */
  if (!self->in_flight && porthole_monitor_remote_may_refresh (self))
    porthole_socket_monitor_start_refresh (self);
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

PortholeSocketMonitor *
porthole_socket_monitor_new_for_host (const char *host)
{
  return g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "host", host, NULL);
}

void
porthole_socket_monitor_refresh (PortholeSocketMonitor *self)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  porthole_socket_monitor_start_refresh (self);
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
    porthole_socket_monitor_start_refresh (self);
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
  porthole_socket_monitor_notify (self, PROP_REFRESH_INTERVAL);
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
  porthole_socket_monitor_notify (self, PROP_PAUSED);
}

gboolean porthole_socket_monitor_get_paused (PortholeSocketMonitor *self) { return self->paused; }

void
porthole_socket_monitor_set_linger (PortholeSocketMonitor *self, guint linger_ms)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  if (self->linger == linger_ms)
    return;
  self->linger = linger_ms;
  porthole_socket_monitor_notify (self, PROP_LINGER);
}

guint porthole_socket_monitor_get_linger (PortholeSocketMonitor *self) { return self->linger; }

void
porthole_socket_monitor_set_flags (PortholeSocketMonitor *self, PortholeDumpFlags flags)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  if (self->flags == flags)
    return;
  self->flags = flags;
  porthole_socket_monitor_notify (self, PROP_FLAGS);
}

PortholeDumpFlags porthole_socket_monitor_get_flags (PortholeSocketMonitor *self) { return self->flags; }
PortholeSource porthole_socket_monitor_get_source (PortholeSocketMonitor *self) { return self->source; }
const char *porthole_socket_monitor_get_error (PortholeSocketMonitor *self) { return self->error; }
guint porthole_socket_monitor_get_hidden_owners (PortholeSocketMonitor *self) { return self->hidden_owners; }
gboolean porthole_socket_monitor_get_loaded (PortholeSocketMonitor *self) { return self->loaded; }
const char *porthole_socket_monitor_get_host (PortholeSocketMonitor *self) { return self->host; }
gboolean porthole_socket_monitor_get_stale (PortholeSocketMonitor *self) { return self->stale; }
gint64 porthole_socket_monitor_get_last_seen (PortholeSocketMonitor *self) { return self->last_seen; }
const char *porthole_socket_monitor_get_notice (PortholeSocketMonitor *self) { return self->notice; }
const PortholeSysctl *porthole_socket_monitor_get_sysctl (PortholeSocketMonitor *self) { return &self->sysctl; }

void
porthole_socket_monitor_set_all_namespaces (PortholeSocketMonitor *self, gboolean all)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  if (self->all_namespaces == !!all)
    return;
  self->all_namespaces = !!all;
  porthole_socket_monitor_notify (self, PROP_ALL_NAMESPACES);
  if (self->loaded)
    porthole_socket_monitor_start_refresh (self);
}

gboolean
porthole_socket_monitor_get_all_namespaces (PortholeSocketMonitor *self)
{
  return self->all_namespaces;
}

PortholeNameCache *
porthole_socket_monitor_get_name_cache (PortholeSocketMonitor *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self), NULL);
  if (self->names == NULL)
    self->names = porthole_name_cache_new (NULL);
  return self->names;
}

/* ---- process details -------------------------------------------------------------------- */

typedef struct {
  char           *proc_root;
  PortholeSocket *socket;
} ReadProcess;

static void
read_process_free (gpointer data)
{
  ReadProcess *rp = data;

  g_free (rp->proc_root);
  g_object_unref (rp->socket);
  g_free (rp);
}

static void
read_process_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ReadProcess *rp = task_data;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (rp->proc_root == NULL)   /* a remote host's process: nothing here to read */
    {
      g_task_return_pointer (task, g_new0 (PortholeProcessDetails, 1),
                             (GDestroyNotify) porthole_process_details_free);
      return;
    }
  g_task_return_pointer (task, porthole_process_details_read (rp->proc_root, rp->socket),
                         (GDestroyNotify) porthole_process_details_free);
}

void
porthole_socket_monitor_read_process_async (PortholeSocketMonitor *self,
                                            PortholeSocket        *socket,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadProcess *rp;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self));
  g_return_if_fail (PORTHOLE_IS_SOCKET (socket));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  rp = g_new0 (ReadProcess, 1);
  rp->proc_root = self->host ? NULL : g_strdup (self->proc_root);
  rp->socket = g_object_ref (socket);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, porthole_socket_monitor_read_process_async);
  g_task_set_task_data (task, rp, read_process_free);
  g_task_run_in_thread (task, read_process_worker);
}

PortholeProcessDetails *
porthole_socket_monitor_read_process_finish (PortholeSocketMonitor  *self,
                                             GAsyncResult           *result,
                                             GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        porthole_socket_monitor_read_process_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
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
  if (self->names)
    porthole_name_cache_set_enabled (self->names, FALSE);   /* cancels the lookups in flight */
  g_clear_object (&self->names);
  g_clear_object (&self->names_api);
  g_hash_table_remove_all (self->published);
  g_hash_table_remove_all (self->moving);
  G_OBJECT_CLASS (porthole_socket_monitor_parent_class)->dispose (object);
}

static void
porthole_socket_monitor_finalize (GObject *object)
{
  PortholeSocketMonitor *self = PORTHOLE_SOCKET_MONITOR (object);

  g_hash_table_unref (self->live);
  g_hash_table_unref (self->listeners);
  g_hash_table_unref (self->published);
  g_hash_table_unref (self->moving);
  porthole_destroy_watch_free (self->destroy);
  g_hash_table_unref (self->ns_watches);
  g_clear_pointer (&self->recent_closed, g_ptr_array_unref);
  g_clear_pointer (&self->read_ns, g_hash_table_unref);
  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->pending_waiters);
  g_ptr_array_unref (self->active_waiters);
  g_clear_object (&self->cancellable);
  g_free (self->proc_root);
  g_free (self->error);
  g_free (self->host);
  g_free (self->notice);
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
    case PROP_ALL_NAMESPACES: g_value_set_boolean (value, self->all_namespaces); break;
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_STALE: g_value_set_boolean (value, self->stale); break;
    case PROP_LAST_SEEN: g_value_set_int64 (value, self->last_seen); break;
    case PROP_NOTICE: g_value_set_string (value, self->notice); break;
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
    case PROP_ALL_NAMESPACES: porthole_socket_monitor_set_all_namespaces (self, g_value_get_boolean (value)); break;
    case PROP_HOST: self->host = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_monitor_class_init (PortholeSocketMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec **properties = porthole_socket_monitor_properties;
  guint *signals = porthole_socket_monitor_signals;
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
  properties[PROP_ALL_NAMESPACES] = g_param_spec_boolean ("all-namespaces", NULL, NULL, FALSE, rw);
  /* the remote source: an ssh destination ("user@host:port", an alias), NULL for this computer */
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                               G_PARAM_STATIC_STRINGS);
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_SEEN] = g_param_spec_int64 ("last-seen", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_NOTICE] = g_param_spec_string ("notice", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SOCKET_OPENED] = g_signal_new ("socket-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, PORTHOLE_TYPE_SOCKET);
  signals[SOCKET_CLOSED] = g_signal_new ("socket-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, PORTHOLE_TYPE_SOCKET);
  signals[CONTAINERS_CHANGED] = g_signal_new ("containers-changed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (GPtrArray of PortholeSocket): once per refresh, the sockets whose counters or rates
   * changed (each also notified "rate"); listeners count what their connections moved */
  signals[TRAFFIC_CHANGED] = g_signal_new ("traffic-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                           G_TYPE_PTR_ARRAY);
}

static void
porthole_socket_monitor_init (PortholeSocketMonitor *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->published = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->live = g_hash_table_new (porthole_sockinfo_key_hash, porthole_sockinfo_key_equal);
  self->moving = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->ns_watches = porthole_monitor_ns_watches_new ();
  self->listeners = porthole_monitor_listeners_new ();
  self->pending_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->active_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->proc_root = g_strdup ("/proc");
  self->flags = PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES;
  porthole_sysctl_read (NULL, &self->sysctl);
}
