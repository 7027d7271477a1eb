/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* A child process holding a known set of loopback sockets: TCP listeners on 127.0.0.1 and ::1,
 * bound UDP sockets on 127.0.0.1 and ::1, and an established IPv4 TCP pair (client connected
 * to the IPv4 listener, accepted end kept open). Every port was chosen by the kernel (bind to
 * port 0). Inodes come from fstat() in the child. */
typedef struct {
  pid_t   pid;
  int     release_fd;        /* closing it lets the child exit */
  guint16 tcp4_port;
  guint16 tcp6_port;
  guint16 udp4_port;
  guint16 udp6_port;
  guint16 client_port;       /* the client end of the pair, connected to tcp4_port */
  guint64 tcp4_inode;
  guint64 tcp6_inode;
  guint64 udp4_inode;
  guint64 udp6_inode;
  guint64 client_inode;
  guint64 accepted_inode;
} PortholeTestSockets;

/* Forks the child; @comm (at most 15 bytes) becomes its process name. Returns FALSE with
 * a reason when the child could not set up its sockets. */
gboolean porthole_test_sockets_spawn (PortholeTestSockets *out, const char *comm, char **reason);
/* Lets the child exit and reaps it. */
void     porthole_test_sockets_release (PortholeTestSockets *sockets);

/* Runs @func in a forked child that dropped to uid/gid 65534 (setresgid, setgroups,
 * setresuid); returns the child's exit status (0 success), or -1 when the fork failed.
 * What the child writes to @message_fd (a pipe) comes back in *@message. */
int porthole_test_run_as_nobody (int (*func) (int message_fd, gpointer data),
                                 gpointer data,
                                 char   **message);

/* The same without dropping privileges: for changes that must not touch the test process. */
int porthole_test_run_forked (int (*func) (int message_fd, gpointer data),
                              gpointer data,
                              char   **message);

G_END_DECLS
