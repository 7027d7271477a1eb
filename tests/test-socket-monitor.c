/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-socket-monitor"
#include "config.h"

#include "porthole-test.h"
#include "porthole-socket-monitor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Everything here runs in a private network namespace entered by each (forked) test, so the
 * only sockets the monitor sees are the ones the test opens. */

typedef struct {
  guint position, removed, added;
} Change;

typedef struct {
  PortholeSocketMonitor *monitor;
  GArray                *changes;
  GPtrArray             *opened;
  GPtrArray             *closed;
} Fixture;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  Change c = { position, removed, added };

  g_array_append_val (f->changes, c);
}

static void
on_opened (PortholeSocketMonitor *m, PortholeSocket *s, Fixture *f)
{
  g_ptr_array_add (f->opened, g_object_ref (s));
}

static void
on_closed (PortholeSocketMonitor *m, PortholeSocket *s, Fixture *f)
{
  g_ptr_array_add (f->closed, g_object_ref (s));
}

static void
enter_netns (void)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
}

static void
fixture_init (Fixture *f, gboolean force_proc)
{
  enter_netns ();
  f->monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "force-proc", force_proc, NULL);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  f->opened = g_ptr_array_new_with_free_func (g_object_unref);
  f->closed = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->monitor, "items-changed", G_CALLBACK (on_items_changed), f);
  g_signal_connect (f->monitor, "socket-opened", G_CALLBACK (on_opened), f);
  g_signal_connect (f->monitor, "socket-closed", G_CALLBACK (on_closed), f);
}

static void
fixture_clear (Fixture *f)
{
  g_object_unref (f->monitor);
  g_array_unref (f->changes);
  g_ptr_array_unref (f->opened);
  g_ptr_array_unref (f->closed);
}

static void
reset (Fixture *f)
{
  g_array_set_size (f->changes, 0);
  g_ptr_array_set_size (f->opened, 0);
  g_ptr_array_set_size (f->closed, 0);
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error),
                 "refresh failed: %s", error ? error->message : "?");
  *(gboolean *) data = TRUE;
}

static void
refresh (Fixture *f)
{
  gboolean done = FALSE;

  reset (f);
  porthole_socket_monitor_refresh_async (f->monitor, NULL, on_refreshed, &done);
  ck_assert_msg (porthole_test_wait_for (&done, 10000), "refresh did not finish");
}

static int
open_socket (int family, int type, const char *address, guint16 *port_out)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t len;
  int fd = socket (family, type | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  if (family == AF_INET)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &ss;

      sin->sin_family = AF_INET;
      inet_pton (AF_INET, address, &sin->sin_addr);
      len = sizeof *sin;
    }
  else
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

      sin6->sin6_family = AF_INET6;
      inet_pton (AF_INET6, address, &sin6->sin6_addr);
      len = sizeof *sin6;
    }
  ck_assert_msg (bind (fd, (struct sockaddr *) &ss, len) == 0, "bind: %s", g_strerror (errno));
  if (type == SOCK_STREAM)
    ck_assert_int_eq (listen (fd, 16), 0);
  len = sizeof ss;
  getsockname (fd, (struct sockaddr *) &ss, &len);
  *port_out = ntohs (family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                       : ((struct sockaddr_in6 *) &ss)->sin6_port);
  return fd;
}

static guint64
inode_of (int fd)
{
  struct stat st;

  ck_assert_int_eq (fstat (fd, &st), 0);
  return st.st_ino;
}

static PortholeSocket *
find (Fixture *f, guint64 inode)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->monitor));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (f->monitor), i);

      if (porthole_socket_get_inode (s) == inode)
        return s;   /* the monitor keeps its own reference */
    }
  return NULL;
}

static void
check_open_close (gboolean force_proc)
{
  Fixture f = { 0 };
  guint16 port1, port2, port3;
  int fd1, fd2, fd3;
  PortholeSocket *s;
  g_autofree char *comm = NULL;

  fixture_init (&f, force_proc);

  /* An empty namespace: the first snapshot is empty and emits nothing */
  refresh (&f);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f.monitor)), 0);
  ck_assert_uint_eq (f.changes->len, 0);
  ck_assert (porthole_socket_monitor_get_loaded (f.monitor));
  ck_assert_int_eq (porthole_socket_monitor_get_source (f.monitor),
                    force_proc ? PORTHOLE_SOURCE_PROC : PORTHOLE_SOURCE_NETLINK);

  fd1 = open_socket (AF_INET, SOCK_STREAM, "127.0.0.1", &port1);
  refresh (&f);
  ck_assert_uint_eq (f.changes->len, 1);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).position, 0);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).removed, 0);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).added, 1);
  ck_assert_uint_eq (f.opened->len, 1);
  ck_assert_uint_eq (f.closed->len, 0);
  s = g_ptr_array_index (f.opened, 0);
  ck_assert_uint_eq (porthole_socket_get_local_port (s), port1);
  ck_assert_str_eq (porthole_socket_get_protocol (s), "tcp");
  ck_assert_str_eq (porthole_socket_get_family (s), "ipv4");
  ck_assert_str_eq (porthole_socket_get_state (s), "LISTEN");
  ck_assert_str_eq (porthole_socket_get_local_address (s), "127.0.0.1");
  {
    g_autofree char *endpoint = g_strdup_printf ("127.0.0.1:%u", port1);

    ck_assert_str_eq (porthole_socket_get_local_endpoint (s), endpoint);
    ck_assert_str_eq (porthole_socket_get_remote_endpoint (s), "0.0.0.0:*");
  }
  ck_assert_uint_eq (porthole_socket_get_inode (s), inode_of (fd1));
  ck_assert_int_eq (porthole_socket_get_pid (s), getpid ());
  ck_assert_int_eq (porthole_socket_get_owner_status (s), PORTHOLE_OWNER_KNOWN);
  ck_assert_uint_eq (porthole_socket_get_uid (s), geteuid ());
  g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL);
  g_strchomp (comm);
  ck_assert_str_eq (porthole_socket_get_process (s), comm);
  ck_assert (porthole_socket_is_listening (s));
  ck_assert (porthole_socket_is_loopback (s));
  ck_assert_int_gt (porthole_socket_get_first_seen (s), 0);

  /* Nothing changed: nothing at all is emitted */
  refresh (&f);
  ck_assert_uint_eq (f.changes->len, 0);
  ck_assert_uint_eq (f.opened->len, 0);
  ck_assert_uint_eq (f.closed->len, 0);

  /* Two more: appended after the first, in one emission */
  fd2 = open_socket (AF_INET6, SOCK_DGRAM, "::1", &port2);
  fd3 = open_socket (AF_INET6, SOCK_STREAM, "::", &port3);
  refresh (&f);
  ck_assert_uint_eq (f.changes->len, 1);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).position, 1);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).removed, 0);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).added, 2);
  ck_assert_uint_eq (f.opened->len, 2);
  s = find (&f, inode_of (fd2));
  ck_assert_ptr_nonnull (s);
  ck_assert_str_eq (porthole_socket_get_protocol (s), "udp");
  ck_assert_str_eq (porthole_socket_get_state (s), "UNCONN");
  g_free (comm);
  comm = g_strdup_printf ("[::1]:%u", port2);
  ck_assert_str_eq (porthole_socket_get_local_endpoint (s), comm);
  s = find (&f, inode_of (fd3));
  ck_assert_ptr_nonnull (s);
  ck_assert (porthole_socket_is_wildcard (s));
  /* A [::] listener that also takes IPv4 is "*" (as ss writes it); /proc cannot tell */
  g_free (comm);
  comm = g_strdup_printf (force_proc ? "[::]:%u" : "*:%u", port3);
  ck_assert_str_eq (porthole_socket_get_local_endpoint (s), comm);
  ck_assert (!porthole_socket_is_loopback (s));

  /* Close the first: removed at position 0, one socket-closed */
  close (fd1);
  refresh (&f);
  ck_assert_uint_eq (f.changes->len, 1);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).position, 0);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).removed, 1);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).added, 0);
  ck_assert_uint_eq (f.closed->len, 1);
  ck_assert_uint_eq (porthole_socket_get_local_port (g_ptr_array_index (f.closed, 0)), port1);
  ck_assert (porthole_socket_get_closed (g_ptr_array_index (f.closed, 0)));
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f.monitor)), 2);

  /* Close the [::] listener: removed exactly at its position */
  {
    guint position = G_MAXUINT;
    g_autoptr(PortholeSocket) first = g_list_model_get_item (G_LIST_MODEL (f.monitor), 0);

    position = porthole_socket_get_inode (first) == inode_of (fd3) ? 0 : 1;
    close (fd3);
    refresh (&f);
    ck_assert_uint_eq (f.changes->len, 1);
    ck_assert_uint_eq (g_array_index (f.changes, Change, 0).position, position);
  }
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).removed, 1);
  close (fd2);
  refresh (&f);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f.monitor)), 0);
  fixture_clear (&f);
}

START_TEST (test_open_close_netlink)
{
  check_open_close (FALSE);
}
END_TEST

START_TEST (test_open_close_proc)
{
  check_open_close (TRUE);
}
END_TEST

static void
on_notify_closed (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(int *) data)++;
}

START_TEST (test_linger)
{
  Fixture f = { 0 };
  guint16 port;
  int fd;
  PortholeSocket *s;
  int notified = 0;
  gint64 start;

  fixture_init (&f, FALSE);
  porthole_socket_monitor_set_linger (f.monitor, 300);
  refresh (&f);
  fd = open_socket (AF_INET, SOCK_DGRAM, "127.0.0.1", &port);
  refresh (&f);
  s = find (&f, inode_of (fd));
  ck_assert_ptr_nonnull (s);
  g_signal_connect (s, "notify::closed", G_CALLBACK (on_notify_closed), &notified);

  close (fd);
  refresh (&f);
  /* Marked closed and announced, but still in the model */
  ck_assert_int_eq (notified, 1);
  ck_assert_uint_eq (f.closed->len, 1);
  ck_assert_uint_eq (f.changes->len, 0);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f.monitor)), 1);
  ck_assert (porthole_socket_get_closed (s));

  /* Gone once the linger time is over, without another refresh */
  start = g_get_monotonic_time ();
  while (g_list_model_get_n_items (G_LIST_MODEL (f.monitor)) > 0 &&
         g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f.monitor)), 0);
  ck_assert_int_ge (g_get_monotonic_time () - start, 200 * 1000);
  ck_assert_uint_eq (f.changes->len, 1);
  ck_assert_uint_eq (g_array_index (f.changes, Change, 0).removed, 1);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_established_pair)
{
  Fixture f = { 0 };
  struct sockaddr_in sin = { .sin_family = AF_INET };
  guint16 port;
  int listener, client, server;
  PortholeSocket *c, *sv, *l;
  g_autoptr(GPtrArray) conns = NULL;
  PortholeSysctl sysctl;

  fixture_init (&f, FALSE);
  listener = open_socket (AF_INET, SOCK_STREAM, "127.0.0.1", &port);
  refresh (&f);   /* first snapshot: the listener, no socket-opened */
  ck_assert_uint_eq (f.opened->len, 0);
  ck_assert_uint_eq (f.changes->len, 1);
  l = find (&f, inode_of (listener));
  ck_assert_int_eq (porthole_socket_get_first_seen (l), 0);

  client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sin.sin_port = htons (port);
  inet_pton (AF_INET, "127.0.0.1", &sin.sin_addr);
  ck_assert_int_eq (connect (client, (struct sockaddr *) &sin, sizeof sin), 0);
  server = accept (listener, NULL, NULL);
  ck_assert_int_ge (server, 0);
  refresh (&f);
  ck_assert_uint_eq (f.opened->len, 2);
  c = find (&f, inode_of (client));
  sv = find (&f, inode_of (server));
  ck_assert_ptr_nonnull (c);
  ck_assert_ptr_nonnull (sv);
  ck_assert_str_eq (porthole_socket_get_state (c), "ESTABLISHED");
  ck_assert_uint_eq (porthole_socket_get_remote_port (c), port);
  ck_assert_uint_eq (porthole_socket_get_local_port (sv), port);
  ck_assert_uint_eq (porthole_socket_get_remote_port (sv), porthole_socket_get_local_port (c));
  /* The client's port came from this system's ephemeral range */
  porthole_sysctl_read (NULL, &sysctl);
  ck_assert (porthole_port_is_ephemeral (&sysctl, porthole_socket_get_local_port (c)));

  /* One port, many clients: the listener's connection list holds the accepted end */
  conns = porthole_socket_monitor_get_connections_to (f.monitor, l);
  ck_assert_uint_eq (conns->len, 1);
  ck_assert_ptr_eq (g_ptr_array_index (conns, 0), sv);
  ck_assert_ptr_eq (porthole_socket_monitor_find_listener (f.monitor, port, "tcp"), l);
  ck_assert_ptr_null (porthole_socket_monitor_find_listener (f.monitor, port, "udp"));

  close (client);
  close (server);
  close (listener);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_flags_filter)
{
  Fixture f = { 0 };
  guint16 p1, p2;
  int fd1, fd2;

  fixture_init (&f, FALSE);
  porthole_socket_monitor_set_flags (f.monitor, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4 | PORTHOLE_DUMP_IPV6);
  fd1 = open_socket (AF_INET, SOCK_STREAM, "127.0.0.1", &p1);
  fd2 = open_socket (AF_INET, SOCK_DGRAM, "127.0.0.1", &p2);
  refresh (&f);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f.monitor)), 1);
  ck_assert_ptr_nonnull (find (&f, inode_of (fd2)));
  ck_assert_ptr_null (find (&f, inode_of (fd1)));
  close (fd1);
  close (fd2);
  fixture_clear (&f);
}
END_TEST

static guint
position_of (Fixture *f, PortholeSocket *s)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->monitor));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) item = g_list_model_get_item (G_LIST_MODEL (f->monitor), i);

      if (item == s)
        return i;
    }
  return G_MAXUINT;
}

/* Binds a TCP listener on loopback @address at @port (0: the kernel picks) */
static int
listen_on (int family, const char *address, guint16 port)
{
  struct sockaddr_storage ss = { 0 };
  socklen_t len;
  int fd = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  if (family == AF_INET)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &ss;

      sin->sin_family = AF_INET;
      sin->sin_port = htons (port);
      inet_pton (AF_INET, address, &sin->sin_addr);
      len = sizeof *sin;
    }
  else
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

      sin6->sin6_family = AF_INET6;
      sin6->sin6_port = htons (port);
      inet_pton (AF_INET6, address, &sin6->sin6_addr);
      len = sizeof *sin6;
    }
  ck_assert_msg (bind (fd, (struct sockaddr *) &ss, len) == 0, "bind: %s", g_strerror (errno));
  ck_assert_int_eq (listen (fd, 16), 0);
  return fd;
}

START_TEST (test_listener_index)
{
  Fixture f = { 0 };
  struct sockaddr_in sin = { .sin_family = AF_INET };
  const PortholeSysctl *sysctl;
  guint16 port, udp_port;
  int listener, listener6, client, server, udp;
  PortholeSocket *c, *sv, *l, *l6;

  fixture_init (&f, FALSE);
  /* Closed sockets stay in the model meanwhile: the index must drop them all the same */
  porthole_socket_monitor_set_linger (f.monitor, 60000);
  listener = open_socket (AF_INET, SOCK_STREAM, "127.0.0.1", &port);
  /* The same port on ::1 (free: the namespace is ours): two listeners, one key */
  listener6 = listen_on (AF_INET6, "::1", port);
  udp = open_socket (AF_INET, SOCK_DGRAM, "127.0.0.1", &udp_port);
  client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sin.sin_port = htons (port);
  inet_pton (AF_INET, "127.0.0.1", &sin.sin_addr);
  ck_assert_int_eq (connect (client, (struct sockaddr *) &sin, sizeof sin), 0);
  server = accept (listener, NULL, NULL);
  ck_assert_int_ge (server, 0);
  refresh (&f);

  l = find (&f, inode_of (listener));
  l6 = find (&f, inode_of (listener6));
  c = find (&f, inode_of (client));
  sv = find (&f, inode_of (server));
  ck_assert (l && l6 && c && sv);
  sysctl = porthole_socket_monitor_get_sysctl (f.monitor);
  /* bind(port 0) drew the listener's port from the ephemeral range too: only the index can
   * tell that the accepted end's port is the server's */
  ck_assert (porthole_port_is_ephemeral (sysctl, port));
  ck_assert (porthole_port_is_ephemeral (sysctl, porthole_socket_get_local_port (c)));

  ck_assert (porthole_socket_monitor_has_listener (f.monitor, "tcp", port));
  ck_assert (porthole_socket_monitor_has_listener (f.monitor, NULL, port));
  ck_assert (!porthole_socket_monitor_has_listener (f.monitor, "udp", port));
  ck_assert (porthole_socket_monitor_has_listener (f.monitor, "udp", udp_port));
  ck_assert (!porthole_socket_monitor_has_listener (f.monitor, "tcp", udp_port));
  ck_assert (!porthole_socket_monitor_has_listener (f.monitor, "tcp", porthole_socket_get_local_port (c)));
  ck_assert (!porthole_socket_monitor_has_listener (f.monitor, "sctp", port));
  /* The first listener in model order (both came in the first snapshot) */
  ck_assert_ptr_eq (porthole_socket_monitor_find_listener (f.monitor, port, "tcp"),
                    position_of (&f, l) < position_of (&f, l6) ? l : l6);

  /* The client's port is the ephemeral side; the accepted end's peer is */
  ck_assert (porthole_socket_monitor_local_is_ephemeral (f.monitor, c));
  ck_assert (!porthole_socket_monitor_remote_is_ephemeral (f.monitor, c));
  ck_assert (!porthole_socket_monitor_local_is_ephemeral (f.monitor, sv));
  ck_assert (porthole_socket_monitor_remote_is_ephemeral (f.monitor, sv));
  ck_assert (!porthole_socket_monitor_local_is_ephemeral (f.monitor, l));
  ck_assert (!porthole_socket_monitor_remote_is_ephemeral (f.monitor, l));

  /* One of two listeners on the port closes: the port still has one */
  close (listener6);
  refresh (&f);
  ck_assert_uint_eq (f.closed->len, 1);
  ck_assert (porthole_socket_get_closed (l6));
  ck_assert (porthole_socket_monitor_has_listener (f.monitor, "tcp", port));
  ck_assert_ptr_eq (porthole_socket_monitor_find_listener (f.monitor, port, NULL), l);

  /* The last one closes (it lingers in the model, closed): the index drops the port, and the
   * accepted end, still open, no longer counts as the server side */
  close (listener);
  refresh (&f);
  ck_assert_uint_eq (f.closed->len, 1);
  ck_assert_ptr_eq (g_ptr_array_index (f.closed, 0), l);
  ck_assert_ptr_eq (find (&f, inode_of (server)), sv);
  ck_assert (!porthole_socket_monitor_has_listener (f.monitor, "tcp", port));
  ck_assert (!porthole_socket_monitor_has_listener (f.monitor, NULL, port));
  ck_assert_ptr_null (porthole_socket_monitor_find_listener (f.monitor, port, "tcp"));
  ck_assert_ptr_null (porthole_socket_monitor_find_listener (f.monitor, port, NULL));
  ck_assert (porthole_socket_monitor_local_is_ephemeral (f.monitor, sv));
  ck_assert (porthole_socket_monitor_has_listener (f.monitor, "udp", udp_port));

  close (udp);
  refresh (&f);
  ck_assert (!porthole_socket_monitor_has_listener (f.monitor, NULL, udp_port));
  close (client);
  close (server);
  fixture_clear (&f);
}
END_TEST

static Suite *
monitor_suite (void)
{
  Suite *s = suite_create ("socket-monitor");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_open_close_netlink);
  tcase_add_test (tc, test_open_close_proc);
  tcase_add_test (tc, test_linger);
  tcase_add_test (tc, test_established_pair);
  tcase_add_test (tc, test_flags_filter);
  tcase_add_test (tc, test_listener_index);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (monitor_suite)
