/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-ssh-destination.h"

#include "porthole-escape.h"
#include "porthole-net-error.h"

#include <glib/gi18n.h>
#include <string.h>

#define MAX_DESTINATION 255

void
porthole_ssh_destination_clear (PortholeSshDestination *dest)
{
  g_clear_pointer (&dest->user, g_free);
  g_clear_pointer (&dest->host, g_free);
  dest->port = 0;
}

static gboolean
invalid (GError **error, const char *text, const char *why)
{
  g_autofree char *shown = porthole_escape_text (text, MIN (strlen (text), 64), FALSE);

  g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID, "“%s”: %s", shown, why);
  return FALSE;
}

/* Letters, digits and the few marks host names, ssh aliases and addresses use */
static gboolean
host_chars_ok (const char *host)
{
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("._-:%", *p))
      return FALSE;
  return TRUE;
}

static gboolean
user_chars_ok (const char *user)
{
  for (const char *p = user; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr ("._-$", *p))
      return FALSE;
  return TRUE;
}

gboolean
porthole_ssh_destination_parse (const char *text, PortholeSshDestination *out, GError **error)
{
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  const char *at, *rest;
  guint64 port = 0;

  memset (out, 0, sizeof *out);
  if (text == NULL || *text == '\0')
    return invalid (error, "", _("type a host, user@host or host:port"));
  if (strlen (text) > MAX_DESTINATION)
    return invalid (error, text, _("longer than 255 characters"));
  if (!g_utf8_validate (text, -1, NULL))
    return invalid (error, text, _("not valid text"));
  for (const char *p = text; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return invalid (error, text, _("spaces and control characters are not allowed"));
  if (text[0] == '-')
    return invalid (error, text, _("may not start with “-”"));

  at = strchr (text, '@');
  if (at != NULL && strchr (at + 1, '@') != NULL)
    return invalid (error, text, _("more than one “@”"));
  if (at != NULL)
    {
      user = g_strndup (text, at - text);
      if (*user == '\0' || user[0] == '-' || !user_chars_ok (user))
        return invalid (error, text, _("not a user name"));
    }
  rest = at ? at + 1 : text;

  if (rest[0] == '[')
    {
      const char *close = strchr (rest, ']');

      if (close == NULL)
        return invalid (error, text, _("a “[” without its “]”"));
      host = g_strndup (rest + 1, close - rest - 1);
      rest = close + 1;
      if (*rest == ':')
        {
          if (!g_ascii_string_to_unsigned (rest + 1, 10, 1, 65535, &port, NULL))
            return invalid (error, text, _("the port must be a number from 1 to 65535"));
        }
      else if (*rest != '\0')
        return invalid (error, text, _("unexpected text after “]”"));
    }
  else
    {
      const char *colon = strchr (rest, ':');

      /* one colon: host:port; more: a bare IPv6 address, no port */
      if (colon != NULL && strchr (colon + 1, ':') == NULL)
        {
          host = g_strndup (rest, colon - rest);
          if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
            return invalid (error, text, _("the port must be a number from 1 to 65535"));
        }
      else
        host = g_strdup (rest);
    }
  if (*host == '\0')
    return invalid (error, text, _("no host"));
  if (host[0] == '-')
    return invalid (error, text, _("the host may not start with “-”"));
  if (!host_chars_ok (host))
    return invalid (error, text, _("not a host name or address"));

  out->user = g_steal_pointer (&user);
  out->host = g_steal_pointer (&host);
  out->port = (guint16) port;
  return TRUE;
}

void
porthole_ssh_destination_to_argv (const PortholeSshDestination *dest, GPtrArray *argv)
{
  if (dest->port != 0)
    {
      g_ptr_array_add (argv, g_strdup ("-p"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", dest->port));
    }
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, dest->user ? g_strdup_printf ("%s@%s", dest->user, dest->host) : g_strdup (dest->host));
}
