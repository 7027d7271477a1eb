/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_target_parse(): host:port, [v6%zone]:port, "host port" and URLs. An accepted
 * target has a port, a clean host, and its text form parses back to the same target; a
 * rejection is one clean, short line. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-net-error.h"
#include "porthole-target.h"

#include <string.h>

static int
check_target (const char *text, gsize size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeTarget) target = porthole_target_parse (text, &error);
  g_autoptr(PortholeTarget) copy = NULL;
  g_autoptr(PortholeTarget) again = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autofree char *str = NULL;

  if (target == NULL)
    {
      porthole_fuzz_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      porthole_fuzz_assert_clean_line (error->message, 400);
      return 0;
    }
  porthole_fuzz_assert (error == NULL);
  porthole_fuzz_assert (target->port >= 1);
  porthole_fuzz_assert (target->host != NULL && target->host[0] != '\0');
  porthole_fuzz_assert_clean_line (target->host, 253);
  porthole_fuzz_assert (strchr (target->host, '%') == NULL);
  porthole_fuzz_assert (target->is_ip || !target->is_ipv6);
  if (target->zone != NULL)
    {
      porthole_fuzz_assert (target->is_ipv6);
      porthole_fuzz_assert_clean_line (target->zone, 15);
    }
  if (target->scheme != NULL)
    porthole_fuzz_assert_clean_line (target->scheme, size);

  copy = porthole_target_copy (target);
  porthole_fuzz_assert (strcmp (copy->host, target->host) == 0 && copy->port == target->port);

  str = porthole_target_to_string (target);
  again = porthole_target_parse (str, &again_error);
  porthole_fuzz_assert (again != NULL);
  porthole_fuzz_assert (strcmp (again->host, target->host) == 0);
  porthole_fuzz_assert (again->port == target->port);
  porthole_fuzz_assert (g_strcmp0 (again->zone, target->zone) == 0);
  porthole_fuzz_assert (again->is_ip == target->is_ip && again->is_ipv6 == target->is_ipv6);
  return 0;
}

/* porthole_target_parse_host() (porthole-cli scan HOST, the scan entry): the same promises
 * without a port, and "[v6%zone]" or the bare host parses back the same. */
static void
check_host (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeTarget) host = porthole_target_parse_host (text, &error);
  g_autoptr(PortholeTarget) again = NULL;
  g_autofree char *str = NULL;

  if (host == NULL)
    {
      porthole_fuzz_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      porthole_fuzz_assert_clean_line (error->message, 400);
      return;
    }
  porthole_fuzz_assert (host->host != NULL && host->host[0] != '\0');
  porthole_fuzz_assert_clean_line (host->host, 253);
  porthole_fuzz_assert (strchr (host->host, '%') == NULL);
  porthole_fuzz_assert (host->zone == NULL || host->is_ipv6);
  str = host->zone ? g_strdup_printf ("[%s%%%s]", host->host, host->zone) : g_strdup (host->host);
  again = porthole_target_parse_host (str, NULL);
  porthole_fuzz_assert (again != NULL && strcmp (again->host, host->host) == 0);
  porthole_fuzz_assert (g_strcmp0 (again->zone, host->zone) == 0 && again->is_ipv6 == host->is_ipv6);
}

int
porthole_fuzz_target (const guint8 *data, gsize size)
{
  g_autofree char *text = porthole_fuzz_strndup (data, size);

  check_host (text);
  return check_target (text, size);
}
