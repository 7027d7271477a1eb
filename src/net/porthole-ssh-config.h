/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this many hosts are taken from one file (a generated config may list thousands) */
#define PORTHOLE_SSH_CONFIG_MAX_HOSTS 200

/* The hosts an ssh_config(5) file names for a host menu: each pattern of each "Host" line
 * (keywords in any case, "Host=a b" too, quoted patterns, comments) that has no wildcard
 * ('*', '?'), is no negation ('!') and is a valid destination (porthole_ssh_destination_parse:
 * no option-like or control text), in file order, without repeats, at most
 * PORTHOLE_SSH_CONFIG_MAX_HOSTS. "Match" blocks and Include files are not followed. Never reads
 * past @len; any bytes are accepted. Returns a NULL-terminated array (empty when none). */
char **porthole_ssh_config_hosts (const char *text, gsize len);

G_END_DECLS
