/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-traffic.h"

G_STATIC_ASSERT (G_N_ELEMENTS (((PortholeTraffic *) NULL)->history) == PORTHOLE_TRAFFIC_SAMPLES);

void
porthole_traffic_sample (PortholeTraffic *traffic,
                         guint64          delta_sent,
                         guint64          delta_received,
                         gint64           span_us)
{
  double seconds = span_us > 0 ? span_us / 1e6 : 0;

  traffic->send_rate = seconds > 0 ? delta_sent / seconds : 0;
  traffic->receive_rate = seconds > 0 ? delta_received / seconds : 0;
  traffic->history[traffic->head] = (float) (traffic->send_rate + traffic->receive_rate);
  traffic->head = (traffic->head + 1) % PORTHOLE_TRAFFIC_SAMPLES;
  if (traffic->count < PORTHOLE_TRAFFIC_SAMPLES)
    traffic->count++;
}

guint
porthole_traffic_copy_history (const PortholeTraffic *traffic, double *out, guint n_out)
{
  guint n = MIN (n_out, traffic->count);
  guint start = (traffic->head + PORTHOLE_TRAFFIC_SAMPLES - n) % PORTHOLE_TRAFFIC_SAMPLES;

  for (guint i = 0; i < n; i++)
    out[i] = traffic->history[(start + i) % PORTHOLE_TRAFFIC_SAMPLES];
  return n;
}

guint64
porthole_traffic_payload_sent (const PortholeSockInfo *info)
{
  if (porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_BYTES_SENT | PORTHOLE_TCP_INFO_BYTES_RETRANS))
    return info->bytes_sent >= info->bytes_retrans ? info->bytes_sent - info->bytes_retrans : 0;
  /* Before Linux 4.19 only what the peer acknowledged is known, which counts the SYN and FIN */
  if (porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_BYTES_ACKED))
    return info->bytes_acked;
  return 0;
}

guint64
porthole_traffic_payload_received (const PortholeSockInfo *info)
{
  if (!porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_BYTES_RECEIVED) || info->bytes_received == 0)
    return 0;
  /* The peer's FIN takes a sequence number, which the kernel counts as a byte received. It has
   * arrived in these states, and in CLOSE too after a graceful end (the state a socket is
   * destroyed in); a connection ended by a reset is then one byte low. */
  switch (info->state)
    {
    case PORTHOLE_TCP_CLOSE_WAIT:
    case PORTHOLE_TCP_LAST_ACK:
    case PORTHOLE_TCP_CLOSING:
    case PORTHOLE_TCP_TIME_WAIT:
    case PORTHOLE_TCP_CLOSE:
      return info->bytes_received - 1;
    default:
      return info->bytes_received;
    }
}
