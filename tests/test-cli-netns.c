/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-netns"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* `porthole-cli list` and other network namespaces: real ones (root only), made by
 * porthole_test_netns_spawn, a real docker-proxy-named forwarder, and the view of an
 * unprivileged user.
 *
 * Every test runs in a world of its own: a private network namespace stands for the host, and
 * a private pid namespace with its own /proc keeps every other process of the machine (other
 * tests' namespaces on port 5080 among them) out of porthole-cli's sight, so what it joins
 * and lists is only what the test made. */

#define NOBODY 65534


static void
drop_to_nobody (gpointer data)
{
  if (setgroups (0, NULL) != 0 || setresgid (NOBODY, NOBODY, NOBODY) != 0 ||
      setresuid (NOBODY, NOBODY, NOBODY) != 0)
    _exit (126);
}

/* porthole-cli list ARGS... (as @uid: 0 or NOBODY); its stdout, its stderr in *@err */
static char *
run_list (uid_t uid, int *exit_status, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("PORTHOLE_CLI"));
  g_ptr_array_add (argv, (char *) "list");
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  ck_assert_msg (argv->pdata[0] != NULL, "PORTHOLE_CLI is not set (run through meson test)");
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                               uid == 0 ? NULL : drop_to_nobody, NULL, &out, err, &status, &error),
                 "spawn: %s", error ? error->message : "");
  ck_assert (WIFEXITED (status));
  *exit_status = WEXITSTATUS (status);
  return out;
}

static JsonArray *
parse_rows (JsonParser *parser, const char *out)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (json_parser_load_from_data (parser, out, -1, &error), "bad JSON: %s", error ? error->message : "");
  ck_assert (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_node_get_array (json_parser_get_root (parser));
}

/* The row with this namespace ("null": ours), protocol, family, local address and port, or NULL */
static JsonObject *
find_row (JsonArray *rows, const char *netns, const char *protocol, const char *family,
          const char *address, gint64 port)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);
      const char *ns = json_object_get_null_member (o, "netns") ? "null"
                                                                 : json_object_get_string_member (o, "netns");

      if (strcmp (ns, netns) == 0 &&
          strcmp (json_object_get_string_member (o, "protocol"), protocol) == 0 &&
          strcmp (json_object_get_string_member (o, "family"), family) == 0 &&
          strcmp (json_object_get_string_member (o, "local_address"), address) == 0 &&
          json_object_get_int_member (o, "local_port") == port)
        return o;
    }
  return NULL;
}

static guint
count_netns (JsonArray *rows, const char *netns)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *o = json_array_get_object_element (rows, i);

      if (!json_object_get_null_member (o, "netns") &&
          strcmp (json_object_get_string_member (o, "netns"), netns) == 0)
        n++;
    }
  return n;
}

/* The second round's keys are on every row, after the first round's, in DESIGN.md's order */
static void
assert_keys (JsonArray *rows)
{
  static const char *const keys[] = { "protocol", "family", "state", "local_address", "local_port",
                                      "remote_address", "remote_port", "inode", "uid", "user", "pid",
                                      "process", "range", "service", "exposure", "netns", "container",
                                      "published", "bytes_sent", "bytes_received", "rtt_us",
                                      "retransmits" };

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autoptr(GList) members = json_object_get_members (json_array_get_object_element (rows, i));
      GList *m = members;

      ck_assert_uint_eq (g_list_length (members), G_N_ELEMENTS (keys));
      for (gsize k = 0; k < G_N_ELEMENTS (keys); k++, m = m->next)
        ck_assert_str_eq (m->data, keys[k]);
    }
}

/* The listeners of @t as porthole-cli lists them by default (every namespace), as root */
START_TEST (test_default_lists_other_namespaces)
{
  PortholeTestWorld w;
  PortholeTestNetns t;
  g_autofree char *reason = NULL, *id = NULL, *out = NULL, *err = NULL, *host = NULL, *host_err = NULL;
  g_autofree char *all = NULL, *all_err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) host_parser = json_parser_new ();
  g_autoptr(JsonParser) all_parser = json_parser_new ();
  JsonArray *rows;
  JsonObject *tcp4, *tcp6, *udp4, *client;
  int status;

  porthole_test_world_enter (&w);
  ck_assert_msg (porthole_test_netns_spawn (&t, 2, &reason), "%s", reason);
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, t.id);
  porthole_test_world_proc (&w);

  out = run_list (0, &status, &err, "--json", NULL);
  ck_assert_msg (status == 0, "exit %d: %s", status, err);
  rows = parse_rows (parser, out);
  assert_keys (rows);
  /* both TCP listeners and the UDP socket, nothing else (the connection is not listening) */
  ck_assert_uint_eq (count_netns (rows, id), 3);
  tcp4 = find_row (rows, id, "tcp", "ipv4", "0.0.0.0", PORTHOLE_TEST_NETNS_PORT);
  tcp6 = find_row (rows, id, "tcp", "ipv6", "::", PORTHOLE_TEST_NETNS_PORT);
  udp4 = find_row (rows, id, "udp", "ipv4", "0.0.0.0", PORTHOLE_TEST_NETNS_PORT);
  ck_assert_msg (tcp4 && tcp6 && udp4, "the namespace's 5080 sockets are missing: %s", out);
  /* Its own addresses, published nowhere: only the namespace's network reaches them */
  ck_assert_str_eq (json_object_get_string_member (tcp4, "exposure"), "container-network");
  ck_assert_str_eq (json_object_get_string_member (tcp6, "exposure"), "container-network");
  ck_assert_str_eq (json_object_get_string_member (udp4, "exposure"), "container-network");
  ck_assert (json_object_get_null_member (tcp4, "container"));
  ck_assert (json_object_get_null_member (tcp4, "published"));
  /* as root every process is named (its pid is the private pid namespace's) */
  ck_assert (!json_object_get_null_member (tcp4, "pid"));
  ck_assert_str_eq (json_object_get_string_member (tcp4, "process"), "test-cli-netns");
  ck_assert_int_eq (json_object_get_int_member (tcp4, "inode"), (gint64) t.inodes[PORTHOLE_TEST_NETNS_TCP4_LISTEN]);
  ck_assert_int_eq (json_object_get_int_member (tcp4, "uid"), 0);
  /* no container was seen: nothing to say about runtimes */
  ck_assert_str_eq (err, "");

  /* --all: the connection over the namespace's loopback reaches only that namespace */
  all = run_list (0, &status, &all_err, "--all", "--json", "--netns", "all", NULL);
  ck_assert_int_eq (status, 0);
  rows = parse_rows (all_parser, all);
  client = find_row (rows, id, "tcp", "ipv4", "127.0.0.1", t.client_port);
  ck_assert_msg (client != NULL, "no client row: %s", all);
  ck_assert_str_eq (json_object_get_string_member (client, "exposure"), "container");
  ck_assert_uint_eq (count_netns (rows, id), 5);

  /* --netns host: the namespace porthole-cli runs in, and only that one (here: nothing) */
  host = run_list (0, &status, &host_err, "--json", "--netns", "host", NULL);
  ck_assert_int_eq (status, 0);
  rows = parse_rows (host_parser, host);
  assert_keys (rows);
  ck_assert_uint_eq (count_netns (rows, id), 0);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    ck_assert (json_object_get_null_member (json_array_get_object_element (rows, i), "netns"));

  porthole_test_netns_release (&t);
  porthole_test_world_leave (&w);
}
END_TEST

/* Text: the Exposure and Container columns, aligned by terminal columns; another namespace
 * with no container is named netns:<id> */
START_TEST (test_text_columns)
{
  PortholeTestWorld w;
  PortholeTestNetns t;
  g_autofree char *reason = NULL, *out = NULL, *err = NULL, *netns = NULL, *host = NULL;
  g_auto(GStrv) lines = NULL;
  const char *header;
  gsize container_at, exposure_at, user_at;
  guint seen = 0;
  int status;

  porthole_test_world_enter (&w);
  ck_assert_msg (porthole_test_netns_spawn (&t, 1, &reason), "%s", reason);
  netns = g_strdup_printf ("netns:%" G_GUINT64_FORMAT, t.id);
  porthole_test_world_proc (&w);

  out = run_list (0, &status, &err, NULL);
  ck_assert_int_eq (status, 0);
  lines = g_strsplit (out, "\n", -1);
  header = lines[0];
  ck_assert_ptr_nonnull (strstr (header, "Container"));
  exposure_at = strstr (header, "Exposure") - header;
  container_at = strstr (header, "Container") - header;
  user_at = strstr (header, "User") - header;
  for (guint i = 1; lines[i] && lines[i][0]; i++)
    {
      /* every column starts where its header does (the lines are ASCII here) */
      ck_assert_msg (strlen (lines[i]) > user_at && lines[i][exposure_at - 1] == ' ' &&
                     lines[i][container_at - 1] == ' ' && lines[i][user_at - 1] == ' ',
                     "misaligned: %s", lines[i]);
      ck_assert (g_str_has_prefix (lines[i] + container_at, netns));
      ck_assert (g_str_has_prefix (lines[i] + exposure_at, "container-network "));
      ck_assert (g_str_has_prefix (lines[i] + user_at, "root "));
      seen++;
    }
  ck_assert_uint_eq (seen, 3);

  /* our own namespace's rows say "-": here, one listener of the test's own */
  {
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
    int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_auto(GStrv) host_lines = NULL;

    ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
    ck_assert_int_eq (listen (fd, 1), 0);
    host = run_list (0, &status, &err, "--netns", "host", NULL);
    host_lines = g_strsplit (host, "\n", -1);
    ck_assert_uint_eq (g_strv_length (host_lines), 3);   /* header, one row, "" */
    ck_assert (g_str_has_prefix (host_lines[1] + exposure_at, "loopback "));
    ck_assert (g_str_has_prefix (host_lines[1] + container_at, "- "));
    close (fd);
  }

  porthole_test_netns_release (&t);
  porthole_test_world_leave (&w);
}
END_TEST

/* A real forwarder: a process whose comm is "docker-proxy", with docker-proxy's flags, holding
 * the host end on 127.0.0.1:P, forwards to the namespace's port 5080; both ends say so */
START_TEST (test_published_forwarder)
{
  PortholeTestWorld w;
  PortholeTestNetns t;
  const char *helper = g_getenv ("PORTHOLE_ARGV_CHILD");
  g_autofree char *reason = NULL, *id = NULL, *dir = NULL, *proxy = NULL, *port = NULL;
  g_autofree char *out = NULL, *err = NULL, *comm_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  JsonArray *rows;
  JsonObject *host, *published, *inside, *other;
  int listener, stdin_pipe[2], status;
  pid_t child;
  gint64 deadline;

  ck_assert_msg (helper != NULL, "PORTHOLE_ARGV_CHILD is not set (run through meson test)");
  porthole_test_world_enter (&w);
  ck_assert_msg (porthole_test_netns_spawn (&t, 1, &reason), "%s", reason);
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, t.id);

  /* the host end: bound before the fork, inherited (no CLOEXEC) */
  listener = socket (AF_INET, SOCK_STREAM, 0);
  ck_assert_int_eq (bind (listener, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (listen (listener, 8), 0);
  ck_assert_int_eq (getsockname (listener, (struct sockaddr *) &sin, &len), 0);
  port = g_strdup_printf ("%u", ntohs (sin.sin_port));
  dir = g_dir_make_tmp ("porthole-cli-netns-XXXXXX", NULL);
  proxy = g_build_filename (dir, "docker-proxy", NULL);
  ck_assert_int_eq (symlink (helper, proxy), 0);
  ck_assert_int_eq (pipe2 (stdin_pipe, O_CLOEXEC), 0);
  child = fork ();
  ck_assert_int_ge (child, 0);
  if (child == 0)
    {
      char *argv[] = { (char *) "docker-proxy", (char *) "-proto", (char *) "tcp",
                       (char *) "-host-ip", (char *) "127.0.0.1", (char *) "-host-port", port,
                       (char *) "-container-ip", (char *) "172.17.0.2", (char *) "-container-port",
                       (char *) "5080", NULL };

      prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
      dup2 (stdin_pipe[0], STDIN_FILENO);
      execv (proxy, argv);
      _exit (127);
    }
  close (stdin_pipe[0]);
  close (listener);
  /* exec'd: its comm is the symlink's name */
  comm_path = g_strdup_printf ("/proc/%d/comm", (int) child);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *comm = NULL;

      if (g_file_get_contents (comm_path, &comm, NULL, NULL) && strcmp (comm, "docker-proxy\n") == 0)
        break;
      ck_assert_msg (g_get_monotonic_time () < deadline, "the forwarder never became docker-proxy");
      g_usleep (10000);
    }
  porthole_test_world_proc (&w);

  out = run_list (0, &status, &err, "--json", NULL);
  ck_assert_msg (status == 0, "exit %d: %s", status, err);
  rows = parse_rows (parser, out);

  host = find_row (rows, "null", "tcp", "ipv4", "127.0.0.1", ntohs (sin.sin_port));
  ck_assert_msg (host != NULL, "no host row: %s", out);
  ck_assert_str_eq (json_object_get_string_member (host, "process"), "docker-proxy");
  ck_assert_str_eq (json_object_get_string_member (host, "exposure"), "loopback");
  published = json_object_get_object_member (host, "published");
  ck_assert_msg (published != NULL, "the host end is not published: %s", out);
  ck_assert_int_eq (json_object_get_int_member (published, "container_port"), PORTHOLE_TEST_NETNS_PORT);
  ck_assert_int_eq (json_object_get_int_member (published, "host_port"), ntohs (sin.sin_port));
  ck_assert_str_eq (json_object_get_string_member (published, "host_address"), "127.0.0.1");
  /* a bare namespace: no container to name */
  ck_assert (json_object_get_null_member (published, "container"));

  /* the container end: the IPv4 listener, which docker-proxy connects to (172.17.0.2), not
   * the IPv6-only one on the same port, reached through the host */
  inside = find_row (rows, id, "tcp", "ipv4", "0.0.0.0", PORTHOLE_TEST_NETNS_PORT);
  ck_assert_ptr_nonnull (inside);
  ck_assert_msg (!json_object_get_null_member (inside, "published"), "the container end is not published: %s", out);
  other = find_row (rows, id, "tcp", "ipv6", "::", PORTHOLE_TEST_NETNS_PORT);
  ck_assert_ptr_nonnull (other);
  ck_assert (json_object_get_null_member (other, "published"));
  ck_assert_str_eq (json_object_get_string_member (other, "exposure"), "container-network");
  published = json_object_get_object_member (inside, "published");
  ck_assert_int_eq (json_object_get_int_member (published, "host_port"), ntohs (sin.sin_port));
  ck_assert_int_eq (json_object_get_int_member (published, "container_port"), PORTHOLE_TEST_NETNS_PORT);
  /* published on the host's loopback only: this computer only, though the container binds 0.0.0.0 */
  ck_assert_str_eq (json_object_get_string_member (inside, "exposure"), "loopback");
  /* UDP is not forwarded */
  ck_assert (json_object_get_null_member (find_row (rows, id, "udp", "ipv4", "0.0.0.0", PORTHOLE_TEST_NETNS_PORT),
                                          "published"));

  close (stdin_pipe[1]);
  waitpid (child, NULL, 0);
  g_unlink (proxy);
  g_rmdir (dir);
  porthole_test_netns_release (&t);
  porthole_test_world_leave (&w);
}
END_TEST

/* As an unprivileged user: root's namespace is still listed (its /proc/<pid>/net tables are
 * readable to anyone), with its uid, no process, and an owner text that says why */
START_TEST (test_unprivileged_user)
{
  PortholeTestWorld w;
  PortholeTestNetns t;
  g_autofree char *reason = NULL, *id = NULL, *netns = NULL, *out = NULL, *err = NULL;
  g_autofree char *text = NULL, *text_err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  JsonArray *rows;
  JsonObject *tcp4;
  guint seen = 0;
  int status;

  porthole_test_world_enter (&w);
  ck_assert_msg (porthole_test_netns_spawn (&t, 1, &reason), "%s", reason);
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, t.id);
  netns = g_strdup_printf ("netns:%s", id);
  porthole_test_world_proc (&w);

  out = run_list (NOBODY, &status, &err, "--json", NULL);
  ck_assert_msg (status == 0, "exit %d: %s", status, err);
  rows = parse_rows (parser, out);
  ck_assert_uint_eq (count_netns (rows, id), 3);
  tcp4 = find_row (rows, id, "tcp", "ipv4", "0.0.0.0", PORTHOLE_TEST_NETNS_PORT);
  ck_assert_msg (tcp4 != NULL, "%s", out);
  ck_assert (json_object_get_null_member (tcp4, "pid"));
  ck_assert (json_object_get_null_member (tcp4, "process"));
  ck_assert_int_eq (json_object_get_int_member (tcp4, "uid"), 0);
  ck_assert_str_eq (json_object_get_string_member (tcp4, "user"), "root");
  ck_assert_str_eq (json_object_get_string_member (tcp4, "exposure"), "container-network");

  text = run_list (NOBODY, &status, &text_err, NULL);
  ck_assert_int_eq (status, 0);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (strstr (lines[i], netns))
      {
        ck_assert_msg (g_str_has_suffix (lines[i], " root       (hidden: another user)"), "%s", lines[i]);
        seen++;
      }
  ck_assert_uint_eq (seen, 3);

  porthole_test_netns_release (&t);
  porthole_test_world_leave (&w);
}
END_TEST

/* The unified cgroup hierarchy: /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts */
static const char *
cgroup2_root (void)
{
  static const char *const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup" };

  for (gsize i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *controllers = g_build_filename (roots[i], "cgroup.controllers", NULL);

      if (g_file_test (controllers, G_FILE_TEST_EXISTS))
        return roots[i];
    }
  return NULL;
}

#define DOCKER_ID "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"

/* A namespace whose process runs in a cgroup named the way Docker names its containers (v2:
 * docker-<id>.scope, under a directory of the test's own), and a Docker socket that nobody
 * answers: the rows carry the container, the runtime's problem is said once, and a user who
 * may not see the process is told whose it is */
START_TEST (test_container_of_another_user)
{
  PortholeTestWorld w;
  PortholeTestNetns t;
  const char *root = cgroup2_root ();
  g_autofree char *reason = NULL, *id = NULL, *dir = NULL, *scope = NULL, *procs = NULL, *pid = NULL;
  g_autofree char *out = NULL, *err = NULL, *host = NULL, *host_err = NULL, *text = NULL, *text_err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) err_lines = NULL;
  g_auto(GStrv) lines = NULL;
  struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/run/docker.sock" };
  JsonArray *rows;
  JsonObject *tcp4, *container;
  guint seen = 0;
  int status, fd;

  ck_assert_msg (root != NULL, "no unified cgroup hierarchy");
  porthole_test_world_enter (&w);
  ck_assert_msg (porthole_test_netns_spawn (&t, 1, &reason), "%s", reason);
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, t.id);
  dir = g_strdup_printf ("%s/porthole-test-cli-netns-%d", root, (int) getpid ());
  scope = g_build_filename (dir, "docker-" DOCKER_ID ".scope", NULL);
  procs = g_build_filename (scope, "cgroup.procs", NULL);
  pid = g_strdup_printf ("%d\n", (int) t.pids[0]);
  ck_assert_msg (g_mkdir_with_parents (scope, 0755) == 0, "%s: %s", scope, g_strerror (errno));
  /* cgroupfs takes a write in place (no temporary file renamed over it) */
  fd = open (procs, O_WRONLY | O_CLOEXEC);
  ck_assert_msg (fd >= 0 && write (fd, pid, strlen (pid)) == (ssize_t) strlen (pid),
                 "%s: %s", procs, g_strerror (errno));
  close (fd);

  /* the test's own /run (the mount namespace is private): Docker's socket, with no listener */
  ck_assert_int_eq (mount ("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"), 0);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_eq (bind (fd, (struct sockaddr *) &sun, sizeof sun), 0);
  close (fd);
  porthole_test_world_proc (&w);

  out = run_list (0, &status, &err, "--json", NULL);
  ck_assert_msg (status == 0, "exit %d: %s", status, err);
  rows = parse_rows (parser, out);
  ck_assert_uint_eq (count_netns (rows, id), 3);
  tcp4 = find_row (rows, id, "tcp", "ipv4", "0.0.0.0", PORTHOLE_TEST_NETNS_PORT);
  ck_assert_msg (tcp4 != NULL && !json_object_get_null_member (tcp4, "container"), "%s", out);
  container = json_object_get_object_member (tcp4, "container");
  ck_assert_str_eq (json_object_get_string_member (container, "runtime"), "docker");
  ck_assert_str_eq (json_object_get_string_member (container, "id"), DOCKER_ID);
  /* no runtime answered and the cgroup tells no name */
  ck_assert (json_object_get_null_member (container, "name"));
  ck_assert_str_eq (json_object_get_string_member (tcp4, "exposure"), "container-network");
  /* The runtimes' silence: one line each (Docker's, and Podman's as it is absent too), not
   * one per row */
  err_lines = g_strsplit (err, "\n", -1);
  ck_assert_msg (g_strv_length (err_lines) >= 2 && g_strv_length (err_lines) <= 3, "%s", err);
  for (guint i = 0; err_lines[i][0]; i++)
    ck_assert_msg (g_str_has_prefix (err_lines[i], "porthole-cli: "), "%s", err);
  ck_assert_msg (strstr (err_lines[0], "/var/run/docker.sock") != NULL, "%s", err);

  /* --netns host sees no container, so asks no runtime */
  host = run_list (0, &status, &host_err, "--json", "--netns", "host", NULL);
  ck_assert_int_eq (status, 0);
  ck_assert_str_eq (host_err, "");

  /* the user sees the container and the uid; the process is another user's container's */
  text = run_list (NOBODY, &status, &text_err, NULL);
  ck_assert_int_eq (status, 0);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    if (strstr (lines[i], ":5080 "))
      {
        ck_assert_msg (strstr (lines[i], " " "4f3c2b1a0e9d" " ") != NULL, "no short id: %s", lines[i]);
        ck_assert_msg (g_str_has_suffix (lines[i], " root       (another user's container)"), "%s", lines[i]);
        seen++;
      }
  ck_assert_msg (seen == 3, "%s", text);

  porthole_test_netns_release (&t);
  porthole_test_world_leave (&w);
  ck_assert_int_eq (g_rmdir (scope), 0);
  ck_assert_int_eq (g_rmdir (dir), 0);
}
END_TEST

START_TEST (test_bad_netns)
{
  static const char *const bad[] = { "bogus", "", "HOST", "all,host" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status;

      out = run_list (0, &status, &err, "--netns", bad[i], NULL);
      ck_assert_msg (status == 2, "--netns “%s”: exit %d", bad[i], status);
      ck_assert_str_eq (out, "");
      /* one line, naming the bad value */
      ck_assert_msg (strchr (err, '\n') == err + strlen (err) - 1, "not one line: %s", err);
      ck_assert_msg (strstr (err, "--netns") != NULL, "%s", err);
      if (bad[i][0])
        ck_assert_msg (strstr (err, bad[i]) != NULL, "%s", err);
    }
  {
    g_autofree char *out = NULL, *err = NULL;
    int status;

    /* a missing value is bad input too */
    out = run_list (0, &status, &err, "--netns", NULL);
    ck_assert_int_eq (status, 2);
  }
}
END_TEST

static Suite *
cli_netns_suite (void)
{
  Suite *s = suite_create ("cli-netns");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_default_lists_other_namespaces);
  tcase_add_test (tc, test_text_columns);
  tcase_add_test (tc, test_published_forwarder);
  tcase_add_test (tc, test_unprivileged_user);
  tcase_add_test (tc, test_container_of_another_user);
  tcase_add_test (tc, test_bad_netns);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (cli_netns_suite)
