/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-recorder"
#include "config.h"

#include "porthole-journal.h"
#include "porthole-recorder.h"
#include "porthole-test.h"
#include "porthole-test-mounts.h"
#include "porthole-test-peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* PortholeRecorder over a real monitor in a private network namespace: what it writes for
 * real listeners and processes, one writer among two recorders, bad places, and
 * `porthole-cli record` killed with SIGKILL at random points while 1,000 listeners churn. */

static void
enter_netns (void)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "%s", reason);
}

static char *
temp_journal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("porthole-recorder-XXXXXX", &error);

  ck_assert_msg (dir != NULL, "%s", error ? error->message : "");
  return g_build_filename (dir, "journal.sqlite3", NULL);
}

typedef struct {
  guint64 batches;
} Seen;

static void
on_batch (PortholeRecorder *recorder, guint64 batches, Seen *seen)
{
  seen->batches = batches;
}

static PortholeRecorder *
recorder_new (PortholeSocketMonitor *monitor, const char *path)
{
  return g_object_new (PORTHOLE_TYPE_RECORDER, "monitor", monitor, "path", path,
                       "retry-interval", 100, "heartbeat-interval", 0, NULL);
}

static gboolean
refresh_and_wait_batch (PortholeSocketMonitor *monitor, Seen *seen)
{
  guint64 before = seen->batches;

  porthole_socket_monitor_refresh (monitor);
  for (guint i = 0; i < 500 && seen->batches == before; i++)
    porthole_test_spin (10);
  return seen->batches > before;
}

static GPtrArray *
query_port (const char *path, guint port)
{
  PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeJournal) journal = porthole_journal_open_reader (path, &error);
  GPtrArray *rows;

  ck_assert_msg (journal != NULL, "%s", error ? error->message : "");
  filter.port = (int) port;
  rows = porthole_journal_query (journal, &filter, &error);
  ck_assert_msg (rows != NULL, "%s", error ? error->message : "");
  return rows;
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  ck_assert (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

START_TEST (test_records_listeners)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholeRecorder) recorder = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GBytes) own_cmdline = read_bytes ("/proc/self/cmdline");
  g_autofree char *own_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(PortholeJournal) journal = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  PortholeJournalListener *l;
  Seen seen = { 0 };
  guint16 early_port, port;
  int early, fd, client, accepted;
  struct sockaddr_in sa = { .sin_family = AF_INET };
  gint64 before;

  enter_netns ();
  early = porthole_test_listener ("127.0.0.1", &early_port, 8);
  monitor = porthole_socket_monitor_new ();
  recorder = recorder_new (monitor, path);
  g_signal_connect (recorder, "batch-written", G_CALLBACK (on_batch), &seen);
  porthole_recorder_start (recorder);
  /* the first snapshot emits no socket-opened: the recorder takes the listeners from it */
  ck_assert (refresh_and_wait_batch (monitor, &seen));
  ck_assert (porthole_recorder_get_writing (recorder));
  rows = query_port (path, early_port);
  ck_assert_uint_eq (rows->len, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  before = g_get_real_time ();
  fd = porthole_test_listener ("127.0.0.1", &port, 8);
  client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sa.sin_port = htons (port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ck_assert_int_eq (connect (client, (struct sockaddr *) &sa, sizeof sa), 0);
  accepted = accept4 (fd, NULL, NULL, SOCK_CLOEXEC);   /* a queued one has no inode yet */
  ck_assert_int_ge (accepted, 0);
  ck_assert (refresh_and_wait_batch (monitor, &seen));
  rows = query_port (path, port);
  ck_assert_uint_eq (rows->len, 1);
  l = g_ptr_array_index (rows, 0);
  ck_assert_int_ge (l->opened, before);
  ck_assert_int_eq (l->closed, 0);
  ck_assert_str_eq (l->protocol, "tcp");
  ck_assert_str_eq (l->address, "127.0.0.1");
  ck_assert_int_eq (l->pid, getpid ());
  ck_assert_int_eq (l->uid, (gint64) geteuid ());
  ck_assert_str_eq (l->exe, own_exe);
  ck_assert_msg (l->cmdline != NULL && g_bytes_equal (l->cmdline, own_cmdline),
                 "the command line was not kept exactly");
  g_clear_pointer (&rows, g_ptr_array_unref);

  close (fd);
  close (client);
  close (accepted);
  ck_assert (refresh_and_wait_batch (monitor, &seen));
  rows = query_port (path, port);
  ck_assert_uint_eq (rows->len, 1);
  l = g_ptr_array_index (rows, 0);
  ck_assert_int_ge (l->closed, l->opened);

  /* the connection counted in its hour, by the service's port (ours, inbound and outbound) */
  journal = porthole_journal_open_reader (path, NULL);
  hours = porthole_journal_query_connections (journal, 0, 0, NULL);
  ck_assert (hours != NULL);
  {
    guint n_port = 0;

    for (guint i = 0; i < hours->len; i++)
      {
        PortholeJournalHourCount *h = g_ptr_array_index (hours, i);

        if (h->connection.port == port)
          {
            n_port++;
            ck_assert_int_eq (h->count, 1);
            ck_assert_str_eq (h->connection.remote_address, "127.0.0.1");
          }
      }
    ck_assert_uint_eq (n_port, 2);
  }
  close (early);
}
END_TEST

/* A process named with quotes, whose command line holds an empty argument and 100 KB, holding
 * a listener the test handed it (the test closes its own copy) */
static pid_t
spawn_hostile (const char *dir, int listener, GBytes **cmdline, int *hold_fd)
{
  const char *helper = g_getenv ("PORTHOLE_ARGV_CHILD");
  g_autofree char *link = g_build_filename (dir, "it's \"q\"", NULL);
  g_autofree char *big = g_strnfill (100 * 1024, 'A');
  char *argv[] = { link, (char *) "--name='x'; DROP TABLE listeners;--", (char *) "", big, NULL };
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  int hold[2];
  pid_t pid;

  ck_assert_msg (helper != NULL, "PORTHOLE_ARGV_CHILD is not set (run through meson test)");
  ck_assert (symlink (helper, link) == 0);
  for (guint i = 0; argv[i] != NULL; i++)
    g_byte_array_append (expected, (const guint8 *) argv[i], strlen (argv[i]) + 1);
  *cmdline = g_byte_array_free_to_bytes (g_steal_pointer (&expected));
  ck_assert (pipe2 (hold, O_CLOEXEC) == 0);
  pid = fork ();
  ck_assert (pid >= 0);
  if (pid == 0)
    {
      dup2 (hold[0], STDIN_FILENO);
      dup2 (listener, 3);
      execv (link, argv);
      _exit (127);
    }
  close (hold[0]);
  *hold_fd = hold[1];
  return pid;
}

START_TEST (test_hostile_process)
{
  g_autofree char *path = temp_journal ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholeRecorder) recorder = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GBytes) cmdline = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *port_text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  PortholeJournalListener *l;
  JsonObject *row;
  Seen seen = { 0 };
  guint16 port;
  int fd, hold, status;
  pid_t pid;

  enter_netns ();
  fd = porthole_test_listener ("127.0.0.1", &port, 8);
  pid = spawn_hostile (dir, fd, &cmdline, &hold);
  close (fd);
  /* until the child runs its program */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *proc = g_strdup_printf ("/proc/%d/cmdline", pid);
      g_autoptr(GBytes) now = read_bytes (proc);

      if (g_bytes_equal (now, cmdline))
        break;
      g_usleep (10000);
    }
  monitor = porthole_socket_monitor_new ();
  recorder = recorder_new (monitor, path);
  g_signal_connect (recorder, "batch-written", G_CALLBACK (on_batch), &seen);
  porthole_recorder_start (recorder);
  ck_assert (refresh_and_wait_batch (monitor, &seen));
  rows = query_port (path, port);
  ck_assert_uint_eq (rows->len, 1);
  l = g_ptr_array_index (rows, 0);
  ck_assert_int_eq (l->pid, pid);
  ck_assert_str_eq (l->process, "it's \"q\"");
  ck_assert_msg (l->cmdline != NULL && g_bytes_equal (l->cmdline, cmdline),
                 "the command line was not kept exactly (%" G_GSIZE_FORMAT " bytes)",
                 l->cmdline ? g_bytes_get_size (l->cmdline) : 0);

  /* porthole-cli shows it as text, the empty argument as a double space */
  port_text = g_strdup_printf ("%u", port);
  {
    const char *argv[] = { g_getenv ("PORTHOLE_CLI"), "history", "--journal", path, "--port",
                           port_text, "--json", NULL };

    ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                             &status, &error));
  }
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "%s", err);
  ck_assert_msg (json_parser_load_from_data (parser, out, -1, &error), "%s", out);
  row = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  ck_assert_str_eq (json_object_get_string_member (row, "process"), "it's \"q\"");
  ck_assert (g_str_has_prefix (json_object_get_string_member (row, "cmdline"),
                               "--name='x'; DROP TABLE listeners;--  AAAA") == FALSE);
  ck_assert (strstr (json_object_get_string_member (row, "cmdline"),
                     " --name='x'; DROP TABLE listeners;--  AAAA") != NULL);
  ck_assert_uint_eq (strlen (json_object_get_string_member (row, "cmdline")),
                     g_bytes_get_size (cmdline) - 1);
  close (hold);
  waitpid (pid, &status, 0);
}
END_TEST

static void
on_stopped (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_recorder_stop_finish (PORTHOLE_RECORDER (source), result, &error),
                 "%s", error ? error->message : "");
  *(gboolean *) data = TRUE;
}

START_TEST (test_two_recorders)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholeRecorder) a = NULL;
  g_autoptr(PortholeRecorder) b = NULL;
  gboolean stopped = FALSE;
  PortholeRecorder *writer, *other;
  Seen seen_a = { 0 }, seen_b = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  enter_netns ();
  monitor = porthole_socket_monitor_new ();
  a = recorder_new (monitor, path);
  b = recorder_new (monitor, path);
  g_signal_connect (a, "batch-written", G_CALLBACK (on_batch), &seen_a);
  g_signal_connect (b, "batch-written", G_CALLBACK (on_batch), &seen_b);
  porthole_recorder_start (a);
  porthole_recorder_start (b);
  porthole_socket_monitor_refresh (monitor);
  for (guint i = 0; i < 300 && seen_a.batches + seen_b.batches == 0; i++)
    porthole_test_spin (10);
  porthole_test_spin (300);   /* the other's retries meanwhile */
  ck_assert (porthole_recorder_get_writing (a) != porthole_recorder_get_writing (b));
  writer = porthole_recorder_get_writing (a) ? a : b;
  other = writer == a ? b : a;
  ck_assert (porthole_recorder_get_other_writer (other));
  ck_assert_ptr_null (porthole_recorder_get_error (other));
  ck_assert_uint_eq (porthole_recorder_get_batches (other), 0);

  /* the writer stops: the other takes over at its next try */
  porthole_recorder_stop_async (writer, NULL, on_stopped, &stopped);
  ck_assert (porthole_test_wait_for (&stopped, 3000));
  for (guint i = 0; i < 300 && porthole_recorder_get_batches (other) == 0; i++)
    porthole_test_spin (10);
  ck_assert (porthole_recorder_get_writing (other));
  ck_assert (!porthole_recorder_get_writing (writer));

  /* two sessions, one after the other: the first ended */
  ck_assert_int_eq (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_prepare_v2 (db, "SELECT count(*), count(ended), min(batches) > 0 "
                                            "FROM sessions", -1, &stmt, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_ROW);
  ck_assert_int_eq (sqlite3_column_int (stmt, 0), 2);
  ck_assert_int_eq (sqlite3_column_int (stmt, 1), 1);
  ck_assert_int_eq (sqlite3_column_int (stmt, 2), 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}
END_TEST

static void
wait_error (PortholeRecorder *recorder, const char *needle)
{
  for (guint i = 0; i < 300; i++)
    {
      const char *e = porthole_recorder_get_error (recorder);

      if (e != NULL && strstr (e, needle) != NULL)
        return;
      porthole_test_spin (10);
    }
  ck_abort_msg ("no error with “%s”: %s", needle,
                porthole_recorder_get_error (recorder) ? porthole_recorder_get_error (recorder)
                                                       : "(none)");
}

static void
wait_writing (PortholeRecorder *recorder)
{
  for (guint i = 0; i < 500 && !porthole_recorder_get_writing (recorder); i++)
    porthole_test_spin (10);
  ck_assert_msg (porthole_recorder_get_writing (recorder), "still not writing: %s",
                 porthole_recorder_get_error (recorder) ? porthole_recorder_get_error (recorder) : "");
}

/* The live view keeps working whatever the journal does */
static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static void
assert_monitor_lives (PortholeSocketMonitor *monitor, guint16 port)
{
  gboolean done = FALSE;

  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done);
  ck_assert (porthole_test_wait_for (&done, 5000));
  ck_assert (porthole_socket_monitor_get_error (monitor) == NULL);
  ck_assert_msg (porthole_socket_monitor_find_listener (monitor, port, "tcp") != NULL,
                 "port %u not among %u sockets", port,
                 g_list_model_get_n_items (G_LIST_MODEL (monitor)));
}

START_TEST (test_bad_places)
{
  g_autofree char *reason = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *newer = NULL;
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholeRecorder) recorder = NULL;
  g_autoptr(PortholeRecorder) refused = NULL;
  guint16 port;
  int fd;

  enter_netns ();
  ck_assert_msg (porthole_test_private_mounts (&reason), "%s", reason);
  fd = porthole_test_listener ("127.0.0.1", &port, 8);
  monitor = porthole_socket_monitor_new ();
  porthole_socket_monitor_refresh (monitor);
  porthole_test_spin (100);

  /* a journal of a newer schema: refused, untouched, and said so */
  newer = temp_journal ();
  {
    sqlite3 *db = NULL;

    ck_assert_int_eq (sqlite3_open (newer, &db), SQLITE_OK);
    ck_assert_int_eq (sqlite3_exec (db, "PRAGMA application_id = 1347700785; "
                                        "PRAGMA user_version = 9; CREATE TABLE t (x)", NULL,
                                    NULL, NULL), SQLITE_OK);
    sqlite3_close (db);
  }
  refused = recorder_new (monitor, newer);
  porthole_recorder_start (refused);
  wait_error (refused, "newer");
  ck_assert (!porthole_recorder_get_writing (refused));
  assert_monitor_lives (monitor, port);

  /* read-only: said so, retried, and written once it can be */
  dir = porthole_test_mount_tmpfs (8 * 1024 * 1024, &reason);
  ck_assert_msg (dir != NULL, "%s", reason);
  path = g_build_filename (dir, "porthole", "journal.sqlite3", NULL);
  ck_assert_msg (porthole_test_remount (dir, TRUE, &reason), "%s", reason);
  recorder = recorder_new (monitor, path);
  porthole_recorder_start (recorder);
  wait_error (recorder, "Read-only");
  assert_monitor_lives (monitor, port);
  ck_assert_msg (porthole_test_remount (dir, FALSE, &reason), "%s", reason);
  wait_writing (recorder);
  ck_assert (g_file_test (path, G_FILE_TEST_EXISTS));

  /* the folder deleted under it: said so, and a new journal started at the next try */
  {
    g_autofree char *folder = g_path_get_dirname (path);
    g_autofree char *lock = g_strconcat (path, ".lock", NULL);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (lock);
    ck_assert (g_rmdir (folder) == 0);
  }
  {
    guint16 other_port;
    int other = porthole_test_listener ("127.0.0.1", &other_port, 8);   /* something to write */

    porthole_socket_monitor_refresh (monitor);
    wait_error (recorder, "deleted");
    assert_monitor_lives (monitor, port);
    for (guint i = 0; i < 300 && !g_file_test (path, G_FILE_TEST_EXISTS); i++)
      porthole_test_spin (10);
    wait_writing (recorder);
    ck_assert (g_file_test (path, G_FILE_TEST_EXISTS));
    close (other);
  }

  /* a full disk: said so, and the view lives on */
  g_object_run_dispose (G_OBJECT (recorder));
  g_clear_object (&recorder);
  {
    g_autofree char *full_dir = porthole_test_mount_tmpfs (256 * 1024, &reason);
    g_autofree char *full_path = NULL;

    ck_assert_msg (full_dir != NULL, "%s", reason);
    full_path = g_build_filename (full_dir, "journal.sqlite3", NULL);
    g_free (porthole_test_fill_disk (full_dir));
    recorder = recorder_new (monitor, full_path);
    porthole_recorder_start (recorder);
    wait_error (recorder, full_path);
    ck_assert (!porthole_recorder_get_writing (recorder));
    assert_monitor_lives (monitor, port);
  }
  close (fd);
}
END_TEST

/* The crash test: `porthole-cli record` killed with SIGKILL at a random point while 1,000
 * listeners churn, 50 times over one journal. Each time the file must pass integrity_check
 * and hold every batch the recorder said it committed (at most the one in flight missing);
 * at the end a clean recorder's snapshot leaves open exactly the listeners that live. */

#define N_LISTENERS 1000
#define N_KILLS 50

typedef struct {
  int     fds[N_LISTENERS];
  guint16 ports[N_LISTENERS];
  guint64 inodes[N_LISTENERS];
} Churn;

static void
churn_open (Churn *c, guint i)
{
  struct stat st;

  c->fds[i] = porthole_test_listener ("127.0.0.1", &c->ports[i], 4);
  ck_assert (fstat (c->fds[i], &st) == 0);
  c->inodes[i] = st.st_ino;
}

static GPid
spawn_record (const char *path, int *out_fd)
{
  const char *argv[] = { g_getenv ("PORTHOLE_CLI"), "record", "--journal", path,
                         "--interval", "100", "--retry", "100", "--verbose", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;

  ck_assert (argv[0] != NULL);
  ck_assert_msg (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, out_fd, NULL, &error),
                 "%s", error ? error->message : "");
  return pid;
}

static guint64
last_batch_in (const char *text)
{
  const char *line;
  guint64 last = 0;

  for (line = text; (line = strstr (line, "batch ")) != NULL; line++)
    last = g_ascii_strtoull (line + 6, NULL, 10);
  return last;
}

/* The last "batch N" line in what the recorder printed (the rest of it) */
static guint64
last_batch (int fd)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  g_unix_set_fd_nonblocking (fd, FALSE, NULL);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  return last_batch_in (text->str);
}

/* integrity_check, and the batches the session of recorder @pid committed (0 when none) */
static guint64
check_journal (const char *path, GPid pid, guint kill)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 batches = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  ck_assert_int_eq (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_ROW);
  ck_assert_msg (strcmp ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0,
                 "kill %u: integrity_check: %s", kill, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  ck_assert_int_eq (sqlite3_prepare_v2 (db, "SELECT batches FROM sessions WHERE pid = ? ORDER BY id DESC LIMIT 1", -1,
                                        &stmt, NULL), SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, pid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    batches = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  /* no row closes before it opens */
  ck_assert_int_eq (sqlite3_prepare_v2 (db, "SELECT count(*) FROM listeners WHERE closed < opened",
                                        -1, &stmt, NULL), SQLITE_OK);
  ck_assert_int_eq (sqlite3_step (stmt), SQLITE_ROW);
  ck_assert_int_eq (sqlite3_column_int (stmt, 0), 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return batches;
}

static guint64
wait_for_batch (int fd)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 limit = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  char c;

  /* reads up to the end of the first "batch N" line, so nothing else is consumed */
  while (g_get_monotonic_time () < limit && !(strstr (text->str, "batch ") && text->str[text->len - 1] == '\n'))
    {
      if (read (fd, &c, 1) == 1)
        g_string_append_c (text, c);
      else
        break;
    }
  ck_assert_msg (strstr (text->str, "batch 1") != NULL, "the recorder wrote nothing: %s", text->str);
  return last_batch_in (text->str);
}

static void
stop_record (GPid pid, int out_fd, guint64 *batch)
{
  int status = 0;

  kill (pid, SIGTERM);
  ck_assert (waitpid (pid, &status, 0) == pid);
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "record exited %d", status);
  *batch = last_batch (out_fd);
  close (out_fd);
}

START_TEST (test_crash_safety)
{
  g_autofree char *path = temp_journal ();
  g_autoptr(GRand) rand = NULL;
  Churn *c = g_new0 (Churn, 1);
  struct rlimit limit;
  guint32 seed = g_random_int ();
  guint64 recorded = 0;

  enter_netns ();
  ck_assert (getrlimit (RLIMIT_NOFILE, &limit) == 0);
  limit.rlim_cur = MAX (limit.rlim_cur, MIN (limit.rlim_max, 4096));
  ck_assert (setrlimit (RLIMIT_NOFILE, &limit) == 0);
  rand = g_rand_new_with_seed (seed);
  for (guint i = 0; i < N_LISTENERS; i++)
    churn_open (c, i);

  for (guint kill_no = 0; kill_no < N_KILLS; kill_no++)
    {
      int out_fd = -1, status = 0;
      GPid pid = spawn_record (path, &out_fd);
      gint64 deadline = g_get_monotonic_time () + g_rand_int_range (rand, 50, 1500) * 1000;
      /* every other run is killed once it has written (its start may be slow: sanitizers) */
      gboolean after_write = kill_no % 2 == 1;
      gint64 wait_limit = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
      g_autoptr(GString) output = g_string_new (NULL);
      guint64 said, have;

      g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);
      /* 2% of the listeners replaced every 10 ms until the kill */
      while (g_get_monotonic_time () < deadline)
        {
          char buf[256];
          ssize_t n;

          for (guint k = 0; k < N_LISTENERS / 50; k++)
            {
              guint i = g_rand_int_range (rand, 0, N_LISTENERS);

              close (c->fds[i]);
              churn_open (c, i);
            }
          g_usleep (10000);
          while ((n = read (out_fd, buf, sizeof buf)) > 0)
            g_string_append_len (output, buf, n);
          if (after_write && strstr (output->str, "batch ") == NULL &&
              g_get_monotonic_time () < wait_limit)
            deadline = MAX (deadline, g_get_monotonic_time () + 10000);
          else if (after_write && strstr (output->str, "batch ") != NULL)
            {
              after_write = FALSE;
              deadline = g_get_monotonic_time () + g_rand_int_range (rand, 0, 1000) * 1000;
            }
        }
      ck_assert (kill (pid, SIGKILL) == 0);
      ck_assert (waitpid (pid, &status, 0) == pid);
      said = MAX (last_batch (out_fd), last_batch_in (output->str));
      close (out_fd);
      have = check_journal (path, pid, kill_no);
      ck_assert_msg (have >= said && have <= said + 1,
                     "kill %u (seed %u): the recorder said %" G_GUINT64_FORMAT " batches were "
                     "written, the journal holds %" G_GUINT64_FORMAT, kill_no, seed, said, have);
      recorded += have;
    }
  ck_assert_msg (recorded >= N_KILLS / 2, "only %" G_GUINT64_FORMAT " batches in %u runs",
                 recorded, N_KILLS);

  /* A clean run: its snapshot closes what the killed ones left open, keeps what lives */
  {
    int out_fd = -1;
    GPid pid = spawn_record (path, &out_fd);
    g_autoptr(GHashTable) live = g_hash_table_new (NULL, NULL);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    guint64 batch = 0, first;
    guint n_open = 0;

    /* until its snapshot is written (bounded) */
    first = wait_for_batch (out_fd);

    stop_record (pid, out_fd, &batch);
    batch = MAX (batch, first);
    ck_assert_uint_ge (batch, 1);
    for (guint i = 0; i < N_LISTENERS; i++)
      g_hash_table_insert (live, GUINT_TO_POINTER (c->ports[i]), GSIZE_TO_POINTER (c->inodes[i]));
    ck_assert_int_eq (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq (sqlite3_prepare_v2 (db, "SELECT port, inode FROM listeners WHERE closed IS NULL "
                                              "AND netns = 0 AND address = '127.0.0.1'", -1,
                                          &stmt, NULL), SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        guint port = (guint) sqlite3_column_int (stmt, 0);
        guint64 inode = (guint64) sqlite3_column_int64 (stmt, 1);

        ck_assert_msg (g_hash_table_contains (live, GUINT_TO_POINTER (port)) &&
                       GPOINTER_TO_SIZE (g_hash_table_lookup (live, GUINT_TO_POINTER (port))) == inode,
                       "port %u is gone but left open in the journal (seed %u)", port, seed);
        n_open++;
      }
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    ck_assert_uint_eq (n_open, N_LISTENERS);
  }
  for (guint i = 0; i < N_LISTENERS; i++)
    close (c->fds[i]);
  g_free (c);
}
END_TEST

static Suite *
recorder_suite (void)
{
  Suite *s = suite_create ("recorder");
  TCase *tc = tcase_create ("core");
  TCase *crash = tcase_create ("crash");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_records_listeners);
  tcase_add_test (tc, test_hostile_process);
  tcase_add_test (tc, test_two_recorders);
  tcase_add_test (tc, test_bad_places);
  suite_add_tcase (s, tc);
  tcase_set_timeout (crash, 280);
  tcase_add_test (crash, test_crash_safety);
  suite_add_tcase (s, crash);
  return s;
}

PORTHOLE_TEST_MAIN (recorder_suite)
