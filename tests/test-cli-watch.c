/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-watch"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-cli.h"

#include <arpa/inet.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* `porthole-cli watch` as a script or a remote Porthole reads it: a real child process, in a
 * private network namespace holding only the test's own loopback sockets. */

/* The keys of every socket line, in order: the event's, then list's (DESIGN.md) */
static const char *const socket_keys[] = {
  "event", "initial", "send_rate", "receive_rate",
  "protocol", "family", "state", "local_address", "local_port", "remote_address", "remote_port",
  "inode", "uid", "user", "pid", "process", "range", "service", "exposure", "netns", "container",
  "published", "bytes_sent", "bytes_received", "rtt_us", "retransmits",
};

#define COMM "ph-watch-test"

static void
enter_netns (void)
{
  g_autofree char *reason = NULL;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  prctl (PR_SET_NAME, COMM);
}

/* The next line, which must be one JSON object; NULL on timeout */
static JsonObject *
next_object (PortholeTestCli *cli, JsonParser *parser, guint timeout_ms)
{
  g_autofree char *line = porthole_test_cli_read_line (cli, timeout_ms);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (line == NULL)
    return NULL;
  ck_assert_msg (json_parser_load_from_data (parser, line, -1, &error), "not JSON: %s (%s)",
                 line, error ? error->message : "");
  root = json_parser_get_root (parser);
  ck_assert_msg (JSON_NODE_HOLDS_OBJECT (root), "not an object: %s", line);
  ck_assert_msg (strchr (line, '\n') == NULL, "two lines");
  return json_node_get_object (root);
}

static void
assert_socket_keys (JsonObject *o)
{
  g_autoptr(GList) members = json_object_get_members (o);
  GList *m = members;

  ck_assert_uint_eq (g_list_length (members), G_N_ELEMENTS (socket_keys));
  for (gsize k = 0; k < G_N_ELEMENTS (socket_keys); k++, m = m->next)
    ck_assert_str_eq (m->data, socket_keys[k]);
}

static const char *
event_of (JsonObject *o)
{
  return json_object_get_string_member (o, "event");
}

static gboolean
is_inode (JsonObject *o, guint64 inode)
{
  return json_object_has_member (o, "inode") &&
         (guint64) json_object_get_int_member (o, "inode") == inode;
}

static gint64
int_or_minus (JsonObject *o, const char *name)
{
  return json_object_get_null_member (o, name) ? -1 : json_object_get_int_member (o, name);
}

/* Reads the hello line and the first snapshot up to "synced"; returns how many "opened" lines
 * it held and checks @listener_inode was among them */
static guint
read_snapshot (PortholeTestCli *cli, guint64 listener_inode, guint16 listener_port)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = next_object (cli, parser, 10000);
  gboolean seen = FALSE;
  guint n = 0;

  ck_assert_msg (o != NULL, "no hello line");
  ck_assert_str_eq (event_of (o), "hello");
  ck_assert_int_eq (json_object_get_int_member (o, "contract"), 1);
  ck_assert_int_eq (json_object_get_int_member (o, "interval_ms"), 200);
  ck_assert_str_eq (json_object_get_string_member (o, "netns"), "host");
  for (;;)
    {
      o = next_object (cli, parser, 10000);
      ck_assert_msg (o != NULL, "the first snapshot did not end");
      if (strcmp (event_of (o), "synced") == 0)
        break;
      ck_assert_str_eq (event_of (o), "opened");
      ck_assert (json_object_get_boolean_member (o, "initial"));
      assert_socket_keys (o);
      n++;
      if (is_inode (o, listener_inode))
        {
          seen = TRUE;
          ck_assert_str_eq (json_object_get_string_member (o, "state"), "LISTEN");
          ck_assert_int_eq (json_object_get_int_member (o, "local_port"), listener_port);
          ck_assert_int_eq (json_object_get_int_member (o, "pid"), getpid ());
          ck_assert_str_eq (json_object_get_string_member (o, "process"), COMM);
          /* a listener counts what it served: nothing yet */
          ck_assert_int_eq (json_object_get_int_member (o, "bytes_sent"), 0);
          ck_assert (json_object_get_null_member (o, "rtt_us"));
        }
    }
  ck_assert_int_eq (json_object_get_int_member (o, "sockets"), n);
  ck_assert_msg (seen, "the test's listener was not in the first snapshot");
  return n;
}

/* Opened, traffic with the exact bytes moved, closed with them, for several sizes */
START_TEST (test_watch_json_exact_bytes)
{
  static const gsize sizes[][2] = { { 1, 0 }, { 100003, 65537 }, { 4 * 1024 * 1024 + 5, 12345 } };
  const char *const args[] = { "watch", "--json", "--interval", "200", "--netns", "host", NULL };
  PortholeTestCli cli;
  guint16 port;
  int listener;

  enter_netns ();
  listener = porthole_test_tcp_listener (&port);
  porthole_test_cli_start (&cli, args);
  read_snapshot (&cli, porthole_test_fd_inode (listener), port);

  for (gsize c = 0; c < G_N_ELEMENTS (sizes); c++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize up = sizes[c][0], down = sizes[c][1];
      int client, accepted;
      guint64 client_inode, accepted_inode;
      gboolean opened[2] = { FALSE, FALSE }, moved[2] = { FALSE, FALSE }, closed[2] = { FALSE, FALSE };
      gboolean rate_seen = FALSE;
      JsonObject *o;

      porthole_test_tcp_pair (listener, &client, &accepted);
      client_inode = porthole_test_fd_inode (client);
      accepted_inode = porthole_test_fd_inode (accepted);

      /* both ends open, as "opened" lines that are no longer the snapshot's */
      while (!opened[0] || !opened[1])
        {
          ck_assert_msg ((o = next_object (&cli, parser, 10000)) != NULL, "no opened line");
          if (strcmp (event_of (o), "opened") != 0)
            continue;
          assert_socket_keys (o);
          ck_assert (!json_object_get_boolean_member (o, "initial"));
          for (guint e = 0; e < 2; e++)
            if (is_inode (o, e == 0 ? client_inode : accepted_inode))
              {
                opened[e] = TRUE;
                ck_assert_str_eq (json_object_get_string_member (o, "state"), "ESTABLISHED");
                ck_assert_int_eq (json_object_get_int_member (o, "bytes_sent"), 0);
                ck_assert_int_eq (json_object_get_int_member (o, "bytes_received"), 0);
                ck_assert_int_ge (json_object_get_int_member (o, "rtt_us"), 0);
              }
        }

      /* the data, then "traffic" lines until each end shows exactly what moved */
      porthole_test_tcp_exchange (client, accepted, up, down);
      while (!moved[0] || !moved[1])
        {
          ck_assert_msg ((o = next_object (&cli, parser, 10000)) != NULL,
                         "no traffic line with %zu/%zu bytes", up, down);
          if (strcmp (event_of (o), "traffic") != 0)
            continue;
          assert_socket_keys (o);
          for (guint e = 0; e < 2; e++)
            if (is_inode (o, e == 0 ? client_inode : accepted_inode))
              {
                gint64 sent = int_or_minus (o, "bytes_sent");
                gint64 received = int_or_minus (o, "bytes_received");

                /* never more than moved, whatever the moment of the refresh */
                ck_assert_int_le (sent, e == 0 ? up : down);
                ck_assert_int_le (received, e == 0 ? down : up);
                ck_assert_int_ge (int_or_minus (o, "send_rate"), 0);
                rate_seen |= json_object_get_int_member (o, "send_rate") > 0;
                moved[e] |= sent == (gint64) (e == 0 ? up : down) &&
                            received == (gint64) (e == 0 ? down : up);
              }
        }
      ck_assert_msg (rate_seen, "no send_rate above 0 for %zu bytes", up);

      /* closed, with the final counts */
      close (client);
      close (accepted);
      while (!closed[0] || !closed[1])
        {
          ck_assert_msg ((o = next_object (&cli, parser, 10000)) != NULL, "no closed line");
          if (strcmp (event_of (o), "closed") != 0)
            continue;
          assert_socket_keys (o);
          for (guint e = 0; e < 2; e++)
            if (is_inode (o, e == 0 ? client_inode : accepted_inode))
              {
                closed[e] = TRUE;
                ck_assert_int_eq (json_object_get_int_member (o, "bytes_sent"), e == 0 ? up : down);
                ck_assert_int_eq (json_object_get_int_member (o, "bytes_received"), e == 0 ? down : up);
              }
        }
    }

  /* still running, until told to stop */
  ck_assert_int_eq (porthole_test_cli_wait (&cli, 0), -1);
  kill (cli.pid, SIGTERM);
  {
    int status = porthole_test_cli_wait (&cli, 5000);

    ck_assert_msg (status != -1, "watch did not end on SIGTERM");
    ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  }
  porthole_test_cli_stop (&cli);
  close (listener);
}
END_TEST

/* A connection that opens, moves data and closes within a few milliseconds, between two
 * refreshes a second apart: the kernel's destroy events still bring it with its final counts
 * on both ends. The accepted end, gone for good, is "opened" then "closed" at once; the
 * client, which closed first, lives on in TIME_WAIT, and that row carries what it moved. */
START_TEST (test_watch_short_connection)
{
  const char *const args[] = { "watch", "--json", "--interval", "1000", "--netns", "host", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  PortholeTestCli cli;
  g_autofree char *hello = NULL;
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;
  /* closed: its final counts were seen (the accepted end's on a "closed" line) */
  gboolean opened[2] = { FALSE, FALSE }, closed[2] = { FALSE, FALSE };
  const gsize up = 100003, down = 5001;
  guint16 port, client_port;
  int listener, client, accepted;
  gint64 lived;
  JsonObject *o;

  enter_netns ();
  listener = porthole_test_tcp_listener (&port);
  porthole_test_cli_start (&cli, args);
  /* the snapshot, without the check on the interval (read_snapshot wants 200) */
  do
    ck_assert_msg ((o = next_object (&cli, parser, 10000)) != NULL, "no snapshot");
  while (strcmp (event_of (o), "synced") != 0);

  lived = g_get_monotonic_time ();
  porthole_test_tcp_pair (listener, &client, &accepted);
  ck_assert_int_eq (getsockname (client, (struct sockaddr *) &sin, &len), 0);
  client_port = ntohs (sin.sin_port);
  porthole_test_tcp_exchange (client, accepted, up, down);
  /* an orderly end: each side reads the other's FIN before it lets go of its socket. (A
   * client that closes at once is destroyed in FIN_WAIT2, before the peer's FIN: the model
   * then takes one byte too many off its received count, reported to the model's owner) */
  porthole_test_tcp_orderly_close (client, accepted);
  lived = g_get_monotonic_time () - lived;

  while (!closed[0] || !closed[1])
    {
      gboolean is_client, is_accepted;

      ck_assert_msg ((o = next_object (&cli, parser, 5000)) != NULL,
                     "a connection of %" G_GINT64_FORMAT " us was not reported", lived);
      if (!json_object_has_member (o, "local_port"))
        continue;
      is_client = json_object_get_int_member (o, "local_port") == client_port &&
                  json_object_get_int_member (o, "remote_port") == port;
      is_accepted = json_object_get_int_member (o, "local_port") == port &&
                    json_object_get_int_member (o, "remote_port") == client_port;
      if (!is_client && !is_accepted)
        continue;
      assert_socket_keys (o);
      if (strcmp (event_of (o), "opened") == 0)
        {
          ck_assert (!json_object_get_boolean_member (o, "initial"));
          opened[is_client ? 0 : 1] = TRUE;
        }
      else
        ck_assert_msg (opened[is_client ? 0 : 1], "%s before opened", event_of (o));
      /* counts, wherever given, are the final ones: it was over before the first refresh */
      if (!json_object_get_null_member (o, "bytes_sent"))
        {
          ck_assert_msg (json_object_get_int_member (o, "bytes_sent") == (gint64) (is_client ? up : down) &&
                         json_object_get_int_member (o, "bytes_received") == (gint64) (is_client ? down : up),
                         "%s %s end, %s: sent %" G_GINT64_FORMAT ", received %" G_GINT64_FORMAT,
                         event_of (o), is_client ? "client" : "accepted",
                         json_object_get_string_member (o, "state"),
                         json_object_get_int_member (o, "bytes_sent"),
                         json_object_get_int_member (o, "bytes_received"));
          if (is_client)
            closed[0] = TRUE;
          else if (strcmp (event_of (o), "closed") == 0)
            closed[1] = TRUE;
        }
    }
  kill (cli.pid, SIGTERM);
  ck_assert_int_ne (porthole_test_cli_wait (&cli, 5000), -1);
  porthole_test_cli_stop (&cli);
  close (listener);
}
END_TEST

/* SIGINT and SIGTERM end it with status 0, right after the snapshot and while idle */
START_TEST (test_watch_signals)
{
  const int signals[] = { SIGTERM, SIGINT, SIGHUP };
  const char *const args[] = { "watch", "--json", "--interval", "200", "--netns", "host", NULL };
  guint16 port;
  int listener;

  enter_netns ();
  listener = porthole_test_tcp_listener (&port);
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      PortholeTestCli cli;
      int status;

      porthole_test_cli_start (&cli, args);
      read_snapshot (&cli, porthole_test_fd_inode (listener), port);
      g_usleep (300 * 1000);
      kill (cli.pid, signals[i]);
      status = porthole_test_cli_wait (&cli, 5000);
      ck_assert_msg (status != -1, "watch did not end on signal %d", signals[i]);
      ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "signal %d: status %d",
                     signals[i], status);
      porthole_test_cli_stop (&cli);
    }
  close (listener);
}
END_TEST

/* A reader that goes away: the pipe's end closed while nothing is written, and while a burst
 * is being written (a snapshot of many sockets) */
START_TEST (test_watch_closed_pipe)
{
  const char *const args[] = { "watch", "--json", "--interval", "200", "--netns", "host", NULL };
  int fds[200];
  guint16 port;
  int listener;

  enter_netns ();
  listener = porthole_test_tcp_listener (&port);
  for (guint round = 0; round < 2; round++)
    {
      PortholeTestCli cli;
      g_autofree char *hello = NULL;
      int status;

      porthole_test_cli_start (&cli, args);
      if (round == 0)
        read_snapshot (&cli, porthole_test_fd_inode (listener), port);   /* idle then */
      else
        {
          hello = porthole_test_cli_read_line (&cli, 10000);
          ck_assert_msg (hello != NULL && strstr (hello, "\"hello\""), "no hello");
        }
      close (cli.out_fd);
      cli.out_fd = -1;
      status = porthole_test_cli_wait (&cli, 5000);
      ck_assert_msg (status != -1, "watch did not end when its reader went away (round %u)", round);
      ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "status %d", status);
      porthole_test_cli_stop (&cli);

      /* the second round: 200 connections' worth of lines to write when the reader goes */
      for (guint i = 0; i < G_N_ELEMENTS (fds) / 2 && round == 0; i++)
        porthole_test_tcp_pair (listener, &fds[2 * i], &fds[2 * i + 1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);
  close (listener);
}
END_TEST

/* Text: one line a change, with the socket and its process */
START_TEST (test_watch_text)
{
  const char *const args[] = { "watch", "--interval", "200", "--netns", "host", NULL };
  PortholeTestCli cli;
  g_autofree char *first = NULL, *endpoint = NULL;
  guint16 port;
  int listener, client, accepted;
  gboolean opened = FALSE, moved = FALSE;

  enter_netns ();
  listener = porthole_test_tcp_listener (&port);
  porthole_test_cli_start (&cli, args);
  first = porthole_test_cli_read_line (&cli, 10000);
  ck_assert_msg (first != NULL && g_str_has_prefix (first, "Watching 1 socket,"), "%s", first);
  porthole_test_tcp_pair (listener, &client, &accepted);
  endpoint = g_strdup_printf ("-> 127.0.0.1:%u " COMM "(%d)", port, getpid ());
  while (!opened)
    {
      g_autofree char *line = porthole_test_cli_read_line (&cli, 10000);

      ck_assert_msg (line != NULL, "no opened line");
      ck_assert_msg (strchr (line, '\033') == NULL && strchr (line, '\r') == NULL, "%s", line);
      opened = strstr (line, " opened  tcp ESTABLISHED ") && strstr (line, endpoint);
    }
  porthole_test_tcp_exchange (client, accepted, 3000, 0);
  while (!moved)
    {
      g_autofree char *line = porthole_test_cli_read_line (&cli, 10000);

      ck_assert_msg (line != NULL, "no traffic line");
      moved = strstr (line, " traffic ") && strstr (line, endpoint) &&
              strstr (line, "(sent 2.9 KiB, received 0 B)");
    }
  close (client);
  close (accepted);
  kill (cli.pid, SIGINT);
  ck_assert_int_ne (porthole_test_cli_wait (&cli, 5000), -1);
  porthole_test_cli_stop (&cli);
  close (listener);
}
END_TEST

/* --interval that is not a number of milliseconds in range: exit 2, one line naming it */
START_TEST (test_watch_bad_interval)
{
  const char *bad[] = { "0", "99", "-5", "abc", "1000x", "", "3600001", "99999999999999999999" };
  const char *cli = g_getenv ("PORTHOLE_CLI");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *argv[] = { cli, "watch", "--json", "--interval", bad[i], NULL };
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
      ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 2, "“%s”: status %d", bad[i], status);
      ck_assert_str_eq (out, "");
      ck_assert_msg (strstr (err, "--interval") != NULL, "%s", err);
      ck_assert_msg (strchr (err, '\n') == err + strlen (err) - 1, "not one line: %s", err);
    }
  {
    const char *argv[] = { cli, "watch", "--netns", "elsewhere", NULL };
    int status = 0;

    ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                             G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
    ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 2);
  }
}
END_TEST

static Suite *
cli_watch_suite (void)
{
  Suite *s = suite_create ("cli-watch");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_watch_json_exact_bytes);
  tcase_add_test (tc, test_watch_short_connection);
  tcase_add_test (tc, test_watch_signals);
  tcase_add_test (tc, test_watch_closed_pipe);
  tcase_add_test (tc, test_watch_text);
  tcase_add_test (tc, test_watch_bad_interval);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (cli_watch_suite)
