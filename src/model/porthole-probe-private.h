/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-cancel-link.h"
#include "porthole-probe.h"
#include "porthole-target.h"

G_BEGIN_DECLS

typedef struct _PortholeProbeRun PortholeProbeRun;

/* Shared by porthole-probe.c (the object and its properties) and porthole-probe-run.c (the
 * asynchronous steps). Everything here is touched on the main context only. */
struct _PortholeProbe {
  GObject              parent_instance;

  /* Settings */
  char                *target;
  guint                timeout_ms;
  guint                banner_wait_ms;
  gboolean             tls;
  gboolean             udp;
  char                *via_host;       /* ssh destination the probe runs from; NULL: here */

  /* Results */
  gboolean             running;
  PortholeProbeStatus  status;
  char                *host;
  guint                port;
  char               **addresses;
  char                *remote_address;
  guint                remote_port;
  char                *local_address;
  guint                local_port;
  double               connect_ms;
  char                *banner;
  GBytes              *banner_bytes;
  PortholeTlsInfo     *tls_info;
  char                *error_message;
  GArray              *attempts;       /* PortholeProbeAttempt */

  /* The run in flight */
  PortholeProbeRun    *run;            /* NULL when idle; owned by its GTask */
  GCancellable        *cancellable;    /* the run's own, cancelled by cancel()/dispose */
  PortholeCancelLink  *link;           /* from the caller's cancellable */
  gint64               start_us;
};

enum {
  PORTHOLE_PROBE_PROP_0,
  PORTHOLE_PROBE_PROP_TARGET,
  PORTHOLE_PROBE_PROP_TIMEOUT_MS,
  PORTHOLE_PROBE_PROP_TLS,
  PORTHOLE_PROBE_PROP_UDP,
  PORTHOLE_PROBE_PROP_BANNER_WAIT_MS,
  PORTHOLE_PROBE_PROP_RUNNING,
  PORTHOLE_PROBE_PROP_STATUS,
  PORTHOLE_PROBE_PROP_HOST,
  PORTHOLE_PROBE_PROP_PORT,
  PORTHOLE_PROBE_PROP_ADDRESSES,
  PORTHOLE_PROBE_PROP_REMOTE_ADDRESS,
  PORTHOLE_PROBE_PROP_REMOTE_PORT,
  PORTHOLE_PROBE_PROP_LOCAL_ADDRESS,
  PORTHOLE_PROBE_PROP_LOCAL_PORT,
  PORTHOLE_PROBE_PROP_CONNECT_MS,
  PORTHOLE_PROBE_PROP_BANNER,
  PORTHOLE_PROBE_PROP_BANNER_BYTES,
  PORTHOLE_PROBE_PROP_TLS_INFO,
  PORTHOLE_PROBE_PROP_ERROR_MESSAGE,
  PORTHOLE_PROBE_PROP_VIA_HOST,
  PORTHOLE_PROBE_N_PROPS
};

/* The run in flight (porthole-probe-run.c; TLS in porthole-probe-tls.c, UDP in
 * porthole-probe-udp.c). Every function taking a GTask takes over the caller's reference. */
#include "porthole-target.h"

/* The asynchronous life of one probe run: lookup, one attempt per address (TCP connect or one
 * UDP datagram), then for an open TCP port the TLS handshake and the banner. Each step has its
 * own cancellable, cancelled by the step's timer (a timeout) or by porthole_probe_cancel(). */
struct _PortholeProbeRun {
  PortholeProbe        *self;        /* the task's source object */
  GCancellable         *cancellable; /* this run's (self->cancellable belongs to the newest) */
  PortholeTarget       *target;
  GPtrArray            *addresses;   /* GInetAddress */
  guint                 scope_id;
  guint                 index;       /* the next address to try */
  GCancellable         *op;          /* the current step's */
  guint                 timer;
  gboolean              timed_out;
  gint64                attempt_us;
  PortholeProbeStatus   best;
  char                 *best_message;
  GSocketClient        *client;
  GSocketConnection    *connection;
  GIOStream            *stream;      /* the connection, or its TLS wrapper */
  GTlsCertificate      *peer_certificate;
  GTlsCertificateFlags  peer_errors;
  GSocket              *udp;
};

/* A new cancellable for the next step, cancelled after @timeout_ms (run->timed_out is then set) */
GCancellable *porthole_probe_step_begin (PortholeProbeRun *run, guint timeout_ms);
/* First in every callback: ends the step; when the run was cancelled completes it (consuming
 * *@task) and returns TRUE */
gboolean      porthole_probe_bail_if_cancelled (GTask **task);
/* Ends the run with a verdict (or G_IO_ERROR_CANCELLED when cancelled) */
void          porthole_probe_run_complete (GTask               *task,
                                           PortholeProbeStatus  status,
                                           const char          *message);
void          porthole_probe_set_local_endpoint (PortholeProbe *self, GSocketAddress *address);
/* Records the current address's attempt and emits its ATTEMPT step */
void          porthole_probe_record_attempt (PortholeProbeRun *run, PortholeProbeStatus status,
                                             const char *message);
/* An escaped one-line description of a failed attempt */
char         *porthole_probe_describe_failure (PortholeProbeRun *run, PortholeProbeStatus status,
                                               const GError *error);
/* Stores what the peer said first: raw and escaped */
void          porthole_probe_set_banner (PortholeProbe *self, const char *raw, gsize size);
void          porthole_probe_try_next_address (GTask *task);
void          porthole_probe_read_banner (GTask *task);
void          porthole_probe_start_tls (GTask *task);
void          porthole_probe_send_datagram (GTask *task, GSocketAddress *address);
/* Ends the run with @error instead of a verdict (taken) */
void          porthole_probe_run_fail (GTask *task, GError *error);
/* The run from "via-host": porthole-cli probe --json there (porthole-probe-remote.c) */
void          porthole_probe_remote_start (GTask *task);

/* TRUE once the run in flight was cancelled: nothing may be emitted any more. */
gboolean porthole_probe_is_cancelled (PortholeProbe *self);
/* Notifies @prop unless the run was cancelled. */
void     porthole_probe_notify (PortholeProbe *self, guint prop);
/* Each sets a result field and notifies only when the value changed. */
void     porthole_probe_set_string (PortholeProbe *self, char **field, const char *value,
                                   guint prop);
void     porthole_probe_set_uint (PortholeProbe *self, guint *field, guint value, guint prop);
void     porthole_probe_set_running (PortholeProbe *self, gboolean running);
/* Clears every result before a run. */
void     porthole_probe_reset_results (PortholeProbe *self);
/* Milliseconds since the run started. */
double   porthole_probe_elapsed_ms (PortholeProbe *self);
/* Emits "step" with a formatted message, unless cancelled. */
void     porthole_probe_emit_step (PortholeProbe       *self,
                                   PortholeProbeStep    step,
                                   const char          *address,
                                   PortholeProbeStatus  status,
                                   const char          *format,
                                   ...) G_GNUC_PRINTF (5, 6);

G_END_DECLS
