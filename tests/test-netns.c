/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-netns.h"
#include "porthole-test-sockets.h"

#include "porthole-netns.h"
#include "porthole-socktable.h"

#include <gio/gio.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define ALL (PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES)

static guint64
stat_inode (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? st.st_ino : 0;
}
static const PortholeNetns *
find_ns (GArray *list, guint64 id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, PortholeNetns, i).id == id)
      return &g_array_index (list, PortholeNetns, i);
  return NULL;
}

/* A copy that outlives the list */
static PortholeNetns
copy_ns (GArray *list, guint64 id)
{
  const PortholeNetns *ns = find_ns (list, id);
  PortholeNetns copy = { 0 };

  ck_assert_msg (ns != NULL, "namespace %" G_GUINT64_FORMAT " not listed", id);
  if (ns != NULL)
    copy = *ns;
  return copy;
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
  PortholeTestNetns a, b;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) list = NULL;
  const PortholeNetns *ns;
  guint64 own = stat_inode ("/proc/self/net/tcp");
  pid_t b_pid;

  ck_assert_msg (porthole_test_netns_spawn (&a, 3, &reason), "%s", reason);
  ck_assert_msg (porthole_test_netns_spawn (&b, 1, &reason), "%s", reason);
  ck_assert (a.id != b.id && a.id != own && b.id != own);
  for (guint i = 1; i < a.n; i++)
    ck_assert_uint_eq (porthole_test_netns_of_pid (a.pids[i]), a.id);

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

  b_pid = b.pids[0];
  porthole_test_netns_release (&b);
  g_clear_pointer (&list, g_array_unref);
  list = list_ok (NULL);
  /* The kernel may give a gone namespace's id to a new one (another test's) at once */
  ns = find_ns (list, b.id);
  ck_assert (ns == NULL || ns->pid != b_pid);
  ck_assert (find_ns (list, a.id) != NULL);
  porthole_test_netns_release (&a);
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
  PortholeTestNetns a;
  g_autofree char *reason = NULL;
  const char *name;
  guint compared = 0;

  ck_assert_msg (porthole_test_netns_spawn (&a, 2, &reason), "%s", reason);
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
  porthole_test_netns_release (&a);
}
END_TEST

static GArray *
dump_ok (const char *proc_root, const PortholeNetns *ns, PortholeDumpFlags flags,
         gboolean force_proc, PortholeSource *source)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_netns_dump (proc_root, ns, flags, force_proc, rows, source, &error),
                 "namespace %" G_GUINT64_FORMAT ": %s", ns->id, error ? error->message : "");
  return rows;
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const PortholeSockInfo *x = a, *y = b;

  return (x->inode > y->inode) - (x->inode < y->inode);
}

/* What both paths can tell: sock_diag alone knows IPV6_V6ONLY and the TCP counters (which
 * move between two dumps), and reports a listener's backlog limit as its send queue */
static void
normalize (GArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

      porthole_sockinfo_forget_tcp_info (r);
      r->flags = 0;
      if (r->state == PORTHOLE_TCP_LISTEN)
        r->tx_queue = 0;
    }
  g_array_sort (rows, compare_rows);
}

/* Exactly the namespace's sockets (@all: every state; else the three listening ones), each
 * marked with the namespace. Returns a description of the first difference, or NULL. */
static char *
check_rows (GArray *rows, const PortholeTestNetns *t, gboolean all)
{
  guint want = all ? PORTHOLE_TEST_NETNS_N_SOCKETS : 3;

  if (rows->len != want)
    return g_strdup_printf ("%u rows, not %u", rows->len, want);
  for (guint i = 0; i < rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);
      guint k;

      for (k = 0; k < PORTHOLE_TEST_NETNS_N_SOCKETS && t->inodes[k] != r->inode; k++)
        ;
      if (k == PORTHOLE_TEST_NETNS_N_SOCKETS || (!all && k >= PORTHOLE_TEST_NETNS_CLIENT))
        return g_strdup_printf ("row %u: inode %" G_GUINT64_FORMAT " is not ours", i, r->inode);
      if (r->netns != t->id)
        return g_strdup_printf ("row %u: netns %" G_GUINT64_FORMAT, i, r->netns);
      if (r->local_port != (k == PORTHOLE_TEST_NETNS_CLIENT ? t->client_port : PORTHOLE_TEST_NETNS_PORT) ||
          r->remote_port != (k == PORTHOLE_TEST_NETNS_CLIENT ? PORTHOLE_TEST_NETNS_PORT : k == PORTHOLE_TEST_NETNS_ACCEPTED ? t->client_port : 0))
        return g_strdup_printf ("row %u: ports %u -> %u", i, r->local_port, r->remote_port);
      if (r->protocol != (k == PORTHOLE_TEST_NETNS_UDP4 ? IPPROTO_UDP : IPPROTO_TCP) ||
          r->family != (k == PORTHOLE_TEST_NETNS_TCP6_LISTEN ? AF_INET6 : AF_INET))
        return g_strdup_printf ("row %u: protocol %u family %u", i, r->protocol, r->family);
    }
  return NULL;
}

#define assert_rows(rows, t, all)                                        \
  G_STMT_START {                                                         \
    g_autofree char *why_ = check_rows ((rows), (t), (all));             \
    ck_assert_msg (why_ == NULL, "%s", why_);                           \
  } G_STMT_END

static void
assert_same_rows (GArray *a, GArray *b)
{
  normalize (a);
  normalize (b);
  ck_assert_uint_eq (a->len, b->len);
  ck_assert (memcmp (a->data, b->data, a->len * sizeof (PortholeSockInfo)) == 0);
}

/* sock_diag inside each namespace and the /proc parser give the same rows: only that
 * namespace's, with its id, though both hold 0.0.0.0:5080 */
START_TEST (test_dump_real)
{
  PortholeTestNetns t[2];
  g_autofree char *reason = NULL;
  g_autoptr(GArray) list = NULL;

  ck_assert_msg (porthole_test_netns_spawn (&t[0], 2, &reason), "%s", reason);
  ck_assert_msg (porthole_test_netns_spawn (&t[1], 1, &reason), "%s", reason);
  list = list_ok (NULL);
  for (guint i = 0; i < 2; i++)
    {
      const PortholeNetns *ns = find_ns (list, t[i].id);
      g_autoptr(GArray) netlink = NULL;
      g_autoptr(GArray) proc = NULL;
      g_autoptr(GArray) listening = NULL;
      PortholeSource source = -1;

      ck_assert (ns != NULL && ns->enterable);
      netlink = dump_ok (NULL, ns, ALL, FALSE, &source);
      ck_assert_int_eq (source, PORTHOLE_SOURCE_NETLINK);
      assert_rows (netlink, &t[i], TRUE);
      proc = dump_ok (NULL, ns, ALL, TRUE, &source);
      ck_assert_int_eq (source, PORTHOLE_SOURCE_PROC);
      assert_rows (proc, &t[i], TRUE);
      assert_same_rows (netlink, proc);
      for (int force_proc = 0; force_proc <= 1; force_proc++)
        {
          listening = dump_ok (NULL, ns, PORTHOLE_DUMP_DEFAULT, force_proc, NULL);
          assert_rows (listening, &t[i], FALSE);
          g_clear_pointer (&listening, g_array_unref);
        }
    }
  porthole_test_netns_release (&t[1]);
  porthole_test_netns_release (&t[0]);
}
END_TEST

static int
dump_as_nobody (int message_fd, gpointer data)
{
  const PortholeTestNetns *t = data;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GArray) forced = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  const PortholeNetns *ns;
  PortholeSource source = PORTHOLE_SOURCE_NETLINK;

  list = porthole_netns_list (NULL, &error);
  if (list == NULL)
    {
      dprintf (message_fd, "list: %s", error->message);
      return 2;
    }
  ns = find_ns (list, t->id);
  if (ns == NULL || ns->enterable || ns->n_pids != t->n)
    {
      dprintf (message_fd, "namespace %s", ns ? "enterable or miscounted" : "missing");
      return 3;
    }
  /* not allowed in: the /proc path, without being asked for it */
  if (!porthole_netns_dump (NULL, ns, ALL, FALSE, rows, &source, &error) ||
      !porthole_netns_dump (NULL, ns, ALL, TRUE, forced, NULL, &error))
    {
      dprintf (message_fd, "dump: %s", error->message);
      return 4;
    }
  if (source != PORTHOLE_SOURCE_PROC)
    return 5;
  why = check_rows (rows, t, TRUE);
  if (why != NULL)
    {
      dprintf (message_fd, "%s", why);
      return 6;
    }
  for (guint i = 0; i < rows->len; i++)
    if (g_array_index (rows, PortholeSockInfo, i).uid != 0)
      return 7;
  normalize (rows);
  normalize (forced);
  if (rows->len != forced->len || memcmp (rows->data, forced->data, rows->len * sizeof (PortholeSockInfo)) != 0)
    return 8;
  return 0;
}

/* An unprivileged user may not enter root's namespace, but reads the same rows through /proc */
START_TEST (test_dump_unprivileged)
{
  PortholeTestNetns t;
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;
  int status;

  ck_assert_msg (porthole_test_netns_spawn (&t, 2, &reason), "%s", reason);
  status = porthole_test_run_as_nobody (dump_as_nobody, &t, &message);
  ck_assert_msg (status == 0, "status %d: %s", status, message);
  porthole_test_netns_release (&t);
}
END_TEST

static void
assert_not_found (const char *proc_root, const PortholeNetns *ns, gboolean force_proc)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  PortholeSockInfo sentinel = { .inode = 42 };
  PortholeSource source = -1;

  g_array_append_val (rows, sentinel);
  ck_assert (!porthole_netns_dump (proc_root, ns, ALL, force_proc, rows, &source, &error));
  ck_assert_msg (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND), "%s", error->message);
  ck_assert_uint_eq (rows->len, 1);
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 0).inode, 42);
  ck_assert_int_eq ((int) source, -1);   /* untouched */
}

/* The last process of a namespace exits between the list and the dump */
START_TEST (test_dump_vanished)
{
  PortholeTestNetns t;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) list = NULL;
  PortholeNetns ns;

  ck_assert_msg (porthole_test_netns_spawn (&t, 2, &reason), "%s", reason);
  list = list_ok (NULL);
  ns = copy_ns (list, t.id);
  porthole_test_netns_release (&t);
  assert_not_found (NULL, &ns, FALSE);
  assert_not_found (NULL, &ns, TRUE);
}
END_TEST

/* The process the list named moves to another namespace: another one of the namespace is read
 * through, and when there is none, the namespace is gone; never the new namespace's rows */
START_TEST (test_dump_moved)
{
  PortholeTestNetns two, one;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) list = NULL;
  PortholeNetns ns;

  ck_assert_msg (porthole_test_netns_spawn (&two, 2, &reason), "%s", reason);
  ck_assert_msg (porthole_test_netns_spawn (&one, 1, &reason), "%s", reason);
  list = list_ok (NULL);

  ns = copy_ns (list, two.id);
  ck_assert_uint_eq (ns.n_pids, 2);
  ck_assert (porthole_test_netns_move (&two, ns.pid));
  for (int force_proc = 0; force_proc <= 1; force_proc++)
    {
      PortholeSource source = -1;
      g_autoptr(GArray) rows = dump_ok (NULL, &ns, ALL, force_proc, &source);

      ck_assert_int_eq (source, force_proc ? PORTHOLE_SOURCE_PROC : PORTHOLE_SOURCE_NETLINK);
      assert_rows (rows, &two, TRUE);
    }

  ns = copy_ns (list, one.id);
  ck_assert (porthole_test_netns_move (&one, ns.pid));
  assert_not_found (NULL, &ns, FALSE);
  assert_not_found (NULL, &ns, TRUE);

  porthole_test_netns_release (&one);
  porthole_test_netns_release (&two);
}
END_TEST

static int
compare_own (int message_fd, gpointer data)
{
  PortholeTestSockets s;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* a namespace of our own, so no other test's sockets come and go between the dumps */
  if (!porthole_test_enter_netns (&reason) || !porthole_test_sockets_spawn (&s, "porthole-kid", &reason))
    {
      dprintf (message_fd, "%s", reason);
      return 2;
    }
  list = porthole_netns_list (NULL, &error);
  if (list == NULL || !g_array_index (list, PortholeNetns, 0).own)
    status = 3;
  for (int force_proc = 0; force_proc <= 1 && status == 0; force_proc++)
    {
      g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
      g_autoptr(GArray) b = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
      PortholeSource sa = -1, sb = -2;

      if (!porthole_netns_dump (NULL, &g_array_index (list, PortholeNetns, 0), ALL, force_proc,
                                a, &sa, &error) ||
          !porthole_socktable_dump (NULL, ALL, force_proc, b, &sb, &error))
        status = 4;
      else
        {
          /* the counters move between the two dumps (last_data_sent_ms, at least) */
          for (guint i = 0; i < a->len; i++)
            porthole_sockinfo_forget_tcp_info (&g_array_index (a, PortholeSockInfo, i));
          for (guint i = 0; i < b->len; i++)
            porthole_sockinfo_forget_tcp_info (&g_array_index (b, PortholeSockInfo, i));
          if (sa != sb || a->len != b->len || a->len < 6 ||
              memcmp (a->data, b->data, a->len * sizeof (PortholeSockInfo)) != 0)
            status = 5;
        }
      for (guint i = 0; status == 0 && i < a->len; i++)
        if (g_array_index (a, PortholeSockInfo, i).netns != 0)
          status = 6;
    }
  porthole_test_sockets_release (&s);
  return status;
}

/* Our own namespace's dump is porthole_socktable_dump's, rows unmarked */
START_TEST (test_dump_own)
{
  g_autofree char *message = NULL;
  int status = porthole_test_run_forked (compare_own, NULL, &message);

  ck_assert_msg (status == 0, "status %d: %s", status, message);
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

static void
replace_file (const char *root, const char *pid, const char *name)
{
  g_autofree char *path = g_build_filename (root, pid, "net", name, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *fresh = g_strconcat (path, ".new", NULL);

  /* same contents, new inode: the process is now in another namespace */
  ck_assert (g_file_get_contents (path, &contents, NULL, NULL));
  ck_assert (g_file_set_contents (fresh, contents, -1, NULL));
  ck_assert_int_eq (rename (fresh, path), 0);
}

START_TEST (test_dump_fixture)
{
  g_autofree char *root = make_fixture_root ();
  g_autofree char *net = g_build_filename (root, "net", NULL);
  g_autoptr(GArray) list = list_ok (root);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) own = NULL;
  g_autoptr(GArray) table = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  PortholeNetns ns = g_array_index (list, PortholeNetns, 1);
  PortholeSource source = -1;

  rows = dump_ok (root, &ns, PORTHOLE_DUMP_DEFAULT, FALSE, &source);
  ck_assert_int_eq (source, PORTHOLE_SOURCE_PROC);
  ck_assert_uint_eq (rows->len, 2);
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 0).inode, 2001);
  ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, 1).inode, 2002);
  for (guint i = 0; i < rows->len; i++)
    ck_assert_uint_eq (g_array_index (rows, PortholeSockInfo, i).netns, ns.id);
  g_clear_pointer (&rows, g_array_unref);

  /* 200 left: 201 is still there */
  replace_file (root, "200", "tcp");
  rows = dump_ok (root, &ns, PORTHOLE_DUMP_DEFAULT, FALSE, NULL);
  ck_assert_uint_eq (rows->len, 2);
  /* and then 201: nobody is left */
  replace_file (root, "201", "tcp");
  assert_not_found (root, &ns, FALSE);

  /* our own, through <root>/net as porthole_socktable_dump reads it */
  ck_assert_int_eq (symlink ("self/net", net), 0);
  own = dump_ok (root, &g_array_index (list, PortholeNetns, 0), ALL, TRUE, &source);
  ck_assert_int_eq (source, PORTHOLE_SOURCE_PROC);
  ck_assert (porthole_socktable_dump (root, ALL, TRUE, table, NULL, &error));
  ck_assert_uint_eq (own->len, 1);
  ck_assert_uint_eq (table->len, 1);
  ck_assert (memcmp (own->data, table->data, sizeof (PortholeSockInfo)) == 0);
  ck_assert_uint_eq (g_array_index (own, PortholeSockInfo, 0).netns, 0);
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
  tcase_add_test (tc, test_dump_fixture);
  if (geteuid () == 0)
    {
      tcase_add_test (tc, test_list_real);
      tcase_add_test (tc, test_id_matches_kernel);
      tcase_add_test (tc, test_dump_real);
      tcase_add_test (tc, test_dump_unprivileged);
      tcase_add_test (tc, test_dump_vanished);
      tcase_add_test (tc, test_dump_moved);
      tcase_add_test (tc, test_dump_own);
    }
  else
    fprintf (stderr, "# not root: no namespaces of the test's own to look at\n");
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (netns_suite)
