/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-application"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-application.h"
#include "porthole-preferences-window.h"
#include "porthole-window.h"

#include <gtk/gtk.h>

START_TEST (test_settings_drive_monitor)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  GSettings *settings = porthole_application_get_settings (app);
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

START_TEST (test_preferences_window)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  GSettings *settings = porthole_application_get_settings (app);
  PortholeSocketMonitor *monitor = porthole_application_get_monitor (app);
  PortholePreferencesWindow *prefs = porthole_preferences_window_new (settings);
  GtkSpinButton *interval, *timeout;
  GtkSwitch *sw;

  gtk_window_present (GTK_WINDOW (prefs));
  porthole_test_spin (100);
  interval = GTK_SPIN_BUTTON (porthole_test_find_widget (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON, 0));
  timeout = GTK_SPIN_BUTTON (porthole_test_find_widget (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON, 1));
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

  sw = GTK_SWITCH (porthole_test_find_widget (GTK_WIDGET (prefs), GTK_TYPE_SWITCH, 1));
  ck_assert_ptr_nonnull (sw);
  ck_assert (!g_settings_get_boolean (settings, "notify-new-listeners"));
  gtk_switch_set_active (sw, TRUE);
  ck_assert (g_settings_get_boolean (settings, "notify-new-listeners"));

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "refresh-interval");
  g_settings_reset (settings, "probe-timeout");
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

static Suite *
application_suite (void)
{
  Suite *s = suite_create ("application");
  TCase *tc = tcase_create ("gui");

  gtk_init ();
  adw_init ();
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_settings_drive_monitor);
  tcase_add_test (tc, test_preferences_window);
  tcase_add_test (tc, test_window_tabs);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (application_suite)
