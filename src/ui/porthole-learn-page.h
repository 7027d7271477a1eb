/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_LEARN_PAGE (porthole_learn_page_get_type ())
G_DECLARE_FINAL_TYPE (PortholeLearnPage, porthole_learn_page, PORTHOLE, LEARN_PAGE, AdwBin)

void porthole_learn_page_set_monitor (PortholeLearnPage *self, PortholeSocketMonitor *monitor);

G_END_DECLS
