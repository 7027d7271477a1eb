/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* What a cell shows; the "kind" property takes the nick ("protocol", "address", ...). */
typedef enum {
  PORTHOLE_CELL_PROTOCOL,
  PORTHOLE_CELL_ADDRESS,    /* local address without the port: 0.0.0.0, [::] and * kept distinct */
  PORTHOLE_CELL_EXPOSURE,   /* "This computer only" or "Network" */
  PORTHOLE_CELL_PORT,
  PORTHOLE_CELL_RANGE,      /* a coloured badge */
  PORTHOLE_CELL_SERVICE,
  PORTHOLE_CELL_PROCESS,    /* name and pid, or why the process is not known */
  PORTHOLE_CELL_USER,
  PORTHOLE_CELL_STATE,
  PORTHOLE_CELL_LOCAL,      /* local endpoint, ephemeral side marked */
  PORTHOLE_CELL_REMOTE,     /* remote endpoint (or its DNS name), ephemeral side marked */
  PORTHOLE_CELL_CONTAINER,  /* container name and runtime, "ID netns", or "—" on the host */
  PORTHOLE_CELL_SENT,       /* payload sent, human units; "TCP only" for UDP, "—" unknown */
  PORTHOLE_CELL_RECEIVED,
  PORTHOLE_CELL_RATE,       /* send + receive rate over the last refresh */
  PORTHOLE_CELL_TRAFFIC,    /* sent + received: a listener's total through its connections */
} PortholeCellKind;

#define PORTHOLE_TYPE_SOCKET_CELL (porthole_socket_cell_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSocketCell, porthole_socket_cell, PORTHOLE, SOCKET_CELL, GtkWidget)

/* One cell of a socket table, used from the GtkBuilderListItemFactory in the pages' .ui files:
 * it fills the whole cell so the row can be tinted: css class "socket-new" while a socket is
 * younger than PORTHOLE_SOCKET_CELL_NEW_MS (when "highlight-new" is on) and "socket-closed"
 * once it has closed. "monitor" marks the ephemeral side of a connection, names remote
 * hosts and containers (a container cell follows its "containers-changed"); both properties
 * are bound to the PortholeSocketView's in the factory's setup. The traffic kinds follow the
 * bound socket's notify::rate, so only the rows on screen redraw as counters move. */
#define PORTHOLE_SOCKET_CELL_NEW_MS 4000

void            porthole_socket_cell_set_socket (PortholeSocketCell *self, PortholeSocket *socket);
PortholeSocket *porthole_socket_cell_get_socket (PortholeSocketCell *self);
PortholeCellKind porthole_socket_cell_get_kind (PortholeSocketCell *self);
/* The text the cell shows (main part, then the secondary part after a space, if any) */
char           *porthole_socket_cell_get_text (PortholeSocketCell *self);

/* Binds the template callbacks the pages' GtkSignalListItemFactory objects name:
 * "setup_<kind>_cell" (one per kind: setup_protocol_cell, setup_port_cell, ...; their .ui
 * signal names the view as object, swapped="no"), "bind_socket_cell" and "unbind_socket_cell". */
void porthole_socket_cell_bind_template_callbacks (GtkWidgetClass *widget_class);

G_END_DECLS
