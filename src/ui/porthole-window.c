/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-window.h"

#include "porthole-connections-page.h"
#include "porthole-learn-page.h"
#include "porthole-listening-page.h"
#include "porthole-test-page.h"

#include <glib/gi18n.h>

struct _PortholeWindow {
  AdwApplicationWindow     parent_instance;

  AdwToastOverlay         *toast_overlay;
  AdwViewStack            *stack;
  PortholeListeningPage   *listening_page;
  PortholeConnectionsPage *connections_page;
  PortholeTestPage        *test_page;
  PortholeLearnPage       *learn_page;
};

G_DEFINE_FINAL_TYPE (PortholeWindow, porthole_window, ADW_TYPE_APPLICATION_WINDOW)

static void setup_from_application (PortholeWindow *self, PortholeApplication *app);

PortholeWindow *
porthole_window_new (PortholeApplication *application)
{
  PortholeWindow *self = g_object_new (PORTHOLE_TYPE_WINDOW, "application", application, NULL);

  /* GtkWindow:application is not a construct property, so this cannot live in constructed() */
  setup_from_application (self, application);
  return self;
}

PortholeWindow *
porthole_window_for_widget (GtkWidget *widget)
{
  GtkRoot *root = widget ? gtk_widget_get_root (widget) : NULL;

  return PORTHOLE_IS_WINDOW (root) ? PORTHOLE_WINDOW (root) : NULL;
}

void
porthole_window_toast (PortholeWindow *self, const char *message)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (PORTHOLE_IS_WINDOW (self));
  /* libadwaita 1.2 reads toast titles as markup and messages may hold process names */
  escaped = g_markup_escape_text (message, -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

void
porthole_window_show_page (PortholeWindow *self, const char *name)
{
  g_return_if_fail (PORTHOLE_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

void
porthole_window_test_target (PortholeWindow *self, const char *target)
{
  g_return_if_fail (PORTHOLE_IS_WINDOW (self));
  porthole_window_show_page (self, "test");
  porthole_test_page_set_target (self->test_page, target);
}

gboolean
porthole_window_show_listener (PortholeWindow *self, guint port, const char *protocol)
{
  g_return_val_if_fail (PORTHOLE_IS_WINDOW (self), FALSE);
  porthole_window_show_page (self, "listening");
  return porthole_listening_page_select_port (self->listening_page, port, protocol);
}

static void
on_refresh (GtkWidget *widget, const char *action, GVariant *param)
{
  PortholeApplication *app = PORTHOLE_APPLICATION (gtk_window_get_application (GTK_WINDOW (widget)));

  porthole_socket_monitor_refresh (porthole_application_get_monitor (app));
}

static void
on_search (GtkWidget *widget, const char *action, GVariant *param)
{
  PortholeWindow *self = PORTHOLE_WINDOW (widget);
  GtkWidget *page = adw_view_stack_get_visible_child (self->stack);

  /* Pages with a search bar install "page.search"; the others ignore Ctrl+F */
  gtk_widget_activate_action (page, "page.search", NULL);
}

static void
on_show_page (GtkWidget *widget, const char *action, GVariant *param)
{
  porthole_window_show_page (PORTHOLE_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
save_window_state (PortholeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings;
  int width, height;

  if (app == NULL)
    return;
  settings = porthole_application_get_settings (PORTHOLE_APPLICATION (app));
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
porthole_window_close_request (GtkWindow *window)
{
  save_window_state (PORTHOLE_WINDOW (window));
  return GTK_WINDOW_CLASS (porthole_window_parent_class)->close_request (window);
}

static void
setup_from_application (PortholeWindow *self, PortholeApplication *app)
{
  PortholeSocketMonitor *monitor = porthole_application_get_monitor (app);
  GSettings *settings = porthole_application_get_settings (app);
  g_autoptr(GAction) paused = NULL;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  paused = g_settings_create_action (settings, "paused");
  g_action_map_add_action (G_ACTION_MAP (self), paused);

  porthole_listening_page_set_monitor (self->listening_page, monitor);
  porthole_connections_page_set_monitor (self->connections_page, monitor);
  porthole_test_page_set_monitor (self->test_page, monitor);
  porthole_learn_page_set_monitor (self->learn_page, monitor);
}

static void
porthole_window_class_init (PortholeWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = porthole_window_close_request;

  g_type_ensure (PORTHOLE_TYPE_LISTENING_PAGE);
  g_type_ensure (PORTHOLE_TYPE_CONNECTIONS_PAGE);
  g_type_ensure (PORTHOLE_TYPE_TEST_PAGE);
  g_type_ensure (PORTHOLE_TYPE_LEARN_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, listening_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, connections_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, test_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, learn_page);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, on_refresh);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, on_search);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", on_show_page);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "listening");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "connections");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "test");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "learn");
}

static void
porthole_window_init (PortholeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
