/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* Programs ranked by what they move, like nethogs, from a socket monitor: one
 * PortholeProgram per process that holds sockets (by pid), plus one group per owner Porthole
 * cannot see (another user's processes, by uid; sockets no process holds). Totals are the
 * payload of its TCP connections since Porthole first saw them (their whole life for those
 * already open), those that closed included; rates are over the monitor's last refresh. */

#define PORTHOLE_TYPE_PROGRAM (porthole_program_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProgram, porthole_program, PORTHOLE, PROGRAM, GObject)

int         porthole_program_get_pid (PortholeProgram *self);           /* 0 for a group */
const char *porthole_program_get_process (PortholeProgram *self);       /* escaped; NULL for a group */
/* What to call it: the process name, or the group's translated name ("Another user's
 * programs", "No process") */
const char *porthole_program_get_title (PortholeProgram *self);
guint       porthole_program_get_uid (PortholeProgram *self);
const char *porthole_program_get_user (PortholeProgram *self);
PortholeOwnerStatus porthole_program_get_owner_status (PortholeProgram *self);
/* The container its sockets are in, or NULL */
const PortholeContainerRef *porthole_program_get_container (PortholeProgram *self);
guint       porthole_program_get_n_connections (PortholeProgram *self);  /* live, not listening */
guint       porthole_program_get_n_listeners (PortholeProgram *self);    /* live listeners */
guint64     porthole_program_get_bytes_sent (PortholeProgram *self);
guint64     porthole_program_get_bytes_received (PortholeProgram *self);
double      porthole_program_get_send_rate (PortholeProgram *self);
double      porthole_program_get_receive_rate (PortholeProgram *self);
double      porthole_program_get_rate (PortholeProgram *self);
/* As porthole_socket_get_rate_history: one sample per refresh since it first moved */
guint       porthole_program_get_rate_history (PortholeProgram *self, double *out, guint n_out);
/* Whether @socket belongs to this program */
gboolean    porthole_program_holds (PortholeProgram *self, PortholeSocket *socket);

#define PORTHOLE_TYPE_PROGRAMS (porthole_programs_get_type ())
G_DECLARE_FINAL_TYPE (PortholePrograms, porthole_programs, PORTHOLE, PROGRAMS, GObject)

/* A GListModel of PortholeProgram, in the order programs were first seen; sort it by rate in
 * the view. Properties of a program (rate, n-connections, ...) are notified as they change,
 * and "changed" is emitted once per refresh after they have all been updated (re-sort then).
 * A program is removed when it holds no live socket and has stopped moving data. */
PortholePrograms *porthole_programs_new (PortholeSocketMonitor *monitor);
PortholeSocketMonitor *porthole_programs_get_monitor (PortholePrograms *self);
/* The program @socket belongs to, or NULL */
PortholeProgram *porthole_programs_lookup (PortholePrograms *self, PortholeSocket *socket);

G_END_DECLS
