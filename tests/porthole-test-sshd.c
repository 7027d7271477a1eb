/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-test"
#include "config.h"

/* A real OpenSSH server for the remote tests: see porthole-test-sshd.h */

#include "porthole-test-sshd.h"
#include "porthole-test.h"

#include <arpa/inet.h>
#include <check.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>



PortholeTestSshd porthole_sshd;

void
porthole_test_write_file (const char *dir, const char *name, const char *text, int mode)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  ck_assert (g_file_set_contents (path, text, -1, NULL));
  ck_assert_int_eq (chmod (path, mode), 0);
}

char *
porthole_test_run_ok (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error),
                 "%s: %s", argv[0], error ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s failed: %s", argv[0], err);
  return out;
}

static void
keygen (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "porthole-test", "-f", path, NULL };

  g_free (porthole_test_run_ok (argv));
}

guint16
porthole_test_free_port (void)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  close (fd);
  return ntohs (sin.sin_port);
}

static gboolean
porthole_test_sshd_port_open (guint16 port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port),
                             .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok = connect (fd, (struct sockaddr *) &sin, sizeof sin) == 0;

  close (fd);
  return ok;
}

static void
link_program (const char *bin, const char *name, const char *target)
{
  g_autofree char *path = g_build_filename (bin, name, NULL);

  ck_assert_ptr_nonnull (target);
  ck_assert_int_eq (symlink (target, path), 0);
}

static void sshd_stop_at_exit (void);

/* Enters a private namespace and starts sshd there. @fake: the fake porthole-cli's script. */
void
porthole_test_sshd_start (PortholeTestRemote remote, const char *fake)
{
  g_autofree char *reason = NULL;
  g_autofree char *bin = NULL, *config = NULL, *host_pub = NULL, *known = NULL, *fp = NULL;
  g_autofree char *host_key = NULL, *runtime = NULL, *sshd_config = NULL;
  g_autofree char *ss = g_find_program_in_path ("ss");
  g_auto(GStrv) fp_fields = NULL;

  ck_assert_msg (geteuid () == 0, "test-remote starts sshd and needs root");
  ck_assert_msg (g_file_test ("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE),
                 "no /usr/sbin/sshd (build-aux/dev installs openssh-server)");
  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);

  porthole_sshd.dir = g_dir_make_tmp ("porthole-sshd-XXXXXX", NULL);
  ck_assert_ptr_nonnull (porthole_sshd.dir);
  atexit (sshd_stop_at_exit);
  porthole_sshd.port = porthole_test_free_port ();
  keygen (porthole_sshd.dir, "host_key");
  keygen (porthole_sshd.dir, "client_key");
  keygen (porthole_sshd.dir, "other_key");
  host_key = g_build_filename (porthole_sshd.dir, "host_key", NULL);
  host_pub = g_build_filename (porthole_sshd.dir, "host_key.pub", NULL);

  /* the remote's PATH: only what the case wants there */
  bin = g_build_filename (porthole_sshd.dir, "bin", NULL);
  ck_assert_int_eq (g_mkdir (bin, 0755), 0);
  if (remote != REMOTE_NOTHING)
    link_program (bin, "ss", ss);
  if (remote == REMOTE_CLI)
    link_program (bin, "porthole-cli", g_getenv ("PORTHOLE_CLI"));
  if (remote == REMOTE_FAKE)
    porthole_test_write_file (bin, "porthole-cli", fake, 0755);

  {
    g_autofree char *pub = NULL;
    g_autofree char *authorized = NULL, *client_pub = NULL;

    ck_assert (g_file_get_contents (host_pub, &pub, NULL, NULL));
    known = g_strdup_printf ("[127.0.0.1]:%u %s", porthole_sshd.port, pub);
    porthole_test_write_file (porthole_sshd.dir, "known_hosts", known, 0644);
    porthole_test_write_file (porthole_sshd.dir, "empty_known_hosts", "", 0644);
    client_pub = g_build_filename (porthole_sshd.dir, "client_key.pub", NULL);
    authorized = g_build_filename (porthole_sshd.dir, "authorized_keys", NULL);
    ck_assert_int_eq (rename (client_pub, authorized), 0);
  }
  {
    const char *argv[] = { "ssh-keygen", "-l", "-f", host_pub, NULL };

    fp = porthole_test_run_ok (argv);
    fp_fields = g_strsplit (fp, " ", -1);
    ck_assert_ptr_nonnull (fp_fields[1]);
    porthole_sshd.host_fingerprint = g_strdup (fp_fields[1]);   /* SHA256:... */
  }

  sshd_config = g_strdup_printf ("Port %u\n"
                                 "ListenAddress 127.0.0.1\n"
                                 "HostKey %s\n"
                                 "AuthorizedKeysFile %s/authorized_keys\n"
                                 "PermitRootLogin prohibit-password\n"
                                 "PasswordAuthentication no\n"
                                 "KbdInteractiveAuthentication no\n"
                                 "StrictModes no\n"
                                 "UsePAM no\n"
                                 "PidFile %s/porthole_sshd.pid\n"
                                 "SetEnv PATH=%s\n",
                                 porthole_sshd.port, host_key, porthole_sshd.dir, porthole_sshd.dir, bin);
  porthole_test_write_file (porthole_sshd.dir, "sshd_config", sshd_config, 0644);

  config = g_strdup_printf ("Host *\n"
                            "  User root\n"
                            "  IdentityFile %s/client_key\n"
                            "  IdentitiesOnly yes\n"
                            "  IdentityAgent none\n"
                            "  UserKnownHostsFile %s/known_hosts\n"
                            "  GlobalKnownHostsFile /dev/null\n",
                            porthole_sshd.dir, porthole_sshd.dir);
  porthole_test_write_file (porthole_sshd.dir, "ssh_config", config, 0644);
  porthole_sshd.ssh_config = g_build_filename (porthole_sshd.dir, "ssh_config", NULL);
  g_setenv ("PORTHOLE_SSH_CONFIG", porthole_sshd.ssh_config, TRUE);

  /* ControlMaster sockets of this test only (a short path: sun_path is 108 bytes) */
  runtime = g_build_filename (porthole_sshd.dir, "run", NULL);
  ck_assert_int_eq (g_mkdir (runtime, 0700), 0);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);

  porthole_test_sshd_launch ();
}

void
porthole_test_sshd_launch (void)
{
  g_autofree char *config_path = g_build_filename (porthole_sshd.dir, "sshd_config", NULL);
  g_autofree char *log = g_build_filename (porthole_sshd.dir, "sshd.log", NULL);
  const char *argv[] = { "/usr/sbin/sshd", "-D", "-e", "-f", config_path, "-E", log, NULL };
  GPid pid;

  /* sshd's privilege separation directory */
  g_mkdir_with_parents ("/run/sshd", 0755);
  /* not the test's stdout: meson reads it to its end */
  ck_assert (g_spawn_async (NULL, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                            G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, NULL));
  for (int i = 0; i < 500 && !porthole_test_sshd_port_open (porthole_sshd.port); i++)
    g_usleep (10000);
  ck_assert_msg (porthole_test_sshd_port_open (porthole_sshd.port), "sshd did not start (see %s)", log);
}

/* Replaces the client's ssh_config line @from by @to (a wrong key, no known host key) */
void
porthole_test_sshd_config_replace (const char *from, const char *to)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  ck_assert (g_file_get_contents (porthole_sshd.ssh_config, &text, NULL, NULL));
  parts = g_strsplit (text, from, 2);
  ck_assert_ptr_nonnull (parts[1]);
  joined = g_strjoinv (to, parts);
  ck_assert (g_file_set_contents (porthole_sshd.ssh_config, joined, -1, NULL));
}

/* Every process in this test's own network namespace but us: sshd, its sessions, ssh masters */
static void
kill_namespace (int sig)
{
  char self_ns[64] = "";
  GDir *proc;
  const char *name;

  /* no checks here: this also runs at exit, after a failed one */
  if (readlink ("/proc/self/ns/net", self_ns, sizeof self_ns - 1) <= 0 ||
      (proc = g_dir_open ("/proc", 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *link = NULL;
      char ns[64] = "";
      int pid = atoi (name);

      if (pid <= 0 || pid == getpid ())
        continue;
      link = g_strdup_printf ("/proc/%d/ns/net", pid);
      if (readlink (link, ns, sizeof ns - 1) > 0 && strcmp (ns, self_ns) == 0)
        kill (pid, sig);
    }
  g_dir_close (proc);
}

void
porthole_test_sshd_stop (void)
{
  const char *argv[] = { "rm", "-rf", porthole_sshd.dir, NULL };

  if (porthole_sshd.dir == NULL)
    return;
  kill_namespace (SIGTERM);
  g_usleep (100000);
  kill_namespace (SIGKILL);
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_clear_pointer (&porthole_sshd.dir, g_free);
  g_clear_pointer (&porthole_sshd.ssh_config, g_free);
  g_clear_pointer (&porthole_sshd.host_fingerprint, g_free);
}

/* A failed check ends the test's process with exit(): sshd and the rest go with it */
static void
sshd_stop_at_exit (void)
{
  porthole_test_sshd_stop ();
}

/* sshd's processes in this namespace: the listener and each session's */
void
porthole_test_sshd_kill (void)
{
  char self_ns[64] = "";
  GDir *proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  /* only the sshd of this test's own network namespace: never another one on the machine */
  ck_assert (readlink ("/proc/self/ns/net", self_ns, sizeof self_ns - 1) > 0);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/%s/comm", name);
      g_autofree char *ns_path = g_strdup_printf ("/proc/%s/ns/net", name);
      g_autofree char *comm = NULL;
      char ns[64] = "";

      if (atoi (name) > 0 && readlink (ns_path, ns, sizeof ns - 1) > 0 && strcmp (ns, self_ns) == 0 &&
          g_file_get_contents (comm_path, &comm, NULL, NULL) && strcmp (g_strstrip (comm), "sshd") == 0)
        kill (atoi (name), SIGKILL);
    }
  g_dir_close (proc);
}

