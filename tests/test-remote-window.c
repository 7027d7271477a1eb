/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-remote-window"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-test-sshd.h"
#include "porthole-host-banner.h"
#include "porthole-window.h"

#include <arpa/inet.h>
#include <gdk/x11/gdkx.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A remote computer's window: app.open-host over a real sshd in the test's own network
 * namespace (porthole-test-sshd.h), its rows, its title, the host menu, and the banner once
 * sshd is gone. With PORTHOLE_SCREENSHOT_DIR set (and ImageMagick's import) the window is saved
 * as remote.png there. */

static int
listener (guint16 *port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_ANY) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (listen (fd, 4), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  *port = ntohs (sin.sin_port);
  return fd;
}

static PortholeWindow *
window_of (PortholeApplication *app, const char *host)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (PORTHOLE_IS_WINDOW (l->data) && g_strcmp0 (porthole_window_get_host (l->data), host) == 0)
      return l->data;
  return NULL;
}

static gboolean
menu_has (GMenuModel *menu, const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *text = NULL;

      if (section && menu_has (section, label))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, "label", "s", &text) && strcmp (text, label) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
maybe_screenshot (GtkWindow *window, const char *name)
{
  const char *dir = g_getenv ("PORTHOLE_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *xid = NULL;
  int status = 0;

  if (dir == NULL)
    return;
  porthole_test_spin (500);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  porthole_test_spin (700);
  xid = g_strdup_printf ("0x%lx", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  {
    const char *argv[] = { "import", "-window", xid, file, NULL };

    ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                             NULL, &status, NULL));
  }
  ck_assert_int_eq (status, 0);
}

START_TEST (test_remote_window)
{
  g_autoptr(PortholeApplication) app = porthole_test_start_app ();
  g_autofree char *host = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) recent = NULL;
  PortholeWindow *window;
  PortholeHostBanner *banner;
  GSettings *settings;
  guint16 port;
  int fd;
  gboolean shown = FALSE;

  /* the display and the bus are connected already: they stay so in the new namespace */
  porthole_test_sshd_start (REMOTE_CLI, NULL);
  fd = listener (&port);
  host = g_strdup_printf ("127.0.0.1:%u", porthole_sshd.port);

  g_action_group_activate_action (G_ACTION_GROUP (app), "open-host", g_variant_new_string (host));
  window = window_of (app, host);
  ck_assert_ptr_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  title = g_strdup_printf ("%s — Porthole", host);
  ck_assert_str_eq (gtk_window_get_title (GTK_WINDOW (window)), title);

  /* its rows: the listener the test opened on the far side, found in the Listening tab */
  /* the first answer can take tens of seconds in a sanitizer build on a busy machine */
  for (int i = 0; i < 1200 && !shown; i++)
    {
      porthole_test_spin (100);
      shown = porthole_window_show_listener (window, port, "tcp");
    }
  ck_assert_msg (shown, "the remote listener on %u never showed", port);
  ck_assert (porthole_window_show_listener (window, porthole_sshd.port, "tcp"));

  /* a second open-host of the same host presents the same window */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-host", g_variant_new_string (host));
  ck_assert_ptr_eq (window_of (app, host), window);

  /* remembered, and offered in the host menu */
  settings = porthole_settings_get_gsettings (porthole_application_get_settings (app));
  recent = g_settings_get_strv (settings, "recent-hosts");
  ck_assert_str_eq (recent[0], host);
  ck_assert (menu_has (porthole_application_get_host_menu (app), host));
  ck_assert (menu_has (porthole_application_get_host_menu (app), "This Computer"));

  porthole_window_show_listener (window, port, "tcp");
  maybe_screenshot (GTK_WINDOW (window), "remote");

  /* sshd goes: the banner says since when and why, the rows stay, greyed */
  banner = PORTHOLE_HOST_BANNER (porthole_test_find_widget (GTK_WIDGET (window), PORTHOLE_TYPE_HOST_BANNER, 0));
  ck_assert_ptr_nonnull (banner);
  ck_assert_ptr_null (porthole_host_banner_get_text (banner));
  porthole_test_sshd_kill ();
  for (int i = 0; i < 1200 && porthole_host_banner_get_text (banner) == NULL; i++)
    porthole_test_spin (100);
  ck_assert_ptr_nonnull (porthole_host_banner_get_text (banner));
  ck_assert_msg (g_str_has_prefix (porthole_host_banner_get_text (banner), "Last seen "), "%s",
                 porthole_host_banner_get_text (banner));
  ck_assert_ptr_nonnull (strstr (porthole_host_banner_get_text (banner), "reconnecting"));
  ck_assert (porthole_window_show_listener (window, port, "tcp"));
  maybe_screenshot (GTK_WINDOW (window), "remote-stale");

  gtk_window_destroy (GTK_WINDOW (window));
  porthole_test_spin (100);
  close (fd);
  porthole_test_sshd_stop ();
}
END_TEST

static Suite *
remote_window_suite (void)
{
  Suite *s = suite_create ("remote-window");
  TCase *tc = tcase_create ("gui");

  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_remote_window);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (remote_window_suite)
