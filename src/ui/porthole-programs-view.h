/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-programs.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PROGRAMS_VIEW (porthole_programs_view_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProgramsView, porthole_programs_view, PORTHOLE, PROGRAMS_VIEW, AdwBin)

/* Programs ranked by what they move now, like nethogs: the programs that sent or received
 * anything over TCP since Porthole started, busiest first (every column sorts; the order
 * follows the programs' "changed"), with their connections, totals, rate and a sparkline of
 * the last minute. An AdwStatusPage while nothing has moved. Activating a row (a click, or
 * Enter) emits "program-activated" with the program: the Connections page then shows that
 * program's connections. "monitor" is the read-only property the cells bind to. */
void        porthole_programs_view_set_programs (PortholeProgramsView *self, PortholePrograms *programs);
PortholePrograms *porthole_programs_view_get_programs (PortholeProgramsView *self);
/* The rows shown, filtered and sorted */
GListModel *porthole_programs_view_get_model (PortholeProgramsView *self);
GtkColumnView *porthole_programs_view_get_column_view (PortholeProgramsView *self);
/* "empty" or "table" */
const char *porthole_programs_view_get_state (PortholeProgramsView *self);
/* Puts @widget first in the view's toolbar (the page's view switch) */
void        porthole_programs_view_add_toolbar_start (PortholeProgramsView *self, GtkWidget *widget);
/* Sorts by the column whose sorter has key @key ("rate", "sent", "name", ...) */
gboolean    porthole_programs_view_sort_by (PortholeProgramsView *self, const char *key, gboolean descending);
/* What a click on @program's row does */
void        porthole_programs_view_activate (PortholeProgramsView *self, PortholeProgram *program);

G_END_DECLS
