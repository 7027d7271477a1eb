/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-scan"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-peer.h"
#include "porthole-test-sockets.h"
#include "porthole-net-error.h"
#include "porthole-scan.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Scans across port ranges run in a forked child inside a private network namespace: there
 * the only listeners are the ones the test opens. The child reports through its exit status
 * and a message pipe. */

#define N_LISTENERS 5

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
  guint    progress_notes;
  double   last_progress;
  gboolean progress_ordered;
} Wait;

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->ok = porthole_scan_run_finish (PORTHOLE_SCAN (source), result, &wait->error);
  wait->done = TRUE;
}

static void
on_progress (PortholeScan *scan, GParamSpec *pspec, gpointer data)
{
  Wait *wait = data;
  double progress = porthole_scan_get_progress (scan);

  if (progress < wait->last_progress)
    wait->progress_ordered = FALSE;
  wait->last_progress = progress;
  wait->progress_notes++;
}

static gboolean
run_scan (PortholeScan *scan, Wait *wait, guint limit_ms)
{
  memset (wait, 0, sizeof *wait);
  wait->progress_ordered = TRUE;
  g_signal_connect (scan, "notify::progress", G_CALLBACK (on_progress), wait);
  porthole_scan_run_async (scan, NULL, on_done, wait);
  if (!porthole_test_wait_for (&wait->done, limit_ms))
    return FALSE;
  g_signal_handlers_disconnect_by_data (scan, wait);
  return TRUE;
}

#define CHILD_FAIL(fd, ...) G_STMT_START { dprintf (fd, __VA_ARGS__); return 1; } G_STMT_END

static int
full_scan_child (int fd, gpointer data)
{
  g_autofree char *reason = NULL;
  g_autoptr(PortholeScan) scan = NULL;
  GListModel *results;
  int listeners[N_LISTENERS];
  guint16 ports[N_LISTENERS];
  Wait wait;

  if (!porthole_test_enter_netns (&reason))
    CHILD_FAIL (fd, "netns: %s", reason);
  for (guint i = 0; i < N_LISTENERS; i++)
    listeners[i] = porthole_test_listener ("127.0.0.1", &ports[i], 16);

  scan = porthole_scan_new ("127.0.0.1", "1-65535");
  if (!run_scan (scan, &wait, 60000))
    CHILD_FAIL (fd, "the scan did not finish within 60 s");
  if (!wait.ok)
    CHILD_FAIL (fd, "scan failed: %s", wait.error->message);

  results = porthole_scan_get_results (scan);
  if (g_list_model_get_n_items (results) != N_LISTENERS)
    CHILD_FAIL (fd, "%u open ports, expected %d", g_list_model_get_n_items (results), N_LISTENERS);
  for (guint i = 0; i < N_LISTENERS; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < N_LISTENERS; j++)
        {
          g_autoptr(PortholeScanResult) r = g_list_model_get_item (results, j);
          found |= porthole_scan_result_get_port (r) == ports[i];
        }
      if (!found)
        CHILD_FAIL (fd, "listener %u not found", ports[i]);
    }
  for (guint j = 1; j < N_LISTENERS; j++)
    {
      g_autoptr(PortholeScanResult) a = g_list_model_get_item (results, j - 1);
      g_autoptr(PortholeScanResult) b = g_list_model_get_item (results, j);
      if (porthole_scan_result_get_port (a) >= porthole_scan_result_get_port (b))
        CHILD_FAIL (fd, "results not sorted by port");
    }
  if (porthole_scan_get_ports_done (scan) != 65535 ||
      porthole_scan_get_ports_total (scan) != 65535 ||
      porthole_scan_get_open_count (scan) != N_LISTENERS ||
      porthole_scan_get_closed_count (scan) != 65535 - N_LISTENERS ||
      porthole_scan_get_filtered_count (scan) != 0 || porthole_scan_get_progress (scan) != 1.0)
    CHILD_FAIL (fd, "counts: done %u open %u closed %u filtered %u progress %g",
                porthole_scan_get_ports_done (scan), porthole_scan_get_open_count (scan),
                porthole_scan_get_closed_count (scan), porthole_scan_get_filtered_count (scan),
                porthole_scan_get_progress (scan));
  /* Notifications are throttled (one per 80 ms tick at most, plus the last) and only grow */
  if (!wait.progress_ordered || wait.progress_notes < 1 ||
      wait.progress_notes > porthole_scan_get_elapsed_ms (scan) / 80 + 3)
    CHILD_FAIL (fd, "%u progress notifications in %.0f ms", wait.progress_notes,
                porthole_scan_get_elapsed_ms (scan));
  if (porthole_scan_get_running (scan) || g_strcmp0 (porthole_scan_get_address (scan), "127.0.0.1"))
    CHILD_FAIL (fd, "state after the scan");
  dprintf (fd, "%.0f ms", porthole_scan_get_elapsed_ms (scan));
  for (guint i = 0; i < N_LISTENERS; i++)
    close (listeners[i]);
  return 0;
}

START_TEST (test_full_scan_in_netns)
{
  g_autofree char *message = NULL;
  int status = porthole_test_run_forked (full_scan_child, NULL, &message);

  ck_assert_msg (status == 0, "full scan: %s", message);
  fprintf (stderr, "# full 1-65535 scan in a private netns: %s\n", message);
}
END_TEST

static int
filtered_and_rate_child (int fd, gpointer data)
{
  g_autofree char *reason = NULL;
  g_autoptr(PortholeScan) scan = NULL;
  g_autofree char *list = NULL;
  int fillers[16];
  guint16 full_port, open_port;
  int full, open;
  Wait wait;

  if (!porthole_test_enter_netns (&reason))
    CHILD_FAIL (fd, "netns: %s", reason);
  full = porthole_test_full_listener ("127.0.0.1", &full_port, fillers, G_N_ELEMENTS (fillers));
  open = porthole_test_listener ("127.0.0.1", &open_port, 16);

  /* A listener whose queue is full drops the SYN: filtered once the timeout passes */
  list = g_strdup_printf ("%u,%u", full_port, open_port);
  scan = porthole_scan_new ("localhost", list);
  porthole_scan_set_timeout_ms (scan, 300);
  if (!run_scan (scan, &wait, 10000) || !wait.ok)
    CHILD_FAIL (fd, "filtered scan did not finish");
  if (porthole_scan_get_filtered_count (scan) != 1 || porthole_scan_get_open_count (scan) != 1 ||
      porthole_scan_get_elapsed_ms (scan) < 290)
    CHILD_FAIL (fd, "filtered %u open %u in %.0f ms", porthole_scan_get_filtered_count (scan),
                porthole_scan_get_open_count (scan), porthole_scan_get_elapsed_ms (scan));
  /* "localhost" prefers IPv4, where the listeners are */
  if (g_strcmp0 (porthole_scan_get_address (scan), "127.0.0.1") != 0)
    CHILD_FAIL (fd, "scanned %s", porthole_scan_get_address (scan));

  /* The rate cap: 300 ports at 1000 per second take at least ~0.3 s */
  porthole_scan_set_host (scan, "127.0.0.1");
  porthole_scan_set_ports (scan, "10001-10300");
  porthole_scan_set_rate (scan, 1000);
  if (!run_scan (scan, &wait, 10000) || !wait.ok)
    CHILD_FAIL (fd, "rate-capped scan did not finish");
  if (porthole_scan_get_elapsed_ms (scan) < 280 || porthole_scan_get_closed_count (scan) != 300)
    CHILD_FAIL (fd, "rate cap: %u closed in %.0f ms", porthole_scan_get_closed_count (scan),
                porthole_scan_get_elapsed_ms (scan));
  porthole_test_close_all (full, fillers, G_N_ELEMENTS (fillers));
  close (open);
  return 0;
}

START_TEST (test_filtered_and_rate)
{
  g_autofree char *message = NULL;
  int status = porthole_test_run_forked (filtered_and_rate_child, NULL, &message);

  ck_assert_msg (status == 0, "%s", message);
}
END_TEST

/* Nothing here sends a packet: the checks come before any connection */
START_TEST (test_refusals)
{
  static const struct { const char *host; const char *ports; gboolean unconfirmed; } cases[] = {
    { "192.0.2.1", "1-10", TRUE },
    { "2001:db8::1", "22", TRUE },
    { "[2001:db8::1]", "22", TRUE },
    { "::1:22", "1", TRUE },        /* the address ::0.1.0.34, not loopback */
    { "127.0.0.1", "0-70000", FALSE },
    { "127.0.0.1", "5-1", FALSE },
    { "127.0.0.1", "80,,81", FALSE },
    { "", "1-10", FALSE },
    { "bad/host", "1-10", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PortholeScan) scan = porthole_scan_new (cases[i].host, cases[i].ports);
      Wait wait;

      ck_assert (run_scan (scan, &wait, 5000));
      ck_assert_msg (!wait.ok && wait.error != NULL, "case %zu accepted", i);
      if (cases[i].unconfirmed)
        ck_assert (g_error_matches (wait.error, PORTHOLE_SCAN_ERROR,
                                    PORTHOLE_SCAN_ERROR_NOT_CONFIRMED));
      else
        ck_assert (g_error_matches (wait.error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      ck_assert (!porthole_scan_get_running (scan));
      ck_assert_uint_eq (porthole_scan_get_ports_done (scan), 0);
      g_clear_error (&wait.error);
    }
}
END_TEST

/* 200 start/cancel cycles at random moments */

typedef struct {
  gboolean cancelled;
  guint    after_cancel;
  guint    callbacks;
  gboolean got_cancelled;
} Cycle;

static void
on_cycle_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  Cycle *cycle = data;

  if (cycle->cancelled)
    cycle->after_cancel++;
}

static void
on_cycle_items (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  Cycle *cycle = data;

  /* Emptying the list at the next start is not "after cancel" */
  if (cycle->cancelled && added > 0)
    cycle->after_cancel++;
}

static void
on_cycle_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Cycle *cycle = data;
  g_autoptr(GError) error = NULL;

  porthole_scan_run_finish (PORTHOLE_SCAN (source), result, &error);
  cycle->callbacks++;
  cycle->got_cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static int
cancel_cycles_child (int fd, gpointer data)
{
  g_autofree char *reason = NULL;
  guint16 port;
  int listener;
  guint fds_before, cancelled = 0;

  if (!porthole_test_enter_netns (&reason))
    CHILD_FAIL (fd, "netns: %s", reason);
  listener = porthole_test_listener ("127.0.0.1", &port, 4096);
  {
    /* Warm up the thread pool and whatever GLib keeps for the process */
    g_autoptr(PortholeScan) warm = porthole_scan_new ("127.0.0.1", "1-100");
    Wait wait;
    run_scan (warm, &wait, 5000);
  }
  fds_before = porthole_test_count_fds ();

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GCancellable) external = g_cancellable_new ();
      PortholeScan *scan = porthole_scan_new (i % 3 ? "127.0.0.1" : "localhost", "1-65535");
      Cycle cycle = { 0 };

      porthole_scan_set_concurrency (scan, 1 + g_random_int_range (0, 2000));
      g_signal_connect (scan, "notify", G_CALLBACK (on_cycle_notify), &cycle);
      g_signal_connect (porthole_scan_get_results (scan), "items-changed",
                        G_CALLBACK (on_cycle_items), &cycle);
      porthole_scan_run_async (scan, i % 2 ? external : NULL, on_cycle_done, &cycle);
      porthole_test_spin (g_random_int_range (0, 120));
      if (cycle.callbacks == 0)
        {
          if (i % 2)
            g_cancellable_cancel (external);
          else
            porthole_scan_cancel (scan);
          cycle.cancelled = TRUE;
          cancelled++;
        }
      if (i % 5 == 0)
        {
          /* The last reference dropped while the threads wind down */
          g_signal_handlers_disconnect_by_data (porthole_scan_get_results (scan), &cycle);
          g_clear_object (&scan);
        }
      for (guint spins = 0; cycle.callbacks == 0 && spins < 1000; spins++)
        porthole_test_spin (10);
      porthole_test_spin (5);
      if (cycle.callbacks != 1)
        CHILD_FAIL (fd, "cycle %u: %u callbacks", i, cycle.callbacks);
      if (cycle.after_cancel != 0)
        CHILD_FAIL (fd, "cycle %u: %u signals after cancel", i, cycle.after_cancel);
      if (cycle.cancelled && !cycle.got_cancelled)
        CHILD_FAIL (fd, "cycle %u: cancelled but no G_IO_ERROR_CANCELLED", i);
      if (scan != NULL)
        {
          if (porthole_scan_get_running (scan))
            CHILD_FAIL (fd, "cycle %u: still running", i);
          g_signal_handlers_disconnect_by_data (porthole_scan_get_results (scan), &cycle);
          g_signal_handlers_disconnect_by_data (scan, &cycle);
          g_object_unref (scan);
        }
    }
  porthole_test_spin (200);
  if (porthole_test_count_fds () != fds_before)
    CHILD_FAIL (fd, "%u descriptors open before, %u after", fds_before, porthole_test_count_fds ());
  if (cancelled < 100)
    CHILD_FAIL (fd, "only %u of 200 cycles were cancelled mid-way", cancelled);
  dprintf (fd, "%u cancelled mid-way", cancelled);
  close (listener);
  return 0;
}

/* Cancel, then scan again at once: the first run's threads wind down while the second runs;
 * the second's results and counts are its own */
static int
rerun_child (int fd, gpointer data)
{
  g_autofree char *reason = NULL;
  g_autoptr(PortholeScan) scan = NULL;
  g_autofree char *ports = NULL;
  g_autoptr(PortholeScanResult) only = NULL;
  guint16 port;
  int listener;
  Cycle first = { 0 };
  Wait second;

  if (!porthole_test_enter_netns (&reason))
    CHILD_FAIL (fd, "netns: %s", reason);
  listener = porthole_test_listener ("127.0.0.1", &port, 16);
  scan = porthole_scan_new ("127.0.0.1", "1-65535");
  porthole_scan_run_async (scan, NULL, on_cycle_done, &first);
  porthole_test_spin (30);
  porthole_scan_cancel (scan);
  ports = g_strdup_printf ("%u-%u", port - 50, port + 50);
  porthole_scan_set_ports (scan, ports);
  if (!run_scan (scan, &second, 10000) || !second.ok)
    CHILD_FAIL (fd, "the second scan failed");
  for (guint i = 0; i < 200 && first.callbacks == 0; i++)
    porthole_test_spin (10);
  if (first.callbacks != 1 || !first.got_cancelled)
    CHILD_FAIL (fd, "first run: %u callbacks, cancelled %d", first.callbacks, first.got_cancelled);
  if (porthole_scan_get_ports_done (scan) != 101 || porthole_scan_get_closed_count (scan) != 100 ||
      g_list_model_get_n_items (porthole_scan_get_results (scan)) != 1)
    CHILD_FAIL (fd, "second run: done %u closed %u open %u", porthole_scan_get_ports_done (scan),
                porthole_scan_get_closed_count (scan),
                g_list_model_get_n_items (porthole_scan_get_results (scan)));
  only = g_list_model_get_item (porthole_scan_get_results (scan), 0);
  if (porthole_scan_result_get_port (only) != port)
    CHILD_FAIL (fd, "found %u, listening on %u", porthole_scan_result_get_port (only), port);
  porthole_test_spin (200);
  if (porthole_scan_get_ports_done (scan) != 101 || porthole_scan_get_running (scan))
    CHILD_FAIL (fd, "the first run touched the second's state");
  close (listener);
  return 0;
}

START_TEST (test_cancel_then_rerun)
{
  g_autofree char *message = NULL;
  int status = porthole_test_run_forked (rerun_child, NULL, &message);

  ck_assert_msg (status == 0, "%s", message);
}
END_TEST

START_TEST (test_cancel_cycles)
{
  g_autofree char *message = NULL;
  int status = porthole_test_run_forked (cancel_cycles_child, NULL, &message);

  ck_assert_msg (status == 0, "%s", message);
}
END_TEST

static Suite *
scan_suite (void)
{
  Suite *s = suite_create ("scan");
  TCase *tc = tcase_create ("scan");

  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_full_scan_in_netns);
  tcase_add_test (tc, test_filtered_and_rate);
  tcase_add_test (tc, test_refusals);
  tcase_add_test (tc, test_cancel_cycles);
  tcase_add_test (tc, test_cancel_then_rerun);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (scan_suite)
