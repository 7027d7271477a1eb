/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* How traffic reads in the tables and the details pane: translated plain text, IEC units
 * ("340 B", "1.2 MiB", "340.0 KiB/s"), meant for tabular figures (css class "numeric"). */
char *porthole_format_bytes (guint64 bytes);
char *porthole_format_rate (double bytes_per_second);
/* A duration for people: "80 µs", "1.2 ms", "45 ms", "1.5 s" */
char *porthole_format_microseconds (guint64 us);
/* How long ago: "just now", "3 s ago", "4 min ago", "2 h ago" */
char *porthole_format_ago_ms (guint64 ms);

/* What a traffic cell shows */
typedef enum {
  PORTHOLE_TRAFFIC_SENT,
  PORTHOLE_TRAFFIC_RECEIVED,
  PORTHOLE_TRAFFIC_RATE,      /* send + receive, per second */
  PORTHOLE_TRAFFIC_TOTAL,     /* sent + received */
} PortholeTrafficValue;

/* The value to sort by: -1 when the socket has no counters (UDP, TIME_WAIT), so a table sorted
 * busiest first keeps them at the bottom */
double porthole_socket_traffic_value (PortholeSocket *socket, PortholeTrafficValue what);
/* The cell's text; *@dim is set when it says something is unknown or idle: "TCP only" for
 * UDP (the kernel counts no bytes for it), "—" for a TCP socket without counters */
char  *porthole_socket_traffic_text (PortholeSocket *socket, PortholeTrafficValue what, gboolean *dim);
/* Why a socket shows no counters, in a sentence; NULL when it has them */
const char *porthole_socket_no_traffic_reason (PortholeSocket *socket);

G_END_DECLS
