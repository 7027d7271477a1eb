/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-process-details"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sockets.h"

#include "porthole-escape.h"
#include "porthole-procmap.h"
#include "porthole-socket-monitor.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* porthole_socket_monitor_read_process_async(): on a real forked child (seen through the
 * real /proc, in a private network namespace so the monitor lists only our sockets), and on a
 * proc tree the test builds itself, which proves the monitor's proc-root is the only place
 * read. */

/* Above any pid_max (at most 2^22): no real process has it, so whatever is read about it came
 * from the fixture */
#define FAKE_PID 5000000
#define FAKE_INODE 4242
#define FAKE_START 31337

typedef struct {
  gboolean                done;
  PortholeProcessDetails *details;
  GError                 *error;
} Read;

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error),
                 "refresh failed: %s", error ? error->message : "?");
  *(gboolean *) data = TRUE;
}

static void
refresh (PortholeSocketMonitor *monitor)
{
  gboolean done = FALSE;

  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done);
  ck_assert_msg (porthole_test_wait_for (&done, 10000), "refresh did not finish");
}

static PortholeSocket *
find (PortholeSocketMonitor *monitor, guint64 inode)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (monitor));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (monitor), i);

      if (porthole_socket_get_inode (s) == inode)
        return s;   /* the monitor keeps its own reference */
    }
  return NULL;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Read *r = data;

  ck_assert_ptr_eq (g_task_get_source_tag (G_TASK (result)), porthole_socket_monitor_read_process_async);
  r->details = porthole_socket_monitor_read_process_finish (PORTHOLE_SOCKET_MONITOR (source), result, &r->error);
  r->done = TRUE;
}

static PortholeProcessDetails *
read_process (PortholeSocketMonitor *monitor, PortholeSocket *socket)
{
  Read r = { 0 };

  porthole_socket_monitor_read_process_async (monitor, socket, NULL, on_read, &r);
  ck_assert_msg (porthole_test_wait_for (&r.done, 10000), "read_process did not finish");
  ck_assert_msg (r.error == NULL, "read_process failed: %s", r.error->message);
  ck_assert_ptr_nonnull (r.details);
  return r.details;
}

static char *
escaped_or_null (char *raw)
{
  g_autofree char *owned = raw;

  return owned ? porthole_escape_text (owned, -1, FALSE) : NULL;
}

START_TEST (test_live_child)
{
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholeProcessDetails) details = NULL;
  g_autoptr(PortholeProcessDetails) mine = NULL;
  g_autoptr(PortholeProcessDetails) after = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *unit = NULL;
  PortholeTestSockets child;
  pid_t child_pid;
  PortholeSocket *s, *own;
  struct sockaddr_in sin = { .sin_family = AF_INET };
  struct stat st;
  int fd;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  ck_assert_msg (porthole_test_sockets_spawn (&child, "porthole-kid", &reason), "%s", reason);
  /* One socket of our own, opened after the fork so the child does not share it */
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  inet_pton (AF_INET, "127.0.0.1", &sin.sin_addr);
  ck_assert (fd >= 0 && bind (fd, (struct sockaddr *) &sin, sizeof sin) == 0 && fstat (fd, &st) == 0);

  monitor = porthole_socket_monitor_new ();
  refresh (monitor);
  s = find (monitor, child.tcp4_inode);
  ck_assert_ptr_nonnull (s);
  ck_assert_int_eq (porthole_socket_get_pid (s), child.pid);
  ck_assert_str_eq (porthole_socket_get_process (s), "porthole-kid");

  details = read_process (monitor, s);
  ck_assert_int_eq (details->pid, child.pid);
  ck_assert (!details->gone);
  /* forked without exec: the child runs this test's program (read from outside: valgrind
   * shows a process its own /proc/self/cmdline without valgrind's arguments) */
  cmdline = escaped_or_null (porthole_proc_read_cmdline (NULL, child.pid));
  ck_assert_ptr_nonnull (details->cmdline);
  ck_assert_ptr_nonnull (strstr (details->cmdline, "/test-process-details"));
  ck_assert_str_eq (details->cmdline, cmdline);
  unit = escaped_or_null (porthole_proc_read_systemd_unit (NULL, child.pid));
  ck_assert_msg (g_strcmp0 (details->unit, unit) == 0, "unit %s, expected %s", details->unit, unit);
  ck_assert_int_eq (details->uid, geteuid ());
  ck_assert (details->can_end);
  ck_assert_uint_gt (details->start_time, 0);
  ck_assert_uint_eq (details->start_time, porthole_proc_read_start_time (NULL, child.pid));
  ck_assert_uint_ge (details->start_time, porthole_proc_read_start_time (NULL, getpid ()));

  /* Our own socket: ours, but Porthole never offers to end itself */
  own = find (monitor, st.st_ino);
  ck_assert_ptr_nonnull (own);
  mine = read_process (monitor, own);
  ck_assert_int_eq (mine->pid, getpid ());
  ck_assert (!mine->gone);
  ck_assert (!mine->can_end);
  ck_assert_int_eq (mine->uid, geteuid ());

  /* The child exits and is reaped: the row still names its pid, which now names nothing */
  child_pid = child.pid;
  porthole_test_sockets_release (&child);
  after = read_process (monitor, s);
  ck_assert_int_eq (after->pid, child_pid);
  ck_assert (after->gone);
  ck_assert (!after->can_end);
  ck_assert_ptr_null (after->cmdline);
  ck_assert_ptr_null (after->unit);
  ck_assert_uint_eq (after->start_time, 0);
  ck_assert_int_eq (after->uid, -1);
  close (fd);
}
END_TEST

/* ---- a proc tree of our own ------------------------------------------------------------- */

static void
write_file (const char *root, const char *name, const char *contents, gssize len)
{
  g_autofree char *path = g_build_filename (root, name, NULL);
  g_autoptr(GError) error = NULL;

  ck_assert_msg (g_file_set_contents (path, contents, len, &error), "%s: %s", path, error ? error->message : "");
}

static void
write_pid_file (const char *root, const char *name, const char *contents, gssize len)
{
  g_autofree char *rel = g_strdup_printf ("%d/%s", FAKE_PID, name);

  write_file (root, rel, contents, len);
}

static void
write_status (const char *root, guint uid)
{
  g_autofree char *status = g_strdup_printf ("Name:\tfake\nUmask:\t0022\nState:\tS (sleeping)\n"
                                             "Uid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\n",
                                             uid, uid, uid, uid);

  write_pid_file (root, "status", status, -1);
}

static void
write_stat (const char *root, char state)
{
  /* the name holds ") " as a hostile one may: fields count from the last ')' */
  g_autofree char *stat = g_strdup_printf ("%d (fake) prog) %c 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 "
                                           "20 0 1 0 %d 1000 100\n", FAKE_PID, state, FAKE_START);

  write_pid_file (root, "stat", stat, -1);
}

static void
set_holds_socket (const char *root, gboolean holds)
{
  g_autofree char *link = g_strdup_printf ("%s/%d/fd/3", root, FAKE_PID);

  g_unlink (link);
  if (holds)
    ck_assert_int_eq (symlink ("socket:[4242]", link), 0);
}

static char *
make_proc_root (void)
{
  char *root = g_dir_make_tmp ("porthole-proc-XXXXXX", NULL);
  g_autofree char *fd_dir = NULL;
  g_autofree char *net_dir = NULL;
  g_autofree char *tcp = NULL;
  static const char header[] = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
                               "retrnsmt   uid  timeout inode\n";
  /* a control sequence, NULs between arguments, a bidi override, a bell, a stray byte */
  static const char cmdline[] = "fake\x1b[2J\0--title=\xe2\x80\xae\x07" "evil\0\xff\0";
  static const char cgroup[] = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
                               "app-\x1b]0;x\x07.scope\n";

  ck_assert_ptr_nonnull (root);
  fd_dir = g_strdup_printf ("%s/%d/fd", root, FAKE_PID);
  ck_assert_int_eq (g_mkdir_with_parents (fd_dir, 0700), 0);
  net_dir = g_build_filename (root, "net", NULL);
  ck_assert_int_eq (g_mkdir_with_parents (net_dir, 0700), 0);

  /* 127.0.0.1:8080 listening, held by FAKE_PID; a TIME_WAIT row that no process holds */
  tcp = g_strdup_printf ("%s"
                         "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 "
                         "00000000 %5u        0 %d 1 0000000000000000 100 0 0 10 0\n"
                         "   1: 0100007F:1F90 0100007F:D431 06 00000000:00000000 03:00001770 "
                         "00000000     0        0 0 3 0000000000000000\n",
                         header, geteuid (), FAKE_INODE);
  write_file (root, "net/tcp", tcp, -1);
  write_file (root, "net/udp", header, -1);

  write_pid_file (root, "cmdline", cmdline, sizeof cmdline - 1);
  write_pid_file (root, "comm", "fake\tprog\n", -1);
  write_pid_file (root, "cgroup", cgroup, -1);
  write_status (root, geteuid ());
  write_stat (root, 'S');
  set_holds_socket (root, TRUE);
  return root;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static PortholeSocketMonitor *
fixture_monitor (const char *root)
{
  PortholeSocketMonitor *monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR,
                                                 "proc-root", root, "force-proc", TRUE, NULL);

  refresh (monitor);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (monitor)), 2);
  return monitor;
}

START_TEST (test_fixture_proc_root)
{
  g_autofree char *root = make_proc_root ();
  g_autoptr(PortholeSocketMonitor) monitor = fixture_monitor (root);
  PortholeSocket *s = find (monitor, FAKE_INODE);
  PortholeSocket *waiting = find (monitor, 0);
  PortholeProcessDetails *details;
  PortholeProcessDetails *copy;

  ck_assert_ptr_nonnull (s);
  ck_assert_int_eq (porthole_socket_get_pid (s), FAKE_PID);
  ck_assert_str_eq (porthole_socket_get_process (s), "fake\\tprog");

  details = read_process (monitor, s);
  ck_assert_int_eq (details->pid, FAKE_PID);
  ck_assert (!details->gone);
  ck_assert_str_eq (details->cmdline, "fake\\x1b[2J --title=\\u{202E}\\x07evil \\xff");
  ck_assert_str_eq (details->unit, "app-\\x1b]0;x\\x07.scope");
  ck_assert_int_eq (details->uid, geteuid ());
  ck_assert_uint_eq (details->start_time, FAKE_START);
  ck_assert (details->can_end);

  /* A boxed type: copies are deep */
  copy = g_boxed_copy (PORTHOLE_TYPE_PROCESS_DETAILS, details);
  porthole_process_details_free (details);
  ck_assert_str_eq (copy->cmdline, "fake\\x1b[2J --title=\\u{202E}\\x07evil \\xff");
  ck_assert_str_eq (copy->unit, "app-\\x1b]0;x\\x07.scope");
  ck_assert_uint_eq (copy->start_time, FAKE_START);
  g_boxed_free (PORTHOLE_TYPE_PROCESS_DETAILS, copy);

  /* Another user's process may not be ended */
  write_status (root, geteuid () == 0 ? 65534 : 0);
  details = read_process (monitor, s);
  ck_assert (!details->gone);
  ck_assert (!details->can_end);
  ck_assert_int_eq (details->uid, geteuid () == 0 ? 65534 : 0);
  porthole_process_details_free (details);
  write_status (root, geteuid ());

  /* It renamed itself but still holds the socket: the same program */
  write_pid_file (root, "comm", "renamed\n", -1);
  details = read_process (monitor, s);
  ck_assert (!details->gone);
  ck_assert (details->can_end);
  porthole_process_details_free (details);

  /* Holds neither the socket nor the name: the pid names another program now */
  set_holds_socket (root, FALSE);
  details = read_process (monitor, s);
  ck_assert (details->gone);
  ck_assert (!details->can_end);
  ck_assert_ptr_null (details->cmdline);
  ck_assert_ptr_null (details->unit);
  ck_assert_uint_eq (details->start_time, 0);
  porthole_process_details_free (details);

  /* Closed the socket but keeps the name the row shows: still that program */
  write_pid_file (root, "comm", "fake\tprog\n", -1);
  details = read_process (monitor, s);
  ck_assert (!details->gone);
  ck_assert_str_eq (details->cmdline, "fake\\x1b[2J --title=\\u{202E}\\x07evil \\xff");
  porthole_process_details_free (details);

  /* Exited and not reaped yet: a zombie's name proves nothing, it is gone */
  write_stat (root, 'Z');
  details = read_process (monitor, s);
  ck_assert (details->gone);
  ck_assert (!details->can_end);
  porthole_process_details_free (details);

  /* No process holds a TIME_WAIT socket: nothing to read */
  ck_assert_ptr_nonnull (waiting);
  ck_assert_int_eq (porthole_socket_get_owner_status (waiting), PORTHOLE_OWNER_NO_PROCESS);
  details = read_process (monitor, waiting);
  ck_assert_int_eq (details->pid, 0);
  ck_assert (!details->gone);
  ck_assert (!details->can_end);
  ck_assert_ptr_null (details->cmdline);
  ck_assert_int_eq (details->uid, -1);
  porthole_process_details_free (details);

  remove_tree (root);
}
END_TEST

START_TEST (test_cancelled)
{
  g_autofree char *root = make_proc_root ();
  g_autoptr(PortholeSocketMonitor) monitor = fixture_monitor (root);
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) after = g_cancellable_new ();
  PortholeSocket *s = find (monitor, FAKE_INODE);
  Read r1 = { 0 }, r2 = { 0 };

  /* Cancelled before it starts, and right after: either way the caller hears CANCELLED */
  g_cancellable_cancel (before);
  porthole_socket_monitor_read_process_async (monitor, s, before, on_read, &r1);
  porthole_socket_monitor_read_process_async (monitor, s, after, on_read, &r2);
  g_cancellable_cancel (after);
  ck_assert (porthole_test_wait_for (&r1.done, 10000));
  ck_assert (porthole_test_wait_for (&r2.done, 10000));
  ck_assert_ptr_null (r1.details);
  ck_assert_ptr_null (r2.details);
  ck_assert_msg (g_error_matches (r1.error, G_IO_ERROR, G_IO_ERROR_CANCELLED), "%s",
                 r1.error ? r1.error->message : "no error");
  ck_assert_msg (g_error_matches (r2.error, G_IO_ERROR, G_IO_ERROR_CANCELLED), "%s",
                 r2.error ? r2.error->message : "no error");
  g_error_free (r1.error);
  g_error_free (r2.error);
  remove_tree (root);
}
END_TEST

static Suite *
process_details_suite (void)
{
  Suite *s = suite_create ("process-details");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_live_child);
  tcase_add_test (tc, test_fixture_proc_root);
  tcase_add_test (tc, test_cancelled);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (process_details_suite)
