/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-remote"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-sshd.h"
#include "porthole-remote.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Remote hosts over a real OpenSSH server: each test makes its own network namespace (only
 * loopback in it), a fresh host key and client key, and starts /usr/sbin/sshd with its own
 * config on 127.0.0.1; the client side is a private ssh_config passed with PORTHOLE_SSH_CONFIG
 * (ssh -F). The PATH sshd gives the session decides what the "remote" has: this build's
 * porthole-cli, a fake one, only ss, or nothing. At the end every process in the namespace
 * (sshd, its sessions, ssh's ControlMaster) is killed and the files removed. */


typedef struct {
  gboolean              done;
  PortholeRemoteResult *result;
  GError               *error;
  gint64                ms;
} Listed;

static void
on_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  Listed *listed = data;

  listed->result = porthole_remote_list_finish (result, &listed->error);
  listed->done = TRUE;
}

/* Lists the test's sshd (or @port) through the library, waiting at most @wait_ms */
static void
list (guint16 port, const PortholeRemoteOptions *options, guint wait_ms, Listed *listed)
{
  PortholeSshDestination dest = { NULL, (char *) "127.0.0.1", port };
  gint64 start = g_get_monotonic_time ();

  memset (listed, 0, sizeof *listed);
  porthole_remote_list_async (&dest, options, NULL, on_listed, listed);
  ck_assert_msg (porthole_test_wait_for (&listed->done, wait_ms), "no answer within %u ms", wait_ms);
  listed->ms = (g_get_monotonic_time () - start) / 1000;
}

static void
listed_clear (Listed *listed)
{
  g_clear_pointer (&listed->result, porthole_remote_result_free);
  g_clear_error (&listed->error);
}

static int
listener (guint16 *port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  ck_assert_int_eq (listen (fd, 4), 0);
  ck_assert_int_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  *port = ntohs (sin.sin_port);
  return fd;
}

static JsonObject *
find_row (GPtrArray *rows, guint port, const char *state)
{
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);

      if (json_object_get_int_member (row, "local_port") == port &&
          strcmp (json_object_get_string_member (row, "state"), state) == 0)
        return row;
    }
  return NULL;
}

static void
assert_clean (const char *text)
{
  for (const char *p = text; *p; p++)
    ck_assert_msg (!g_ascii_iscntrl (*p), "a control character in “%s”", text);
}

START_TEST (test_porthole_cli_there)
{
  Listed first, second;
  guint16 port;
  int fd;
  JsonObject *row;

  porthole_test_sshd_start (REMOTE_CLI, NULL);
  fd = listener (&port);
  list (porthole_sshd.port, NULL, 30000, &first);
  ck_assert_msg (first.result != NULL, "%s", first.error->message);
  ck_assert_int_eq (first.result->source, PORTHOLE_REMOTE_SOURCE_PORTHOLE_CLI);
  ck_assert_ptr_null (first.result->notice);
  row = find_row (first.result->rows, port, "LISTEN");
  ck_assert_ptr_nonnull (row);
  ck_assert_str_eq (json_object_get_string_member (row, "local_address"), "127.0.0.1");
  ck_assert_str_eq (json_object_get_string_member (row, "user"), "root");
  ck_assert_int_eq (json_object_get_int_member (row, "pid"), getpid ());
  /* sshd's own listener and the connection to it are there too */
  ck_assert_ptr_nonnull (find_row (first.result->rows, porthole_sshd.port, "LISTEN"));
  ck_assert_ptr_nonnull (find_row (first.result->rows, porthole_sshd.port, "ESTABLISHED"));

  /* the second query rides on the first one's ControlMaster connection */
  list (porthole_sshd.port, NULL, 30000, &second);
  ck_assert_msg (second.result != NULL, "%s", second.error->message);
  ck_assert_ptr_nonnull (find_row (second.result->rows, port, "LISTEN"));
  printf ("# one host over ssh: first query %" G_GINT64_FORMAT " ms, second (ControlMaster) %"
          G_GINT64_FORMAT " ms\n", first.ms, second.ms);
  fflush (stdout);
  listed_clear (&first);
  listed_clear (&second);
  close (fd);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_ss_fallback)
{
  Listed listed;
  guint16 port;
  int fd;
  JsonObject *row;

  porthole_test_sshd_start (REMOTE_SS, NULL);
  fd = listener (&port);
  list (porthole_sshd.port, NULL, 30000, &listed);
  ck_assert_msg (listed.result != NULL, "%s", listed.error->message);
  ck_assert_int_eq (listed.result->source, PORTHOLE_REMOTE_SOURCE_SS);
  ck_assert_ptr_nonnull (listed.result->notice);
  ck_assert_ptr_nonnull (strstr (listed.result->notice, "porthole-cli is not installed there"));
  row = find_row (listed.result->rows, port, "LISTEN");
  ck_assert_ptr_nonnull (row);
  ck_assert_str_eq (json_object_get_string_member (row, "local_address"), "127.0.0.1");
  ck_assert_int_eq (json_object_get_int_member (row, "pid"), getpid ());
  ck_assert_int_eq (json_object_get_int_member (row, "uid"), 0);
  ck_assert (json_object_get_null_member (row, "user"));
  ck_assert_int_gt (json_object_get_int_member (row, "inode"), 0);
  listed_clear (&listed);
  close (fd);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_nothing_there)
{
  Listed listed;

  porthole_test_sshd_start (REMOTE_NOTHING, NULL);
  list (porthole_sshd.port, NULL, 30000, &listed);
  ck_assert (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_NO_LISTER));
  ck_assert_ptr_nonnull (strstr (listed.error->message, "neither porthole-cli nor ss"));
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_unknown_host_key)
{
  Listed listed;
  g_autofree char *command = NULL;
  g_autofree char *known = NULL, *known_text = NULL;
  gsize len = 99;

  porthole_test_sshd_start (REMOTE_CLI, NULL);
  porthole_test_sshd_config_replace ("/known_hosts", "/empty_known_hosts");
  list (porthole_sshd.port, NULL, 30000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_HOST_KEY_UNKNOWN),
                 "%s", listed.error ? listed.error->message : "listed");
  ck_assert_msg (strstr (listed.error->message, porthole_sshd.host_fingerprint), "no fingerprint %s in “%s”",
                 porthole_sshd.host_fingerprint, listed.error->message);
  command = g_strdup_printf ("ssh -F %s -p %u 127.0.0.1", porthole_sshd.ssh_config, porthole_sshd.port);
  ck_assert_msg (strstr (listed.error->message, command), "no “%s” in “%s”", command, listed.error->message);
  /* never accepted for the user */
  known = g_build_filename (porthole_sshd.dir, "empty_known_hosts", NULL);
  ck_assert (g_file_get_contents (known, &known_text, &len, NULL));
  ck_assert_uint_eq (len, 0);
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_auth_refused)
{
  Listed listed;

  porthole_test_sshd_start (REMOTE_CLI, NULL);
  porthole_test_sshd_config_replace ("/client_key", "/other_key");
  list (porthole_sshd.port, NULL, 30000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_AUTH),
                 "%s", listed.error ? listed.error->message : "listed");
  ck_assert_ptr_nonnull (strstr (listed.error->message, "Permission denied"));
  ck_assert_ptr_nonnull (strstr (listed.error->message, "ssh-agent"));
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_unreachable)
{
  PortholeRemoteOptions options = { .connect_timeout_s = 3 };
  PortholeSshDestination dest = { NULL, (char *) "no-such-host.invalid", 0 };
  Listed listed;

  porthole_test_sshd_start (REMOTE_CLI, NULL);
  /* a closed port: refused at once, well within the connect timeout */
  list (porthole_test_free_port (), &options, 10000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_UNREACHABLE),
                 "%s", listed.error ? listed.error->message : "listed");
  ck_assert_ptr_nonnull (strstr (listed.error->message, "Connection refused"));
  ck_assert_int_lt (listed.ms, 3000);
  listed_clear (&listed);

  /* a name that resolves nowhere (the namespace has no way out) */
  memset (&listed, 0, sizeof listed);
  porthole_remote_list_async (&dest, &options, NULL, on_listed, &listed);
  ck_assert (porthole_test_wait_for (&listed.done, 30000));
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_NAME),
                 "%s", listed.error ? listed.error->message : "listed");
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

/* `porthole-cli ARGS`, with PORTHOLE_SSH_CONFIG and the test's runtime dir, and @path as PATH */
static char *
cli (const char *const *args, const char *path, int *exit_status, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("PORTHOLE_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (path != NULL)
    env = g_environ_setenv (env, "PATH", path, TRUE);
  ck_assert (g_spawn_sync (NULL, (char **) argv->pdata, env, 0, NULL, NULL, &out, err, &status, &error));
  ck_assert (WIFEXITED (status));
  *exit_status = WEXITSTATUS (status);
  return out;
}

START_TEST (test_fleet_one_fails)
{
  g_autofree char *good = NULL, *bad = NULL, *out = NULL, *err = NULL, *text = NULL;
  g_autofree char *hosts_file = NULL, *hosts = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gboolean listener_seen = FALSE, failure_seen = FALSE;
  JsonArray *array;
  guint16 port;
  int fd, status;

  porthole_test_sshd_start (REMOTE_CLI, NULL);
  fd = listener (&port);
  good = g_strdup_printf ("127.0.0.1:%u", porthole_sshd.port);
  bad = g_strdup_printf ("127.0.0.1:%u", porthole_test_free_port ());
  {
    const char *args[] = { "list", "--json", "--host", good, "--host", bad, NULL };

    out = cli (args, NULL, &status, &err);
  }
  ck_assert_msg (status == 1, "exit %d: %s", status, err);
  /* one line on stderr, for the host that failed */
  ck_assert_msg (strchr (err, '\n') == err + strlen (err) - 1, "not one line: %s", err);
  ck_assert_ptr_nonnull (strstr (err, bad));
  ck_assert (json_parser_load_from_data (parser, out, -1, NULL));
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      const char *host = json_object_get_string_member (row, "host");

      if (json_object_has_member (row, "error"))
        {
          ck_assert_str_eq (host, bad);
          ck_assert_uint_eq (json_object_get_size (row), 2);
          ck_assert_ptr_nonnull (strstr (json_object_get_string_member (row, "error"), "cannot be reached"));
          failure_seen = TRUE;
          continue;
        }
      ck_assert_str_eq (host, good);
      /* without --all: listeners and bound UDP sockets only, as ss -tulpn (sshd may look a
       * name up meanwhile, over UDP) */
      ck_assert_str_eq (json_object_get_string_member (row, "state"),
                        g_str_equal (json_object_get_string_member (row, "protocol"), "udp") ? "UNCONN" : "LISTEN");
      if (json_object_get_int_member (row, "local_port") == port)
        listener_seen = TRUE;
    }
  ck_assert (listener_seen);
  ck_assert (failure_seen);

  /* the same from a hosts file, as text grouped by host */
  hosts = g_strdup_printf ("# the fleet\n\n  %s\n%s\n", good, bad);
  hosts_file = g_build_filename (porthole_sshd.dir, "hosts", NULL);
  ck_assert (g_file_set_contents (hosts_file, hosts, -1, NULL));
  g_clear_pointer (&err, g_free);
  {
    const char *args[] = { "list", "--hosts-file", hosts_file, NULL };
    g_autofree char *heading = g_strdup_printf ("Host %s (porthole-cli)\n", good);
    g_autofree char *bad_heading = g_strdup_printf ("Host %s\n", bad);
    g_autofree char *listening = g_strdup_printf ("127.0.0.1:%u ", port);

    text = cli (args, NULL, &status, &err);
    ck_assert_int_eq (status, 1);
    ck_assert_ptr_nonnull (strstr (text, heading));
    ck_assert_ptr_nonnull (strstr (text, bad_heading));
    ck_assert_ptr_nonnull (strstr (strstr (text, heading), listening));
  }
  {
    /* every host answering: 0 */
    const char *args[] = { "list", "--host", good, NULL };

    g_clear_pointer (&err, g_free);
    g_free (cli (args, NULL, &status, &err));
    ck_assert_msg (status == 0, "exit %d: %s", status, err);
  }
  close (fd);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_bad_destinations)
{
  g_autofree char *dir = g_dir_make_tmp ("porthole-fake-ssh-XXXXXX", NULL);
  g_autofree char *marker = g_build_filename (dir, "ssh-ran", NULL);
  g_autofree char *fake = g_strdup_printf ("#!/bin/sh\necho ran > %s\n", marker);
  g_autofree char *hosts_file = g_build_filename (dir, "hosts", NULL);
  g_autofree char *path = g_strdup_printf ("%s:/usr/bin:/bin", dir);
  const char *const cases[][7] = {
    { "list", "--host", "-oProxyCommand=x", NULL },
    { "list", "--host", "example.org", "--host", "-oProxyCommand=x", NULL },
    { "list", "--host", "user@-host", NULL },
    { "list", "--host", "host name", NULL },
    { "list", "--host", "host\nx", NULL },
    { "list", "--host", "example.org", "--hosts-file", hosts_file, NULL },
    { "list", "--hosts-file", "/nonexistent/hosts", NULL },
  };

  porthole_test_write_file (dir, "ssh", fake, 0755);
  ck_assert (g_file_set_contents (hosts_file, "# ok\nexample.org\n-oProxyCommand=touch\n", -1, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      int status;

      g_free (cli (cases[i], path, &status, &err));
      ck_assert_msg (status == 2, "case %zu: exit %d", i, status);
      ck_assert_msg (strchr (err, '\n') == err + strlen (err) - 1, "case %zu: not one line: %s", i, err);
      ck_assert_msg (!g_file_test (marker, G_FILE_TEST_EXISTS), "case %zu: ssh ran", i);
    }
  {
    const char *argv[] = { "rm", "-rf", dir, NULL };

    g_free (porthole_test_run_ok (argv));
  }
}
END_TEST

START_TEST (test_junk)
{
  Listed listed;

  /* escape sequences, a bell and invalid UTF-8 from the remote */
  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\nprintf 'not json \\033[31mred\\007 \\377 <b>'\n");
  list (porthole_sshd.port, NULL, 30000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_JUNK),
                 "%s", listed.error ? listed.error->message : "listed");
  assert_clean (listed.error->message);
  ck_assert (g_utf8_validate (listed.error->message, -1, NULL));
  ck_assert_ptr_nonnull (strstr (listed.error->message, "\\x1b[31mred"));
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_other_version)
{
  Listed listed;

  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\necho '[{\"proto\": \"tcp\", \"port\": 22}]'\n");
  list (porthole_sshd.port, NULL, 30000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_VERSION),
                 "%s", listed.error ? listed.error->message : "listed");
  ck_assert_ptr_nonnull (strstr (listed.error->message, "another version"));
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_older_cli)
{
  Listed listed;

  /* a porthole-cli from before `list --json` took these options: bad input, exit 2 */
  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\necho 'porthole-cli: Unknown option --all' >&2\nexit 2\n");
  list (porthole_sshd.port, NULL, 30000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_VERSION),
                 "%s", listed.error ? listed.error->message : "listed");
  ck_assert_ptr_nonnull (strstr (listed.error->message, "Unknown option --all"));
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_enormous)
{
  Listed listed;

  /* 100 MB: stopped at the 64 MiB bound, never held whole */
  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\nexec /usr/bin/head -c 100000000 /dev/zero\n");
  list (porthole_sshd.port, NULL, 60000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_TOO_BIG),
                 "%s", listed.error ? listed.error->message : "listed");
  printf ("# 100 MB answer stopped after %" G_GINT64_FORMAT " ms\n", listed.ms);
  fflush (stdout);
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_never_ends)
{
  PortholeRemoteOptions options = { .timeout_ms = 3000 };
  Listed listed;

  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\necho '['\nexec /bin/sleep 1000\n");
  list (porthole_sshd.port, &options, 10000, &listed);
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_TIMEOUT),
                 "%s", listed.error ? listed.error->message : "listed");
  ck_assert_int_lt (listed.ms, 3000 + 2500);
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

static gboolean
on_kill_sshd (gpointer data)
{
  porthole_test_sshd_kill ();
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancel (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

START_TEST (test_dropped_and_cancelled)
{
  PortholeSshDestination dest = { NULL, (char *) "127.0.0.1", 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Listed listed = { 0 };
  gint64 start;

  porthole_test_sshd_start (REMOTE_FAKE, "#!/bin/sh\necho '['\nexec /bin/sleep 1000\n");
  dest.port = porthole_sshd.port;

  /* cancelled while the remote is still answering: at once, ssh stopped */
  start = g_get_monotonic_time ();
  porthole_remote_list_async (&dest, NULL, cancellable, on_listed, &listed);
  g_timeout_add (1500, on_cancel, cancellable);
  ck_assert (porthole_test_wait_for (&listed.done, 10000));
  ck_assert (g_error_matches (listed.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  ck_assert_int_lt ((g_get_monotonic_time () - start) / 1000, 1500 + 1000);
  listed_clear (&listed);

  /* sshd killed mid-answer (the session and the listener) */
  memset (&listed, 0, sizeof listed);
  porthole_remote_list_async (&dest, NULL, NULL, on_listed, &listed);
  g_timeout_add (1500, on_kill_sshd, NULL);
  ck_assert (porthole_test_wait_for (&listed.done, 10000));
  ck_assert_msg (g_error_matches (listed.error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_DROPPED),
                 "%s", listed.error ? listed.error->message : "listed");
  listed_clear (&listed);
  porthole_test_sshd_stop ();
}
END_TEST

START_TEST (test_interpret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeRemoteResult) result = NULL;
  const char *ssh_says[][2] = {
    { "ssh: Could not resolve hostname nowhere: Name or service not known\r\n", "NAME" },
    { "ssh: connect to host 10.0.0.1 port 22: Connection timed out\r\n", "UNREACHABLE" },
    { "ssh: connect to host 10.0.0.1 port 22: No route to host\r\n", "UNREACHABLE" },
    { "root@h: Permission denied (publickey).\r\n", "AUTH" },
    { "@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
      "The fingerprint for the ED25519 key sent by the remote host is\nSHA256:abcDEF+/12.\n", "CHANGED" },
    { "kex: something odd \033]0;title\007\r\n", "FAILED" },
  };
  const int codes[] = { PORTHOLE_REMOTE_ERROR_NAME, PORTHOLE_REMOTE_ERROR_UNREACHABLE,
                        PORTHOLE_REMOTE_ERROR_UNREACHABLE, PORTHOLE_REMOTE_ERROR_AUTH,
                        PORTHOLE_REMOTE_ERROR_HOST_KEY_CHANGED, PORTHOLE_REMOTE_ERROR_FAILED };
  const char good[] = "motd from a login script\nporthole-remote-1 porthole-cli\n"
                      "[{\"protocol\":\"tcp\",\"family\":\"ipv4\",\"state\":\"LISTEN\","
                      "\"local_address\":\"0.0.0.0\",\"local_port\":22,\"remote_address\":\"0.0.0.0\","
                      "\"remote_port\":0,\"inode\":1,\"uid\":0,\"user\":\"root\",\"pid\":1,"
                      "\"process\":\"ss\\u001b]0;x\",\"range\":\"well-known\",\"service\":\"ssh\","
                      "\"extra\":1},"
                      "{\"protocol\":\"udp\",\"family\":\"ipv6\",\"state\":\"UNCONN\","
                      "\"local_address\":\"::\",\"local_port\":53,\"remote_address\":\"::\","
                      "\"remote_port\":0,\"inode\":2,\"uid\":null,\"user\":null,\"pid\":null,"
                      "\"process\":\"a\\\\x07b\",\"range\":\"well-known\",\"service\":null}]";

  for (gsize i = 0; i < G_N_ELEMENTS (ssh_says); i++)
    {
      g_clear_error (&error);
      ck_assert_ptr_null (porthole_remote_interpret ("h", "ssh h", "", 0, ssh_says[i][0],
                                                     strlen (ssh_says[i][0]), 255, &error));
      ck_assert_msg (g_error_matches (error, PORTHOLE_REMOTE_ERROR, codes[i]), "%s: %s", ssh_says[i][1],
                     error->message);
      assert_clean (error->message);
    }
  ck_assert_ptr_nonnull (strstr (error->message, "\\x1b]0;title"));

  result = porthole_remote_interpret ("h", "ssh h", good, strlen (good), "", 0, 0, &error);
  ck_assert_ptr_nonnull (result);
  ck_assert_uint_eq (result->rows->len, 2);
  /* already escaped there (porthole-cli's own "\x07"): not escaped twice */
  ck_assert_str_eq (json_object_get_string_member (g_ptr_array_index (result->rows, 1), "process"),
                    "a\\x07b");
  /* remote text escaped; keys outside the contract dropped */
  ck_assert_str_eq (json_object_get_string_member (g_ptr_array_index (result->rows, 0), "process"),
                    "ss\\x1b]0;x");
  ck_assert (!json_object_has_member (g_ptr_array_index (result->rows, 0), "extra"));
}
END_TEST

static Suite *
remote_suite (void)
{
  Suite *s = suite_create ("remote");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_interpret);
  tcase_add_test (tc, test_porthole_cli_there);
  tcase_add_test (tc, test_ss_fallback);
  tcase_add_test (tc, test_nothing_there);
  tcase_add_test (tc, test_unknown_host_key);
  tcase_add_test (tc, test_auth_refused);
  tcase_add_test (tc, test_unreachable);
  tcase_add_test (tc, test_fleet_one_fails);
  tcase_add_test (tc, test_bad_destinations);
  tcase_add_test (tc, test_junk);
  tcase_add_test (tc, test_other_version);
  tcase_add_test (tc, test_older_cli);
  tcase_add_test (tc, test_enormous);
  tcase_add_test (tc, test_never_ends);
  tcase_add_test (tc, test_dropped_and_cancelled);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (remote_suite)
