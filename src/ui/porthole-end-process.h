/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* Whether "End Process…" is offered for @socket: its process is known, still the same one,
 * and owned by the current user (a user may not signal other users' processes, and Porthole
 * never asks for more rights). @proc_root is "/proc" (NULL) outside tests. */
gboolean porthole_end_process_allowed (PortholeSocket *socket, const char *proc_root);

/* Asks "End <name>?" in an AdwMessageDialog over @widget's window. On confirmation it sends
 * SIGTERM, polls, and after PORTHOLE_END_PROCESS_GRACE_MS offers SIGKILL if the process is
 * still alive. The outcome is shown as a toast in @widget's PortholeWindow, and @monitor is
 * refreshed so the row goes. Returns the dialog (owned by GTK). */
#define PORTHOLE_END_PROCESS_GRACE_MS 3000
AdwMessageDialog *porthole_end_process_confirm (GtkWidget             *widget,
                                                PortholeSocket        *socket,
                                                PortholeSocketMonitor *monitor);

G_END_DECLS
