/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

typedef enum {
  PORTHOLE_PORT_TICK_LISTENER,     /* something listens on (or has bound, for UDP) the port */
  PORTHOLE_PORT_TICK_CONNECTION,   /* only connections use it as their local port */
} PortholePortTickKind;

/* One open local port, as drawn. */
typedef struct {
  guint16              port;
  PortholePortTickKind kind;
  guint                n_sockets;   /* live sockets with this local port */
  gboolean             tcp;
  gboolean             udp;
} PortholePortTick;

#define PORTHOLE_TYPE_PORT_LINE (porthole_port_line_get_type ())
G_DECLARE_FINAL_TYPE (PortholePortLine, porthole_port_line, PORTHOLE, PORT_LINE, GtkWidget)

/* The line of all ports 0-65535: the three IANA ranges (0-1023 zoomed so it stays readable),
 * this system's ephemeral range and privileged ports, and a tick for every local port open
 * now, following the monitor live. Click or Enter emits "port-activated" (guint port);
 * Left/Right move the selection between open ports. */
GtkWidget *porthole_port_line_new (void);

void porthole_port_line_set_monitor (PortholePortLine *self, PortholeSocketMonitor *monitor);
/* -1 when no port is selected */
int  porthole_port_line_get_selected_port (PortholePortLine *self);
void porthole_port_line_set_selected_port (PortholePortLine *self, int port);

/* The ticks as they are now, sorted by port. */
const PortholePortTick *porthole_port_line_get_ticks (PortholePortLine *self, guint *n_ticks);
const PortholePortTick *porthole_port_line_find_tick (PortholePortLine *self, guint port);
/* The accessible description last given to assistive technologies. */
const char *porthole_port_line_get_summary (PortholePortLine *self);

G_END_DECLS
