/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-socket-monitor-private.h"

#include <netinet/in.h>
#include <string.h>

/* The index answers "does anything listen on this port?" in O(1) for every cell of a table of
 * tens of thousands of rows. It is kept by apply, on the main thread, from the same change
 * list that updates the model, so it can never disagree with the items. Each key holds the
 * live listeners in model order (items are only ever appended, and removal keeps the order),
 * so the first one is the one a walk over the model would find first. */

static gpointer
listener_key (guint8 protocol, guint port)
{
  return GUINT_TO_POINTER ((protocol == IPPROTO_UDP ? 0x10000u : 0u) | (port & 0xffffu));
}

static GPtrArray *
lookup (PortholeSocketMonitor *self, guint8 protocol, guint port)
{
  return g_hash_table_lookup (self->listeners, listener_key (protocol, port));
}

/* Whether something listens on @port in namespace @netns: each namespace has its own ports */
static gboolean
listens_in (PortholeSocketMonitor *self, guint8 protocol, guint port, guint64 netns)
{
  GPtrArray *list = lookup (self, protocol, port);

  for (guint i = 0; list && i < list->len; i++)
    if (porthole_socket_get_netns (g_ptr_array_index (list, i)) == netns)
      return TRUE;
  return FALSE;
}

GHashTable *
porthole_monitor_listeners_new (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

void
porthole_monitor_listeners_count (PortholeSocketMonitor *self, PortholeSocket *socket, int delta)
{
  const PortholeSockInfo *info = porthole_socket_get_info (socket);
  gpointer key = listener_key (info->protocol, info->local_port);
  GPtrArray *list;

  if (!porthole_sockinfo_is_listening (info))
    return;
  list = g_hash_table_lookup (self->listeners, key);
  if (delta > 0)
    {
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (self->listeners, key, list);
        }
      g_ptr_array_add (list, g_object_ref (socket));
    }
  else if (list != NULL && g_ptr_array_remove (list, socket) && list->len == 0)
    {
      g_hash_table_remove (self->listeners, key);
    }
}

/* "tcp", "udp", or NULL for either; anything else names no protocol we list */
static gboolean
protocol_wanted (const char *protocol, guint8 which)
{
  if (protocol == NULL)
    return TRUE;
  return strcmp (protocol, which == IPPROTO_UDP ? "udp" : "tcp") == 0;
}

gboolean
porthole_socket_monitor_has_listener (PortholeSocketMonitor *self, const char *protocol, guint port)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self), FALSE);

  return (protocol_wanted (protocol, IPPROTO_TCP) && lookup (self, IPPROTO_TCP, port) != NULL) ||
         (protocol_wanted (protocol, IPPROTO_UDP) && lookup (self, IPPROTO_UDP, port) != NULL);
}

/* The first of @list in model order in our own namespace (@own) or in any */
static PortholeSocket *
first_in (GPtrArray *list, gboolean own)
{
  for (guint i = 0; list && i < list->len; i++)
    if (!own || porthole_socket_get_netns (g_ptr_array_index (list, i)) == 0)
      return g_ptr_array_index (list, i);
  return NULL;
}

PortholeSocket *
porthole_socket_monitor_find_listener (PortholeSocketMonitor *self, guint port, const char *protocol)
{
  GPtrArray *tcp, *udp;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self), NULL);

  tcp = protocol_wanted (protocol, IPPROTO_TCP) ? lookup (self, IPPROTO_TCP, port) : NULL;
  udp = protocol_wanted (protocol, IPPROTO_UDP) ? lookup (self, IPPROTO_UDP, port) : NULL;

  /* This computer's own port first: a container's port of the same number is another port;
   * then, when both protocols listen there (DNS on 53), the one the model lists first */
  for (int own = 1; own >= 0; own--)
    {
      PortholeSocket *first_tcp = first_in (tcp, own), *first_udp = first_in (udp, own);

      if (first_tcp == NULL || first_udp == NULL)
        {
          if (first_tcp || first_udp)
            return first_tcp ? first_tcp : first_udp;
          continue;
        }
      for (guint i = 0; i < self->items->len; i++)
        {
          PortholeSocket *s = g_ptr_array_index (self->items, i);

          if (s == first_tcp || s == first_udp)
            return s;
        }
    }
  return NULL;
}

gboolean
porthole_socket_monitor_local_is_ephemeral (PortholeSocketMonitor *self, PortholeSocket *socket)
{
  const PortholeSockInfo *info;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self), FALSE);
  g_return_val_if_fail (PORTHOLE_IS_SOCKET (socket), FALSE);

  info = porthole_socket_get_info (socket);
  /* A port something listens on is the server side, whatever range it is in */
  return !porthole_sockinfo_is_listening (info) &&
         !listens_in (self, info->protocol, info->local_port, info->netns) &&
         porthole_port_is_ephemeral (&self->sysctl, info->local_port);
}

gboolean
porthole_socket_monitor_remote_is_ephemeral (PortholeSocketMonitor *self, PortholeSocket *socket)
{
  const PortholeSockInfo *info;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (self), FALSE);
  g_return_val_if_fail (PORTHOLE_IS_SOCKET (socket), FALSE);

  info = porthole_socket_get_info (socket);
  if (porthole_sockinfo_is_listening (info) || info->remote_port == 0)
    return FALSE;
  /* Our side is a server's port: the peer is the client */
  if (listens_in (self, info->protocol, info->local_port, info->netns))
    return TRUE;
  /* Our side is the client: the peer is the server */
  if (porthole_port_is_ephemeral (&self->sysctl, info->local_port))
    return FALSE;
  /* A loopback peer is in the same namespace, so its listeners are in the index too */
  if (porthole_address_is_loopback (info->family, info->remote_addr) &&
      listens_in (self, info->protocol, info->remote_port, info->netns))
    return FALSE;
  /* Neither side says: the peer's range is unknown, so ours or the IANA dynamic range */
  return porthole_port_is_ephemeral (&self->sysctl, info->remote_port) ||
         porthole_port_range (info->remote_port) == PORTHOLE_RANGE_DYNAMIC;
}

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
      /* Another namespace's port 80 is another port 80 */
      if (info->protocol != l->protocol || info->local_port != l->local_port ||
          info->netns != l->netns)
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
porthole_monitor_listener_serving (PortholeSocketMonitor *self, PortholeSocket *connection)
{
  const PortholeSockInfo *info = porthole_socket_get_info (connection);
  GPtrArray *list;
  PortholeSocket *wildcard = NULL;

  if (porthole_sockinfo_is_listening (info) || info->protocol != IPPROTO_TCP)
    return NULL;
  list = lookup (self, info->protocol, info->local_port);
  for (guint i = 0; list && i < list->len; i++)
    {
      PortholeSocket *l = g_ptr_array_index (list, i);
      const PortholeSockInfo *li = porthole_socket_get_info (l);

      if (li->netns != info->netns)
        continue;
      /* A listener bound to the connection's own address took it; else a wildcard one did */
      if (li->family == info->family && memcmp (li->local_addr, info->local_addr, 16) == 0)
        return l;
      if (wildcard == NULL && porthole_address_is_any (li->family, li->local_addr) &&
          (li->family == info->family ||
           (li->family == AF_INET6 && !(li->flags & PORTHOLE_SOCKINFO_V6ONLY))))
        wildcard = l;
    }
  return wildcard;
}

PortholeSocket *
porthole_monitor_listener_at (PortholeSocketMonitor *self, guint8 protocol, guint port, guint64 netns)
{
  GPtrArray *list = lookup (self, protocol, port);

  for (guint i = 0; list && i < list->len; i++)
    if (porthole_socket_get_netns (g_ptr_array_index (list, i)) == netns)
      return g_ptr_array_index (list, i);
  return NULL;
}
