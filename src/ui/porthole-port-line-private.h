/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-port-line.h"

G_BEGIN_DECLS

struct _PortholePortLine {
  GtkWidget              parent_instance;

  PortholeSocketMonitor *monitor;
  GArray                *ticks;          /* PortholePortTick, sorted by port */
  gboolean               ticks_dirty;
  guint                  summary_idle;
  char                  *summary;
  int                    selected;       /* -1: none */
  char                  *selected_text;  /* "5432 postgresql" */
};

/* porthole-port-line.c */
/* The monitor's, or Linux's defaults until there is a monitor */
const PortholeSysctl *porthole_port_line_get_sysctl (PortholePortLine *self);
char *porthole_port_line_describe_port (PortholePortLine *self, guint port, gboolean with_state);
int   porthole_port_tick_compare_port (const void *a, const void *b);
/* Moves the selection to the next (@step 1) or previous (-1) open port, as Right and Left do;
 * FALSE when no port is open */
gboolean porthole_port_line_step (PortholePortLine *self, int step);

/* porthole-port-line-draw.c: geometry and drawing */
void porthole_port_line_snapshot (GtkWidget *widget, GtkSnapshot *snapshot);
void porthole_port_line_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                                 int *minimum, int *natural, int *minimum_baseline, int *natural_baseline);
/* The port a click or hover at @x means: a tick within a few pixels, else the port under @x;
 * -1 outside the line. */
int  porthole_port_line_pick (int width, const PortholePortTick *ticks, guint n_ticks, double x);
/* x of the left edge of @port's cell on a line @width pixels wide (@port may be 65536) */
double porthole_port_line_x (int width, guint port);

G_END_DECLS
