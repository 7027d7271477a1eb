/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-sockinfo.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

static const char * const tcp_state_names[PORTHOLE_TCP_MAX_STATES] = {
  [0] = "UNKNOWN",
  [PORTHOLE_TCP_ESTABLISHED] = "ESTABLISHED",
  [PORTHOLE_TCP_SYN_SENT] = "SYN_SENT",
  [PORTHOLE_TCP_SYN_RECV] = "SYN_RECV",
  [PORTHOLE_TCP_FIN_WAIT1] = "FIN_WAIT1",
  [PORTHOLE_TCP_FIN_WAIT2] = "FIN_WAIT2",
  [PORTHOLE_TCP_TIME_WAIT] = "TIME_WAIT",
  [PORTHOLE_TCP_CLOSE] = "CLOSE",
  [PORTHOLE_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
  [PORTHOLE_TCP_LAST_ACK] = "LAST_ACK",
  [PORTHOLE_TCP_LISTEN] = "LISTEN",
  [PORTHOLE_TCP_CLOSING] = "CLOSING",
  [PORTHOLE_TCP_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *
porthole_sockinfo_state_name (const PortholeSockInfo *info)
{
  if (info->protocol == IPPROTO_UDP)
    return info->state == PORTHOLE_TCP_ESTABLISHED ? "ESTABLISHED" : "UNCONN";
  if (info->state < PORTHOLE_TCP_MAX_STATES)
    return tcp_state_names[info->state];
  return "UNKNOWN";
}

gboolean
porthole_sockinfo_is_listening (const PortholeSockInfo *info)
{
  if (info->protocol == IPPROTO_UDP)
    return info->state != PORTHOLE_TCP_ESTABLISHED;
  return info->state == PORTHOLE_TCP_LISTEN;
}

gboolean
porthole_sockinfo_matches (const PortholeSockInfo *info, PortholeDumpFlags flags)
{
  if (info->protocol == IPPROTO_TCP && !(flags & PORTHOLE_DUMP_TCP))
    return FALSE;
  if (info->protocol == IPPROTO_UDP && !(flags & PORTHOLE_DUMP_UDP))
    return FALSE;
  if (info->family == AF_INET && !(flags & PORTHOLE_DUMP_IPV4))
    return FALSE;
  if (info->family == AF_INET6 && !(flags & PORTHOLE_DUMP_IPV6))
    return FALSE;
  /* Like `ss -tul`: TCP listeners and unconnected (bound) UDP sockets */
  if (!(flags & PORTHOLE_DUMP_ALL_STATES))
    return porthole_sockinfo_is_listening (info);
  return TRUE;
}

gboolean
porthole_sockinfo_has_tcp_info (const PortholeSockInfo *info, PortholeTcpInfoFields fields)
{
  return (info->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO) &&
         (info->tcp_info_fields & fields) == fields;
}

void
porthole_sockinfo_forget_tcp_info (PortholeSockInfo *info)
{
  info->flags &= ~PORTHOLE_SOCKINFO_HAS_TCP_INFO;
  info->bytes_sent = info->bytes_acked = info->bytes_received = info->bytes_retrans = 0;
  info->segs_in = info->segs_out = info->rtt_us = info->rttvar_us = 0;
  info->total_retrans = info->snd_cwnd = info->last_data_sent_ms = info->last_data_recv_ms = 0;
  info->delivery_rate = 0;
  info->tcp_info_fields = 0;
  info->tcp_info_len = 0;
}

guint64
porthole_sockinfo_payload_sent (const PortholeSockInfo *info)
{
  guint64 acked;

  if (info->protocol != IPPROTO_TCP)
    return 0;
  if (porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_BYTES_SENT))
    {
      /* the two came in the same kernel; an attribute cut between them leaves retrans unknown */
      if (!porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_BYTES_RETRANS))
        return info->bytes_sent;
      return info->bytes_sent > info->bytes_retrans ? info->bytes_sent - info->bytes_retrans : 0;
    }
  if (!porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_BYTES_ACKED))
    return 0;
  acked = info->bytes_acked;
  /* Our FIN has been acknowledged in FIN_WAIT2 and after a graceful close (CLOSE; TIME_WAIT
   * rows carry no counters). An RST-closed socket in CLOSE is then one low. */
  if (acked > 0 && (info->state == PORTHOLE_TCP_FIN_WAIT2 || info->state == PORTHOLE_TCP_CLOSE ||
                    info->state == PORTHOLE_TCP_TIME_WAIT))
    acked--;
  return acked;
}

guint64
porthole_sockinfo_payload_received (const PortholeSockInfo *info)
{
  guint64 received;

  if (info->protocol != IPPROTO_TCP ||
      !porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_BYTES_RECEIVED))
    return 0;
  received = info->bytes_received;
  switch (info->state)
    {
    /* The peer's FIN has arrived in these. CLOSE is where every destroyed socket ends (the
     * kernel's destroy broadcast), after a graceful close the FIN came in, but a socket closed by
     * an RST (sent or received) or by a FIN_WAIT2 timeout never had one: its count is then one
     * low, which the row cannot tell. */
    case PORTHOLE_TCP_CLOSE_WAIT:
    case PORTHOLE_TCP_LAST_ACK:
    case PORTHOLE_TCP_CLOSING:
    case PORTHOLE_TCP_TIME_WAIT:
    case PORTHOLE_TCP_CLOSE:
      if (received > 0)
        received--;
      break;
    default:
      break;
    }
  return received;
}

char *
porthole_address_to_string (guint8 family, const guint8 addr[16])
{
  char buf[INET6_ADDRSTRLEN] = "";

  if (inet_ntop (family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, sizeof buf) == NULL)
    return g_strdup ("?");
  return g_strdup (buf);
}

gboolean
porthole_address_is_any (guint8 family, const guint8 addr[16])
{
  static const guint8 zero[16] = { 0 };

  return memcmp (addr, zero, family == AF_INET6 ? 16 : 4) == 0;
}

gboolean
porthole_address_is_loopback (guint8 family, const guint8 addr[16])
{
  static const guint8 v6_loopback[16] = { [15] = 1 };
  static const guint8 v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

  if (family == AF_INET)
    return addr[0] == 127;
  if (memcmp (addr, v6_loopback, 16) == 0)
    return TRUE;
  /* ::ffff:127.x.y.z */
  return memcmp (addr, v4_mapped, 12) == 0 && addr[12] == 127;
}

char *
porthole_endpoint_to_string (guint8 family, const guint8 addr[16], guint16 port, gboolean star_for_any)
{
  g_autofree char *address = NULL;

  if (star_for_any && porthole_address_is_any (family, addr))
    return port ? g_strdup_printf ("*:%u", port) : g_strdup ("*:*");
  address = porthole_address_to_string (family, addr);
  if (family == AF_INET6)
    return g_strdup_printf ("[%s]:%u", address, port);
  return g_strdup_printf ("%s:%u", address, port);
}
