/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-application.h"
#include "porthole-connect-dialog.h"
#include "porthole-host-list.h"
#include "porthole-preferences-window.h"
#include "porthole-remote.h"
#include "porthole-window.h"

#include <glib/gi18n.h>

/* How long a closed socket stays on screen, tinted, before its row goes */
#define CLOSED_LINGER_MS 4000

struct _PortholeApplication {
  AdwApplication         parent_instance;
  PortholeSettings      *settings;
  PortholeSocketMonitor *monitor;
  PortholeRecorder      *recorder;
  /* remote computers */
  GMenu                 *host_menu;
  char                 **config_hosts;
  GCancellable          *cancellable;
};

G_DEFINE_FINAL_TYPE (PortholeApplication, porthole_application, ADW_TYPE_APPLICATION)

PortholeApplication *
porthole_application_new (void)
{
  return g_object_new (PORTHOLE_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", RESOURCE_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

PortholeSocketMonitor *
porthole_application_get_monitor (PortholeApplication *self)
{
  g_return_val_if_fail (PORTHOLE_IS_APPLICATION (self), NULL);
  return self->monitor;
}

PortholeRecorder *
porthole_application_get_recorder (PortholeApplication *self)
{
  g_return_val_if_fail (PORTHOLE_IS_APPLICATION (self), NULL);
  return self->recorder;
}

/* The setting is in MiB */
static gboolean
mib_to_bytes (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_uint64 (value, (guint64) g_variant_get_uint32 (variant) * 1024 * 1024);
  return TRUE;
}

PortholeSettings *
porthole_application_get_settings (PortholeApplication *self)
{
  g_return_val_if_fail (PORTHOLE_IS_APPLICATION (self), NULL);
  return self->settings;
}

GMenuModel *
porthole_application_get_host_menu (PortholeApplication *self)
{
  g_return_val_if_fail (PORTHOLE_IS_APPLICATION (self), NULL);
  return G_MENU_MODEL (self->host_menu);
}

/* The window of @host (NULL: this computer), if one is open */
static GtkWindow *
find_window (PortholeApplication *self, const char *host)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PORTHOLE_IS_WINDOW (l->data) && g_strcmp0 (porthole_window_get_host (l->data), host) == 0)
      return l->data;
  return NULL;
}

static void
porthole_application_activate (GApplication *app)
{
  GtkWindow *window = find_window (PORTHOLE_APPLICATION (app), NULL);

  if (window == NULL)
    window = GTK_WINDOW (porthole_window_new (PORTHOLE_APPLICATION (app)));
  gtk_window_present (window);
}

/* ---- remote computers ------------------------------------------------------------------- */

static void
add_host_item (GMenu *section, const char *label, const char *host)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (NULL, NULL);

  /* as a label, never a mnemonic: "_" in a host name stays */
  g_menu_item_set_attribute (item, "label", "s", label);
  g_menu_item_set_action_and_target (item, "app.open-host", "s", host);
  g_menu_append_item (section, item);
}

static void
rebuild_host_menu (PortholeApplication *self)
{
  GSettings *settings = porthole_settings_get_gsettings (self->settings);
  g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-hosts");
  g_autoptr(GMenu) here = g_menu_new ();
  g_autoptr(GMenu) config = g_menu_new ();
  g_autoptr(GMenu) recents = g_menu_new ();
  g_autoptr(GMenu) other = g_menu_new ();
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);

  add_host_item (here, _("This Computer"), "");
  for (guint i = 0; self->config_hosts && self->config_hosts[i]; i++)
    {
      g_hash_table_add (listed, self->config_hosts[i]);
      add_host_item (config, self->config_hosts[i], self->config_hosts[i]);
    }
  for (guint i = 0; recent[i]; i++)
    {
      g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };

      /* the settings are user-editable: only what ssh may be given */
      if (!g_hash_table_contains (listed, recent[i]) &&
          porthole_ssh_destination_parse (recent[i], &dest, NULL))
        add_host_item (recents, recent[i], recent[i]);
    }
  g_menu_append (other, _("Connect to a _Server…"), "app.connect-to-server");

  g_menu_remove_all (self->host_menu);
  g_menu_append_section (self->host_menu, NULL, G_MENU_MODEL (here));
  if (g_menu_model_get_n_items (G_MENU_MODEL (config)) > 0)
    g_menu_append_section (self->host_menu, _("From ~/.ssh/config"), G_MENU_MODEL (config));
  if (g_menu_model_get_n_items (G_MENU_MODEL (recents)) > 0)
    g_menu_append_section (self->host_menu, _("Recent"), G_MENU_MODEL (recents));
  g_menu_append_section (self->host_menu, NULL, G_MENU_MODEL (other));
}

static void
on_config_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_auto(GStrv) hosts = porthole_host_list_read_config_finish (result, NULL);
  PortholeApplication *self = user_data;

  if (hosts == NULL)   /* cancelled: the application is going */
    return;
  if (self->config_hosts && g_strv_equal ((const char *const *) self->config_hosts,
                                          (const char *const *) hosts))
    return;
  g_strfreev (self->config_hosts);
  self->config_hosts = g_steal_pointer (&hosts);
  rebuild_host_menu (self);
}

static void
on_reload_hosts (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  PortholeApplication *self = PORTHOLE_APPLICATION (user_data);

  porthole_host_list_read_config_async (self->cancellable, on_config_read, self);
}

static void on_socket_opened (PortholeSocketMonitor *monitor, PortholeSocket *socket, PortholeApplication *self);

/* The window of @host, opened when it is not yet: one window per computer */
static void
open_host (PortholeApplication *self, const char *host)
{
  g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  if (*host == '\0')
    {
      g_application_activate (G_APPLICATION (self));
      return;
    }
  if (!porthole_ssh_destination_parse (host, &dest, &error))
    {
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (PORTHOLE_IS_WINDOW (active))
        porthole_window_toast (PORTHOLE_WINDOW (active), error->message);
      return;
    }
  window = find_window (self, host);
  if (window == NULL)
    {
      GSettings *settings = porthole_settings_get_gsettings (self->settings);
      g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-hosts");
      g_auto(GStrv) now = porthole_host_list_add_recent ((const char *const *) recent, host);

      monitor = porthole_socket_monitor_new_for_host (host);
      porthole_socket_monitor_set_linger (monitor, CLOSED_LINGER_MS);
      g_object_bind_property (self->settings, "refresh-interval", monitor, "refresh-interval",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->settings, "paused", monitor, "paused", G_BINDING_SYNC_CREATE);
      g_signal_connect_object (monitor, "socket-opened", G_CALLBACK (on_socket_opened), self, 0);
      porthole_socket_monitor_refresh (monitor);
      window = GTK_WINDOW (porthole_window_new_for_host (self, monitor));
      g_settings_set_strv (settings, "recent-hosts", (const char *const *) now);
      rebuild_host_menu (self);
    }
  gtk_window_present (window);
}

static void
on_open_host (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  open_host (PORTHOLE_APPLICATION (user_data), g_variant_get_string (param, NULL));
}

static void
on_connect_to_server (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  porthole_connect_dialog_present (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

static void
on_quit (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing the windows lets each save its state and stop its servers cleanly */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *w = l->data;

      l = l->next;
      gtk_window_destroy (w);
    }
  g_application_quit (app);
}

static void
on_about (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Porthole developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Porthole"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Porthole developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/porthole/porthole",
                        "issue-url", "https://github.com/porthole/porthole/issues",
                        "comments", _("See what is listening on your computer, test connections to any host and port, and learn what ports are."),
                        "developers", developers,
                        "copyright", "© 2026 The Porthole developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_preferences (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  PortholeApplication *self = PORTHOLE_APPLICATION (user_data);
  PortholePreferencesWindow *prefs = porthole_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
on_activate_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "activate", on_activate_action },
  { "quit", on_quit },
  { "about", on_about },
  { "preferences", on_preferences },
  { "open-host", on_open_host, "s" },
  { "connect-to-server", on_connect_to_server },
  { "reload-hosts", on_reload_hosts },
};

static gboolean
any_window_active (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;
  return FALSE;
}

/* A new port listening while the user looks elsewhere is worth a notification (opt-in). */
static void
on_socket_opened (PortholeSocketMonitor *monitor, PortholeSocket *socket, PortholeApplication *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  const char *process = porthole_socket_get_process (socket);

  if (!porthole_socket_is_listening (socket) ||
      !porthole_settings_get_notify_new_listeners (self->settings) ||
      any_window_active (GTK_APPLICATION (self)))
    return;

  /* Translators: a protocol and a port, like "TCP 8080" */
  title = g_strdup_printf (_("New port listening: %s %u"),
                           g_str_equal (porthole_socket_get_protocol (socket), "udp") ? "UDP" : "TCP",
                           porthole_socket_get_local_port (socket));
  if (process != NULL)
    /* Translators: address, then process name and pid */
    body = g_strdup_printf (_("%s, opened by %s (%d)"), porthole_socket_get_local_endpoint (socket),
                            process, porthole_socket_get_pid (socket));
  else
    body = g_strdup (porthole_socket_get_local_endpoint (socket));

  if (porthole_socket_monitor_get_host (monitor) != NULL)
    {
      /* Translators: a notification's title, then the remote computer it is about */
      char *on_host = g_strdup_printf (_("%s on %s"), title, porthole_socket_monitor_get_host (monitor));

      g_free (title);
      title = on_host;
    }
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.activate");
  id = g_strdup_printf ("listener-%s", porthole_socket_get_key (socket));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
porthole_application_startup (GApplication *app)
{
  PortholeApplication *self = PORTHOLE_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (porthole_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);

  self->settings = porthole_settings_new ();
  self->monitor = porthole_socket_monitor_new ();
  porthole_socket_monitor_set_linger (self->monitor, CLOSED_LINGER_MS);
  /* Every network namespace Porthole can see: containers' ports too, each with its container */
  porthole_socket_monitor_set_all_namespaces (self->monitor, TRUE);
  g_object_bind_property (self->settings, "refresh-interval", self->monitor, "refresh-interval",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->settings, "paused", self->monitor, "paused",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self->settings, "resolve-names", porthole_socket_monitor_get_name_cache (self->monitor),
                          "enabled", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->monitor, "socket-opened", G_CALLBACK (on_socket_opened), self, 0);
  /* The app records while it runs (unless the user unit's porthole-cli record does already) */
  self->recorder = porthole_recorder_new (self->monitor, NULL);
  g_settings_bind (porthole_settings_get_gsettings (self->settings), "history-retention-days",
                   self->recorder, "retention-days", G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (porthole_settings_get_gsettings (self->settings), "history-max-size",
                                self->recorder, "max-bytes", G_SETTINGS_BIND_GET, mib_to_bytes,
                                NULL, NULL, NULL);
  porthole_recorder_start (self->recorder);
  porthole_socket_monitor_refresh (self->monitor);

  self->cancellable = g_cancellable_new ();
  self->host_menu = g_menu_new ();
  rebuild_host_menu (self);
  porthole_host_list_read_config_async (self->cancellable, on_config_read, self);
}

static void
on_recorder_stopped (GObject *source, GAsyncResult *result, gpointer data)
{
  porthole_recorder_stop_finish (PORTHOLE_RECORDER (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static void
porthole_application_shutdown (GApplication *app)
{
  PortholeApplication *self = PORTHOLE_APPLICATION (app);

  if (self->recorder)
    {
      /* What the last refresh changed is written and the session ended: a few milliseconds,
       * bounded in case the disk hangs */
      gboolean stopped = FALSE;
      gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

      porthole_recorder_stop_async (self->recorder, NULL, on_recorder_stopped, &stopped);
      while (!stopped && g_get_monotonic_time () < deadline)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (1000);
      g_object_run_dispose (G_OBJECT (self->recorder));
    }
  if (self->monitor)
    g_object_run_dispose (G_OBJECT (self->monitor));
  g_cancellable_cancel (self->cancellable);
  G_APPLICATION_CLASS (porthole_application_parent_class)->shutdown (app);
}

static void
porthole_application_finalize (GObject *object)
{
  PortholeApplication *self = PORTHOLE_APPLICATION (object);

  g_clear_object (&self->recorder);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_object (&self->host_menu);
  g_clear_object (&self->cancellable);
  g_strfreev (self->config_hosts);
  G_OBJECT_CLASS (porthole_application_parent_class)->finalize (object);
}

static void
porthole_application_class_init (PortholeApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = porthole_application_finalize;
  app_class->activate = porthole_application_activate;
  app_class->startup = porthole_application_startup;
  app_class->shutdown = porthole_application_shutdown;
}

static void
porthole_application_init (PortholeApplication *self)
{
}
