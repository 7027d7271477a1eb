/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-sockinfo.h"

G_BEGIN_DECLS

/* The bounded buffer behind PortholeDestroyWatch (porthole-destroy-watch.h), apart from its
 * socket and thread so that tests and the fuzzer drive it directly. Not thread-safe: the watch
 * holds its lock around every call.
 *
 * Closes are kept as whole rows up to max_rows; past that each one is folded into the summary of
 * its local endpoint (netns, protocol, family, local address and port: a listener's accepted
 * connections share one) up to max_summaries summaries; past that only counted (dropped, with
 * their bytes). Memory never grows past the caps, whatever the kernel sends. */

#define PORTHOLE_DESTROY_MAX_ROWS      4096
#define PORTHOLE_DESTROY_MAX_SUMMARIES 1024

/* Closes of one local endpoint that did not fit in the rows */
typedef struct {
  guint64 netns;             /* as PortholeSockInfo.netns */
  guint8  protocol;
  guint8  family;
  guint16 local_port;        /* host byte order */
  guint8  local_addr[16];    /* as PortholeSockInfo.local_addr */
  guint64 closes;
  guint64 payload_sent;      /* porthole_sockinfo_payload_sent() summed */
  guint64 payload_received;
} PortholeDestroySummary;

/* Every close since the previous take: rows + the summaries' closes + dropped (see
 * porthole_destroy_batch_closes()) is every destroy message that arrived and parsed. */
typedef struct {
  GArray  *rows;                     /* PortholeSockInfo, in the order the kernel sent them */
  GArray  *summaries;                /* PortholeDestroySummary, in the order first seen */
  guint64  dropped;                  /* closes past both caps: only counted */
  guint64  dropped_payload_sent;     /* their bytes */
  guint64  dropped_payload_received;
  /* The kernel's queue for the socket overflowed (ENOBUFS) this many times: closes were lost,
   * how many the kernel does not say. */
  guint64  overflows;
  /* Messages that could not be read: not from the kernel, truncated, or malformed */
  guint64  malformed;
} PortholeDestroyBatch;

/* rows + the summaries' closes + dropped */
guint64 porthole_destroy_batch_closes (const PortholeDestroyBatch *batch);
void    porthole_destroy_batch_free (PortholeDestroyBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeDestroyBatch, porthole_destroy_batch_free)

typedef struct _PortholeDestroyStore PortholeDestroyStore;

/* @max_rows and @max_summaries: the caps (the watch uses PORTHOLE_DESTROY_MAX_*); 0 is allowed */
PortholeDestroyStore *porthole_destroy_store_new (guint max_rows, guint max_summaries);
void                  porthole_destroy_store_free (PortholeDestroyStore *store);
/* Keeps one close: as a row, in a summary, or as a count */
void                  porthole_destroy_store_add (PortholeDestroyStore   *store,
                                                  const PortholeSockInfo *row);
void                  porthole_destroy_store_count_overflow (PortholeDestroyStore *store);
void                  porthole_destroy_store_count_malformed (PortholeDestroyStore *store,
                                                              guint64               n);
/* Everything kept since the last take; the store starts empty again. O(pending). */
PortholeDestroyBatch *porthole_destroy_store_take (PortholeDestroyStore *store);

/* Parses one destroy broadcast as recvmsg() gave it (one or more netlink messages) with
 * porthole_sockdiag_parse(), appending its TCP rows to @rows with @netns set. FALSE, leaving
 * @rows as it was, when the buffer is malformed. */
gboolean porthole_destroy_parse_message (const guint8 *buf,
                                         gsize         len,
                                         guint64       netns,
                                         GArray       *rows);

G_END_DECLS
