/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"

#include "porthole-forwarder.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP

typedef struct {
  guint8      protocol;
  const char *host_address;
  guint16     host_port;
  const char *container_address;
  guint16     container_port;
} Expected;

/* tests/fixtures/cmdline/<file>, written by tests/fixtures/make-container-fixtures.py */
typedef struct {
  const char     *file;
  gboolean        forwarder;
  guint           n;
  const Expected *forwards;
} Case;

static const Expected tcp4[] = { { TCP, "0.0.0.0", 8080, "172.17.0.2", 80 } };
static const Expected tcp6[] = { { TCP, "::", 8080, "172.17.0.2", 80 } };
static const Expected udp[] = { { UDP, "127.0.0.1", 5353, "172.18.0.5", 53 } };
static const Expected listen_fd[] = { { TCP, "0.0.0.0", 443, "172.17.0.3", 8443 } };
static const Expected equals[] = { { TCP, "192.168.1.10", 2222, "fd00:dead:beef::2", 22 } };
static const Expected no_host_ip[] = { { TCP, NULL, 3000, "172.17.0.4", 3000 } };
static const Expected podman[] = {
  { TCP, NULL, 8080, NULL, 80 },
  { TCP, "127.0.0.1", 8443, NULL, 443 },
};
static const Expected specs[] = {
  { TCP, NULL, 8080, NULL, 8080 },
  { TCP, NULL, 8081, NULL, 80 },
  { TCP, "127.0.0.1", 9000, NULL, 9000 },
  { TCP, NULL, 8000, NULL, 9000 },
  { TCP, NULL, 8001, NULL, 9001 },
  { TCP, NULL, 8002, NULL, 9002 },
  { UDP, NULL, 53, NULL, 53 },
  { UDP, "::1", 5353, NULL, 53 },
  /* "-t100-102,~101" */
  { TCP, NULL, 100, NULL, 100 },
  { TCP, NULL, 102, NULL, 102 },
  /* "-qt 7000"; then "-T 6000" (the other way), "--netns -t" (a value) and after "--": nothing */
  { TCP, NULL, 7000, NULL, 7000 },
};
static const Expected iface[] = { { TCP, "192.0.2.1", 22, NULL, 2222 } };
static const Expected missing_pasta[] = { { TCP, NULL, 80, NULL, 80 } };

#define N(a) G_N_ELEMENTS (a), a
static const Case cases[] = {
  { "docker-proxy-tcp4", TRUE, N (tcp4) },
  { "docker-proxy-tcp6", TRUE, N (tcp6) },
  { "docker-proxy-udp", TRUE, N (udp) },
  { "docker-proxy-listen-fd", TRUE, N (listen_fd) },
  { "docker-proxy-equals", TRUE, N (equals) },
  { "docker-proxy-no-host-ip", TRUE, N (no_host_ip) },
  { "docker-proxy-sctp", TRUE, 0, NULL },
  { "rootlessport", TRUE, 0, NULL },
  { "slirp4netns", TRUE, 0, NULL },
  { "pasta-podman", TRUE, N (podman) },
  { "pasta-specs", TRUE, N (specs) },
  { "pasta-iface", TRUE, N (iface) },
  { "not-forwarder", FALSE, 0, NULL },
  { "not-forwarder-lookalike", FALSE, 0, NULL },
  { "hostile-port-0", TRUE, 0, NULL },
  { "hostile-port-70000", TRUE, 0, NULL },
  { "hostile-port-abc", TRUE, 0, NULL },
  { "hostile-bad-address", TRUE, 0, NULL },
  { "hostile-pasta-ports", TRUE, 0, NULL },
  /* checked further in test_many */
  { "hostile-many-t", TRUE, PORTHOLE_FORWARDER_MAX_FORWARDS, NULL },
  { "hostile-big-range", TRUE, PORTHOLE_FORWARDER_MAX_FORWARDS, NULL },
  { "hostile-missing-value-docker", TRUE, 0, NULL },
  { "hostile-missing-value-pasta", TRUE, N (missing_pasta) },
  { "hostile-empty", FALSE, 0, NULL },
  { "hostile-nuls", FALSE, 0, NULL },
  { "hostile-invalid-utf8", FALSE, 0, NULL },
};

static GArray *
parse_fixture (const char *file)
{
  g_autofree char *path = g_build_filename (g_getenv ("PORTHOLE_FIXTURES"), "cmdline", file, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *exact = NULL;
  gsize len;

  ck_assert_msg (g_file_get_contents (path, &contents, &len, NULL), "%s", path);
  /* an exact-size copy: the parser must not look for a terminating NUL */
  exact = g_memdup2 (contents, len);
  return porthole_forwarder_parse_cmdline (exact, len);
}

static void
check_promises (const char *what, GArray *forwards)
{
  ck_assert_msg (forwards->len <= PORTHOLE_FORWARDER_MAX_FORWARDS, "%s: %u forwards", what, forwards->len);
  for (guint i = 0; i < forwards->len; i++)
    {
      const PortholeForward *f = &g_array_index (forwards, PortholeForward, i);

      ck_assert (f->protocol == TCP || f->protocol == UDP);
      ck_assert (f->host_port > 0 && f->container_port > 0);
      ck_assert (f->host_address == NULL || g_utf8_validate (f->host_address, -1, NULL));
      ck_assert (f->container_address == NULL || g_utf8_validate (f->container_address, -1, NULL));
    }
}

START_TEST (test_fixtures)
{
  const Case *c = &cases[_i];
  g_autoptr(GArray) forwards = parse_fixture (c->file);

  if (!c->forwarder)
    {
      ck_assert_msg (forwards == NULL, "%s: taken for a forwarder", c->file);
      return;
    }
  ck_assert_msg (forwards != NULL, "%s: not recognised", c->file);
  ck_assert_msg (forwards->len == c->n, "%s: %u forwards, expected %u", c->file, forwards->len, c->n);
  check_promises (c->file, forwards);
  for (guint i = 0; c->forwards != NULL && i < c->n; i++)
    {
      const PortholeForward *f = &g_array_index (forwards, PortholeForward, i);
      const Expected *e = &c->forwards[i];

      ck_assert_msg (f->protocol == e->protocol && f->host_port == e->host_port &&
                     f->container_port == e->container_port &&
                     g_strcmp0 (f->host_address, e->host_address) == 0 &&
                     g_strcmp0 (f->container_address, e->container_address) == 0,
                     "%s #%u: %u %s:%u -> %s:%u", c->file, i, f->protocol, f->host_address,
                     f->host_port, f->container_address, f->container_port);
    }
}
END_TEST

START_TEST (test_fixtures_all_listed)
{
  porthole_test_assert_fixtures_listed ("cmdline", cases, G_N_ELEMENTS (cases), sizeof cases[0],
                                        G_STRUCT_OFFSET (Case, file));
}
END_TEST

/* 10,000 -t options and a whole-range spec: clamped at the bound, the first ones kept */
START_TEST (test_many)
{
  g_autoptr(GArray) many = parse_fixture ("hostile-many-t");
  g_autoptr(GArray) range = parse_fixture ("hostile-big-range");

  ck_assert_uint_eq (many->len, PORTHOLE_FORWARDER_MAX_FORWARDS);
  ck_assert_uint_eq (range->len, PORTHOLE_FORWARDER_MAX_FORWARDS);
  for (guint i = 0; i < many->len; i++)
    {
      ck_assert_uint_eq (g_array_index (many, PortholeForward, i).host_port, i + 1);
      ck_assert_uint_eq (g_array_index (range, PortholeForward, i).container_port, i + 1);
    }
}
END_TEST

/* "~" items take ports out of the spec's ranges, wherever they stand in it */
START_TEST (test_exclusions)
{
  static const char argv[] = "pasta\0-t\0~5,1-10:101,~2-3,~4,~10\0-u\0~53,53\0";
  static const guint16 expected[] = { 1, 6, 7, 8, 9 };
  g_autoptr(GArray) forwards = porthole_forwarder_parse_cmdline (argv, sizeof argv - 1);
  g_autoptr(GString) hostile = g_string_new ("pasta");
  g_autoptr(GArray) none = NULL;
  gint64 start;

  ck_assert_uint_eq (forwards->len, G_N_ELEMENTS (expected));
  for (guint i = 0; i < forwards->len; i++)
    {
      ck_assert_uint_eq (g_array_index (forwards, PortholeForward, i).host_port, expected[i]);
      ck_assert_uint_eq (g_array_index (forwards, PortholeForward, i).container_port, expected[i] + 100);
    }
  /* every port of every option excluded: nothing, and no walk over 65,535 ports each time */
  for (int i = 0; i < 10000; i++)
    g_string_append_len (hostile, "\0-t\0001-65535,~1-65535", 20);
  start = g_get_monotonic_time ();
  none = porthole_forwarder_parse_cmdline (hostile->str, hostile->len);
  ck_assert_uint_eq (none->len, 0);
  ck_assert_msg (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC, "took %" G_GINT64_FORMAT " us",
                 g_get_monotonic_time () - start);
}
END_TEST

/* Only @len bytes count, with or without the last NUL */
START_TEST (test_length_bounds)
{
  static const char argv[] = "docker-proxy\0-host-port\0008080\0-container-port\00080";
  gsize full = sizeof argv - 1;
  g_autoptr(GArray) all = porthole_forwarder_parse_cmdline (argv, full);
  g_autoptr(GArray) cut = porthole_forwarder_parse_cmdline (argv, full - 1);

  ck_assert_uint_eq (all->len, 1);
  ck_assert_uint_eq (g_array_index (all, PortholeForward, 0).container_port, 80);
  /* "-container-port\0" "8": port 8 */
  ck_assert_uint_eq (cut->len, 1);
  ck_assert_uint_eq (g_array_index (cut, PortholeForward, 0).container_port, 8);
  ck_assert_ptr_null (porthole_forwarder_parse_cmdline (argv, 0));
  ck_assert_ptr_null (porthole_forwarder_parse_cmdline (NULL, 0));
  /* "docker-prox" */
  ck_assert_ptr_null (porthole_forwarder_parse_cmdline (argv, 11));
  for (gsize n = 0; n <= full; n++)
    {
      g_autofree char *copy = g_memdup2 (argv, MAX (n, 1));
      g_autoptr(GArray) f = porthole_forwarder_parse_cmdline (copy, n);

      ck_assert ((f != NULL) == (n >= 12));
      if (f != NULL)
        check_promises ("prefix", f);
    }
}
END_TEST

START_TEST (test_read_proc_root)
{
  g_autofree char *root = g_dir_make_tmp ("porthole-forwarder-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (root, "20", NULL);
  g_autofree char *file = g_build_filename (dir, "cmdline", NULL);
  static const char argv[] = "pasta\0-t\0008080:80\0";
  g_autoptr(GArray) forwards = NULL;

  ck_assert (root != NULL && g_mkdir (dir, 0755) == 0);
  ck_assert (g_file_set_contents (file, argv, sizeof argv - 1, NULL));
  forwards = porthole_forwarder_read (root, 20);
  ck_assert_uint_eq (forwards->len, 1);
  ck_assert_uint_eq (g_array_index (forwards, PortholeForward, 0).host_port, 8080);
  ck_assert_uint_eq (g_array_index (forwards, PortholeForward, 0).container_port, 80);
  ck_assert_ptr_null (porthole_forwarder_read (root, 21));
  /* long command lines: a forwarder's is read whole, anything else stops at argv[0] */
  {
    g_autofree char *many = g_build_filename (g_getenv ("PORTHOLE_FIXTURES"), "cmdline", "hostile-many-t", NULL);
    g_autofree char *contents = NULL;
    g_autofree char *other = g_malloc (1024 * 1024);
    g_autoptr(GArray) all = NULL;
    gsize len;

    ck_assert (g_file_get_contents (many, &contents, &len, NULL) && len > 4096);
    ck_assert (g_file_set_contents (file, contents, (gssize) len, NULL));
    all = porthole_forwarder_read (root, 20);
    ck_assert_uint_eq (all->len, PORTHOLE_FORWARDER_MAX_FORWARDS);
    memset (other, 'x', 1024 * 1024);
    memcpy (other, "/usr/bin/sleep", 15);
    ck_assert (g_file_set_contents (file, other, 1024 * 1024, NULL));
    ck_assert_ptr_null (porthole_forwarder_read (root, 20));
  }
  /* this test program is no forwarder */
  ck_assert_ptr_null (porthole_forwarder_read (NULL, getpid ()));
  g_unlink (file);
  g_rmdir (dir);
  g_rmdir (root);
}
END_TEST

/* A real process named docker-proxy with docker's real flags, read from /proc/<pid>/cmdline */
START_TEST (test_real_process)
{
  const char *helper = g_getenv ("PORTHOLE_ARGV_CHILD");
  char *const argv[] = {
    (char *) "docker-proxy", (char *) "-proto", (char *) "tcp", (char *) "-host-ip",
    (char *) "0.0.0.0", (char *) "-host-port", (char *) "18080", (char *) "-container-ip",
    (char *) "172.17.0.2", (char *) "-container-port", (char *) "80", (char *) "-use-listen-fd",
    NULL,
  };
  g_autoptr(GArray) forwards = NULL;
  int in[2];
  pid_t child;
  int status;

  ck_assert_msg (helper != NULL, "PORTHOLE_ARGV_CHILD is not set (run through meson test)");
  ck_assert (pipe (in) == 0);
  child = fork ();
  ck_assert (child >= 0);
  if (child == 0)
    {
      dup2 (in[0], STDIN_FILENO);
      close (in[0]);
      close (in[1]);
      execv (helper, argv);
      _exit (127);
    }
  close (in[0]);

  /* until the exec, the child's argv is this test's */
  for (int tries = 0; tries < 500; tries++)
    {
      g_clear_pointer (&forwards, g_array_unref);
      forwards = porthole_forwarder_read ("/proc", child);
      if (forwards != NULL)
        break;
      g_usleep (10000);
    }
  ck_assert_msg (forwards != NULL, "pid %d never showed docker-proxy's argv", (int) child);
  ck_assert_uint_eq (forwards->len, 1);
  {
    const PortholeForward *f = &g_array_index (forwards, PortholeForward, 0);

    ck_assert_uint_eq (f->protocol, IPPROTO_TCP);
    ck_assert_str_eq (f->host_address, "0.0.0.0");
    ck_assert_uint_eq (f->host_port, 18080);
    ck_assert_str_eq (f->container_address, "172.17.0.2");
    ck_assert_uint_eq (f->container_port, 80);
  }
  close (in[1]);
  ck_assert (waitpid (child, &status, 0) == child);
  ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}
END_TEST

static Suite *
forwarder_suite (void)
{
  Suite *s = suite_create ("forwarder");
  TCase *tc = tcase_create ("cmdline");

  tcase_add_loop_test (tc, test_fixtures, 0, G_N_ELEMENTS (cases));
  tcase_add_test (tc, test_fixtures_all_listed);
  tcase_add_test (tc, test_many);
  tcase_add_test (tc, test_exclusions);
  tcase_add_test (tc, test_length_bounds);
  tcase_add_test (tc, test_read_proc_root);
  tcase_add_test (tc, test_real_process);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (forwarder_suite)
