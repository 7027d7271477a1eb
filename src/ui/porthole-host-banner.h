/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_HOST_BANNER (porthole_host_banner_get_type ())
G_DECLARE_FINAL_TYPE (PortholeHostBanner, porthole_host_banner, PORTHOLE, HOST_BANNER, GtkWidget)

/* A remote host's state above its tabs, hidden while all is well: "Last seen 12 s ago —
 * reconnecting" with the reason when its source is stale (updated every second), or what is
 * worth knowing of a working source (ss answered for a missing porthole-cli). Plain text. */
void        porthole_host_banner_set_monitor (PortholeHostBanner *self, PortholeSocketMonitor *monitor);
/* The text shown, NULL when hidden: for tests */
const char *porthole_host_banner_get_text (PortholeHostBanner *self);

G_END_DECLS
