/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-tls-info.h"

G_BEGIN_DECLS

/* The verdict, in nmap's words. */
typedef enum {
  PORTHOLE_PROBE_STATUS_UNKNOWN,        /* not run yet, running, or cancelled */
  PORTHOLE_PROBE_STATUS_OPEN,           /* connected (UDP: a reply came back) */
  PORTHOLE_PROBE_STATUS_CLOSED,         /* refused: the host answered, nothing listens */
  PORTHOLE_PROBE_STATUS_FILTERED,       /* no answer before the timeout */
  PORTHOLE_PROBE_STATUS_UNREACHABLE,    /* no route to the host or network */
  PORTHOLE_PROBE_STATUS_DNS_ERROR,      /* the name did not resolve */
  PORTHOLE_PROBE_STATUS_OPEN_FILTERED,  /* UDP only: silence, either open or filtered */
} PortholeProbeStatus;

#define PORTHOLE_TYPE_PROBE_STATUS (porthole_probe_status_get_type ())
GType porthole_probe_status_get_type (void);

/* "open", "closed", "filtered", "unreachable", "dns-error", "open|filtered", "unknown" */
const char          *porthole_probe_status_to_string (PortholeProbeStatus status);
/* Maps a GIO/GResolver error of a connection attempt to a status: CONNECTION_REFUSED -> closed,
 * TIMED_OUT -> filtered, HOST/NETWORK_UNREACHABLE -> unreachable, G_RESOLVER_ERROR -> dns-error. */
PortholeProbeStatus  porthole_probe_status_from_error (const GError *error);

/* One step of a probe, in the order they happen. */
typedef enum {
  PORTHOLE_PROBE_STEP_RESOLVING,   /* looking the host name up */
  PORTHOLE_PROBE_STEP_RESOLVED,    /* message lists every address (or the DNS error) */
  PORTHOLE_PROBE_STEP_CONNECTING,  /* address: the one being tried */
  PORTHOLE_PROBE_STEP_ATTEMPT,     /* the result for that address: status + message */
  PORTHOLE_PROBE_STEP_TLS,         /* handshake done or failed: see the "tls-info" property */
  PORTHOLE_PROBE_STEP_BANNER,      /* what the server said first: see "banner" */
  PORTHOLE_PROBE_STEP_FINISHED,    /* status: the verdict */
} PortholeProbeStep;

#define PORTHOLE_TYPE_PROBE_STEP (porthole_probe_step_get_type ())
GType porthole_probe_step_get_type (void);

/* One connection attempt (one resolved address). */
typedef struct {
  char                *address;   /* as inet_ntop writes it, no brackets */
  guint16              port;
  PortholeProbeStatus  status;
  double               ms;        /* how long the attempt took */
  char                *message;   /* the error, escaped; NULL when open */
} PortholeProbeAttempt;

/* The longest banner read: one read of at most this many bytes. */
#define PORTHOLE_PROBE_BANNER_MAX 4096

#define PORTHOLE_TYPE_PROBE (porthole_probe_get_type ())
G_DECLARE_FINAL_TYPE (PortholeProbe, porthole_probe, PORTHOLE, PROBE, GObject)

/* PortholeProbe: "can I reach host:port, and what exactly happens when I do?"
 *
 * Settings (read-write; changes apply to the next run):
 *   "target"          char*    "host:port", "[v6]:port", "host port" or a URL (porthole-target.h)
 *   "timeout-ms"      guint    per step (lookup, each connect, TLS handshake); default 5000
 *   "tls"             gboolean TLS handshake after connecting (TCP only)
 *   "udp"             gboolean one UDP datagram instead of a TCP connect
 *   "banner-wait-ms"  guint    how long to wait for the server to speak first; 0 skips;
 *                              default 1500
 * Results (read-only, notified as they become known; reset when a run starts):
 *   "running"         gboolean
 *   "status"          PortholeProbeStatus
 *   "host"            char*    the parsed host; "port" guint the parsed port
 *   "addresses"       GStrv    every address the host resolved to
 *   "remote-address"  char*    the address tried last (the one connected to when open);
 *   "remote-port"     guint
 *   "local-address"   char*    our side of the 4-tuple, as the kernel chose it
 *   "local-port"      guint    the ephemeral port the OS picked (0 until connected)
 *   "connect-ms"      double   connect time of the successful attempt, -1 when none
 *   "banner"          char*    what the peer sent first, escaped for display (newlines kept)
 *   "banner-bytes"    GBytes*  the same, raw (at most PORTHOLE_PROBE_BANNER_MAX bytes)
 *   "tls-info"        PortholeTlsInfo*  NULL unless "tls" was set and a connection was made
 *   "error-message"   char*    why the verdict is not "open" (escaped), NULL when open
 *
 * Signals:
 *   "step" (PortholeProbe *probe, PortholeProbeStep step, const char *address,
 *           PortholeProbeStatus status, const char *message, double elapsed_ms)
 *     One per step, on the main context. @address is the address the step concerns, without
 *     brackets (NULL for lookup steps); @status is meaningful for ATTEMPT and FINISHED;
 *     @message is a translated, escaped sentence for a timeline; @elapsed_ms counts from the
 *     start of the run.
 *
 * Cancellation: porthole_probe_cancel(), the cancellable passed to run_async() and dispose all
 * stop the run. From the moment of cancellation no "step" signal and no property notification
 * is emitted ("running" turns FALSE inside porthole_probe_cancel()); the run_async() callback is
 * still called once, as GIO requires, and run_finish() reports G_IO_ERROR_CANCELLED, so a widget
 * that cancels in its dispose must not touch itself when it sees that error. */

PortholeProbe       *porthole_probe_new (const char *target);

void                 porthole_probe_set_target (PortholeProbe *self, const char *target);
const char          *porthole_probe_get_target (PortholeProbe *self);
/* "via-host" (NULL: this computer): an ssh destination the probe runs from, with
 * `porthole-cli probe --json` there (the target checked here first, sent as one word after
 * "--"); the steps come from its answer. A host that cannot be reached over ssh, or has no
 * porthole-cli, fails the run with a PORTHOLE_REMOTE_ERROR (no verdict). TLS details are not
 * brought back. */
void                 porthole_probe_set_via_host (PortholeProbe *self, const char *host);
const char          *porthole_probe_get_via_host (PortholeProbe *self);
void                 porthole_probe_set_timeout_ms (PortholeProbe *self, guint timeout_ms);
guint                porthole_probe_get_timeout_ms (PortholeProbe *self);
void                 porthole_probe_set_tls (PortholeProbe *self, gboolean tls);
gboolean             porthole_probe_get_tls (PortholeProbe *self);
void                 porthole_probe_set_udp (PortholeProbe *self, gboolean udp);
gboolean             porthole_probe_get_udp (PortholeProbe *self);
void                 porthole_probe_set_banner_wait_ms (PortholeProbe *self, guint wait_ms);
guint                porthole_probe_get_banner_wait_ms (PortholeProbe *self);

/* Runs the probe. Fails with PORTHOLE_NET_ERROR_INVALID when the target does not parse (the
 * message names the bad part), G_IO_ERROR_PENDING when already running, G_IO_ERROR_CANCELLED
 * when cancelled. Every other outcome, "closed" and "dns-error" included, is a successful run:
 * run_finish() returns the status (never UNKNOWN on success). */
void                 porthole_probe_run_async (PortholeProbe       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PortholeProbeStatus  porthole_probe_run_finish (PortholeProbe  *self,
                                                GAsyncResult   *result,
                                                GError        **error);
void                 porthole_probe_cancel (PortholeProbe *self);

gboolean             porthole_probe_get_running (PortholeProbe *self);
PortholeProbeStatus  porthole_probe_get_status (PortholeProbe *self);
const char          *porthole_probe_get_host (PortholeProbe *self);
guint                porthole_probe_get_port (PortholeProbe *self);
const char * const  *porthole_probe_get_addresses (PortholeProbe *self);
const char          *porthole_probe_get_remote_address (PortholeProbe *self);
guint                porthole_probe_get_remote_port (PortholeProbe *self);
const char          *porthole_probe_get_local_address (PortholeProbe *self);
guint                porthole_probe_get_local_port (PortholeProbe *self);
double               porthole_probe_get_connect_ms (PortholeProbe *self);
const char          *porthole_probe_get_banner (PortholeProbe *self);
GBytes              *porthole_probe_get_banner_bytes (PortholeProbe *self);
PortholeTlsInfo     *porthole_probe_get_tls_info (PortholeProbe *self);
const char          *porthole_probe_get_error_message (PortholeProbe *self);
/* Every attempt of the last run, in order. */
const PortholeProbeAttempt *porthole_probe_get_attempts (PortholeProbe *self, guint *n_attempts);

G_END_DECLS
