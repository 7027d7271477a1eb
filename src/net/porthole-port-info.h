/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "porthole-ports.h"
#include "porthole-services.h"

G_BEGIN_DECLS

/* One service known to use a port: from /etc/services, or from the project's own list
 * (data/ports) when /etc/services has no entry for that protocol. */
typedef struct {
  char *name;
  char *protocol;      /* "tcp", "udp", ... */
  char *description;   /* the project's own description (translated), or NULL */
} PortholePortService;

/* Everything `porthole-cli explain` and the Learn tab say about one port, on this system. */
typedef struct {
  guint             port;
  PortholePortRange range;
  guint             range_start;
  guint             range_end;
  gboolean          in_ephemeral_range;
  guint             ephemeral_start;
  guint             ephemeral_end;
  gboolean          privileged;
  guint             unprivileged_start;
  GPtrArray        *services;   /* of PortholePortService */
} PortholePortInfo;

/* @services may be NULL (no /etc/services). Never fails for 0-65535. */
PortholePortInfo *porthole_port_info_new (guint                 port,
                                          const PortholeSysctl *sysctl,
                                          PortholeServices     *services);
void              porthole_port_info_free (PortholePortInfo *info);

/* A plain-text paragraph (translated) that states the facts of @info in sentences. */
char *porthole_port_info_to_text (const PortholePortInfo *info);

/* Parses what a user typed: a port number 0-65535 or a service name ("postgresql", "ssh"),
 * from /etc/services or the project's own list. On failure the message names the bad input
 * in one short line. */
gboolean porthole_port_lookup (const char       *text,
                               PortholeServices *services,
                               guint16          *port,
                               GError          **error);

/* The project's own description of the service usually found on @port, translated, or NULL. */
const char *porthole_port_description (guint port);
/* The number of ports the project describes (for tests). */
guint       porthole_port_description_count (void);

/* Translated, for people: "Well-known", "Registered", "Dynamic" */
const char *porthole_port_range_title (PortholePortRange range);
/* Translated: one sentence on what a range is for and who may use it */
const char *porthole_port_range_purpose (PortholePortRange range);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholePortInfo, porthole_port_info_free)

G_END_DECLS
