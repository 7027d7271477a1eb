/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-test-page"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-test-peer.h"
#include "porthole-probe-result.h"
#include "porthole-probe-timeline.h"
#include "porthole-probe-view.h"
#include "porthole-scan-view.h"
#include "porthole-server-view.h"
#include "porthole-test-page.h"
#include "porthole-window.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>
#include <string.h>
#include <unistd.h>

/* The Test tab, driven as a user would: text typed into its entries, its buttons' actions,
 * against loopback peers this test opened itself. Nothing leaves 127.0.0.1. */

#define WAIT_MS 10000

typedef struct {
  GtkWindow        *window;
  PortholeTestPage *page;
} Fixture;

/* The Test tab in a window of its own, with the application's socket monitor for the sysctl.
 * Screenshots (PORTHOLE_SCREENSHOT_DIR) want the application's real window instead. Not in
 * every run: the other tabs' widget classes take this process past 2048 GQuarks, and when
 * GLib's quark table grows it abandons its first block by design, which LeakSanitizer (in
 * `build-aux/dev test --sanitize`) reports as a leak it cannot attribute. */
static Fixture
open_page (void)
{
  static PortholeApplication *app;
  PortholeWindow *window;
  Fixture f;

  if (app == NULL)
    {
      app = porthole_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      ck_assert (g_application_register (G_APPLICATION (app), NULL, NULL));
    }
  if (g_getenv ("PORTHOLE_SCREENSHOT_DIR") == NULL)
    {
      f.window = GTK_WINDOW (gtk_window_new ());
      f.page = g_object_new (PORTHOLE_TYPE_TEST_PAGE, NULL);
      porthole_test_page_set_settings (f.page, porthole_application_get_settings (app));
      porthole_test_page_set_monitor (f.page, porthole_application_get_monitor (app));
      gtk_window_set_default_size (f.window, 1000, 860);
      gtk_window_set_child (f.window, GTK_WIDGET (f.page));
      gtk_window_present (f.window);
      porthole_test_spin (50);
      return f;
    }
  window = porthole_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 860);
  gtk_window_present (GTK_WINDOW (window));
  porthole_window_show_page (window, "test");
  f.window = GTK_WINDOW (window);
  f.page = PORTHOLE_TEST_PAGE (porthole_test_find_widget (GTK_WIDGET (window), PORTHOLE_TYPE_TEST_PAGE, 0));
  ck_assert_ptr_nonnull (f.page);
  porthole_test_spin (50);
  return f;
}

/* A named template child of @widget's class @type */
static gpointer
part (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  ck_assert_msg (object != NULL, "no template child %s", name);
  return object;
}

#define PROBE_VIEW(f) part ((f)->page, PORTHOLE_TYPE_TEST_PAGE, "probe_view")
#define SCAN_VIEW(f) part ((f)->page, PORTHOLE_TYPE_TEST_PAGE, "scan_view")
#define SERVER_VIEW(f) part ((f)->page, PORTHOLE_TYPE_TEST_PAGE, "server_view")

static const char *
label_text (gpointer widget, GType type, const char *name)
{
  return gtk_label_get_text (GTK_LABEL (part (widget, type, name)));
}

#define RESULT_TEXT(result, name) label_text ((result), PORTHOLE_TYPE_PROBE_RESULT, (name))

/* Iterates the main loop until @cond holds or @timeout_ms passes */
static gboolean
wait_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data) && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return cond (data);
}

static gboolean
probe_done (gpointer data)
{
  PortholeProbe *probe = data;

  return !porthole_probe_get_running (probe) &&
         porthole_probe_get_status (probe) != PORTHOLE_PROBE_STATUS_UNKNOWN;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

/* With PORTHOLE_SCREENSHOT_DIR set (and ImageMagick's import), saves the window at @width x
 * @height as @name.png: the pictures in data/screenshots/ come from here */
static void
maybe_screenshot (GtkWindow *window, int width, int height, const char *name)
{
  const char *dir = g_getenv ("PORTHOLE_SCREENSHOT_DIR");
  GdkSurface *surface;
  g_autofree char *file = NULL;
  g_autofree char *xid = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (dir == NULL)
    return;
  gtk_window_set_default_size (window, width, height);
  porthole_test_spin (300);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  porthole_test_spin (700);
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  ck_assert (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("0x%lx", (gulong) gdk_x11_surface_get_xid (surface));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  {
    const char *argv[] = { "import", "-window", xid, file, NULL };

    ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, &error), "import: %s",
                   error ? error->message : "");
  }
  ck_assert_int_eq (status, 0);
}

static void
run_probe (Fixture *f, const char *target)
{
  PortholeProbeView *view = PROBE_VIEW (f);
  PortholeProbe *probe = porthole_probe_view_get_probe (view);

  porthole_test_page_set_target (f->page, target);
  ck_assert_str_eq (gtk_editable_get_text (part (view, PORTHOLE_TYPE_PROBE_VIEW, "target_entry")),
                    target);
  /* Enter in the entry starts it */
  g_signal_emit_by_name (part (view, PORTHOLE_TYPE_PROBE_VIEW, "target_entry"), "activate");
  ck_assert (porthole_probe_get_running (probe));
  ck_assert (gtk_widget_get_visible (part (view, PORTHOLE_TYPE_PROBE_VIEW, "cancel_button")));
  ck_assert (wait_until (probe_done, probe, WAIT_MS));
}

START_TEST (test_probe_open)
{
  /* A banner with a terminal escape and a NUL (the 23rd byte) */
  g_autoptr(GBytes) hello = g_bytes_new_static ("SSH-2.0-Porthole\r\n\x1b[2J", 23);
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_SEND, hello);
  Fixture f = open_page ();
  PortholeProbeView *view = PROBE_VIEW (&f);
  PortholeProbeResult *result = part (view, PORTHOLE_TYPE_PROBE_VIEW, "result");
  PortholeProbeTimeline *timeline = part (view, PORTHOLE_TYPE_PROBE_VIEW, "timeline");
  g_autoptr(GSettings) settings = g_settings_new ("io.github.porthole.Porthole");
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  g_autofree char *local_port = NULL;
  g_autofree char *remote_port = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *connecting = NULL;
  g_autofree char *banner = NULL;
  g_auto(GStrv) history = NULL;
  g_autofree char *last = NULL;
  int min_width = 0;
  GtkMenuButton *history_button;
  g_autoptr(GMenuModel) recent = NULL;
  g_autofree char *item = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  maybe_screenshot (f.window, 960, 700, "test-empty");
  run_probe (&f, target);
  ck_assert (porthole_test_peer_wait_accepted (peer, WAIT_MS));

  /* The verdict, in colour and words */
  ck_assert (gtk_widget_get_visible (GTK_WIDGET (result)));
  ck_assert_str_eq (RESULT_TEXT (result, "verdict_label"), "Open");
  ck_assert (gtk_widget_has_css_class (part (result, PORTHOLE_TYPE_PROBE_RESULT, "verdict_label"),
                                       "success"));
  ck_assert_str_eq (RESULT_TEXT (result, "explanation_label"),
                    porthole_probe_result_explain (PORTHOLE_PROBE_STATUS_OPEN));

  /* The 4-tuple: our end is the port the peer's accept() saw */
  ck_assert (gtk_widget_get_visible (part (result, PORTHOLE_TYPE_PROBE_RESULT, "tuple_box")));
  local_port = g_strdup_printf ("port %u", peer->client_port);
  remote_port = g_strdup_printf ("port %u", peer->port);
  ck_assert_str_eq (RESULT_TEXT (result, "local_address_label"), "127.0.0.1");
  ck_assert_str_eq (RESULT_TEXT (result, "local_port_label"), local_port);
  ck_assert_str_eq (RESULT_TEXT (result, "remote_address_label"), "127.0.0.1");
  ck_assert_str_eq (RESULT_TEXT (result, "remote_port_label"), remote_port);
  ck_assert_ptr_nonnull (strstr (RESULT_TEXT (result, "ephemeral_label"),
                                 local_port + 5));

  /* The steps, in order, with the address connected to */
  steps = porthole_probe_timeline_dup_text (timeline);
  connecting = g_strdup_printf ("Connecting to 127.0.0.1:%u", peer->port);
  ck_assert_msg (strstr (steps, connecting) != NULL, "timeline: %s", steps);
  ck_assert_msg (strstr (steps, "Verdict: Open") != NULL, "timeline: %s", steps);
  ck_assert_uint_ge (porthole_probe_timeline_get_n_steps (timeline), 6);

  /* The banner, escaped: the terminal escape is shown as text */
  buffer = gtk_text_view_get_buffer (part (result, PORTHOLE_TYPE_PROBE_RESULT, "banner_view"));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  banner = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  ck_assert_msg (strstr (banner, "SSH-2.0-Porthole") != NULL, "banner: %s", banner);
  ck_assert_msg (strstr (banner, "\\x1b[2J\\x00") != NULL && strchr (banner, '\x1b') == NULL,
                 "banner: %s", banner);

  /* Remembered for next time */
  history = g_settings_get_strv (settings, "target-history");
  ck_assert_str_eq (history[0], target);
  last = g_settings_get_string (settings, "last-target");
  ck_assert_str_eq (last, target);
  history_button = part (view, PORTHOLE_TYPE_PROBE_VIEW, "history_button");
  ck_assert (gtk_widget_get_sensitive (GTK_WIDGET (history_button)));
  recent = g_menu_model_get_item_link (gtk_menu_button_get_menu_model (history_button), 0,
                                       G_MENU_LINK_SECTION);
  ck_assert_int_eq (g_menu_model_get_n_items (recent), 1);
  ck_assert (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_TARGET, "s", &item));
  ck_assert_str_eq (item, target);

  /* Fits a phone: 360 px (the stack measures its three sections) */
  gtk_widget_measure (GTK_WIDGET (f.page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                      NULL);
  ck_assert_int_le (min_width, 360);

  maybe_screenshot (f.window, 1000, 1080, "test");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  maybe_screenshot (f.window, 1000, 1080, "test-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  maybe_screenshot (f.window, 360, 900, "test-narrow");

  gtk_window_destroy (f.window);
  porthole_test_peer_stop (peer);
  g_settings_reset (settings, "target-history");
  g_settings_reset (settings, "last-target");
}
END_TEST

START_TEST (test_probe_closed)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.porthole.Porthole");
  guint16 port;
  int fd = porthole_test_bound_socket ("127.0.0.1", &port);
  Fixture f = open_page ();
  PortholeProbeView *view = PROBE_VIEW (&f);
  PortholeProbeResult *result = part (view, PORTHOLE_TYPE_PROBE_VIEW, "result");
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *steps = NULL;

  /* The timeout follows the preference */
  g_settings_set_uint (settings, "probe-timeout", 7);
  ck_assert_int_eq (gtk_spin_button_get_value_as_int (part (view, PORTHOLE_TYPE_PROBE_VIEW,
                                                            "timeout_spin")), 7);
  g_settings_reset (settings, "probe-timeout");
  run_probe (&f, target);
  ck_assert_uint_eq (porthole_probe_get_timeout_ms (porthole_probe_view_get_probe (view)), 5000);
  ck_assert_str_eq (RESULT_TEXT (result, "verdict_label"), "Closed");
  ck_assert (gtk_widget_has_css_class (part (result, PORTHOLE_TYPE_PROBE_RESULT, "verdict_label"),
                                       "error"));
  ck_assert_str_eq (RESULT_TEXT (result, "explanation_label"),
                    porthole_probe_result_explain (PORTHOLE_PROBE_STATUS_CLOSED));
  ck_assert_ptr_nonnull (strstr (RESULT_TEXT (result, "error_label"),
                                 "Refused"));
  /* No connection, so no banner */
  ck_assert (!gtk_widget_get_visible (part (result, PORTHOLE_TYPE_PROBE_RESULT, "banner_box")));
  steps = porthole_probe_timeline_dup_text (part (view, PORTHOLE_TYPE_PROBE_VIEW, "timeline"));
  ck_assert_msg (strstr (steps, "Verdict: Closed") != NULL, "timeline: %s", steps);
  ck_assert (gtk_widget_get_visible (part (view, PORTHOLE_TYPE_PROBE_VIEW, "connect_button")));
  gtk_window_destroy (f.window);
  close (fd);
}
END_TEST

static gboolean
probe_connecting (gpointer data)
{
  PortholeProbe *probe = data;
  guint n = 0;

  /* the attempt is under way once the remote address is known */
  porthole_probe_get_attempts (probe, &n);
  return porthole_probe_get_remote_address (probe) != NULL && n == 0;
}

/* The TLS card shows the certificate and every validation problem: a self-signed certificate
 * for another name, made here with openssl */
START_TEST (test_probe_tls)
{
  g_autofree char *dir = g_dir_make_tmp ("porthole-tls-XXXXXX", NULL);
  g_autofree char *pem = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", pem,
                         "-subj", "/CN=porthole.test", "-days", "2", NULL };
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *target = NULL;
  PortholeTestPeer *peer;
  Fixture f;
  PortholeProbeView *view;
  PortholeProbeResult *result;
  PortholeTlsInfo *info;
  GtkWidget *grid;
  int status = -1;

  ck_assert (g_spawn_sync (NULL, (char **) argv, NULL,
                           G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                           NULL, &status, NULL));
  ck_assert_int_eq (status, 0);
  certificate = g_tls_certificate_new_from_files (pem, key, &error);
  ck_assert_msg (certificate != NULL, "%s", error ? error->message : "");
  peer = porthole_test_peer_start_tls ("127.0.0.1", certificate);
  f = open_page ();
  view = PROBE_VIEW (&f);
  result = part (view, PORTHOLE_TYPE_PROBE_VIEW, "result");

  gtk_check_button_set_active (part (view, PORTHOLE_TYPE_PROBE_VIEW, "tls_check"), TRUE);
  target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  run_probe (&f, target);
  ck_assert_str_eq (RESULT_TEXT (result, "verdict_label"), "Open");
  ck_assert (gtk_widget_get_visible (part (result, PORTHOLE_TYPE_PROBE_RESULT, "tls_box")));
  grid = part (result, PORTHOLE_TYPE_PROBE_RESULT, "tls_grid");
  for (GtkWidget *c = gtk_widget_get_first_child (grid); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      ck_assert (!gtk_label_get_use_markup (GTK_LABEL (c)));
      g_string_append_printf (shown, "%s\n", gtk_label_get_text (GTK_LABEL (c)));
    }
  ck_assert_msg (strstr (shown->str, "CN=porthole.test") != NULL, "TLS card: %s", shown->str);
  ck_assert_msg (strstr (shown->str, "TLS 1.") != NULL, "TLS card: %s", shown->str);
  info = porthole_probe_get_tls_info (porthole_probe_view_get_probe (view));
  ck_assert_ptr_nonnull (info);
  problems = porthole_tls_info_dup_error_descriptions (info);
  /* Not signed by a known authority, and not for 127.0.0.1 */
  ck_assert_uint_ge (g_strv_length (problems), 2);
  for (guint i = 0; problems[i] != NULL; i++)
    ck_assert_msg (strstr (shown->str, problems[i]) != NULL, "“%s” not shown: %s", problems[i],
                   shown->str);
  maybe_screenshot (f.window, 960, 1300, "test-tls");

  gtk_window_destroy (f.window);
  porthole_test_peer_stop (peer);
  g_unlink (pem);
  g_unlink (key);
  g_rmdir (dir);
}
END_TEST

/* UDP: one datagram, and the echo's reply makes it open */
START_TEST (test_probe_udp)
{
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_UDP_ECHO,
                                                     NULL);
  Fixture f = open_page ();
  PortholeProbeView *view = PROBE_VIEW (&f);
  PortholeProbeResult *result = part (view, PORTHOLE_TYPE_PROBE_VIEW, "result");
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  g_autofree char *steps = NULL;

  gtk_check_button_set_active (part (view, PORTHOLE_TYPE_PROBE_VIEW, "udp_check"), TRUE);
  /* TLS needs TCP */
  ck_assert (!gtk_widget_get_sensitive (part (view, PORTHOLE_TYPE_PROBE_VIEW, "tls_check")));
  run_probe (&f, target);
  ck_assert (porthole_probe_get_udp (porthole_probe_view_get_probe (view)));
  ck_assert_str_eq (RESULT_TEXT (result, "verdict_label"), "Open");
  ck_assert (gtk_widget_get_visible (part (result, PORTHOLE_TYPE_PROBE_RESULT, "tuple_box")));
  ck_assert_str_ne (RESULT_TEXT (result, "local_port_label"), "port 0");
  ck_assert (!gtk_widget_get_visible (part (result, PORTHOLE_TYPE_PROBE_RESULT, "banner_box")));
  steps = porthole_probe_timeline_dup_text (part (view, PORTHOLE_TYPE_PROBE_VIEW, "timeline"));
  ck_assert_msg (strstr (steps, "UDP") != NULL, "timeline: %s", steps);
  gtk_window_destroy (f.window);
  porthole_test_peer_stop (peer);
}
END_TEST

/* Cancel in the middle of a connect that gets no answer */
START_TEST (test_probe_cancel)
{
  int fillers[64];
  guint16 port;
  int listener = porthole_test_full_listener ("127.0.0.1", &port, fillers, G_N_ELEMENTS (fillers));
  Fixture f = open_page ();
  PortholeProbeView *view = PROBE_VIEW (&f);
  PortholeProbe *probe = porthole_probe_view_get_probe (view);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *steps = NULL;

  porthole_test_page_set_target (f.page, target);
  ck_assert (porthole_probe_view_start (view));
  ck_assert (wait_until (probe_connecting, probe, WAIT_MS));
  ck_assert (gtk_widget_get_visible (part (view, PORTHOLE_TYPE_PROBE_VIEW, "cancel_button")));
  gtk_widget_activate_action (GTK_WIDGET (view), "probe.cancel", NULL);
  ck_assert (!porthole_probe_get_running (probe));
  porthole_test_spin (100);
  ck_assert (gtk_widget_get_visible (part (view, PORTHOLE_TYPE_PROBE_VIEW, "connect_button")));
  ck_assert (!gtk_widget_get_visible (part (view, PORTHOLE_TYPE_PROBE_VIEW, "cancel_button")));
  ck_assert (!gtk_widget_get_visible (part (view, PORTHOLE_TYPE_PROBE_VIEW, "result")));
  steps = porthole_probe_timeline_dup_text (part (view, PORTHOLE_TYPE_PROBE_VIEW, "timeline"));
  ck_assert_msg (g_str_has_suffix (steps, "Cancelled\n"), "timeline: %s", steps);
  /* and it runs again */
  ck_assert (gtk_widget_get_sensitive (part (view, PORTHOLE_TYPE_PROBE_VIEW, "connect_button")));
  gtk_window_destroy (f.window);
  porthole_test_close_all (listener, fillers, G_N_ELEMENTS (fillers));
}
END_TEST

static gboolean
n_clients_is_5 (gpointer data)
{
  return porthole_test_server_get_n_clients (data) == 5;
}

static gboolean
connection_refused (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

START_TEST (test_server_five_clients)
{
  Fixture f = open_page ();
  PortholeServerView *view = SERVER_VIEW (&f);
  PortholeTestServer *server = porthole_server_view_get_server (view);
  GtkListBox *list = part (view, PORTHOLE_TYPE_SERVER_VIEW, "clients_list");
  g_autoptr(GHashTable) client_ports = g_hash_table_new (NULL, NULL);
  g_autofree char *port_text = NULL;
  guint port;

  gtk_widget_activate_action (GTK_WIDGET (view), "server.start", NULL);
  ck_assert (porthole_test_server_get_running (server));
  port = porthole_test_server_get_port (server);
  ck_assert_uint_ne (port, 0);
  ck_assert_str_eq (porthole_test_server_get_address (server), "127.0.0.1");
  port_text = g_strdup_printf ("127.0.0.1:%u", port);
  ck_assert_ptr_nonnull (strstr (label_text (view, PORTHOLE_TYPE_SERVER_VIEW, "status_label"),
                                 port_text));

  /* The spin button says 5 */
  gtk_widget_activate_action (GTK_WIDGET (view), "server.connect-clients", NULL);
  ck_assert (wait_until (n_clients_is_5, server, WAIT_MS));
  porthole_test_spin (50);
  ck_assert_uint_eq (count_rows (list), 5);
  ck_assert_str_eq (label_text (view, PORTHOLE_TYPE_SERVER_VIEW, "clients_heading"), "5 Clients");
  gtk_stack_set_visible_child_name (part (f.page, PORTHOLE_TYPE_TEST_PAGE, "stack"), "server");
  maybe_screenshot (f.window, 960, 900, "test-server");
  /* One server port, five client ports */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PortholeTestClient) client =
        g_list_model_get_item (porthole_test_server_get_clients (server), i);
      guint client_port = porthole_test_client_get_remote_port (client);


      ck_assert_uint_eq (porthole_test_client_get_local_port (client), port);
      g_hash_table_add (client_ports, GUINT_TO_POINTER (client_port));
    }
  ck_assert_uint_eq (g_hash_table_size (client_ports), 5);

  gtk_widget_activate_action (GTK_WIDGET (view), "server.stop", NULL);
  ck_assert (!porthole_test_server_get_running (server));
  ck_assert_uint_eq (count_rows (list), 0);
  ck_assert (connection_refused (port));

  /* Closing the window stops a running server too */
  ck_assert (porthole_server_view_start (view));
  port = porthole_test_server_get_port (server);
  gtk_window_destroy (f.window);
  ck_assert (connection_refused (port));
}
END_TEST

/* Issue 6 item 5: each input gets the expected answer, and a rejection names the bad part in
 * the label under the entry. */
START_TEST (test_bad_input_table)
{
  static const struct { const char *text; gboolean ok; const char *names; } targets[] = {
    { "", FALSE, "empty" },
    { ":", FALSE, "host" },
    { "h:", FALSE, "“h:”" },
    { "h:0", FALSE, "port 0" },
    { "h:65535", TRUE, NULL },
    { "h:65536", FALSE, "65536" },
    { "h:99999999999999999999", FALSE, "above 65535" },
    { "[::1]:22", TRUE, NULL },
    { "::1:22", FALSE, "[::1]:22" },
    { "[fe80::1%lo]:22", TRUE, NULL },
    { "h:-1", FALSE, "-1" },
  };
  static const struct { const char *text; gboolean ok; const char *names; } port_lists[] = {
    { "0-70000", FALSE, "0-70000" },
    { "5-1", FALSE, "5-1" },
    { "1-65535", TRUE, NULL },
    { "80,,81", FALSE, "item 2" },
  };
  Fixture f = open_page ();
  PortholeProbeView *probe_view = PROBE_VIEW (&f);
  PortholeScanView *scan_view = SCAN_VIEW (&f);
  GtkWidget *entry = part (probe_view, PORTHOLE_TYPE_PROBE_VIEW, "target_entry");
  GtkWidget *message = part (probe_view, PORTHOLE_TYPE_PROBE_VIEW, "target_error");
  GtkWidget *connect = part (probe_view, PORTHOLE_TYPE_PROBE_VIEW, "connect_button");
  GtkWidget *ports = part (scan_view, PORTHOLE_TYPE_SCAN_VIEW, "ports_entry");
  GtkWidget *ports_message = part (scan_view, PORTHOLE_TYPE_SCAN_VIEW, "ports_error");
  GtkWidget *start = part (scan_view, PORTHOLE_TYPE_SCAN_VIEW, "start_button");
  PortholeProbe *probe = porthole_probe_view_get_probe (probe_view);
  PortholeScan *scan = porthole_scan_view_get_scan (scan_view);

  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), targets[i].text);
      if (targets[i].ok)
        {
          /* Accepted as typed; not started, which would look the name "h" up */
          ck_assert_msg (!gtk_widget_get_visible (message), "“%s”: %s", targets[i].text,
                         gtk_label_get_text (GTK_LABEL (message)));
          ck_assert_msg (gtk_widget_get_sensitive (connect), "“%s” not accepted",
                         targets[i].text);
          continue;
        }
      /* Said while typing (the empty entry waits for Enter), then in red on Enter */
      ck_assert_msg (gtk_widget_get_visible (message) == (targets[i].text[0] != '\0'), "“%s”",
                     targets[i].text);
      ck_assert (!gtk_widget_get_sensitive (connect));
      g_signal_emit_by_name (entry, "activate");
      ck_assert (!porthole_probe_get_running (probe));
      ck_assert (gtk_widget_get_visible (message));
      ck_assert (gtk_widget_has_css_class (entry, "error"));
      ck_assert_msg (strstr (gtk_label_get_text (GTK_LABEL (message)), targets[i].names) != NULL,
                     "“%s”: message “%s” does not name “%s”", targets[i].text,
                     gtk_label_get_text (GTK_LABEL (message)), targets[i].names);
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), "::1:22");
  g_signal_emit_by_name (entry, "activate");
  gtk_editable_set_text (GTK_EDITABLE (ports), "80,,81");
  maybe_screenshot (f.window, 960, 500, "test-invalid");
  gtk_stack_set_visible_child_name (part (f.page, PORTHOLE_TYPE_TEST_PAGE, "stack"), "scan");
  maybe_screenshot (f.window, 960, 500, "test-invalid-scan");
  /* Fixing the text clears the mark */
  gtk_editable_set_text (GTK_EDITABLE (entry), "h:22");
  ck_assert (!gtk_widget_get_visible (message));
  ck_assert (!gtk_widget_has_css_class (entry, "error"));

  for (gsize i = 0; i < G_N_ELEMENTS (port_lists); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (ports), port_lists[i].text);
      if (port_lists[i].ok)
        {
          /* Not started: a full scan belongs in a private network namespace */
          ck_assert_msg (!gtk_widget_get_visible (ports_message), "“%s”: %s",
                         port_lists[i].text, gtk_label_get_text (GTK_LABEL (ports_message)));
          ck_assert (gtk_widget_get_sensitive (start));
          continue;
        }
      ck_assert (gtk_widget_get_visible (ports_message));
      ck_assert (!gtk_widget_get_sensitive (start));
      g_signal_emit_by_name (ports, "activate");
      ck_assert (!porthole_scan_get_running (scan));
      ck_assert (gtk_widget_has_css_class (ports, "error"));
      ck_assert_msg (strstr (gtk_label_get_text (GTK_LABEL (ports_message)),
                             port_lists[i].names) != NULL,
                     "“%s”: message “%s” does not name “%s”", port_lists[i].text,
                     gtk_label_get_text (GTK_LABEL (ports_message)), port_lists[i].names);
    }
  ck_assert_uint_eq (porthole_scan_get_ports_done (scan), 0);
  gtk_window_destroy (f.window);
}
END_TEST

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && found == NULL; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = ADW_MESSAGE_DIALOG (window);
    }
  return found;
}

START_TEST (test_scan_needs_confirmation)
{
  Fixture f = open_page ();
  PortholeScanView *view = SCAN_VIEW (&f);
  PortholeScan *scan = porthole_scan_view_get_scan (view);
  AdwMessageDialog *dialog;

  /* TEST-NET-1: never scanned, the dialog is cancelled */
  gtk_editable_set_text (part (view, PORTHOLE_TYPE_SCAN_VIEW, "host_entry"), "192.0.2.1");
  gtk_editable_set_text (part (view, PORTHOLE_TYPE_SCAN_VIEW, "ports_entry"), "80");
  gtk_widget_activate_action (GTK_WIDGET (view), "scan.start", NULL);
  porthole_test_spin (50);
  dialog = find_message_dialog ();
  ck_assert_ptr_nonnull (dialog);
  ck_assert_str_eq (adw_message_dialog_get_default_response (dialog), "cancel");
  ck_assert_str_eq (adw_message_dialog_get_close_response (dialog), "cancel");
  ck_assert_ptr_nonnull (strstr (adw_message_dialog_get_body (dialog), "authorised"));
  ck_assert (!adw_message_dialog_get_body_use_markup (dialog));
  ck_assert (!porthole_scan_get_running (scan));
  maybe_screenshot (f.window, 960, 800, "test-confirm");

  /* Escape, or the close button: the close response is Cancel */
  gtk_window_close (GTK_WINDOW (dialog));
  porthole_test_spin (200);
  ck_assert_ptr_null (find_message_dialog ());
  ck_assert (!porthole_scan_get_running (scan));
  ck_assert (!porthole_scan_get_confirmed (scan));
  ck_assert_uint_eq (porthole_scan_get_ports_total (scan), 0);
  ck_assert_uint_eq (porthole_scan_get_ports_done (scan), 0);
  ck_assert (!gtk_widget_get_visible (part (view, PORTHOLE_TYPE_SCAN_VIEW, "progress_box")));
  gtk_window_destroy (f.window);
}
END_TEST

static gboolean
scan_done (gpointer data)
{
  PortholeScan *scan = data;

  return !porthole_scan_get_running (scan) && porthole_scan_get_ports_done (scan) == 2;
}

static void
on_test_target (PortholeScanView *view, const char *target, char **out)
{
  g_free (*out);
  *out = g_strdup (target);
}

/* Two ports this test opened: one listening, one bound and refusing; then Test on the open
 * one fills the probe's entry */
START_TEST (test_scan_loopback)
{
  guint16 open_port, closed_port;
  int listener = porthole_test_listener ("127.0.0.1", &open_port, 8);
  int closed = porthole_test_bound_socket ("127.0.0.1", &closed_port);
  Fixture f = open_page ();
  PortholeScanView *view = SCAN_VIEW (&f);
  PortholeScan *scan = porthole_scan_view_get_scan (view);
  GtkListBox *results = part (view, PORTHOLE_TYPE_SCAN_VIEW, "results_list");
  g_autofree char *ports = g_strdup_printf ("%u,%u", open_port, closed_port);
  g_autofree char *expected = g_strdup_printf ("127.0.0.1:%u", open_port);
  g_autofree char *target = NULL;
  GtkWidget *row, *button;
  GtkStack *stack;

  gtk_editable_set_text (part (view, PORTHOLE_TYPE_SCAN_VIEW, "ports_entry"), ports);
  ck_assert (porthole_scan_view_start (view));
  ck_assert_ptr_null (find_message_dialog ());
  ck_assert (wait_until (scan_done, scan, WAIT_MS));
  porthole_test_spin (50);
  ck_assert_uint_eq (porthole_scan_get_open_count (scan), 1);
  ck_assert_uint_eq (porthole_scan_get_closed_count (scan), 1);
  ck_assert_ptr_nonnull (strstr (label_text (view, PORTHOLE_TYPE_SCAN_VIEW, "counts_label"),
                                 "1 open · 1 closed · 0 filtered"));
  ck_assert_double_eq_tol (gtk_progress_bar_get_fraction (part (view, PORTHOLE_TYPE_SCAN_VIEW,
                                                                "progress_bar")), 1.0, 1e-9);
  ck_assert_uint_eq (count_rows (results), 1);
  gtk_stack_set_visible_child_name (part (f.page, PORTHOLE_TYPE_TEST_PAGE, "stack"), "scan");
  maybe_screenshot (f.window, 960, 800, "test-scan");

  /* The row's Test button: the page switches to the probe with the target filled in */
  g_signal_connect (view, "test-target", G_CALLBACK (on_test_target), &target);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (results, 0));
  button = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  ck_assert (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
  ck_assert_str_eq (target, expected);
  ck_assert_str_eq (gtk_editable_get_text (part (PROBE_VIEW (&f), PORTHOLE_TYPE_PROBE_VIEW,
                                                 "target_entry")), expected);
  stack = part (f.page, PORTHOLE_TYPE_TEST_PAGE, "stack");
  ck_assert_str_eq (gtk_stack_get_visible_child_name (stack), "probe");
  gtk_window_destroy (f.window);
  close (listener);
  close (closed);
}
END_TEST

/* Connected swapped: whatever the signal's arguments, the counter comes first */
static void
on_late_signal (guint *count)
{
  (*count)++;
}

/* Closing the window in the middle of a probe (a peer that never answers) and of a scan: no
 * signal and no callback reach the views afterwards, everything is freed, nothing warns
 * (G_DEBUG=fatal-warnings). */
START_TEST (test_dispose_mid_run)
{
  int fillers[64];
  guint16 port;
  int listener = porthole_test_full_listener ("127.0.0.1", &port, fillers, G_N_ELEMENTS (fillers));
  Fixture f = open_page ();
  PortholeProbeView *probe_view = PROBE_VIEW (&f);
  PortholeScanView *scan_view = SCAN_VIEW (&f);
  PortholeProbe *probe = porthole_probe_view_get_probe (probe_view);
  PortholeScan *scan = porthole_scan_view_get_scan (scan_view);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *ports = g_strdup_printf ("%u", port);
  guint before = porthole_test_count_inet_fds ();
  g_autofree char *fds_before = porthole_test_describe_fds ();
  guint late = 0;

  gtk_editable_set_text (part (scan_view, PORTHOLE_TYPE_SCAN_VIEW, "ports_entry"), ports);
  ck_assert (porthole_scan_view_start (scan_view));
  porthole_test_page_set_target (f.page, target);
  ck_assert (porthole_probe_view_start (probe_view));
  ck_assert (wait_until (probe_connecting, probe, WAIT_MS));
  ck_assert (porthole_probe_get_running (probe));
  ck_assert (porthole_scan_get_running (scan));

  g_object_add_weak_pointer (G_OBJECT (probe), (gpointer *) &probe);
  g_object_add_weak_pointer (G_OBJECT (scan), (gpointer *) &scan);
  g_object_add_weak_pointer (G_OBJECT (probe_view), (gpointer *) &probe_view);
  g_object_add_weak_pointer (G_OBJECT (scan_view), (gpointer *) &scan_view);
  g_signal_connect_swapped (probe, "step", G_CALLBACK (on_late_signal), &late);
  g_signal_connect_swapped (probe, "notify", G_CALLBACK (on_late_signal), &late);
  g_signal_connect_swapped (scan, "notify", G_CALLBACK (on_late_signal), &late);
  g_signal_connect_swapped (porthole_scan_get_results (scan), "items-changed",
                            G_CALLBACK (on_late_signal), &late);

  gtk_window_destroy (f.window);
  late = 0;   /* "running" turns FALSE inside the cancel, during destroy */
  /* Longer than the scan's timeout and the probe's first steps */
  porthole_test_spin (1500);
  ck_assert_uint_eq (late, 0);
  ck_assert_ptr_null (probe);
  ck_assert_ptr_null (scan);
  ck_assert_ptr_null (probe_view);
  ck_assert_ptr_null (scan_view);
  /* Every socket of the probe and the scan is closed (GTK may open D-Bus or eventfd descriptors
   * lazily meanwhile: only TCP/UDP sockets count); GIO may close a cancelled connection
   * attempt's socket from its own idle callback, so give it a bounded while */
  for (guint waited = 0; waited < 10000 && porthole_test_count_inet_fds () > before; waited += 100)
    porthole_test_spin (100);
  if (porthole_test_count_inet_fds () > before)
    {
      g_autofree char *fds_after = porthole_test_describe_fds ();
      ck_abort_msg ("descriptors before: %s; after: %s", fds_before, fds_after);
    }
  porthole_test_close_all (listener, fillers, G_N_ELEMENTS (fillers));
}
END_TEST

static Suite *
test_page_suite (void)
{
  Suite *s = suite_create ("test-page");
  TCase *tc = tcase_create ("gui");

  gtk_init ();
  adw_init ();
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_probe_open);
  tcase_add_test (tc, test_probe_closed);
  tcase_add_test (tc, test_probe_tls);
  tcase_add_test (tc, test_probe_udp);
  tcase_add_test (tc, test_probe_cancel);
  tcase_add_test (tc, test_server_five_clients);
  tcase_add_test (tc, test_bad_input_table);
  tcase_add_test (tc, test_scan_needs_confirmation);
  tcase_add_test (tc, test_scan_loopback);
  tcase_add_test (tc, test_dispose_mid_run);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (test_page_suite)
