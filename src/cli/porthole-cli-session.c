/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli-session.h"
#include "porthole-cli.h"
#include "porthole-escape.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The signal handlers' side: flags and a pipe that wakes the main loop (a handler may do no
 * more than write(2)); one session per process */
static volatile sig_atomic_t quitting;
static volatile sig_atomic_t resized;
static int wake[2] = { -1, -1 };
static GMainLoop *session_loop;
static GSourceFunc resize_func;
static gpointer resize_data;

static void
on_signal (int signo)
{
  int saved = errno;
  char c = 's';

  if (signo == SIGWINCH)
    resized = 1;
  else
    quitting = 1;
  if (wake[1] >= 0 && write (wake[1], &c, 1) < 0)
    {
      /* full: a wake-up is pending already */
    }
  errno = saved;
}

static gboolean
on_wake (int fd, GIOCondition condition, gpointer data)
{
  char buf[64];

  while (read (fd, buf, sizeof buf) > 0)
    ;
  if (quitting)
    {
      g_main_loop_quit (session_loop);
      return G_SOURCE_CONTINUE;
    }
  if (resized)
    {
      resized = 0;
      if (resize_func)
        resize_func (resize_data);
    }
  return G_SOURCE_CONTINUE;
}

void
porthole_cli_session_start (GMainLoop *loop, GSourceFunc on_resize, gpointer data)
{
  struct sigaction action = { .sa_handler = on_signal };
  const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };

  g_return_if_fail (session_loop == NULL);
  session_loop = loop;
  resize_func = on_resize;
  resize_data = data;
  if (pipe2 (wake, O_CLOEXEC | O_NONBLOCK) != 0)
    g_error ("pipe2: %s", g_strerror (errno));
  g_unix_fd_add (wake[0], G_IO_IN, on_wake, NULL);

  /* no SA_RESTART: a write() blocked on a reader that stopped reading returns EINTR */
  sigemptyset (&action.sa_mask);
  action.sa_flags = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    sigaction (quit_signals[i], &action, NULL);
  if (on_resize != NULL)
    {
      action.sa_flags = SA_RESTART;
      sigaction (SIGWINCH, &action, NULL);
    }
  signal (SIGPIPE, SIG_IGN);
}

gboolean
porthole_cli_session_quitting (void)
{
  return quitting != 0;
}

static gboolean
on_stdout_gone (int fd, GIOCondition condition, gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
porthole_cli_session_watch_stdout (GMainLoop *loop)
{
  struct stat st;

  /* poll() reports POLLERR on a pipe's writing end once no reader is left; a terminal or a
   * file never does it that way, and they end otherwise (SIGHUP, a full disk: EPIPE/ENOSPC) */
  if (fstat (STDOUT_FILENO, &st) == 0 && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)))
    g_unix_fd_add (STDOUT_FILENO, G_IO_ERR | G_IO_HUP, on_stdout_gone, loop);
}

gboolean
porthole_cli_write_all (int fd, const char *buf, gsize len)
{
  while (len > 0)
    {
      ssize_t n;

      if (quitting)
        return FALSE;
      n = write (fd, buf, len);
      if (n > 0)
        {
          buf += n;
          len -= (gsize) n;
        }
      else if (n < 0 && errno == EAGAIN)
        {
          /* a non-blocking stdout we inherited: wait until it drains (or a signal) */
          struct pollfd p = { .fd = fd, .events = POLLOUT };

          if (poll (&p, 1, -1) < 0 && errno != EINTR)
            return FALSE;
        }
      else if (n < 0 && errno == EINTR)
        continue;
      else
        return FALSE;
    }
  return TRUE;
}

gboolean
porthole_cli_parse_interval (const char *text, guint fallback, guint *interval_ms)
{
  guint64 value = 0;

  if (text == NULL)
    {
      *interval_ms = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, PORTHOLE_CLI_INTERVAL_MIN, PORTHOLE_CLI_INTERVAL_MAX,
                                   &value, NULL))
    {
      g_autofree char *shown = porthole_escape_text (text, -1, FALSE);

      porthole_cli_bad_input (_("bad --interval value “%s” (milliseconds, %u to %u)"), shown,
                              PORTHOLE_CLI_INTERVAL_MIN, PORTHOLE_CLI_INTERVAL_MAX);
      return FALSE;
    }
  *interval_ms = (guint) value;
  return TRUE;
}
