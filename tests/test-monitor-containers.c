/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-monitor-containers"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-netns.h"
#include "porthole-socket-monitor.h"
#include "porthole-socket-monitor-private.h"   /* PORTHOLE_SOCKET_MONITOR_FULL_EVERY */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/magic.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

/* The monitor in all-namespaces mode against real namespaces the test makes (root only, as in
 * CI): every namespace's sockets, each with its namespace, its container (a cgroup named the
 * way Docker names it) and a true exposure, and a port published by a real process named
 * docker-proxy joined to the container's listener on both ends. */

#define DOCKER_ID "4f1a9c3e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a19"
/* The published container port: not 5080, which other tests' namespaces listen on at the same
 * time (the monitor sees every namespace of the machine, and joins by port) */
#define CONTAINER_PORT 5091

/* A process inside @t's namespace listening on 0.0.0.0:CONTAINER_PORT until the pipe @hold
 * is closed by its writer */
static pid_t
listen_inside (PortholeTestNetns *t, const int hold[2])
{
  int ready[2];
  char c = 0;
  pid_t pid;

  ck_assert_int_eq (pipe (ready), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/ns/net", (int) t->pids[0]);
      struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (CONTAINER_PORT) };
      int ns = open (path, O_RDONLY | O_CLOEXEC);
      int fd;

      close (hold[1]);
      if (ns < 0 || setns (ns, CLONE_NEWNET) != 0 || (fd = socket (AF_INET, SOCK_STREAM, 0)) < 0 ||
          bind (fd, (struct sockaddr *) &sa, sizeof sa) != 0 || listen (fd, 4) != 0)
        _exit (1);
      c = 'y';
      if (write (ready[1], &c, 1) != 1)
        _exit (1);
      while (read (hold[0], &c, 1) > 0)
        ;
      _exit (0);
    }
  close (ready[1]);
  ck_assert_int_eq (read (ready[0], &c, 1), 1);
  close (ready[0]);
  ck_assert_int_eq (c, 'y');
  return pid;
}

static void
keep_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
refresh (PortholeSocketMonitor *monitor)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  porthole_socket_monitor_refresh_async (monitor, NULL, keep_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_msg (porthole_socket_monitor_refresh_finish (monitor, result, &error), "%s",
                 error ? error->message : "");
  g_object_unref (result);
}

static PortholeSocketMonitor *
all_namespaces_monitor (void)
{
  PortholeSocketMonitor *monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, NULL);

  porthole_socket_monitor_set_all_namespaces (monitor, TRUE);
  return monitor;
}

/* The live row of @netns with @port and the given listening-ness and local address kind */
static PortholeSocket *
find (PortholeSocketMonitor *monitor, guint64 netns, guint port, const char *protocol, const char *address)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (monitor));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (monitor), i);

      if (porthole_socket_get_netns (s) == netns && porthole_socket_get_local_port (s) == port &&
          !porthole_socket_get_closed (s) && strcmp (porthole_socket_get_protocol (s), protocol) == 0 &&
          (address == NULL || strcmp (porthole_socket_get_local_address (s), address) == 0))
        return s;   /* the monitor holds the reference */
    }
  return NULL;
}

static void
spawn (PortholeTestNetns *t)
{
  g_autofree char *reason = NULL;

  ck_assert_int_eq (geteuid (), 0);
  ck_assert_msg (porthole_test_netns_spawn (t, 1, &reason), "no namespace: %s", reason);
}

START_TEST (test_every_namespace)
{
  g_autoptr(PortholeSocketMonitor) host_only = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, NULL);
  g_autoptr(PortholeSocketMonitor) monitor = all_namespaces_monitor ();
  PortholeTestNetns t;
  PortholeSocket *listener, *client;

  spawn (&t);
  refresh (host_only);
  ck_assert_ptr_null (find (host_only, t.id, PORTHOLE_TEST_NETNS_PORT, "tcp", "0.0.0.0"));

  refresh (monitor);
  listener = find (monitor, t.id, PORTHOLE_TEST_NETNS_PORT, "tcp", "0.0.0.0");
  ck_assert_ptr_nonnull (listener);
  ck_assert (porthole_socket_is_listening (listener));
  ck_assert_int_eq (porthole_socket_get_pid (listener), t.pids[0]);   /* root sees the owner */
  ck_assert_uint_eq (porthole_socket_get_inode (listener), t.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN]);
  /* 0.0.0.0 inside a namespace is that namespace's network, not the host's */
  ck_assert_int_eq (porthole_socket_get_exposure (listener), PORTHOLE_EXPOSURE_CONTAINER_NETWORK);
  ck_assert_str_eq (porthole_exposure_to_string (porthole_socket_get_exposure (listener)), "container-network");
  ck_assert_ptr_null (porthole_socket_get_container (listener));   /* a bare namespace */
  ck_assert_ptr_null (porthole_socket_get_published (listener));
  /* its loopback connection: only that namespace */
  client = find (monitor, t.id, t.client_port, "tcp", "127.0.0.1");
  ck_assert_ptr_nonnull (client);
  ck_assert_int_eq (porthole_socket_get_exposure (client), PORTHOLE_EXPOSURE_CONTAINER);
  /* the client side is told by that namespace's own listeners */
  ck_assert (porthole_socket_monitor_local_is_ephemeral (monitor, client) ==
             porthole_port_is_ephemeral (porthole_socket_monitor_get_sysctl (monitor), t.client_port));
  ck_assert (!porthole_socket_monitor_remote_is_ephemeral (monitor, client));
  /* distinct keys even for equal endpoints in two namespaces */
  ck_assert (strstr (porthole_socket_get_key (listener), "@") != NULL);
  porthole_test_netns_release (&t);
}
END_TEST

/* A writable cgroup2 hierarchy, or NULL */
static const char *
cgroup2_mount (void)
{
  static const char *const mounts[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };

  for (gsize i = 0; i < G_N_ELEMENTS (mounts); i++)
    {
      struct statfs st;

      if (statfs (mounts[i], &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC && access (mounts[i], W_OK) == 0)
        return mounts[i];
    }
  return NULL;
}

static gboolean
move_to (const char *dir, pid_t pid)
{
  g_autofree char *procs = g_build_filename (dir, "cgroup.procs", NULL);
  FILE *f = fopen (procs, "w");   /* in place: cgroupfs takes no temporary file and rename */
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fprintf (f, "%d\n", (int) pid) > 0;
  return fclose (f) == 0 && ok;
}

START_TEST (test_container_and_publish)
{
  g_autoptr(PortholeSocketMonitor) monitor = all_namespaces_monitor ();
  const char *mount = cgroup2_mount ();
  g_autofree char *base = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("porthole-proxy-XXXXXX", NULL);
  g_autofree char *proxy = g_build_filename (tmp, "docker-proxy", NULL);
  g_autofree char *host_port = NULL;
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sa;
  PortholeTestNetns t;
  PortholeSocket *inside, *host;
  const PortholePublished *p;
  int fd, hold[2], status;
  pid_t forwarder, server;
  guint16 port;
  g_autofree char *name = NULL;

  spawn (&t);
  /* the namespace's process in a cgroup named the way Docker (cgroup v2, systemd) names it */
  ck_assert_msg (mount != NULL, "no writable cgroup2 hierarchy");
  base = g_strdup_printf ("%s/porthole-test-%d", mount, (int) getpid ());
  scope = g_strdup_printf ("%s/docker-%s.scope", base, DOCKER_ID);
  ck_assert_int_eq (g_mkdir_with_parents (scope, 0755), 0);
  ck_assert (move_to (scope, t.pids[0]));

  /* the container's server, started before the host socket exists so it never holds it */
  ck_assert_int_eq (pipe (hold), 0);
  server = listen_inside (&t, hold);

  /* a host listener held by a process called docker-proxy, forwarding into CONTAINER_PORT */
  fd = socket (AF_INET, SOCK_STREAM, 0);   /* inherited by the forwarder: no CLOEXEC */
  ck_assert (bind (fd, (struct sockaddr *) &sa, sizeof sa) == 0 && listen (fd, 4) == 0);
  ck_assert (getsockname (fd, (struct sockaddr *) &sa, &len) == 0);
  port = ntohs (sa.sin_port);
  host_port = g_strdup_printf ("%u", port);
  ck_assert_int_eq (symlink (g_getenv ("PORTHOLE_ARGV_CHILD"), proxy), 0);
  forwarder = fork ();
  if (forwarder == 0)
    {
      char *argv[] = { (char *) "docker-proxy", (char *) "-proto", (char *) "tcp", (char *) "-host-ip",
                       (char *) "127.0.0.1", (char *) "-host-port", host_port, (char *) "-container-ip",
                       (char *) "172.17.0.2", (char *) "-container-port", (char *) G_STRINGIFY (CONTAINER_PORT), NULL };

      dup2 (hold[0], STDIN_FILENO);
      close (hold[1]);
      execv (proxy, argv);
      _exit (127);
    }
  close (hold[0]);
  close (fd);
  porthole_test_spin (100);

  refresh (monitor);
  inside = find (monitor, t.id, CONTAINER_PORT, "tcp", "0.0.0.0");
  host = find (monitor, 0, port, "tcp", "127.0.0.1");
  ck_assert_ptr_nonnull (inside);
  ck_assert_ptr_nonnull (host);
  ck_assert_str_eq (porthole_socket_get_process (host), "docker-proxy");

  /* the container, from the cgroup, named by its short id with no runtime to ask */
  ck_assert_ptr_nonnull (porthole_socket_get_container (inside));
  ck_assert_int_eq (porthole_socket_get_container (inside)->runtime, PORTHOLE_RUNTIME_DOCKER);
  ck_assert_str_eq (porthole_socket_get_container (inside)->id, DOCKER_ID);
  name = porthole_socket_monitor_dup_container_name (monitor, porthole_socket_get_container (inside));
  ck_assert_str_eq (name, "4f1a9c3e8b7d");

  /* published, on both ends */
  p = porthole_socket_get_published (host);
  ck_assert_ptr_nonnull (p);
  ck_assert_str_eq (p->host_address, "127.0.0.1");
  ck_assert_uint_eq (p->host_port, port);
  ck_assert_uint_eq (p->container_port, CONTAINER_PORT);
  ck_assert_str_eq (p->container.id, DOCKER_ID);
  ck_assert_str_eq (p->via, "docker-proxy");
  p = porthole_socket_get_published (inside);
  ck_assert_ptr_nonnull (p);
  ck_assert_uint_eq (p->host_port, port);
  /* reached through the host, whatever the container binds: here only from this computer,
   * since docker-proxy listens on the host's loopback */
  ck_assert_int_eq (porthole_socket_get_exposure (inside), PORTHOLE_EXPOSURE_LOOPBACK);

  /* the forwarder goes (the server stays): the container's listener is its network's only again */
  kill (forwarder, SIGTERM);
  waitpid (forwarder, &status, 0);
  refresh (monitor);
  ck_assert_ptr_null (porthole_socket_get_published (inside));
  ck_assert_int_eq (porthole_socket_get_exposure (inside), PORTHOLE_EXPOSURE_CONTAINER_NETWORK);

  close (hold[1]);
  waitpid (server, &status, 0);
  move_to (mount, t.pids[0]);
  porthole_test_netns_release (&t);
  rmdir (scope);
  rmdir (base);
  unlink (proxy);
  rmdir (tmp);
}
END_TEST

static void
count_change (GListModel *model, guint position, guint removed, guint added, guint *n)
{
  (*n)++;
}

START_TEST (test_quiet_refresh)
{
  g_autoptr(PortholeSocketMonitor) monitor = all_namespaces_monitor ();
  PortholeTestNetns t;
  guint changes = 0;

  spawn (&t);
  refresh (monitor);
  refresh (monitor);   /* settle: sockets of the machine's own that came and went */
  g_signal_connect (monitor, "items-changed", G_CALLBACK (count_change), &changes);
  /* nothing of ours changes between these two; others' sockets on this machine may, so the
   * namespace's rows are what is checked */
  {
    PortholeSocket *listener = find (monitor, t.id, PORTHOLE_TEST_NETNS_PORT, "tcp", "0.0.0.0");
    PortholeSocket *client = find (monitor, t.id, t.client_port, "tcp", "127.0.0.1");
    gulong id, client_id;
    guint notified = 0;

    ck_assert_ptr_nonnull (listener);
    ck_assert_ptr_nonnull (client);
    id = g_signal_connect_swapped (listener, "notify", G_CALLBACK (count_change), &notified);
    client_id = g_signal_connect_swapped (client, "notify", G_CALLBACK (count_change), &notified);
    /* listener-only refreshes of other namespaces keep their connections as they were, and
     * a full one finds them again: never closed and reopened */
    for (guint i = 0; i < PORTHOLE_SOCKET_MONITOR_FULL_EVERY + 1; i++)
      {
        refresh (monitor);
        ck_assert_ptr_eq (find (monitor, t.id, PORTHOLE_TEST_NETNS_PORT, "tcp", "0.0.0.0"), listener);
        ck_assert_ptr_eq (find (monitor, t.id, t.client_port, "tcp", "127.0.0.1"), client);
      }
    ck_assert_uint_eq (notified, 0);
    g_signal_handler_disconnect (listener, id);
    g_signal_handler_disconnect (client, client_id);
  }
  porthole_test_netns_release (&t);
}
END_TEST

static Suite *
monitor_containers_suite (void)
{
  Suite *s = suite_create ("monitor-containers");
  TCase *tc = tcase_create ("namespaces");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_every_namespace);
  tcase_add_test (tc, test_container_and_publish);
  tcase_add_test (tc, test_quiet_refresh);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (monitor_containers_suite)
