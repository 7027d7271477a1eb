/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-ports.h"
#include "porthole-net-error.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <string.h>

static gboolean
read_uints (const char *path, guint *values, guint n_values)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  guint found = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  fields = g_strsplit_set (g_strstrip (contents), " \t\n", -1);
  for (guint i = 0; fields[i] != NULL && found < n_values; i++)
    {
      guint64 v;

      if (fields[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (fields[i], 10, 0, 65535, &v, NULL))
        return FALSE;
      values[found++] = (guint) v;
    }
  return found == n_values;
}

const PortholeSysctl porthole_sysctl_linux_defaults = {
  PORTHOLE_LINUX_EPHEMERAL_START, PORTHOLE_LINUX_EPHEMERAL_END, 1024, FALSE
};

void
porthole_sysctl_read (const char *sysctl_root, PortholeSysctl *out)
{
  g_autofree char *range_path = NULL;
  g_autofree char *unpriv_path = NULL;
  guint range[2];
  guint unpriv;
  gboolean ok_range, ok_unpriv;

  if (sysctl_root == NULL)
    sysctl_root = "/proc/sys";
  range_path = g_build_filename (sysctl_root, "net", "ipv4", "ip_local_port_range", NULL);
  unpriv_path = g_build_filename (sysctl_root, "net", "ipv4", "ip_unprivileged_port_start", NULL);

  ok_range = read_uints (range_path, range, 2) && range[0] <= range[1];
  ok_unpriv = read_uints (unpriv_path, &unpriv, 1);

  out->ephemeral_start = ok_range ? range[0] : PORTHOLE_LINUX_EPHEMERAL_START;
  out->ephemeral_end = ok_range ? range[1] : PORTHOLE_LINUX_EPHEMERAL_END;
  /* Kernels before 4.11 have no such file: ports below 1024 are privileged there */
  out->unprivileged_start = ok_unpriv ? unpriv : 1024;
  out->from_system = ok_range;
}

PortholePortRange
porthole_port_range (guint port)
{
  if (port <= 1023)
    return PORTHOLE_RANGE_WELL_KNOWN;
  if (port <= 49151)
    return PORTHOLE_RANGE_REGISTERED;
  return PORTHOLE_RANGE_DYNAMIC;
}

void
porthole_port_range_bounds (PortholePortRange range, guint *start, guint *end)
{
  static const guint bounds[][2] = { { 0, 1023 }, { 1024, 49151 }, { 49152, 65535 } };

  g_return_if_fail (range <= PORTHOLE_RANGE_DYNAMIC);
  if (start)
    *start = bounds[range][0];
  if (end)
    *end = bounds[range][1];
}

const char *
porthole_port_range_id (PortholePortRange range)
{
  static const char * const ids[] = { "well-known", "registered", "dynamic" };

  g_return_val_if_fail (range <= PORTHOLE_RANGE_DYNAMIC, "unknown");
  return ids[range];
}

gboolean
porthole_port_is_privileged (const PortholeSysctl *sysctl, guint port)
{
  /* Port 0 is not a port anyone binds by number: the kernel picks one */
  return port > 0 && port < sysctl->unprivileged_start;
}

gboolean
porthole_port_is_ephemeral (const PortholeSysctl *sysctl, guint port)
{
  return port >= sysctl->ephemeral_start && port <= sysctl->ephemeral_end;
}

gboolean
porthole_port_parse (const char *text, gboolean allow_zero, guint16 *out, GError **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  const char *p = copy;
  guint64 value = 0;

  if (*p == '\0')
    {
      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID, _("the port is missing"));
      return FALSE;
    }
  if (*p == '-')
    {
      /* untrusted text in a one-line message: escaped and cut short */
      g_autofree char *q = porthole_quote_short (copy, strlen (copy));

      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                   _("port “%s” is negative; ports are 1 to 65535"), q);
      return FALSE;
    }
  for (; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          g_autofree char *q = porthole_quote_short (copy, strlen (copy));

          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                       _("port “%s” is not a number"), q);
          return FALSE;
        }
      /* Saturate instead of overflowing: 20-digit input must not wrap to a small port */
      if (value <= 65535)
        value = value * 10 + (guint64) (*p - '0');
    }
  if (value > 65535)
    {
      /* Keep the message one short line even for a 1000-digit number */
      if (strlen (copy) > 24)
        strcpy (copy + 20, "…");
      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                   _("port %s is above 65535, the highest port"), copy);
      return FALSE;
    }
  if (value == 0 && !allow_zero)
    {
      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                   _("port 0 cannot be connected to; ports are 1 to 65535"));
      return FALSE;
    }
  if (out)
    *out = (guint16) value;
  return TRUE;
}
