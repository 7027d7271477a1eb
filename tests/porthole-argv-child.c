/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Started by tests with execv () and an argv of their choosing (argv[0] "docker-proxy" and
 * docker-proxy's real flags): ignores its arguments and waits until stdin closes, so that
 * /proc/<pid>/cmdline holds exactly that argv meanwhile. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  char buf[64];
  ssize_t n;

  (void) argc;
  (void) argv;
  do
    n = read (STDIN_FILENO, buf, sizeof buf);
  while (n > 0 || (n < 0 && errno == EINTR));
  return 0;
}
