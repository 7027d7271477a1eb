/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-style.h"

void
porthole_style_load (const char *name)
{
  static GHashTable *loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *path = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL)
    return;
  if (loaded == NULL)
    loaded = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_contains (loaded, name))
    return;
  g_hash_table_add (loaded, (gpointer) g_intern_string (name));

  path = g_strconcat (RESOURCE_PATH "/", name, NULL);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, path);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
