/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes untrusted bytes (process names, banners, peer text) safe to show: the result is valid
 * UTF-8 with no control characters. C0 controls, DEL and C1 become \xNN (with \n, \r, \t written
 * as such unless @keep_newlines, which keeps '\n' as a real newline for multi-line views);
 * bidi controls, zero-width and other invisible format characters become \u{XXXX}; invalid
 * UTF-8 bytes become \xNN; a backslash becomes "\\" so an escape is never ambiguous. The result
 * is plain text, never markup. @len -1 means NUL-terminated (NULs inside a counted buffer are
 * escaped as \x00). */
char *porthole_escape_text (const char *text, gssize len, gboolean keep_newlines);

/* TRUE when porthole_escape_text() would change nothing (cheap check for the common case). */
gboolean porthole_escape_is_clean (const char *text, gssize len);

/* Columns @text takes on a terminal: East Asian wide characters count 2, combining marks and
 * other zero-width characters 0 (so a Hindi label with vowel signs pads right). Invalid
 * UTF-8 counts one column per byte, as the escaper would show it at least that wide. */
gsize porthole_text_columns (const char *text);

/* @text followed by spaces up to @columns display columns (unchanged when already wider). */
char *porthole_text_pad (const char *text, gsize columns);

G_END_DECLS
