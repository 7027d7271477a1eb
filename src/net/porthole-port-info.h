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

/* Which end of a connection a port is, as far as the caller knows: the ephemeral range
 * means something different to a server's port and to a client's. */
typedef enum {
  PORTHOLE_PORT_ROLE_UNKNOWN,    /* a port number on its own (porthole-cli explain, the lookup) */
  PORTHOLE_PORT_ROLE_LISTENER,   /* a server's port: something listens on it */
  PORTHOLE_PORT_ROLE_CLIENT,     /* the local end of a connection this computer opened */
} PortholePortRole;

/* The one explanation of a port, shared by `porthole-cli explain`, the details pane and the
 * Learn tab's lookup: a plain-text paragraph (translated, one line) on its IANA range and what
 * that range is for, whether binding it is privileged on this system, how it stands to this
 * system's ephemeral range (worded for @role), and the services known to use it (left out for
 * a client's port: its number was picked, and names no service). */
char *porthole_port_info_explain (const PortholePortInfo *info, PortholePortRole role);

/* The same explanation in titled parts, for a list of rows (the Learn tab's lookup); the
 * paragraph is a lead sentence followed by range, privileged, ephemeral and services. */
typedef struct {
  char *range_title;        /* "Port 5432: Registered (1024–49151)" */
  char *range;              /* what the range is for */
  char *privileged_title;   /* "Privileged here", "Not privileged here" */
  char *privileged;
  char *ephemeral_title;    /* "Inside the ephemeral range here", "Outside ..." */
  char *ephemeral;
  char *services_title;     /* "Known services", "No known service"; NULL for a client's port */
  char *services;           /* one service a line; NULL for a client's port */
} PortholePortExplanation;

void porthole_port_info_explain_parts (const PortholePortInfo  *info,
                                       PortholePortRole         role,
                                       PortholePortExplanation *out);
void porthole_port_explanation_clear (PortholePortExplanation *explanation);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PortholePortExplanation, porthole_port_explanation_clear)

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
