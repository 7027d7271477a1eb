/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-process-details.h"
#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* Asks "End <name>?" in an AdwMessageDialog over @widget's window. On confirmation the
 * monitor sends SIGTERM and waits; after PORTHOLE_END_PROCESS_GRACE_MS it offers SIGKILL if
 * the process is still running. The outcome is a toast (win.toast). @process must allow it
 * (can_end: the user's own, still the same program). Returns the dialog (owned by GTK). */
#define PORTHOLE_END_PROCESS_GRACE_MS 3000
AdwMessageDialog *porthole_end_process_confirm (GtkWidget                    *widget,
                                                PortholeSocketMonitor        *monitor,
                                                const char                   *name,
                                                const PortholeProcessDetails *process);

G_END_DECLS
