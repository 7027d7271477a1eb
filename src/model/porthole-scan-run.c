/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-scan-private.h"

#include "porthole-connect-scan.h"
#include "porthole-net-error.h"
#include "porthole-portlist.h"
#include "porthole-services.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <net/if.h>

/* How often the scanning threads' progress is carried to the properties */
#define TICK_MS 80

struct _PortholeScanRun {
  PortholeScan        *self;
  GCancellable        *cancellable;   /* this run's (self->cancellable belongs to the newest) */
  PortholeConnectScan  engine;
  PortholePortList    *ports;
  GMutex               lock;
  GArray              *found;      /* guint16: open ports not yet in the results, under lock */
  gint64               start_us;
  gint64               end_us;
};

static void
scan_run_free (gpointer data)
{
  PortholeScanRun *run = data;

  g_clear_object (&run->engine.address);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->ports, porthole_port_list_free);
  g_mutex_clear (&run->lock);
  g_array_unref (run->found);
  g_free (run);
}

/* Called from the scanning threads */
static void
on_open (guint16 port, gpointer data)
{
  PortholeScanRun *run = data;

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
update (PortholeScan *self, PortholeScanRun *run)
{
  PortholeConnectScan *engine = &run->engine;
  g_autoptr(GArray) found = NULL;
  gint64 end = run->end_us != 0 ? run->end_us : g_get_monotonic_time ();
  PortholeServices *services = porthole_services_get_default ();
  guint open;

  g_mutex_lock (&run->lock);
  found = g_steal_pointer (&run->found);
  run->found = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_mutex_unlock (&run->lock);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < found->len; i++)
    {
      guint16 port = g_array_index (found, guint16, i);
      const char *service = porthole_services_lookup (services, port, "tcp");
      g_autoptr(PortholeScanResult) result = porthole_scan_result_new (port, service);

      g_list_store_insert_sorted (self->results, result, compare_results, NULL);
    }
  open = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  porthole_scan_set_uint (self, &self->done, g_atomic_int_get (&engine->done), PROP_PORTS_DONE);
  porthole_scan_set_uint (self, &self->open, open, PROP_OPEN_COUNT);
  porthole_scan_set_uint (self, &self->closed, g_atomic_int_get (&engine->closed),
                          PROP_CLOSED_COUNT);
  porthole_scan_set_uint (self, &self->filtered, g_atomic_int_get (&engine->filtered),
                          PROP_FILTERED_COUNT);
  porthole_scan_set_double (self, &self->progress,
                            self->total > 0 ? (double) self->done / self->total : 1.0,
                            PROP_PROGRESS);
  porthole_scan_set_double (self, &self->elapsed_ms, (end - run->start_us) / 1000.0,
                            PROP_ELAPSED_MS);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
on_tick (gpointer data)
{
  PortholeScan *self = data;

  if (self->run == NULL || porthole_scan_is_cancelled (self))
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
  PortholeScanRun *run = g_task_get_task_data (task);

  /* A run cancelled and replaced by a new one at once must leave the new one's state alone */
  if (self->run == run)
    {
      g_clear_handle_id (&self->tick, g_source_remove);
      g_clear_pointer (&self->link, porthole_cancel_link_free);
      self->run = NULL;
    }
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The scan was cancelled"));
    }
  else
    porthole_scan_set_running (self, FALSE);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
scan_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PortholeScanRun *run = data;
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
  PortholeScanRun *run = g_task_get_task_data (outer);
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (!g_cancellable_is_cancelled (run->cancellable))
    update (self, run);
  complete (outer, error);
}

static void
begin_scan (GTask *task, GInetAddress *address, guint scope_id)
{
  PortholeScan *self = g_task_get_source_object (task);
  PortholeScanRun *run = g_task_get_task_data (task);
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
  g_object_notify_by_pspec (G_OBJECT (self), porthole_scan_properties[PROP_ADDRESS]);

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

  inner = g_task_new (self, run->cancellable, on_scan_done, task);
  g_task_set_source_tag (inner, begin_scan);
  g_task_set_task_data (inner, run, NULL);
  g_task_run_in_thread (inner, scan_thread);
  g_object_unref (inner);
}

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  PortholeScanRun *run = g_task_get_task_data (task);
  GError *error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  GInetAddress *chosen;

  if (addresses == NULL || g_cancellable_is_cancelled (run->cancellable))
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

static void
reset (PortholeScan *self, guint total)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_list_store_remove_all (self->results);
  porthole_scan_set_uint (self, &self->total, total, PROP_PORTS_TOTAL);
  porthole_scan_set_uint (self, &self->done, 0, PROP_PORTS_DONE);
  porthole_scan_set_uint (self, &self->open, 0, PROP_OPEN_COUNT);
  porthole_scan_set_uint (self, &self->closed, 0, PROP_CLOSED_COUNT);
  porthole_scan_set_uint (self, &self->filtered, 0, PROP_FILTERED_COUNT);
  porthole_scan_set_double (self, &self->progress, 0, PROP_PROGRESS);
  porthole_scan_set_double (self, &self->elapsed_ms, 0, PROP_ELAPSED_MS);
  if (self->address != NULL)
    {
      g_clear_pointer (&self->address, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), porthole_scan_properties[PROP_ADDRESS]);
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
  PortholeScanRun *run;
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

  run = g_new0 (PortholeScanRun, 1);
  run->self = self;
  run->cancellable = g_object_ref (self->cancellable);
  run->ports = g_steal_pointer (&ports);
  run->found = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_mutex_init (&run->lock);
  g_task_set_task_data (task, run, scan_run_free);
  self->run = run;
  reset (self, porthole_port_list_get_count (run->ports));
  porthole_scan_set_running (self, TRUE);

  self->link = porthole_cancel_link_new (cancellable, self->cancellable, G_OBJECT (self),
                                         (PortholeCancelFunc) porthole_scan_cancel);
  if (porthole_scan_is_cancelled (self))
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
  porthole_scan_set_running (self, FALSE);
}
