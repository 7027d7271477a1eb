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

PortholeSettings *
porthole_test_settings (void)
{
  static PortholeSettings *settings;

  if (settings == NULL)
    settings = porthole_settings_new ();
  return settings;
}

GtkWidget *
porthole_test_find_matching (GtkWidget *root, PortholeTestMatch match, gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = porthole_test_find_matching (c, match, data);

      if (found)
        return found;
    }
  return NULL;
}

typedef struct {
  GType type;
  guint left;
} NthOfType;

static gboolean
is_nth_of_type (GtkWidget *widget, gconstpointer data)
{
  NthOfType *want = (NthOfType *) data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, want->type) && want->left-- == 0;
}

GtkWidget *
porthole_test_find_widget (GtkWidget *root, GType type, guint nth)
{
  NthOfType want = { type, nth };

  return porthole_test_find_matching (root, is_nth_of_type, &want);
}
