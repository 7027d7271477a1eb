/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sockets.h"

#include "porthole-netns.h"
#include "porthole-socktable.h"

#include <gio/gio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALL (PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES)
/* Fixed: the namespaces are the test's own, so nothing else can hold it there */
#define PORT 5080
#define MAX_PROCS 4

enum { TCP4_LISTEN, TCP6_LISTEN, UDP4, CLIENT, ACCEPTED, N_SOCKETS };

/* A network namespace made by the test: its first process opened the sockets, then forked
 * the others, which share them. Each process takes commands on its own pipe: 'm' moves it to
 * a fresh namespace of its own, end of file ends it. */
typedef struct {
  guint   n;
  pid_t   pids[MAX_PROCS];
  int     command_fds[MAX_PROCS];
  guint64 id;
  guint64 inodes[N_SOCKETS];
  guint16 client_port;
} TestNetns;

typedef struct {
  gboolean ok;
  char     reason[128];
  guint64  inodes[N_SOCKETS];
  guint16  client_port;
} Report;

static guint64
stat_inode (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? st.st_ino : 0;
}

static guint64
netns_of_pid (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/net/tcp", (int) pid);

  return stat_inode (path);
}

static int
fd_inode_listen (int fd, const struct sockaddr *sa, socklen_t len, int type, guint64 *inode)
{
  struct stat st;
  int one = 1;

  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (sa->sa_family == AF_INET6)
    setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind (fd, sa, len) < 0 || (type == SOCK_STREAM && listen (fd, 8) < 0) || fstat (fd, &st) < 0)
    return -1;
  *inode = st.st_ino;
  return fd;
}

static gboolean
open_sockets (Report *r)
{
  struct sockaddr_in any4 = { .sin_family = AF_INET, .sin_port = htons (PORT) };
  struct sockaddr_in6 any6 = { .sin6_family = AF_INET6, .sin6_port = htons (PORT) };
  struct sockaddr_in lo4 = { .sin_family = AF_INET, .sin_port = htons (PORT),
                             .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof lo4;
  struct stat st;
  int l4, client, accepted;

  l4 = fd_inode_listen (socket (AF_INET, SOCK_STREAM, 0), (struct sockaddr *) &any4,
                        sizeof any4, SOCK_STREAM, &r->inodes[TCP4_LISTEN]);
  if (l4 < 0 ||
      fd_inode_listen (socket (AF_INET6, SOCK_STREAM, 0), (struct sockaddr *) &any6, sizeof any6,
                       SOCK_STREAM, &r->inodes[TCP6_LISTEN]) < 0 ||
      fd_inode_listen (socket (AF_INET, SOCK_DGRAM, 0), (struct sockaddr *) &any4, sizeof any4,
                       SOCK_DGRAM, &r->inodes[UDP4]) < 0)
    return FALSE;
  client = socket (AF_INET, SOCK_STREAM, 0);
  if (client < 0 || connect (client, (struct sockaddr *) &lo4, sizeof lo4) < 0 ||
      fstat (client, &st) < 0)
    return FALSE;
  r->inodes[CLIENT] = st.st_ino;
  if (getsockname (client, (struct sockaddr *) &lo4, &len) < 0)
    return FALSE;
  r->client_port = ntohs (lo4.sin_port);
  accepted = accept (l4, NULL, NULL);
  if (accepted < 0 || fstat (accepted, &st) < 0)
    return FALSE;
  r->inodes[ACCEPTED] = st.st_ino;
  return TRUE;
}

/* A process of the namespace: obeys its command pipe, then exits */
static void G_GNUC_NORETURN
serve_commands (int command_fd, int ack_fd)
{
  char c;
  ssize_t n;

  while ((n = read (command_fd, &c, 1)) > 0 || (n < 0 && errno == EINTR))
    {
      if (n > 0 && c == 'm')
        {
          char ok = porthole_test_enter_netns (NULL) ? 'y' : 'n';

          if (write (ack_fd, &ok, 1) != 1)
            _exit (1);
        }
    }
  while (waitpid (-1, NULL, 0) > 0)
    ;
  _exit (0);
}

/* Ends process @i and reaps it when it is the first one (the others are its children) */
static void
netns_end_process (TestNetns *t, guint i)
{
  if (t->command_fds[i] >= 0)
    close (t->command_fds[i]);
  t->command_fds[i] = -1;
  if (i == 0 && t->pids[0] > 0)
    {
      waitpid (t->pids[0], NULL, 0);
      t->pids[0] = 0;
    }
}

static void
netns_release (TestNetns *t)
{
  for (guint i = t->n; i-- > 0;)
    netns_end_process (t, i);
}

/* Forks a process into a new network namespace with the sockets, and @n - 1 more in it */
static gboolean
netns_spawn (TestNetns *t, guint n, int ack_fd, char **reason)
{
  int report_pipe[2];
  int commands[MAX_PROCS][2];
  Report report = { 0 };
  pid_t pid;
  ssize_t got;

  g_assert (n >= 1 && n <= MAX_PROCS);
  memset (t, 0, sizeof *t);
  if (pipe (report_pipe) < 0)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (pipe2 (commands[i], O_CLOEXEC) < 0)
      return FALSE;
  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      g_autofree char *why = NULL;

      prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
      close (report_pipe[0]);
      for (guint i = 0; i < n; i++)
        close (commands[i][1]);
      report.ok = porthole_test_enter_netns (&why) && open_sockets (&report);
      if (!report.ok)
        g_snprintf (report.reason, sizeof report.reason, "child: %s", why ? why : g_strerror (errno));
      /* The others, started after the sockets so the namespace is theirs too */
      for (guint i = 1; i < n && report.ok; i++)
        {
          pid_t sibling = fork ();

          if (sibling == 0)
            {
              prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
              close (report_pipe[1]);
              serve_commands (commands[i][0], ack_fd);
            }
          t->pids[i] = sibling;
        }
      if (write (report_pipe[1], &report, sizeof report) != sizeof report ||
          write (report_pipe[1], t->pids + 1, (n - 1) * sizeof t->pids[0]) !=
            (ssize_t) ((n - 1) * sizeof t->pids[0]))
        _exit (1);
      close (report_pipe[1]);
      serve_commands (commands[0][0], ack_fd);
    }

  close (report_pipe[1]);
  for (guint i = 0; i < n; i++)
    {
      close (commands[i][0]);
      t->command_fds[i] = commands[i][1];
    }
  t->n = n;
  t->pids[0] = pid;
  got = read (report_pipe[0], &report, sizeof report);
  if (got == sizeof report && report.ok && n > 1 &&
      read (report_pipe[0], t->pids + 1, (n - 1) * sizeof t->pids[0]) !=
        (ssize_t) ((n - 1) * sizeof t->pids[0]))
    got = 0;
  close (report_pipe[0]);
  if (got != sizeof report || !report.ok)
    {
      *reason = g_strdup (got == sizeof report ? report.reason : "child died");
      netns_release (t);
      return FALSE;
    }
  memcpy (t->inodes, report.inodes, sizeof t->inodes);
  t->client_port = report.client_port;
  t->id = netns_of_pid (pid);
  return t->id != 0;
}

static const PortholeNetns *
find_ns (GArray *list, guint64 id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, PortholeNetns, i).id == id)
      return &g_array_index (list, PortholeNetns, i);
  return NULL;
}

static GArray *
list_ok (const char *proc_root)
{
  g_autoptr(GError) error = NULL;
  GArray *list = porthole_netns_list (proc_root, &error);

  ck_assert_msg (list != NULL, "%s", error ? error->message : "");
  return list;
}

/* Each namespace once, however many processes it has; ours first */
START_TEST (test_list_real)
{
  TestNetns a, b;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) list = NULL;
  const PortholeNetns *ns;
  guint64 own = stat_inode ("/proc/self/net/tcp");

  ck_assert_msg (netns_spawn (&a, 3, -1, &reason), "%s", reason);
  ck_assert_msg (netns_spawn (&b, 1, -1, &reason), "%s", reason);
  ck_assert (a.id != b.id && a.id != own && b.id != own);
  for (guint i = 1; i < a.n; i++)
    ck_assert_uint_eq (netns_of_pid (a.pids[i]), a.id);

  list = list_ok (NULL);
  ns = &g_array_index (list, PortholeNetns, 0);
  ck_assert (ns->own);
  ck_assert_uint_eq (ns->id, own);
  ck_assert_uint_ge (ns->n_pids, 1);
  for (guint i = 0; i < list->len; i++)
    {
      ck_assert (i == 0 || !g_array_index (list, PortholeNetns, i).own);
      ck_assert (find_ns (list, g_array_index (list, PortholeNetns, i).id) ==
                 &g_array_index (list, PortholeNetns, i));
    }

  ns = find_ns (list, a.id);
  ck_assert (ns != NULL);
  ck_assert_uint_eq (ns->n_pids, 3);
  ck_assert_int_eq (ns->pid, MIN (a.pids[0], MIN (a.pids[1], a.pids[2])));
  ck_assert (ns->enterable == (geteuid () == 0));
  ns = find_ns (list, b.id);
  ck_assert (ns != NULL);
  ck_assert_uint_eq (ns->n_pids, 1);
  ck_assert_int_eq (ns->pid, b.pids[0]);

  netns_release (&b);
  g_clear_pointer (&list, g_array_unref);
  list = list_ok (NULL);
  ck_assert (find_ns (list, b.id) == NULL);
  ck_assert (find_ns (list, a.id) != NULL);
  netns_release (&a);
}
END_TEST

/* The id scheme: the inode of <pid>/net/tcp names a namespace exactly as "net:[N]" does, for
 * every process where the kernel lets us read both */
START_TEST (test_id_matches_kernel)
{
  g_autoptr(GHashTable) by_ns = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  TestNetns a;
  g_autofree char *reason = NULL;
  const char *name;
  guint compared = 0;

  ck_assert_msg (netns_spawn (&a, 2, -1, &reason), "%s", reason);
  ck_assert (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link_path = g_strdup_printf ("/proc/%s/ns/net", name);
      g_autofree char *tcp = g_strdup_printf ("/proc/%s/net/tcp", name);
      g_autofree char *link = NULL;
      guint64 before, after, *ns, *id;
      gpointer other;

      if (!g_ascii_isdigit (name[0]))
        continue;
      before = stat_inode (tcp);
      link = g_file_read_link (link_path, NULL);
      after = stat_inode (tcp);
      /* denied, gone, or moved by another test while we looked */
      if (link == NULL || before == 0 || before != after || !g_str_has_prefix (link, "net:["))
        continue;
      ns = g_new (guint64, 1);
      id = g_new (guint64, 1);
      *ns = g_ascii_strtoull (link + 5, NULL, 10);
      *id = before;
      g_ptr_array_add (keep, ns);
      g_ptr_array_add (keep, id);
      other = g_hash_table_lookup (by_ns, ns);
      ck_assert_msg (other == NULL || *(guint64 *) other == *id, "%s: two ids for %s", name, link);
      other = g_hash_table_lookup (by_id, id);
      ck_assert_msg (other == NULL || *(guint64 *) other == *ns, "%s: id %" G_GUINT64_FORMAT
                     " for two namespaces", name, *id);
      g_hash_table_insert (by_ns, ns, id);
      g_hash_table_insert (by_id, id, ns);
      compared++;
    }
  /* at least our own process and the test's namespace were compared */
  ck_assert_uint_ge (g_hash_table_size (by_ns), 2);
  ck_assert_uint_ge (compared, 3);
  netns_release (&a);
}
END_TEST

static char *
write_table (const char *dir, const char *name, const char *body)
{
  g_autofree char *contents = g_strconcat ("  sl  local_address rem_address   st tx_queue rx_queue "
                                           "tr tm->when retrnsmt   uid  timeout inode\n",
                                           body, NULL);
  char *path = g_build_filename (dir, name, NULL);

  ck_assert (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static char *
make_pid_dir (const char *root, const char *pid)
{
  char *net = g_build_filename (root, pid, "net", NULL);

  ck_assert_int_eq (g_mkdir_with_parents (net, 0755), 0);
  return net;
}

#define LISTEN_LINE(inode) \
  "   0: 00000000:13D8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 " \
  inode " 1 0000000000000000 100 0 0 10 0\n"
#define UDP_LINE(inode) \
  "  1: 00000000:13D8 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 " \
  inode " 2 0000000000000000 0\n"

/* A proc root made by the test: 100 and 101 share one namespace (one file, hard-linked),
 * 200 and 201 share another, 300 has exited (no net), "self" is 100 */
static char *
make_fixture_root (void)
{
  g_autofree char *template = g_build_filename (g_get_tmp_dir (), "porthole-netns-XXXXXX", NULL);
  char *root = g_mkdtemp (g_steal_pointer (&template));
  g_autofree char *net100 = NULL, *net101 = NULL, *net200 = NULL, *net201 = NULL;
  g_autofree char *self = NULL, *exited = NULL, *junk = NULL;
  const char *names[] = { "tcp", "udp" };

  ck_assert (root != NULL);
  net100 = make_pid_dir (root, "100");
  net101 = make_pid_dir (root, "101");
  net200 = make_pid_dir (root, "200");
  net201 = make_pid_dir (root, "201");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *own = write_table (net100, names[i], i == 0 ? LISTEN_LINE ("1001") : "");
      g_autofree char *other = write_table (net200, names[i], i == 0 ? LISTEN_LINE ("2001")
                                                                     : UDP_LINE ("2002"));
      g_autofree char *own_link = g_build_filename (net101, names[i], NULL);
      g_autofree char *other_link = g_build_filename (net201, names[i], NULL);

      ck_assert_int_eq (link (own, own_link), 0);
      ck_assert_int_eq (link (other, other_link), 0);
    }
  self = g_build_filename (root, "self", NULL);
  ck_assert_int_eq (symlink ("100", self), 0);
  exited = g_build_filename (root, "300", NULL);
  junk = g_build_filename (root, "sys", NULL);
  ck_assert_int_eq (mkdir (exited, 0755), 0);
  ck_assert_int_eq (mkdir (junk, 0755), 0);
  return root;
}

static void
remove_tree (const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);

  ck_assert (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

START_TEST (test_list_fixture)
{
  g_autofree char *root = make_fixture_root ();
  g_autofree char *own_tcp = g_build_filename (root, "100", "net", "tcp", NULL);
  g_autofree char *other_tcp = g_build_filename (root, "201", "net", "tcp", NULL);
  g_autofree char *missing = g_build_filename (root, "nowhere", NULL);
  g_autoptr(GArray) list = list_ok (root);
  g_autoptr(GArray) none = NULL;
  g_autoptr(GError) error = NULL;
  const PortholeNetns *ns;

  ck_assert_uint_eq (list->len, 2);
  ns = &g_array_index (list, PortholeNetns, 0);
  ck_assert (ns->own && ns->enterable);
  ck_assert_uint_eq (ns->id, stat_inode (own_tcp));
  ck_assert_int_eq (ns->pid, 100);
  ck_assert_uint_eq (ns->n_pids, 2);
  ns = &g_array_index (list, PortholeNetns, 1);
  ck_assert (!ns->own && !ns->enterable);   /* no ns/net to open */
  ck_assert_uint_eq (ns->id, stat_inode (other_tcp));
  ck_assert_int_eq (ns->pid, 200);
  ck_assert_uint_eq (ns->n_pids, 2);

  none = porthole_netns_list (missing, &error);
  ck_assert (none == NULL);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  remove_tree (root);
}
END_TEST

static Suite *
netns_suite (void)
{
  Suite *s = suite_create ("netns");
  TCase *tc = tcase_create ("core");

  /* Check's default of 4 s is too short on a loaded 2-core CI machine */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_list_fixture);
  if (geteuid () == 0)
    {
      tcase_add_test (tc, test_list_real);
      tcase_add_test (tc, test_id_matches_kernel);
    }
  else
    fprintf (stderr, "# not root: no namespaces of the test's own to look at\n");
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (netns_suite)
