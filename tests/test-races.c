/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Races and load against the socket monitor, with real processes on loopback:
 *  - 500 children open sockets and exit, in waves, while the monitor refreshes 200 times: no
 *    crash, no warning (G_DEBUG=fatal-warnings), and no socket shown with the wrong pid or name
 *    (each child reports the inode of each socket, from fstat, through a pipe);
 *  - processes whose comm holds terminal escapes, bidi controls, a newline, nothing at all, or a
 *    UTF-8 character cut by the kernel's 15-byte limit are shown escaped, each with its own name.
 * Hostile netlink buffers are in test-netlink-hostile.c. */
#define G_LOG_DOMAIN "test-races"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sockets.h"

#include "porthole-escape.h"
#include "porthole-socket-monitor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_WAVES 10
#define CHILDREN_PER_WAVE 50
#define REFRESHES_PER_WAVE 20
#define SOCKETS_PER_CHILD 4
/* Half the children hold their sockets until released at the end of their wave; the others
 * exit by themselves after up to this long, in the middle of the wave's refreshes. */
#define MAX_LIFETIME_MS 300

typedef struct {
  gint32  pid;
  guint32 index;
  guint64 inodes[SOCKETS_PER_CHILD];   /* 0: that socket could not be opened */
} ChildReport;

typedef struct {
  pid_t pid;
  char  comm[16];
} Child;

/* ---- the children: plain system calls only (the parent has threads) --------------------- */

static int
bound_socket (int type, struct sockaddr_in *addr)
{
  socklen_t len = sizeof *addr;
  int fd = socket (AF_INET, type, 0);

  memset (addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  addr->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) addr, sizeof *addr) < 0 ||
      getsockname (fd, (struct sockaddr *) addr, &len) < 0)
    return -1;
  return fd;
}

static guint64
inode_of (int fd)
{
  struct stat st;

  return fd >= 0 && fstat (fd, &st) == 0 ? (guint64) st.st_ino : 0;
}

G_GNUC_NORETURN static void
child_main (guint index, int report_fd, int release_fd, int lifetime_ms, const char *comm)
{
  ChildReport r = { 0 };
  struct sockaddr_in addr;
  struct pollfd pfd = { release_fd, POLLIN, 0 };
  int listener, udp, client = -1, accepted = -1;

  /* nothing inherited from the test process may be attributed to this child */
  for (int fd = 3; fd < 1024; fd++)
    if (fd != report_fd && fd != release_fd)
      close (fd);
  prctl (PR_SET_NAME, comm, 0, 0, 0);

  listener = bound_socket (SOCK_STREAM, &addr);
  if (listener >= 0 && listen (listener, 4) == 0)
    {
      client = socket (AF_INET, SOCK_STREAM, 0);
      if (client >= 0 && connect (client, (struct sockaddr *) &addr, sizeof addr) == 0)
        accepted = accept (listener, NULL, NULL);
    }
  udp = bound_socket (SOCK_DGRAM, &addr);

  r.pid = getpid ();
  r.index = index;
  r.inodes[0] = inode_of (listener);
  r.inodes[1] = inode_of (udp);
  r.inodes[2] = inode_of (client);
  r.inodes[3] = inode_of (accepted);
  /* one write below PIPE_BUF: reports from many children never interleave */
  if (write (report_fd, &r, sizeof r) != sizeof r)
    _exit (1);
  close (report_fd);
  /* until released (or the parent dies), or until the lifetime is over */
  while (poll (&pfd, 1, lifetime_ms) < 0 && errno == EINTR)
    ;
  _exit (0);
}

/* ---- the parent ------------------------------------------------------------------------ */

typedef struct {
  PortholeSocketMonitor *monitor;
  GHashTable *owner_of;        /* inode (guint64*) -> child index + 1 */
  GHashTable *index_of_pid;    /* pid -> child index + 1 */
  Child      *children;
  guint       refreshes;
  guint       checked;         /* socket rows of our children checked with a pid */
  GHashTable *seen;            /* inodes seen with their owner's pid */
  gboolean    done;
} Race;

static void
check_model (Race *race)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (race->monitor));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (race->monitor), i);
      guint64 inode = porthole_socket_get_inode (s);
      int pid = porthole_socket_get_pid (s);
      guint owner = GPOINTER_TO_UINT (g_hash_table_lookup (race->owner_of, &inode));
      guint by_pid = GPOINTER_TO_UINT (g_hash_table_lookup (race->index_of_pid, GINT_TO_POINTER (pid)));

      if (pid == 0)
        continue;
      /* a socket of ours carries its own child's pid and name, nobody else's */
      if (owner != 0)
        {
          const Child *child = &race->children[owner - 1];

          ck_assert_msg (pid == child->pid, "inode %" G_GUINT64_FORMAT " of child %d shown with pid %d",
                         inode, child->pid, pid);
          /* "?" when the child exited between the fd walk and the read of its name */
          if (g_strcmp0 (porthole_socket_get_process (s), "?") != 0)
            ck_assert_str_eq (porthole_socket_get_process (s), child->comm);
          g_hash_table_add (race->seen, g_memdup2 (&inode, sizeof inode));
          race->checked++;
        }
      /* and a child's pid is never put on a socket that child did not report */
      ck_assert_msg (by_pid == 0 || owner == by_pid,
                     "pid %d (child %u) shown for inode %" G_GUINT64_FORMAT " it does not hold",
                     pid, by_pid - 1, inode);
    }
}

static void
refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  Race *race = data;
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (race->monitor, result, &error), "%s",
                 error ? error->message : "");
  race->refreshes++;
  check_model (race);
  race->done = TRUE;
}

static void
refresh_and_check (Race *race)
{
  race->done = FALSE;
  porthole_socket_monitor_refresh_async (race->monitor, NULL, refreshed, race);
  ck_assert_msg (porthole_test_wait_for (&race->done, 30000), "refresh %u timed out", race->refreshes);
}

static void
read_reports (Race *race, int report_fd, guint first, guint n)
{
  for (guint got = 0; got < n; got++)
    {
      ChildReport r;
      ssize_t len;

      do
        len = read (report_fd, &r, sizeof r);
      while (len < 0 && errno == EINTR);
      ck_assert_msg (len == sizeof r, "a child died before reporting (%zd)", len);
      ck_assert_uint_ge (r.index, first);
      ck_assert_uint_lt (r.index, first + n);
      ck_assert_int_gt (r.pid, 0);
      race->children[r.index].pid = r.pid;
      g_hash_table_insert (race->index_of_pid, GINT_TO_POINTER (r.pid), GUINT_TO_POINTER (r.index + 1));
      for (guint k = 0; k < SOCKETS_PER_CHILD; k++)
        {
          ck_assert_msg (r.inodes[k] != 0, "child %u could not open socket %u", r.index, k);
          g_hash_table_insert (race->owner_of, g_memdup2 (&r.inodes[k], sizeof r.inodes[k]),
                               GUINT_TO_POINTER (r.index + 1));
        }
    }
}

/* The children come from a single-threaded fork server started before the monitor has any
 * thread: a child forked from a threaded process holds memory only the other (now missing)
 * threads pointed to, which valgrind would report as leaked at its exit. Commands are wave
 * numbers; for each wave it answers how many children exited with status 0. */
typedef struct {
  pid_t pid;
  int   command_fd;
  int   status_fd;
  int   report_fd;
  int   release_fds[N_WAVES];   /* closing one lets that wave's remaining children exit */
} Spawner;

G_GNUC_NORETURN static void
spawner_main (int command_fd, int status_fd, int report_fd, const int *release_fds,
              const int *lifetimes, const Child *children)
{
  guint wave;

  while (read (command_fd, &wave, sizeof wave) == sizeof wave && wave < N_WAVES)
    {
      pid_t pids[CHILDREN_PER_WAVE];
      guint ok = 0;

      for (guint k = 0; k < CHILDREN_PER_WAVE; k++)
        {
          guint i = wave * CHILDREN_PER_WAVE + k;

          pids[k] = fork ();
          if (pids[k] == 0)
            child_main (i, report_fd, release_fds[wave], lifetimes[i], children[i].comm);
        }
      for (guint k = 0; k < CHILDREN_PER_WAVE; k++)
        {
          int status = 0;

          if (pids[k] > 0 && waitpid (pids[k], &status, 0) == pids[k] && WIFEXITED (status) &&
              WEXITSTATUS (status) == 0)
            ok++;
        }
      if (write (status_fd, &ok, sizeof ok) != sizeof ok)
        _exit (1);
    }
  _exit (0);
}

static void
spawner_start (Spawner *sp, const int *lifetimes, const Child *children)
{
  int command[2], status[2], report[2], release[N_WAVES][2];
  int release_read[N_WAVES];

  ck_assert_int_eq (pipe (command), 0);
  ck_assert_int_eq (pipe (status), 0);
  ck_assert_int_eq (pipe (report), 0);
  for (guint w = 0; w < N_WAVES; w++)
    {
      ck_assert_int_eq (pipe (release[w]), 0);
      release_read[w] = release[w][0];
    }
  sp->pid = fork ();
  ck_assert_int_ge (sp->pid, 0);
  if (sp->pid == 0)
    {
      close (command[1]);
      close (status[0]);
      close (report[0]);
      for (guint w = 0; w < N_WAVES; w++)
        close (release[w][1]);
      spawner_main (command[0], status[1], report[1], release_read, lifetimes, children);
    }
  close (command[0]);
  close (status[1]);
  close (report[1]);
  sp->command_fd = command[1];
  sp->status_fd = status[0];
  sp->report_fd = report[0];
  for (guint w = 0; w < N_WAVES; w++)
    {
      close (release[w][0]);
      sp->release_fds[w] = release[w][1];
    }
}

START_TEST (test_churn_attribution)
{
  Race race = { 0 };
  Spawner spawner;
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  guint n_children = N_WAVES * CHILDREN_PER_WAVE;
  g_autofree int *lifetimes = g_new (int, n_children);
  guint stop = G_MAXUINT;
  int status = 0;

  race.children = g_new0 (Child, n_children);
  for (guint i = 0; i < n_children; i++)
    {
      g_snprintf (race.children[i].comm, sizeof race.children[i].comm, "race-%u", i);
      /* even children live until released; odd ones exit by themselves mid-wave */
      lifetimes[i] = i % 2 ? g_rand_int_range (rand, 0, MAX_LIFETIME_MS) : -1;
    }
  spawner_start (&spawner, lifetimes, race.children);

  race.monitor = porthole_socket_monitor_new ();
  race.owner_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  race.index_of_pid = g_hash_table_new (NULL, NULL);
  race.seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  refresh_and_check (&race);
  for (guint wave = 0; wave < N_WAVES; wave++)
    {
      guint exited_ok = 0;

      ck_assert_int_eq (write (spawner.command_fd, &wave, sizeof wave), sizeof wave);
      read_reports (&race, spawner.report_fd, wave * CHILDREN_PER_WAVE, CHILDREN_PER_WAVE);

      for (guint r = 0; r < REFRESHES_PER_WAVE; r++)
        refresh_and_check (&race);

      /* the even children have been alive through all of the wave's refreshes */
      close (spawner.release_fds[wave]);
      ck_assert_int_eq (read (spawner.status_fd, &exited_ok, sizeof exited_ok), sizeof exited_ok);
      ck_assert_uint_eq (exited_ok, CHILDREN_PER_WAVE);
    }
  ck_assert_int_eq (write (spawner.command_fd, &stop, sizeof stop), sizeof stop);
  ck_assert_int_eq (waitpid (spawner.pid, &status, 0), spawner.pid);
  ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  close (spawner.command_fd);
  close (spawner.status_fd);
  close (spawner.report_fd);

  /* the exits of the last wave are seen too */
  refresh_and_check (&race);
  ck_assert_uint_eq (race.refreshes, 2 + N_WAVES * REFRESHES_PER_WAVE);

  /* Not vacuous: every socket of a child that lived through its wave was shown with its pid */
  for (guint i = 0; i < n_children; i += 2)
    {
      GHashTableIter iter;
      gpointer key, value;
      guint found = 0;

      g_hash_table_iter_init (&iter, race.owner_of);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (GPOINTER_TO_UINT (value) == i + 1 && g_hash_table_contains (race.seen, key))
          found++;
      ck_assert_msg (found == SOCKETS_PER_CHILD, "child %u (pid %d): %u of %u sockets seen with its pid",
                     i, race.children[i].pid, found, SOCKETS_PER_CHILD);
    }
  ck_assert_uint_gt (race.checked, n_children / 2 * SOCKETS_PER_CHILD);
  /* the monitor let go of every closed socket */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (race.monitor)); i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (race.monitor), i);
      guint64 inode = porthole_socket_get_inode (s);

      ck_assert_msg (!g_hash_table_contains (race.owner_of, &inode),
                     "inode %" G_GUINT64_FORMAT " of an exited child is still listed", inode);
    }

  g_object_unref (race.monitor);
  g_hash_table_unref (race.owner_of);
  g_hash_table_unref (race.index_of_pid);
  g_hash_table_unref (race.seen);
  g_free (race.children);
}
END_TEST

/* ---- hostile process names ------------------------------------------------------------- */

static const struct {
  const char *comm;       /* what the child asks prctl(PR_SET_NAME) for */
  const char *shown;      /* what the monitor must show for it */
} hostile_names[] = {
  { "\033[31mevil\033[0m", "\\x1b[31mevil\\x1b[0m" },       /* terminal escapes */
  { "\033]0;pwned\007xyzzyx", "\\x1b]0;pwned\\x07xyzzy" }, /* OSC title, cut at 15 bytes */
  { "", "" },                                                /* an empty name stays empty */
  { "abcdefghijklm\xc3\xa9", "abcdefghijklm\xc3\xa9" },      /* 15 bytes: fits whole */
  { "abcdefghijklmn\xc3\xa9", "abcdefghijklmn\\xc3" },       /* 16: cut inside the é */
  { "\xe2\x80\xae" "exe.txt", "\\u{202E}exe.txt" },          /* right-to-left override */
  { "line\nbreak", "line\\nbreak" },
  { "tab\there\\", "tab\\there\\\\" },
  { "caf\xc3\xa9", "caf\xc3\xa9" },                          /* plain UTF-8 is kept */
};

static void
refreshed_once (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error),
                 "%s", error ? error->message : "");
  *(gboolean *) data = TRUE;
}

START_TEST (test_hostile_names)
{
  PortholeTestSockets kids[G_N_ELEMENTS (hostile_names)];
  g_autoptr(PortholeSocketMonitor) monitor = porthole_socket_monitor_new ();
  gboolean done = FALSE;

  /* all alive at once, so that a mix-up between them would show */
  for (gsize i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    {
      g_autofree char *reason = NULL;

      ck_assert_msg (porthole_test_sockets_spawn (&kids[i], hostile_names[i].comm, &reason),
                     "%s", reason);
    }

  porthole_socket_monitor_refresh_async (monitor, NULL, refreshed_once, &done);
  ck_assert (porthole_test_wait_for (&done, 30000));

  for (gsize i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    {
      const guint64 inodes[] = { kids[i].tcp4_inode, kids[i].tcp6_inode, kids[i].udp4_inode,
                                 kids[i].udp6_inode, kids[i].client_inode, kids[i].accepted_inode };
      guint found = 0;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (monitor)); j++)
        {
          g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (monitor), j);
          const char *shown;

          for (gsize k = 0; k < G_N_ELEMENTS (inodes); k++)
            if (porthole_socket_get_inode (s) == inodes[k])
              goto mine;
          continue;
        mine:
          found++;
          shown = porthole_socket_get_process (s);
          ck_assert_int_eq (porthole_socket_get_pid (s), kids[i].pid);
          ck_assert_msg (g_strcmp0 (shown, hostile_names[i].shown) == 0,
                         "name %zu shown as “%s”, expected “%s”", i, shown, hostile_names[i].shown);
          ck_assert (g_utf8_validate (shown, -1, NULL));
          for (const char *p = shown; *p; p = g_utf8_next_char (p))
            ck_assert (!g_unichar_iscntrl (g_utf8_get_char (p)) &&
                       g_unichar_type (g_utf8_get_char (p)) != G_UNICODE_FORMAT);
        }
      ck_assert_uint_eq (found, G_N_ELEMENTS (inodes));
    }

  /* newest first: each child inherited the release pipes of the ones before it */
  for (gsize i = G_N_ELEMENTS (hostile_names); i > 0; i--)
    porthole_test_sockets_release (&kids[i - 1]);
}
END_TEST

static Suite *
races_suite (void)
{
  Suite *s = suite_create ("races");
  TCase *tc = tcase_create ("core");

  /* 500 processes and 200 full dumps: a minute under a sanitizer on two cores */
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_churn_attribution);
  tcase_add_test (tc, test_hostile_names);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (races_suite)
