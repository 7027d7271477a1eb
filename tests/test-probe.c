/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-probe"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-peer.h"
#include "porthole-probe.h"
#include "porthole-test-sockets.h"

#include <stdio.h>

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Every probe here targets a socket this test opened on loopback (bound to port 0), or a
 * private network namespace. */

typedef struct {
  gboolean             done;
  PortholeProbeStatus  status;
  GError              *error;
  GArray              *steps;       /* PortholeProbeStep */
  double               last_elapsed;
  gboolean             elapsed_ordered;
} Run;

static void
on_step (PortholeProbe *probe, PortholeProbeStep step, const char *address,
         PortholeProbeStatus status, const char *message, double elapsed_ms, gpointer data)
{
  Run *run = data;

  ck_assert_ptr_nonnull (message);
  ck_assert (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p; p = g_utf8_next_char (p))
    ck_assert (!g_unichar_iscntrl (g_utf8_get_char (p)));
  if (elapsed_ms < run->last_elapsed)
    run->elapsed_ordered = FALSE;
  run->last_elapsed = elapsed_ms;
  g_array_append_val (run->steps, step);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Run *run = data;

  run->status = porthole_probe_run_finish (PORTHOLE_PROBE (source), result, &run->error);
  run->done = TRUE;
}

static void
run_clear (Run *run)
{
  g_clear_error (&run->error);
  g_clear_pointer (&run->steps, g_array_unref);
}

/* Runs @probe to the end (bounded) and returns its status. */
static PortholeProbeStatus
run_probe (PortholeProbe *probe, Run *run, guint limit_ms)
{
  memset (run, 0, sizeof *run);
  run->steps = g_array_new (FALSE, FALSE, sizeof (PortholeProbeStep));
  run->elapsed_ordered = TRUE;
  g_signal_connect (probe, "step", G_CALLBACK (on_step), run);
  porthole_probe_run_async (probe, NULL, on_done, run);
  ck_assert_msg (porthole_test_wait_for (&run->done, limit_ms), "probe did not finish in %u ms",
                 limit_ms);
  g_signal_handlers_disconnect_by_data (probe, run);
  ck_assert_msg (run->error == NULL, "probe failed: %s", run->error ? run->error->message : "");
  ck_assert (run->elapsed_ordered);
  ck_assert_int_eq (porthole_probe_get_status (probe), run->status);
  return run->status;
}

static gboolean
has_step (Run *run, PortholeProbeStep step)
{
  for (guint i = 0; i < run->steps->len; i++)
    if (g_array_index (run->steps, PortholeProbeStep, i) == step)
      return TRUE;
  return FALSE;
}

static PortholeProbe *
probe_for (const char *address, guint port)
{
  g_autofree char *target = strchr (address, ':') ? g_strdup_printf ("[%s]:%u", address, port)
                                                  : g_strdup_printf ("%s:%u", address, port);
  PortholeProbe *probe = porthole_probe_new (target);

  porthole_probe_set_timeout_ms (probe, 2000);
  porthole_probe_set_banner_wait_ms (probe, 1000);
  return probe;
}

START_TEST (test_open_banner_and_tuple)
{
  g_autoptr(GBytes) hello = g_bytes_new_static ("SSH-2.0-PortholeTest\r\n", 22);
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_SEND, hello);
  g_autoptr(PortholeProbe) probe = probe_for ("127.0.0.1", peer->port);
  guint lo = 0, hi = 0;
  g_autofree char *range = NULL;
  const PortholeProbeAttempt *attempts;
  guint n;
  Run run;

  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  ck_assert (has_step (&run, PORTHOLE_PROBE_STEP_RESOLVING));
  ck_assert (has_step (&run, PORTHOLE_PROBE_STEP_RESOLVED));
  ck_assert (has_step (&run, PORTHOLE_PROBE_STEP_CONNECTING));
  ck_assert (has_step (&run, PORTHOLE_PROBE_STEP_ATTEMPT));
  ck_assert (has_step (&run, PORTHOLE_PROBE_STEP_BANNER));
  ck_assert_int_eq (g_array_index (run.steps, PortholeProbeStep, run.steps->len - 1),
                    PORTHOLE_PROBE_STEP_FINISHED);

  /* The 4-tuple: the peer saw exactly the port the OS picked for us */
  porthole_test_peer_wait_accepted (peer, 5000);
  ck_assert_str_eq (porthole_probe_get_remote_address (probe), "127.0.0.1");
  ck_assert_uint_eq (porthole_probe_get_remote_port (probe), peer->port);
  ck_assert_str_eq (porthole_probe_get_local_address (probe), "127.0.0.1");
  ck_assert_uint_eq (porthole_probe_get_local_port (probe), peer->client_port);
  ck_assert (porthole_probe_get_connect_ms (probe) >= 0);
  ck_assert_ptr_null (porthole_probe_get_error_message (probe));

  /* ...and it lies inside this system's ephemeral range */
  ck_assert (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL));
  ck_assert_int_eq (sscanf (range, "%u %u", &lo, &hi), 2);
  ck_assert_uint_ge (porthole_probe_get_local_port (probe), lo);
  ck_assert_uint_le (porthole_probe_get_local_port (probe), hi);

  ck_assert_uint_eq (g_bytes_get_size (porthole_probe_get_banner_bytes (probe)), 22);
  ck_assert_str_eq (porthole_probe_get_banner (probe), "SSH-2.0-PortholeTest\\r\n");
  attempts = porthole_probe_get_attempts (probe, &n);
  ck_assert_uint_eq (n, 1);
  ck_assert_int_eq (attempts[0].status, PORTHOLE_PROBE_STATUS_OPEN);
  ck_assert_str_eq (attempts[0].address, "127.0.0.1");
  ck_assert_ptr_nonnull (porthole_probe_get_addresses (probe));
  ck_assert_str_eq (porthole_probe_get_addresses (probe)[0], "127.0.0.1");
  run_clear (&run);
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_ipv6)
{
  PortholeTestPeer *peer = porthole_test_peer_start ("::1", PORTHOLE_TEST_PEER_SILENT, NULL);
  g_autoptr(PortholeProbe) probe = NULL;
  Run run;

  ck_assert_msg (peer != NULL, "no IPv6 loopback ([::1]) on this machine");
  probe = probe_for ("::1", peer->port);
  porthole_probe_set_banner_wait_ms (probe, 0);
  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  porthole_test_peer_wait_accepted (peer, 5000);
  ck_assert_str_eq (porthole_probe_get_remote_address (probe), "::1");
  ck_assert_str_eq (porthole_probe_get_local_address (probe), "::1");
  ck_assert_uint_eq (porthole_probe_get_local_port (probe), peer->client_port);
  ck_assert_ptr_null (porthole_probe_get_banner (probe));
  ck_assert (!has_step (&run, PORTHOLE_PROBE_STEP_BANNER));
  run_clear (&run);
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_closed)
{
  guint16 port;
  int fd = porthole_test_bound_socket ("127.0.0.1", &port);   /* bound, never listening */
  g_autoptr(PortholeProbe) probe = probe_for ("127.0.0.1", port);
  const PortholeProbeAttempt *attempts;
  guint n;
  Run run;

  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_CLOSED);
  attempts = porthole_probe_get_attempts (probe, &n);
  ck_assert_uint_eq (n, 1);
  ck_assert_int_eq (attempts[0].status, PORTHOLE_PROBE_STATUS_CLOSED);
  ck_assert_ptr_nonnull (porthole_probe_get_error_message (probe));
  ck_assert_uint_eq (porthole_probe_get_local_port (probe), 0);
  ck_assert (porthole_probe_get_connect_ms (probe) < 0);
  ck_assert (!has_step (&run, PORTHOLE_PROBE_STEP_BANNER));
  run_clear (&run);
  close (fd);
}
END_TEST

START_TEST (test_filtered)
{
  guint16 port;
  int fillers[16];
  int listener = porthole_test_full_listener ("127.0.0.1", &port, fillers, G_N_ELEMENTS (fillers));
  g_autoptr(PortholeProbe) probe = probe_for ("127.0.0.1", port);
  gint64 start;
  double ms;
  Run run;

  porthole_probe_set_timeout_ms (probe, 400);
  start = g_get_monotonic_time ();
  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_FILTERED);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  ck_assert_msg (ms >= 390 && ms < 3000, "filtered after %.0f ms, timeout 400", ms);
  ck_assert_ptr_nonnull (strstr (porthole_probe_get_error_message (probe), "400 ms"));
  run_clear (&run);
  porthole_test_close_all (listener, fillers, G_N_ELEMENTS (fillers));
}
END_TEST

static int
dns_error_in_netns (int message_fd, gpointer data)
{
  g_autofree char *reason = NULL;
  g_autoptr(PortholeProbe) probe = NULL;
  Run run;

  /* A private namespace: the lookup cannot leave this machine */
  if (!porthole_test_enter_netns (&reason))
    {
      dprintf (message_fd, "netns: %s", reason);
      return 2;
    }
  probe = porthole_probe_new ("name.invalid:80");
  porthole_probe_set_timeout_ms (probe, 5000);
  run_probe (probe, &run, 20000);
  dprintf (message_fd, "%s|%s|%u", porthole_probe_status_to_string (run.status),
           porthole_probe_get_error_message (probe) ?: "",
           porthole_probe_get_addresses (probe) == NULL);
  return run.status == PORTHOLE_PROBE_STATUS_DNS_ERROR &&
         has_step (&run, PORTHOLE_PROBE_STEP_RESOLVED) &&
         !has_step (&run, PORTHOLE_PROBE_STEP_CONNECTING) ? 0 : 1;
}

START_TEST (test_dns_error)
{
  g_autofree char *message = NULL;
  int status = porthole_test_run_forked (dns_error_in_netns, NULL, &message);

  ck_assert_msg (status == 0, "dns-error probe: status %d, %s", status, message);
  ck_assert (g_str_has_prefix (message, "dns-error|"));
}
END_TEST

START_TEST (test_bad_target)
{
  g_autoptr(PortholeProbe) probe = porthole_probe_new ("::1:22");
  Run run = { 0 };

  porthole_probe_run_async (probe, NULL, on_done, &run);
  ck_assert (porthole_test_wait_for (&run.done, 5000));
  ck_assert (run.error != NULL);
  ck_assert_ptr_nonnull (strstr (run.error->message, "[::1]:22"));
  ck_assert (!porthole_probe_get_running (probe));
  g_clear_error (&run.error);
}
END_TEST

/* Hostile peers */

static gboolean
is_display_safe (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        continue;
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT || c == 0x2028 ||
          c == 0x2029)
        return FALSE;
    }
  return TRUE;
}

START_TEST (test_junk_peer)
{
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_JUNK, NULL);
  g_autoptr(PortholeProbe) probe = probe_for ("127.0.0.1", peer->port);
  GBytes *raw;
  Run run;

  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  raw = porthole_probe_get_banner_bytes (probe);
  ck_assert_ptr_nonnull (raw);
  ck_assert_uint_gt (g_bytes_get_size (raw), 0);
  ck_assert_uint_le (g_bytes_get_size (raw), PORTHOLE_PROBE_BANNER_MAX);
  ck_assert (g_utf8_validate (porthole_probe_get_banner (probe), -1, NULL));
  ck_assert (is_display_safe (porthole_probe_get_banner (probe)));
  /* The junk held every kind of control: they came out escaped */
  ck_assert_ptr_nonnull (strstr (porthole_probe_get_banner (probe), "\\x1b"));
  ck_assert_ptr_nonnull (strstr (porthole_probe_get_banner (probe), "\\x00"));
  run_clear (&run);
  /* The peer could not push its 10 MB: we read once and closed */
  ck_assert_uint_lt (porthole_test_peer_stop (peer), 10 * 1024 * 1024);
}
END_TEST

START_TEST (test_silent_peer)
{
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_SILENT, NULL);
  g_autoptr(PortholeProbe) probe = probe_for ("127.0.0.1", peer->port);
  gint64 start = g_get_monotonic_time ();
  double ms;
  Run run;

  porthole_probe_set_banner_wait_ms (probe, 500);
  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  ck_assert_msg (ms >= 490 && ms < 2000, "a silent peer held the probe %.0f ms (wait 500)", ms);
  ck_assert (has_step (&run, PORTHOLE_PROBE_STEP_BANNER));
  ck_assert_ptr_null (porthole_probe_get_banner_bytes (probe));
  run_clear (&run);
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_drip_peer)
{
  PortholeTestPeer *early = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_DRIP, NULL);
  PortholeTestPeer *late = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_DRIP_LATE,
                                                     NULL);
  g_autoptr(PortholeProbe) a = probe_for ("127.0.0.1", early->port);
  g_autoptr(PortholeProbe) b = probe_for ("127.0.0.1", late->port);
  gint64 start;
  double ms;
  Run run;

  /* One byte now, more every 2 s: one read takes the byte and the probe does not linger */
  start = g_get_monotonic_time ();
  ck_assert_int_eq (run_probe (a, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  ck_assert_msg (ms < 1500, "a dripping peer held the probe %.0f ms", ms);
  ck_assert_uint_eq (g_bytes_get_size (porthole_probe_get_banner_bytes (a)), 1);
  run_clear (&run);

  /* First byte after 2 s: the banner wait (1 s) ends first */
  start = g_get_monotonic_time ();
  ck_assert_int_eq (run_probe (b, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  ck_assert_msg (ms >= 990 && ms < 1900, "a late dripping peer held the probe %.0f ms", ms);
  ck_assert_ptr_null (porthole_probe_get_banner_bytes (b));
  run_clear (&run);
  porthole_test_peer_stop (early);
  porthole_test_peer_stop (late);
}
END_TEST

/* UDP: ICMP port unreachable means closed, a reply open, silence open|filtered */
START_TEST (test_udp)
{
  guint16 closed_port, silent_port, echo_port;
  int closed_fd = porthole_test_bound_udp ("127.0.0.1", &closed_port);
  int silent_fd = porthole_test_bound_udp ("127.0.0.1", &silent_port);
  PortholeTestPeer *echo = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_UDP_ECHO,
                                                     NULL);
  g_autoptr(PortholeProbe) probe = NULL;
  Run run;

  echo_port = echo->port;
  /* A UDP port with no socket answers with ICMP port unreachable */
  close (closed_fd);
  probe = probe_for ("127.0.0.1", closed_port);
  porthole_probe_set_udp (probe, TRUE);
  porthole_probe_set_timeout_ms (probe, 1000);
  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_CLOSED);
  ck_assert_uint_ne (porthole_probe_get_local_port (probe), 0);
  run_clear (&run);
  g_clear_object (&probe);

  probe = probe_for ("127.0.0.1", silent_port);
  porthole_probe_set_udp (probe, TRUE);
  porthole_probe_set_timeout_ms (probe, 300);
  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN_FILTERED);
  run_clear (&run);
  g_clear_object (&probe);

  probe = probe_for ("127.0.0.1", echo_port);
  porthole_probe_set_udp (probe, TRUE);
  ck_assert_int_eq (run_probe (probe, &run, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  ck_assert_str_eq (porthole_probe_get_banner (probe), "pong");
  run_clear (&run);
  close (silent_fd);
  porthole_test_peer_stop (echo);
}
END_TEST

/* Cancellation at random moments */

typedef struct {
  gboolean cancelled;
  guint    after_cancel;   /* signals seen after the cancel returned */
  guint    callbacks;
  gboolean got_cancelled;
} Cycle;

static void
count_after_cancel (gpointer data)
{
  Cycle *cycle = data;

  if (cycle->cancelled)
    cycle->after_cancel++;
}

static void
on_cycle_step (PortholeProbe *probe, PortholeProbeStep step, const char *address,
               PortholeProbeStatus status, const char *message, double elapsed, gpointer data)
{
  count_after_cancel (data);
}

static void
on_cycle_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  count_after_cancel (data);
}

static void
on_cycle_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Cycle *cycle = data;
  g_autoptr(GError) error = NULL;

  porthole_probe_run_finish (PORTHOLE_PROBE (source), result, &error);
  cycle->callbacks++;
  cycle->got_cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

START_TEST (test_cancel_cycles)
{
  guint16 open_port, filtered_port, closed_port;
  int open_fd = porthole_test_listener ("127.0.0.1", &open_port, 4096);
  int fillers[16];
  int filtered_fd = porthole_test_full_listener ("127.0.0.1", &filtered_port, fillers,
                                                 G_N_ELEMENTS (fillers));
  int closed_fd = porthole_test_bound_socket ("127.0.0.1", &closed_port);
  guint16 ports[] = { open_port, filtered_port, closed_port };
  guint fds_before, cancelled_early = 0;

  /* Warm up: GLib opens what it keeps for the process (wakeup fds, the resolver's pool) */
  {
    g_autoptr(PortholeProbe) warm = probe_for ("127.0.0.1", closed_port);
    Run run;
    run_probe (warm, &run, 5000);
    run_clear (&run);
  }
  fds_before = porthole_test_count_fds ();

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GCancellable) external = g_cancellable_new ();
      PortholeProbe *probe = probe_for ("127.0.0.1", ports[i % 3]);
      Cycle cycle = { 0 };

      porthole_probe_set_timeout_ms (probe, 300);
      porthole_probe_set_banner_wait_ms (probe, 200);
      porthole_probe_set_tls (probe, i % 7 == 0);
      g_signal_connect (probe, "step", G_CALLBACK (on_cycle_step), &cycle);
      g_signal_connect (probe, "notify", G_CALLBACK (on_cycle_notify), &cycle);
      porthole_probe_run_async (probe, i % 2 ? external : NULL, on_cycle_done, &cycle);
      porthole_test_spin (g_random_int_range (0, 12));
      if (cycle.callbacks == 0)
        {
          if (i % 2)
            g_cancellable_cancel (external);
          else
            porthole_probe_cancel (probe);
          cycle.cancelled = TRUE;
          cancelled_early++;
        }
      if (i % 5 == 0)
        {
          /* Dropping the last reference while the run winds down must be safe too */
          g_object_unref (probe);
          probe = NULL;
        }
      while (cycle.callbacks == 0)
        g_main_context_iteration (NULL, TRUE);
      porthole_test_spin (2);
      ck_assert_uint_eq (cycle.callbacks, 1);
      ck_assert_msg (cycle.after_cancel == 0, "cycle %u: %u signals after cancel", i,
                     cycle.after_cancel);
      if (cycle.cancelled)
        ck_assert (cycle.got_cancelled);
      if (probe != NULL)
        {
          ck_assert (!porthole_probe_get_running (probe));
          g_signal_handlers_disconnect_by_data (probe, &cycle);
          g_object_unref (probe);
        }
    }
  ck_assert_uint_gt (cancelled_early, 50);
  porthole_test_spin (200);
  ck_assert_uint_eq (porthole_test_count_fds (), fds_before);
  close (open_fd);
  close (closed_fd);
  porthole_test_close_all (filtered_fd, fillers, G_N_ELEMENTS (fillers));
}
END_TEST

/* Cancel, then run again at once (a user pressing Cancel then Connect): the first run ends
 * cancelled, the second is not disturbed by the first winding down */
START_TEST (test_cancel_then_rerun)
{
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello\n", 6);
  guint16 filtered_port;
  int fillers[16];
  int filtered = porthole_test_full_listener ("127.0.0.1", &filtered_port, fillers,
                                              G_N_ELEMENTS (fillers));
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_SEND, hello);
  g_autoptr(PortholeProbe) probe = probe_for ("127.0.0.1", filtered_port);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  Cycle first = { 0 };
  Run second;
  guint n;

  porthole_probe_run_async (probe, NULL, on_cycle_done, &first);
  porthole_test_spin (20);
  porthole_probe_cancel (probe);
  porthole_probe_set_target (probe, target);
  ck_assert_int_eq (run_probe (probe, &second, 10000), PORTHOLE_PROBE_STATUS_OPEN);
  g_signal_connect (probe, "step", G_CALLBACK (on_cycle_step), &first);
  first.cancelled = TRUE;   /* from here on, any signal comes from the first run */
  for (guint i = 0; i < 200 && first.callbacks == 0; i++)
    porthole_test_spin (10);
  porthole_test_spin (50);
  ck_assert_uint_eq (first.callbacks, 1);
  ck_assert (first.got_cancelled);
  ck_assert_uint_eq (first.after_cancel, 0);
  /* The second run's results stand */
  ck_assert_int_eq (porthole_probe_get_status (probe), PORTHOLE_PROBE_STATUS_OPEN);
  ck_assert_uint_eq (porthole_probe_get_remote_port (probe), peer->port);
  ck_assert_str_eq (porthole_probe_get_banner (probe), "hello\n");
  porthole_probe_get_attempts (probe, &n);
  ck_assert_uint_eq (n, 1);
  ck_assert (has_step (&second, PORTHOLE_PROBE_STEP_FINISHED));
  g_signal_handlers_disconnect_by_data (probe, &first);
  run_clear (&second);
  porthole_test_peer_stop (peer);
  porthole_test_close_all (filtered, fillers, G_N_ELEMENTS (fillers));
}
END_TEST

static Suite *
probe_suite (void)
{
  Suite *s = suite_create ("probe");
  TCase *tc = tcase_create ("probe");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_open_banner_and_tuple);
  tcase_add_test (tc, test_ipv6);
  tcase_add_test (tc, test_closed);
  tcase_add_test (tc, test_filtered);
  tcase_add_test (tc, test_dns_error);
  tcase_add_test (tc, test_bad_target);
  tcase_add_test (tc, test_junk_peer);
  tcase_add_test (tc, test_silent_peer);
  tcase_add_test (tc, test_drip_peer);
  tcase_add_test (tc, test_udp);
  tcase_add_test (tc, test_cancel_cycles);
  tcase_add_test (tc, test_cancel_then_rerun);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (probe_suite)
