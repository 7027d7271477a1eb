/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-scan-result.h"

G_BEGIN_DECLS

#define PORTHOLE_SCAN_ERROR (porthole_scan_error_quark ())

typedef enum {
  /* The host is not this machine and "confirmed" was not set: only scan hosts you are
   * authorised to test (the UI asks in a dialog, the CLI wants --yes). */
  PORTHOLE_SCAN_ERROR_NOT_CONFIRMED,
} PortholeScanError;

GQuark porthole_scan_error_quark (void);

#define PORTHOLE_SCAN_DEFAULT_CONCURRENCY 200
#define PORTHOLE_SCAN_DEFAULT_TIMEOUT_MS  1000

#define PORTHOLE_TYPE_SCAN (porthole_scan_get_type ())
G_DECLARE_FINAL_TYPE (PortholeScan, porthole_scan, PORTHOLE, SCAN, GObject)

/* PortholeScan: a TCP connect scan of one host over a port list ("22,80,8000-8100").
 *
 * Settings (read-write; apply to the next run):
 *   "host"          char*     name or address ("localhost", "192.0.2.1", "::1", "[::1]")
 *   "ports"         char*     the port list (porthole-portlist.h); default "1-1024"
 *   "concurrency"   guint     connections in flight at once; default 200 (capped by the
 *                             open-files limit)
 *   "rate"          guint     new connections per second, 0 = no cap (default)
 *   "timeout-ms"    guint     no answer within this: filtered; default 1000
 *   "confirmed"     gboolean  the user confirmed they may scan a host outside loopback
 * State (read-only; notified at most every 80 ms while running, and once at the end):
 *   "running"       gboolean
 *   "address"       char*     the address being scanned (the first the host resolved to)
 *   "progress"      double    0.0-1.0
 *   "ports-total"   guint     how many ports the list holds
 *   "ports-done"    guint
 *   "open-count"    guint     (the same as the length of "results")
 *   "closed-count"  guint     refused
 *   "filtered-count" guint    no answer, or unreachable
 *   "elapsed-ms"    double    time spent connecting (lookup excluded)
 *   "results"       GListModel* of PortholeScanResult, the open ports sorted by port; the same
 *                   object for the scan's whole life, emptied when a run starts
 *
 * Cancellation: porthole_scan_cancel(), the cancellable given to run_async() and dispose stop
 * the run; from then on no notification and no items-changed is emitted ("running" turns FALSE
 * inside porthole_scan_cancel()), every socket is closed, and run_finish() reports
 * G_IO_ERROR_CANCELLED once the scanning threads have let go (within about 50 ms). */

PortholeScan *porthole_scan_new (const char *host, const char *ports);

void          porthole_scan_set_host (PortholeScan *self, const char *host);
const char   *porthole_scan_get_host (PortholeScan *self);
void          porthole_scan_set_ports (PortholeScan *self, const char *ports);
const char   *porthole_scan_get_ports (PortholeScan *self);
void          porthole_scan_set_concurrency (PortholeScan *self, guint concurrency);
guint         porthole_scan_get_concurrency (PortholeScan *self);
void          porthole_scan_set_rate (PortholeScan *self, guint per_second);
guint         porthole_scan_get_rate (PortholeScan *self);
void          porthole_scan_set_timeout_ms (PortholeScan *self, guint timeout_ms);
guint         porthole_scan_get_timeout_ms (PortholeScan *self);
void          porthole_scan_set_confirmed (PortholeScan *self, gboolean confirmed);
gboolean      porthole_scan_get_confirmed (PortholeScan *self);

/* Validates the host and port list (PORTHOLE_NET_ERROR_INVALID naming the bad part), resolves
 * the host (a G_RESOLVER_ERROR when it does not resolve), refuses a host outside loopback
 * unless confirmed (PORTHOLE_SCAN_ERROR_NOT_CONFIRMED), then scans. G_IO_ERROR_PENDING when a
 * run is in flight. */
void          porthole_scan_run_async (PortholeScan        *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean      porthole_scan_run_finish (PortholeScan  *self,
                                        GAsyncResult  *result,
                                        GError       **error);
void          porthole_scan_cancel (PortholeScan *self);

gboolean      porthole_scan_get_running (PortholeScan *self);
const char   *porthole_scan_get_address (PortholeScan *self);
double        porthole_scan_get_progress (PortholeScan *self);
guint         porthole_scan_get_ports_total (PortholeScan *self);
guint         porthole_scan_get_ports_done (PortholeScan *self);
guint         porthole_scan_get_open_count (PortholeScan *self);
guint         porthole_scan_get_closed_count (PortholeScan *self);
guint         porthole_scan_get_filtered_count (PortholeScan *self);
double        porthole_scan_get_elapsed_ms (PortholeScan *self);
GListModel   *porthole_scan_get_results (PortholeScan *self);

G_END_DECLS
