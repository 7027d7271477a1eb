/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_port_list_parse(): an accepted list is sorted, disjoint, within 1-65535, counted
 * right, and its canonical text parses back to the same list; a rejection is one clean line. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-net-error.h"
#include "porthole-portlist.h"

#include <string.h>

int
porthole_fuzz_portlist (const guint8 *data, gsize size)
{
  g_autofree char *text = porthole_fuzz_strndup (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholePortList) list = porthole_port_list_parse (text, &error);
  g_autoptr(PortholePortList) again = NULL;
  g_autofree char *canonical = NULL;
  const PortholePortSpan *spans, *spans_again;
  guint n, n_again, count = 0;

  if (list == NULL)
    {
      porthole_fuzz_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      porthole_fuzz_assert_clean_line (error->message, 300);
      return 0;
    }
  porthole_fuzz_assert (error == NULL);

  spans = porthole_port_list_get_spans (list, &n);
  porthole_fuzz_assert (n > 0);
  for (guint i = 0; i < n; i++)
    {
      porthole_fuzz_assert (spans[i].start >= 1 && spans[i].start <= spans[i].end);
      /* merged: a gap of at least one port between spans */
      porthole_fuzz_assert (i == 0 || spans[i].start > spans[i - 1].end + 1);
      porthole_fuzz_assert (porthole_port_list_contains (list, spans[i].start));
      porthole_fuzz_assert (porthole_port_list_contains (list, spans[i].end));
      porthole_fuzz_assert (!porthole_port_list_contains (list, spans[i].start - 1u));
      porthole_fuzz_assert (!porthole_port_list_contains (list, spans[i].end + 1u));
      count += spans[i].end - spans[i].start + 1u;
    }
  porthole_fuzz_assert (count == porthole_port_list_get_count (list));
  porthole_fuzz_assert (!porthole_port_list_contains (list, 0));
  porthole_fuzz_assert (!porthole_port_list_contains (list, 65536));

  canonical = porthole_port_list_to_string (list);
  again = porthole_port_list_parse (canonical, NULL);
  porthole_fuzz_assert (again != NULL);
  spans_again = porthole_port_list_get_spans (again, &n_again);
  porthole_fuzz_assert (n_again == n && memcmp (spans, spans_again, n * sizeof *spans) == 0);
  return 0;
}
