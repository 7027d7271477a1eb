/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PORTHOLE_CLI_FORMAT_SIZE 24

/* Human units for terminals ("1.5 KiB", "12 MiB/s"), written into @buf and returned; scripts
 * read exact bytes from --json */
const char *porthole_cli_format_bytes (double bytes, char buf[PORTHOLE_CLI_FORMAT_SIZE]);
const char *porthole_cli_format_rate (double bytes_per_s, char buf[PORTHOLE_CLI_FORMAT_SIZE]);

G_END_DECLS
