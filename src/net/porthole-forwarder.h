/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most forwards one command line yields (a pasta range "1-65535" is clamped to this) */
#define PORTHOLE_FORWARDER_MAX_FORWARDS 4096

typedef struct {
  guint8   protocol;            /* IPPROTO_TCP or IPPROTO_UDP */
  char    *host_address;        /* as given ("0.0.0.0", "::", "127.0.0.1"), or NULL when the tool binds every address */
  guint16  host_port;
  char    *container_address;   /* NULL when the tool does not say (pasta, slirp4netns: the namespace's own) */
  guint16  container_port;
} PortholeForward;

/* Frees the strings of one forward (the clear func of the arrays below). */
void        porthole_forward_clear (PortholeForward *forward);

/* From a process's raw argv (the bytes of /proc/<pid>/cmdline: NUL-separated, maybe no final NUL):
 * the ports a forwarder publishes. Recognises docker-proxy (-proto, -host-ip, -host-port,
 * -container-ip, -container-port; both "-flag value" and "-flag=value"), rootlessport if its argv
 * says anything (otherwise it is recognised with no forwards), pasta (-t/--tcp-ports and -u/--udp-ports
 * specs like "8080", "8080:80", "127.0.0.1/8080:80", ranges "8000-8010:9000-9010", "auto" and "all"
 * ignored) and slirp4netns (recognised, forwards from its API come elsewhere: empty array).
 * Returns NULL when argv[0]'s basename is not a forwarder; else a GArray of PortholeForward with a
 * clear func set (possibly empty). Bounded: at most 4096 forwards, argv of any length handled.
 * Ports are 1-65535 (a forward naming port 0, a port above 65535 or a non-number is dropped);
 * addresses are numeric IPv4 or IPv6 (anything else drops the forward), so they are ASCII. */
GArray     *porthole_forwarder_parse_cmdline (const char *argv, gsize len);
/* Reads <proc_root>/<pid>/cmdline raw and parses it (NULL when unreadable or not a forwarder) */
GArray     *porthole_forwarder_read (const char *proc_root, int pid);

G_END_DECLS
