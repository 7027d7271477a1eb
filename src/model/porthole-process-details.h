/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "porthole-socket.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PROCESS_DETAILS (porthole_process_details_get_type ())

/* What /proc says about the process behind a socket, read once when asked (the socket row
 * only carries the pid and the name). Strings are escaped for display with
 * porthole_escape_text(): plain text, never markup.
 *
 * The row may be seconds old, so its pid may name another program by now: @gone is then TRUE
 * and nothing of the other program is kept (no command line, unit, uid or start time). */
typedef struct {
  int       pid;          /* 0 when the socket's process is not known: nothing was read */
  char     *cmdline;      /* arguments joined by spaces, escaped; NULL when unreadable or empty */
  char     *unit;         /* the systemd unit ("cups.service"), escaped; NULL when none */
  gint64    uid;          /* the owner's effective uid, -1 when unknown */
  guint64   start_time;   /* clock ticks after boot (field 22 of stat): with the pid it names
                           * this process for good; 0 when unknown */
  gboolean  gone;         /* the pid now names another program, or nothing */
  gboolean  can_end;      /* ours to end: known, not gone, not us or init, owned by our euid */
} PortholeProcessDetails;

GType                   porthole_process_details_get_type (void) G_GNUC_CONST;
PortholeProcessDetails *porthole_process_details_copy (const PortholeProcessDetails *self);
void                    porthole_process_details_free (PortholeProcessDetails *self);

/* Reads the details of @socket's process under @proc_root (NULL: "/proc"). Blocking file
 * reads: porthole_socket_monitor_read_process_async() runs it in a worker thread. */
PortholeProcessDetails *porthole_process_details_read (const char     *proc_root,
                                                       PortholeSocket *socket);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeProcessDetails, porthole_process_details_free)

G_END_DECLS
