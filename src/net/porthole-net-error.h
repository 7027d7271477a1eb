/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PORTHOLE_NET_ERROR (porthole_net_error_quark ())

typedef enum {
  PORTHOLE_NET_ERROR_FAILED,
  PORTHOLE_NET_ERROR_REFUSED,      /* the kernel refused the request (EPERM, EACCES, no sock_diag) */
  PORTHOLE_NET_ERROR_MALFORMED,    /* input that does not parse: the message names the bad part */
  PORTHOLE_NET_ERROR_INTERRUPTED,  /* a dump kept changing under us after all retries */
  PORTHOLE_NET_ERROR_INVALID,      /* bad user input (port 0, port 70000, empty host ...) */
} PortholeNetError;

GQuark porthole_net_error_quark (void);

G_END_DECLS
