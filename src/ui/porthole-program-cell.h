/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-programs.h"

G_BEGIN_DECLS

/* What a cell of the Programs table shows; "kind" takes the nick */
typedef enum {
  PORTHOLE_PROGRAM_CELL_NAME,          /* the process (escaped) and its pid, or the group's name */
  PORTHOLE_PROGRAM_CELL_OWNER,         /* the container's name, or the user */
  PORTHOLE_PROGRAM_CELL_CONNECTIONS,
  PORTHOLE_PROGRAM_CELL_SENT,
  PORTHOLE_PROGRAM_CELL_RECEIVED,
  PORTHOLE_PROGRAM_CELL_RATE,
  PORTHOLE_PROGRAM_CELL_HISTORY,       /* a sparkline of the last minute */
} PortholeProgramCellKind;

#define PORTHOLE_TYPE_PROGRAM_CELL (porthole_program_cell_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProgramCell, porthole_program_cell, PORTHOLE, PROGRAM_CELL, GtkWidget)

/* One cell of the Programs table. It follows the bound program's notify::rate and
 * notify::n-connections while bound, so only the rows on screen redraw. "monitor" names
 * containers. */
void             porthole_program_cell_set_program (PortholeProgramCell *self, PortholeProgram *program);
PortholeProgram *porthole_program_cell_get_program (PortholeProgramCell *self);
PortholeProgramCellKind porthole_program_cell_get_kind (PortholeProgramCell *self);
/* The text shown (main part, then the secondary part after a space); NULL for the sparkline */
char            *porthole_program_cell_get_text (PortholeProgramCell *self);
GtkWidget       *porthole_program_cell_get_sparkline (PortholeProgramCell *self);

/* Binds "setup_program_<kind>_cell", "bind_program_cell" and "unbind_program_cell" for the
 * factories of a .ui (the view as the setup signal's object, swapped="no") */
void porthole_program_cell_bind_template_callbacks (GtkWidgetClass *widget_class);

G_END_DECLS
