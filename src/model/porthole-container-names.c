/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-container-names-private.h"

#include <string.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_MS 2000
#define DEFAULT_MAX_BYTES  (8 * 1024 * 1024)
#define MIN_PREFIX         12

typedef enum { DOCKER, PODMAN, N_RUNTIMES } Runtime;

static const char *const runtime_ids[N_RUNTIMES] = { "docker", "podman" };
static const char *const docker_paths[] = { "/containers/json?all=true", NULL };
/* libpod's own list has pods' infra containers too; Podman 3 only knows the compat path */
static const char *const podman_paths[] = { "/v4.0.0/libpod/containers/json?all=true",
                                            "/containers/json?all=true", NULL };

/* One refresh in flight, shared by every caller who asked meanwhile */
typedef struct {
  PortholeContainerNames *self;        /* NULL once abandoned (every caller gave up, dispose) */
  GCancellable           *cancellable;
  GPtrArray              *waiters;     /* Waiter* */
  guint                   pending;
  GPtrArray              *infos[N_RUNTIMES];
  char                   *problems[N_RUNTIMES];
} Refresh;

typedef struct {
  GTask        *task;
  GCancellable *caller;
  gulong        handler;
} Waiter;

/* One runtime's answer, from the fetch to the parse in a worker thread */
typedef struct {
  Refresh   *refresh;
  Runtime    runtime;
  char      *socket_path;
  char      *storage_path;                 /* Podman only */
  guint      timeout_ms;
  gsize      max_bytes;
  GBytes    *body;
  GError    *error;
  GPtrArray *infos;
  char      *problem;
} Job;

struct _PortholeContainerNames {
  GObject      parent_instance;
  char        *sockets[N_RUNTIMES];
  char        *storage_root;
  SoupSession *sessions[N_RUNTIMES];
  guint        timeout_ms;
  gsize        max_bytes;
  GPtrArray   *infos;        /* PortholeContainerInfo*, owned */
  GHashTable  *by_id;        /* id -> PortholeContainerInfo*, borrowed from infos */
  char        *problem;
  Refresh     *refresh;
};

G_DEFINE_FINAL_TYPE (PortholeContainerNames, porthole_container_names, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
waiter_free (Waiter *waiter)
{
  if (waiter->caller != NULL)
    g_cancellable_disconnect (waiter->caller, waiter->handler);
  g_clear_object (&waiter->caller);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static gboolean
waiter_has_task (gconstpointer waiter, gconstpointer task)
{
  return ((const Waiter *) waiter)->task == task;
}

static void
refresh_clear (gpointer data)
{
  Refresh *refresh = data;

  g_clear_object (&refresh->cancellable);
  g_clear_pointer (&refresh->waiters, g_ptr_array_unref);
  for (guint i = 0; i < N_RUNTIMES; i++)
    {
      g_clear_pointer (&refresh->infos[i], g_ptr_array_unref);
      g_clear_pointer (&refresh->problems[i], g_free);
    }
}

static void
refresh_release (Refresh *refresh)
{
  g_rc_box_release_full (refresh, refresh_clear);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  refresh_release (job->refresh);
  g_free (job->socket_path);
  g_free (job->storage_path);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_error (&job->error);
  g_clear_pointer (&job->infos, g_ptr_array_unref);
  g_free (job->problem);
  g_free (job);
}

/* The refresh stops and its callers hear CANCELLED; the table stays as it was */
static void
refresh_abandon (PortholeContainerNames *self)
{
  Refresh *refresh = g_steal_pointer (&self->refresh);

  if (refresh == NULL)
    return;
  refresh->self = NULL;
  g_cancellable_cancel (refresh->cancellable);
  for (guint i = 0; i < refresh->waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (refresh->waiters, i);

      g_task_return_new_error (waiter->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "Refresh cancelled");
    }
  g_ptr_array_set_size (refresh->waiters, 0);
  refresh_release (refresh);
}

static void
set_table (PortholeContainerNames *self, GPtrArray *infos)
{
  g_ptr_array_unref (self->infos);
  self->infos = infos;
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < infos->len; i++)
    {
      PortholeContainerInfo *info = g_ptr_array_index (infos, i);

      g_hash_table_insert (self->by_id, info->id, info);
    }
}

static gboolean
table_equal (PortholeContainerNames *self, GPtrArray *infos)
{
  if (infos->len != self->infos->len)
    return FALSE;
  for (guint i = 0; i < infos->len; i++)
    {
      PortholeContainerInfo *info = g_ptr_array_index (infos, i);
      PortholeContainerInfo *old = g_hash_table_lookup (self->by_id, info->id);

      if (old == NULL || !porthole_container_info_equal (old, info))
        return FALSE;
    }
  return TRUE;
}

static void
refresh_apply (PortholeContainerNames *self, Refresh *refresh)
{
  g_autoptr(GPtrArray) infos = porthole_container_info_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) problem = g_string_new (NULL);

  for (guint r = 0; r < N_RUNTIMES; r++)
    {
      if (refresh->problems[r] != NULL)
        g_string_append_printf (problem, "%s%s", problem->len > 0 ? "\n" : "",
                                refresh->problems[r]);
      for (guint i = 0; refresh->infos[r] != NULL && i < refresh->infos[r]->len; i++)
        {
          PortholeContainerInfo *info = g_ptr_array_index (refresh->infos[r], i);

          /* The same id from both runtimes would be a lie from one of them: first one wins */
          if (!g_hash_table_add (seen, info->id))
            continue;
          g_ptr_array_add (infos, info);
          g_ptr_array_index (refresh->infos[r], i) = NULL;
        }
    }
  if (g_strcmp0 (self->problem, problem->len > 0 ? problem->str : NULL) != 0)
    {
      g_free (self->problem);
      self->problem = problem->len > 0 ? g_strdup (problem->str) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
  /* A refresh with nothing new keeps the old table, so borrowed pointers stay valid */
  if (!table_equal (self, infos))
    {
      set_table (self, g_steal_pointer (&infos));
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
}

static void
runtime_done (Refresh *refresh)
{
  PortholeContainerNames *self = refresh->self;
  g_autoptr(GPtrArray) waiters = NULL;

  if (--refresh->pending > 0 || self == NULL)
    return;
  self->refresh = NULL;
  refresh->self = NULL;
  waiters = g_steal_pointer (&refresh->waiters);
  refresh->waiters = g_ptr_array_new ();
  g_object_ref (self);
  refresh_apply (self, refresh);
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      g_task_return_boolean (waiter->task, TRUE);
    }
  g_object_unref (self);
  refresh_release (refresh);
}

static void
on_digested (GObject *source, GAsyncResult *result, gpointer data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  Refresh *refresh = job->refresh;

  refresh->infos[job->runtime] = g_steal_pointer (&job->infos);
  refresh->problems[job->runtime] = g_steal_pointer (&job->problem);
  runtime_done (refresh);
}

static void
digest_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;

  job->infos = porthole_container_info_array_new ();
  job->problem = porthole_container_names_digest (runtime_ids[job->runtime], job->socket_path,
                                                  job->storage_path, job->body, job->error,
                                                  job->timeout_ms, job->max_bytes, job->infos);
  g_task_return_boolean (task, TRUE);
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  Job *job = data;
  g_autoptr(GTask) task = NULL;

  job->body = porthole_container_names_fetch_finish (result, &job->error);
  if (g_error_matches (job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      runtime_done (job->refresh);
      job_free (job);
      return;
    }
  /* Parsing up to max_bytes of JSON (and reading Podman's storage file) is worker work */
  task = g_task_new (NULL, NULL, on_digested, NULL);
  g_task_set_source_tag (task, on_fetched);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, digest_thread);
}

static void
query (PortholeContainerNames *self, Refresh *refresh, Runtime runtime)
{
  Job *job = g_new0 (Job, 1);

  job->refresh = g_rc_box_acquire (refresh);
  job->runtime = runtime;
  job->socket_path = g_strdup (self->sockets[runtime]);
  if (runtime == PODMAN)
    job->storage_path = g_build_filename (self->storage_root, "overlay-containers",
                                          "containers.json", NULL);
  job->timeout_ms = self->timeout_ms;
  job->max_bytes = self->max_bytes;
  porthole_container_names_fetch_async (self->sessions[runtime], self->sockets[runtime],
                                        runtime == DOCKER ? docker_paths : podman_paths,
                                        self->timeout_ms, self->max_bytes, refresh->cancellable,
                                        on_fetched, job);
}

static gboolean
on_waiter_cancelled_idle (gpointer data)
{
  GTask *task = data;
  PortholeContainerNames *self = g_task_get_source_object (task);
  Refresh *refresh = self->refresh;
  guint index;

  /* Already answered, or the refresh it joined is gone */
  if (refresh == NULL || !g_ptr_array_find_with_equal_func (refresh->waiters, task,
                                                            waiter_has_task, &index))
    return G_SOURCE_REMOVE;
  g_task_return_error_if_cancelled (task);
  g_ptr_array_remove_index (refresh->waiters, index);
  if (refresh->waiters->len == 0)
    refresh_abandon (self);
  return G_SOURCE_REMOVE;
}

static void
on_waiter_cancelled (GCancellable *cancellable, gpointer data)
{
  GTask *task = data;
  g_autoptr(GSource) idle = g_idle_source_new ();

  /* Any thread, and maybe inside g_cancellable_connect(): the work is done from an idle in
   * the task's context, where disconnecting the handler is allowed */
  g_source_set_priority (idle, G_PRIORITY_HIGH);
  g_source_set_callback (idle, on_waiter_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
}

void
porthole_container_names_refresh_async (PortholeContainerNames *self,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data)
{
  Waiter *waiter;

  g_return_if_fail (PORTHOLE_IS_CONTAINER_NAMES (self));

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter->task, porthole_container_names_refresh_async);
  if (self->refresh == NULL)
    {
      Refresh *refresh = g_rc_box_new0 (Refresh);

      refresh->self = self;
      refresh->cancellable = g_cancellable_new ();
      refresh->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
      refresh->pending = N_RUNTIMES;
      self->refresh = refresh;
      g_ptr_array_add (refresh->waiters, waiter);
      for (guint r = 0; r < N_RUNTIMES; r++)
        query (self, refresh, r);
    }
  else
    g_ptr_array_add (self->refresh->waiters, waiter);
  if (cancellable != NULL)
    {
      waiter->caller = g_object_ref (cancellable);
      waiter->handler = g_cancellable_connect (cancellable, G_CALLBACK (on_waiter_cancelled),
                                               waiter->task, NULL);
    }
}

gboolean
porthole_container_names_refresh_finish (PortholeContainerNames *self,
                                         GAsyncResult           *result,
                                         GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == porthole_container_names_refresh_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const PortholeContainerInfo *
porthole_container_names_lookup (PortholeContainerNames *self, const char *id)
{
  const PortholeContainerInfo *found = NULL;
  gsize length;

  g_return_val_if_fail (PORTHOLE_IS_CONTAINER_NAMES (self), NULL);

  if (id == NULL)
    return NULL;
  found = g_hash_table_lookup (self->by_id, id);
  length = strlen (id);
  if (found != NULL || length < MIN_PREFIX)
    return found;
  /* A dozen containers, rarely a hundred: a scan costs less than keeping a prefix index */
  for (guint i = 0; i < self->infos->len; i++)
    {
      const PortholeContainerInfo *info = g_ptr_array_index (self->infos, i);

      if (g_ascii_strncasecmp (info->id, id, length) != 0 || strlen (info->id) < length)
        continue;
      if (found != NULL)
        return NULL;
      found = info;
    }
  return found;
}

GPtrArray *
porthole_container_names_list (PortholeContainerNames *self)
{
  g_return_val_if_fail (PORTHOLE_IS_CONTAINER_NAMES (self), NULL);
  return self->infos;
}

const char *
porthole_container_names_get_problem (PortholeContainerNames *self)
{
  g_return_val_if_fail (PORTHOLE_IS_CONTAINER_NAMES (self), NULL);
  return self->problem;
}

void
porthole_container_names_set_timeout (PortholeContainerNames *self, guint timeout_ms)
{
  g_return_if_fail (PORTHOLE_IS_CONTAINER_NAMES (self));
  self->timeout_ms = MAX (timeout_ms, 1);
}

void
porthole_container_names_set_max_bytes (PortholeContainerNames *self, gsize max_bytes)
{
  g_return_if_fail (PORTHOLE_IS_CONTAINER_NAMES (self));
  self->max_bytes = max_bytes;
}

static void
porthole_container_names_dispose (GObject *object)
{
  PortholeContainerNames *self = PORTHOLE_CONTAINER_NAMES (object);

  refresh_abandon (self);
  for (guint r = 0; r < N_RUNTIMES; r++)
    g_clear_object (&self->sessions[r]);
  G_OBJECT_CLASS (porthole_container_names_parent_class)->dispose (object);
}

static void
porthole_container_names_finalize (GObject *object)
{
  PortholeContainerNames *self = PORTHOLE_CONTAINER_NAMES (object);

  for (guint r = 0; r < N_RUNTIMES; r++)
    g_free (self->sockets[r]);
  g_free (self->storage_root);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->infos);
  g_free (self->problem);
  G_OBJECT_CLASS (porthole_container_names_parent_class)->finalize (object);
}

static void
porthole_container_names_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PortholeContainerNames *self = PORTHOLE_CONTAINER_NAMES (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_container_names_class_init (PortholeContainerNamesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = porthole_container_names_dispose;
  object_class->finalize = porthole_container_names_finalize;
  object_class->get_property = porthole_container_names_get_property;

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
porthole_container_names_init (PortholeContainerNames *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->max_bytes = DEFAULT_MAX_BYTES;
  self->infos = porthole_container_info_array_new ();
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

PortholeContainerNames *
porthole_container_names_new (const char *docker_socket,
                              const char *podman_socket,
                              const char *storage_root)
{
  PortholeContainerNames *self = g_object_new (PORTHOLE_TYPE_CONTAINER_NAMES, NULL);
  gboolean root = geteuid () == 0;

  self->sockets[DOCKER] = g_strdup (docker_socket != NULL ? docker_socket : "/var/run/docker.sock");
  if (podman_socket != NULL)
    self->sockets[PODMAN] = g_strdup (podman_socket);
  else
    {
      /* Root's Podman listens in /run/podman; a user's in the user's runtime directory */
      g_autofree char *user = g_build_filename (g_get_user_runtime_dir (), "podman",
                                                "podman.sock", NULL);

      if (root && !g_file_test (user, G_FILE_TEST_EXISTS))
        self->sockets[PODMAN] = g_strdup ("/run/podman/podman.sock");
      else
        self->sockets[PODMAN] = g_steal_pointer (&user);
    }
  if (storage_root != NULL)
    self->storage_root = g_strdup (storage_root);
  else if (root)
    self->storage_root = g_strdup ("/var/lib/containers/storage");
  else
    self->storage_root = g_build_filename (g_get_user_data_dir (), "containers", "storage", NULL);
  for (guint r = 0; r < N_RUNTIMES; r++)
    self->sessions[r] = porthole_container_names_session_new (self->sockets[r]);
  return self;
}
