/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sockets.h"

#include "porthole-procmap.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* tests/fixtures/proc is a hand-made proc tree:
 *   1     systemd: fd 3 -> socket:[1001], fd 4 -> socket:[1002], cgroup v2 "0::/init.scope"
 *   42    fd 3 -> socket:[1002] (shared with pid 1), fd 5 -> socket:[1003], pipes, anon
 *         inodes and broken socket links; cgroup v1 hybrid (cups.service); euid 1001
 *   77    vanished: no fd directory
 *   500   fd is a dangling symlink
 *   600   fd is a regular file
 *   1000  fd 3 -> socket:[1004]; a user session scope; no Uid line, empty cmdline
 *   abc, self, net   not processes */

static GHashTable *
inode_set (const guint64 *inodes, gsize n)
{
  GHashTable *set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (gsize i = 0; i < n; i++)
    g_hash_table_add (set, g_memdup2 (&inodes[i], sizeof inodes[i]));
  return set;
}

static int
owner (GHashTable *owners, guint64 inode)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (owners, &inode));
}

static GHashTable *
find (const char *root, const guint64 *inodes, gsize n, guint *n_denied)
{
  g_autoptr(GHashTable) wanted = inode_set (inodes, n);

  return porthole_procmap_find_owners (root, wanted, n_denied);
}

START_TEST (test_fixture_owners)
{
  g_autofree char *root = porthole_test_fixture ("proc");
  static const guint64 first[] = { 1001 };
  static const guint64 shared[] = { 1002, 1003 };
  static const guint64 far[] = { 1004, 5555, 1005, 12 };
  g_autoptr(GHashTable) a = NULL;
  g_autoptr(GHashTable) b = NULL;
  g_autoptr(GHashTable) c = NULL;
  g_autoptr(GHashTable) none = NULL;
  guint denied = 99;

  /* found in pid 1: the walk stops there and never meets the broken pids */
  a = find (root, first, G_N_ELEMENTS (first), &denied);
  ck_assert_uint_eq (g_hash_table_size (a), 1);
  ck_assert_int_eq (owner (a, 1001), 1);
  ck_assert_uint_eq (denied, 0);

  /* 1002 is held by pids 1 and 42: the lowest pid wins */
  b = find (root, shared, G_N_ELEMENTS (shared), &denied);
  ck_assert_uint_eq (g_hash_table_size (b), 2);
  ck_assert_int_eq (owner (b, 1002), 1);
  ck_assert_int_eq (owner (b, 1003), 42);
  ck_assert_uint_eq (denied, 0);

  /* an inode nobody holds makes the walk visit every process; the three broken ones are
   * skipped and counted; broken links ("socket:[1005", "socket:[12x]") match nothing */
  c = find (root, far, G_N_ELEMENTS (far), &denied);
  ck_assert_uint_eq (g_hash_table_size (c), 1);
  ck_assert_int_eq (owner (c, 1004), 1000);
  ck_assert_uint_eq (denied, 3);

  none = find (root, NULL, 0, &denied);
  ck_assert_uint_eq (g_hash_table_size (none), 0);
  ck_assert_uint_eq (denied, 0);
}
END_TEST

/* Names come with the walk, read from each owner's own directory, only for owners */
START_TEST (test_fixture_owner_names)
{
  g_autofree char *root = porthole_test_fixture ("proc");
  static const guint64 inodes[] = { 1002, 1003, 1004 };
  g_autoptr(GHashTable) wanted = inode_set (inodes, G_N_ELEMENTS (inodes));
  g_autoptr(GHashTable) comms = NULL;
  g_autoptr(GHashTable) owners = porthole_procmap_find_owners_full (root, wanted, &comms, NULL);

  ck_assert_uint_eq (g_hash_table_size (owners), 3);
  ck_assert_ptr_nonnull (comms);
  ck_assert_str_eq (g_hash_table_lookup (comms, GINT_TO_POINTER (1)), "systemd");
  /* raw bytes, as for porthole_proc_read_comm () */
  ck_assert_str_eq (g_hash_table_lookup (comms, GINT_TO_POINTER (42)), "evil\033[31mname");
  ck_assert_str_eq (g_hash_table_lookup (comms, GINT_TO_POINTER (1000)), "firefox");
  /* pids that hold none of the sockets are not named */
  ck_assert (!g_hash_table_contains (comms, GINT_TO_POINTER (500)));
  ck_assert (!g_hash_table_contains (comms, GINT_TO_POINTER (77)));
}
END_TEST

START_TEST (test_pid_holds)
{
  g_autofree char *root = porthole_test_fixture ("proc");
  int fd = socket (AF_INET, SOCK_DGRAM, 0);
  struct stat st;

  ck_assert (porthole_procmap_pid_holds (root, 1, 1001));
  ck_assert (porthole_procmap_pid_holds (root, 42, 1002));
  ck_assert (porthole_procmap_pid_holds (root, 42, 1003));
  ck_assert (!porthole_procmap_pid_holds (root, 42, 1001));
  ck_assert (!porthole_procmap_pid_holds (root, 42, 1005));   /* "socket:[1005" is cut */
  ck_assert (!porthole_procmap_pid_holds (root, 77, 1001));   /* no fd directory */
  ck_assert (!porthole_procmap_pid_holds (root, 9999, 1001));
  /* live: this process holds its new socket, and only while it is open */
  ck_assert (fd >= 0 && fstat (fd, &st) == 0);
  ck_assert (porthole_procmap_pid_holds (NULL, getpid (), st.st_ino));
  close (fd);
  ck_assert (!porthole_procmap_pid_holds (NULL, getpid (), st.st_ino));
}
END_TEST

START_TEST (test_overflow_uid)
{
  g_autofree char *root = porthole_test_fixture ("proc");
  g_autofree char *bad = porthole_test_fixture ("proc-bad-overflow");
  g_autofree char *live = NULL;

  ck_assert_int_eq (porthole_proc_read_overflow_uid (root), 65534);
  ck_assert_int_eq (porthole_proc_read_overflow_uid (bad), -1);
  ck_assert_int_eq (porthole_proc_read_overflow_uid ("/nonexistent-porthole"), -1);
  ck_assert (g_file_get_contents ("/proc/sys/kernel/overflowuid", &live, NULL, NULL));
  ck_assert_int_eq (porthole_proc_read_overflow_uid (NULL), g_ascii_strtoll (live, NULL, 10));
}
END_TEST

START_TEST (test_missing_root)
{
  g_autofree char *root = porthole_test_fixture ("proc/nowhere");
  static const guint64 inodes[] = { 1001 };
  g_autoptr(GHashTable) owners = find (root, inodes, 1, NULL);

  ck_assert_uint_eq (g_hash_table_size (owners), 0);
}
END_TEST

START_TEST (test_fixture_details)
{
  g_autofree char *root = porthole_test_fixture ("proc");
  g_autofree char *comm1 = porthole_proc_read_comm (root, 1);
  g_autofree char *comm42 = porthole_proc_read_comm (root, 42);
  g_autofree char *cmd1 = porthole_proc_read_cmdline (root, 1);
  g_autofree char *cmd42 = porthole_proc_read_cmdline (root, 42);
  g_autofree char *cmd1000 = porthole_proc_read_cmdline (root, 1000);
  g_autofree char *unit1 = porthole_proc_read_systemd_unit (root, 1);
  g_autofree char *unit42 = porthole_proc_read_systemd_unit (root, 42);
  g_autofree char *unit1000 = porthole_proc_read_systemd_unit (root, 1000);
  g_autofree char *unit77 = porthole_proc_read_systemd_unit (root, 77);

  ck_assert_str_eq (comm1, "systemd");
  /* raw bytes: escaping is the caller's job */
  ck_assert_str_eq (comm42, "evil\033[31mname");
  ck_assert_ptr_null (porthole_proc_read_comm (root, 500));
  ck_assert_str_eq (cmd1, "/sbin/init splash");
  ck_assert_str_eq (cmd42, "python3 -m http.server");
  ck_assert_ptr_null (cmd1000);
  ck_assert_str_eq (unit1, "init.scope");
  ck_assert_str_eq (unit42, "cups.service");
  ck_assert_str_eq (unit1000, "app-gnome-firefox-1234.scope");
  ck_assert_ptr_null (unit77);
  ck_assert_int_eq (porthole_proc_read_uid (root, 1), 0);
  ck_assert_int_eq (porthole_proc_read_uid (root, 42), 1001);
  ck_assert_int_eq (porthole_proc_read_uid (root, 1000), -1);
  ck_assert_int_eq (porthole_proc_read_uid (root, 77), -1);
}
END_TEST

/* The same readers on this very process */
START_TEST (test_live_self)
{
  g_autofree char *comm = NULL;
  g_autofree char *cmdline = NULL;

  prctl (PR_SET_NAME, "porthole-self", 0, 0, 0);
  comm = porthole_proc_read_comm (NULL, getpid ());
  cmdline = porthole_proc_read_cmdline (NULL, getpid ());
  ck_assert_str_eq (comm, "porthole-self");
  ck_assert_ptr_nonnull (strstr (cmdline, "test-procmap"));
  ck_assert_int_eq (porthole_proc_read_uid (NULL, getpid ()), geteuid ());
  ck_assert (porthole_proc_in_sandbox () == g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (test_live_child)
{
  PortholeTestSockets s;
  g_autofree char *reason = NULL;
  g_autoptr(GHashTable) owners = NULL;
  guint64 inodes[7];
  struct stat st;
  int mine = socket (AF_INET, SOCK_DGRAM, 0);

  /* the child inherits this socket, so two processes hold it */
  ck_assert (mine >= 0 && fstat (mine, &st) == 0);
  ck_assert_msg (porthole_test_sockets_spawn (&s, "porthole-kid", &reason), "%s", reason);
  inodes[0] = s.tcp4_inode;
  inodes[1] = s.tcp6_inode;
  inodes[2] = s.udp4_inode;
  inodes[3] = s.udp6_inode;
  inodes[4] = s.client_inode;
  inodes[5] = s.accepted_inode;
  inodes[6] = st.st_ino;
  owners = find (NULL, inodes, G_N_ELEMENTS (inodes), NULL);
  ck_assert_uint_eq (g_hash_table_size (owners), 7);
  for (guint i = 0; i < 6; i++)
    ck_assert_int_eq (owner (owners, inodes[i]), s.pid);
  ck_assert_int_eq (owner (owners, inodes[6]), MIN (getpid (), s.pid));
  {
    g_autofree char *comm = porthole_proc_read_comm (NULL, owner (owners, inodes[0]));
    g_autoptr(GHashTable) wanted = inode_set (inodes, 6);
    g_autoptr(GHashTable) comms = NULL;
    g_autoptr(GHashTable) owners_full = porthole_procmap_find_owners_full (NULL, wanted, &comms, NULL);

    ck_assert_str_eq (comm, "porthole-kid");
    ck_assert_int_eq (owner (owners_full, inodes[0]), s.pid);
    ck_assert_str_eq (g_hash_table_lookup (comms, GINT_TO_POINTER (s.pid)), "porthole-kid");
  }
  porthole_test_sockets_release (&s);
  close (mine);
}
END_TEST

typedef struct {
  char *root;
} TreeData;

static int
find_as_nobody (int message_fd, gpointer data)
{
  TreeData *tree = data;
  static const guint64 inodes[] = { 2001, 2002 };
  g_autoptr(GHashTable) owners = NULL;
  guint denied = 0;

  owners = find (tree->root, inodes, 2, &denied);
  if (g_hash_table_size (owners) != 1 || owner (owners, 2002) != 9 || denied != 1)
    {
      dprintf (message_fd, "as nobody: %u owners, denied %u", g_hash_table_size (owners), denied);
      return 1;
    }
  return 0;
}

/* A process whose fd directory we may not read is skipped and counted, never fatal */
START_TEST (test_unreadable_fd_dir)
{
  TreeData tree = { g_dir_make_tmp ("porthole-procmap-XXXXXX", NULL) };
  g_autofree char *fd5 = g_build_filename (tree.root, "5", "fd", NULL);
  g_autofree char *fd9 = g_build_filename (tree.root, "9", "fd", NULL);
  g_autofree char *l5 = g_build_filename (fd5, "3", NULL);
  g_autofree char *l9 = g_build_filename (fd9, "3", NULL);
  g_autofree char *message = NULL;
  static const guint64 inodes[] = { 2001, 2002 };
  g_autoptr(GHashTable) owners = NULL;
  int status;

  ck_assert (g_mkdir_with_parents (fd5, 0700) == 0 && g_mkdir_with_parents (fd9, 0755) == 0);
  ck_assert (g_chmod (tree.root, 0755) == 0);
  ck_assert (symlink ("socket:[2001]", l5) == 0 && symlink ("socket:[2002]", l9) == 0);

  /* the owner of the tree reads both */
  owners = find (tree.root, inodes, 2, NULL);
  ck_assert_int_eq (owner (owners, 2001), 5);
  ck_assert_int_eq (owner (owners, 2002), 9);
  if (geteuid () == 0)
    {
      status = porthole_test_run_as_nobody (find_as_nobody, &tree, &message);
      ck_assert_msg (status == 0, "status %d: %s", status, message);
    }

  unlink (l5);
  unlink (l9);
  rmdir (fd5);
  rmdir (fd9);
  {
    g_autofree char *d5 = g_path_get_dirname (fd5);
    g_autofree char *d9 = g_path_get_dirname (fd9);

    rmdir (d5);
    rmdir (d9);
  }
  rmdir (tree.root);
  g_free (tree.root);
}
END_TEST

/* Enough processes for the walk to run on several threads: the lowest pid still wins */
START_TEST (test_many_processes)
{
  g_autofree char *root = g_dir_make_tmp ("porthole-procmap-XXXXXX", NULL);
  enum { FIRST = 100, COUNT = 300, SHARED = 900000, FILLERS = 3000 };
  guint64 inodes[COUNT + 1];

  for (int pid = FIRST; pid < FIRST + COUNT; pid++)
    {
      g_autofree char *fd = g_strdup_printf ("%s/%d/fd", root, pid);
      g_autofree char *shared = g_strdup_printf ("%s/3", fd);
      g_autofree char *own = g_strdup_printf ("%s/4", fd);
      g_autofree char *own_target = g_strdup_printf ("socket:[%d]", pid);

      ck_assert (g_mkdir_with_parents (fd, 0755) == 0);
      ck_assert (symlink ("socket:[900000]", shared) == 0 && symlink (own_target, own) == 0);
      inodes[pid - FIRST] = (guint64) pid;
    }
  /* the lowest pid is slow to walk, so other threads meet the shared socket first */
  for (int i = 0; i < FILLERS; i++)
    {
      g_autofree char *filler = g_strdup_printf ("%s/%d/fd/%d", root, FIRST, 100 + i);

      ck_assert (symlink ("pipe:[1]", filler) == 0);
    }
  inodes[COUNT] = SHARED;

  for (int round = 0; round < 10; round++)
    {
      g_autoptr(GHashTable) all = find (root, inodes, G_N_ELEMENTS (inodes), NULL);
      g_autoptr(GHashTable) last = find (root, &inodes[COUNT - 1], 2, NULL);

      ck_assert_uint_eq (g_hash_table_size (all), COUNT + 1);
      ck_assert_int_eq (owner (all, SHARED), FIRST);
      for (int i = 0; i < COUNT; i++)
        ck_assert_int_eq (owner (all, inodes[i]), (int) inodes[i]);
      /* the last pid's own socket completes the set there; the shared one is still the first's */
      ck_assert_int_eq (owner (last, SHARED), FIRST);
      ck_assert_int_eq (owner (last, FIRST + COUNT - 1), FIRST + COUNT - 1);
    }

  for (int i = 0; i < FILLERS; i++)
    {
      g_autofree char *filler = g_strdup_printf ("%s/%d/fd/%d", root, FIRST, 100 + i);

      unlink (filler);
    }
  for (int pid = FIRST; pid < FIRST + COUNT; pid++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/%d", root, pid);
      g_autofree char *fd = g_strdup_printf ("%s/fd", dir);
      g_autofree char *shared = g_strdup_printf ("%s/3", fd);
      g_autofree char *own = g_strdup_printf ("%s/4", fd);

      unlink (shared);
      unlink (own);
      rmdir (fd);
      rmdir (dir);
    }
  rmdir (root);
}
END_TEST

/* Field 22 of <pid>/stat, counted from the last ')' since the name may hold both */
START_TEST (test_start_time)
{
  g_autofree char *root = g_dir_make_tmp ("porthole-stat-XXXXXX", NULL);
  static const struct { int pid; const char *stat; guint64 expected; } cases[] = {
    { 10, "10 (a) b (c) S 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 424242 1000 100\n", 424242 },
    { 11, "11 (gone) Z 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 424242 0 0\n", 0 },
    { 12, "12 (short) S 1 1 1 0\n", 0 },
    { 13, "13 (junk) S 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 12ab 1000 100\n", 0 },
    { 14, "14 no parentheses S 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 7 1000 100\n", 0 },
    { 15, "15 (last) R 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 99", 99 },
  };
  PortholeTestSockets child;
  g_autofree char *reason = NULL;
  guint64 mine, theirs;
  pid_t child_pid;

  ck_assert_ptr_nonnull (root);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/%d", root, cases[i].pid);
      g_autofree char *path = g_build_filename (dir, "stat", NULL);

      ck_assert_int_eq (g_mkdir (dir, 0700), 0);
      ck_assert (g_file_set_contents (path, cases[i].stat, -1, NULL));
      ck_assert_msg (porthole_proc_read_start_time (root, cases[i].pid) == cases[i].expected,
                     "pid %d: %" G_GUINT64_FORMAT, cases[i].pid,
                     porthole_proc_read_start_time (root, cases[i].pid));
      g_unlink (path);
      g_rmdir (dir);
    }
  ck_assert_uint_eq (porthole_proc_read_start_time (root, 99), 0);
  g_rmdir (root);

  /* Live: a child started after this process, and nothing once it is reaped */
  mine = porthole_proc_read_start_time (NULL, getpid ());
  ck_assert_uint_gt (mine, 0);
  ck_assert_msg (porthole_test_sockets_spawn (&child, "porthole-kid", &reason), "%s", reason);
  child_pid = child.pid;
  theirs = porthole_proc_read_start_time (NULL, child_pid);
  ck_assert_uint_ge (theirs, mine);
  porthole_test_sockets_release (&child);
  ck_assert_uint_eq (porthole_proc_read_start_time (NULL, child_pid), 0);
}
END_TEST

static Suite *
procmap_suite (void)
{
  Suite *s = suite_create ("procmap");
  TCase *tc = tcase_create ("core");

  /* Check's default of 4 s is too short on a loaded 2-core CI machine */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_fixture_owners);
  tcase_add_test (tc, test_missing_root);
  tcase_add_test (tc, test_fixture_owner_names);
  tcase_add_test (tc, test_pid_holds);
  tcase_add_test (tc, test_overflow_uid);
  tcase_add_test (tc, test_fixture_details);
  tcase_add_test (tc, test_live_self);
  tcase_add_test (tc, test_start_time);
  tcase_add_test (tc, test_live_child);
  tcase_add_test (tc, test_unreadable_fd_dir);
  tcase_add_test (tc, test_many_processes);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (procmap_suite)
