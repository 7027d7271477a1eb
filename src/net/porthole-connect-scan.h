/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "porthole-portlist.h"

G_BEGIN_DECLS

/* A TCP connect scan engine: non-blocking sockets and epoll in a few threads, bounded
 * concurrency, an optional rate cap, a per-port timeout. Plain C over the kernel; blocking, so
 * call it from a worker thread (PortholeScan does). */

typedef struct {
  GInetAddress           *address;       /* the host to scan */
  guint                   scope_id;      /* for link-local IPv6, else 0 */
  const PortholePortList *ports;
  guint                   concurrency;   /* connections in flight, in all threads together */
  guint                   rate;          /* new connections per second, 0 = no cap */
  guint                   timeout_ms;    /* no answer within this: filtered */
  guint                   threads;       /* 0 = pick (one per CPU, at most 4) */

  /* Called from the scanning threads for each open port, in no particular order */
  void                  (*on_open) (guint16 port, gpointer user_data);
  gpointer                user_data;

  /* Progress, updated atomically by the scanning threads; read with g_atomic_int_get() */
  gint                    done;
  gint                    open;
  gint                    closed;
  gint                    filtered;
} PortholeConnectScan;

/* The most sockets the scan may hold open at once given RLIMIT_NOFILE (keeps a margin for the
 * rest of the process). */
guint    porthole_connect_scan_max_concurrency (void);

/* Scans every port of @scan->ports. Returns FALSE with G_IO_ERROR_CANCELLED when cancelled (all
 * sockets closed), or another error when sockets cannot be made at all. */
gboolean porthole_connect_scan_run (PortholeConnectScan *scan,
                                    GCancellable        *cancellable,
                                    GError             **error);

G_END_DECLS
