/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-learn-examples"
#include "config.h"

#include "porthole-test.h"
#include "porthole-learn-examples.h"
#include "porthole-socket-private.h"
#include "porthole-test-netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* The Learn examples on a real monitor over real sockets: each test forks (Check), enters a
 * private network namespace and opens its own loopback listener, two clients and a UDP socket
 * on the listener's number, so the examples can only be about those. In that namespace the
 * sysctl values are its own: where the test may (root), it sets unusual ones, which the
 * examples must then show. */

#define RANGE_LOW  40000
#define RANGE_HIGH 40099
#define UNPRIV     80

typedef struct {
  PortholeSocketMonitor *monitor;
  int                    fds[6];
  guint16                listener;   /* TCP listener, and a UDP socket on the same number */
  guint16                clients[2];
  gboolean               custom;     /* the unusual sysctl values took */
} Fixture;

static guint16
local_port (int fd)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;

  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  return ntohs (sin.sin_port);
}

static int
loopback_socket (int type, guint16 port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, type | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ck_assert_msg (bind (fd, (struct sockaddr *) &sin, sizeof sin) == 0, "bind: %s", g_strerror (errno));
  return fd;
}

static int
connect_to (guint16 port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ck_assert_msg (connect (fd, (struct sockaddr *) &sin, sizeof sin) == 0, "connect: %s", g_strerror (errno));
  return fd;
}

/* /proc/sys of this (private) namespace; g_file_set_contents() would try a rename there */
static gboolean
write_sysctl (const char *name, const char *value)
{
  g_autofree char *path = g_build_filename ("/proc/sys/net/ipv4", name, NULL);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, value, strlen (value)) == (ssize_t) strlen (value);
  close (fd);
  return ok;
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error),
                 "refresh: %s", error ? error->message : "");
  *(gboolean *) data = TRUE;
}

static void
refresh (PortholeSocketMonitor *monitor)
{
  gboolean done = FALSE;

  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &done);
  ck_assert (porthole_test_wait_for (&done, 10000));
}

static void
fixture_init (Fixture *f)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  f->custom = write_sysctl ("ip_local_port_range", G_STRINGIFY (RANGE_LOW) " " G_STRINGIFY (RANGE_HIGH)) &&
              write_sysctl ("ip_unprivileged_port_start", G_STRINGIFY (UNPRIV));

  f->fds[0] = loopback_socket (SOCK_STREAM, 0);
  ck_assert_int_eq (listen (f->fds[0], 8), 0);
  f->listener = local_port (f->fds[0]);
  f->fds[1] = loopback_socket (SOCK_DGRAM, f->listener);
  for (int i = 0; i < 2; i++)
    {
      f->fds[2 + i] = connect_to (f->listener);
      f->clients[i] = local_port (f->fds[2 + i]);
      f->fds[4 + i] = accept4 (f->fds[0], NULL, NULL, SOCK_CLOEXEC);
      ck_assert_int_ge (f->fds[4 + i], 0);
    }
  f->monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "refresh-interval", 0, "linger", 0, NULL);
  refresh (f->monitor);
  /* listener, UDP, two clients, two accepted ends */
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (f->monitor)), 6);
}

static void
fixture_clear (Fixture *f)
{
  g_object_unref (f->monitor);
  for (gsize i = 0; i < G_N_ELEMENTS (f->fds); i++)
    close (f->fds[i]);
}

/* "name (pid N)" as the examples write the owner of our own sockets */
static char *
our_owner (Fixture *f)
{
  PortholeSocket *s = porthole_socket_monitor_find_listener (f->monitor, f->listener, "tcp");

  ck_assert_ptr_nonnull (s);
  ck_assert_ptr_nonnull (porthole_socket_get_process (s));
  ck_assert_int_eq (porthole_socket_get_pid (s), getpid ());
  return g_strdup_printf ("%s (pid %d)", porthole_socket_get_process (s), getpid ());
}

#define assert_has(haystack, ...)                                                    \
  G_STMT_START {                                                                     \
    g_autofree char *needle_ = g_strdup_printf (__VA_ARGS__);                        \
    ck_assert_msg ((haystack) != NULL && strstr ((haystack), needle_) != NULL,       \
                   "“%s” not in “%s”", needle_, (haystack) ? (haystack) : "(null)"); \
  } G_STMT_END

/* ---- with the test's sockets ----------------------------------------------------------------- */

START_TEST (test_addresses)
{
  Fixture f;
  PortholeLearnExample ex = { 0 };
  g_autofree char *owner = NULL;

  fixture_init (&f);
  owner = our_owner (&f);
  porthole_learn_example_addresses (f.monitor, &ex);
  /* Our listener is the only one, so it is the address:port example */
  assert_has (ex.example, "For example, 127.0.0.1:%u is port %u at address 127.0.0.1, where %s listens.",
              f.listener, f.listener, owner);
  assert_has (ex.example, "IP address");
  /* A fresh namespace has its loopback interface and nothing else */
  ck_assert_msg (g_str_has_prefix (ex.detail, "lo: 127.0.0.1"), "%s", ex.detail);
  ck_assert (strchr (ex.detail, '\n') == NULL);
  ck_assert (!ex.offer_test);
  porthole_learn_example_clear (&ex);
  ck_assert_ptr_null (ex.example);
  ck_assert_ptr_null (ex.detail);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_ranges)
{
  Fixture f;
  PortholeLearnExample ex = { 0 };
  const PortholeSysctl *sysctl;
  guint counts[3] = { 0, 0, 0 };

  fixture_init (&f);
  sysctl = porthole_socket_monitor_get_sysctl (f.monitor);
  if (f.custom)
    {
      /* The monitor read this namespace's values: they are the ones the examples use */
      ck_assert_uint_eq (sysctl->ephemeral_start, RANGE_LOW);
      ck_assert_uint_eq (sysctl->ephemeral_end, RANGE_HIGH);
      ck_assert_uint_eq (sysctl->unprivileged_start, UNPRIV);
    }
  porthole_learn_example_ranges (f.monitor, &ex);
  assert_has (ex.example, "The kernel picks client ports from %u to %u (net.ipv4.ip_local_port_range): %u ports.",
              sysctl->ephemeral_start, sysctl->ephemeral_end, sysctl->ephemeral_end - sysctl->ephemeral_start + 1);
  if (sysctl->unprivileged_start > 1)
    assert_has (ex.example, "binding ports 1 to %u needs root or CAP_NET_BIND_SERVICE "
                "(net.ipv4.ip_unprivileged_port_start is %u)", sysctl->unprivileged_start - 1,
                sysctl->unprivileged_start);
  if (f.custom)
    assert_has (ex.example, "this system has been set differently");

  /* Open ports by IANA range: our three numbers (the listener's is shared by TCP and UDP) */
  counts[porthole_port_range (f.listener)]++;
  counts[porthole_port_range (f.clients[0])]++;
  counts[porthole_port_range (f.clients[1])]++;
  assert_has (ex.detail, "well-known  0–1023       %u\nregistered  1024–49151   %u\ndynamic     49152–65535  %u",
              counts[0], counts[1], counts[2]);
  porthole_learn_example_clear (&ex);

  /* A changed setting shows at the next refresh, through the monitor */
  if (f.custom && write_sysctl ("ip_local_port_range", "40000 40009"))
    {
      refresh (f.monitor);
      porthole_learn_example_ranges (f.monitor, &ex);
      assert_has (ex.example, "from 40000 to 40009 (net.ipv4.ip_local_port_range): 10 ports.");
      porthole_learn_example_clear (&ex);
    }
  fixture_clear (&f);
}
END_TEST

START_TEST (test_ephemeral)
{
  Fixture f;
  PortholeLearnExample ex = { 0 };
  const PortholeSysctl *sysctl;
  g_autofree char *owner = NULL;
  g_autofree char *first = NULL;
  guint16 client;

  fixture_init (&f);
  sysctl = porthole_socket_monitor_get_sysctl (f.monitor);
  owner = our_owner (&f);
  porthole_learn_example_ephemeral (f.monitor, &ex);
  ck_assert (!ex.offer_test);
  /* One of our two clients, never the accepted end that shares the listener's number */
  first = g_strdup_printf ("127.0.0.1:%u →", f.clients[0]);
  client = strstr (ex.detail, first) ? f.clients[0] : f.clients[1];
  ck_assert_msg (porthole_port_is_ephemeral (sysctl, client), "%u", client);
  assert_has (ex.example, "%s connected from 127.0.0.1:%u to 127.0.0.1:%u.", owner, client, f.listener);
  assert_has (ex.example, "The server listens on port %u", f.listener);
  assert_has (ex.example, "the local port, %u, was picked by the kernel from this system’s ephemeral range, %u–%u",
              client, sysctl->ephemeral_start, sysctl->ephemeral_end);
  assert_has (ex.detail, "tcp  127.0.0.1:%u → 127.0.0.1:%u  ESTABLISHED", client, f.listener);
  porthole_learn_example_clear (&ex);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_tuple)
{
  Fixture f;
  PortholeLearnExample ex = { 0 };
  g_autofree char *owner = NULL;
  g_auto(GStrv) lines = NULL;

  fixture_init (&f);
  owner = our_owner (&f);
  porthole_learn_example_tuple (f.monitor, &ex);
  ck_assert (!ex.offer_test);
  assert_has (ex.example, "Port %u, where %s listens, is serving 2 clients right now.", f.listener, owner);
  /* One line per client, the client's end first: same server port, different client ports */
  for (int i = 0; i < 2; i++)
    assert_has (ex.detail, "tcp  127.0.0.1:%u → 127.0.0.1:%u  ESTABLISHED", f.clients[i], f.listener);
  lines = g_strsplit (ex.detail, "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 2);
  porthole_learn_example_clear (&ex);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_limits)
{
  Fixture f;
  PortholeLearnExample ex = { 0 };
  const PortholeSysctl *sysctl;
  struct rlimit rl;
  guint size;

  fixture_init (&f);
  sysctl = porthole_socket_monitor_get_sysctl (f.monitor);
  size = sysctl->ephemeral_end - sysctl->ephemeral_start + 1;
  porthole_learn_example_limits (f.monitor, &ex);
  assert_has (ex.example, "The busiest destination right now is 127.0.0.1:%u, with 2 connections from this "
              "computer: 2 of the %u", f.listener, size);
  assert_has (ex.example, "Port %u is in use for both TCP and UDP here", f.listener);
  assert_has (ex.example, "(1 such number in all)");
  assert_has (ex.detail, "TCP ports in use now: 3\nUDP ports in use now: 1\n");
  assert_has (ex.detail, "Connections one local address can have to one server address and port: %u (%u–%u)",
              size, sysctl->ephemeral_start, sysctl->ephemeral_end);
  ck_assert_int_eq (getrlimit (RLIMIT_NOFILE, &rl), 0);
  if (rl.rlim_cur != RLIM_INFINITY)
    assert_has (ex.detail, "(ulimit -n): %lu", (unsigned long) rl.rlim_cur);
  porthole_learn_example_clear (&ex);
  fixture_clear (&f);
}
END_TEST

/* ---- with no socket at all ------------------------------------------------------------------- */

START_TEST (test_no_sockets)
{
  g_autofree char *root = porthole_test_fixture ("procnet-empty");
  g_autoptr(PortholeSocketMonitor) monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "proc-root", root,
                                                           "force-proc", TRUE, "refresh-interval", 0,
                                                           "linger", 0, NULL);
  PortholeLearnExample ex = { 0 };
  const PortholeSysctl *sysctl;

  refresh (monitor);
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (monitor)), 0);
  sysctl = porthole_socket_monitor_get_sysctl (monitor);

  porthole_learn_example_addresses (monitor, &ex);
  ck_assert (strstr (ex.example, "For example") == NULL);
  ck_assert (!ex.offer_test);

  /* No connection: say how to make one, and where its port would come from */
  porthole_learn_example_ephemeral (monitor, &ex);
  ck_assert (ex.offer_test);
  assert_has (ex.example, "Test tab");
  assert_has (ex.example, "%u–%u", sysctl->ephemeral_start, sysctl->ephemeral_end);
  ck_assert_ptr_null (ex.detail);

  porthole_learn_example_tuple (monitor, &ex);
  ck_assert (ex.offer_test);
  assert_has (ex.example, "test server");
  ck_assert_ptr_null (ex.detail);

  porthole_learn_example_limits (monitor, &ex);
  ck_assert (!ex.offer_test);
  assert_has (ex.example, "No client connection is open right now, so none of the %u ephemeral ports",
              sysctl->ephemeral_end - sysctl->ephemeral_start + 1);
  ck_assert (strstr (ex.example, "both TCP and UDP") == NULL);
  assert_has (ex.detail, "TCP ports in use now: 0\nUDP ports in use now: 0");

  porthole_learn_example_ranges (monitor, &ex);
  assert_has (ex.detail, "well-known  0–1023       0\nregistered  1024–49151   0\ndynamic     49152–65535  0");
  porthole_learn_example_clear (&ex);
}
END_TEST

/* ---- port spaces ---------------------------------------------------------------------------- */

static PortholeSocket *
listener_in (guint64 netns, guint16 port, const char *address, PortholeRuntime runtime,
             const char *id, const char *name)
{
  PortholeSockInfo info = { .protocol = IPPROTO_TCP, .family = AF_INET,
                            .state = PORTHOLE_TCP_LISTEN, .local_port = port,
                            .inode = port + netns, .netns = netns };
  PortholeSocketOwner owner = { 0, NULL, PORTHOLE_OWNER_GONE, FALSE };
  PortholeSocket *s;

  ck_assert_int_eq (inet_pton (AF_INET, address, info.local_addr), 1);
  s = porthole_socket_new (&info, &owner, "root", NULL, 0);
  if (runtime != PORTHOLE_RUNTIME_NONE)
    {
      PortholeContainerRef ref = { runtime, g_strdup (id), g_strdup (name) };

      porthole_socket_take_container (s, &ref);
    }
  return s;
}

/* Two containers both on port 80 (one published on the host's 8080), a bare namespace, and
 * the host's own 80: each namespace is a port space of its own */
START_TEST (test_port_spaces_data)
{
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  PortholeLearnExample ex = { 0 };
  PortholePublished *published = g_new0 (PortholePublished, 1);
  PortholeSocket *web;
  g_auto(GStrv) lines = NULL;

  web = listener_in (11, 80, "0.0.0.0", PORTHOLE_RUNTIME_LXC, "web", "web");
  g_ptr_array_add (sockets, web);
  g_ptr_array_add (sockets, listener_in (12, 80, "0.0.0.0", PORTHOLE_RUNTIME_NSPAWN, "db", "db"));
  g_ptr_array_add (sockets, listener_in (13, 5080, "0.0.0.0", PORTHOLE_RUNTIME_NONE, NULL, NULL));
  g_ptr_array_add (sockets, listener_in (0, 22, "0.0.0.0", PORTHOLE_RUNTIME_NONE, NULL, NULL));
  published->host_address = g_strdup ("0.0.0.0");
  published->host_port = 8080;
  published->container_port = 80;
  published->container.runtime = PORTHOLE_RUNTIME_LXC;
  published->container.id = g_strdup ("web");
  published->via = g_strdup ("pasta");
  porthole_socket_set_published (web, published);

  porthole_learn_example_port_spaces_for (sockets, NULL, &ex);
  assert_has (ex.example, "Besides this computer’s own, 3 other network namespaces have sockets "
              "open right now, each with ports of its own. 2 of them belong to containers.");
  assert_has (ex.example, "TCP port 80 is listened on both in db and in web, and neither is in "
              "the other’s way.");
  assert_has (ex.example, "Port 80 of web is published (0.0.0.0:8080 → 80): connections");
  /* The host first, then the spaces by name, ports per protocol */
  lines = g_strsplit (ex.detail, "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 4);
#define assert_line(line, start, end) \
  ck_assert_msg (g_str_has_prefix (line, start) && g_str_has_suffix (line, end), "%s", line)
  assert_line (lines[0], "this computer", "tcp 22");
  assert_line (lines[1], "db (nspawn)", "tcp 80");
  assert_line (lines[2], "namespace 13", "tcp 5080");
  assert_line (lines[3], "web (lxc)", "tcp 80  (0.0.0.0:8080 → 80)");
#undef assert_line
  /* The columns line up */
  ck_assert_uint_eq (strstr (lines[0], "tcp") - lines[0], strstr (lines[3], "tcp") - lines[3]);
  porthole_learn_example_clear (&ex);

  /* The host shares a number with a container */
  g_ptr_array_add (sockets, listener_in (0, 80, "127.0.0.1", PORTHOLE_RUNTIME_NONE, NULL, NULL));
  porthole_learn_example_port_spaces_for (sockets, NULL, &ex);
  assert_has (ex.example, "TCP port 80 is listened on both by this computer and in db");
  porthole_learn_example_clear (&ex);

  /* Only the host: none, and said so */
  g_ptr_array_remove_range (sockets, 0, 3);
  porthole_learn_example_port_spaces_for (sockets, NULL, &ex);
  assert_has (ex.example, "no container or other namespace has a port open");
  ck_assert_ptr_null (ex.detail);
  porthole_learn_example_clear (&ex);

  /* Inside a sandbox the other namespaces are out of sight: that, not "there are none" */
  {
    PortholeSockInfo info = { .protocol = IPPROTO_TCP, .family = AF_INET,
                              .state = PORTHOLE_TCP_LISTEN, .local_port = 631, .inode = 99 };
    PortholeSocketOwner hidden = { 0, NULL, PORTHOLE_OWNER_SANDBOXED, FALSE };

    g_ptr_array_add (sockets, porthole_socket_new (&info, &hidden, "root", NULL, 0));
    porthole_learn_example_port_spaces_for (sockets, NULL, &ex);
    assert_has (ex.example, "Porthole runs in a sandbox, which cannot see into other network "
                "namespaces");
    ck_assert (strstr (ex.example, "no container or other namespace") == NULL);
    porthole_learn_example_clear (&ex);
  }
}
END_TEST

/* A real namespace (root only), through a monitor that reads every namespace */
START_TEST (test_port_spaces_live)
{
  Fixture f;
  PortholeTestNetns ns;
  PortholeLearnExample ex = { 0 };
  g_autofree char *reason = NULL;
  g_autofree char *label = NULL;

  fixture_init (&f);
  porthole_learn_example_port_spaces (f.monitor, &ex);
  assert_has (ex.example, "no container or other namespace has a port open");
  porthole_learn_example_clear (&ex);
  if (geteuid () != 0)
    {
      fixture_clear (&f);
      return;
    }
  ck_assert_msg (porthole_test_netns_spawn (&ns, 1, &reason), "%s", reason);
  porthole_socket_monitor_set_all_namespaces (f.monitor, TRUE);
  refresh (f.monitor);
  porthole_learn_example_port_spaces (f.monitor, &ex);
  label = g_strdup_printf ("namespace %" G_GUINT64_FORMAT, ns.id);
  assert_has (ex.example, "Besides this computer’s own");
  assert_has (ex.detail, "%s", label);
  {
    const char *line = strstr (ex.detail, label);
    const char *end = strchr (line, '\n');
    g_autofree char *mine = end ? g_strndup (line, end - line) : g_strdup (line);

    assert_has (mine, "tcp %u; udp %u", PORTHOLE_TEST_NETNS_PORT, PORTHOLE_TEST_NETNS_PORT);
  }
  porthole_learn_example_clear (&ex);
  porthole_test_netns_release (&ns);
  fixture_clear (&f);
}
END_TEST

static Suite *
learn_examples_suite (void)
{
  Suite *s = suite_create ("learn-examples");
  TCase *tc = tcase_create ("core");

  /* the live namespace test reads every namespace on the machine: slow on a loaded one */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_addresses);
  tcase_add_test (tc, test_ranges);
  tcase_add_test (tc, test_ephemeral);
  tcase_add_test (tc, test_tuple);
  tcase_add_test (tc, test_limits);
  tcase_add_test (tc, test_no_sockets);
  tcase_add_test (tc, test_port_spaces_data);
  tcase_add_test (tc, test_port_spaces_live);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (learn_examples_suite)
