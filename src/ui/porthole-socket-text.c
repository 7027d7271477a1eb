/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-text.h"

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
  return porthole_socket_is_loopback (s) ? _("This computer only") : _("Network");
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
