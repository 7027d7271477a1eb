/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-settings.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PREFERENCES_WINDOW (porthole_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PortholePreferencesWindow, porthole_preferences_window, PORTHOLE, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Every control is bound to @settings (io.github.porthole.Porthole). */
PortholePreferencesWindow *porthole_preferences_window_new (PortholeSettings *settings);

G_END_DECLS
