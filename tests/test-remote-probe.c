/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-remote-probe"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sshd.h"
#include "porthole-net-error.h"
#include "porthole-probe.h"
#include "porthole-remote.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A probe run from another computer ("via-host") over a real sshd in the test's own network
 * namespace (porthole-test-sshd.h): porthole-cli probe --json there, its steps replayed here. */

typedef struct {
  gboolean             done;
  PortholeProbeStatus  status;
  GError              *error;
  GString             *steps;   /* "STEP message\n" per step */
} Ran;

static void
on_step (PortholeProbe *probe, PortholeProbeStep step, const char *address,
         PortholeProbeStatus status, const char *message, double elapsed, Ran *ran)
{
  g_autofree char *line = g_strescape (message, NULL);

  g_string_append_printf (ran->steps, "# %d %s\n", step, line);
}

static void
on_ran (GObject *source, GAsyncResult *result, gpointer data)
{
  Ran *ran = data;

  ran->status = porthole_probe_run_finish (PORTHOLE_PROBE (source), result, &ran->error);
  ran->done = TRUE;
}

static void
run (PortholeProbe *probe, Ran *ran)
{
  gulong id;

  memset (ran, 0, sizeof *ran);
  ran->steps = g_string_new (NULL);
  id = g_signal_connect (probe, "step", G_CALLBACK (on_step), ran);
  porthole_probe_run_async (probe, NULL, on_ran, ran);
  ck_assert (porthole_test_wait_for (&ran->done, 60000));
  g_signal_handler_disconnect (probe, id);
}

static void
ran_clear (Ran *ran)
{
  g_string_free (ran->steps, TRUE);
  g_clear_error (&ran->error);
}

static PortholeProbe *
remote_probe (const char *target)
{
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", porthole_sshd.port);
  PortholeProbe *probe = porthole_probe_new (target);

  porthole_probe_set_via_host (probe, host);
  porthole_probe_set_timeout_ms (probe, 2000);
  return probe;
}

START_TEST (test_probe_from_host)
{
  g_autoptr(PortholeProbe) open_probe = NULL, closed_probe = NULL, bad = NULL;
  g_autofree char *open_target = NULL, *closed_target = NULL, *marker = NULL;
  const PortholeProbeAttempt *attempts;
  guint n;
  Ran ran;

  porthole_test_sshd_start (REMOTE_CLI, NULL);

  /* sshd's own port, seen from that computer: open, with sshd's banner */
  open_target = g_strdup_printf ("127.0.0.1:%u", porthole_sshd.port);
  open_probe = remote_probe (open_target);
  run (open_probe, &ran);
  ck_assert_msg (ran.error == NULL, "%s", ran.error ? ran.error->message : "");
  ck_assert_int_eq (ran.status, PORTHOLE_PROBE_STATUS_OPEN);
  ck_assert_msg (strstr (ran.steps->str, "over ssh") != NULL, "%s", ran.steps->str);
  ck_assert_int_gt (porthole_probe_get_local_port (open_probe), 0);
  ck_assert_str_eq (porthole_probe_get_remote_address (open_probe), "127.0.0.1");
  ck_assert_ptr_nonnull (porthole_probe_get_banner (open_probe));
  ck_assert (g_str_has_prefix (porthole_probe_get_banner (open_probe), "SSH-2.0-"));
  attempts = porthole_probe_get_attempts (open_probe, &n);
  ck_assert_uint_eq (n, 1);
  ck_assert_int_eq (attempts[0].status, PORTHOLE_PROBE_STATUS_OPEN);
  printf ("%s", ran.steps->str);
  ran_clear (&ran);

  /* a port nobody listens on there: closed */
  closed_target = g_strdup_printf ("127.0.0.1:%u", porthole_test_free_port ());
  closed_probe = remote_probe (closed_target);
  run (closed_probe, &ran);
  ck_assert (ran.error == NULL);
  ck_assert_int_eq (ran.status, PORTHOLE_PROBE_STATUS_CLOSED);
  ck_assert_ptr_nonnull (porthole_probe_get_error_message (closed_probe));
  ran_clear (&ran);

  /* a target that is no target never reaches ssh: checked here first */
  marker = g_build_filename (porthole_sshd.dir, "ran", NULL);
  {
    g_autofree char *target = g_strdup_printf ("127.0.0.1:22;touch %s", marker);

    bad = remote_probe (target);
    run (bad, &ran);
    ck_assert (g_error_matches (ran.error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
    ck_assert_str_eq (ran.steps->str, "");
    ck_assert (!g_file_test (marker, G_FILE_TEST_EXISTS));
    ran_clear (&ran);
  }
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_probe_needs_cli_there)
{
  g_autoptr(PortholeProbe) probe = NULL;
  g_autofree char *target = NULL;
  Ran ran;

  porthole_test_sshd_start (REMOTE_SS, NULL);
  target = g_strdup_printf ("127.0.0.1:%u", porthole_sshd.port);
  probe = remote_probe (target);
  run (probe, &ran);
  ck_assert (g_error_matches (ran.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_NO_LISTER));
  ck_assert_ptr_nonnull (strstr (ran.error->message, "porthole-cli is not installed there"));
  ck_assert (!porthole_probe_get_running (probe));
  ran_clear (&ran);

  /* sshd gone: the transport's words */
  porthole_test_sshd_kill ();
  run (probe, &ran);
  ck_assert (g_error_matches (ran.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_UNREACHABLE) ||
             g_error_matches (ran.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_DROPPED));
  ran_clear (&ran);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_probe_junk_answer)
{
  g_autoptr(PortholeProbe) probe = NULL;
  Ran ran;

  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\nprintf 'nope \\033[31m'\nexit 1\n");
  probe = remote_probe ("127.0.0.1:80");
  run (probe, &ran);
  ck_assert (g_error_matches (ran.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_JUNK));
  ck_assert_ptr_null (strchr (ran.error->message, '\033'));
  ran_clear (&ran);
  porthole_test_sshd_stop ();
}
END_TEST

static Suite *
remote_probe_suite (void)
{
  Suite *s = suite_create ("remote-probe");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_probe_from_host);
  tcase_add_test (tc, test_probe_needs_cli_there);
  tcase_add_test (tc, test_probe_junk_answer);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (remote_probe_suite)
