/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A connection target as typed by a user: "host:port", "[v6]:port", "[fe80::1%lo]:22",
 * "host port", or a URL whose scheme implies a port ("https://user@example.org/path"). */
typedef struct {
  char    *host;        /* without brackets and without the IPv6 zone ("fe80::1") */
  char    *zone;        /* the IPv6 zone ("lo" of "[fe80::1%lo]:22") or NULL */
  char    *scheme;      /* lower-case URL scheme, or NULL when the input was not a URL */
  guint16  port;        /* 1-65535 */
  gboolean is_ip;       /* host is an IPv4 or IPv6 literal */
  gboolean is_ipv6;     /* host is an IPv6 literal */
} PortholeTarget;

/* Parses @text (pure: no I/O, no DNS). On failure returns NULL with a PORTHOLE_NET_ERROR_INVALID
 * error whose message is one line naming the bad part, with untrusted text escaped and cut
 * short ("put IPv6 addresses in brackets: [::1]:22"). An explicit port beats a scheme's port;
 * user@ and any path, query or fragment of a URL are ignored. */
PortholeTarget *porthole_target_parse (const char *text, GError **error);
/* Parses a host alone ("example.org", "192.0.2.1", "::1", "[::1]", "fe80::1%lo"), as for a
 * scan: same rules and messages, and port is 0. */
PortholeTarget *porthole_target_parse_host (const char *text, GError **error);
PortholeTarget *porthole_target_copy (const PortholeTarget *target);
void            porthole_target_free (PortholeTarget *target);

/* "host:port", or "[v6%zone]:port" for IPv6 (the text form of the CLI and the UI). */
char           *porthole_target_to_string (const PortholeTarget *target);

/* The well-known port of a URL scheme ("https" -> 443, case-insensitive), 0 when unknown. */
guint16         porthole_target_scheme_port (const char *scheme);

/* Untrusted text quoted in a one-line message: escaped (porthole_escape_text()) and cut to 40
 * bytes with "…" appended when longer. */
char           *porthole_quote_short (const char *text, gsize len);

/* Formats an address and port for display: "192.0.2.1:80", "[2001:db8::1]:80". */
char           *porthole_format_endpoint (const char *address, guint port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeTarget, porthole_target_free)

G_END_DECLS
