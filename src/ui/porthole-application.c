/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-application.h"
#include "porthole-preferences-window.h"
#include "porthole-window.h"

#include <glib/gi18n.h>

/* How long a closed socket stays on screen, tinted, before its row goes */
#define CLOSED_LINGER_MS 4000

struct _PortholeApplication {
  AdwApplication         parent_instance;
  PortholeSettings      *settings;
  PortholeSocketMonitor *monitor;
  PortholeRecorder      *recorder;
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

static void
porthole_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (porthole_window_new (PORTHOLE_APPLICATION (app)));
  gtk_window_present (window);
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
  G_APPLICATION_CLASS (porthole_application_parent_class)->shutdown (app);
}

static void
porthole_application_finalize (GObject *object)
{
  PortholeApplication *self = PORTHOLE_APPLICATION (object);

  g_clear_object (&self->recorder);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
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
