/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test-netns.h"

#include "porthole-test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sched.h>
#include <check.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  gboolean ok;
  char     reason[128];
  guint64  inodes[PORTHOLE_TEST_NETNS_N_SOCKETS];
  guint16  client_port;
} Report;

static guint64
stat_inode (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? st.st_ino : 0;
}

guint64
porthole_test_netns_of_pid (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/net/tcp", (int) pid);

  return stat_inode (path);
}

static int
fd_inode_listen (int fd, const struct sockaddr *sa, socklen_t len, int type, guint64 *inode)
{
  struct stat st;
  int one = 1;

  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (sa->sa_family == AF_INET6)
    setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind (fd, sa, len) < 0 || (type == SOCK_STREAM && listen (fd, 8) < 0) || fstat (fd, &st) < 0)
    return -1;
  *inode = st.st_ino;
  return fd;
}

static gboolean
open_sockets (Report *r)
{
  struct sockaddr_in any4 = { .sin_family = AF_INET, .sin_port = htons (PORTHOLE_TEST_NETNS_PORT) };
  struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_port = htons (PORTHOLE_TEST_NETNS_PORT) };
  struct sockaddr_in lo4 = { .sin_family = AF_INET, .sin_port = htons (PORTHOLE_TEST_NETNS_PORT),
                             .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof lo4;
  struct stat st;
  int l4, client, accepted;

  l4 = fd_inode_listen (socket (AF_INET, SOCK_STREAM, 0), (struct sockaddr *) &any4,
                        sizeof any4, SOCK_STREAM, &r->inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN]);
  if (l4 < 0 ||
      fd_inode_listen (socket (AF_INET6, SOCK_STREAM, 0), (struct sockaddr *) &any6, sizeof any6,
                       SOCK_STREAM, &r->inodes[PORTHOLE_TEST_NETNS_TCP6_LISTEN]) < 0 ||
      fd_inode_listen (socket (AF_INET, SOCK_DGRAM, 0), (struct sockaddr *) &any4, sizeof any4,
                       SOCK_DGRAM, &r->inodes[PORTHOLE_TEST_NETNS_UDP4]) < 0)
    return FALSE;
  client = socket (AF_INET, SOCK_STREAM, 0);
  if (client < 0 || connect (client, (struct sockaddr *) &lo4, sizeof lo4) < 0 ||
      fstat (client, &st) < 0)
    return FALSE;
  r->inodes[PORTHOLE_TEST_NETNS_CLIENT] = st.st_ino;
  if (getsockname (client, (struct sockaddr *) &lo4, &len) < 0)
    return FALSE;
  r->client_port = ntohs (lo4.sin_port);
  accepted = accept (l4, NULL, NULL);
  if (accepted < 0 || fstat (accepted, &st) < 0)
    return FALSE;
  r->inodes[PORTHOLE_TEST_NETNS_ACCEPTED] = st.st_ino;
  return TRUE;
}

/* A process of the namespace: obeys its command pipe, then exits */
static void G_GNUC_NORETURN
serve_commands (int command_fd, int ack_fd)
{
  char c;
  ssize_t n;

  while ((n = read (command_fd, &c, 1)) > 0 || (n < 0 && errno == EINTR))
    {
      if (n > 0 && c == 'm')
        {
          char ok = porthole_test_enter_netns (NULL) ? 'y' : 'n';

          if (write (ack_fd, &ok, 1) != 1)
            _exit (1);
        }
    }
  while (waitpid (-1, NULL, 0) > 0)
    ;
  _exit (0);
}

/* Ends process @i and reaps it when it is the first one (the others are its children) */
static void
netns_end_process (PortholeTestNetns *t, guint i)
{
  if (t->command_fds[i] >= 0)
    close (t->command_fds[i]);
  t->command_fds[i] = -1;
  if (i == 0 && t->pids[0] > 0)
    {
      waitpid (t->pids[0], NULL, 0);
      t->pids[0] = 0;
    }
}

void
porthole_test_netns_release (PortholeTestNetns *t)
{
  for (guint i = t->n; i-- > 0;)
    netns_end_process (t, i);
  for (guint i = 0; i < 2; i++)
    if (t->ack_fds[i] > 0)
      close (t->ack_fds[i]);
  t->ack_fds[0] = t->ack_fds[1] = -1;
}

gboolean
porthole_test_netns_spawn (PortholeTestNetns *t, guint n, char **reason)
{
  int report_pipe[2];
  int commands[PORTHOLE_TEST_NETNS_MAX_PROCS][2];
  Report report = { 0 };
  pid_t pid;
  ssize_t got;
  int ack_fd;

  g_assert (n >= 1 && n <= PORTHOLE_TEST_NETNS_MAX_PROCS);
  memset (t, 0, sizeof *t);
  if (pipe (report_pipe) < 0 || pipe2 (t->ack_fds, O_CLOEXEC) < 0)
    return FALSE;
  ack_fd = t->ack_fds[1];
  for (guint i = 0; i < n; i++)
    if (pipe2 (commands[i], O_CLOEXEC) < 0)
      return FALSE;
  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      g_autofree char *why = NULL;

      prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
      close (report_pipe[0]);
      for (guint i = 0; i < n; i++)
        close (commands[i][1]);
      report.ok = porthole_test_enter_netns (&why) && open_sockets (&report);
      if (!report.ok)
        g_snprintf (report.reason, sizeof report.reason, "child: %s", why ? why : g_strerror (errno));
      /* The others, started after the sockets so the namespace is theirs too */
      for (guint i = 1; i < n && report.ok; i++)
        {
          pid_t sibling = fork ();

          if (sibling == 0)
            {
              prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
              close (report_pipe[1]);
              serve_commands (commands[i][0], ack_fd);
            }
          t->pids[i] = sibling;
        }
      if (write (report_pipe[1], &report, sizeof report) != sizeof report ||
          write (report_pipe[1], t->pids + 1, (n - 1) * sizeof t->pids[0]) !=
            (ssize_t) ((n - 1) * sizeof t->pids[0]))
        _exit (1);
      close (report_pipe[1]);
      serve_commands (commands[0][0], ack_fd);
    }

  close (report_pipe[1]);
  for (guint i = 0; i < n; i++)
    {
      close (commands[i][0]);
      t->command_fds[i] = commands[i][1];
    }
  t->n = n;
  t->pids[0] = pid;
  got = read (report_pipe[0], &report, sizeof report);
  if (got == sizeof report && report.ok && n > 1 &&
      read (report_pipe[0], t->pids + 1, (n - 1) * sizeof t->pids[0]) !=
        (ssize_t) ((n - 1) * sizeof t->pids[0]))
    got = 0;
  close (report_pipe[0]);
  if (got != sizeof report || !report.ok)
    {
      *reason = g_strdup (got == sizeof report ? report.reason : "child died");
      porthole_test_netns_release (t);
      return FALSE;
    }
  memcpy (t->inodes, report.inodes, sizeof t->inodes);
  t->client_port = report.client_port;
  t->id = porthole_test_netns_of_pid (pid);
  return t->id != 0;
}

gboolean
porthole_test_netns_move (PortholeTestNetns *t, pid_t pid)
{
  char c = 'm';

  for (guint i = 0; i < t->n; i++)
    if (t->pids[i] == pid)
      return write (t->command_fds[i], &c, 1) == 1 && read (t->ack_fds[0], &c, 1) == 1 &&
             c == 'y' && porthole_test_netns_of_pid (pid) != t->id;
  return FALSE;
}

/* LeakSanitizer's check at exit clones a tracer, which after unshare (CLONE_NEWPID) is born
 * into the new pid namespace and cannot trace this process ("does not work under ptrace"):
 * a process that entered a world skips the check. The programs it starts inside the world
 * (porthole-cli) are in that namespace themselves and are still checked. Only a sanitizer
 * build calls this. */
static gboolean entered_world;

int __lsan_is_turned_off (void);

int
__lsan_is_turned_off (void)
{
  return entered_world;
}

/* (see porthole-test-netns.h) Enters a private network namespace (the "host"), unshares the mount and pid namespaces and
 * starts the new pid namespace's first process, which mounts its /proc when told: until then
 * the test reads the machine's /proc, where the pids it forked mean what fork() said. */
void
porthole_test_world_enter (PortholeTestWorld *w)
{
  g_autofree char *reason = NULL;
  int command[2], ack[2];

  if (geteuid () != 0)
    ck_abort_msg ("needs root: real network and pid namespaces");
  entered_world = TRUE;
  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  ck_assert_msg (unshare (CLONE_NEWNS | CLONE_NEWPID) == 0, "unshare: %s", g_strerror (errno));
  ck_assert_int_eq (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
  ck_assert_int_eq (pipe2 (command, O_CLOEXEC), 0);
  ck_assert_int_eq (pipe2 (ack, O_CLOEXEC), 0);
  w->init = fork ();
  ck_assert_int_ge (w->init, 0);
  if (w->init == 0)
    {
      char c = 0;

      prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
      close (command[1]);
      close (ack[0]);
      while (read (command[0], &c, 1) == 1)
        {
          char ok = mount ("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0 ? 'y' : 'n';

          if (write (ack[1], &ok, 1) != 1)
            _exit (1);
        }
      /* the pipe closed: leaving ends every process of the namespace */
      _exit (0);
    }
  close (command[0]);
  close (ack[1]);
  w->command_fd = command[1];
  w->ack_fd = ack[0];
}

/* From now on /proc is the private pid namespace's: porthole-cli sees only the test's processes */
void
porthole_test_world_proc (PortholeTestWorld *w)
{
  char c = 'm';

  ck_assert_int_eq (write (w->command_fd, &c, 1), 1);
  ck_assert_int_eq (read (w->ack_fd, &c, 1), 1);
  ck_assert_msg (c == 'y', "could not mount the private /proc");
}

void
porthole_test_world_leave (PortholeTestWorld *w)
{
  close (w->command_fd);
  close (w->ack_fd);
  waitpid (w->init, NULL, 0);
}
