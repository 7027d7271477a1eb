/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-text.h"

#include "porthole-escape.h"

#include <glib/gi18n.h>
#include <string.h>

char *
porthole_socket_address_text (PortholeSocket *s)
{
  const char *endpoint = porthole_socket_get_local_endpoint (s);
  const char *colon = strrchr (endpoint, ':');

  /* The endpoint already spells 0.0.0.0, [::] and the dual-stack * apart; drop the port */
  return colon ? g_strndup (endpoint, colon - endpoint) : g_strdup (endpoint);
}

const char *
porthole_socket_address_tooltip (PortholeSocket *s)
{
  const char *endpoint = porthole_socket_get_local_endpoint (s);

  /* Another namespace's addresses are its own, not this computer's */
  if (porthole_socket_get_netns (s) != 0)
    {
      if (porthole_socket_is_wildcard (s) || g_str_has_prefix (endpoint, "*:"))
        return _("Every address of its own network namespace, such as a container’s: whoever "
                 "can reach that network can connect");
      if (porthole_socket_is_loopback (s))
        return _("A loopback address of its own network namespace: only programs in that "
                 "namespace can connect");
      return _("One address of its own network namespace, such as a container’s");
    }
  if (g_str_has_prefix (endpoint, "*:"))
    return _("Every IPv4 and IPv6 address of this computer: any network it is on can reach this port");
  if (porthole_socket_is_wildcard (s))
    return strcmp (porthole_socket_get_family (s), "ipv6") == 0
             ? _("Every IPv6 address of this computer ([::]): any network it is on can reach this port over IPv6")
             : _("Every IPv4 address of this computer (0.0.0.0): any network it is on can reach this port over IPv4");
  if (porthole_socket_is_loopback (s))
    return _("A loopback address: only programs on this computer can connect");
  return _("One address of this computer: reachable through the network that address belongs to");
}

const char *
porthole_socket_exposure_text (PortholeSocket *s)
{
  switch (porthole_socket_get_exposure (s))
    {
    case PORTHOLE_EXPOSURE_LOOPBACK: return _("This computer only");
    case PORTHOLE_EXPOSURE_CONTAINER:
      return porthole_socket_get_container (s) ? _("This container only")
                                                : _("Inside its namespace only");
    case PORTHOLE_EXPOSURE_CONTAINER_NETWORK: return _("Container network");
    case PORTHOLE_EXPOSURE_NETWORK:
    default: return _("Network");
    }
}

const char *
porthole_socket_exposure_tooltip (PortholeSocket *s)
{
  switch (porthole_socket_get_exposure (s))
    {
    case PORTHOLE_EXPOSURE_LOOPBACK:
      return _("A loopback address: only programs on this computer can connect");
    case PORTHOLE_EXPOSURE_CONTAINER:
      return porthole_socket_get_container (s)
               ? _("A loopback address inside a container: only programs in that same container "
                   "can connect")
               : _("A loopback address inside another network namespace: only programs in that "
                   "namespace can connect");
    case PORTHOLE_EXPOSURE_CONTAINER_NETWORK:
      return _("Reachable on the container’s own network (from this computer and from "
               "containers on that network), but no port of this computer is published for it, "
               "so other computers cannot connect");
    case PORTHOLE_EXPOSURE_NETWORK:
    default:
      if (porthole_socket_get_published (s) && porthole_socket_get_netns (s) != 0)
        return _("Published on a port of this computer: any network this computer is on can "
                 "reach it through that port");
      return porthole_socket_address_tooltip (s);
    }
}

/* Ordered from the widest reach to the narrowest, for sorting */
guint
porthole_socket_exposure_rank (PortholeSocket *s)
{
  switch (porthole_socket_get_exposure (s))
    {
    case PORTHOLE_EXPOSURE_NETWORK: return 0;
    case PORTHOLE_EXPOSURE_CONTAINER_NETWORK: return 1;
    case PORTHOLE_EXPOSURE_LOOPBACK: return 2;
    case PORTHOLE_EXPOSURE_CONTAINER:
    default: return 3;
    }
}

gboolean
porthole_socket_is_elsewhere (PortholeSocket *s)
{
  return porthole_socket_get_netns (s) != 0 || porthole_socket_get_container (s) != NULL;
}

const char *
porthole_socket_runtime_text (PortholeSocket *s)
{
  const PortholeContainerRef *c = porthole_socket_get_container (s);

  if (c == NULL)
    return NULL;
  /* Product names, not translated */
  switch (c->runtime)
    {
    case PORTHOLE_RUNTIME_DOCKER: return "Docker";
    case PORTHOLE_RUNTIME_PODMAN: return "Podman";
    case PORTHOLE_RUNTIME_CONTAINERD: return "containerd";
    case PORTHOLE_RUNTIME_KUBERNETES: return "Kubernetes";
    case PORTHOLE_RUNTIME_CRIO: return "CRI-O";
    case PORTHOLE_RUNTIME_LXC: return "LXC";
    case PORTHOLE_RUNTIME_NSPAWN: return "systemd-nspawn";
    case PORTHOLE_RUNTIME_FLATPAK: return "Flatpak";
    case PORTHOLE_RUNTIME_NONE:
    default: return NULL;
    }
}

char *
porthole_socket_namespace_label (PortholeSocket *s)
{
  if (porthole_socket_get_netns (s) == 0)
    return NULL;
  /* Translators: a network namespace that is no known container, named by its id */
  return g_strdup_printf (_("namespace %" G_GUINT64_FORMAT), porthole_socket_get_netns (s));
}

char *
porthole_socket_container_text (PortholeSocket *s, PortholeSocketMonitor *monitor)
{
  const PortholeContainerRef *c = porthole_socket_get_container (s);

  if (c != NULL)
    {
      char *name = monitor ? porthole_socket_monitor_dup_container_name (monitor, c) : NULL;

      if (name)
        return name;
      if (c->name)
        return porthole_escape_text (c->name, -1, FALSE);
      return porthole_container_short_id (c);
    }
  return porthole_socket_namespace_label (s);
}

const char *
porthole_socket_range_text (PortholeSocket *s)
{
  switch (porthole_socket_get_range (s))
    {
    case PORTHOLE_RANGE_WELL_KNOWN: return _("Well-known");
    case PORTHOLE_RANGE_REGISTERED: return _("Registered");
    case PORTHOLE_RANGE_DYNAMIC:
    default: return _("Dynamic");
    }
}

const char *
porthole_socket_owner_reason (PortholeSocket *s)
{
  switch (porthole_socket_get_owner_status (s))
    {
    case PORTHOLE_OWNER_KNOWN: return NULL;
    case PORTHOLE_OWNER_NO_PROCESS: return _("Kernel");
    case PORTHOLE_OWNER_OTHER_USER: return _("Hidden: another user");
    case PORTHOLE_OWNER_SANDBOXED: return _("Hidden by the sandbox");
    case PORTHOLE_OWNER_UNSEEN: return _("Closed before it was seen");
    case PORTHOLE_OWNER_GONE:
      /* Translators: no process in view holds the socket: it exited, or lives in another
       * container (pid namespace) */
    default: return _("Not visible");
    }
}

const char *
porthole_socket_owner_tooltip (PortholeSocket *s)
{
  switch (porthole_socket_get_owner_status (s))
    {
    case PORTHOLE_OWNER_NO_PROCESS:
      return _("No program holds this socket: the kernel keeps it until the connection is fully closed");
    case PORTHOLE_OWNER_OTHER_USER:
      return _("This socket belongs to another user’s program; only that user or an administrator can see which one");
    case PORTHOLE_OWNER_SANDBOXED:
      return _("Porthole runs in a sandbox, which hides other programs; the owning user is still shown");
    case PORTHOLE_OWNER_GONE:
      return _("The program exited, or runs in another container");
    case PORTHOLE_OWNER_UNSEEN:
      return _("This connection opened and closed between two refreshes: the kernel reported its end, not its program");
    case PORTHOLE_OWNER_KNOWN:
    default:
      return NULL;
    }
}

char *
porthole_socket_owner_text (PortholeSocket *s)
{
  if (porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_KNOWN)
    return g_strdup_printf ("%s (%d)", porthole_socket_get_process (s), porthole_socket_get_pid (s));
  return g_strdup (porthole_socket_owner_reason (s));
}
