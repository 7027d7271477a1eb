/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-socktable.h"

#include "porthole-net-error.h"
#include "porthole-procnet.h"
#include "porthole-sockdiag.h"

void
porthole_socktable_filter (GArray *rows, guint from, PortholeDumpFlags flags)
{
  guint kept = from;

  for (guint i = from; i < rows->len; i++)
    {
      const PortholeSockInfo *info = &g_array_index (rows, PortholeSockInfo, i);

      if (!porthole_sockinfo_matches (info, flags))
        continue;
      if (kept != i)
        g_array_index (rows, PortholeSockInfo, kept) = *info;
      kept++;
    }
  g_array_set_size (rows, kept);
}

gboolean
porthole_socktable_dump (const char        *proc_root,
                         PortholeDumpFlags  flags,
                         gboolean           force_proc,
                         GArray            *out,
                         PortholeSource    *source_used,
                         GError           **error)
{
  static const PortholeDumpFlags protocols[] = { PORTHOLE_DUMP_TCP, PORTHOLE_DUMP_UDP };
  PortholeSource source = PORTHOLE_SOURCE_NETLINK;
  gboolean use_proc = force_proc;
  guint initial;

  g_return_val_if_fail (out != NULL, FALSE);

  initial = out->len;
  /* One protocol at a time: a kernel without udp_diag still gives TCP through netlink */
  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      PortholeDumpFlags sub = (flags & ~(PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_UDP)) | protocols[i];
      g_autoptr(GError) local_error = NULL;

      if (!(flags & protocols[i]))
        continue;
      if (!use_proc)
        {
          if (porthole_sockdiag_dump (sub, out, &local_error))
            continue;
          if (!g_error_matches (local_error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_REFUSED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto fail;
            }
          g_debug ("%s; reading /proc/net instead", local_error->message);
          use_proc = TRUE;
        }
      source = PORTHOLE_SOURCE_PROC;
      if (!porthole_procnet_read (proc_root, sub, out, error))
        goto fail;
    }

  porthole_socktable_filter (out, initial, flags);

  if (source_used)
    *source_used = source;
  return TRUE;

fail:
  g_array_set_size (out, initial);
  return FALSE;
}
