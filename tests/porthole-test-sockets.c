/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test-sockets.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  gboolean ok;
  char     reason[128];
  PortholeTestSockets sockets;
} Report;

static int
open_socket (int family, int type, struct sockaddr_storage *bound, guint16 *port, guint64 *inode)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t len;
  struct stat st;
  int fd = socket (family, type, 0);

  if (fd < 0)
    return -1;
  if (family == AF_INET)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &ss;

      sin->sin_family = AF_INET;
      sin->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      len = sizeof *sin;
    }
  else
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

      sin6->sin6_family = AF_INET6;
      sin6->sin6_addr = in6addr_loopback;
      len = sizeof *sin6;
    }
  if (bind (fd, (struct sockaddr *) &ss, len) < 0)
    return -1;
  if (type == SOCK_STREAM && listen (fd, 16) < 0)
    return -1;
  len = sizeof ss;
  if (getsockname (fd, (struct sockaddr *) &ss, &len) < 0 || fstat (fd, &st) < 0)
    return -1;
  *port = ntohs (family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                   : ((struct sockaddr_in6 *) &ss)->sin6_port);
  *inode = st.st_ino;
  if (bound)
    *bound = ss;
  return fd;
}

static gboolean
fill_child (PortholeTestSockets *s)
{
  struct sockaddr_storage listener;
  struct sockaddr_in local;
  socklen_t len = sizeof local;
  struct stat st;
  int l4, client, accepted;

  l4 = open_socket (AF_INET, SOCK_STREAM, &listener, &s->tcp4_port, &s->tcp4_inode);
  if (l4 < 0 ||
      open_socket (AF_INET6, SOCK_STREAM, NULL, &s->tcp6_port, &s->tcp6_inode) < 0 ||
      open_socket (AF_INET, SOCK_DGRAM, NULL, &s->udp4_port, &s->udp4_inode) < 0 ||
      open_socket (AF_INET6, SOCK_DGRAM, NULL, &s->udp6_port, &s->udp6_inode) < 0)
    return FALSE;

  client = socket (AF_INET, SOCK_STREAM, 0);
  if (client < 0 || connect (client, (struct sockaddr *) &listener, sizeof (struct sockaddr_in)) < 0)
    return FALSE;
  if (getsockname (client, (struct sockaddr *) &local, &len) < 0 || fstat (client, &st) < 0)
    return FALSE;
  s->client_port = ntohs (local.sin_port);
  s->client_inode = st.st_ino;
  accepted = accept (l4, NULL, NULL);
  if (accepted < 0 || fstat (accepted, &st) < 0)
    return FALSE;
  s->accepted_inode = st.st_ino;
  return TRUE;
}

gboolean
porthole_test_sockets_spawn (PortholeTestSockets *out, const char *comm, char **reason)
{
  int report_pipe[2], release_pipe[2];
  Report report = { 0 };
  ssize_t n;
  pid_t pid;

  memset (out, 0, sizeof *out);
  if (pipe (report_pipe) < 0 || pipe (release_pipe) < 0)
    {
      *reason = g_strdup_printf ("pipe: %s", g_strerror (errno));
      return FALSE;
    }
  pid = fork ();
  if (pid < 0)
    {
      *reason = g_strdup_printf ("fork: %s", g_strerror (errno));
      return FALSE;
    }
  if (pid == 0)
    {
      char c;

      close (report_pipe[0]);
      close (release_pipe[1]);
      if (comm)
        prctl (PR_SET_NAME, comm, 0, 0, 0);
      report.ok = fill_child (&report.sockets);
      if (!report.ok)
        g_snprintf (report.reason, sizeof report.reason, "child: %s", g_strerror (errno));
      report.sockets.pid = getpid ();
      if (write (report_pipe[1], &report, sizeof report) != sizeof report)
        _exit (1);
      close (report_pipe[1]);
      /* Hold the sockets until the parent closes its end (or dies) */
      while (read (release_pipe[0], &c, 1) > 0)
        ;
      _exit (0);
    }

  close (report_pipe[1]);
  close (release_pipe[0]);
  do
    n = read (report_pipe[0], &report, sizeof report);
  while (n < 0 && errno == EINTR);
  close (report_pipe[0]);
  *out = report.sockets;
  out->pid = pid;
  out->release_fd = release_pipe[1];
  if (n != sizeof report || !report.ok)
    {
      *reason = g_strdup (n == sizeof report ? report.reason : "child died");
      porthole_test_sockets_release (out);
      return FALSE;
    }
  return TRUE;
}

void
porthole_test_sockets_release (PortholeTestSockets *sockets)
{
  if (sockets->release_fd > 0)
    close (sockets->release_fd);
  sockets->release_fd = -1;
  if (sockets->pid > 0)
    waitpid (sockets->pid, NULL, 0);
  sockets->pid = 0;
}

static int
run_child (int (*func) (int message_fd, gpointer data),
           gpointer data,
           char   **message,
           gboolean as_nobody)
{
  GString *text = g_string_new (NULL);
  int message_pipe[2];
  int status = 0;
  char buf[512];
  ssize_t n;
  pid_t pid;

  if (pipe (message_pipe) < 0)
    return -1;
  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      close (message_pipe[0]);
      if (!as_nobody)
        _exit (func (message_pipe[1], data));
      if (setgroups (0, NULL) < 0 || setresgid (65534, 65534, 65534) < 0 ||
          setresuid (65534, 65534, 65534) < 0)
        {
          dprintf (message_pipe[1], "dropping to uid 65534: %s", g_strerror (errno));
          _exit (99);
        }
      /* Changing credentials clears the dumpable flag, which would hide even our own /proc
       * entries; an ordinary unprivileged process has it set. */
      prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
      _exit (func (message_pipe[1], data));
    }
  close (message_pipe[1]);
  while ((n = read (message_pipe[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buf, n);
  close (message_pipe[0]);
  waitpid (pid, &status, 0);
  if (message)
    *message = g_string_free (text, FALSE);
  else
    g_string_free (text, TRUE);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

int
porthole_test_run_as_nobody (int (*func) (int message_fd, gpointer data),
                             gpointer data,
                             char   **message)
{
  return run_child (func, data, message, TRUE);
}

int
porthole_test_run_forked (int (*func) (int message_fd, gpointer data),
                          gpointer data,
                          char   **message)
{
  return run_child (func, data, message, FALSE);
}
