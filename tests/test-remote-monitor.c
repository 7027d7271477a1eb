/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-remote-monitor"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sshd.h"
#include "porthole-socket-monitor.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The socket monitor with a remote source, over a real sshd in the test's own network
 * namespace (porthole-test-sshd.h): the "remote" is this namespace seen through ssh, so a
 * listener the test opens here is one the far side lists. */

static int
listener (guint16 *port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (listen (fd, 4), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  *port = ntohs (sin.sin_port);
  return fd;
}

static char *
destination (void)
{
  return g_strdup_printf ("127.0.0.1:%u", porthole_sshd.port);
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Refreshed;

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  Refreshed *r = data;

  r->ok = porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &r->error);
  r->done = TRUE;
}

/* One refresh, waited for; TRUE when the host answered */
static gboolean
refresh (PortholeSocketMonitor *monitor)
{
  Refreshed r = { 0 };
  gint64 start = g_get_monotonic_time ();

  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &r);
  ck_assert_msg (porthole_test_wait_for (&r.done, 120000), "no refresh within 120 s");
  printf ("# refresh in %" G_GINT64_FORMAT " ms: %s\n", (g_get_monotonic_time () - start) / 1000,
          r.error ? r.error->message : "ok");
  fflush (stdout);
  g_clear_error (&r.error);
  return r.ok;
}

static PortholeSocket *
find (PortholeSocketMonitor *monitor, guint port, const char *state)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (monitor)); i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (monitor), i);

      /* the far side lists every namespace it sees: other tests' may reuse the port number */
      if (porthole_socket_get_local_port (s) == port && !porthole_socket_get_closed (s) &&
          porthole_socket_get_netns (s) == 0 && strcmp (porthole_socket_get_state (s), state) == 0)
        return s;   /* the monitor holds it */
    }
  return NULL;
}

static void
on_closed (PortholeSocketMonitor *monitor, PortholeSocket *socket, gpointer data)
{
  guint *port = data;

  if (porthole_socket_get_local_port (socket) == *port && porthole_socket_is_listening (socket) &&
      porthole_socket_get_netns (socket) == 0)
    *port = 0;
}

static void
on_opened (PortholeSocketMonitor *monitor, PortholeSocket *socket, gpointer data)
{
  guint *port = data;

  if (porthole_socket_get_local_port (socket) == *port && porthole_socket_is_listening (socket) &&
      porthole_socket_get_netns (socket) == 0)
    *port = 0;
}

static void
lists_and_sees_changes (PortholeTestRemote remote)
{
  g_autofree char *host = NULL;
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  PortholeSocket *s;
  guint16 port, port2;
  guint watched;
  int fd, fd2;

  porthole_test_sshd_start (remote, NULL);
  host = destination ();
  fd = listener (&port);
  monitor = porthole_socket_monitor_new_for_host (host);
  ck_assert_str_eq (porthole_socket_monitor_get_host (monitor), host);
  ck_assert (refresh (monitor));
  ck_assert_ptr_null (porthole_socket_monitor_get_error (monitor));
  ck_assert (!porthole_socket_monitor_get_stale (monitor));
  ck_assert_int_gt (porthole_socket_monitor_get_last_seen (monitor), 0);

  s = find (monitor, port, "LISTEN");
  ck_assert_msg (s != NULL, "the listener on %u is not in the remote's rows", port);
  ck_assert_str_eq (porthole_socket_get_local_address (s), "127.0.0.1");
  ck_assert_int_eq (porthole_socket_get_pid (s), getpid ());
  ck_assert_int_eq (porthole_socket_get_owner_status (s), PORTHOLE_OWNER_KNOWN);
  ck_assert_ptr_nonnull (porthole_socket_get_process (s));
  if (remote == REMOTE_CLI)
    {
      ck_assert_str_eq (porthole_socket_get_user (s), "root");
      ck_assert_ptr_null (porthole_socket_monitor_get_notice (monitor));
    }
  else
    {
      ck_assert_str_eq (porthole_socket_get_user (s), "0");   /* ss: the uid, no names */
      ck_assert_ptr_nonnull (strstr (porthole_socket_monitor_get_notice (monitor),
                                     "porthole-cli is not installed there"));
    }
  /* sshd's own listener and our connection to it */
  ck_assert_ptr_nonnull (find (monitor, porthole_sshd.port, "LISTEN"));
  ck_assert_ptr_nonnull (find (monitor, porthole_sshd.port, "ESTABLISHED"));

  /* a second listener opens, the first closes: the same signals as for this computer */
  fd2 = listener (&port2);
  watched = port2;
  g_signal_connect (monitor, "socket-opened", G_CALLBACK (on_opened), &watched);
  ck_assert (refresh (monitor));
  ck_assert_uint_eq (watched, 0);
  ck_assert_ptr_nonnull (find (monitor, port2, "LISTEN"));

  close (fd);
  watched = port;
  g_signal_connect (monitor, "socket-closed", G_CALLBACK (on_closed), &watched);
  ck_assert (refresh (monitor));
  ck_assert_uint_eq (watched, 0);
  ck_assert_ptr_null (find (monitor, port, "LISTEN"));

  /* process details are this computer's /proc: never read for a remote pid */
  {
    PortholeSocket *second = find (monitor, port2, "LISTEN");

    ck_assert_ptr_nonnull (second);
    ck_assert_int_eq (porthole_socket_get_pid (second), getpid ());
  }
  close (fd2);
  g_clear_object (&monitor);
  porthole_test_sshd_stop ();
}

START_TEST (test_lists_remote)
{
  lists_and_sees_changes (REMOTE_CLI);
}
END_TEST

START_TEST (test_lists_remote_ss)
{
  lists_and_sees_changes (REMOTE_SS);
}
END_TEST

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
wait_stale (PortholeSocketMonitor *monitor, gboolean stale, guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (porthole_socket_monitor_get_stale (monitor) != stale && g_get_monotonic_time () < end)
    porthole_test_spin (50);
  return porthole_socket_monitor_get_stale (monitor) == stale;
}

START_TEST (test_stale_and_back)
{
  g_autofree char *host = NULL, *script = NULL;
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  gboolean stale_notified = FALSE;
  gint64 seen, dropped_at;
  guint n_rows;
  guint16 port;
  int fd;

  /* this build's porthole-cli, slowly: a refresh is often in flight when sshd goes */
  script = g_strdup_printf ("#!/bin/sh\nsleep 0.2\nexec %s \"$@\"\n", g_getenv ("PORTHOLE_CLI"));
  porthole_test_sshd_start (REMOTE_FAKE, script);
  host = destination ();
  fd = listener (&port);
  monitor = porthole_socket_monitor_new_for_host (host);
  g_signal_connect (monitor, "notify::stale", G_CALLBACK (on_notify), &stale_notified);
  porthole_socket_monitor_set_refresh_interval (monitor, 100);
  ck_assert (refresh (monitor));
  ck_assert_ptr_nonnull (find (monitor, port, "LISTEN"));
  seen = porthole_socket_monitor_get_last_seen (monitor);

  /* sshd goes, with the sessions answering and the ControlMaster's connection */
  porthole_test_spin (300);
  porthole_test_sshd_kill ();
  ck_assert_msg (wait_stale (monitor, TRUE, 20000), "not stale after sshd was killed");
  /* a refresh the host answered just before it went may land after the kill: the rows are as
   * of the last answer, which came before the monitor went stale */
  dropped_at = g_get_real_time ();
  ck_assert (stale_notified);
  ck_assert_ptr_nonnull (porthole_socket_monitor_get_error (monitor));
  ck_assert_msg (strstr (porthole_socket_monitor_get_error (monitor), host) != NULL,
                 "the error does not name the host: %s", porthole_socket_monitor_get_error (monitor));
  /* rows kept, as last seen */
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (monitor));
  ck_assert_uint_gt (n_rows, 0);
  ck_assert_ptr_nonnull (find (monitor, port, "LISTEN"));
  ck_assert_int_le (porthole_socket_monitor_get_last_seen (monitor), dropped_at);
  ck_assert_int_ge (porthole_socket_monitor_get_last_seen (monitor), seen);
  printf ("# dropped: %s\n", porthole_socket_monitor_get_error (monitor));

  /* it stays stale while sshd is away (the backoff asks again, and fails again) */
  porthole_test_spin (2500);
  ck_assert (porthole_socket_monitor_get_stale (monitor));
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (monitor)), n_rows);

  /* sshd is back: the timer's next try reconnects (the backoff is at most 30 s) */
  porthole_test_sshd_launch ();
  ck_assert_msg (wait_stale (monitor, FALSE, 40000), "not back after sshd restarted: %s",
                 porthole_socket_monitor_get_error (monitor));
  ck_assert_ptr_null (porthole_socket_monitor_get_error (monitor));
  ck_assert_int_gt (porthole_socket_monitor_get_last_seen (monitor), seen);
  ck_assert_ptr_nonnull (find (monitor, port, "LISTEN"));
  close (fd);
  g_clear_object (&monitor);
  porthole_test_sshd_stop ();
}
END_TEST

/* The monitor's error text after one refresh of the test's sshd */
static char *
error_of_one_refresh (void)
{
  g_autofree char *host = destination ();
  g_autoptr(PortholeSocketMonitor) monitor = porthole_socket_monitor_new_for_host (host);

  ck_assert (!refresh (monitor));
  ck_assert (porthole_socket_monitor_get_stale (monitor));
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (monitor)), 0);
  ck_assert_ptr_nonnull (porthole_socket_monitor_get_error (monitor));
  for (const char *p = porthole_socket_monitor_get_error (monitor); *p; p++)
    ck_assert_msg (!g_ascii_iscntrl (*p), "a control character in “%s”",
                   porthole_socket_monitor_get_error (monitor));
  return g_strdup (porthole_socket_monitor_get_error (monitor));
}

static void
set_fake (const char *script)
{
  g_autofree char *bin = g_build_filename (porthole_sshd.dir, "bin", NULL);

  porthole_test_write_file (bin, "porthole-cli", script, 0755);
}

static void
assert_contains (const char *text, const char *part)
{
  ck_assert_msg (strstr (text, part) != NULL, "no “%s” in “%s”", part, text);
}

START_TEST (test_errors)
{
  g_autofree char *host = NULL;

  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\nexit 0\n");
  host = destination ();

  /* first the logins that fail: once one works, ssh's ControlMaster keeps it for the rest */
  /* a wrong key: the login is refused (keys or agent needed) */
  porthole_test_sshd_config_replace ("/client_key", "/other_key");
  {
    g_autofree char *error = error_of_one_refresh ();

    assert_contains (error, "refused the login");
    assert_contains (error, "ssh-agent");
  }
  porthole_test_sshd_config_replace ("/other_key", "/client_key");
  /* an unknown host key: the fingerprint and the command to accept it, never accepted */
  porthole_test_sshd_config_replace ("/known_hosts", "/empty_known_hosts");
  {
    g_autofree char *error = error_of_one_refresh ();
    g_autofree char *command = g_strdup_printf ("ssh -F %s -p %u 127.0.0.1", porthole_sshd.ssh_config,
                                                porthole_sshd.port);

    assert_contains (error, porthole_sshd.host_fingerprint);
    assert_contains (error, command);
  }
  porthole_test_sshd_config_replace ("/empty_known_hosts", "/known_hosts");
  /* a porthole-cli of another contract version */
  set_fake ("#!/bin/sh\necho 'porthole-cli: Unknown option --all' >&2\nexit 2\n");
  {
    g_autofree char *error = error_of_one_refresh ();

    assert_contains (error, "another version");
  }
  /* junk, with control characters */
  set_fake ("#!/bin/sh\nprintf 'not json \\033[31mred\\007 \\377 <b>'\n");
  {
    g_autofree char *error = error_of_one_refresh ();

    assert_contains (error, "not JSON");
  }
  /* enormous */
  set_fake ("#!/bin/sh\nexec /usr/bin/head -c 100000000 /dev/zero\n");
  {
    g_autofree char *error = error_of_one_refresh ();

    assert_contains (error, "larger than");
  }
  /* neither porthole-cli nor ss there */
  {
    g_autofree char *cli = g_build_filename (porthole_sshd.dir, "bin", "porthole-cli", NULL);
    g_autofree char *ss = g_build_filename (porthole_sshd.dir, "bin", "ss", NULL);
    g_autofree char *error = NULL;

    ck_assert_int_eq (g_unlink (cli), 0);
    ck_assert_int_eq (g_unlink (ss), 0);
    error = error_of_one_refresh ();
    assert_contains (error, "neither porthole-cli nor ss");
  }
  /* nothing listens there */
  porthole_test_sshd_kill ();
  {
    g_autofree char *error = error_of_one_refresh ();

    assert_contains (error, "cannot be reached");
  }
  /* a name that does not resolve (inside the test's namespace nothing does) */
  {
    g_autoptr(PortholeSocketMonitor) monitor = porthole_socket_monitor_new_for_host ("no-such-host.invalid");

    ck_assert (!refresh (monitor));
    assert_contains (porthole_socket_monitor_get_error (monitor), "no-such-host.invalid");
    printf ("# unresolved: %s\n", porthole_socket_monitor_get_error (monitor));
  }
  /* a destination that is no destination never reaches ssh */
  {
    g_autoptr(PortholeSocketMonitor) monitor = porthole_socket_monitor_new_for_host ("-oProxyCommand=x");

    ck_assert (!refresh (monitor));
    assert_contains (porthole_socket_monitor_get_error (monitor), "-oProxyCommand");
  }
  porthole_test_sshd_stop ();
}
END_TEST

static Suite *
remote_monitor_suite (void)
{
  Suite *s = suite_create ("remote-monitor");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 180);
  tcase_add_test (tc, test_lists_remote);
  tcase_add_test (tc, test_lists_remote_ss);
  tcase_add_test (tc, test_stale_and_back);
  tcase_add_test (tc, test_errors);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (remote_monitor_suite)
