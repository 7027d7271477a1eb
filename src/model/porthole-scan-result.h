/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SCAN_RESULT (porthole_scan_result_get_type ())
G_DECLARE_FINAL_TYPE (PortholeScanResult, porthole_scan_result, PORTHOLE, SCAN_RESULT, GObject)

/* One open port found by PortholeScan. Immutable. Read-only properties:
 *   "port"     guint   1-65535
 *   "service"  char*   the service name from the services database ("ssh"), or NULL */

PortholeScanResult *porthole_scan_result_new (guint port, const char *service);
guint               porthole_scan_result_get_port (PortholeScanResult *self);
const char         *porthole_scan_result_get_service (PortholeScanResult *self);

G_END_DECLS
