/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-application"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-application.h"
#include "porthole-preferences-window.h"
#include "porthole-window.h"

#include "porthole-test-peer.h"

#include <gtk/gtk.h>
#include <string.h>
#include <unistd.h>

START_TEST (test_settings_drive_monitor)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  GSettings *settings = porthole_settings_get_gsettings (porthole_application_get_settings (app));
  PortholeSocketMonitor *monitor = porthole_application_get_monitor (app);

  ck_assert_uint_eq (porthole_socket_monitor_get_refresh_interval (monitor),
                     g_settings_get_uint (settings, "refresh-interval"));
  g_settings_set_uint (settings, "refresh-interval", 750);
  ck_assert_uint_eq (porthole_socket_monitor_get_refresh_interval (monitor), 750);
  g_settings_set_boolean (settings, "paused", TRUE);
  ck_assert (porthole_socket_monitor_get_paused (monitor));
  g_settings_set_boolean (settings, "paused", FALSE);
  ck_assert (!porthole_socket_monitor_get_paused (monitor));
  g_settings_reset (settings, "refresh-interval");
}
END_TEST

static gboolean
is_row_titled (GtkWidget *widget, gconstpointer title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* The spin button of the preferences row titled @title */
static GtkWidget *
spin_of_row (GtkWidget *root, const char *title)
{
  GtkWidget *row = porthole_test_find_matching (root, is_row_titled, title);

  ck_assert_msg (row != NULL, "no row titled %s", title);
  return porthole_test_find_widget (row, GTK_TYPE_SPIN_BUTTON, 0);
}

START_TEST (test_preferences_window)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  GSettings *settings = porthole_settings_get_gsettings (porthole_application_get_settings (app));
  PortholeSocketMonitor *monitor = porthole_application_get_monitor (app);
  PortholePreferencesWindow *prefs = porthole_preferences_window_new (porthole_application_get_settings (app));
  GtkSpinButton *interval, *retention, *timeout;
  GtkSwitch *sw;

  gtk_window_present (GTK_WINDOW (prefs));
  porthole_test_spin (100);
  interval = GTK_SPIN_BUTTON (porthole_test_find_widget (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON, 0));
  /* found by the row they sit in, whatever the order of the groups */
  retention = GTK_SPIN_BUTTON (spin_of_row (GTK_WIDGET (prefs), "Keep History"));
  timeout = GTK_SPIN_BUTTON (spin_of_row (GTK_WIDGET (prefs), "Default Timeout"));
  ck_assert_ptr_nonnull (retention);
  ck_assert_ptr_nonnull (interval);
  ck_assert_ptr_nonnull (timeout);
  /* Seconds on screen, milliseconds in the setting, and the monitor follows */
  ck_assert_double_eq_tol (gtk_spin_button_get_value (interval),
                           g_settings_get_uint (settings, "refresh-interval") / 1000.0, 0.001);
  gtk_spin_button_set_value (interval, 3.5);
  ck_assert_uint_eq (g_settings_get_uint (settings, "refresh-interval"), 3500);
  ck_assert_uint_eq (porthole_socket_monitor_get_refresh_interval (monitor), 3500);
  gtk_spin_button_set_value (timeout, 12);
  ck_assert_uint_eq (g_settings_get_uint (settings, "probe-timeout"), 12);
  ck_assert_double_eq_tol (gtk_spin_button_get_value (retention), 30, 0.001);
  gtk_spin_button_set_value (retention, 7);
  ck_assert_uint_eq (g_settings_get_uint (settings, "history-retention-days"), 7);

  sw = GTK_SWITCH (porthole_test_find_widget (GTK_WIDGET (prefs), GTK_TYPE_SWITCH, 1));
  ck_assert_ptr_nonnull (sw);
  ck_assert (!g_settings_get_boolean (settings, "notify-new-listeners"));
  gtk_switch_set_active (sw, TRUE);
  ck_assert (g_settings_get_boolean (settings, "notify-new-listeners"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "refresh-interval");
  g_settings_reset (settings, "probe-timeout");
  g_settings_reset (settings, "history-retention-days");
  g_settings_reset (settings, "notify-new-listeners");
}
END_TEST

START_TEST (test_window_tabs)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  PortholeWindow *window = porthole_window_new (app);
  AdwViewStack *stack;
  const char *names[] = { "listening", "connections", "test", "learn" };

  gtk_window_present (GTK_WINDOW (window));
  porthole_test_spin (200);
  stack = ADW_VIEW_STACK (porthole_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, 0));
  ck_assert_ptr_nonnull (stack);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (stack, names[i]);

      ck_assert_msg (child != NULL, "no %s tab", names[i]);
      porthole_window_show_page (window, "learn");
      /* the Alt+1..4 action */
      ck_assert (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", names[i]));
      ck_assert_str_eq (adw_view_stack_get_visible_child_name (stack), names[i]);
    }
  /* Untrusted text in a toast is shown as text, not parsed as markup */
  porthole_window_toast (window, "<b>not bold</b> & \x1b");
  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* A stand-in for the desktop's notification server (org.gtk.Notifications, the interface
 * GLib's GNotification uses outside a sandbox when the name has an owner), on its own
 * connection to the test's session bus. It records every notification it is sent. */
typedef struct {
  GDBusConnection *connection;
  guint            owner_id;
  guint            object_id;
  GPtrArray       *titles;
  GPtrArray       *bodies;
  gboolean         owned;
} FakeNotifications;

static const char fake_notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "</method></interface></node>";

static void
fake_method_call (GDBusConnection *connection, const char *sender, const char *path,
                  const char *interface, const char *method, GVariant *parameters,
                  GDBusMethodInvocation *invocation, gpointer data)
{
  FakeNotifications *fake = data;

  if (g_str_equal (method, "AddNotification"))
    {
      g_autoptr(GVariant) dict = g_variant_get_child_value (parameters, 2);
      const char *title = NULL, *body = NULL;

      g_variant_lookup (dict, "title", "&s", &title);
      g_variant_lookup (dict, "body", "&s", &body);
      g_ptr_array_add (fake->titles, g_strdup (title ? title : ""));
      g_ptr_array_add (fake->bodies, g_strdup (body ? body : ""));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
fake_name_acquired (GDBusConnection *connection, const char *name, gpointer data)
{
  ((FakeNotifications *) data)->owned = TRUE;
}

static void
fake_notifications_start (FakeNotifications *fake)
{
  static const GDBusInterfaceVTable vtable = { fake_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (fake_notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  ck_assert_msg (address != NULL, "no session bus (run under dbus-run-session): %s",
                 error ? error->message : "");
  fake->titles = g_ptr_array_new_with_free_func (g_free);
  fake->bodies = g_ptr_array_new_with_free_func (g_free);
  fake->connection = g_dbus_connection_new_for_address_sync (
      address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
               G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  ck_assert_msg (fake->connection != NULL, "%s", error ? error->message : "");
  fake->object_id = g_dbus_connection_register_object (fake->connection, "/org/gtk/Notifications",
                                                       info->interfaces[0], &vtable, fake,
                                                       NULL, &error);
  ck_assert_msg (fake->object_id != 0, "%s", error ? error->message : "");
  fake->owner_id = g_bus_own_name_on_connection (fake->connection, "org.gtk.Notifications",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 fake_name_acquired, NULL, fake, NULL);
  while (!fake->owned && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (fake->owned);
}

static void
fake_notifications_stop (FakeNotifications *fake)
{
  g_bus_unown_name (fake->owner_id);
  g_dbus_connection_unregister_object (fake->connection, fake->object_id);
  g_dbus_connection_close_sync (fake->connection, NULL, NULL);
  g_clear_object (&fake->connection);
  g_clear_pointer (&fake->titles, g_ptr_array_unref);
  g_clear_pointer (&fake->bodies, g_ptr_array_unref);
}

typedef struct {
  guint16 port;
  gboolean seen;
} OpenedWait;

static void
on_opened (PortholeSocketMonitor *monitor, PortholeSocket *socket, OpenedWait *wait)
{
  if (porthole_socket_is_listening (socket) && porthole_socket_get_local_port (socket) == wait->port)
    wait->seen = TRUE;
}

/* Opens a TCP listener on loopback and spins until the monitor reports it as new */
static int
open_listener_seen (PortholeSocketMonitor *monitor, guint16 *port)
{
  OpenedWait wait = { 0 };
  int fd = porthole_test_listener ("127.0.0.1", &wait.port, 4);
  gulong id = g_signal_connect (monitor, "socket-opened", G_CALLBACK (on_opened), &wait);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!wait.seen && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (monitor, id);
  ck_assert_msg (wait.seen, "the monitor never reported port %u", wait.port);
  *port = wait.port;
  return fd;
}

/* The first notification whose title holds @text, or -1 */
static int
find_title (FakeNotifications *fake, const char *text)
{
  for (guint i = 0; i < fake->titles->len; i++)
    if (strstr (fake->titles->pdata[i], text) != NULL)
      return (int) i;
  return -1;
}

START_TEST (test_notify_new_listener)
{
  FakeNotifications fake = { 0 };
  g_autoptr(PortholeApplication) app = NULL;
  GSettings *settings;
  PortholeSocketMonitor *monitor;
  g_autofree char *title = NULL;
  g_autofree char *address = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *quiet_title = NULL;
  guint16 port;
  int quiet, fd, mine = -1;

  /* before the application sends anything: GLib picks its notification backend once */
  fake_notifications_start (&fake);
  app = porthole_test_start_app ();
  settings = porthole_settings_get_gsettings (porthole_application_get_settings (app));
  monitor = porthole_application_get_monitor (app);
  ck_assert_ptr_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  /* faster than the settings allow, on the monitor alone */
  porthole_socket_monitor_set_refresh_interval (monitor, 100);
  /* a socket already there at the first snapshot is not "new" */
  for (guint i = 0; i < 100 && !porthole_socket_monitor_get_loaded (monitor); i++)
    porthole_test_spin (50);
  ck_assert (porthole_socket_monitor_get_loaded (monitor));

  /* Off (the default): a new listener makes no notification. The app watches every network
   * namespace of the machine, so other programs' listeners may come and go meanwhile (other
   * tests run in parallel): only notifications that name this test's ports count. */
  ck_assert (!g_settings_get_boolean (settings, "notify-new-listeners"));
  quiet = open_listener_seen (monitor, &port);
  porthole_test_spin (300);
  ck_assert_uint_eq (fake.titles->len, 0);
  quiet_title = g_strdup_printf ("TCP %u", port);

  /* On, with no window in front: one notification naming the port, the address and us */
  g_settings_set_boolean (settings, "notify-new-listeners", TRUE);
  fd = open_listener_seen (monitor, &port);
  title = g_strdup_printf ("TCP %u", port);
  for (guint i = 0; i < 50 && (mine = find_title (&fake, title)) < 0; i++)
    porthole_test_spin (100);
  ck_assert_msg (mine >= 0, "no notification names %s (%u sent)", title, fake.titles->len);
  ck_assert_int_lt (find_title (&fake, quiet_title), 0);
  address = g_strdup_printf ("127.0.0.1:%u", port);
  ck_assert_msg (strstr (fake.bodies->pdata[mine], address) != NULL, "body: %s",
                 (char *) fake.bodies->pdata[mine]);
  pid = g_strdup_printf ("test-applicatio (%d)", (int) getpid ());   /* comm: 15 bytes */
  ck_assert_msg (strstr (fake.bodies->pdata[mine], pid) != NULL,
                 "body does not name this process: %s", (char *) fake.bodies->pdata[mine]);
  porthole_test_spin (300);
  {
    guint n = 0;

    for (guint i = 0; i < fake.titles->len; i++)
      n += strstr (fake.titles->pdata[i], title) != NULL;
    ck_assert_uint_eq (n, 1);
  }

  close (fd);
  close (quiet);
  g_settings_reset (settings, "notify-new-listeners");
  porthole_socket_monitor_set_refresh_interval (monitor, g_settings_get_uint (settings,
                                                                             "refresh-interval"));
  fake_notifications_stop (&fake);
}
END_TEST

/* A phone-sized window (360 px) fits: with GNOME's window buttons (close only) and with the
 * full set (minimize, maximize, close) other desktops show */
START_TEST (test_narrow_window)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  static const char *const layouts[] = { "appmenu:close", "menu:minimize,maximize,close" };
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *saved = NULL;

  g_object_get (settings, "gtk-decoration-layout", &saved, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      PortholeWindow *window = porthole_window_new (app);
      int min_width = 0;

      g_object_set (settings, "gtk-decoration-layout", layouts[i], NULL);
      gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
      gtk_window_present (GTK_WINDOW (window));
      porthole_test_spin (300);
      gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                          NULL, NULL);
      g_printerr ("# %s: minimum width %d\n", layouts[i], min_width);
      ck_assert_msg (min_width <= 360, "%s: the window needs %d px", layouts[i], min_width);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_object_set (settings, "gtk-decoration-layout", saved, NULL);
}
END_TEST

#ifdef __SANITIZE_ADDRESS__
/* The whole window (every tab's widget classes) takes this process past 2048 GQuarks, and GLib
 * then abandons its first quark block by design: a one-time allocation of GLib's constructor
 * that build-aux/lsan.supp lets go ("_dl_init"). Its stack is seen only with full unwinding,
 * which is too slow for the whole suite, so this test alone re-runs itself with it. */
__attribute__ ((constructor)) static void
full_unwind_for_leaks (void)
{
  const char *options = g_getenv ("ASAN_OPTIONS");
  g_autofree char *more = NULL;
  g_autofree char *self = NULL;
  char *argv[] = { NULL, NULL };

  if (options == NULL || strstr (options, "fast_unwind_on_malloc=0") != NULL)
    return;
  more = g_strconcat (options, ":fast_unwind_on_malloc=0", NULL);
  g_setenv ("ASAN_OPTIONS", more, TRUE);
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    return;
  argv[0] = self;
  execv (self, argv);
}
#endif

static Suite *
application_suite (void)
{
  Suite *s = suite_create ("application");
  TCase *tc = tcase_create ("gui");

  gtk_init ();
  adw_init ();
  tcase_set_timeout (tc, 60);
  /* first: it must own the notification server's name before anything is sent */
  tcase_add_test (tc, test_notify_new_listener);
  tcase_add_test (tc, test_settings_drive_monitor);
  tcase_add_test (tc, test_preferences_window);
  tcase_add_test (tc, test_window_tabs);
  tcase_add_test (tc, test_narrow_window);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (application_suite)
