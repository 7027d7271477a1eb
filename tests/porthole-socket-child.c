/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A child process for the GUI tests, started with fork + exec so the GTK test process never
 * forks itself. It opens loopback sockets, prints their ports (one per line), then obeys
 * commands on stdin: "close" closes every socket and keeps running; "exit" or EOF exits.
 *
 *   porthole-socket-child [--name COMM] [--uid UID] [--ignore-term]
 *                         [--tcp4 N] [--tcp6 N] [--udp4 N] [--connect PORT]
 *
 * --connect opens a TCP connection to 127.0.0.1:PORT (a listener the test opened) and prints
 * the client's local port. */
#include "config.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 256

static int fds[MAX_FDS];
static int n_fds;

static int
open_socket (int family, int type, int connect_port)
{
  struct sockaddr_storage ss;
  socklen_t len;
  int fd = socket (family, type, 0);

  memset (&ss, 0, sizeof ss);
  if (fd < 0 || n_fds >= MAX_FDS)
    return -1;
  if (family == AF_INET)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &ss;

      sin->sin_family = AF_INET;
      sin->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      sin->sin_port = htons (connect_port);
      len = sizeof *sin;
    }
  else
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

      sin6->sin6_family = AF_INET6;
      sin6->sin6_addr = in6addr_loopback;
      len = sizeof *sin6;
    }
  if (connect_port)
    {
      if (connect (fd, (struct sockaddr *) &ss, len) < 0)
        return -1;
    }
  else if (bind (fd, (struct sockaddr *) &ss, len) < 0 || (type == SOCK_STREAM && listen (fd, 16) < 0))
    return -1;
  len = sizeof ss;
  if (getsockname (fd, (struct sockaddr *) &ss, &len) < 0)
    return -1;
  fds[n_fds++] = fd;
  printf ("%u\n", ntohs (family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                           : ((struct sockaddr_in6 *) &ss)->sin6_port));
  return 0;
}

int
main (int argc, char **argv)
{
  char line[64];

  setvbuf (stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *value = i + 1 < argc ? argv[i + 1] : "0";
      int n = atoi (value);
      int ok = 0;

      if (strcmp (arg, "--name") == 0)
        ok = prctl (PR_SET_NAME, value, 0, 0, 0);
      else if (strcmp (arg, "--uid") == 0)
        ok = (setgroups (0, NULL) < 0 || setresgid (n, n, n) < 0 || setresuid (n, n, n) < 0) ? -1 : 0;
      else if (strcmp (arg, "--ignore-term") == 0)
        {
          signal (SIGTERM, SIG_IGN);
          continue;
        }
      else if (strcmp (arg, "--tcp4") == 0)
        for (int k = 0; k < n && ok == 0; k++)
          ok = open_socket (AF_INET, SOCK_STREAM, 0);
      else if (strcmp (arg, "--tcp6") == 0)
        for (int k = 0; k < n && ok == 0; k++)
          ok = open_socket (AF_INET6, SOCK_STREAM, 0);
      else if (strcmp (arg, "--udp4") == 0)
        for (int k = 0; k < n && ok == 0; k++)
          ok = open_socket (AF_INET, SOCK_DGRAM, 0);
      else if (strcmp (arg, "--connect") == 0)
        ok = open_socket (AF_INET, SOCK_STREAM, n);
      else
        {
          fprintf (stderr, "unknown argument %s\n", arg);
          return 2;
        }
      if (ok != 0)
        {
          perror (arg);
          return 1;
        }
      i++;
    }
  printf ("ready\n");

  while (fgets (line, sizeof line, stdin))
    {
      if (strncmp (line, "close", 5) == 0)
        {
          for (int i = 0; i < n_fds; i++)
            close (fds[i]);
          n_fds = 0;
          printf ("closed\n");
        }
      else if (strncmp (line, "exit", 4) == 0)
        break;
    }
  return 0;
}
