/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* Sockets in other network namespaces: which container each belongs to, and which ports are
 * published from a container on a host port (both ends carry the PortholePublished). The
 * worker side finds containers and joins forwarders to container listeners; the main thread
 * sets the result on the items and keeps the runtimes' names fresh. */

#include "porthole-socket-monitor-private.h"

#include "porthole-escape.h"
#include "porthole-forwarder.h"
#include "porthole-procmap.h"

#include <string.h>
#include <sys/socket.h>

/* The runtimes are asked again at most this often, and only while containers are seen */
#define NAMES_REFRESH_US (10 * G_USEC_PER_SEC)

/* ---- worker: which container ------------------------------------------------------------- */

struct _PortholeMonitorContainers {
  const char *proc_root;
  GHashTable *by_pid;   /* pid -> PortholeContainerRef* (runtime NONE: not in one) */
};

static void
ref_free (gpointer data)
{
  porthole_container_ref_clear (data);
  g_free (data);
}

PortholeMonitorContainers *
porthole_monitor_containers_new (const char *proc_root)
{
  PortholeMonitorContainers *mc = g_new0 (PortholeMonitorContainers, 1);

  mc->proc_root = proc_root;
  mc->by_pid = g_hash_table_new_full (NULL, NULL, NULL, ref_free);
  return mc;
}

void
porthole_monitor_containers_free (PortholeMonitorContainers *mc)
{
  g_hash_table_unref (mc->by_pid);
  g_free (mc);
}

/* The container of process @pid, read once per refresh; NULL when it is in none */
static const PortholeContainerRef *
container_of_pid (PortholeMonitorContainers *mc, int pid)
{
  PortholeContainerRef *ref = g_hash_table_lookup (mc->by_pid, GINT_TO_POINTER (pid));

  if (ref == NULL)
    {
      ref = g_new0 (PortholeContainerRef, 1);
      if (!porthole_container_read (mc->proc_root, pid, ref))
        porthole_container_ref_clear (ref);
      g_hash_table_insert (mc->by_pid, GINT_TO_POINTER (pid), ref);
    }
  return ref->runtime != PORTHOLE_RUNTIME_NONE ? ref : NULL;
}

void
porthole_monitor_containers_assign (PortholeMonitorContainers *mc, PortholeSocket *socket, int ns_pid)
{
  const PortholeContainerRef *ref = NULL;
  PortholeContainerRef copy;

  /* The owner says best (a container on the host's network, a Flatpak app); a socket whose
   * owner cannot be seen belongs to its namespace's container */
  if (porthole_socket_get_pid (socket) > 0)
    ref = container_of_pid (mc, porthole_socket_get_pid (socket));
  if (ref == NULL && ns_pid > 0)
    ref = container_of_pid (mc, ns_pid);
  if (ref == NULL)
    return;
  copy.runtime = ref->runtime;
  copy.id = g_strdup (ref->id);
  copy.name = g_strdup (ref->name);
  porthole_socket_take_container (socket, &copy);
}

/* ---- worker: published ports ------------------------------------------------------------- */

static gboolean
is_forwarder_name (const char *process)
{
  static const char *const names[] = { "docker-proxy", "rootlessport", "pasta", "pasta.avx2",
                                       "slirp4netns", NULL };

  return process != NULL && g_strv_contains (names, process);
}

static PortholePublished *
published_new (const char *host_address, guint16 host_port, guint16 container_port,
               const PortholeContainerRef *container, const char *via)
{
  PortholePublished *p = g_new0 (PortholePublished, 1);

  p->host_address = g_strdup (host_address);
  p->host_port = host_port;
  p->container_port = container_port;
  if (container)
    {
      p->container.runtime = container->runtime;
      p->container.id = g_strdup (container->id);
      p->container.name = g_strdup (container->name);
    }
  p->via = g_strdup (via);
  return p;
}

static void
add (PortholeMonitorRefresh *rd, PortholeSocket *socket, PortholePublished *published)
{
  /* the first publication found for a socket wins */
  if (g_hash_table_contains (rd->published, socket))
    porthole_published_free (published);
  else
    g_hash_table_insert (rd->published, g_object_ref (socket), published);
}

/* The address family a forwarder connects to, 0 when it does not say */
static int
forward_family (const PortholeForward *f)
{
  if (f->container_address == NULL)
    return 0;
  return strchr (f->container_address, ':') ? AF_INET6 : AF_INET;
}

/* A listener in another namespace on @port: the container end of a forward. One of @family
 * (0: any) is preferred: docker-proxy connects to an IPv4 address, which an IPv6-only
 * listener on the same port never sees */
static PortholeSocket *
find_container_listener (GPtrArray *items, guint8 protocol, guint16 port, const char *container_id,
                         int family)
{
  PortholeSocket *other_family = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (items, i);
      const PortholeSockInfo *info = porthole_socket_get_info (s);
      const PortholeContainerRef *c = porthole_socket_get_container (s);

      if (info->netns == 0 || info->protocol != protocol || info->local_port != port ||
          !porthole_socket_is_listening (s))
        continue;
      /* Without the runtime's word the first one is taken: two containers listening on the
       * same port behind two forwarders are told apart only by the runtime */
      if (container_id == NULL || (c && c->id && g_ascii_strcasecmp (c->id, container_id) == 0))
        {
          if (family == 0 || info->family == family)
            return s;
          if (other_family == NULL)
            other_family = s;
        }
    }
  return other_family;
}

void
porthole_monitor_published_join (PortholeMonitorRefresh *rd, GPtrArray *items)
{
  g_autoptr(GHashTable) forwards_by_pid = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);

  rd->published = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) porthole_published_free);

  /* Forwarders on the host: docker-proxy says exactly; pasta what it forwards to */
  for (guint i = 0; i < items->len; i++)
    {
      PortholeSocket *host = g_ptr_array_index (items, i);
      const PortholeSockInfo *info = porthole_socket_get_info (host);
      int pid = porthole_socket_get_pid (host);
      GArray *forwards;

      if (info->netns != 0 || !porthole_socket_is_listening (host) || pid <= 0 ||
          !is_forwarder_name (porthole_socket_get_process (host)))
        continue;
      forwards = g_hash_table_lookup (forwards_by_pid, GINT_TO_POINTER (pid));
      if (forwards == NULL && !g_hash_table_contains (forwards_by_pid, GINT_TO_POINTER (pid)))
        {
          forwards = porthole_forwarder_read (rd->proc_root, pid);
          g_hash_table_insert (forwards_by_pid, GINT_TO_POINTER (pid), forwards);
        }
      for (guint k = 0; forwards && k < forwards->len; k++)
        {
          const PortholeForward *f = &g_array_index (forwards, PortholeForward, k);
          PortholeSocket *inside;
          const PortholeContainerRef *container;

          if (f->protocol != info->protocol || f->host_port != info->local_port)
            continue;
          inside = find_container_listener (items, f->protocol, f->container_port, NULL,
                                            forward_family (f));
          container = inside ? porthole_socket_get_container (inside) : NULL;
          add (rd, host, published_new (f->host_address, f->host_port, f->container_port, container,
                                        porthole_socket_get_process (host)));
          if (inside)
            add (rd, inside, published_new (f->host_address, f->host_port, f->container_port, container,
                                            porthole_socket_get_process (host)));
        }
    }

  /* What the runtime says it publishes, which covers Docker without its userland proxy
   * (no host socket at all, only NAT rules) */
  for (guint i = 0; rd->api && i < rd->api->len; i++)
    {
      const PortholeContainerInfo *c = g_ptr_array_index (rd->api, i);

      for (guint k = 0; c->ports && k < c->ports->len; k++)
        {
          const PortholeContainerPort *port = &g_array_index (c->ports, PortholeContainerPort, k);
          PortholeSocket *inside;

          if (port->host_port == 0)
            continue;
          inside = find_container_listener (items, port->protocol, port->container_port, c->id, 0);
          if (inside && porthole_socket_get_container (inside))
            add (rd, inside, published_new (port->host_address, port->host_port, port->container_port,
                                            porthole_socket_get_container (inside), c->runtime));
        }
    }
}

/* ---- main thread ------------------------------------------------------------------------- */

void
porthole_monitor_published_apply (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd)
{
  GHashTableIter iter;
  gpointer key, value;

  /* Those no longer published (all of them once only our namespace is read) */
  g_hash_table_iter_init (&iter, self->published);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (rd->published == NULL || !g_hash_table_contains (rd->published, key))
      {
        porthole_socket_set_published (key, NULL);
        g_hash_table_iter_remove (&iter);
      }
  if (rd->published == NULL)
    return;
  /* set_published notifies only on a change: a quiet refresh stays quiet */
  g_hash_table_iter_init (&iter, rd->published);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      porthole_socket_set_published (key, porthole_published_copy (value));
      g_hash_table_add (self->published, g_object_ref (key));
    }
}

static void
on_names_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  porthole_container_names_refresh_finish (PORTHOLE_CONTAINER_NAMES (source), result, NULL);
}

static void
on_names_changed (PortholeContainerNames *names, PortholeSocketMonitor *self)
{
  g_signal_emit (self, porthole_socket_monitor_signals[CONTAINERS_CHANGED], 0);
}

PortholeContainerNames *
porthole_socket_monitor_get_container_names (PortholeSocketMonitor *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self), NULL);
  if (self->names_api == NULL)
    {
      self->names_api = porthole_container_names_new (NULL, NULL, NULL);
      g_signal_connect_object (self->names_api, "changed", G_CALLBACK (on_names_changed), self, 0);
    }
  return self->names_api;
}

void
porthole_monitor_names_maybe_refresh (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd)
{
  gint64 now = g_get_monotonic_time ();

  if (!rd->has_containers || (self->names_refreshed != 0 && now - self->names_refreshed < NAMES_REFRESH_US))
    return;
  self->names_refreshed = now;
  porthole_container_names_refresh_async (porthole_socket_monitor_get_container_names (self),
                                          self->cancellable, on_names_refreshed, NULL);
}

static void
snapshot_free (PortholeContainerInfo *info)
{
  for (guint i = 0; i < info->ports->len; i++)
    g_free (g_array_index (info->ports, PortholeContainerPort, i).host_address);
  g_array_unref (info->ports);
  g_free (info->id);
  g_free (info->runtime);
  g_free (info);
}

/* What the worker needs of the runtimes' answer (ids and ports), copied: the table may change
 * on the main thread while the worker runs */
GPtrArray *
porthole_monitor_names_snapshot (PortholeSocketMonitor *self)
{
  GPtrArray *list, *copy;

  if (self->names_api == NULL)
    return NULL;
  list = porthole_container_names_list (self->names_api);
  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) snapshot_free);
  for (guint i = 0; list && i < list->len; i++)
    {
      const PortholeContainerInfo *c = g_ptr_array_index (list, i);
      PortholeContainerInfo *info = g_new0 (PortholeContainerInfo, 1);

      info->id = g_strdup (c->id);
      info->runtime = g_strdup (c->runtime);
      info->ports = g_array_new (FALSE, FALSE, sizeof (PortholeContainerPort));
      for (guint k = 0; c->ports && k < c->ports->len; k++)
        {
          PortholeContainerPort port = g_array_index (c->ports, PortholeContainerPort, k);

          port.host_address = g_strdup (port.host_address);
          g_array_append_val (info->ports, port);
        }
      g_ptr_array_add (copy, info);
    }
  return copy;
}

char *
porthole_socket_monitor_dup_container_name (PortholeSocketMonitor *self, const PortholeContainerRef *ref)
{
  const PortholeContainerInfo *info;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self), NULL);
  if (ref == NULL || ref->runtime == PORTHOLE_RUNTIME_NONE)
    return NULL;
  info = self->names_api && ref->id ? porthole_container_names_lookup (self->names_api, ref->id) : NULL;
  if (info && info->name)
    return g_strdup (info->name);
  if (ref->name)
    return porthole_escape_text (ref->name, -1, FALSE);
  return porthole_container_short_id (ref);
}
