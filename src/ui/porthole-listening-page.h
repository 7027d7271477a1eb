/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-socket-monitor.h"
#include "porthole-socket-view.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_LISTENING_PAGE (porthole_listening_page_get_type ())
G_DECLARE_FINAL_TYPE (PortholeListeningPage, porthole_listening_page, PORTHOLE, LISTENING_PAGE, AdwBin)

void porthole_listening_page_set_monitor (PortholeListeningPage *self, PortholeSocketMonitor *monitor);
void porthole_listening_page_set_settings (PortholeListeningPage *self, PortholeSettings *settings);
/* Selects and scrolls to the live listener on @port (@protocol "tcp", "udp" or NULL). */
gboolean porthole_listening_page_select_port (PortholeListeningPage *self, guint port, const char *protocol);
PortholeSocketView *porthole_listening_page_get_view (PortholeListeningPage *self);

G_END_DECLS
