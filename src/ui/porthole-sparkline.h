/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SPARKLINE (porthole_sparkline_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSparkline, porthole_sparkline, PORTHOLE, SPARKLINE, GtkWidget)

/* A small line chart of recent rates (bytes/s, oldest first), scaled to its own peak, drawn in
 * the widget's CSS colour (so it follows light and dark mode and the accent colour; css name
 * "sparkline"). Its accessible description says, in words, what it shows: the newest rate and
 * the peak over the period. */
GtkWidget  *porthole_sparkline_new (void);
void        porthole_sparkline_set_values (PortholeSparkline *self, const double *values, guint n_values);
guint       porthole_sparkline_get_n_values (PortholeSparkline *self);
double      porthole_sparkline_get_peak (PortholeSparkline *self);
/* The text given to assistive technologies; NULL before any value */
const char *porthole_sparkline_get_description (PortholeSparkline *self);

G_END_DECLS
