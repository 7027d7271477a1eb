/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-net-error.h"

G_DEFINE_QUARK (porthole-net-error-quark, porthole_net_error)
