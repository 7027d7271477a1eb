/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "porthole-application.h"

G_BEGIN_DECLS

/* One registered PortholeApplication for the whole test run, as in the real program (a second
 * one could not export itself on the bus). Returns a new reference. */
PortholeApplication *porthole_test_start_app (void);

/* The settings object pages and views take, as the application would hand them (one per
 * process, shared; GSETTINGS_BACKEND=memory keeps it in the test). Borrowed. */
PortholeSettings *porthole_test_settings (void);

typedef gboolean (*PortholeTestMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget under @root (included) that @match accepts, depth first, first child first */
GtkWidget *porthole_test_find_matching (GtkWidget *root, PortholeTestMatch match, gconstpointer data);

/* The @nth widget of @type under @root (included), depth first, first child first; or NULL. */
GtkWidget *porthole_test_find_widget (GtkWidget *root, GType type, guint nth);

G_END_DECLS
