/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-peer.h"

#include <arpa/inet.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The built porthole-cli ($PORTHOLE_CLI) against the contract in DESIGN.md: `probe`, `scan`
 * and `serve`, exit statuses 0/1/2, one-line errors, JSON keys. Only loopback ports this test
 * opened are contacted; no bad input reaches the network (each fails before any I/O). */

static int
run_cli (const char *const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PORTHOLE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  ck_assert_ptr_nonnull (g_getenv ("PORTHOLE_CLI"));
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error), "%s", error ? error->message : "");
  ck_assert (WIFEXITED (status));
  return WEXITSTATUS (status);
}

START_TEST (test_bad_input)
{
  static const char *const cases[][8] = {
    { "probe", NULL },
    { "probe", "", NULL },
    { "probe", ":", NULL },
    { "probe", "h:", NULL },
    { "probe", "h:0", NULL },
    { "probe", "h:65536", NULL },
    { "probe", "h:99999999999999999999", NULL },
    { "probe", "::1:22", NULL },
    { "probe", "h:-1", NULL },
    { "probe", "host", NULL },
    { "probe", "unknown://host", NULL },
    { "probe", "\x1b[31mred:22", NULL },
    { "probe", "h:1", "extra", NULL },
    { "probe", "h:1", "--timeout", "abc", NULL },
    { "probe", "h:1", "--timeout", "0", NULL },
    { "probe", "h:1", "--timeout=-1", NULL },
    { "probe", "h:1", "--timeout", "nan", NULL },
    { "probe", "h:1", "--tls", "--udp", NULL },
    { "probe", "h:1", "--bogus", NULL },
    { "scan", NULL },
    { "scan", "127.0.0.1", NULL },
    { "scan", "127.0.0.1", "0-70000", NULL },
    { "scan", "127.0.0.1", "5-1", NULL },
    { "scan", "127.0.0.1", "80,,81", NULL },
    { "scan", "127.0.0.1", "http", NULL },
    { "scan", "", "1-10", NULL },
    { "scan", "bad/host", "1-10", NULL },
    { "scan", "127.0.0.1", "1-10", "--concurrency", "0", NULL },
    { "scan", "127.0.0.1", "1-10", "--concurrency", "99999999", NULL },
    { "scan", "127.0.0.1", "1-10", "--timeout", "0", NULL },
    { "scan", "127.0.0.1", "1-10", "--timeout", "x", NULL },
    { "scan", "192.0.2.1", "1-10", NULL },
    { "scan", "[2001:db8::1]", "22", NULL },
    { "serve", NULL },
    { "serve", "70000", NULL },
    { "serve", "-1", NULL },
    { "serve", "abc", NULL },
    { "serve", "0", "--address", "999.1.1.1", NULL },
    { "serve", "0", "--address", "example.org", NULL },
    { "serve", "0", "1", NULL },
    { "nonsense", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *shown = g_strjoinv (" ", (char **) cases[i]);
      int code = run_cli (cases[i], &out, &err);

      ck_assert_msg (code == 2, "“%s” exited %d", shown, code);
      /* Exactly one line on stderr, naming porthole-cli, with no terminal escape in it */
      ck_assert_msg (g_str_has_prefix (err, "porthole-cli: "), "“%s”: stderr “%s”", shown,
                     err);
      ck_assert_msg (g_str_has_suffix (err, "\n") && strchr (err, '\n') == err + strlen (err) - 1,
                     "“%s”: stderr is not one line: “%s”", shown, err);
      ck_assert_msg (strchr (err, '\x1b') == NULL, "“%s”: raw escape on stderr", shown);
      ck_assert_str_eq (out, "");
    }
}
END_TEST

START_TEST (test_bad_input_names_the_part)
{
  static const struct { const char *args[6]; const char *names; } cases[] = {
    { { "probe", "::1:22", NULL }, "[::1]:22" },
    { { "probe", "h:65536", NULL }, "65536" },
    { { "probe", "h:0", NULL }, "port 0" },
    { { "scan", "127.0.0.1", "80,,81", NULL }, "80,,81" },
    { { "scan", "127.0.0.1", "5-1", NULL }, "5-1" },
    { { "scan", "192.0.2.1", "1-10", NULL },
      "only scan hosts you are authorised to test; pass --yes to confirm" },
    { { "serve", "70000", NULL }, "70000" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      ck_assert_int_eq (run_cli (cases[i].args, &out, &err), 2);
      ck_assert_msg (strstr (err, cases[i].names) != NULL, "stderr “%s” lacks “%s”", err,
                     cases[i].names);
    }
}
END_TEST

static JsonObject *
parse_object (const char *text, JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (json_parser_load_from_data (parser, text, -1, &error), "not JSON: %s\n%s",
                 error ? error->message : "", text);
  ck_assert (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_keys (JsonObject *object, const char *const *keys)
{
  ck_assert_uint_eq (json_object_get_size (object), g_strv_length ((char **) keys));
  for (guint i = 0; keys[i] != NULL; i++)
    ck_assert_msg (json_object_has_member (object, keys[i]), "no key “%s”", keys[i]);
}

static const char *const probe_keys[] = {
  "target", "host", "port", "status", "addresses", "attempts", "remote_address", "local_address",
  "local_port", "connect_ms", "banner", "banner_bytes", "tls", "error", NULL
};

START_TEST (test_probe_open_json)
{
  g_autoptr(GBytes) hello = g_bytes_new_static ("hi\x1b[2J\r\n", 8);
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_SEND, hello);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  const char *args[] = { "probe", target, "--json", "--timeout", "5", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *o, *attempt;
  JsonArray *attempts;

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  o = parse_object (out, parser);
  assert_keys (o, probe_keys);
  ck_assert_str_eq (json_object_get_string_member (o, "status"), "open");
  ck_assert_str_eq (json_object_get_string_member (o, "host"), "127.0.0.1");
  ck_assert_int_eq (json_object_get_int_member (o, "port"), peer->port);
  ck_assert_str_eq (json_object_get_string_member (o, "remote_address"), "127.0.0.1");
  ck_assert_str_eq (json_object_get_string_member (o, "local_address"), "127.0.0.1");
  porthole_test_peer_wait_accepted (peer, 5000);
  ck_assert_int_eq (json_object_get_int_member (o, "local_port"), peer->client_port);
  ck_assert (json_object_get_double_member (o, "connect_ms") >= 0);
  ck_assert_int_eq (json_object_get_int_member (o, "banner_bytes"), 8);
  ck_assert_str_eq (json_object_get_string_member (o, "banner"), "hi\\x1b[2J\\r\n");
  ck_assert (json_object_get_null_member (o, "tls"));
  ck_assert (json_object_get_null_member (o, "error"));
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (o, "addresses"),
                                                   0), "127.0.0.1");
  attempts = json_object_get_array_member (o, "attempts");
  ck_assert_uint_eq (json_array_get_length (attempts), 1);
  attempt = json_array_get_object_element (attempts, 0);
  ck_assert_str_eq (json_object_get_string_member (attempt, "address"), "127.0.0.1");
  ck_assert_str_eq (json_object_get_string_member (attempt, "status"), "open");
  ck_assert (json_object_has_member (attempt, "ms"));
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_probe_closed_and_ipv6_text)
{
  guint16 closed_port;
  int closed = porthole_test_bound_socket ("127.0.0.1", &closed_port);
  PortholeTestPeer *peer = porthole_test_peer_start ("::1", PORTHOLE_TEST_PEER_SILENT, NULL);
  g_autofree char *closed_target = g_strdup_printf ("127.0.0.1:%u", closed_port);
  g_autofree char *v6_target = g_strdup_printf ("[::1]:%u", peer->port);
  g_autofree char *v6_shown = g_strdup_printf ("-> [::1]:%u", peer->port);
  const char *closed_args[] = { "probe", closed_target, "--json", NULL };
  const char *v6_args[] = { "probe", v6_target, "--timeout", "0.3", NULL };
  const char *v6_json_args[] = { "probe", v6_target, "--timeout", "0.3", "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL, *err = NULL, *out6 = NULL, *err6 = NULL, *json6 = NULL;
  JsonObject *o;

  ck_assert_int_eq (run_cli (closed_args, &out, &err), 1);
  o = parse_object (out, parser);
  assert_keys (o, probe_keys);
  ck_assert_str_eq (json_object_get_string_member (o, "status"), "closed");
  ck_assert (json_object_get_null_member (o, "local_port"));
  ck_assert (!json_object_get_null_member (o, "error"));

  /* Text output brackets IPv6 and shows the 4-tuple; JSON does not bracket */
  ck_assert_int_eq (run_cli (v6_args, &out6, &err6), 0);
  ck_assert_msg (strstr (out6, v6_shown) != NULL, "no “%s” in:\n%s", v6_shown, out6);
  ck_assert_ptr_nonnull (strstr (out6, "4-tuple: [::1]:"));
  g_clear_pointer (&err6, g_free);
  ck_assert_int_eq (run_cli (v6_json_args, &json6, &err6), 0);
  o = parse_object (json6, parser);
  ck_assert_str_eq (json_object_get_string_member (o, "remote_address"), "::1");
  ck_assert_str_eq (json_object_get_string_member (o, "local_address"), "::1");
  close (closed);
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_scan_json)
{
  guint16 open_port, closed_port;
  int open = porthole_test_listener ("127.0.0.1", &open_port, 8);
  int closed = porthole_test_bound_socket ("127.0.0.1", &closed_port);
  g_autofree char *ports = g_strdup_printf ("%u,%u", closed_port, open_port);
  const char *args[] = { "scan", "127.0.0.1", ports, "--json", NULL };
  static const char *const keys[] = { "host", "ports_scanned", "open", "closed", "filtered",
                                      "elapsed_ms", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL, *err = NULL;
  JsonObject *o, *first;
  JsonArray *found;

  ck_assert_int_eq (run_cli (args, &out, &err), 0);
  o = parse_object (out, parser);
  assert_keys (o, keys);
  ck_assert_str_eq (json_object_get_string_member (o, "host"), "127.0.0.1");
  ck_assert_int_eq (json_object_get_int_member (o, "ports_scanned"), 2);
  ck_assert_int_eq (json_object_get_int_member (o, "closed"), 1);
  ck_assert_int_eq (json_object_get_int_member (o, "filtered"), 0);
  found = json_object_get_array_member (o, "open");
  ck_assert_uint_eq (json_array_get_length (found), 1);
  first = json_array_get_object_element (found, 0);
  ck_assert_int_eq (json_object_get_int_member (first, "port"), open_port);
  ck_assert (json_object_has_member (first, "service"));
  close (open);

  /* Nothing open: the answer is negative */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *one = g_strdup_printf ("%u", closed_port);
    const char *closed_args[] = { "scan", "127.0.0.1", one, NULL };

    ck_assert_int_eq (run_cli (closed_args, &out, &err), 1);
    ck_assert_ptr_nonnull (strstr (out, "0 open, 1 closed"));
  }
  close (closed);
}
END_TEST

/* serve: one line per client, with the client's port; SIGTERM stops it */

typedef struct {
  gboolean done;
  char    *line;
} Line;

static void
on_line (GObject *source, GAsyncResult *result, gpointer data)
{
  Line *line = data;

  line->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL,
                                                     NULL);
  line->done = TRUE;
}

static char *
read_line (GDataInputStream *in)
{
  Line line = { 0 };

  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  ck_assert_msg (porthole_test_wait_for (&line.done, 10000), "no line from serve in 10 s");
  ck_assert_ptr_nonnull (line.line);
  return line.line;
}

START_TEST (test_serve)
{
  const char *argv[] = { g_getenv ("PORTHOLE_CLI"), "serve", "0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) serve = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *first = NULL, *joined = NULL, *left = NULL, *last = NULL;
  g_autofree char *expect_join = NULL, *expect_left = NULL;
  struct sockaddr_in sa = { .sin_family = AF_INET };
  socklen_t len = sizeof sa;
  guint port = 0, client_port;
  int fd;

  ck_assert_msg (serve != NULL, "%s", error ? error->message : "");
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  first = read_line (in);
  ck_assert_msg (sscanf (first, "Listening on 127.0.0.1:%u", &port) == 1, "“%s”", first);

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sa.sin_port = htons (port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ck_assert_int_eq (connect (fd, (struct sockaddr *) &sa, sizeof sa), 0);
  getsockname (fd, (struct sockaddr *) &sa, &len);
  client_port = ntohs (sa.sin_port);
  expect_join = g_strdup_printf ("+ 127.0.0.1:%u -> 127.0.0.1:%u  (1 client connected)",
                                 client_port, port);
  joined = read_line (in);
  ck_assert_str_eq (joined, expect_join);
  close (fd);
  expect_left = g_strdup_printf ("- 127.0.0.1:%u -> 127.0.0.1:%u  (0 clients connected)",
                                 client_port, port);
  left = read_line (in);
  ck_assert_str_eq (left, expect_left);

  g_subprocess_send_signal (serve, SIGTERM);
  last = read_line (in);
  ck_assert_str_eq (last, "Stopped");
  ck_assert (g_subprocess_wait (serve, NULL, NULL));
  ck_assert (g_subprocess_get_if_exited (serve));
  ck_assert_int_eq (g_subprocess_get_exit_status (serve), 0);
}
END_TEST

static Suite *
cli_suite (void)
{
  Suite *s = suite_create ("cli");
  TCase *tc = tcase_create ("contract");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_bad_input_names_the_part);
  tcase_add_test (tc, test_probe_open_json);
  tcase_add_test (tc, test_probe_closed_and_ipv6_text);
  tcase_add_test (tc, test_scan_json);
  tcase_add_test (tc, test_serve);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (cli_suite)
