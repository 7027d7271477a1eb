/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-style.h"

void
porthole_style_load (const char *name)
{
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tag = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL)
    return;
  /* Once per display: the display remembers which sheets it has */
  tag = g_strconcat ("porthole-style-", name, NULL);
  if (g_object_get_data (G_OBJECT (display), tag) != NULL)
    return;
  g_object_set_data (G_OBJECT (display), tag, GINT_TO_POINTER (TRUE));

  path = g_strconcat (RESOURCE_PATH "/", name, NULL);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, path);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
