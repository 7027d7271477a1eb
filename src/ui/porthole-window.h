/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-application.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_WINDOW (porthole_window_get_type ())
G_DECLARE_FINAL_TYPE (PortholeWindow, porthole_window, PORTHOLE, WINDOW, AdwApplicationWindow)

/* The main window. Pages never call it: they activate its actions, which any widget inside
 * the window reaches with gtk_widget_activate_action():
 *   win.show-page "s"        a tab by name: "listening", "connections", "test", "learn"
 *   win.test-target "s"      the Test tab with "host:port" filled in (not started)
 *   win.show-listener "(us)" the Listening tab with the listener on that port selected
 *                            (protocol "tcp", "udp" or "" for either); a toast if there is none
 *   win.toast "s"            a short message, shown as plain text
 *   win.refresh, win.search, win.paused
 * The Test and Learn tabs are built the first time they are shown. */
PortholeWindow *porthole_window_new (PortholeApplication *application);
/* A remote computer's window (GNOME HIG: one window per host): its own @monitor (with a host),
 * named in the title, with a banner while the host does not answer. */
PortholeWindow *porthole_window_new_for_host (PortholeApplication *application, PortholeSocketMonitor *monitor);
/* NULL for this computer */
const char     *porthole_window_get_host (PortholeWindow *self);

/* The actions' C side, for the application and tests */
void     porthole_window_toast (PortholeWindow *self, const char *message);
void     porthole_window_test_target (PortholeWindow *self, const char *target);
gboolean porthole_window_show_listener (PortholeWindow *self, guint port, const char *protocol);
void     porthole_window_show_page (PortholeWindow *self, const char *name);

G_END_DECLS
