/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_ss_parse(): a remote machine's `ss -tuanp[e]HO` output, untrusted: rows bounded,
 * read only within the length, every accepted row a TCP or UDP socket of a known family with
 * a program name that is valid UTF-8 and comm-sized. The first byte picks the ssh destination
 * check instead: an accepted destination can never be read by ssh as an option. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-ss.h"
#include "porthole-ssh-destination.h"

#include <string.h>

static void
check_destination (const guint8 *data, gsize size)
{
  /* a NUL-terminated copy: destinations come from text fields */
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(PortholeSshDestination) dest = { NULL };
  g_autoptr(GPtrArray) argv = NULL;

  if (!porthole_ssh_destination_parse (text, &dest, NULL))
    {
      porthole_fuzz_assert (dest.host == NULL && dest.user == NULL);
      return;
    }
  porthole_fuzz_assert (dest.host != NULL && dest.host[0] != '\0' && dest.host[0] != '-');
  porthole_fuzz_assert (dest.user == NULL || (dest.user[0] != '\0' && dest.user[0] != '-'));
  for (const char *p = text; *p; p++)
    porthole_fuzz_assert (!g_ascii_isspace (*p) && !g_ascii_iscntrl (*p));
  argv = g_ptr_array_new_with_free_func (g_free);
  porthole_ssh_destination_to_argv (&dest, argv);
  porthole_fuzz_assert (strcmp (g_ptr_array_index (argv, argv->len - 2), "--") == 0);
}

int
porthole_fuzz_ss (const guint8 *data, gsize size)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) rows = NULL;
  guint bad = 0;

  if (size > 0 && data[0] == '@')
    {
      check_destination (data + 1, size - 1);
      return 0;
    }
  /* an exact-size copy, so reading one byte past the output is caught by ASan */
  text = porthole_fuzz_copy (data, size, 0);
  rows = porthole_ss_rows_new ();
  porthole_ss_parse (text, size, rows, &bad);
  porthole_fuzz_assert (rows->len <= PORTHOLE_SS_MAX_ROWS);
  for (guint i = 0; i < rows->len; i++)
    {
      const PortholeSsRow *r = &g_array_index (rows, PortholeSsRow, i);

      porthole_fuzz_assert (r->info.protocol == IPPROTO_TCP || r->info.protocol == IPPROTO_UDP);
      porthole_fuzz_assert (r->info.family == AF_INET || r->info.family == AF_INET6);
      porthole_fuzz_assert (porthole_sockinfo_state_name (&r->info) != NULL);
      porthole_fuzz_assert (r->process == NULL || (g_utf8_validate (r->process, -1, NULL) && strlen (r->process) <= 64 * 3));
      porthole_fuzz_assert ((r->process == NULL) == (r->pid == 0));
    }
  return 0;
}
