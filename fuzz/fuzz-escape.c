/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_escape_text(): whatever the bytes, the result is valid UTF-8 with no control,
 * format or separator characters (a real '\n' only when asked for), and it is lossless:
 * decoding the escapes gives back exactly the input. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-escape.h"

#include <string.h>

static int
hex_digit (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* The inverse of the escaper; FALSE when the text holds an escape it never writes. */
static gboolean
unescape (const char *text, gboolean keep_newlines, GByteArray *out)
{
  for (const char *p = text; *p; )
    {
      guint8 b;

      if (*p != '\\')
        {
          g_byte_array_append (out, (const guint8 *) p++, 1);
          continue;
        }
      p++;
      switch (*p)
        {
        case '\\': b = '\\'; p++; break;
        case 'n': b = '\n'; p++; if (keep_newlines) return FALSE; break;
        case 'r': b = '\r'; p++; break;
        case 't': b = '\t'; p++; break;
        case 'x':
          if (hex_digit (p[1]) < 0 || hex_digit (p[2]) < 0)
            return FALSE;
          b = (guint8) (hex_digit (p[1]) * 16 + hex_digit (p[2]));
          p += 3;
          break;
        case 'u':
          {
            gunichar c = 0;
            char utf8[6];
            int n = 0;

            if (p[1] != '{')
              return FALSE;
            for (p += 2; hex_digit (*p) >= 0 && n < 6; p++, n++)
              c = c * 16 + (gunichar) hex_digit (*p);
            if (*p != '}' || n < 4)
              return FALSE;
            p++;
            g_byte_array_append (out, (const guint8 *) utf8, g_unichar_to_utf8 (c, utf8));
            continue;
          }
        default:
          return FALSE;
        }
      g_byte_array_append (out, &b, 1);
    }
  return TRUE;
}

int
porthole_fuzz_escape (const guint8 *data, gsize size)
{
  gboolean keep_newlines = size > 0 && (data[0] & 1);
  g_autofree char *escaped = porthole_escape_text ((const char *) data, (gssize) size, keep_newlines);
  g_autofree char *prefix = porthole_fuzz_strndup (data, size);
  g_autofree char *escaped_prefix = porthole_escape_text (prefix, -1, keep_newlines);
  g_autofree char *escaped_again = porthole_escape_text ((const char *) data, (gssize) strlen (prefix),
                                                         keep_newlines);
  g_autoptr(GByteArray) decoded = g_byte_array_new ();

  porthole_fuzz_assert (escaped != NULL);
  porthole_fuzz_assert (g_utf8_validate (escaped, -1, NULL));
  for (const char *p = escaped; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (c == '\n' && keep_newlines)
        continue;
      porthole_fuzz_assert (type != G_UNICODE_CONTROL);
      porthole_fuzz_assert (type != G_UNICODE_FORMAT);
      porthole_fuzz_assert (type != G_UNICODE_LINE_SEPARATOR);
      porthole_fuzz_assert (type != G_UNICODE_PARAGRAPH_SEPARATOR);
      porthole_fuzz_assert (type != G_UNICODE_SURROGATE);
    }

  porthole_fuzz_assert (unescape (escaped, keep_newlines, decoded));
  porthole_fuzz_assert (decoded->len == size);
  porthole_fuzz_assert (size == 0 || memcmp (decoded->data, data, size) == 0);

  /* -1 (NUL-terminated) means the same as the length up to the first NUL */
  porthole_fuzz_assert (strcmp (escaped_prefix, escaped_again) == 0);
  /* clean text is returned unchanged */
  if (porthole_escape_is_clean ((const char *) data, (gssize) size))
    porthole_fuzz_assert (strlen (escaped) == size && memcmp (escaped, data, size) == 0);
  return 0;
}
