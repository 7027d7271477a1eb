/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Fixed: the namespaces are the test's own, so nothing else can hold it there */
#define PORTHOLE_TEST_NETNS_PORT 5080
#define PORTHOLE_TEST_NETNS_MAX_PROCS 4

/* The sockets in each namespace: TCP listeners on 0.0.0.0:5080 and [::]:5080 (v6-only), UDP
 * bound to 0.0.0.0:5080, and a connection over loopback to the IPv4 listener (both ends). */
enum {
  PORTHOLE_TEST_NETNS_TCP4_LISTEN,
  PORTHOLE_TEST_NETNS_TCP6_LISTEN,
  PORTHOLE_TEST_NETNS_UDP4,
  PORTHOLE_TEST_NETNS_CLIENT,
  PORTHOLE_TEST_NETNS_ACCEPTED,
  PORTHOLE_TEST_NETNS_N_SOCKETS
};

/* A network namespace made by the test (root only): its first process opened the sockets,
 * then forked the others, which share them. Each process takes commands on its own pipe. */
typedef struct {
  guint   n;
  pid_t   pids[PORTHOLE_TEST_NETNS_MAX_PROCS];
  int     command_fds[PORTHOLE_TEST_NETNS_MAX_PROCS];
  int     ack_fds[2];
  guint64 id;                 /* the inode of /proc/<pid>/net/tcp, as PortholeNetns.id */
  guint64 inodes[PORTHOLE_TEST_NETNS_N_SOCKETS];
  guint16 client_port;
} PortholeTestNetns;

/* Forks @n_procs processes (at most PORTHOLE_TEST_NETNS_MAX_PROCS) in a new namespace that
 * holds the sockets above. Returns FALSE with a reason when it could not be set up. */
gboolean porthole_test_netns_spawn (PortholeTestNetns *t, guint n_procs, char **reason);
/* Moves process @pid of @t into a fresh namespace of its own; it keeps its sockets. */
gboolean porthole_test_netns_move (PortholeTestNetns *t, pid_t pid);
/* Ends every process of @t and reaps them. */
void     porthole_test_netns_release (PortholeTestNetns *t);

/* The inode of /proc/<pid>/net/tcp, 0 when the process is gone */
guint64  porthole_test_netns_of_pid (pid_t pid);

/* A world of a test's own (root): a private network namespace stands for the host, and a
 * private pid namespace with its own /proc keeps every other process of the machine (other
 * tests' namespaces on port 5080 among them) out of sight, so what the monitor joins and lists
 * is only what the test made. enter: the network, mount and pid namespaces (the test's next
 * fork is the pid namespace's pid 1's child); proc: mounts the private /proc, after which pids
 * are the pid namespace's; leave: ends every process in it. */
typedef struct {
  pid_t init;          /* pid 1 of the private pid namespace */
  int   command_fd;    /* 'm': mount its /proc; closing it ends the namespace */
  int   ack_fd;
} PortholeTestWorld;

void porthole_test_world_enter (PortholeTestWorld *w);
void porthole_test_world_proc (PortholeTestWorld *w);
void porthole_test_world_leave (PortholeTestWorld *w);

G_END_DECLS
