/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A full-screen terminal view (top): the alternate screen, no cursor, and keys read one by one
 * (raw mode) when stdin is a terminal. Whatever ends the process afterwards, exit() included,
 * porthole_cli_term_leave() runs (atexit), and it is safe to call more than once. */
void     porthole_cli_term_enter (void);
void     porthole_cli_term_leave (void);
/* The terminal's size (TIOCGWINSZ on stdout), or $COLUMNS (else @fallback) and 24 rows when
 * it tells none */
void     porthole_cli_term_size (guint fallback, guint *columns, guint *rows);

/* @text fitted to exactly @columns display columns: padded with spaces, or cut with "…".
 * Control and invisible format characters become "?", so nothing but text reaches the
 * terminal whatever @text holds (the model escapes process names already). @right: padded on
 * the left (figures). */
void     porthole_cli_term_fit (GString *out, const char *text, guint columns, gboolean right);

G_END_DECLS
