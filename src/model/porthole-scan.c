/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-scan.h"

#include "porthole-connect-scan.h"
#include "porthole-net-error.h"
#include "porthole-portlist.h"
#include "porthole-services.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <net/if.h>

/* How often the scanning threads' progress is carried to the properties */
#define TICK_MS 80

G_DEFINE_QUARK (porthole-scan-error-quark, porthole_scan_error)

typedef struct {
  PortholeScan        *self;
  PortholeConnectScan  engine;
  PortholePortList    *ports;
  GMutex               lock;
  GArray              *found;      /* guint16: open ports not yet in the results, under lock */
  gint64               start_us;
  gint64               end_us;
} ScanRun;

struct _PortholeScan {
  GObject       parent_instance;

  char         *host;
  char         *ports;
  guint         concurrency;
  guint         rate;
  guint         timeout_ms;
  gboolean      confirmed;

  gboolean      running;
  char         *address;
  double        progress;
  guint         total;
  guint         done;
  guint         open;
  guint         closed;
  guint         filtered;
  double        elapsed_ms;
  GListStore   *results;

  ScanRun      *run;
  GCancellable *cancellable;
  GCancellable *external;
  gulong        external_id;
  guint         tick;
};

G_DEFINE_FINAL_TYPE (PortholeScan, porthole_scan, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORTS,
  PROP_CONCURRENCY,
  PROP_RATE,
  PROP_TIMEOUT_MS,
  PROP_CONFIRMED,
  PROP_RUNNING,
  PROP_ADDRESS,
  PROP_PROGRESS,
  PROP_PORTS_TOTAL,
  PROP_PORTS_DONE,
  PROP_OPEN_COUNT,
  PROP_CLOSED_COUNT,
  PROP_FILTERED_COUNT,
  PROP_ELAPSED_MS,
  PROP_RESULTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_cancelled (PortholeScan *self)
{
  return self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);
}

static void
set_uint (PortholeScan *self, guint *field, guint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  if (!is_cancelled (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_double (PortholeScan *self, double *field, double value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  if (!is_cancelled (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_running (PortholeScan *self, gboolean running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
scan_run_free (gpointer data)
{
  ScanRun *run = data;

  g_clear_object (&run->engine.address);
  g_clear_pointer (&run->ports, porthole_port_list_free);
  g_mutex_clear (&run->lock);
  g_array_unref (run->found);
  g_free (run);
}

/* Called from the scanning threads */
static void
on_open (guint16 port, gpointer data)
{
  ScanRun *run = data;

  g_mutex_lock (&run->lock);
  g_array_append_val (run->found, port);
  g_mutex_unlock (&run->lock);
}

static int
compare_results (gconstpointer a, gconstpointer b, gpointer data)
{
  return (int) porthole_scan_result_get_port ((PortholeScanResult *) a) -
         (int) porthole_scan_result_get_port ((PortholeScanResult *) b);
}

/* Carries the threads' progress to the properties and the results (main context) */
static void
update (PortholeScan *self, ScanRun *run)
{
  PortholeConnectScan *engine = &run->engine;
  g_autoptr(GArray) found = NULL;
  gint64 end = run->end_us != 0 ? run->end_us : g_get_monotonic_time ();

  g_mutex_lock (&run->lock);
  found = g_steal_pointer (&run->found);
  run->found = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_mutex_unlock (&run->lock);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < found->len; i++)
    {
      guint16 port = g_array_index (found, guint16, i);
      const char *service = porthole_services_lookup (porthole_services_get_default (), port, "tcp");
      g_autoptr(PortholeScanResult) result = porthole_scan_result_new (port, service);

      g_list_store_insert_sorted (self->results, result, compare_results, NULL);
    }
  set_uint (self, &self->done, (guint) g_atomic_int_get (&engine->done), PROP_PORTS_DONE);
  set_uint (self, &self->open, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
            PROP_OPEN_COUNT);
  set_uint (self, &self->closed, (guint) g_atomic_int_get (&engine->closed), PROP_CLOSED_COUNT);
  set_uint (self, &self->filtered, (guint) g_atomic_int_get (&engine->filtered),
            PROP_FILTERED_COUNT);
  set_double (self, &self->progress, self->total > 0 ? (double) self->done / self->total : 1.0,
              PROP_PROGRESS);
  set_double (self, &self->elapsed_ms, (end - run->start_us) / 1000.0, PROP_ELAPSED_MS);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
on_tick (gpointer data)
{
  PortholeScan *self = data;

  if (self->run == NULL || is_cancelled (self))
    {
      self->tick = 0;
      return G_SOURCE_REMOVE;
    }
  update (self, self->run);
  return G_SOURCE_CONTINUE;
}

/* Ends the run; takes @task's reference and @error. */
static void
complete (GTask *task, GError *error)
{
  PortholeScan *self = g_task_get_source_object (task);

  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->external != NULL)
    g_cancellable_disconnect (self->external, self->external_id);
  g_clear_object (&self->external);
  self->external_id = 0;
  self->run = NULL;
  if (is_cancelled (self))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The scan was cancelled"));
    }
  else
    set_running (self, FALSE);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
scan_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ScanRun *run = data;
  GError *error = NULL;
  gboolean ok = porthole_connect_scan_run (&run->engine, cancellable, &error);

  run->end_us = g_get_monotonic_time ();
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_scan_done (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *outer = data;
  PortholeScan *self = PORTHOLE_SCAN (source);
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (!is_cancelled (self))
    update (self, g_task_get_task_data (outer));
  complete (outer, error);
}

static void
begin_scan (GTask *task, GInetAddress *address, guint scope_id)
{
  PortholeScan *self = g_task_get_source_object (task);
  ScanRun *run = g_task_get_task_data (task);
  g_autofree char *text = g_inet_address_to_string (address);
  GTask *inner;

  if (!g_inet_address_get_is_loopback (address) && !self->confirmed)
    {
      complete (task, g_error_new (PORTHOLE_SCAN_ERROR, PORTHOLE_SCAN_ERROR_NOT_CONFIRMED,
                                   _("%s is not this machine: only scan hosts you are "
                                     "authorised to test, and confirm first"), text));
      return;
    }
  g_free (self->address);
  self->address = g_steal_pointer (&text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);

  run->engine.address = g_object_ref (address);
  run->engine.scope_id = scope_id;
  run->engine.ports = run->ports;
  run->engine.concurrency = self->concurrency;
  run->engine.rate = self->rate;
  run->engine.timeout_ms = self->timeout_ms;
  run->engine.on_open = on_open;
  run->engine.user_data = run;
  run->start_us = g_get_monotonic_time ();
  self->tick = g_timeout_add (TICK_MS, on_tick, self);

  inner = g_task_new (self, self->cancellable, on_scan_done, task);
  g_task_set_source_tag (inner, begin_scan);
  g_task_set_task_data (inner, run, NULL);
  g_task_run_in_thread (inner, scan_thread);
  g_object_unref (inner);
}

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  GError *error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  GInetAddress *chosen;

  if (addresses == NULL || is_cancelled (g_task_get_source_object (task)))
    {
      g_resolver_free_addresses (addresses);
      complete (task, error);
      return;
    }
  /* Like nmap, prefer IPv4: "localhost" then means 127.0.0.1, where most services listen */
  chosen = addresses->data;
  for (GList *l = addresses; l != NULL; l = l->next)
    if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
      {
        chosen = l->data;
        break;
      }
  begin_scan (task, chosen, 0);
  g_resolver_free_addresses (addresses);
}

/* The caller's cancellable may fire in any thread: hop to the main context */
static gboolean
cancel_in_main (gpointer data)
{
  porthole_scan_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
on_external_cancelled (GCancellable *cancellable, gpointer data)
{
  PortholeScan *self = data;

  g_cancellable_cancel (self->cancellable);
  g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, cancel_in_main, g_object_ref (self),
                              g_object_unref);
}

static void
reset (PortholeScan *self, guint total)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_list_store_remove_all (self->results);
  set_uint (self, &self->total, total, PROP_PORTS_TOTAL);
  set_uint (self, &self->done, 0, PROP_PORTS_DONE);
  set_uint (self, &self->open, 0, PROP_OPEN_COUNT);
  set_uint (self, &self->closed, 0, PROP_CLOSED_COUNT);
  set_uint (self, &self->filtered, 0, PROP_FILTERED_COUNT);
  set_double (self, &self->progress, 0, PROP_PROGRESS);
  set_double (self, &self->elapsed_ms, 0, PROP_ELAPSED_MS);
  if (self->address != NULL)
    {
      g_clear_pointer (&self->address, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
porthole_scan_run_async (PortholeScan        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(PortholeTarget) target = NULL;
  g_autoptr(PortholePortList) ports = NULL;
  GError *error = NULL;
  ScanRun *run;
  GTask *task;

  g_return_if_fail (PORTHOLE_IS_SCAN (self));

  if (self->running)
    {
      task = g_task_new (self, NULL, callback, user_data);
      g_task_set_source_tag (task, porthole_scan_run_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("The scan is running"));
      g_object_unref (task);
      return;
    }
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, porthole_scan_run_async);

  target = porthole_target_parse_host (self->host, &error);
  if (target != NULL)
    ports = porthole_port_list_parse (self->ports, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  run = g_new0 (ScanRun, 1);
  run->self = self;
  run->ports = g_steal_pointer (&ports);
  run->found = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_mutex_init (&run->lock);
  g_task_set_task_data (task, run, scan_run_free);
  self->run = run;
  reset (self, porthole_port_list_get_count (run->ports));
  set_running (self, TRUE);

  if (cancellable != NULL)
    {
      self->external = g_object_ref (cancellable);
      self->external_id = g_cancellable_connect (cancellable, G_CALLBACK (on_external_cancelled),
                                                 self, NULL);
    }
  if (is_cancelled (self))
    complete (task, NULL);
  else if (target->is_ip)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (target->host);
      guint scope_id = target->zone != NULL ? if_nametoindex (target->zone) : 0;

      begin_scan (task, address, scope_id);
    }
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, target->host, self->cancellable, on_resolved,
                                       task);
    }
}

gboolean
porthole_scan_run_finish (PortholeScan *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == porthole_scan_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
porthole_scan_cancel (PortholeScan *self)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick, g_source_remove);
  set_running (self, FALSE);
}

PortholeScan *
porthole_scan_new (const char *host, const char *ports)
{
  return g_object_new (PORTHOLE_TYPE_SCAN, "host", host, "ports", ports, NULL);
}

void
porthole_scan_set_host (PortholeScan *self, const char *host)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  if (g_strcmp0 (self->host, host) == 0)
    return;
  g_free (self->host);
  self->host = g_strdup (host);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

const char *
porthole_scan_get_host (PortholeScan *self)
{
  return self->host;
}

void
porthole_scan_set_ports (PortholeScan *self, const char *ports)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  if (g_strcmp0 (self->ports, ports) == 0)
    return;
  g_free (self->ports);
  self->ports = g_strdup (ports);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTS]);
}

const char *
porthole_scan_get_ports (PortholeScan *self)
{
  return self->ports;
}

void
porthole_scan_set_concurrency (PortholeScan *self, guint concurrency)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  set_uint (self, &self->concurrency, CLAMP (concurrency, 1, 10000), PROP_CONCURRENCY);
}

guint
porthole_scan_get_concurrency (PortholeScan *self)
{
  return self->concurrency;
}

void
porthole_scan_set_rate (PortholeScan *self, guint per_second)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  set_uint (self, &self->rate, per_second, PROP_RATE);
}

guint
porthole_scan_get_rate (PortholeScan *self)
{
  return self->rate;
}

void
porthole_scan_set_timeout_ms (PortholeScan *self, guint timeout_ms)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  set_uint (self, &self->timeout_ms, MAX (timeout_ms, 1), PROP_TIMEOUT_MS);
}

guint
porthole_scan_get_timeout_ms (PortholeScan *self)
{
  return self->timeout_ms;
}

void
porthole_scan_set_confirmed (PortholeScan *self, gboolean confirmed)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  set_uint (self, (guint *) &self->confirmed, !!confirmed, PROP_CONFIRMED);
}

gboolean
porthole_scan_get_confirmed (PortholeScan *self)
{
  return self->confirmed;
}

gboolean
porthole_scan_get_running (PortholeScan *self)
{
  return self->running;
}

const char *
porthole_scan_get_address (PortholeScan *self)
{
  return self->address;
}

double
porthole_scan_get_progress (PortholeScan *self)
{
  return self->progress;
}

guint
porthole_scan_get_ports_total (PortholeScan *self)
{
  return self->total;
}

guint
porthole_scan_get_ports_done (PortholeScan *self)
{
  return self->done;
}

guint
porthole_scan_get_open_count (PortholeScan *self)
{
  return self->open;
}

guint
porthole_scan_get_closed_count (PortholeScan *self)
{
  return self->closed;
}

guint
porthole_scan_get_filtered_count (PortholeScan *self)
{
  return self->filtered;
}

double
porthole_scan_get_elapsed_ms (PortholeScan *self)
{
  return self->elapsed_ms;
}

GListModel *
porthole_scan_get_results (PortholeScan *self)
{
  return G_LIST_MODEL (self->results);
}

static void
porthole_scan_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  switch (prop_id)
    {
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_PORTS: g_value_set_string (value, self->ports); break;
    case PROP_CONCURRENCY: g_value_set_uint (value, self->concurrency); break;
    case PROP_RATE: g_value_set_uint (value, self->rate); break;
    case PROP_TIMEOUT_MS: g_value_set_uint (value, self->timeout_ms); break;
    case PROP_CONFIRMED: g_value_set_boolean (value, self->confirmed); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_PROGRESS: g_value_set_double (value, self->progress); break;
    case PROP_PORTS_TOTAL: g_value_set_uint (value, self->total); break;
    case PROP_PORTS_DONE: g_value_set_uint (value, self->done); break;
    case PROP_OPEN_COUNT: g_value_set_uint (value, self->open); break;
    case PROP_CLOSED_COUNT: g_value_set_uint (value, self->closed); break;
    case PROP_FILTERED_COUNT: g_value_set_uint (value, self->filtered); break;
    case PROP_ELAPSED_MS: g_value_set_double (value, self->elapsed_ms); break;
    case PROP_RESULTS: g_value_set_object (value, self->results); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_scan_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  switch (prop_id)
    {
    case PROP_HOST: porthole_scan_set_host (self, g_value_get_string (value)); break;
    case PROP_PORTS: porthole_scan_set_ports (self, g_value_get_string (value)); break;
    case PROP_CONCURRENCY: porthole_scan_set_concurrency (self, g_value_get_uint (value)); break;
    case PROP_RATE: porthole_scan_set_rate (self, g_value_get_uint (value)); break;
    case PROP_TIMEOUT_MS: porthole_scan_set_timeout_ms (self, g_value_get_uint (value)); break;
    case PROP_CONFIRMED: porthole_scan_set_confirmed (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_scan_dispose (GObject *object)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  porthole_scan_cancel (self);
  G_OBJECT_CLASS (porthole_scan_parent_class)->dispose (object);
}

static void
porthole_scan_finalize (GObject *object)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  g_free (self->host);
  g_free (self->ports);
  g_free (self->address);
  g_clear_object (&self->results);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (porthole_scan_parent_class)->finalize (object);
}

static void
porthole_scan_class_init (PortholeScanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = porthole_scan_get_property;
  object_class->set_property = porthole_scan_set_property;
  object_class->dispose = porthole_scan_dispose;
  object_class->finalize = porthole_scan_finalize;

  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, rw);
  properties[PROP_PORTS] = g_param_spec_string ("ports", NULL, NULL, "1-1024", rw);
  properties[PROP_CONCURRENCY] = g_param_spec_uint ("concurrency", NULL, NULL, 1, 10000,
                                                    PORTHOLE_SCAN_DEFAULT_CONCURRENCY, rw);
  properties[PROP_RATE] = g_param_spec_uint ("rate", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_TIMEOUT_MS] = g_param_spec_uint ("timeout-ms", NULL, NULL, 1, G_MAXUINT,
                                                   PORTHOLE_SCAN_DEFAULT_TIMEOUT_MS, rw);
  properties[PROP_CONFIRMED] = g_param_spec_boolean ("confirmed", NULL, NULL, FALSE, rw);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_PORTS_TOTAL] = g_param_spec_uint ("ports-total", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_PORTS_DONE] = g_param_spec_uint ("ports-done", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_OPEN_COUNT] = g_param_spec_uint ("open-count", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_CLOSED_COUNT] = g_param_spec_uint ("closed-count", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_FILTERED_COUNT] = g_param_spec_uint ("filtered-count", NULL, NULL, 0, 65535, 0,
                                                       ro);
  properties[PROP_ELAPSED_MS] = g_param_spec_double ("elapsed-ms", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                     ro);
  properties[PROP_RESULTS] = g_param_spec_object ("results", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_scan_init (PortholeScan *self)
{
  self->ports = g_strdup ("1-1024");
  self->concurrency = PORTHOLE_SCAN_DEFAULT_CONCURRENCY;
  self->timeout_ms = PORTHOLE_SCAN_DEFAULT_TIMEOUT_MS;
  self->results = g_list_store_new (PORTHOLE_TYPE_SCAN_RESULT);
}
