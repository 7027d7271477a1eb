/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test-gtk.h"
#include "porthole-test.h"

PortholeApplication *
porthole_test_start_app (void)
{
  static PortholeApplication *app;
  g_autoptr(GError) error = NULL;

  if (app != NULL)
    return g_object_ref (app);
  app = porthole_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  ck_assert_msg (g_application_register (G_APPLICATION (app), NULL, &error), "register: %s",
                 error ? error->message : "");
  return g_object_ref (app);
}

static GtkWidget *
find_nth (GtkWidget *root, GType type, guint *left)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (*left)-- == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_nth (c, type, left);

      if (found)
        return found;
    }
  return NULL;
}

GtkWidget *
porthole_test_find_widget (GtkWidget *root, GType type, guint nth)
{
  return find_nth (root, type, &nth);
}
