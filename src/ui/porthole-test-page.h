/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-settings.h"
#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_TEST_PAGE (porthole_test_page_get_type ())
G_DECLARE_FINAL_TYPE (PortholeTestPage, porthole_test_page, PORTHOLE, TEST_PAGE, AdwBin)

void porthole_test_page_set_monitor (PortholeTestPage *self, PortholeSocketMonitor *monitor);
/* Once, before use: the application's settings (probe timeout, target history, scan limits) */
void porthole_test_page_set_settings (PortholeTestPage *self, PortholeSettings *settings);
/* Fills the target entry ("host:port"); does not start the probe. */
void porthole_test_page_set_target (PortholeTestPage *self, const char *target);

G_END_DECLS
