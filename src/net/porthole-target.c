/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-target.h"

#include "porthole-escape.h"
#include "porthole-net-error.h"
#include "porthole-ports.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <string.h>

/* Longest host name DNS can carry (RFC 1035), and the longest zone (IFNAMSIZ - 1). */
#define MAX_HOST_LEN 253
#define MAX_ZONE_LEN 15
/* Untrusted text quoted in a message is cut to this many bytes so the message stays one line. */
#define QUOTE_LEN 40

static const struct {
  const char *scheme;
  guint16     port;
} scheme_ports[] = {
  { "amqp", 5672 }, { "amqps", 5671 }, { "ftp", 21 }, { "ftps", 990 }, { "git", 9418 },
  { "gopher", 70 }, { "http", 80 }, { "https", 443 }, { "imap", 143 }, { "imaps", 993 },
  { "irc", 6667 }, { "ircs", 6697 }, { "kafka", 9092 }, { "ldap", 389 }, { "ldaps", 636 },
  { "memcached", 11211 }, { "mongodb", 27017 }, { "mqtt", 1883 }, { "mqtts", 8883 },
  { "mysql", 3306 }, { "nntp", 119 }, { "pop3", 110 }, { "pop3s", 995 }, { "postgres", 5432 },
  { "postgresql", 5432 }, { "rdp", 3389 }, { "redis", 6379 }, { "rsync", 873 }, { "sftp", 22 },
  { "sip", 5060 }, { "smtp", 25 }, { "smtps", 465 }, { "ssh", 22 }, { "submission", 587 },
  { "telnet", 23 }, { "vnc", 5900 }, { "ws", 80 }, { "wss", 443 }, { "xmpp", 5222 },
};

guint16
porthole_target_scheme_port (const char *scheme)
{
  if (scheme == NULL)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (scheme_ports); i++)
    if (g_ascii_strcasecmp (scheme, scheme_ports[i].scheme) == 0)
      return scheme_ports[i].port;
  return 0;
}

char *
porthole_quote_short (const char *text, gsize len)
{
  gsize cut = MIN (len, QUOTE_LEN);
  g_autofree char *escaped = NULL;

  /* Do not cut inside a UTF-8 sequence: the escaper would show half a character as bytes */
  while (cut > 0 && cut < len && ((guchar) text[cut] & 0xc0) == 0x80)
    cut--;
  escaped = porthole_escape_text (text, cut, FALSE);
  return cut < len ? g_strconcat (escaped, "…", NULL) : g_steal_pointer (&escaped);
}

static gboolean G_GNUC_PRINTF (2, 3)
fail (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
is_ipv4 (const char *text)
{
  struct in_addr a;

  return inet_pton (AF_INET, text, &a) == 1;
}

/* An IPv6 literal, optionally with "%zone". Sets *@zone_out to the zone. */
static gboolean
is_ipv6 (const char *text, gsize len, char **zone_out)
{
  struct in6_addr a;
  g_autofree char *copy = g_strndup (text, len);
  char *percent = strchr (copy, '%');

  if (percent != NULL)
    *percent = '\0';
  if (strlen (copy) != len && percent == NULL)
    return FALSE;  /* a NUL inside */
  if (inet_pton (AF_INET6, copy, &a) != 1)
    return FALSE;
  if (zone_out != NULL)
    *zone_out = percent != NULL ? g_strdup (percent + 1) : NULL;
  return TRUE;
}

static gboolean
check_zone (const char *zone, GError **error)
{
  gsize len = strlen (zone);

  if (len == 0)
    return fail (error, _("the IPv6 zone after “%%” is empty (use e.g. [fe80::1%%eth0]:22)"));
  for (gsize i = 0; i < len; i++)
    if (len > MAX_ZONE_LEN || !(g_ascii_isalnum (zone[i]) || strchr ("-_.@", zone[i]) != NULL))
      {
        g_autofree char *q = porthole_quote_short (zone, len);
        return fail (error, _("“%s” is not a network interface name"), q);
      }
  return TRUE;
}

static gboolean
check_hostname (const char *host, gsize len, GError **error)
{
  gboolean numeric = TRUE;

  if (len == 0)
    return fail (error, _("the host is missing"));
  if (len > MAX_HOST_LEN)
    {
      g_autofree char *q = porthole_quote_short (host, len);
      return fail (error, _("the host name “%s” is longer than %d characters"), q,
                   MAX_HOST_LEN);
    }
  if (!g_utf8_validate (host, len, NULL))
    {
      g_autofree char *q = porthole_quote_short (host, len);
      return fail (error, _("the host name “%s” is not valid UTF-8"), q);
    }
  for (const char *p = host; p < host + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '.' && (p == host || p[-1] == '.'))
        {
          g_autofree char *q = porthole_quote_short (host, len);
          return fail (error, _("the host name “%s” has an empty label"), q);
        }
      if (!(g_unichar_isalnum (c) || c == '-' || c == '.' || c == '_'))
        {
          g_autofree char *q = porthole_quote_short (host, len);
          g_autofree char *qc = porthole_quote_short (p, g_utf8_next_char (p) - p);
          return fail (error, _("invalid character “%s” in host “%s”"), qc, q);
        }
      if (!g_ascii_isdigit (c) && c != '.')
        numeric = FALSE;
    }
  if (numeric)
    {
      g_autofree char *copy = g_strndup (host, len);

      if (!is_ipv4 (copy))
        {
          g_autofree char *q = porthole_quote_short (host, len);
          return fail (error, _("“%s” is not a valid IPv4 address"), q);
        }
    }
  return TRUE;
}

/* An IPv6 literal with an optional zone, into @target; the zone is split off and checked. */
static gboolean
take_ipv6 (PortholeTarget *target, char *host, GError **error)
{
  if (!is_ipv6 (host, strlen (host), &target->zone))
    {
      g_autofree char *q = porthole_quote_short (host, strlen (host));
      fail (error, _("“%s” is neither a host name nor an IPv6 address"), q);
      return FALSE;
    }
  if (target->zone != NULL)
    {
      *strchr (host, '%') = '\0';
      if (!check_zone (target->zone, error))
        return FALSE;
    }
  target->is_ip = target->is_ipv6 = TRUE;
  return TRUE;
}

static gboolean
parse_port_text (const char *text, guint16 *port, GError **error)
{
  gsize len = strlen (text);
  gboolean simple = TRUE;

  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_isdigit (text[i]) || text[i] == ' ' || (text[i] == '-' && i == 0)))
      simple = FALSE;
  if (!simple || (len > 24 && text[0] == '-'))
    {
      g_autofree char *q = porthole_quote_short (text, len);
      return fail (error, text[0] == '-' ? _("port “%s” is negative; ports are 1 to 65535")
                                         : _("port “%s” is not a number"), q);
    }
  return porthole_port_parse (text, FALSE, port, error);
}

/* "[v6]:port", "[v6]", "host:port", "host"; @port_text is NULL when there is no port. */
static gboolean
split_host_port (const char *text, char **host, char **port_text, gboolean *bracketed,
                 GError **error)
{
  gsize len = strlen (text);
  const char *colon;

  *bracketed = FALSE;
  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        {
          g_autofree char *q = porthole_quote_short (text, len);
          return fail (error, _("missing “]” after the IPv6 address in “%s”"), q);
        }
      *bracketed = TRUE;
      *host = g_strndup (text + 1, close - text - 1);
      if (close[1] == ':')
        *port_text = g_strdup (close + 2);
      else if (close[1] != '\0')
        {
          g_autofree char *q = porthole_quote_short (close + 1, strlen (close + 1));
          return fail (error, _("unexpected “%s” after “]”: use [address]:port"), q);
        }
      return TRUE;
    }

  colon = strchr (text, ':');
  if (colon == NULL)
    {
      *host = g_strdup (text);
      return TRUE;
    }
  if (strchr (colon + 1, ':') == NULL)
    {
      *host = g_strndup (text, colon - text);
      *port_text = g_strdup (colon + 1);
      return TRUE;
    }

  /* Two or more colons without brackets: an IPv6 address, perhaps with a port glued on. */
  {
    const char *last = strrchr (text, ':');
    gsize tail = strlen (last + 1);
    gboolean digits = tail > 0 && tail <= 5 && strspn (last + 1, "0123456789") == tail;
    g_autofree char *q = NULL;

    if (digits && last > text && is_ipv6 (text, last - text, NULL))
      {
        g_autofree char *qa = porthole_quote_short (text, last - text);
        return fail (error, _("put IPv6 addresses in brackets: [%s]:%s"), qa, last + 1);
      }
    q = porthole_quote_short (text, len);
    if (is_ipv6 (text, len, NULL))
      return fail (error, _("put IPv6 addresses in brackets and add a port: [%s]:PORT"), q);
    return fail (error, _("too many “:” in “%s” (IPv6 addresses go in brackets: [::1]:22)"),
                 q);
  }
}

static gboolean
parse_authority (const char *text, PortholeTarget *target, char **port_text, GError **error)
{
  gboolean bracketed;

  if (!split_host_port (text, &target->host, port_text, &bracketed, error))
    return FALSE;
  if (bracketed)
    {
      if (target->host[0] == '\0')
        return fail (error, _("the host is missing inside “[]”"));
      if (!is_ipv6 (target->host, strlen (target->host), &target->zone))
        {
          g_autofree char *q = porthole_quote_short (target->host, strlen (target->host));
          return fail (error, _("“%s” is not an IPv6 address (only IPv6 goes in brackets)"), q);
        }
      if (target->zone != NULL)
        {
          *strchr (target->host, '%') = '\0';
          if (!check_zone (target->zone, error))
            return FALSE;
        }
      target->is_ip = target->is_ipv6 = TRUE;
      return TRUE;
    }
  if (target->host[0] == '\0')
    {
      g_autofree char *q = porthole_quote_short (text, strlen (text));
      return fail (error, _("the host is missing in “%s”: use host:port"), q);
    }
  if (!check_hostname (target->host, strlen (target->host), error))
    return FALSE;
  target->is_ip = is_ipv4 (target->host);
  return TRUE;
}

/* "scheme://[user@]authority[/path][?query][#fragment]" */
static gboolean
parse_url (const char *text, const char *sep, PortholeTarget *target, char **port_text,
           GError **error)
{
  const char *rest = sep + 3;
  g_autofree char *authority = g_strndup (rest, strcspn (rest, "/?#"));
  const char *at = strrchr (authority, '@');
  const char *hostport = at != NULL ? at + 1 : authority;

  if (sep == text)
    return fail (error, _("the URL scheme before “://” is missing"));
  for (const char *p = text; p < sep; p++)
    if (!(g_ascii_isalpha (*p) || (p > text && (g_ascii_isdigit (*p) || strchr ("+-.", *p)))))
      {
        g_autofree char *q = porthole_quote_short (text, sep - text);
        return fail (error, _("“%s” is not a URL scheme"), q);
      }
  target->scheme = g_ascii_strdown (text, sep - text);
  if (*hostport == '\0')
    {
      g_autofree char *q = porthole_quote_short (text, strlen (text));
      return fail (error, _("the URL “%s” has no host"), q);
    }
  return parse_authority (hostport, target, port_text, error);
}

PortholeTarget *
porthole_target_parse (const char *text, GError **error)
{
  g_autoptr(PortholeTarget) target = g_new0 (PortholeTarget, 1);
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *port_text = NULL;
  const char *sep;
  gsize space;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (copy[0] == '\0')
    {
      fail (error, _("the target is empty: type host:port"));
      return NULL;
    }

  sep = strstr (copy, "://");
  space = strcspn (copy, " \t");
  if (sep != NULL)
    {
      if (!parse_url (copy, sep, target, &port_text, error))
        return NULL;
    }
  else if (copy[space] != '\0')
    {
      /* "host port": the second word is the port */
      g_autofree char *host = g_strndup (copy, space);
      const char *after = copy + space + strspn (copy + space, " \t");
      gsize hlen = strlen (host);

      if (after[strcspn (after, " \t")] != '\0')
        {
          g_autofree char *q = porthole_quote_short (copy, strlen (copy));
          fail (error, _("too many words in “%s”: use host:port or host port"), q);
          return NULL;
        }
      if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']')
        {
          host[hlen - 1] = '\0';
          memmove (host, host + 1, hlen - 1);
        }
      if (strchr (host, ':') != NULL)
        {
          /* An IPv6 address is unambiguous when the port is a separate word */
          if (!take_ipv6 (target, host, error))
            return NULL;
        }
      else if (!check_hostname (host, strlen (host), error))
        return NULL;
      else
        target->is_ip = is_ipv4 (host);
      target->host = g_steal_pointer (&host);
      port_text = g_strdup (after);
    }
  else if (!parse_authority (copy, target, &port_text, error))
    return NULL;

  if (port_text == NULL)
    {
      g_autofree char *q = porthole_quote_short (copy, strlen (copy));

      if (target->scheme != NULL)
        {
          target->port = porthole_target_scheme_port (target->scheme);
          if (target->port == 0)
            {
              g_autofree char *qs = porthole_quote_short (target->scheme, strlen (target->scheme));
              fail (error, _("unknown URL scheme “%s”: add the port (%s://host:PORT)"), qs, qs);
              return NULL;
            }
          return g_steal_pointer (&target);
        }
      fail (error, _("no port in “%s”: add one, as in %s:PORT"), q, q);
      return NULL;
    }
  if (port_text[0] == '\0')
    {
      g_autofree char *q = porthole_quote_short (copy, strlen (copy));
      fail (error, _("the port is missing after “%s”"), q);
      return NULL;
    }
  if (!parse_port_text (port_text, &target->port, error))
    return NULL;
  return g_steal_pointer (&target);
}

PortholeTarget *
porthole_target_parse_host (const char *text, GError **error)
{
  g_autoptr(PortholeTarget) target = g_new0 (PortholeTarget, 1);
  g_autofree char *host = g_strstrip (g_strdup (text != NULL ? text : ""));
  gsize len = strlen (host);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    {
      host[len - 1] = '\0';
      memmove (host, host + 1, len - 1);
      if (!take_ipv6 (target, host, error))
        return NULL;
    }
  else if (host[0] == '\0')
    {
      fail (error, _("the host is missing"));
      return NULL;
    }
  else if (strchr (host, ':') != NULL)
    {
      if (!take_ipv6 (target, host, error))
        return NULL;
    }
  else if (!check_hostname (host, len, error))
    return NULL;
  else
    target->is_ip = is_ipv4 (host);
  target->host = g_steal_pointer (&host);
  return g_steal_pointer (&target);
}

PortholeTarget *
porthole_target_copy (const PortholeTarget *target)
{
  PortholeTarget *copy = g_new0 (PortholeTarget, 1);

  *copy = *target;
  copy->host = g_strdup (target->host);
  copy->zone = g_strdup (target->zone);
  copy->scheme = g_strdup (target->scheme);
  return copy;
}

void
porthole_target_free (PortholeTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->host);
  g_free (target->zone);
  g_free (target->scheme);
  g_free (target);
}

char *
porthole_format_endpoint (const char *address, guint port)
{
  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", address, port);
  return g_strdup_printf ("%s:%u", address, port);
}

char *
porthole_target_to_string (const PortholeTarget *target)
{
  if (target->zone != NULL)
    return g_strdup_printf ("[%s%%%s]:%u", target->host, target->zone, target->port);
  return porthole_format_endpoint (target->host, target->port);
}
