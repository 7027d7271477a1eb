/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-traffic-text.h"

#include <glib/gi18n.h>
#include <string.h>

char *
porthole_format_bytes (guint64 bytes)
{
  /* GLib says "340 bytes": too wide for a column of figures */
  if (bytes < 1024)
    /* Translators: a number of bytes, as short as it gets: "340 B" */
    return g_strdup_printf (C_("bytes", "%u B"), (guint) bytes);
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

char *
porthole_format_rate (double bytes_per_second)
{
  g_autofree char *size = NULL;

  if (!(bytes_per_second > 0))
    bytes_per_second = 0;
  size = porthole_format_bytes ((guint64) (bytes_per_second + 0.5));
  /* Translators: a rate: "340.0 KiB/s" */
  return g_strdup_printf (C_("rate", "%s/s"), size);
}

char *
porthole_format_microseconds (guint64 us)
{
  if (us < 1000)
    /* Translators: microseconds */
    return g_strdup_printf (_("%u µs"), (guint) us);
  if (us < 10000)
    return g_strdup_printf (_("%.1f ms"), us / 1000.0);
  if (us < 1000000)
    return g_strdup_printf (_("%u ms"), (guint) (us / 1000));
  return g_strdup_printf (_("%.1f s"), us / 1e6);
}

char *
porthole_format_ago_ms (guint64 ms)
{
  guint64 s = ms / 1000;

  if (s == 0)
    return g_strdup (_("just now"));
  if (s < 60)
    return g_strdup_printf (ngettext ("%u second ago", "%u seconds ago", (gulong) s), (guint) s);
  if (s < 3600)
    return g_strdup_printf (ngettext ("%u minute ago", "%u minutes ago", (gulong) (s / 60)), (guint) (s / 60));
  if (s < 86400)
    return g_strdup_printf (ngettext ("%u hour ago", "%u hours ago", (gulong) (s / 3600)), (guint) (s / 3600));
  return g_strdup_printf (ngettext ("%u day ago", "%u days ago", (gulong) (s / 86400)), (guint) (s / 86400));
}

double
porthole_socket_traffic_value (PortholeSocket *s, PortholeTrafficValue what)
{
  if (!porthole_socket_has_traffic (s))
    return -1;
  switch (what)
    {
    case PORTHOLE_TRAFFIC_SENT: return (double) porthole_socket_get_bytes_sent (s);
    case PORTHOLE_TRAFFIC_RECEIVED: return (double) porthole_socket_get_bytes_received (s);
    case PORTHOLE_TRAFFIC_RATE: return porthole_socket_get_rate (s);
    case PORTHOLE_TRAFFIC_TOTAL:
    default:
      return (double) porthole_socket_get_bytes_sent (s) + (double) porthole_socket_get_bytes_received (s);
    }
}

char *
porthole_socket_traffic_text (PortholeSocket *s, PortholeTrafficValue what, gboolean *dim)
{
  *dim = TRUE;
  if (strcmp (porthole_socket_get_protocol (s), "udp") == 0)
    /* Translators: in a table's Sent/Received/Rate cell of a UDP socket: the kernel counts
     * bytes for TCP sockets only */
    return g_strdup (_("TCP only"));
  if (!porthole_socket_has_traffic (s))
    return g_strdup ("—");
  switch (what)
    {
    case PORTHOLE_TRAFFIC_SENT:
      *dim = porthole_socket_get_bytes_sent (s) == 0;
      return porthole_format_bytes (porthole_socket_get_bytes_sent (s));
    case PORTHOLE_TRAFFIC_RECEIVED:
      *dim = porthole_socket_get_bytes_received (s) == 0;
      return porthole_format_bytes (porthole_socket_get_bytes_received (s));
    case PORTHOLE_TRAFFIC_RATE:
      *dim = porthole_socket_get_rate (s) == 0;
      return porthole_format_rate (porthole_socket_get_rate (s));
    case PORTHOLE_TRAFFIC_TOTAL:
    default:
      *dim = porthole_socket_get_bytes_sent (s) + porthole_socket_get_bytes_received (s) == 0;
      return porthole_format_bytes (porthole_socket_get_bytes_sent (s) + porthole_socket_get_bytes_received (s));
    }
}

const char *
porthole_socket_no_traffic_reason (PortholeSocket *s)
{
  const char *state = porthole_socket_get_state (s);

  if (porthole_socket_has_traffic (s))
    return NULL;
  if (strcmp (porthole_socket_get_protocol (s), "udp") == 0)
    return _("The kernel keeps no byte counts for UDP sockets: only TCP connections show their traffic.");
  if (strcmp (state, "TIME_WAIT") == 0 || strcmp (state, "SYN_RECV") == 0 ||
      strcmp (state, "NEW_SYN_RECV") == 0)
    return _("No program holds this connection, and the kernel keeps no counters for it in this state.");
  return _("The kernel gave no traffic counters for this socket.");
}
