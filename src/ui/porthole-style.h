/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds the stylesheet RESOURCE_PATH/@name to the default display, once per name. Pages call
 * it themselves so they are styled in tests too, where no AdwApplication loads style.css. */
void porthole_style_load (const char *name);

G_END_DECLS
