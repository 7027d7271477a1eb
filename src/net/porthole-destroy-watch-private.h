/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-destroy-watch.h"

G_BEGIN_DECLS

/* For tests: a watch whose socket may queue only @rcvbuf_bytes (SO_RCVBUF, which the kernel
 * doubles and raises to its minimum), so that a storm overflows it for real (ENOBUFS). */
PortholeDestroyWatch *porthole_destroy_watch_new_with_rcvbuf (int      rcvbuf_bytes,
                                                              GError **error);
/* For tests: holds the reader before its next read (the kernel keeps queuing meanwhile), or lets
 * it go on. */
void porthole_destroy_watch_set_paused (PortholeDestroyWatch *watch,
                                        gboolean              paused);

G_END_DECLS
