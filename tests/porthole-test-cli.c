/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test-cli.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void
porthole_test_cli_start (PortholeTestCli *cli, const char *const *args)
{
  const char *program = g_getenv ("PORTHOLE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  ck_assert_msg (program != NULL, "PORTHOLE_CLI is not set");
  g_ptr_array_add (argv, (char *) program);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  memset (cli, 0, sizeof *cli);
  ck_assert_msg (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &cli->pid,
                                           NULL, &cli->out_fd, &cli->err_fd, &error),
                 "spawn: %s", error ? error->message : "");
  cli->pending = g_string_new (NULL);
}

char *
porthole_test_cli_read_line (PortholeTestCli *cli, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      char *nl = memchr (cli->pending->str, '\n', cli->pending->len);
      struct pollfd p = { .fd = cli->out_fd, .events = POLLIN };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char buf[65536];
      ssize_t n;

      if (nl != NULL)
        {
          char *line = g_strndup (cli->pending->str, nl - cli->pending->str);

          g_string_erase (cli->pending, 0, nl - cli->pending->str + 1);
          return line;
        }
      if (cli->eof || cli->out_fd < 0 || left <= 0)
        return NULL;
      if (poll (&p, 1, (int) left) <= 0)
        continue;
      n = read (cli->out_fd, buf, sizeof buf);
      if (n <= 0)
        cli->eof = TRUE;
      else
        g_string_append_len (cli->pending, buf, n);
    }
}

int
porthole_test_cli_wait (PortholeTestCli *cli, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int status;

  if (cli->pid == 0)
    return -1;
  do
    {
      pid_t r = waitpid (cli->pid, &status, WNOHANG);

      if (r == cli->pid)
        {
          cli->pid = 0;
          return status;
        }
      g_usleep (10000);
    }
  while (g_get_monotonic_time () < deadline);
  return -1;
}

void
porthole_test_cli_stop (PortholeTestCli *cli)
{
  if (cli->pid != 0)
    {
      kill (cli->pid, SIGKILL);
      waitpid (cli->pid, NULL, 0);
      cli->pid = 0;
    }
  if (cli->out_fd >= 0)
    close (cli->out_fd);
  if (cli->err_fd >= 0)
    close (cli->err_fd);
  cli->out_fd = cli->err_fd = -1;
  if (cli->pending)
    g_string_free (cli->pending, TRUE);
  cli->pending = NULL;
}

int
porthole_test_tcp_listener (guint16 *port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (listen (fd, 8), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  *port = ntohs (sin.sin_port);
  return fd;
}

void
porthole_test_tcp_pair (int listener, int *client, int *accepted)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;

  ck_assert_int_eq (getsockname (listener, (struct sockaddr *) &sin, &len), 0);
  *client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge (*client, 0);
  ck_assert_int_eq (connect (*client, (struct sockaddr *) &sin, sizeof sin), 0);
  *accepted = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
  ck_assert_int_ge (*accepted, 0);
}

/* Writes what @fd takes of @total, reads what @from has; returns bytes read */
static gsize
step (int to, gsize *sent, gsize total, int from, gsize *received)
{
  static char out[65536], in[65536];
  ssize_t n;

  if (*sent < total)
    {
      n = send (to, out, MIN (sizeof out, total - *sent), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0)
        *sent += (gsize) n;
      else
        ck_assert_msg (errno == EAGAIN || errno == EWOULDBLOCK, "send: %s", g_strerror (errno));
    }
  n = recv (from, in, sizeof in, MSG_DONTWAIT);
  if (n > 0)
    *received += (gsize) n;
  return n > 0 ? (gsize) n : 0;
}

void
porthole_test_tcp_exchange (int client, int accepted, gsize to_server, gsize to_client)
{
  gsize up_sent = 0, up_received = 0, down_sent = 0, down_received = 0;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (up_received < to_server || down_received < to_client)
    {
      struct pollfd p[2] = { { .fd = client, .events = POLLIN | POLLOUT },
                             { .fd = accepted, .events = POLLIN | POLLOUT } };

      ck_assert_msg (g_get_monotonic_time () < deadline, "exchange stalled at %zu/%zu, %zu/%zu",
                     up_received, to_server, down_received, to_client);
      poll (p, 2, 100);
      step (client, &up_sent, to_server, accepted, &up_received);
      step (accepted, &down_sent, to_client, client, &down_received);
    }
  ck_assert_uint_eq (up_received, to_server);
  ck_assert_uint_eq (down_received, to_client);
}

guint64
porthole_test_fd_inode (int fd)
{
  struct stat st;

  ck_assert_int_eq (fstat (fd, &st), 0);
  return st.st_ino;
}

gsize
porthole_test_cli_columns (const char *line)
{
  return g_utf8_strlen (line, -1);
}

/* Reads @fd until the peer's FIN (bounded: 10 s) */
static void
read_to_end (int fd)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  char buf[4096];

  for (;;)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      ssize_t n;

      ck_assert_msg (g_get_monotonic_time () < deadline, "no end of stream");
      if (poll (&p, 1, 100) <= 0)
        continue;
      n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0)
        return;
      ck_assert_msg (n > 0 || errno == EAGAIN, "recv: %s", g_strerror (errno));
    }
}

void
porthole_test_tcp_orderly_close (int first, int second)
{
  ck_assert_int_eq (shutdown (first, SHUT_WR), 0);
  read_to_end (second);
  close (second);
  read_to_end (first);
  close (first);
}
