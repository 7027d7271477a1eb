/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-forwarder.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

/* The kernel caps a command line well below this; a fixture tree might not */
#define MAX_CMDLINE (16 * 1024 * 1024)

typedef enum {
  TOOL_NONE,
  TOOL_DOCKER_PROXY,
  TOOL_ROOTLESSPORT,
  TOOL_PASTA,
  TOOL_SLIRP4NETNS,
} Tool;

void
porthole_forward_clear (PortholeForward *forward)
{
  if (forward == NULL)
    return;
  g_clear_pointer (&forward->host_address, g_free);
  g_clear_pointer (&forward->container_address, g_free);
}

static GArray *
new_forwards (void)
{
  GArray *forwards = g_array_new (FALSE, TRUE, sizeof (PortholeForward));

  g_array_set_clear_func (forwards, (GDestroyNotify) porthole_forward_clear);
  return forwards;
}

static gboolean
add_forward (GArray *forwards, guint8 protocol, const char *host_address, guint16 host_port,
             const char *container_address, guint16 container_port)
{
  PortholeForward f = { protocol, g_strdup (host_address), host_port,
                        g_strdup (container_address), container_port };

  if (forwards->len >= PORTHOLE_FORWARDER_MAX_FORWARDS)
    {
      porthole_forward_clear (&f);
      return FALSE;
    }
  g_array_append_val (forwards, f);
  return TRUE;
}

/* The argv strings: pointers into @copy (the argv with one NUL added), split at NULs within
 * @len only; a last string without its NUL counts. */
static GPtrArray *
split_argv (const char *copy, gsize len)
{
  GPtrArray *args = g_ptr_array_new ();
  gsize start = 0;

  for (gsize i = 0; i <= len; i++)
    if (i == len || copy[i] == '\0')
      {
        if (i < len || i > start)
          g_ptr_array_add (args, (gpointer) (copy + start));
        start = i + 1;
      }
  return args;
}

/* From argv[0] (up to the first NUL within @len), before anything is copied: most processes
 * are no forwarder, and their argv may be megabytes long. */
static Tool
tool_of (const char *argv, gsize len)
{
  static const struct { const char *name; Tool tool; } tools[] = {
    { "docker-proxy", TOOL_DOCKER_PROXY },
    { "rootlessport", TOOL_ROOTLESSPORT },
    /* pasta ships a second build for CPUs with AVX2 and re-executes itself as that */
    { "pasta", TOOL_PASTA },
    { "pasta.avx2", TOOL_PASTA },
    { "slirp4netns", TOOL_SLIRP4NETNS },
  };
  const char *nul = memchr (argv, '\0', len);
  gsize arg0_len = nul ? (gsize) (nul - argv) : len;
  const char *slash = memrchr (argv, '/', arg0_len);
  const char *base = slash ? slash + 1 : argv;
  gsize base_len = arg0_len - (gsize) (base - argv);

  for (gsize i = 0; i < G_N_ELEMENTS (tools); i++)
    if (base_len == strlen (tools[i].name) && memcmp (base, tools[i].name, base_len) == 0)
      return tools[i].tool;
  return TOOL_NONE;
}

/* 1-65535, decimal digits only (no sign, no spaces), as both tools require */
static gboolean
parse_port (const char *text, gsize len, guint16 *port)
{
  guint value = 0;

  if (len == 0 || len > 5)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }
  if (value == 0 || value > G_MAXUINT16)
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

/* A numeric IPv4 or IPv6 address, kept as written */
static gboolean
is_address (const char *text)
{
  guint8 buf[sizeof (struct in6_addr)];

  return inet_pton (AF_INET, text, buf) == 1 || inet_pton (AF_INET6, text, buf) == 1;
}

/* docker-proxy is a Go program using the flag package: "-flag value", "-flag=value", and the
 * same with "--"; the last occurrence wins. One process forwards one port. */
static void
parse_docker_proxy (GPtrArray *args, GArray *forwards)
{
  static const char * const names[] = { "proto", "host-ip", "host-port", "container-ip", "container-port" };
  const char *values[G_N_ELEMENTS (names)] = { NULL };
  guint16 host_port, container_port;
  guint8 protocol;

  for (guint i = 1; i < args->len; i++)
    {
      const char *arg = g_ptr_array_index (args, i);
      const char *eq;
      gsize name_len;

      if (strcmp (arg, "--") == 0)
        break;
      if (arg[0] != '-')
        continue;
      arg += arg[1] == '-' ? 2 : 1;
      eq = strchr (arg, '=');
      name_len = eq ? (gsize) (eq - arg) : strlen (arg);
      for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
        if (name_len == strlen (names[n]) && memcmp (arg, names[n], name_len) == 0)
          {
            if (eq != NULL)
              values[n] = eq + 1;
            else if (i + 1 < args->len)
              values[n] = g_ptr_array_index (args, ++i);
            break;
          }
    }

  if (values[0] == NULL || strcmp (values[0], "tcp") == 0)
    protocol = IPPROTO_TCP;
  else if (strcmp (values[0], "udp") == 0)
    protocol = IPPROTO_UDP;
  else
    return; /* sctp, or nonsense */
  if (values[2] == NULL || !parse_port (values[2], strlen (values[2]), &host_port) ||
      values[4] == NULL || !parse_port (values[4], strlen (values[4]), &container_port))
    return;
  if ((values[1] != NULL && !is_address (values[1])) || (values[3] != NULL && !is_address (values[3])))
    return;
  add_forward (forwards, protocol, values[1], host_port, values[3], container_port);
}

/* "a" or "a-b" within [text, text+len) */
static gboolean
parse_range (const char *text, gsize len, guint16 *first, guint16 *last)
{
  const char *dash = memchr (text, '-', len);

  if (dash == NULL)
    {
      if (!parse_port (text, len, first))
        return FALSE;
      *last = *first;
      return TRUE;
    }
  return parse_port (text, (gsize) (dash - text), first) &&
         parse_port (dash + 1, len - (gsize) (dash + 1 - text), last) && *first <= *last;
}

typedef struct {
  guint first;
  guint last;
} Span;

static int
compare_spans (gconstpointer a, gconstpointer b)
{
  const Span *x = a, *y = b;

  return (x->first > y->first) - (x->first < y->first);
}

/* Sorted, with overlapping and adjacent spans merged: so between two exclusions there is
 * always a port to forward, and walking a range costs at most one step per forward added. */
static void
merge_spans (GArray *spans)
{
  guint out = 0;

  g_array_sort (spans, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      Span s = g_array_index (spans, Span, i);

      if (out > 0 && s.first <= g_array_index (spans, Span, out - 1).last + 1)
        {
          Span *prev = &g_array_index (spans, Span, out - 1);

          prev->last = MAX (prev->last, s.last);
        }
      else
        g_array_index (spans, Span, out++) = s;
    }
  g_array_set_size (spans, out);
}

/* The first exclusion that ends at or after @port (binary search) */
static guint
first_exclusion (GArray *excluded, guint port)
{
  guint lo = 0, hi = excluded->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (excluded, Span, mid).last < port)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Forwards @first-@last to @target on, except the excluded ports; FALSE once the bound is hit */
static gboolean
add_range (GArray *forwards, guint8 protocol, const char *address, guint first, guint last,
           guint target, GArray *excluded)
{
  guint e = first_exclusion (excluded, first);
  guint p = first;

  while (p <= last)
    {
      guint stop = last;

      if (e < excluded->len)
        {
          const Span *x = &g_array_index (excluded, Span, e);

          if (x->first <= p)
            {
              p = x->last + 1;
              e++;
              continue;
            }
          stop = MIN (last, x->first - 1);
        }
      for (; p <= stop; p++)
        if (!add_forward (forwards, protocol, address, (guint16) p, NULL, (guint16) (target + (p - first))))
          return FALSE;
    }
  return TRUE;
}

/* One pasta -t/-u spec: comma-separated "[addr[%iface]/]first[-last][:target[-target_last]]"
 * items, "~first[-last]" exclusions (which apply to the whole spec), or the words "none",
 * "auto" and "all" (nothing known from the command line: ignored). */
static void
parse_pasta_spec (const char *spec, guint8 protocol, GArray *forwards)
{
  g_auto(GStrv) items = g_strsplit (spec, ",", -1);
  g_autoptr(GArray) excluded = g_array_new (FALSE, FALSE, sizeof (Span));

  /* exclusions first: "~25,1-100" and "1-100,~25" mean the same */
  for (guint i = 0; items[i] != NULL; i++)
    {
      guint16 first, last;

      if (items[i][0] == '~' && parse_range (items[i] + 1, strlen (items[i] + 1), &first, &last))
        {
          Span s = { first, last };

          g_array_append_val (excluded, s);
        }
    }
  merge_spans (excluded);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *address = NULL;
      const char *ports = items[i];
      const char *slash = strrchr (items[i], '/');
      const char *colon;
      guint16 first, last, target, target_last;

      if (items[i][0] == '~' || strcmp (items[i], "none") == 0 || strcmp (items[i], "auto") == 0 ||
          strcmp (items[i], "all") == 0)
        continue;
      if (slash != NULL)
        {
          const char *percent = memchr (items[i], '%', (gsize) (slash - items[i]));

          address = g_strndup (items[i], (gsize) ((percent ? percent : slash) - items[i]));
          if (!is_address (address))
            continue;
          ports = slash + 1;
        }
      colon = strchr (ports, ':');
      if (!parse_range (ports, colon ? (gsize) (colon - ports) : strlen (ports), &first, &last))
        continue;
      if (colon == NULL)
        {
          target = first;
          target_last = last;
        }
      else if (!parse_range (colon + 1, strlen (colon + 1), &target, &target_last))
        continue;
      /* a target range maps port by port, so it has the same size; a single target port is
       * where the range starts (pasta keeps one offset per port) */
      if (target_last != target && target_last - target != last - first)
        continue;
      if ((guint) target + (last - first) > G_MAXUINT16)
        continue;
      if (!add_range (forwards, protocol, address, first, last, target, excluded))
        return;
    }
}

static gboolean
is_one_of (const char *word, gsize len, const char * const *list)
{
  for (; *list != NULL; list++)
    if (strlen (*list) == len && memcmp (*list, word, len) == 0)
      return TRUE;
  return FALSE;
}

/* pasta parses its options with getopt_long: short options cluster ("-qt 80"), and an option's
 * value may be attached ("-t80", "--tcp-ports=80") or the next argument. Values of the other
 * options are skipped so that a value never passes for an option. */
static void
parse_pasta (GPtrArray *args, GArray *forwards)
{
  static const char * const long_with_value[] = {
    "log-file", "log-size", "socket", "fd", "ns-ifname", "pcap", "pid", "mtu", "address",
    "netmask", "mac-addr", "gateway", "interface", "outbound", "outbound-if4", "outbound-if6",
    "dns", "dns-forward", "dns-host", "search", "hostname", "netns", "userns", "runas",
    "map-host-loopback", "map-guest-addr", "tcp-ns", "udp-ns", "fqdn", "repair-path",
    NULL,
  };
  static const char short_with_value[] = "lsFIpPmanMgioDSHTU";

  for (guint i = 1; i < args->len && forwards->len < PORTHOLE_FORWARDER_MAX_FORWARDS; i++)
    {
      const char *arg = g_ptr_array_index (args, i);
      const char *value = NULL;
      guint8 protocol = 0;

      if (strcmp (arg, "--") == 0)
        break;
      if (arg[0] != '-' || arg[1] == '\0')
        continue;
      if (arg[1] == '-')
        {
          const char *name = arg + 2;
          const char *eq = strchr (name, '=');
          gsize name_len = eq ? (gsize) (eq - name) : strlen (name);

          if (name_len == strlen ("tcp-ports") && memcmp (name, "tcp-ports", name_len) == 0)
            protocol = IPPROTO_TCP;
          else if (name_len == strlen ("udp-ports") && memcmp (name, "udp-ports", name_len) == 0)
            protocol = IPPROTO_UDP;
          else if (eq == NULL && is_one_of (name, name_len, long_with_value))
            i++;
          if (protocol == 0)
            continue;
          if (eq != NULL)
            value = eq + 1;
          else if (i + 1 < args->len)
            value = g_ptr_array_index (args, ++i);
        }
      else
        {
          for (const char *c = arg + 1; *c != '\0'; c++)
            {
              if (*c == 't' || *c == 'u')
                protocol = *c == 't' ? IPPROTO_TCP : IPPROTO_UDP;
              else if (strchr (short_with_value, *c) == NULL)
                continue;
              /* the rest of the cluster, or the next argument, is this option's value */
              if (c[1] != '\0')
                value = c + 1;
              else if (i + 1 < args->len)
                value = g_ptr_array_index (args, ++i);
              break;
            }
          if (protocol == 0)
            continue;
        }
      if (value != NULL)
        parse_pasta_spec (value, protocol, forwards);
    }
}

GArray *
porthole_forwarder_parse_cmdline (const char *argv, gsize len)
{
  g_autoptr(GPtrArray) args = NULL;
  g_autofree char *copy = NULL;
  GArray *forwards;
  Tool tool;

  if (argv == NULL || len == 0)
    return NULL;
  tool = tool_of (argv, len);
  if (tool == TOOL_NONE)
    return NULL;
  /* one copy with a NUL after the last string; the arguments point into it */
  copy = g_malloc (len + 1);
  memcpy (copy, argv, len);
  copy[len] = '\0';
  args = split_argv (copy, len);

  forwards = new_forwards ();
  switch (tool)
    {
    case TOOL_DOCKER_PROXY:
      parse_docker_proxy (args, forwards);
      break;
    case TOOL_PASTA:
      parse_pasta (args, forwards);
      break;
    case TOOL_ROOTLESSPORT:
      /* Podman hands rootlessport its port list as JSON on stdin: the argv says nothing */
    case TOOL_SLIRP4NETNS:
      /* slirp4netns forwards what its API socket is told later, never its argv */
    case TOOL_NONE:
    default:
      break;
    }
  return forwards;
}

GArray *
porthole_forwarder_read (const char *proc_root, int pid)
{
  g_autofree char *path = g_strdup_printf ("%s/%d/cmdline", proc_root ? proc_root : "/proc", pid);
  g_autoptr(GByteArray) buf = NULL;
  gboolean eof = FALSE;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  buf = g_byte_array_new ();
  while (!eof && buf->len < MAX_CMDLINE)
    {
      guint8 chunk[4096];
      ssize_t n = read (fd, chunk, MIN (sizeof chunk, MAX_CMDLINE - buf->len));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        eof = TRUE;
      else
        g_byte_array_append (buf, chunk, (guint) n);
      /* called for every process: decide on argv[0] alone before reading the rest */
      if (buf->len > 0 && buf->len <= sizeof chunk && (eof || memchr (buf->data, '\0', buf->len)) &&
          tool_of ((const char *) buf->data, buf->len) == TOOL_NONE)
        break;
    }
  close (fd);
  return porthole_forwarder_parse_cmdline ((const char *) buf->data, buf->len);
}
