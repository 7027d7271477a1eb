/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

/* The live example of one Learn section, computed from this computer's sockets and settings.
 * Plain text: process names come escaped from the model, other text is escaped here. */
typedef struct {
  char     *example;      /* a sentence or two */
  char     *detail;       /* lines for a monospace block, or NULL */
  gboolean  offer_test;   /* no data to show: point the user to the Test tab */
} PortholeLearnExample;

void porthole_learn_example_clear (PortholeLearnExample *ex);

/* Each example reads @monitor's live sockets and its sysctl values (the one place they come
 * from), so @monitor must not be NULL; @out is cleared first. */

/* This computer's addresses (getifaddrs) and a listener as an address:port example */
void porthole_learn_example_addresses (PortholeSocketMonitor *monitor, PortholeLearnExample *out);
/* This system's privileged and ephemeral ports, and the open ports per IANA range */
void porthole_learn_example_ranges (PortholeSocketMonitor *monitor, PortholeLearnExample *out);
/* A client connection and the ephemeral port the kernel gave it */
void porthole_learn_example_ephemeral (PortholeSocketMonitor *monitor, PortholeLearnExample *out);
/* The listener serving the most connections, with each one's 4-tuple */
void porthole_learn_example_tuple (PortholeSocketMonitor *monitor, PortholeLearnExample *out);
/* Ports in use per protocol, the busiest destination, the open-files limit */
void porthole_learn_example_limits (PortholeSocketMonitor *monitor, PortholeLearnExample *out);
/* The network namespaces (port spaces) with sockets, the containers among them, a port number
 * used in two of them at once, and what is published on this computer's ports */
void porthole_learn_example_port_spaces (PortholeSocketMonitor *monitor, PortholeLearnExample *out);
/* The same over @sockets (PortholeSocket; closed ones are skipped); @monitor, or NULL, only
 * names the containers (else the name their cgroup tells, or the short id) */
void porthole_learn_example_port_spaces_for (GPtrArray             *sockets,
                                             PortholeSocketMonitor *monitor,
                                             PortholeLearnExample  *out);

G_END_DECLS
