/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-procnet.h"

#include "porthole-net-error.h"
#include "porthole-socktable.h"

#include <string.h>

/* The kernel writes each line with seq_printf (net/ipv4/tcp_ipv4.c get_tcp4_sock(),
 * net/ipv6/tcp_ipv6.c get_tcp6_sock(), net/ipv4/udp.c udp4_format_sock()):
 *
 *   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
 *
 * The parser reads the first ten whitespace-separated fields and ignores whatever follows, so
 * newer kernels may add columns. Every number is bounds-checked; nothing is trusted. */

#define N_FIELDS 10

typedef struct {
  const char *p;
  gsize       len;
} Token;

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* 1 to @max_digits hex digits, nothing else */
static gboolean
parse_hex (const char *p, gsize len, gsize max_digits, guint64 *out)
{
  guint64 v = 0;

  if (len == 0 || len > max_digits)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int d = hex_value (p[i]);

      if (d < 0)
        return FALSE;
      v = (v << 4) | (guint64) d;
    }
  *out = v;
  return TRUE;
}

/* Decimal digits only, at most @max */
static gboolean
parse_dec (const Token *t, guint64 max, guint64 *out)
{
  guint64 v = 0;

  if (t->len == 0)
    return FALSE;
  for (gsize i = 0; i < t->len; i++)
    {
      char c = t->p[i];

      if (c < '0' || c > '9')
        return FALSE;
      if (v > (max - (guint64) (c - '0')) / 10)
        return FALSE;
      v = v * 10 + (guint64) (c - '0');
    }
  *out = v;
  return TRUE;
}

/* Splits "A:B" at its only colon. */
static gboolean
split_colon (const Token *t, Token *a, Token *b)
{
  const char *colon = memchr (t->p, ':', t->len);

  if (colon == NULL)
    return FALSE;
  a->p = t->p;
  a->len = (gsize) (colon - t->p);
  b->p = colon + 1;
  b->len = t->len - a->len - 1;
  return memchr (b->p, ':', b->len) == NULL;
}

/* "0100007F:0016": the address is printed as 32-bit words, each with %08X of the word as the
 * kernel holds it in memory (network-order bytes read as a host-order integer). Turning each
 * word back into a host integer and storing it restores the network-order bytes on any
 * endianness; this is also what makes v4-mapped IPv6 addresses come out right. */
static gboolean
parse_endpoint (const Token *t, guint8 family, guint8 addr[16], guint16 *port)
{
  Token a, b;
  gsize n_words = family == AF_INET6 ? 4 : 1;
  guint64 v;

  if (!split_colon (t, &a, &b) || a.len != n_words * 8)
    return FALSE;
  memset (addr, 0, 16);
  for (gsize i = 0; i < n_words; i++)
    {
      guint32 word;

      if (!parse_hex (a.p + i * 8, 8, 8, &v))
        return FALSE;
      word = (guint32) v;
      memcpy (addr + i * 4, &word, 4);
    }
  if (!parse_hex (b.p, b.len, 4, &v))
    return FALSE;
  *port = (guint16) v;
  return TRUE;
}

gboolean
porthole_procnet_parse_line (const char       *line,
                             gsize             len,
                             guint8            family,
                             guint8            protocol,
                             PortholeSockInfo *out)
{
  Token f[N_FIELDS];
  Token tx, rx;
  const char *p = line;
  const char *end = line + len;
  PortholeSockInfo info = { 0 };
  guint64 v;

  g_return_val_if_fail (line != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (family != AF_INET && family != AF_INET6)
    return FALSE;

  for (guint i = 0; i < N_FIELDS; i++)
    {
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (p == end || *p == '\n' || *p == '\0')
        return FALSE;
      f[i].p = p;
      while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\0')
        p++;
      f[i].len = (gsize) (p - f[i].p);
    }

  /* "12:" */
  if (f[0].len < 2 || f[0].p[f[0].len - 1] != ':')
    return FALSE;
  info.protocol = protocol;
  info.family = family;
  if (!parse_endpoint (&f[1], family, info.local_addr, &info.local_port) ||
      !parse_endpoint (&f[2], family, info.remote_addr, &info.remote_port))
    return FALSE;
  if (!parse_hex (f[3].p, f[3].len, 2, &v) || v == 0)
    return FALSE;
  info.state = (guint8) v;
  if (!split_colon (&f[4], &tx, &rx))
    return FALSE;
  if (!parse_hex (tx.p, tx.len, 8, &v))
    return FALSE;
  info.tx_queue = (guint32) v;
  if (!parse_hex (rx.p, rx.len, 8, &v))
    return FALSE;
  info.rx_queue = (guint32) v;
  if (!parse_dec (&f[7], G_MAXUINT32, &v))
    return FALSE;
  info.uid = (guint32) v;
  if (!parse_dec (&f[9], G_MAXUINT64, &v))
    return FALSE;
  info.inode = v;

  *out = info;
  return TRUE;
}

gboolean
porthole_procnet_parse (const char *contents,
                        gsize       len,
                        guint8      family,
                        guint8      protocol,
                        GArray     *out,
                        GError    **error)
{
  const char *end = contents + len;
  const char *nl;
  const char *p;

  g_return_val_if_fail (contents != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  nl = len > 0 ? memchr (contents, '\n', len) : NULL;
  if (nl == NULL || g_strstr_len (contents, nl - contents, "local_address") == NULL)
    {
      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                   "not a /proc/net socket table: no header line");
      return FALSE;
    }

  /* Only lines ending in '\n' count: a last line without one was cut short (a read racing a
   * change, a truncated copy) and could hold a cut-off inode number that still parses. */
  for (p = nl + 1; p < end; p = nl + 1)
    {
      PortholeSockInfo info;

      nl = memchr (p, '\n', (gsize) (end - p));
      if (nl == NULL)
        break;
      if (porthole_procnet_parse_line (p, (gsize) (nl - p), family, protocol, &info))
        g_array_append_val (out, info);
    }
  return TRUE;
}

static gboolean
read_table (const char  *proc_root,
            const char  *name,
            guint8       family,
            guint8       protocol,
            GArray      *out,
            GError     **error)
{
  g_autofree char *path = g_build_filename (proc_root, "net", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      /* No tcp6/udp6 when IPv6 is disabled */
      if (family == AF_INET6 && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!porthole_procnet_parse (contents, len, family, protocol, out, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

gboolean
porthole_procnet_read (const char        *proc_root,
                       PortholeDumpFlags  flags,
                       GArray            *out,
                       GError           **error)
{
  static const struct {
    const char *name;
    guint8 family;
    guint8 protocol;
    PortholeDumpFlags need;
  } tables[] = {
    { "tcp", AF_INET, IPPROTO_TCP, PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV4 },
    { "tcp6", AF_INET6, IPPROTO_TCP, PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV6 },
    { "udp", AF_INET, IPPROTO_UDP, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4 },
    { "udp6", AF_INET6, IPPROTO_UDP, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV6 },
  };

  guint initial;

  g_return_val_if_fail (out != NULL, FALSE);

  if (proc_root == NULL)
    proc_root = "/proc";
  initial = out->len;

  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      guint start = out->len;

      if ((flags & tables[i].need) != tables[i].need)
        continue;
      if (!read_table (proc_root, tables[i].name, tables[i].family, tables[i].protocol, out, error))
        {
          g_array_set_size (out, initial);
          return FALSE;
        }
      /* The files hold every state; keep what @flags ask for */
      porthole_socktable_filter (out, start, flags);
    }
  return TRUE;
}
