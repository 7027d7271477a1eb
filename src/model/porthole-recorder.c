/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-recorder.h"

#include "porthole-journal-writer.h"

#include <glib/gi18n.h>

#define PRUNE_EVERY_US (G_GINT64_CONSTANT (600) * G_USEC_PER_SEC)

struct _PortholeRecorder {
  GObject                parent_instance;

  PortholeSocketMonitor *monitor;
  char                  *path;
  PortholeJournalWriter *writer;

  gboolean               started;
  gboolean               stopping;
  gboolean               opening;
  gboolean               writing;
  gboolean               other_writer;
  gboolean               in_flight;
  gboolean               closing;
  gboolean               want_snapshot;
  PortholeJournalBatch  *pending;
  guint                  flush_id;
  guint                  retry_id;
  guint                  heartbeat_id;
  gulong                 loaded_id;
  gint64                 last_prune;
  GTask                 *stop_task;

  char                  *error;
  guint64                batches;
  guint                  retention_days;
  guint64                max_bytes;
  guint                  retry_interval;
  guint                  heartbeat_interval;
};

G_DEFINE_FINAL_TYPE (PortholeRecorder, porthole_recorder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_PATH,
  PROP_WRITING,
  PROP_OTHER_WRITER,
  PROP_ERROR,
  PROP_BATCHES,
  PROP_RETENTION_DAYS,
  PROP_MAX_BYTES,
  PROP_RETRY_INTERVAL,
  PROP_HEARTBEAT_INTERVAL,
  N_PROPS
};

enum {
  BATCH_WRITTEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void try_take_role (PortholeRecorder *self);
static void flush (PortholeRecorder *self);
static void continue_stop (PortholeRecorder *self);

PortholeRecorder *
porthole_recorder_new (PortholeSocketMonitor *monitor, const char *path)
{
  return g_object_new (PORTHOLE_TYPE_RECORDER, "monitor", monitor, "path", path, NULL);
}

const char *porthole_recorder_get_path (PortholeRecorder *self) { return self->path; }
gboolean porthole_recorder_get_writing (PortholeRecorder *self) { return self->writing; }
gboolean porthole_recorder_get_other_writer (PortholeRecorder *self) { return self->other_writer; }
const char *porthole_recorder_get_error (PortholeRecorder *self) { return self->error; }
guint64 porthole_recorder_get_batches (PortholeRecorder *self) { return self->batches; }
guint porthole_recorder_get_retention_days (PortholeRecorder *self) { return self->retention_days; }
guint64 porthole_recorder_get_max_bytes (PortholeRecorder *self) { return self->max_bytes; }

void
porthole_recorder_set_retention_days (PortholeRecorder *self, guint days)
{
  g_return_if_fail (PORTHOLE_IS_RECORDER (self));
  days = MAX (days, 1);
  if (self->retention_days == days)
    return;
  self->retention_days = days;
  self->last_prune = 0;   /* applied at the next commit */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETENTION_DAYS]);
}

void
porthole_recorder_set_max_bytes (PortholeRecorder *self, guint64 max_bytes)
{
  g_return_if_fail (PORTHOLE_IS_RECORDER (self));
  if (self->max_bytes == max_bytes)
    return;
  self->max_bytes = max_bytes;
  self->last_prune = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BYTES]);
}

static void
set_error (PortholeRecorder *self, const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  if (message != NULL)
    g_message ("%s", message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_writing (PortholeRecorder *self, gboolean writing)
{
  if (self->writing == writing)
    return;
  self->writing = writing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITING]);
}

static void
set_other_writer (PortholeRecorder *self, gboolean other)
{
  if (self->other_writer == other)
    return;
  self->other_writer = other;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OTHER_WRITER]);
}

static PortholeJournalBatch *
pending_batch (PortholeRecorder *self)
{
  if (self->pending == NULL)
    self->pending = porthole_journal_batch_new ();
  return self->pending;
}

static PortholeJournalListener *
listener_of (PortholeSocket *s)
{
  PortholeJournalListener *l = porthole_journal_listener_new ();
  const PortholeContainerRef *container = porthole_socket_get_container (s);

  l->protocol = g_strdup (porthole_socket_get_protocol (s));
  l->family = g_strdup (porthole_socket_get_family (s));
  l->address = g_strdup (porthole_socket_get_local_address (s));
  l->port = porthole_socket_get_local_port (s);
  l->inode = porthole_socket_get_inode (s);
  l->netns = porthole_socket_get_netns (s);
  if (container != NULL)
    {
      l->container.runtime = container->runtime;
      l->container.id = g_strdup (container->id);
      l->container.name = g_strdup (container->name);
    }
  l->uid = porthole_socket_get_uid_hidden (s) ? -1 : (gint64) porthole_socket_get_uid (s);
  l->user = l->uid >= 0 ? g_strdup (porthole_socket_get_user (s)) : NULL;
  l->pid = porthole_socket_get_pid (s);
  l->process = g_strdup (porthole_socket_get_process (s));
  return l;
}

/* A connection worth counting: a real socket (not a TIME_WAIT remnant) with a peer */
static gboolean
is_connection (PortholeSocket *s)
{
  return !porthole_socket_is_listening (s) && porthole_socket_get_inode (s) != 0 &&
         porthole_socket_get_remote_port (s) != 0;
}

static PortholeJournalConnection *
connection_of (PortholeRecorder *self, PortholeSocket *s)
{
  PortholeJournalConnection *c = g_new0 (PortholeJournalConnection, 1);
  gboolean inbound = porthole_socket_monitor_remote_is_ephemeral (self->monitor, s) &&
                     !porthole_socket_monitor_local_is_ephemeral (self->monitor, s);

  c->program = g_strdup (porthole_socket_get_process (s) ? porthole_socket_get_process (s) : "");
  c->inbound = inbound;
  c->remote_address = g_strdup (porthole_socket_get_remote_address (s));
  /* The service's port, whichever side it is: a client's ephemeral port would make every
   * connection a row of its own */
  c->port = inbound ? porthole_socket_get_local_port (s) : porthole_socket_get_remote_port (s);
  c->protocol = g_strdup (porthole_socket_get_protocol (s));
  c->bytes_sent = -1;
  c->bytes_received = -1;
  return c;
}

static gboolean
on_flush_idle (gpointer data)
{
  PortholeRecorder *self = data;

  self->flush_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (PortholeRecorder *self)
{
  /* After the rest of this refresh is applied: one batch per refresh */
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_LOW, on_flush_idle, self, NULL);
}

static void
on_socket_opened (PortholeSocketMonitor *monitor, PortholeSocket *s, PortholeRecorder *self)
{
  if (!self->writing || self->want_snapshot || self->stopping)
    return;
  if (porthole_socket_is_listening (s))
    {
      PortholeJournalListener *l = listener_of (s);

      l->opened = g_get_real_time ();
      g_ptr_array_add (pending_batch (self)->opened, l);
    }
  else if (is_connection (s))
    g_ptr_array_add (pending_batch (self)->connections, connection_of (self, s));
  else
    return;
  schedule_flush (self);
}

static void
on_socket_closed (PortholeSocketMonitor *monitor, PortholeSocket *s, PortholeRecorder *self)
{
  PortholeJournalListener *l;

  if (!self->writing || self->want_snapshot || self->stopping || !porthole_socket_is_listening (s))
    return;
  l = listener_of (s);
  l->closed = g_get_real_time ();
  g_ptr_array_add (pending_batch (self)->closed, l);
  schedule_flush (self);
}

/* Every live listener (and connection) the monitor has now: the first batch after taking
 * the writer role */
static void
queue_snapshot (PortholeRecorder *self)
{
  GListModel *model = G_LIST_MODEL (self->monitor);
  guint n = g_list_model_get_n_items (model);
  PortholeJournalBatch *batch;

  self->want_snapshot = FALSE;
  g_clear_pointer (&self->pending, porthole_journal_batch_free);
  batch = pending_batch (self);
  batch->snapshot = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      if (porthole_socket_get_closed (s))
        continue;
      if (porthole_socket_is_listening (s))
        g_ptr_array_add (batch->opened, listener_of (s));
      else if (is_connection (s))
        g_ptr_array_add (batch->connections, connection_of (self, s));
    }
  schedule_flush (self);
}

static void
on_loaded (GObject *monitor, GParamSpec *pspec, PortholeRecorder *self)
{
  if (!porthole_socket_monitor_get_loaded (self->monitor) || !self->want_snapshot)
    return;
  g_clear_signal_handler (&self->loaded_id, self->monitor);
  if (self->writing && !self->stopping)
    queue_snapshot (self);
}

static gboolean
on_retry (gpointer data)
{
  PortholeRecorder *self = data;

  self->retry_id = 0;
  try_take_role (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (PortholeRecorder *self)
{
  if (self->retry_id == 0 && !self->stopping)
    self->retry_id = g_timeout_add (self->retry_interval, on_retry, self);
}

static void
on_closed_after_error (GObject *source, GAsyncResult *result, gpointer data)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (source);

  porthole_journal_writer_close_finish (self->writer, result, NULL);
  if (self->stopping)
    continue_stop (self);
  else
    schedule_retry (self);
}

/* The journal failed under us: give up the role (and the lock) until the retry */
static void
lose_role (PortholeRecorder *self, const char *message)
{
  set_error (self, message);
  set_writing (self, FALSE);
  self->want_snapshot = FALSE;
  g_clear_pointer (&self->pending, porthole_journal_batch_free);
  porthole_journal_writer_close_async (self->writer, FALSE, on_closed_after_error, NULL);
}

static void
on_pruned (GObject *source, GAsyncResult *result, gpointer data)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (source);
  g_autoptr(GError) error = NULL;

  if (!porthole_journal_writer_prune_finish (self->writer, result, &error))
    g_message ("%s", error->message);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer data)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (source);
  g_autoptr(GError) error = NULL;
  guint64 batches = 0;
  gint64 now = g_get_real_time ();

  self->in_flight = FALSE;
  if (!porthole_journal_writer_write_finish (self->writer, result, &batches, &error))
    {
      if (self->writing)
        lose_role (self, error->message);
      return;
    }
  self->batches = batches;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCHES]);
  g_signal_emit (self, signals[BATCH_WRITTEN], 0, batches);
  if (!self->stopping && now - self->last_prune >= PRUNE_EVERY_US)
    {
      self->last_prune = now;
      porthole_journal_writer_prune_async (self->writer, self->retention_days, self->max_bytes,
                                           on_pruned, NULL);
    }
  if (self->stopping)
    continue_stop (self);
  else if (self->pending != NULL)
    flush (self);
}

static void
flush (PortholeRecorder *self)
{
  PortholeJournalBatch *batch;

  if (!self->writing || self->in_flight || self->pending == NULL)
    return;
  batch = g_steal_pointer (&self->pending);
  batch->time = g_get_real_time ();
  self->in_flight = TRUE;
  porthole_journal_writer_write_async (self->writer, batch, on_written, NULL);
}

static gboolean
on_heartbeat (gpointer data)
{
  PortholeRecorder *self = data;

  /* An empty batch marks the session alive: were it to die now, its open listeners would be
   * closed at this time rather than at its last change */
  if (self->writing && !self->in_flight && !self->want_snapshot)
    {
      pending_batch (self);
      flush (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_aside = NULL;

  self->opening = FALSE;
  if (!porthole_journal_writer_open_finish (self->writer, result, &moved_aside, &error))
    {
      gboolean locked = g_error_matches (error, PORTHOLE_JOURNAL_ERROR,
                                         PORTHOLE_JOURNAL_ERROR_LOCKED);

      /* The other recorder writes: not a problem */
      set_error (self, locked ? NULL : error->message);
      set_other_writer (self, locked);
      if (self->stopping)
        continue_stop (self);
      else
        schedule_retry (self);
      return;
    }
  if (moved_aside != NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("History journal %s was damaged; it was moved aside to %s and a new "
                           "one started"), self->path, moved_aside);

      set_error (self, message);
    }
  else
    set_error (self, NULL);
  set_writing (self, TRUE);
  set_other_writer (self, FALSE);
  if (self->stopping)
    {
      continue_stop (self);
      return;
    }
  self->want_snapshot = TRUE;
  if (porthole_socket_monitor_get_loaded (self->monitor))
    queue_snapshot (self);
  else if (self->loaded_id == 0)
    self->loaded_id = g_signal_connect (self->monitor, "notify::loaded", G_CALLBACK (on_loaded),
                                        self);
}

static void
try_take_role (PortholeRecorder *self)
{
  if (self->opening || self->writing || self->stopping)
    return;
  self->opening = TRUE;
  porthole_journal_writer_open_async (self->writer, on_opened, NULL);
}

void
porthole_recorder_start (PortholeRecorder *self)
{
  g_return_if_fail (PORTHOLE_IS_RECORDER (self));

  if (self->started)
    return;
  self->started = TRUE;
  g_signal_connect_object (self->monitor, "socket-opened", G_CALLBACK (on_socket_opened), self, 0);
  g_signal_connect_object (self->monitor, "socket-closed", G_CALLBACK (on_socket_closed), self, 0);
  if (self->heartbeat_interval > 0)
    self->heartbeat_id = g_timeout_add (self->heartbeat_interval, on_heartbeat, self);
  try_take_role (self);
}

static void
on_stop_closed (GObject *source, GAsyncResult *result, gpointer data)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (source);
  g_autoptr(GError) error = NULL;
  GTask *task = g_steal_pointer (&self->stop_task);

  self->closing = FALSE;
  set_writing (self, FALSE);
  if (!porthole_journal_writer_close_finish (self->writer, result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Each step of stopping once the previous one is done: pending events, then the session's end */
static void
continue_stop (PortholeRecorder *self)
{
  if (self->stop_task == NULL || self->opening || self->in_flight)
    return;
  if (self->writing && self->pending != NULL && !self->want_snapshot)
    {
      flush (self);
      return;
    }
  if (self->writing)
    {
      if (!self->closing)
        {
          self->closing = TRUE;
          porthole_journal_writer_close_async (self->writer, TRUE, on_stop_closed, NULL);
        }
      return;
    }
  g_task_return_boolean (self->stop_task, TRUE);
  g_clear_object (&self->stop_task);
}

void
porthole_recorder_stop_async (PortholeRecorder    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PORTHOLE_IS_RECORDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, porthole_recorder_stop_async);
  if (self->stop_task != NULL || (self->stopping && !self->writing))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  self->stopping = TRUE;
  self->stop_task = task;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->loaded_id != 0)
    g_clear_signal_handler (&self->loaded_id, self->monitor);
  continue_stop (self);
}

gboolean
porthole_recorder_stop_finish (PortholeRecorder *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
porthole_recorder_constructed (GObject *object)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (object);
  g_autofree char *proc_root = NULL;

  G_OBJECT_CLASS (porthole_recorder_parent_class)->constructed (object);
  g_return_if_fail (self->monitor != NULL);
  if (self->path == NULL)
    self->path = porthole_journal_default_path ();
  g_object_get (self->monitor, "proc-root", &proc_root, NULL);
  self->writer = porthole_journal_writer_new (object, self->path, proc_root);
}

static void
porthole_recorder_dispose (GObject *object)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->loaded_id != 0 && self->monitor != NULL)
    g_clear_signal_handler (&self->loaded_id, self->monitor);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (porthole_recorder_parent_class)->dispose (object);
}

static void
porthole_recorder_finalize (GObject *object)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (object);

  /* No job is pending (each holds a reference): this only closes the connection */
  porthole_journal_writer_free (self->writer);
  g_clear_pointer (&self->pending, porthole_journal_batch_free);
  g_free (self->path);
  g_free (self->error);
  G_OBJECT_CLASS (porthole_recorder_parent_class)->finalize (object);
}

static void
porthole_recorder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_MONITOR: g_value_set_object (value, self->monitor); break;
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_WRITING: g_value_set_boolean (value, self->writing); break;
    case PROP_OTHER_WRITER: g_value_set_boolean (value, self->other_writer); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_BATCHES: g_value_set_uint64 (value, self->batches); break;
    case PROP_RETENTION_DAYS: g_value_set_uint (value, self->retention_days); break;
    case PROP_MAX_BYTES: g_value_set_uint64 (value, self->max_bytes); break;
    case PROP_RETRY_INTERVAL: g_value_set_uint (value, self->retry_interval); break;
    case PROP_HEARTBEAT_INTERVAL: g_value_set_uint (value, self->heartbeat_interval); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_recorder_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  PortholeRecorder *self = PORTHOLE_RECORDER (object);

  switch (prop_id)
    {
    case PROP_MONITOR: self->monitor = g_value_dup_object (value); break;
    case PROP_PATH: self->path = g_value_dup_string (value); break;
    case PROP_RETENTION_DAYS: porthole_recorder_set_retention_days (self, g_value_get_uint (value)); break;
    case PROP_MAX_BYTES: porthole_recorder_set_max_bytes (self, g_value_get_uint64 (value)); break;
    case PROP_RETRY_INTERVAL: self->retry_interval = g_value_get_uint (value); break;
    case PROP_HEARTBEAT_INTERVAL: self->heartbeat_interval = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_recorder_class_init (PortholeRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = porthole_recorder_constructed;
  object_class->dispose = porthole_recorder_dispose;
  object_class->finalize = porthole_recorder_finalize;
  object_class->get_property = porthole_recorder_get_property;
  object_class->set_property = porthole_recorder_set_property;

  properties[PROP_MONITOR] = g_param_spec_object ("monitor", NULL, NULL,
                                                  PORTHOLE_TYPE_SOCKET_MONITOR, co);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, co);
  properties[PROP_WRITING] = g_param_spec_boolean ("writing", NULL, NULL, FALSE, ro);
  properties[PROP_OTHER_WRITER] = g_param_spec_boolean ("other-writer", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_BATCHES] = g_param_spec_uint64 ("batches", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_RETENTION_DAYS] = g_param_spec_uint ("retention-days", NULL, NULL, 1, 3650, 30,
                                                       rw | G_PARAM_CONSTRUCT);
  properties[PROP_MAX_BYTES] = g_param_spec_uint64 ("max-bytes", NULL, NULL, 0, G_MAXUINT64,
                                                    256 * 1024 * 1024, rw | G_PARAM_CONSTRUCT);
  properties[PROP_RETRY_INTERVAL] = g_param_spec_uint ("retry-interval", NULL, NULL, 10, 3600000,
                                                       10000, co);
  properties[PROP_HEARTBEAT_INTERVAL] = g_param_spec_uint ("heartbeat-interval", NULL, NULL, 0,
                                                           3600000, 30000, co);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BATCH_WRITTEN] = g_signal_new ("batch-written", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void
porthole_recorder_init (PortholeRecorder *self)
{
  self->retry_interval = 10000;
  self->heartbeat_interval = 30000;
}
