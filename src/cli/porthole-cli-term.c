/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli-term.h"

#include "porthole-escape.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* ESC [ ?1049h: the alternate screen (the shell's screen comes back at the end); ?25l: no
 * cursor */
#define ENTER_SEQUENCE "\033[?1049h\033[?25l\033[H\033[2J"
#define LEAVE_SEQUENCE "\033[?25h\033[?1049l"

static struct termios saved;
static gboolean have_saved;
static gboolean entered;

void
porthole_cli_term_leave (void)
{
  if (!entered)
    return;
  entered = FALSE;
  if (write (STDOUT_FILENO, LEAVE_SEQUENCE, strlen (LEAVE_SEQUENCE)) < 0)
    {
      /* the terminal is gone: nothing to restore on it */
    }
  if (have_saved)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
}

void
porthole_cli_term_enter (void)
{
  static gboolean registered;

  if (entered)
    return;
  if (!registered)
    {
      atexit (porthole_cli_term_leave);
      registered = TRUE;
    }
  if (isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0)
    {
      struct termios raw = saved;

      /* keys one by one, unechoed; Ctrl+C arrives as a key (ISIG off) so that it ends the view
       * the same way q does; output processing stays (\n is \r\n) */
      raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
      raw.c_iflag &= ~(IXON | ICRNL | INLCR);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      have_saved = tcsetattr (STDIN_FILENO, TCSAFLUSH, &raw) == 0;
    }
  entered = TRUE;
  if (write (STDOUT_FILENO, ENTER_SEQUENCE, strlen (ENTER_SEQUENCE)) < 0)
    {
      /* the first frame's write will tell */
    }
}

void
porthole_cli_term_size (guint fallback, guint *columns, guint *rows)
{
  struct winsize ws = { 0 };
  const char *env = g_getenv ("COLUMNS");
  guint64 value;

  *columns = fallback;
  *rows = 24;
  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
    {
      *columns = ws.ws_col;
      *rows = ws.ws_row;
    }
  else if (env != NULL && g_ascii_string_to_unsigned (env, 10, 20, 1000, &value, NULL))
    *columns = (guint) value;
}

static gboolean
is_shown (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT && type != G_UNICODE_SURROGATE &&
         type != G_UNICODE_UNASSIGNED && type != G_UNICODE_LINE_SEPARATOR &&
         type != G_UNICODE_PARAGRAPH_SEPARATOR;
}

void
porthole_cli_term_fit (GString *out, const char *text, guint columns, gboolean right)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  gsize start = out->len;
  guint used = 0;

  for (const char *p = text ? text : ""; *p; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_c (clean, '?');   /* a stray byte */
          p++;
          continue;
        }
      g_string_append_unichar (clean, is_shown (c) ? c : '?');
      p = g_utf8_next_char (p);
    }

  if (porthole_text_columns (clean->str) <= columns)
    {
      used = (guint) porthole_text_columns (clean->str);
      g_string_append_len (out, clean->str, clean->len);
    }
  else if (columns > 0)
    {
      /* as many characters as leave room for "…" */
      for (const char *p = clean->str; *p; p = g_utf8_next_char (p))
        {
          char one[8];
          guint width;

          one[g_unichar_to_utf8 (g_utf8_get_char (p), one)] = '\0';
          width = (guint) porthole_text_columns (one);
          if (used + width + 1 > columns)
            break;
          g_string_append (out, one);
          used += width;
        }
      g_string_append (out, "…");
      used++;
    }
  for (; used < columns; used++)
    {
      if (right)
        g_string_insert_c (out, (gssize) start, ' ');
      else
        g_string_append_c (out, ' ');
    }
}
