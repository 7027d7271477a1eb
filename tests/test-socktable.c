/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sockets.h"

#include "porthole-net-error.h"
#include "porthole-procmap.h"
#include "porthole-sockdiag.h"
#include "porthole-socktable.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ALL (PORTHOLE_DUMP_DEFAULT | PORTHOLE_DUMP_ALL_STATES)

static GArray *
dump (const char *proc_root, PortholeDumpFlags flags, gboolean force_proc, PortholeSource *source)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;

  ck_assert_msg (porthole_socktable_dump (proc_root, flags, force_proc, rows, source, &error),
                 "%s", error ? error->message : "");
  return rows;
}

static const PortholeSockInfo *
find_inode (GArray *rows, guint64 inode)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_array_index (rows, PortholeSockInfo, i).inode == inode)
      return &g_array_index (rows, PortholeSockInfo, i);
  return NULL;
}

static guint64 *
child_inodes (const PortholeTestSockets *s)
{
  guint64 *v = g_new (guint64, 6);

  v[0] = s->tcp4_inode;
  v[1] = s->tcp6_inode;
  v[2] = s->udp4_inode;
  v[3] = s->udp6_inode;
  v[4] = s->client_inode;
  v[5] = s->accepted_inode;
  return v;
}

static GHashTable *
owners_of (const guint64 *inodes, gsize n, guint *n_denied)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (gsize i = 0; i < n; i++)
    g_hash_table_add (wanted, (gpointer) &inodes[i]);
  return porthole_procmap_find_owners (NULL, wanted, n_denied);
}

static void
assert_child_rows (GArray *rows, const PortholeTestSockets *s)
{
  static const struct {
    guint8 protocol;
    guint8 family;
    guint8 state;
    const char *state_name;
  } want[] = {
    { IPPROTO_TCP, AF_INET, PORTHOLE_TCP_LISTEN, "LISTEN" },
    { IPPROTO_TCP, AF_INET6, PORTHOLE_TCP_LISTEN, "LISTEN" },
    { IPPROTO_UDP, AF_INET, PORTHOLE_TCP_CLOSE, "UNCONN" },
    { IPPROTO_UDP, AF_INET6, PORTHOLE_TCP_CLOSE, "UNCONN" },
    { IPPROTO_TCP, AF_INET, PORTHOLE_TCP_ESTABLISHED, "ESTABLISHED" },
    { IPPROTO_TCP, AF_INET, PORTHOLE_TCP_ESTABLISHED, "ESTABLISHED" },
  };
  const guint16 local_ports[] = { s->tcp4_port, s->tcp6_port, s->udp4_port, s->udp6_port,
                                  s->client_port, s->tcp4_port };
  const guint16 remote_ports[] = { 0, 0, 0, 0, s->tcp4_port, s->client_port };
  g_autofree guint64 *inodes = child_inodes (s);

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const PortholeSockInfo *r = find_inode (rows, inodes[i]);
      g_autofree char *local = NULL;
      g_autofree char *remote = NULL;

      ck_assert_msg (r != NULL, "socket %u (inode %" G_GUINT64_FORMAT ") missing", i, inodes[i]);
      ck_assert_int_eq (r->protocol, want[i].protocol);
      ck_assert_int_eq (r->family, want[i].family);
      ck_assert_int_eq (r->state, want[i].state);
      ck_assert_str_eq (porthole_sockinfo_state_name (r), want[i].state_name);
      ck_assert_uint_eq (r->local_port, local_ports[i]);
      ck_assert_uint_eq (r->remote_port, remote_ports[i]);
      local = porthole_address_to_string (r->family, r->local_addr);
      ck_assert_str_eq (local, r->family == AF_INET ? "127.0.0.1" : "::1");
      remote = porthole_address_to_string (r->family, r->remote_addr);
      if (remote_ports[i] != 0)
        ck_assert_str_eq (remote, "127.0.0.1");
      else
        ck_assert_str_eq (remote, r->family == AF_INET ? "0.0.0.0" : "::");
      ck_assert_uint_eq (r->uid, geteuid ());
    }
}

/* The netlink path and the /proc path see the child's sockets the same way, and the map
 * names the child as their owner. */
START_TEST (test_paths_agree)
{
  PortholeTestSockets s;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) netlink = NULL;
  g_autoptr(GArray) proc = NULL;
  g_autoptr(GHashTable) owners = NULL;
  g_autofree guint64 *inodes = NULL;
  PortholeSource source = -1;

  ck_assert_msg (porthole_test_sockets_spawn (&s, "porthole-kid", &reason), "%s", reason);
  netlink = dump (NULL, ALL, FALSE, &source);
  ck_assert_int_eq (source, PORTHOLE_SOURCE_NETLINK);
  proc = dump (NULL, ALL, TRUE, &source);
  ck_assert_int_eq (source, PORTHOLE_SOURCE_PROC);

  assert_child_rows (netlink, &s);
  assert_child_rows (proc, &s);
  inodes = child_inodes (&s);
  for (guint i = 0; i < 6; i++)
    {
      const PortholeSockInfo *pa = find_inode (netlink, inodes[i]);
      const PortholeSockInfo *pb = find_inode (proc, inodes[i]);
      PortholeSockInfo a, b;

      ck_assert (pa != NULL && pb != NULL);
      a = *pa;
      b = *pb;

      if (a.state == PORTHOLE_TCP_LISTEN)   /* sock_diag reports the backlog limit here */
        a.tx_queue = b.tx_queue = 0;
      /* only sock_diag knows IPV6_V6ONLY */
      ck_assert (b.flags == 0);
      if (a.family == AF_INET6)
        ck_assert (a.flags & PORTHOLE_SOCKINFO_V6ONLY_KNOWN);
      /* only sock_diag has the TCP counters */
      ck_assert (!(b.flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO) && b.tcp_info_fields == 0);
      if (a.protocol == IPPROTO_TCP)
        ck_assert (a.flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO);
      porthole_sockinfo_forget_tcp_info (&a);
      a.flags = 0;
      ck_assert_msg (memcmp (&a, &b, sizeof a) == 0, "socket %u differs between the paths", i);
    }

  owners = owners_of (inodes, 6, NULL);
  ck_assert_uint_eq (g_hash_table_size (owners), 6);
  for (guint i = 0; i < 6; i++)
    {
      int pid = GPOINTER_TO_INT (g_hash_table_lookup (owners, &inodes[i]));
      g_autofree char *comm = porthole_proc_read_comm (NULL, pid);

      ck_assert_int_eq (pid, s.pid);
      ck_assert_str_eq (comm, "porthole-kid");
    }
  porthole_test_sockets_release (&s);
}
END_TEST

START_TEST (test_flags)
{
  PortholeTestSockets s;
  g_autofree char *reason = NULL;
  g_autoptr(GArray) listening = NULL;
  g_autoptr(GArray) tcp4 = NULL;
  g_autoptr(GArray) udp = NULL;

  ck_assert_msg (porthole_test_sockets_spawn (&s, "porthole-kid", &reason), "%s", reason);
  for (int force_proc = 0; force_proc <= 1; force_proc++)
    {
      listening = dump (NULL, PORTHOLE_DUMP_DEFAULT, force_proc, NULL);
      ck_assert (find_inode (listening, s.tcp4_inode) && find_inode (listening, s.udp6_inode));
      ck_assert (!find_inode (listening, s.client_inode) && !find_inode (listening, s.accepted_inode));

      tcp4 = dump (NULL, PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV4 | PORTHOLE_DUMP_ALL_STATES,
                   force_proc, NULL);
      ck_assert (find_inode (tcp4, s.client_inode) && find_inode (tcp4, s.tcp4_inode));
      ck_assert (!find_inode (tcp4, s.tcp6_inode) && !find_inode (tcp4, s.udp4_inode));

      udp = dump (NULL, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4 | PORTHOLE_DUMP_IPV6,
                  force_proc, NULL);
      ck_assert (find_inode (udp, s.udp4_inode) && find_inode (udp, s.udp6_inode));
      ck_assert (!find_inode (udp, s.tcp4_inode));
      for (guint i = 0; i < udp->len; i++)
        ck_assert_int_eq (g_array_index (udp, PortholeSockInfo, i).protocol, IPPROTO_UDP);

      g_clear_pointer (&listening, g_array_unref);
      g_clear_pointer (&tcp4, g_array_unref);
      g_clear_pointer (&udp, g_array_unref);
    }
  porthole_test_sockets_release (&s);
}
END_TEST

START_TEST (test_fixture_root)
{
  g_autofree char *root = porthole_test_fixture ("proc");
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) fail = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autofree char *missing = porthole_test_fixture ("proc/nowhere");
  g_autoptr(GError) error = NULL;
  PortholeSource source = -1;

  rows = dump (root, ALL, TRUE, &source);
  ck_assert_int_eq (source, PORTHOLE_SOURCE_PROC);
  ck_assert_uint_eq (rows->len, 24);
  ck_assert (!porthole_socktable_dump (missing, ALL, TRUE, fail, NULL, &error));
  ck_assert_uint_eq (fail->len, 0);
}
END_TEST

typedef struct {
  PortholeTestSockets *s;
  gboolean force_proc;
} NobodyData;

static int
list_as_nobody (int message_fd, gpointer user_data)
{
  NobodyData *d = user_data;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) owners = NULL;
  g_autofree guint64 *inodes = child_inodes (d->s);
  guint64 all[7];
  PortholeSource source;
  struct stat st;
  struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
  guint denied = 0;
  int mine;

  /* an unbound UDP socket is in no table: bind it */
  mine = socket (AF_INET6, SOCK_DGRAM, 0);
  if (mine < 0 || bind (mine, (struct sockaddr *) &any, sizeof any) < 0 || fstat (mine, &st) < 0)
    return 2;
  if (!porthole_socktable_dump (NULL, ALL, d->force_proc, rows, &source, &error))
    {
      dprintf (message_fd, "dump failed: %s", error->message);
      return 3;
    }
  if (source != (d->force_proc ? PORTHOLE_SOURCE_PROC : PORTHOLE_SOURCE_NETLINK))
    return 4;
  /* every socket listed, each with its owner's uid */
  for (guint i = 0; i < 6; i++)
    {
      const PortholeSockInfo *r = find_inode (rows, inodes[i]);

      if (r == NULL || r->uid != 0)
        {
          dprintf (message_fd, "root's socket %u: %s", i, r ? "wrong uid" : "missing");
          return 5;
        }
      all[i] = inodes[i];
    }
  all[6] = st.st_ino;
  {
    const PortholeSockInfo *own = find_inode (rows, st.st_ino);

    if (own == NULL || own->uid != 65534)
      return 6;
  }

  /* the map finds our own socket, not root's, and says it was denied */
  owners = owners_of (all, 7, &denied);
  if (g_hash_table_size (owners) != 1 ||
      GPOINTER_TO_INT (g_hash_table_lookup (owners, &all[6])) != getpid ())
    {
      dprintf (message_fd, "map as nobody: %u owners", g_hash_table_size (owners));
      return 7;
    }
  if (denied == 0)
    return 8;
  return 0;
}

/* An unprivileged user still sees every socket and its uid; processes it may not inspect
 * stay unknown, without an error. */
START_TEST (test_unprivileged)
{
  PortholeTestSockets s;
  g_autofree char *reason = NULL;

  if (geteuid () != 0)
    {
      fprintf (stderr, "# not root: cannot drop to uid 65534, nothing to compare\n");
      return;
    }
  ck_assert_msg (porthole_test_sockets_spawn (&s, "porthole-kid", &reason), "%s", reason);
  for (int force_proc = 0; force_proc <= 1; force_proc++)
    {
      NobodyData d = { &s, force_proc };
      g_autofree char *message = NULL;
      int status = porthole_test_run_as_nobody (list_as_nobody, &d, &message);

      ck_assert_msg (status == 0, "%s path: status %d %s", force_proc ? "proc" : "netlink",
                     status, message);
    }
  porthole_test_sockets_release (&s);
}
END_TEST

static int
list_without_netlink (int message_fd, gpointer user_data)
{
  PortholeTestSockets *s = user_data;
  /* socket (AF_NETLINK, ...) fails with EACCES, as in a sandbox that forbids netlink */
  struct sock_filter filter[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, args[0])),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { G_N_ELEMENTS (filter), filter };
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  PortholeSource source = PORTHOLE_SOURCE_NETLINK;

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
      prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
    {
      dprintf (message_fd, "seccomp: %s", g_strerror (errno));
      return 2;
    }
  if (porthole_sockdiag_dump (ALL, rows, &error) ||
      !g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_REFUSED))
    {
      dprintf (message_fd, "sock_diag was not refused");
      return 3;
    }
  g_clear_error (&error);
  if (!porthole_socktable_dump (NULL, ALL, FALSE, rows, &source, &error))
    {
      dprintf (message_fd, "dump failed: %s", error->message);
      return 4;
    }
  if (source != PORTHOLE_SOURCE_PROC)
    return 5;
  if (find_inode (rows, s->tcp6_inode) == NULL || find_inode (rows, s->client_inode) == NULL)
    return 6;
  return 0;
}

/* When the kernel refuses sock_diag, the table comes from /proc/net instead */
START_TEST (test_fallback_when_refused)
{
  PortholeTestSockets s;
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;
  int status;

  ck_assert_msg (porthole_test_sockets_spawn (&s, "porthole-kid", &reason), "%s", reason);
  status = porthole_test_run_forked (list_without_netlink, &s, &message);
  ck_assert_msg (status == 0, "status %d: %s", status, message);
  porthole_test_sockets_release (&s);
}
END_TEST

static Suite *
socktable_suite (void)
{
  Suite *s = suite_create ("socktable");
  TCase *tc = tcase_create ("core");

  /* Check's default of 4 s is too short on a loaded 2-core CI machine */
  tcase_set_timeout (tc, 60);

  tcase_add_test (tc, test_paths_agree);
  tcase_add_test (tc, test_flags);
  tcase_add_test (tc, test_fixture_root);
  tcase_add_test (tc, test_unprivileged);
  tcase_add_test (tc, test_fallback_when_refused);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (socktable_suite)
