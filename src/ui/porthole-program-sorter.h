/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-programs.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PROGRAM_SORTER (porthole_program_sorter_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProgramSorter, porthole_program_sorter, PORTHOLE, PROGRAM_SORTER, GtkSorter)

/* Orders PortholeProgram items by "key" (declared in .ui): "name" (groups without a process
 * last), "owner" (user), "connections", "sent", "received", "rate". Ties fall back to the
 * name, then the pid, so a re-sort never shuffles equal rows. Programs change in place: the
 * view calls gtk_sorter_changed() on the programs' "changed". */
GtkSorter *porthole_program_sorter_new (const char *key);

G_END_DECLS
