/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_COLUMN_SORTER (porthole_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (PortholeColumnSorter, porthole_column_sorter, PORTHOLE, COLUMN_SORTER, GtkSorter)

/* A named wrapper around a column's sorter, declared in .ui. GTK 4.8 cannot say which column
 * a GtkColumnView sorts by (GtkColumnViewSorter's getters are 4.10), so the name lets the
 * pages remember the user's choice in GSettings: porthole_column_sorter_get_primary() asks
 * the column view's sorter which wrapper it consults first, and in which direction. */
const char *porthole_column_sorter_get_name (PortholeColumnSorter *self);
GtkSorter  *porthole_column_sorter_get_sorter (PortholeColumnSorter *self);

/* The wrapper @view_sorter (a column view's sorter) consults first, or NULL when it does
 * not sort; @descending tells the direction. @columns: the column view's columns. */
PortholeColumnSorter *porthole_column_sorter_get_primary (GtkSorter *view_sorter,
                                                          GListModel *columns,
                                                          gboolean  *descending);

G_END_DECLS
