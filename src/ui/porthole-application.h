/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-recorder.h"
#include "porthole-settings.h"
#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_APPLICATION (porthole_application_get_type ())
G_DECLARE_FINAL_TYPE (PortholeApplication, porthole_application, PORTHOLE, APPLICATION, AdwApplication)

PortholeApplication   *porthole_application_new (void);
/* The one socket monitor every window and page shares; refresh interval and pause follow GSettings. */
PortholeSocketMonitor *porthole_application_get_monitor (PortholeApplication *self);
PortholeSettings      *porthole_application_get_settings (PortholeApplication *self);
/* The history recorder over that monitor (it writes the journal unless another recorder does) */
PortholeRecorder      *porthole_application_get_recorder (PortholeApplication *self);
/* The header bar's host menu: This Computer, the Host names of ~/.ssh/config, recent hosts,
 * Connect to a Server… (app.open-host "s": "" for this computer, else an ssh destination, one
 * window per host; app.connect-to-server; app.reload-hosts reads ~/.ssh/config again) */
GMenuModel            *porthole_application_get_host_menu (PortholeApplication *self);

G_END_DECLS
