/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-top"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-cli.h"

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <utmp.h>

/* `porthole-cli top`: on a pipe, one snapshot a script can read; on a real pseudo-terminal,
 * the full-screen view, which must give the terminal back as it found it however it ends.
 * In a private network namespace holding only the test's own loopback sockets. */

static void
enter_netns (const char *comm)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  prctl (PR_SET_NAME, comm);
}

/* The snapshot on a pipe lists the test's program and connections with what they moved, with
 * the control characters of its name escaped; no escape sequence reaches the pipe */
START_TEST (test_top_pipe_snapshot)
{
  const char *cli = g_getenv ("PORTHOLE_CLI");
  const char *argv[] = { cli, "top", "--interval", "200", "--netns", "host", NULL };
  const char *envp[] = { "COLUMNS=150", NULL };
  g_autofree char *out = NULL, *err = NULL, *client_line = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean program_seen = FALSE, client_seen = FALSE, accepted_seen = FALSE;
  guint16 port;
  int status = -1, listener, client, accepted;

  /* ESC [31m would turn a terminal red if it were written as it is */
  enter_netns ("ph\033[31mtop");
  listener = porthole_test_tcp_listener (&port);
  porthole_test_tcp_pair (listener, &client, &accepted);
  porthole_test_tcp_exchange (client, accepted, 3000000, 200000);

  ck_assert (g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_DEFAULT, NULL, NULL,
                           &out, &err, &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "status %d: %s", status, err);
  ck_assert_msg (strchr (out, '\033') == NULL, "an escape sequence on a pipe:\n%s", out);
  lines = g_strsplit (out, "\n", -1);
  ck_assert (g_str_has_prefix (lines[0], "Porthole: "));
  client_line = g_strdup_printf ("127.0.0.1:%u", port);
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *pid = g_strdup_printf (" %d ", getpid ());

      ck_assert_msg (porthole_test_cli_columns (lines[i]) <= 150, "too wide: %s", lines[i]);
      /* the program: both ends' bytes, 3,200,000 each way, escaped name, its pid */
      if (g_str_has_prefix (lines[i], "ph\\x1b[31mtop ") && strstr (lines[i], pid))
        {
          program_seen = TRUE;
          ck_assert_msg (strstr (lines[i], "3.1 MiB  3.1 MiB") != NULL, "%s", lines[i]);
        }
      /* each connection: its own end's counts */
      if (g_str_has_prefix (lines[i], "tcp   ESTABLISHED ") && strstr (lines[i], client_line))
        {
          if (strstr (lines[i], " 2.9 MiB  195 KiB ph\\x1b[31mtop("))
            client_seen = TRUE;
          else if (strstr (lines[i], " 195 KiB  2.9 MiB ph\\x1b[31mtop("))
            accepted_seen = TRUE;
          else
            ck_abort_msg ("unexpected counts: %s", lines[i]);
        }
    }
  ck_assert_msg (program_seen && client_seen && accepted_seen, "not all listed:\n%s", out);
  close (client);
  close (accepted);
  close (listener);
}
END_TEST

typedef struct {
  int      master;
  int      slave;     /* kept open here, so its settings can be read after the child ends */
  pid_t    pid;
  GString *seen;
} Pty;

static void
pty_start (Pty *p, guint columns, guint rows)
{
  struct winsize ws = { .ws_row = rows, .ws_col = columns };
  const char *cli = g_getenv ("PORTHOLE_CLI");

  ck_assert_int_eq (openpty (&p->master, &p->slave, NULL, NULL, &ws), 0);
  p->seen = g_string_new (NULL);
  p->pid = fork ();
  ck_assert_int_ge (p->pid, 0);
  if (p->pid == 0)
    {
      /* the slave becomes its controlling terminal: stdin, stdout and stderr */
      close (p->master);
      if (login_tty (dup (p->slave)) != 0)
        _exit (126);
      execl (cli, cli, "top", "--interval", "200", "--netns", "host", (char *) NULL);
      _exit (127);
    }
}

/* Reads the terminal until @needle appears after @from; FALSE after @timeout_ms */
static gboolean
pty_expect (Pty *p, gsize from, const char *needle, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd fd = { .fd = p->master, .events = POLLIN };
      char buf[4096];
      ssize_t n;

      if (from <= p->seen->len && strstr (p->seen->str + from, needle))
        return TRUE;
      if (poll (&fd, 1, 50) <= 0)
        continue;
      n = read (p->master, buf, sizeof buf);
      if (n <= 0)
        break;   /* EIO: the child and its terminal are gone */
      g_string_append_len (p->seen, buf, n);
    }
  return from <= p->seen->len && strstr (p->seen->str + from, needle) != NULL;
}

static int
pty_wait (Pty *p, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int status;

  while (g_get_monotonic_time () < deadline)
    {
      pty_expect (p, p->seen->len, "\001never\001", 20);   /* keeps the terminal drained */
      if (waitpid (p->pid, &status, WNOHANG) == p->pid)
        return status;
    }
  kill (p->pid, SIGKILL);
  waitpid (p->pid, &status, 0);
  return -1;
}

static void
pty_close (Pty *p)
{
  close (p->master);
  close (p->slave);
  g_string_free (p->seen, TRUE);
}

static void
assert_same_termios (const struct termios *a, const struct termios *b)
{
  ck_assert_uint_eq (a->c_iflag, b->c_iflag);
  ck_assert_uint_eq (a->c_oflag, b->c_oflag);
  ck_assert_uint_eq (a->c_cflag, b->c_cflag);
  ck_assert_uint_eq (a->c_lflag, b->c_lflag);
  ck_assert (memcmp (a->c_cc, b->c_cc, sizeof a->c_cc) == 0);
}

/* q, Ctrl+C and SIGTERM each end it with status 0, and the terminal is as it was: its
 * settings (raw while it ran), the normal screen and a visible cursor */
START_TEST (test_top_pty_restores)
{
  static const struct { const char *key; int signo; } ends[] = {
    { "q", 0 }, { "\003", 0 }, { NULL, SIGTERM }, { NULL, SIGINT },
  };
  guint16 port;
  int listener;

  enter_netns ("ph-top-pty");
  listener = porthole_test_tcp_listener (&port);
  for (gsize e = 0; e < G_N_ELEMENTS (ends); e++)
    {
      struct termios before, during, after;
      Pty p;
      int status;

      pty_start (&p, 100, 30);
      ck_assert_int_eq (tcgetattr (p.slave, &before), 0);
      ck_assert_msg (pty_expect (&p, 0, "\033[?1049h", 10000), "no alternate screen: %s", p.seen->str);
      ck_assert_msg (pty_expect (&p, 0, "PROGRAM", 10000), "no frame");
      ck_assert_msg (pty_expect (&p, 0, "ph-top-pty", 10000), "its own program is not shown");
      ck_assert_int_eq (tcgetattr (p.slave, &during), 0);
      ck_assert_msg (!(during.c_lflag & (ICANON | ECHO)), "not in raw mode");
      if (ends[e].key)
        ck_assert_int_eq (write (p.master, ends[e].key, 1), 1);
      else
        kill (p.pid, ends[e].signo);
      status = pty_wait (&p, 5000);
      ck_assert_msg (status != -1, "top did not end (case %zu)", e);
      ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "case %zu: status %d", e, status);
      ck_assert_int_eq (tcgetattr (p.slave, &after), 0);
      assert_same_termios (&before, &after);
      /* the normal screen and the cursor are back, after the last frame */
      {
        const char *last_enter = g_strrstr (p.seen->str, "\033[?1049h");
        const char *leave = g_strrstr (p.seen->str, "\033[?1049l");
        const char *cursor = g_strrstr (p.seen->str, "\033[?25h");

        ck_assert_msg (leave != NULL && leave > last_enter && cursor != NULL && cursor > last_enter,
                       "case %zu: the screen was not given back", e);
        ck_assert_ptr_null (strstr (leave, "PROGRAM"));
      }
      pty_close (&p);
    }
  close (listener);
}
END_TEST

/* A resized terminal (SIGWINCH) is drawn again at its new width */
START_TEST (test_top_pty_resize)
{
  struct winsize wide = { .ws_row = 40, .ws_col = 200 };
  g_autofree char *wide_header = NULL;
  Pty p;
  gsize mark;
  int status;

  enter_netns ("ph-top-resize");
  pty_start (&p, 80, 24);
  ck_assert (pty_expect (&p, 0, "PROGRAM", 10000));
  /* at 80 columns the name column is 27 wide; at 200, 147 */
  wide_header = g_strdup_printf ("PROGRAM%*s", 140, "");
  ck_assert_ptr_null (strstr (p.seen->str, wide_header));
  mark = p.seen->len;
  ck_assert_int_eq (ioctl (p.master, TIOCSWINSZ, &wide), 0);
  ck_assert_msg (pty_expect (&p, mark, wide_header, 10000), "not redrawn at 200 columns");
  ck_assert_int_eq (write (p.master, "q", 1), 1);
  status = pty_wait (&p, 5000);
  ck_assert (status != -1 && WIFEXITED (status) && WEXITSTATUS (status) == 0);
  pty_close (&p);
}
END_TEST

START_TEST (test_top_bad_input)
{
  const char *cli = g_getenv ("PORTHOLE_CLI");
  const char *const bad[][3] = {
    { "--interval", "0", NULL }, { "--interval", "soon", NULL }, { "--interval", "-1", NULL },
    { "--netns", "nowhere", NULL }, { "extra", NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *argv[] = { cli, "top", bad[i][0], bad[i][1], NULL };
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;

      ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, NULL));
      ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 2, "case %zu: %d", i, status);
      ck_assert_str_eq (out, "");
      ck_assert_msg (strchr (err, '\n') == err + strlen (err) - 1, "not one line: %s", err);
    }
}
END_TEST

static Suite *
cli_top_suite (void)
{
  Suite *s = suite_create ("cli-top");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_top_pipe_snapshot);
  tcase_add_test (tc, test_top_pty_restores);
  tcase_add_test (tc, test_top_pty_resize);
  tcase_add_test (tc, test_top_bad_input);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (cli_top_suite)
