/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-ss.h"

#include <arpa/inet.h>
#include <string.h>

/* A field of the line: [start, start + len) */
typedef struct {
  const char *start;
  gsize       len;
} Field;

static gboolean
field_is (const Field *f, const char *word)
{
  return f->len == strlen (word) && memcmp (f->start, word, f->len) == 0;
}

/* Splits on spaces and tabs; at most @max fields, the last one taking the rest of the line */
static guint
split (const char *line, gsize len, Field *fields, guint max)
{
  guint n = 0;
  gsize i = 0;

  while (i < len && n < max)
    {
      gsize start;

      while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
      if (i >= len)
        break;
      start = i;
      if (n == max - 1)
        i = len;
      else
        while (i < len && line[i] != ' ' && line[i] != '\t')
          i++;
      fields[n].start = line + start;
      fields[n].len = i - start;
      n++;
    }
  return n;
}

static const struct {
  const char *word;
  guint8      state;
} states[] = {
  { "ESTAB", PORTHOLE_TCP_ESTABLISHED }, { "SYN-SENT", PORTHOLE_TCP_SYN_SENT },
  { "SYN-RECV", PORTHOLE_TCP_SYN_RECV }, { "FIN-WAIT-1", PORTHOLE_TCP_FIN_WAIT1 },
  { "FIN-WAIT-2", PORTHOLE_TCP_FIN_WAIT2 }, { "TIME-WAIT", PORTHOLE_TCP_TIME_WAIT },
  { "UNCONN", PORTHOLE_TCP_CLOSE }, { "CLOSE-WAIT", PORTHOLE_TCP_CLOSE_WAIT },
  { "LAST-ACK", PORTHOLE_TCP_LAST_ACK }, { "LISTEN", PORTHOLE_TCP_LISTEN },
  { "CLOSING", PORTHOLE_TCP_CLOSING },
};

static gboolean
parse_uint (const char *s, gsize len, guint64 max, guint64 *out)
{
  guint64 v = 0;

  if (len == 0 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (guint64) (s[i] - '0');
      if (v > max)
        return FALSE;
    }
  *out = v;
  return TRUE;
}

/* "127.0.0.1:22", "[::1]:22", "[fe80::1%eth0]:22", "*:22", "0.0.0.0:*", "127.0.0.53%lo:53" */
static gboolean
parse_endpoint (const Field *f, guint8 *family, guint8 addr[16], guint16 *port)
{
  char host[64];
  const char *colon;
  gsize host_len;
  guint64 p = 0;
  char *percent;

  if (f->len == 0 || f->len > 80)
    return FALSE;
  colon = memrchr (f->start, ':', f->len);
  if (colon == NULL)
    return FALSE;
  if (colon + 2 == f->start + f->len && colon[1] == '*')
    p = 0;
  else if (!parse_uint (colon + 1, f->start + f->len - colon - 1, 65535, &p))
    return FALSE;
  *port = (guint16) p;

  host_len = colon - f->start;
  if (host_len >= 2 && f->start[0] == '[' && f->start[host_len - 1] == ']')
    {
      if (host_len - 2 >= sizeof host)
        return FALSE;
      memcpy (host, f->start + 1, host_len - 2);
      host[host_len - 2] = '\0';
    }
  else if (host_len < sizeof host)
    {
      memcpy (host, f->start, host_len);
      host[host_len] = '\0';
    }
  else
    return FALSE;
  if ((percent = strchr (host, '%')) != NULL)   /* the interface ss names; ifindex unknown here */
    *percent = '\0';

  memset (addr, 0, 16);
  if (strcmp (host, "*") == 0)
    return TRUE;   /* every address; the family comes from the other end or stays as guessed */
  if (inet_pton (AF_INET, host, addr) == 1)
    *family = AF_INET;
  else if (inet_pton (AF_INET6, host, addr) == 1)
    *family = AF_INET6;
  else
    return FALSE;
  return TRUE;
}

/* users:(("nginx",pid=812,fd=6),("nginx",pid=813,fd=6)): the first program. ss prints comm
 * (at most 15 bytes) unquoted inside the quotes, so the name ends at the first `",pid=`. */
static void
parse_users (const char *s, gsize len, PortholeSsRow *out)
{
  const char *end = s + len;
  const char *name = s + strlen ("users:((\"");
  const char *pid_at = NULL;
  guint64 pid = 0;

  /* a line with a second users:(...) keeps the first (and does not leak it) */
  if (out->process != NULL ||
      len < strlen ("users:((\"") || memcmp (s, "users:((\"", strlen ("users:((\"")) != 0)
    return;
  for (const char *p = name; p + 6 <= end && p - name <= 64 && pid_at == NULL; p++)
    if (memcmp (p, "\",pid=", 6) == 0)
      pid_at = p;
  if (pid_at == NULL)
    return;
  {
    const char *digits = pid_at + 6;
    const char *stop = digits;

    while (stop < end && g_ascii_isdigit (*stop))
      stop++;
    if (!parse_uint (digits, stop - digits, G_MAXINT, &pid) || pid == 0)
      return;
  }
  out->pid = (int) pid;
  out->process = g_utf8_make_valid (name, MIN (pid_at - name, 64));
}

gboolean
porthole_ss_parse_line (const char *line, gsize len, PortholeSsRow *out)
{
  Field f[7];
  guint n;
  guint64 q;

  memset (out, 0, sizeof *out);
  if (line == NULL || len == 0 || len > 64 * 1024)
    return FALSE;
  n = split (line, len, f, G_N_ELEMENTS (f));
  if (n < 6)
    return FALSE;

  if (field_is (&f[0], "tcp"))
    out->info.protocol = IPPROTO_TCP;
  else if (field_is (&f[0], "udp"))
    out->info.protocol = IPPROTO_UDP;
  else
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (states) && out->info.state == 0; i++)
    if (field_is (&f[1], states[i].word))
      out->info.state = states[i].state;
  if (out->info.state == 0)
    return FALSE;
  /* UDP has no TCP states: connected is ESTAB, the rest UNCONN (PortholeSockInfo's convention) */
  if (out->info.protocol == IPPROTO_UDP && out->info.state != PORTHOLE_TCP_ESTABLISHED)
    out->info.state = PORTHOLE_TCP_CLOSE;

  if (!parse_uint (f[2].start, f[2].len, G_MAXUINT32, &q))
    return FALSE;
  out->info.rx_queue = (guint32) q;
  if (!parse_uint (f[3].start, f[3].len, G_MAXUINT32, &q))
    return FALSE;
  out->info.tx_queue = (guint32) q;

  {
    guint8 local_family = 0, remote_family = 0;

    if (!parse_endpoint (&f[4], &local_family, out->info.local_addr, &out->info.local_port) ||
        !parse_endpoint (&f[5], &remote_family, out->info.remote_addr, &out->info.remote_port))
      return FALSE;
    /* "*:22" both ends: ss shows a dual-stack IPv6 wildcard so */
    out->info.family = local_family ? local_family : remote_family ? remote_family : AF_INET6;
    if (remote_family && local_family && remote_family != local_family)
      return FALSE;
  }

  /* The rest: users:(...), uid:N, ino:N, sk:..., cgroup:..., v6only:N, <-> */
  if (n == 7)
    {
      const char *p = f[6].start, *end = f[6].start + f[6].len;

      while (p < end)
        {
          const char *word = p;
          gsize wlen;

          /* users:(...) may hold spaces inside a quoted name: it runs to its "))" */
          if ((gsize) (end - p) > 7 && memcmp (p, "users:(", 7) == 0)
            {
              const char *close = g_strstr_len (p, end - p, "))");

              wlen = close ? (gsize) (close + 2 - p) : (gsize) (end - p);
              parse_users (word, wlen, out);
            }
          else
            {
              guint64 v;

              while (p < end && *p != ' ' && *p != '\t')
                p++;
              wlen = p - word;
              if (wlen > 4 && memcmp (word, "uid:", 4) == 0 && parse_uint (word + 4, wlen - 4, G_MAXUINT32, &v))
                out->info.uid = (guint32) v;
              else if (wlen > 4 && memcmp (word, "ino:", 4) == 0 && parse_uint (word + 4, wlen - 4, G_MAXUINT64, &v))
                out->info.inode = v;
              else if (wlen == 8 && memcmp (word, "v6only:", 7) == 0)
                {
                  out->info.flags |= PORTHOLE_SOCKINFO_V6ONLY_KNOWN;
                  if (word[7] == '1')
                    out->info.flags |= PORTHOLE_SOCKINFO_V6ONLY;
                }
            }
          p = word + wlen;
          while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        }
    }
  return TRUE;
}

void
porthole_ss_row_clear (PortholeSsRow *row)
{
  g_clear_pointer (&row->process, g_free);
}

GArray *
porthole_ss_rows_new (void)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (PortholeSsRow));

  g_array_set_clear_func (rows, (GDestroyNotify) porthole_ss_row_clear);
  return rows;
}

guint
porthole_ss_parse (const char *text, gsize len, GArray *rows, guint *n_bad)
{
  const char *p = text, *end = text + len;
  guint added = 0, bad = 0;

  while (text != NULL && p < end && rows->len < PORTHOLE_SS_MAX_ROWS)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize line_len = (nl ? nl : end) - p;
      PortholeSsRow row;

      if (line_len > 0 && p[line_len - 1] == '\r')
        line_len--;
      if (line_len > 0)
        {
          if (porthole_ss_parse_line (p, line_len, &row))
            {
              g_array_append_val (rows, row);
              added++;
            }
          else
            bad++;
        }
      p = nl ? nl + 1 : end;
    }
  if (n_bad)
    *n_bad = bad;
  return added;
}
