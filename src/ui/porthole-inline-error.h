/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The Test tab's inline validation: a parser's message shown under the entry it is about.
 *
 * While the user types (@strong FALSE) the message is a quiet hint; after a submit (@strong
 * TRUE) the entry and the message turn red. The message is set as plain text, never markup:
 * parsers quote what the user typed. @error NULL hides the message and clears the marks. */
void porthole_inline_error_show (GtkWidget    *entry,
                                 GtkLabel     *label,
                                 const GError *error,
                                 gboolean      strong);

G_END_DECLS
