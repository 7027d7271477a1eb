/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-window.h"

#include "porthole-connections-page.h"
#include "porthole-host-banner.h"
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
  AdwBin                  *test_bin;
  AdwBin                  *learn_bin;
  AdwViewSwitcherTitle    *switcher_title;
  GtkMenuButton           *host_button;
  PortholeHostBanner      *host_banner;

  PortholeSocketMonitor   *monitor;
  PortholeSettings        *settings;
  /* built when first shown: most sessions never open them, and they cost start-up time */
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

/* ---- a remote host's window ------------------------------------------------------------- */

static void
on_stale_changed (PortholeWindow *self)
{
  /* the rows are as last seen: greyed until the host answers again */
  if (porthole_socket_monitor_get_stale (self->monitor))
    gtk_widget_add_css_class (GTK_WIDGET (self->stack), "stale-rows");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->stack), "stale-rows");
}

PortholeWindow *
porthole_window_new_for_host (PortholeApplication *application, PortholeSocketMonitor *monitor)
{
  PortholeWindow *self = g_object_new (PORTHOLE_TYPE_WINDOW, "application", application, NULL);
  const char *host = porthole_socket_monitor_get_host (monitor);
  g_autofree char *title = NULL;

  g_return_val_if_fail (host != NULL, NULL);
  self->monitor = g_object_ref (monitor);
  setup_from_application (self, application);
  /* Translators: the window of a remote computer, "web1 — Porthole" */
  title = g_strdup_printf (_("%s — Porthole"), host);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_view_switcher_title_set_title (self->switcher_title, host);
  adw_view_switcher_title_set_subtitle (self->switcher_title, _("Remote computer, over ssh"));
  {
    /* the view switcher takes the title's place: the host is named on the host button */
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *label = gtk_label_new (host);

    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
    gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("network-server-symbolic"));
    gtk_box_append (GTK_BOX (box), label);
    gtk_menu_button_set_child (self->host_button, box);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->host_button), title);
  }
  porthole_host_banner_set_monitor (self->host_banner, monitor);
  g_signal_connect_object (monitor, "notify::stale", G_CALLBACK (on_stale_changed), self, G_CONNECT_SWAPPED);
  on_stale_changed (self);
  return self;
}

const char *
porthole_window_get_host (PortholeWindow *self)
{
  g_return_val_if_fail (PORTHOLE_IS_WINDOW (self), NULL);
  return self->monitor ? porthole_socket_monitor_get_host (self->monitor) : NULL;
}

/* ---- pages built on demand -------------------------------------------------------------- */

static PortholeTestPage *
ensure_test_page (PortholeWindow *self)
{
  if (self->test_page == NULL)
    {
      self->test_page = g_object_new (PORTHOLE_TYPE_TEST_PAGE, NULL);
      porthole_test_page_set_settings (self->test_page, self->settings);
      porthole_test_page_set_monitor (self->test_page, self->monitor);
      adw_bin_set_child (self->test_bin, GTK_WIDGET (self->test_page));
    }
  return self->test_page;
}

static void
ensure_learn_page (PortholeWindow *self)
{
  if (self->learn_page == NULL)
    {
      self->learn_page = g_object_new (PORTHOLE_TYPE_LEARN_PAGE, NULL);
      porthole_learn_page_set_monitor (self->learn_page, self->monitor);
      adw_bin_set_child (self->learn_bin, GTK_WIDGET (self->learn_page));
    }
}

static void
on_visible_page_changed (PortholeWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  /* the template's own set-up switches pages before the application's objects are here */
  if (self->settings == NULL)
    return;
  if (g_strcmp0 (name, "test") == 0)
    ensure_test_page (self);
  else if (g_strcmp0 (name, "learn") == 0)
    ensure_learn_page (self);
}

/* ---- what the actions do ---------------------------------------------------------------- */

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
  porthole_test_page_set_target (ensure_test_page (self), target);
}

gboolean
porthole_window_show_listener (PortholeWindow *self, guint port, const char *protocol)
{
  g_return_val_if_fail (PORTHOLE_IS_WINDOW (self), FALSE);
  porthole_window_show_page (self, "listening");
  return porthole_listening_page_select_port (self->listening_page, port,
                                              protocol && *protocol ? protocol : NULL);
}

static void
on_refresh (GtkWidget *widget, const char *action, GVariant *param)
{
  porthole_socket_monitor_refresh (PORTHOLE_WINDOW (widget)->monitor);
}

static void
on_search (GtkWidget *widget, const char *action, GVariant *param)
{
  PortholeWindow *self = PORTHOLE_WINDOW (widget);
  GtkWidget *page = adw_view_stack_get_visible_child (self->stack);

  /* Pages with a search bar install "page.search"; the others ignore Ctrl+F. The lazily
   * built pages sit in a bin. */
  if (ADW_IS_BIN (page) && adw_bin_get_child (ADW_BIN (page)))
    page = adw_bin_get_child (ADW_BIN (page));
  gtk_widget_activate_action (page, "page.search", NULL);
}

static void
on_show_page (GtkWidget *widget, const char *action, GVariant *param)
{
  porthole_window_show_page (PORTHOLE_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
on_test_target (GtkWidget *widget, const char *action, GVariant *param)
{
  porthole_window_test_target (PORTHOLE_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
on_show_listener (GtkWidget *widget, const char *action, GVariant *param)
{
  PortholeWindow *self = PORTHOLE_WINDOW (widget);
  const char *protocol;
  guint port;

  g_variant_get (param, "(u&s)", &port, &protocol);
  if (port > 65535 || !porthole_window_show_listener (self, port, protocol))
    {
      g_autofree char *message = g_strdup_printf (_("Nothing listens on port %u now"), port);

      porthole_window_toast (self, message);
    }
}

static void
on_toast (GtkWidget *widget, const char *action, GVariant *param)
{
  porthole_window_toast (PORTHOLE_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* ---- life cycle ------------------------------------------------------------------------- */

static void
save_window_state (PortholeWindow *self)
{
  GSettings *settings;
  int width, height;

  if (self->settings == NULL)
    return;
  settings = porthole_settings_get_gsettings (self->settings);
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
on_host_menu_shown (PortholeWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.reload-hosts", NULL);
}

static void
setup_from_application (PortholeWindow *self, PortholeApplication *app)
{
  GSettings *settings;
  g_autoptr(GAction) paused = NULL;

  if (self->monitor == NULL)   /* this computer's, shared; a remote host's window has its own */
    g_set_object (&self->monitor, porthole_application_get_monitor (app));
  g_set_object (&self->settings, porthole_application_get_settings (app));
  gtk_menu_button_set_menu_model (self->host_button, porthole_application_get_host_menu (app));
  /* ~/.ssh/config may have changed since: read again whenever the menu opens */
  g_signal_connect_object (gtk_menu_button_get_popover (self->host_button), "show",
                           G_CALLBACK (on_host_menu_shown), self, G_CONNECT_SWAPPED);
  settings = porthole_settings_get_gsettings (self->settings);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  paused = g_settings_create_action (settings, "paused");
  g_action_map_add_action (G_ACTION_MAP (self), paused);

  porthole_listening_page_set_settings (self->listening_page, self->settings);
  porthole_listening_page_set_monitor (self->listening_page, self->monitor);
  porthole_connections_page_set_settings (self->connections_page, self->settings);
  porthole_connections_page_set_monitor (self->connections_page, self->monitor);
  on_visible_page_changed (self);
}

static void
porthole_window_dispose (GObject *object)
{
  PortholeWindow *self = PORTHOLE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_WINDOW);
  self->test_page = NULL;    /* owned by their bins, gone with the template */
  self->learn_page = NULL;
  /* a remote host's monitor is this window's alone: it goes (and its ssh) with the last
   * reference, once the pages above have let theirs go */
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (porthole_window_parent_class)->dispose (object);
}

static void
porthole_window_class_init (PortholeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = porthole_window_dispose;
  window_class->close_request = porthole_window_close_request;

  g_type_ensure (PORTHOLE_TYPE_LISTENING_PAGE);
  g_type_ensure (PORTHOLE_TYPE_CONNECTIONS_PAGE);
  g_type_ensure (PORTHOLE_TYPE_HOST_BANNER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, listening_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, connections_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, test_bin);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, learn_bin);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, host_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeWindow, host_banner);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, on_refresh);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, on_search);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", on_show_page);
  gtk_widget_class_install_action (widget_class, "win.test-target", "s", on_test_target);
  gtk_widget_class_install_action (widget_class, "win.show-listener", "(us)", on_show_listener);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", on_toast);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
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
