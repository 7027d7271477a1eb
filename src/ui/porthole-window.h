/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-application.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_WINDOW (porthole_window_get_type ())
G_DECLARE_FINAL_TYPE (PortholeWindow, porthole_window, PORTHOLE, WINDOW, AdwApplicationWindow)

PortholeWindow *porthole_window_new (PortholeApplication *application);

/* Shows a short message in the window's toast overlay. */
void porthole_window_toast (PortholeWindow *self, const char *message);
/* Switches to the Test tab with @target ("host:port") filled in. */
void porthole_window_test_target (PortholeWindow *self, const char *target);
/* Switches to the Listening tab and selects the listener on @port (protocol "tcp"/"udp" or NULL). */
gboolean porthole_window_show_listener (PortholeWindow *self, guint port, const char *protocol);
/* Switches to a tab by name: "listening", "connections", "test", "learn". */
void porthole_window_show_page (PortholeWindow *self, const char *name);

/* Finds the PortholeWindow holding @widget, or NULL. */
PortholeWindow *porthole_window_for_widget (GtkWidget *widget);

G_END_DECLS
