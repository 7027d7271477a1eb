/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SETTINGS (porthole_settings_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSettings, porthole_settings, PORTHOLE, SETTINGS, GObject)

/* The application's settings, created once (by the application, or by a test) and handed to
 * the window, the pages and the views, the way GNOME Console shares its KgxSettings. The
 * schema id is named here and nowhere else.
 *
 * The keys that code reacts to are properties (bound to GSettings both ways, so notify::
 * fires on a change from anywhere): refresh-interval (ms), paused, highlight-changes,
 * resolve-names, notify-new-listeners. The rest (filters, sort order, window size, Test tab
 * history) are bound to widgets with g_settings_bind() on porthole_settings_get_gsettings(). */

#define PORTHOLE_SETTINGS_SCHEMA_ID "io.github.porthole.Porthole"

PortholeSettings *porthole_settings_new (void);
GSettings        *porthole_settings_get_gsettings (PortholeSettings *self);

guint    porthole_settings_get_refresh_interval (PortholeSettings *self);
gboolean porthole_settings_get_paused (PortholeSettings *self);
gboolean porthole_settings_get_highlight_changes (PortholeSettings *self);
gboolean porthole_settings_get_resolve_names (PortholeSettings *self);
gboolean porthole_settings_get_notify_new_listeners (PortholeSettings *self);

/* The remembered sort of a socket table ("listening" or "connections") */
char    *porthole_settings_get_sort (PortholeSettings *self, const char *table, gboolean *descending);
void     porthole_settings_set_sort (PortholeSettings *self, const char *table, const char *column,
                                     gboolean descending);

G_END_DECLS
