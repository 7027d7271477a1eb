/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"

#include "porthole-container.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID "3f1e9a7c2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"

/* tests/fixtures/cgroup/<file>, written by tests/fixtures/make-container-fixtures.py */
typedef struct {
  const char      *file;
  PortholeRuntime  runtime;   /* NONE: not a container */
  const char      *id;
  const char      *name;
} Case;

static const Case cases[] = {
  { "docker-v1", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  { "docker-v1-hybrid", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  { "docker-v2", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  { "docker-v2-cgroupfs", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  { "docker-rootless", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  /* the inner container holds the sockets */
  { "docker-in-lxc", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  { "docker-daemon", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "podman-root", PORTHOLE_RUNTIME_PODMAN, ID, NULL },
  { "podman-rootless", PORTHOLE_RUNTIME_PODMAN, ID, NULL },
  { "podman-pod", PORTHOLE_RUNTIME_PODMAN, ID, NULL },
  { "podman-cgroupfs", PORTHOLE_RUNTIME_PODMAN, ID, NULL },
  { "podman-conmon", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "containerd-nerdctl", PORTHOLE_RUNTIME_CONTAINERD, ID, NULL },
  { "containerd-scope", PORTHOLE_RUNTIME_CONTAINERD, ID, NULL },
  { "kubernetes-systemd", PORTHOLE_RUNTIME_KUBERNETES, ID, NULL },
  { "kubernetes-cgroupfs-v1", PORTHOLE_RUNTIME_KUBERNETES, ID, NULL },
  { "kubernetes-guaranteed-v2", PORTHOLE_RUNTIME_KUBERNETES, ID, NULL },
  { "kubernetes-colon", PORTHOLE_RUNTIME_KUBERNETES, ID, NULL },
  { "crio", PORTHOLE_RUNTIME_CRIO, ID, NULL },
  { "crio-conmon", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "lxc-v1", PORTHOLE_RUNTIME_LXC, "web", "web" },
  { "lxc-payload", PORTHOLE_RUNTIME_LXC, "web", "web" },
  { "lxc-payload-dir", PORTHOLE_RUNTIME_LXC, "db", "db" },
  { "lxc-monitor", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "lxd", PORTHOLE_RUNTIME_LXC, "ubuntu-2204", "ubuntu-2204" },
  { "nspawn-service", PORTHOLE_RUNTIME_NSPAWN, "debian-bookworm", "debian-bookworm" },
  { "nspawn-supervisor", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "nspawn-machine-scope", PORTHOLE_RUNTIME_NSPAWN, "fedora-40", "fedora-40" },
  { "libvirt-qemu", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "flatpak", PORTHOLE_RUNTIME_FLATPAK, "org.gnome.Maps", "org.gnome.Maps" },
  { "flatpak-escaped", PORTHOLE_RUNTIME_FLATPAK, "net.sourceforge.my-tool", "net.sourceforge.my-tool" },
  { "host-session", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "host-service", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "host-init", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "host-root", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "host-app", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "host-v1", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  /* hostile */
  { "hostile-long-line", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-long-name", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-deep-path", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  /* raw, valid UTF-8: the caller escapes */
  { "hostile-control-chars", PORTHOLE_RUNTIME_LXC, "we\033[31mb\a", "we\033[31mb\a" },
  { "hostile-invalid-utf8", PORTHOLE_RUNTIME_LXC, "caf\357\277\275\357\277\275", "caf\357\277\275\357\277\275" },
  { "hostile-non-hex-id", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-uppercase-id", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-short-id", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-truncated", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-no-newline", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
  { "hostile-nul", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-empty", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  /* an escape that would make a NUL is left as written */
  { "hostile-escaped-nul", PORTHOLE_RUNTIME_NSPAWN, "a\\x00b", "a\\x00b" },
  { "hostile-bad-flatpak", PORTHOLE_RUNTIME_NONE, NULL, NULL },
  { "hostile-v2-no-path", PORTHOLE_RUNTIME_DOCKER, ID, NULL },
};

static void
check_ref (const char *what, gboolean found, const PortholeContainerRef *ref, const Case *c)
{
  ck_assert_msg (found == (c->runtime != PORTHOLE_RUNTIME_NONE), "%s: found %d", what, found);
  ck_assert_msg (ref->runtime == c->runtime, "%s: runtime %d, expected %d", what, ref->runtime, c->runtime);
  if (c->id == NULL)
    ck_assert_msg (ref->id == NULL, "%s: id %s", what, ref->id);
  else
    ck_assert_msg (g_strcmp0 (ref->id, c->id) == 0, "%s: id %s", what, ref->id);
  ck_assert_msg (g_strcmp0 (ref->name, c->name) == 0, "%s: name %s", what, ref->name);
  if (ref->id != NULL)
    ck_assert_msg (g_utf8_validate (ref->id, -1, NULL), "%s: id not UTF-8", what);
  if (ref->name != NULL)
    ck_assert_msg (g_utf8_validate (ref->name, -1, NULL), "%s: name not UTF-8", what);
}

/* Every fixture, from its exact bytes (not NUL-terminated: a copy of exactly its length) */
START_TEST (test_fixtures)
{
  const Case *c = &cases[_i];
  g_autofree char *path = g_build_filename (g_getenv ("PORTHOLE_FIXTURES"), "cgroup", c->file, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *exact = NULL;
  g_auto(PortholeContainerRef) ref = { 0 };
  gsize len;

  ck_assert_msg (g_file_get_contents (path, &contents, &len, NULL), "%s", path);
  exact = g_memdup2 (contents, len);
  check_ref (c->file, porthole_container_parse_cgroup (exact, len, &ref), &ref, c);
}
END_TEST

/* Every fixture file is in the table above, so none is left untested */
START_TEST (test_fixtures_all_listed)
{
  porthole_test_assert_fixtures_listed ("cgroup", cases, G_N_ELEMENTS (cases), sizeof cases[0],
                                        G_STRUCT_OFFSET (Case, file));
}
END_TEST

/* Only @len bytes count: a line cut short by the length is not read past */
START_TEST (test_length_bounds)
{
  static const char text[] = "0::/system.slice/docker-" ID ".scope\n";
  g_auto(PortholeContainerRef) ref = { 0 };

  ck_assert (porthole_container_parse_cgroup (text, strlen (text), &ref));
  porthole_container_ref_clear (&ref);
  ck_assert (porthole_container_parse_cgroup (text, strlen (text) - 1, &ref));
  porthole_container_ref_clear (&ref);
  /* ".scop": no longer a scope */
  ck_assert (!porthole_container_parse_cgroup (text, strlen (text) - 2, &ref));
  ck_assert (ref.runtime == PORTHOLE_RUNTIME_NONE && ref.id == NULL && ref.name == NULL);
  ck_assert (!porthole_container_parse_cgroup (text, 0, &ref));
  ck_assert (!porthole_container_parse_cgroup (NULL, 0, &ref));
  /* every prefix of a file, in an exact-size heap copy */
  for (gsize n = 0; n <= strlen (text); n++)
    {
      g_autofree char *copy = g_memdup2 (text, MAX (n, 1));
      g_auto(PortholeContainerRef) r = { 0 };

      ck_assert (porthole_container_parse_cgroup (copy, n, &r) == (n >= strlen (text) - 1));
    }
}
END_TEST

/* The v2 line wins over v1 lines that say something else */
START_TEST (test_v2_preferred)
{
  static const char text[] = "4:memory:/docker/" ID "\n0::/system.slice/libpod-" ID ".scope\n";
  g_auto(PortholeContainerRef) ref = { 0 };

  ck_assert (porthole_container_parse_cgroup (text, strlen (text), &ref));
  ck_assert_int_eq (ref.runtime, PORTHOLE_RUNTIME_PODMAN);
}
END_TEST

START_TEST (test_strings)
{
  PortholeContainerRef docker = { PORTHOLE_RUNTIME_DOCKER, (char *) ID, NULL };
  PortholeContainerRef lxc = { PORTHOLE_RUNTIME_LXC, (char *) "web", (char *) "web" };
  PortholeContainerRef empty = { 0 };
  g_autofree char *short_docker = porthole_container_short_id (&docker);
  g_autofree char *short_lxc = porthole_container_short_id (&lxc);
  static const char * const words[] = {
    NULL, "docker", "podman", "containerd", "kubernetes", "crio", "lxc", "nspawn", "flatpak",
  };

  ck_assert_str_eq (short_docker, "3f1e9a7c2b4d");
  ck_assert_str_eq (short_lxc, "web");
  ck_assert_ptr_null (porthole_container_short_id (&empty));
  for (int r = PORTHOLE_RUNTIME_NONE; r <= PORTHOLE_RUNTIME_FLATPAK; r++)
    ck_assert (g_strcmp0 (porthole_runtime_to_string ((PortholeRuntime) r), words[r]) == 0);
  ck_assert_ptr_null (porthole_runtime_to_string ((PortholeRuntime) 99));
  porthole_container_ref_clear (NULL);
}
END_TEST

/* porthole_container_read () over a proc root built here */
START_TEST (test_read_proc_root)
{
  g_autofree char *root = g_dir_make_tmp ("porthole-container-XXXXXX", NULL);
  g_autofree char *d1 = g_build_filename (root, "10", NULL);
  g_autofree char *d2 = g_build_filename (root, "11", NULL);
  g_autofree char *f1 = g_build_filename (d1, "cgroup", NULL);
  g_autofree char *f2 = g_build_filename (d2, "cgroup", NULL);
  g_auto(PortholeContainerRef) ref = { 0 };

  ck_assert (root != NULL && g_mkdir (d1, 0755) == 0 && g_mkdir (d2, 0755) == 0);
  ck_assert (g_file_set_contents (f1, "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
                                      "app-flatpak-org.gnome.Maps-12345.scope\n", -1, NULL));
  ck_assert (g_file_set_contents (f2, "0::/user.slice/user-1000.slice/session-2.scope\n", -1, NULL));

  ck_assert (porthole_container_read (root, 10, &ref));
  ck_assert_int_eq (ref.runtime, PORTHOLE_RUNTIME_FLATPAK);
  ck_assert_str_eq (ref.id, "org.gnome.Maps");
  porthole_container_ref_clear (&ref);
  ck_assert (!porthole_container_read (root, 11, &ref));
  ck_assert (!porthole_container_read (root, 12, &ref));   /* no such process */
  ck_assert (ref.id == NULL);
  ck_assert (!porthole_container_read ("/nonexistent-porthole", 1, &ref));
  /* this test process: whatever it is in, the answer is well-formed */
  if (porthole_container_read (NULL, getpid (), &ref))
    ck_assert (ref.id != NULL && g_utf8_validate (ref.id, -1, NULL));

  g_unlink (f1);
  g_unlink (f2);
  g_rmdir (d1);
  g_rmdir (d2);
  g_rmdir (root);
}
END_TEST

typedef struct {
  const char      *path;      /* under the test's own directory in the hierarchy */
  PortholeRuntime  runtime;
  const char      *id;
} Layout;

/* A hierarchy we may write to: cgroup v2 at /sys/fs/cgroup (unified) or /sys/fs/cgroup/unified
 * (hybrid), or the v1 name=systemd hierarchy at /sys/fs/cgroup/systemd (hybrid and legacy);
 * NULL with a reason when there is none. */
static char *
find_hierarchy (gboolean v2, char **reason)
{
  static const char * const v2_mounts[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
  static const char * const v1_mounts[] = { "/sys/fs/cgroup/systemd" };
  const char * const *mounts = v2 ? v2_mounts : v1_mounts;
  gsize n = v2 ? G_N_ELEMENTS (v2_mounts) : G_N_ELEMENTS (v1_mounts);

  if (geteuid () != 0)
    {
      *reason = g_strdup ("not root: cgroups cannot be made");
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    {
      struct statfs st;

      if (statfs (mounts[i], &st) == 0 &&
          st.f_type == (v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC) &&
          access (mounts[i], W_OK) == 0)
        return g_strdup (mounts[i]);
    }
  *reason = g_strdup (v2 ? "no writable cgroup2 mount at /sys/fs/cgroup or /sys/fs/cgroup/unified"
                         : "no writable cgroup v1 name=systemd mount at /sys/fs/cgroup/systemd");
  return NULL;
}

/* Our own path in the v2 hierarchy ("0::") or v1 name=systemd; "/" when unknown */
static char *
own_cgroup (gboolean v2)
{
  const char *prefix = v2 ? "0::/" : ":name=systemd:/";
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/cgroup", &text, NULL, NULL))
    return g_strdup ("/");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], prefix);

      if (at != NULL && (v2 ? at == lines[i] : TRUE))
        return g_strdup (at + strlen (prefix) - 1);
    }
  return g_strdup ("/");
}

static gboolean
move_to (const char *cgroup_dir, pid_t pid, char **reason)
{
  g_autofree char *procs = g_build_filename (cgroup_dir, "cgroup.procs", NULL);
  g_autofree char *text = g_strdup_printf ("%d\n", (int) pid);
  FILE *f = fopen (procs, "w");
  gboolean ok;

  if (f == NULL)
    {
      *reason = g_strdup_printf ("open %s: %s", procs, g_strerror (errno));
      return FALSE;
    }
  ok = fputs (text, f) >= 0;
  ok = fclose (f) == 0 && ok;
  if (!ok)
    *reason = g_strdup_printf ("write %s: %s", procs, g_strerror (errno));
  return ok;
}

/* A real process placed in cgroups named the way each runtime names them, read back from
 * /proc/<pid>/cgroup through porthole_container_read (), then moved home; every directory
 * made is removed. */
static void
run_layouts (gboolean v2, const Layout *layouts, gsize n_layouts)
{
  g_autofree char *reason = NULL;
  g_autofree char *mount = find_hierarchy (v2, &reason);
  g_autofree char *home = NULL;
  g_autofree char *base = NULL;
  g_autofree char *own = own_cgroup (v2);
  int hold[2];
  pid_t child;
  int status;

  if (mount == NULL)
    {
      fprintf (stderr, "# real cgroup %s test skipped: %s\n", v2 ? "v2" : "v1", reason);
      return;
    }
  base = g_strdup_printf ("%s/porthole-test-%d", mount, (int) getpid ());
  home = g_build_filename (mount, own, NULL);
  if (g_mkdir (base, 0755) != 0)
    {
      fprintf (stderr, "# real cgroup %s test skipped: mkdir %s: %s\n", v2 ? "v2" : "v1", base,
               g_strerror (errno));
      return;
    }

  /* the child only waits, holding nothing, until the pipe closes (or this test dies) */
  ck_assert (pipe (hold) == 0);
  child = fork ();
  ck_assert (child >= 0);
  if (child == 0)
    {
      char c;

      close (hold[1]);
      while (read (hold[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (hold[0]);

  for (gsize i = 0; i < n_layouts; i++)
    {
      g_autofree char *dir = g_build_filename (base, layouts[i].path, NULL);
      g_autofree char *cgroup_file = g_strdup_printf ("/proc/%d/cgroup", (int) child);
      g_autofree char *text = NULL;
      g_autofree char *why = NULL;
      g_auto(PortholeContainerRef) ref = { 0 };
      gboolean found;

      ck_assert_msg (g_mkdir_with_parents (dir, 0755) == 0, "mkdir %s: %s", dir, g_strerror (errno));
      ck_assert_msg (move_to (dir, child, &why), "%s", why);
      found = porthole_container_read ("/proc", child, &ref);
      g_file_get_contents (cgroup_file, &text, NULL, NULL);
      ck_assert_msg (found == (layouts[i].runtime != PORTHOLE_RUNTIME_NONE) &&
                     ref.runtime == layouts[i].runtime && g_strcmp0 (ref.id, layouts[i].id) == 0,
                     "%s: found %d runtime %d id %s from %s", layouts[i].path, found, ref.runtime,
                     ref.id, text);
      ck_assert_msg (move_to (home, child, &why), "%s", why);
      /* the directories made for this layout, deepest first */
      while (strcmp (dir, base) != 0)
        {
          char *parent = g_path_get_dirname (dir);

          ck_assert_msg (g_rmdir (dir) == 0, "rmdir %s: %s", dir, g_strerror (errno));
          g_free (dir);
          dir = parent;
        }
    }

  close (hold[1]);
  ck_assert (waitpid (child, &status, 0) == child);
  ck_assert_msg (g_rmdir (base) == 0, "rmdir %s: %s", base, g_strerror (errno));
}

START_TEST (test_real_cgroups_v2)
{
  static const Layout layouts[] = {
    { "system.slice/docker-" ID ".scope", PORTHOLE_RUNTIME_DOCKER, ID },
    { "user.slice/libpod-" ID ".scope/container", PORTHOLE_RUNTIME_PODMAN, ID },
    { "user.slice/libpod-conmon-" ID ".scope", PORTHOLE_RUNTIME_NONE, NULL },
    { "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-" ID ".scope",
      PORTHOLE_RUNTIME_KUBERNETES, ID },
    { "crio-" ID ".scope", PORTHOLE_RUNTIME_CRIO, ID },
    { "lxc.payload.web", PORTHOLE_RUNTIME_LXC, "web" },
    { "machine.slice/systemd-nspawn@my\\x2dbox.service/payload", PORTHOLE_RUNTIME_NSPAWN, "my-box" },
    { "machine.slice/systemd-nspawn@my\\x2dbox.service/supervisor", PORTHOLE_RUNTIME_NONE, NULL },
    { "app.slice/app-flatpak-org.gnome.Maps-12345.scope", PORTHOLE_RUNTIME_FLATPAK, "org.gnome.Maps" },
    { "app.slice/session-2.scope", PORTHOLE_RUNTIME_NONE, NULL },
  };

  run_layouts (TRUE, layouts, G_N_ELEMENTS (layouts));
}
END_TEST

/* v1 name=systemd (hybrid hosts): the "0::" line then names no container, and the v1 line
 * is read instead */
START_TEST (test_real_cgroups_v1)
{
  static const Layout layouts[] = {
    { "docker/" ID, PORTHOLE_RUNTIME_DOCKER, ID },
    { "kubepods/burstable/pod6f1c2d3e/" ID, PORTHOLE_RUNTIME_KUBERNETES, ID },
    { "system.slice/cups.service", PORTHOLE_RUNTIME_NONE, NULL },
  };
  g_autofree char *own = own_cgroup (TRUE);

  /* where v2 holds the test somewhere already, the process moved in v1 stays in that v2 group */
  if (strcmp (own, "/") != 0)
    {
      g_autofree char *text = g_strdup_printf ("0::%s\n", own);
      g_auto(PortholeContainerRef) ref = { 0 };

      if (porthole_container_parse_cgroup (text, strlen (text), &ref))
        {
          fprintf (stderr, "# real cgroup v1 test skipped: this test runs in a container (%s)\n", own);
          return;
        }
    }
  run_layouts (FALSE, layouts, G_N_ELEMENTS (layouts));
}
END_TEST

static Suite *
container_suite (void)
{
  Suite *s = suite_create ("container");
  TCase *tc = tcase_create ("cgroup");

  tcase_add_loop_test (tc, test_fixtures, 0, G_N_ELEMENTS (cases));
  tcase_add_test (tc, test_fixtures_all_listed);
  tcase_add_test (tc, test_length_bounds);
  tcase_add_test (tc, test_v2_preferred);
  tcase_add_test (tc, test_strings);
  tcase_add_test (tc, test_read_proc_root);
  tcase_add_test (tc, test_real_cgroups_v2);
  tcase_add_test (tc, test_real_cgroups_v1);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (container_suite)
