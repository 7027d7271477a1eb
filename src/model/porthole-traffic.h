/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "porthole-sockinfo.h"

G_BEGIN_DECLS

/* What a socket's traffic looked like over the last refreshes: rates and a short history.
 * Allocated only for sockets that ever moved data (most never do). Main thread only. */
typedef struct {
  double  send_rate;        /* bytes/s over the last refresh */
  double  receive_rate;
  guint64 served_sent;      /* a listener: payload through the connections it accepted */
  guint64 served_received;
  guint   head;             /* next slot of history */
  guint   count;            /* samples held, <= PORTHOLE_TRAFFIC_SAMPLES */
  float   history[60];      /* send + receive rate, bytes/s; a ring */
} PortholeTraffic;

#define PORTHOLE_TRAFFIC_SAMPLES 60

/* Adds one sample (bytes/s) to the history */
void   porthole_traffic_push (PortholeTraffic *traffic, double rate);
/* Records one refresh's rates (@delta_* bytes over @span_us) */
void   porthole_traffic_sample (PortholeTraffic *traffic,
                                guint64          delta_sent,
                                guint64          delta_received,
                                gint64           span_us);
/* The newest up to @n_out samples, oldest first */
guint  porthole_traffic_copy_history (const PortholeTraffic *traffic, double *out, guint n_out);

G_END_DECLS
