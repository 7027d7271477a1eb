/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_PORT_LOOKUP (porthole_port_lookup_widget_get_type ())
G_DECLARE_FINAL_TYPE (PortholePortLookup, porthole_port_lookup_widget, PORTHOLE, PORT_LOOKUP, AdwPreferencesGroup)

/* "Look up a port": an entry for a number or a service name, and what that port is here:
 * IANA range, privileged or not, ephemeral or not, services, our description, and whether
 * anything listens on it now (with a button to that row of the Listening tab). Follows the
 * monitor live. */
void porthole_port_lookup_widget_set_monitor (PortholePortLookup *self, PortholeSocketMonitor *monitor);
/* Puts @text in the entry and looks it up. */
void porthole_port_lookup_widget_set_text (PortholePortLookup *self, const char *text);

/* For tests: the inline error (NULL when the input is fine), and the answer as lines of text. */
const char *porthole_port_lookup_widget_get_error (PortholePortLookup *self);
char       *porthole_port_lookup_widget_dump (PortholePortLookup *self);

G_END_DECLS
