/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-escape.h"

#include <string.h>

/* Characters that change how the text around them is shown without being seen themselves:
 * bidi overrides and isolates (the "Trojan Source" trick), zero-width characters, line and
 * paragraph separators, and every other Unicode format character. */
static gboolean
is_invisible (gunichar c)
{
  if (c >= 0x80 && c <= 0x9f)          /* C1 controls */
    return TRUE;
  if (c == 0x2028 || c == 0x2029)      /* line / paragraph separator */
    return TRUE;
  if (c == 0xfffe || c == 0xffff)
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_FORMAT:             /* U+200B..U+200F, U+202A..U+202E, U+2060..U+2069, U+FEFF, ... */
    case G_UNICODE_CONTROL:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

static inline gboolean
byte_needs_escape (guchar b)
{
  return b < 0x20 || b == 0x7f || b == '\\' || b >= 0x80;
}

gboolean
porthole_escape_is_clean (const char *text, gssize len)
{
  gsize n;

  if (text == NULL)
    return TRUE;
  n = len < 0 ? strlen (text) : (gsize) len;
  for (gsize i = 0; i < n; i++)
    if (byte_needs_escape ((guchar) text[i]))
      return FALSE;
  return TRUE;
}

static void
append_byte_escape (GString *out, guchar b, gboolean keep_newlines)
{
  switch (b)
    {
    case '\n':
      g_string_append (out, keep_newlines ? "\n" : "\\n");
      break;
    case '\r':
      g_string_append (out, "\\r");
      break;
    case '\t':
      g_string_append (out, "\\t");
      break;
    case '\\':
      g_string_append (out, "\\\\");
      break;
    default:
      g_string_append_printf (out, "\\x%02x", b);
      break;
    }
}

char *
porthole_escape_text (const char *text, gssize len, gboolean keep_newlines)
{
  GString *out;
  const char *p, *end;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = (gssize) strlen (text);
  if (porthole_escape_is_clean (text, len))
    return g_strndup (text, (gsize) len);

  out = g_string_sized_new ((gsize) len + 16);
  p = text;
  end = text + len;
  while (p < end)
    {
      guchar b = (guchar) *p;

      if (b < 0x80)
        {
          if (byte_needs_escape (b))
            append_byte_escape (out, b, keep_newlines);
          else
            g_string_append_c (out, (char) b);
          p++;
          continue;
        }

      {
        gunichar c = g_utf8_get_char_validated (p, end - p);

        if (c == (gunichar) -1 || c == (gunichar) -2)
          {
            /* Invalid or cut-off sequence: show the byte and resynchronise on the next one */
            g_string_append_printf (out, "\\x%02x", b);
            p++;
            continue;
          }
        if (is_invisible (c))
          g_string_append_printf (out, "\\u{%04X}", c);
        else
          g_string_append_len (out, p, g_utf8_next_char (p) - p);
        p = g_utf8_next_char (p);
      }
    }
  return g_string_free (out, FALSE);
}

gsize
porthole_text_columns (const char *text)
{
  gsize columns = 0;

  g_return_val_if_fail (text != NULL, 0);
  while (*text != '\0')
    {
      gunichar c = g_utf8_get_char_validated (text, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          columns++;
          text++;
          continue;
        }
      if (g_unichar_iswide (c))
        columns += 2;
      else if (!g_unichar_iszerowidth (c))
        columns++;
      text = g_utf8_next_char (text);
    }
  return columns;
}

char *
porthole_text_pad (const char *text, gsize columns)
{
  gsize have = porthole_text_columns (text);
  GString *out = g_string_new (text);

  for (; have < columns; have++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}
