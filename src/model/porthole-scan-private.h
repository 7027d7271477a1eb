/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-cancel-link.h"
#include "porthole-scan.h"

G_BEGIN_DECLS

/* Shared by porthole-scan.c (the object and its properties) and porthole-scan-run.c (a run:
 * lookup, confirmation, the scanning threads, progress). Main context only. */

typedef struct _PortholeScanRun PortholeScanRun;

struct _PortholeScan {
  GObject             parent_instance;

  char               *host;
  char               *ports;
  guint               concurrency;
  guint               rate;
  guint               timeout_ms;
  gboolean            confirmed;

  gboolean            running;
  char               *address;
  double              progress;
  guint               total;
  guint               done;
  guint               open;
  guint               closed;
  guint               filtered;
  double              elapsed_ms;
  GListStore         *results;

  PortholeScanRun    *run;
  GCancellable       *cancellable;
  PortholeCancelLink *link;
  guint               tick;
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORTS,
  PROP_CONCURRENCY,
  PROP_RATE,
  PROP_TIMEOUT_MS,
  PROP_CONFIRMED,
  PROP_RUNNING,
  PROP_ADDRESS,
  PROP_PROGRESS,
  PROP_PORTS_TOTAL,
  PROP_PORTS_DONE,
  PROP_OPEN_COUNT,
  PROP_CLOSED_COUNT,
  PROP_FILTERED_COUNT,
  PROP_ELAPSED_MS,
  PROP_RESULTS,
  N_PROPS
};

extern GParamSpec *porthole_scan_properties[N_PROPS];

/* TRUE once the run in flight was cancelled: nothing may be emitted any more */
gboolean porthole_scan_is_cancelled (PortholeScan *self);
/* Each sets a field and notifies when it changed, unless the run was cancelled */
void     porthole_scan_set_uint (PortholeScan *self, guint *field, guint value, guint prop);
void     porthole_scan_set_double (PortholeScan *self, double *field, double value, guint prop);
/* "running" is notified even after a cancel: that is the cancel's own last word */
void     porthole_scan_set_running (PortholeScan *self, gboolean running);

G_END_DECLS
