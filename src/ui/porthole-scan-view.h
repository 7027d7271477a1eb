/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-scan.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SCAN_VIEW (porthole_scan_view_get_type ())
G_DECLARE_FINAL_TYPE (PortholeScanView, porthole_scan_view, PORTHOLE, SCAN_VIEW, AdwBin)

/* "Scan Ports": host and port-list entries validated as you type (the parsers' messages shown
 * under them), how many attempts at once, Start/Cancel, progress, counts and the open ports,
 * each with a Test button. A host outside loopback is scanned only after the user confirms in
 * a dialog whose default answer is Cancel. Owns one PortholeScan and a GCancellable cancelled
 * in dispose.
 *
 * Signal "test-target" (PortholeScanView *, const char *target): Test was pressed on an open
 * port; @target is "host:port". */

/* The default of "at once" (scan-concurrency). */
void          porthole_scan_view_set_settings (PortholeScanView *self, GSettings *settings);
/* As pressing Start: validates, asks when the host is not this machine, then scans. Returns
 * FALSE when the input is not valid or a scan is running. */
gboolean      porthole_scan_view_start (PortholeScanView *self);
PortholeScan *porthole_scan_view_get_scan (PortholeScanView *self);

G_END_DECLS
