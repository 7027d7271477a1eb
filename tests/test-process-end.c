/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-process-end"
#include "config.h"

#include "porthole-test.h"
#include "porthole-process-end.h"
#include "porthole-procmap.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* Real children, real signals: each test forks a sleeper and ends it through the monitor. */

/* Returns once the child has set its SIGTERM disposition (it says so through a pipe) */
static pid_t
spawn_sleeper (gboolean ignore_term)
{
  int ready[2];
  char byte;
  pid_t pid;

  ck_assert_int_eq (pipe (ready), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      /* Check's runner forwards SIGTERM to the whole process group: not ours to inherit */
      signal (SIGTERM, ignore_term ? SIG_IGN : SIG_DFL);
      close (ready[0]);
      if (write (ready[1], "r", 1) != 1)
        _exit (1);
      close (ready[1]);
      for (int i = 0; i < 600; i++)    /* bounded: a minute at most */
        usleep (100 * 1000);
      _exit (0);
    }
  close (ready[1]);
  ck_assert_int_eq (read (ready[0], &byte, 1), 1);
  close (ready[0]);
  return pid;
}

/* The child has left /proc/<pid>/stat's running states once its parent reaps it; reap in
 * the background so the monitor sees it go, as it would for a real program. */
static gpointer
reaper (gpointer data)
{
  waitpid (GPOINTER_TO_INT (data), NULL, 0);
  return NULL;
}

typedef struct {
  gboolean           done;
  PortholeEndOutcome outcome;
  GError            *error;
} Result;

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Result *r = data;

  r->outcome = porthole_socket_monitor_end_process_finish (PORTHOLE_SOCKET_MONITOR (source), result, &r->error);
  r->done = TRUE;
}

static Result
end_process (PortholeSocketMonitor *monitor, pid_t pid, guint64 start, int signo, guint grace_ms,
             GCancellable *cancellable)
{
  Result r = { FALSE, 0, NULL };

  porthole_socket_monitor_end_process_async (monitor, pid, start, signo, grace_ms, cancellable, on_done, &r);
  ck_assert (porthole_test_wait_for (&r.done, 20000));
  return r;
}

static PortholeSocketMonitor *
new_monitor (void)
{
  return g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, NULL);
}

START_TEST (test_end_and_force)
{
  g_autoptr(PortholeSocketMonitor) monitor = new_monitor ();
  pid_t polite = spawn_sleeper (FALSE);
  pid_t defiant = spawn_sleeper (TRUE);
  guint64 polite_start = porthole_proc_read_start_time ("/proc", polite);
  guint64 defiant_start = porthole_proc_read_start_time ("/proc", defiant);
  GThread *t1 = g_thread_new ("reap", reaper, GINT_TO_POINTER (polite));
  GThread *t2 = g_thread_new ("reap", reaper, GINT_TO_POINTER (defiant));
  Result r;

  ck_assert_uint_ne (polite_start, 0);
  r = end_process (monitor, polite, polite_start, SIGTERM, 3000, NULL);
  ck_assert_ptr_null (r.error);
  ck_assert_int_eq (r.outcome, PORTHOLE_END_ENDED);
  ck_assert_uint_eq (porthole_proc_read_start_time ("/proc", polite), 0);

  /* SIGTERM ignored: still running after the grace time, then SIGKILL ends it */
  r = end_process (monitor, defiant, defiant_start, SIGTERM, 300, NULL);
  ck_assert_ptr_null (r.error);
  ck_assert_int_eq (r.outcome, PORTHOLE_END_STILL_RUNNING);
  ck_assert_uint_eq (porthole_proc_read_start_time ("/proc", defiant), defiant_start);
  r = end_process (monitor, defiant, defiant_start, SIGKILL, 3000, NULL);
  ck_assert_int_eq (r.outcome, PORTHOLE_END_ENDED);

  /* Ended already: nothing is signalled */
  r = end_process (monitor, polite, polite_start, SIGTERM, 300, NULL);
  ck_assert_int_eq (r.outcome, PORTHOLE_END_ALREADY_GONE);
  g_thread_join (t1);
  g_thread_join (t2);
}
END_TEST

START_TEST (test_reused_pid_is_spared)
{
  g_autoptr(PortholeSocketMonitor) monitor = new_monitor ();
  pid_t pid = spawn_sleeper (FALSE);
  guint64 start = porthole_proc_read_start_time ("/proc", pid);
  Result r;
  int status;

  /* A start time that is not this process's: the pid now names another program */
  r = end_process (monitor, pid, start + 1, SIGTERM, 300, NULL);
  ck_assert_int_eq (r.outcome, PORTHOLE_END_ALREADY_GONE);
  ck_assert_int_eq (waitpid (pid, &status, WNOHANG), 0);   /* still running, unharmed */
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}
END_TEST

START_TEST (test_cancel)
{
  g_autoptr(PortholeSocketMonitor) monitor = new_monitor ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  pid_t pid = spawn_sleeper (TRUE);
  guint64 start = porthole_proc_read_start_time ("/proc", pid);
  gint64 began = g_get_monotonic_time ();
  Result r = { FALSE, 0, NULL };
  int status;

  porthole_socket_monitor_end_process_async (monitor, pid, start, SIGTERM, 20000, cancellable, on_done, &r);
  porthole_test_spin (200);
  g_cancellable_cancel (cancellable);
  ck_assert (porthole_test_wait_for (&r.done, 5000));
  ck_assert (g_error_matches (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  ck_assert_int_lt (g_get_monotonic_time () - began, 10 * G_USEC_PER_SEC);
  g_clear_error (&r.error);
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}
END_TEST

static Suite *
process_end_suite (void)
{
  Suite *s = suite_create ("process-end");
  TCase *tc = tcase_create ("process-end");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_end_and_force);
  tcase_add_test (tc, test_reused_pid_is_spared);
  tcase_add_test (tc, test_cancel);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (process_end_suite)
