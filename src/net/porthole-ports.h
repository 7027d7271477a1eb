/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PORTHOLE_RANGE_WELL_KNOWN,   /* 0-1023 */
  PORTHOLE_RANGE_REGISTERED,   /* 1024-49151 */
  PORTHOLE_RANGE_DYNAMIC,      /* 49152-65535 */
} PortholePortRange;

/* This system's port settings, read live from /proc/sys. */
typedef struct {
  guint    ephemeral_start;      /* net.ipv4.ip_local_port_range */
  guint    ephemeral_end;
  guint    unprivileged_start;   /* net.ipv4.ip_unprivileged_port_start */
  gboolean from_system;          /* FALSE when the files could not be read and Linux defaults are shown */
} PortholeSysctl;

#define PORTHOLE_LINUX_EPHEMERAL_START 32768
#define PORTHOLE_LINUX_EPHEMERAL_END   60999

/* @sysctl_root defaults to "/proc/sys" when NULL. Never fails: falls back to Linux defaults.
 * Programs read it through their PortholeSocketMonitor, which re-reads it on every refresh. */
void              porthole_sysctl_read (const char *sysctl_root, PortholeSysctl *out);
/* Linux's defaults (from_system FALSE), for a widget shown before it has a monitor */
extern const PortholeSysctl porthole_sysctl_linux_defaults;

PortholePortRange porthole_port_range (guint port);
void              porthole_port_range_bounds (PortholePortRange range, guint *start, guint *end);
/* "well-known", "registered", "dynamic" (the JSON words) */
const char       *porthole_port_range_id (PortholePortRange range);
gboolean          porthole_port_is_privileged (const PortholeSysctl *sysctl, guint port);
gboolean          porthole_port_is_ephemeral (const PortholeSysctl *sysctl, guint port);

/* Parses a decimal port. Accepts 1-65535 (0-65535 with @allow_zero). Leading/trailing spaces
 * are trimmed. The error message names the bad text ("port 70000 is above 65535"). */
gboolean porthole_port_parse (const char *text, gboolean allow_zero, guint16 *out, GError **error);

G_END_DECLS
