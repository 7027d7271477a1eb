/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_forwarder_parse_cmdline(): a raw /proc/<pid>/cmdline, read only within its length.
 * Whether it is a forwarder depends on argv[0]'s basename alone; a forwarder yields at most
 * PORTHOLE_FORWARDER_MAX_FORWARDS forwards, each TCP or UDP with ports 1-65535 and numeric
 * addresses (or none); the array frees its own strings. A final NUL changes nothing. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-forwarder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static gboolean
is_address (const char *text)
{
  guint8 buf[sizeof (struct in6_addr)];

  return inet_pton (AF_INET, text, buf) == 1 || inet_pton (AF_INET6, text, buf) == 1;
}

static gboolean
names_forwarder (const guint8 *data, gsize size)
{
  static const char * const tools[] = { "docker-proxy", "rootlessport", "pasta", "pasta.avx2", "slirp4netns" };
  const guint8 *nul = memchr (data, '\0', size);
  gsize len = nul ? (gsize) (nul - data) : size;
  const guint8 *slash = len > 0 ? memrchr (data, '/', len) : NULL;
  const guint8 *base = slash ? slash + 1 : data;
  gsize base_len = len - (gsize) (base - data);

  for (gsize i = 0; i < G_N_ELEMENTS (tools); i++)
    if (base_len == strlen (tools[i]) && memcmp (base, tools[i], base_len) == 0)
      return TRUE;
  return FALSE;
}

static void
check_forwards (GArray *forwards)
{
  porthole_fuzz_assert (forwards->len <= PORTHOLE_FORWARDER_MAX_FORWARDS);
  for (guint i = 0; i < forwards->len; i++)
    {
      const PortholeForward *f = &g_array_index (forwards, PortholeForward, i);

      porthole_fuzz_assert (f->protocol == IPPROTO_TCP || f->protocol == IPPROTO_UDP);
      porthole_fuzz_assert (f->host_port > 0 && f->container_port > 0);
      porthole_fuzz_assert (f->host_address == NULL ||
                            (g_utf8_validate (f->host_address, -1, NULL) && is_address (f->host_address)));
      porthole_fuzz_assert (f->container_address == NULL ||
                            (g_utf8_validate (f->container_address, -1, NULL) &&
                             is_address (f->container_address)));
    }
}

static gboolean
same_forwards (GArray *a, GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const PortholeForward *x = &g_array_index (a, PortholeForward, i);
      const PortholeForward *y = &g_array_index (b, PortholeForward, i);

      if (x->protocol != y->protocol || x->host_port != y->host_port ||
          x->container_port != y->container_port || g_strcmp0 (x->host_address, y->host_address) != 0 ||
          g_strcmp0 (x->container_address, y->container_address) != 0)
        return FALSE;
    }
  return TRUE;
}

int
porthole_fuzz_forwarder (const guint8 *data, gsize size)
{
  /* an exact-size copy, so reading one byte past the argv is caught by ASan */
  g_autofree char *argv = porthole_fuzz_copy (data, size, 0);
  g_autoptr(GArray) forwards = porthole_forwarder_parse_cmdline (argv, size);

  porthole_fuzz_assert ((forwards != NULL) == (size > 0 && names_forwarder (data, size)));
  if (forwards == NULL)
    return 0;
  check_forwards (forwards);

  if (data[size - 1] != '\0')
    {
      g_autofree char *terminated = g_malloc (size + 1);
      g_autoptr(GArray) again = NULL;

      memcpy (terminated, data, size);
      terminated[size] = '\0';
      again = porthole_forwarder_parse_cmdline (terminated, size + 1);
      porthole_fuzz_assert (again != NULL && same_forwards (forwards, again));
    }
  return 0;
}
