/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-traffic.h"

G_STATIC_ASSERT (G_N_ELEMENTS (((PortholeTraffic *) NULL)->history) == PORTHOLE_TRAFFIC_SAMPLES);

void
porthole_traffic_push (PortholeTraffic *traffic, double rate)
{
  traffic->history[traffic->head] = (float) rate;
  traffic->head = (traffic->head + 1) % PORTHOLE_TRAFFIC_SAMPLES;
  if (traffic->count < PORTHOLE_TRAFFIC_SAMPLES)
    traffic->count++;
}

void
porthole_traffic_sample (PortholeTraffic *traffic,
                         guint64          delta_sent,
                         guint64          delta_received,
                         gint64           span_us)
{
  double seconds = span_us > 0 ? span_us / 1e6 : 0;

  traffic->send_rate = seconds > 0 ? delta_sent / seconds : 0;
  traffic->receive_rate = seconds > 0 ? delta_received / seconds : 0;
  porthole_traffic_push (traffic, traffic->send_rate + traffic->receive_rate);
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
