/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A remote machine as the user names it: "host", "user@host", "host:2222", "user@[::1]:2222",
 * or an alias from ~/.ssh/config. */
typedef struct {
  char    *user;   /* NULL: ssh's default (~/.ssh/config or the local user) */
  char    *host;   /* a name, an alias, or an address (IPv6 without brackets) */
  guint16  port;   /* 0: ssh's default */
} PortholeSshDestination;

void porthole_ssh_destination_clear (PortholeSshDestination *dest);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PortholeSshDestination, porthole_ssh_destination_clear)

/* Checks @text before it ever reaches ssh's argv. Refused (PORTHOLE_NET_ERROR_INVALID, the
 * message names the bad part): empty; a leading '-' in the text, the user or the host (ssh
 * would take it for an option: CVE-2017-1000117); whitespace, control characters or invalid
 * UTF-8 anywhere; more than one '@'; a port of 0 or above 65535; a host of characters no host
 * name, alias or address holds; more than 255 bytes. */
gboolean porthole_ssh_destination_parse (const char              *text,
                                         PortholeSshDestination  *out,
                                         GError                 **error);

/* ssh's argv for @dest: "-p" "PORT" when a port is set, then "--" and "[user@]host" as one
 * argument, so nothing in it can be read as an option. Appends to @argv (char*, owned). */
void porthole_ssh_destination_to_argv (const PortholeSshDestination *dest, GPtrArray *argv);

G_END_DECLS
