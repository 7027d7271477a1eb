/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-settings"
#include "config.h"

#include "porthole-test.h"
#include "porthole-settings.h"

/* GSETTINGS_BACKEND=memory: every GSettings of this process shares one store */

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

START_TEST (test_properties_follow_keys)
{
  g_autoptr(PortholeSettings) settings = porthole_settings_new ();
  g_autoptr(GSettings) other = g_settings_new (PORTHOLE_SETTINGS_SCHEMA_ID);
  guint notified = 0;

  /* The schema's defaults */
  ck_assert_uint_eq (porthole_settings_get_refresh_interval (settings), 2000);
  ck_assert (!porthole_settings_get_paused (settings));
  ck_assert (porthole_settings_get_highlight_changes (settings));
  ck_assert (!porthole_settings_get_resolve_names (settings));

  /* A change made anywhere (the preferences window's own binding) reaches the property once */
  g_signal_connect (settings, "notify::refresh-interval", G_CALLBACK (on_notify), &notified);
  g_settings_set_uint (other, "refresh-interval", 5000);
  ck_assert_uint_eq (porthole_settings_get_refresh_interval (settings), 5000);
  ck_assert_uint_eq (notified, 1);
  g_settings_set_uint (other, "refresh-interval", 5000);
  ck_assert_uint_eq (notified, 1);

  /* ... and the property writes the key */
  g_object_set (settings, "paused", TRUE, "resolve-names", TRUE, NULL);
  ck_assert (g_settings_get_boolean (other, "paused"));
  ck_assert (g_settings_get_boolean (other, "resolve-names"));
  g_settings_reset (other, "paused");
  ck_assert (!porthole_settings_get_paused (settings));
  g_settings_reset (other, "resolve-names");
  g_settings_reset (other, "refresh-interval");
}
END_TEST

START_TEST (test_sort)
{
  g_autoptr(PortholeSettings) settings = porthole_settings_new ();
  GSettings *gsettings = porthole_settings_get_gsettings (settings);
  g_autofree char *listening = NULL;
  g_autofree char *connections = NULL;
  gboolean descending = FALSE;

  porthole_settings_set_sort (settings, "listening", "service", TRUE);
  porthole_settings_set_sort (settings, "connections", "remote", FALSE);
  listening = porthole_settings_get_sort (settings, "listening", &descending);
  ck_assert_str_eq (listening, "service");
  ck_assert (descending);
  ck_assert (g_settings_get_boolean (gsettings, "listening-sort-descending"));
  connections = porthole_settings_get_sort (settings, "connections", &descending);
  ck_assert_str_eq (connections, "remote");
  ck_assert (!descending);
  g_free (connections);
  connections = g_settings_get_string (gsettings, "connections-sort-column");
  ck_assert_str_eq (connections, "remote");
}
END_TEST

static Suite *
settings_suite (void)
{
  Suite *s = suite_create ("settings");
  TCase *tc = tcase_create ("settings");

  tcase_add_test (tc, test_properties_follow_keys);
  tcase_add_test (tc, test_sort);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (settings_suite)
