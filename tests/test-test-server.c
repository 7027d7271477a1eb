/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-test-server"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-peer.h"
#include "porthole-net-error.h"
#include "porthole-test-server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
  guint connected;
  guint disconnected;
} Counts;

static void
on_connected (PortholeTestServer *server, PortholeTestClient *client, gpointer data)
{
  ((Counts *) data)->connected++;
}

static void
on_disconnected (PortholeTestServer *server, PortholeTestClient *client, gpointer data)
{
  ((Counts *) data)->disconnected++;
}

typedef struct {
  gboolean done;
  guint    n;
  GError  *error;
} Wait;

static void
on_clients (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->n = porthole_test_server_connect_clients_finish (PORTHOLE_TEST_SERVER (source), result,
                                                         &wait->error);
  wait->done = TRUE;
}

static gboolean
n_clients_is (PortholeTestServer *server, guint n, guint limit_ms)
{
  for (guint waited = 0; waited < limit_ms; waited += 10)
    {
      if (porthole_test_server_get_n_clients (server) == n)
        return TRUE;
      porthole_test_spin (10);
    }
  return porthole_test_server_get_n_clients (server) == n;
}

/* A plain client socket of this test connected to the server; returns its local port */
static int
raw_client (const char *address, guint16 port, guint16 *local_port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port) };
  socklen_t len = sizeof sa;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert (inet_pton (AF_INET, address, &sa.sin_addr) == 1);
  ck_assert (connect (fd, (struct sockaddr *) &sa, sizeof sa) == 0);
  getsockname (fd, (struct sockaddr *) &sa, &len);
  *local_port = ntohs (sa.sin_port);
  return fd;
}

/* A first server, its clients and its stop: what GLib opens once per process (the main
 * context's wakeup descriptor, the worker thread's) is open before the fd counts start */
static void
warm_up (void)
{
  g_autoptr(PortholeTestServer) server = porthole_test_server_new (NULL, 0);
  Wait wait = { 0 };

  g_assert (porthole_test_server_start (server, NULL));
  porthole_test_server_connect_clients_async (server, 2, NULL, on_clients, &wait);
  g_assert (porthole_test_wait_for (&wait.done, 10000));
  g_assert (n_clients_is (server, 2, 5000));
  porthole_test_server_stop (server);
  porthole_test_spin (50);
}

START_TEST (test_five_clients)
{
  g_autoptr(PortholeTestServer) server = porthole_test_server_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  GListModel *clients = porthole_test_server_get_clients (server);
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);
  Counts counts = { 0 };
  guint fds_before = porthole_test_count_fds ();
  guint16 raw_port;
  gboolean raw_seen = FALSE;
  char greeting[16] = { 0 };
  int raw;
  Wait wait = { 0 };

  /* Loopback by default */
  ck_assert_str_eq (porthole_test_server_get_address (server), "127.0.0.1");
  porthole_test_server_set_greeting (server, "hello\n");
  g_signal_connect (server, "client-connected", G_CALLBACK (on_connected), &counts);
  g_signal_connect (server, "client-disconnected", G_CALLBACK (on_disconnected), &counts);
  ck_assert (porthole_test_server_start (server, &error));
  ck_assert (porthole_test_server_get_running (server));
  ck_assert_uint_ne (porthole_test_server_get_port (server), 0);

  porthole_test_server_connect_clients_async (server, 5, NULL, on_clients, &wait);
  ck_assert (porthole_test_wait_for (&wait.done, 10000));
  ck_assert_msg (wait.error == NULL, "%s", wait.error ? wait.error->message : "");
  ck_assert_uint_eq (wait.n, 5);
  ck_assert_uint_eq (porthole_test_server_get_n_outgoing (server), 5);
  ck_assert (n_clients_is (server, 5, 5000));

  /* A sixth client of our own: its row holds the port the kernel gave it */
  raw = raw_client ("127.0.0.1", porthole_test_server_get_port (server), &raw_port);
  ck_assert (n_clients_is (server, 6, 5000));
  ck_assert_int_eq (recv (raw, greeting, sizeof greeting - 1, 0), 6);
  ck_assert_str_eq (greeting, "hello\n");

  /* One server port, six 4-tuples: the client ports tell them apart */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(PortholeTestClient) c = g_list_model_get_item (clients, i);

      ck_assert_str_eq (porthole_test_client_get_local_address (c), "127.0.0.1");
      ck_assert_uint_eq (porthole_test_client_get_local_port (c),
                         porthole_test_server_get_port (server));
      ck_assert_str_eq (porthole_test_client_get_remote_address (c), "127.0.0.1");
      ck_assert_uint_ne (porthole_test_client_get_remote_port (c), 0);
      ck_assert_ptr_nonnull (porthole_test_client_get_connected (c));
      g_hash_table_add (ports, GUINT_TO_POINTER (porthole_test_client_get_remote_port (c)));
      raw_seen |= porthole_test_client_get_remote_port (c) == raw_port;
    }
  ck_assert_uint_eq (g_hash_table_size (ports), 6);
  ck_assert (raw_seen);
  ck_assert_uint_eq (counts.connected, 6);

  /* They leave; their rows go */
  porthole_test_server_disconnect_clients (server);
  ck_assert_uint_eq (porthole_test_server_get_n_outgoing (server), 0);
  ck_assert (n_clients_is (server, 1, 5000));
  close (raw);
  ck_assert (n_clients_is (server, 0, 5000));
  ck_assert_uint_eq (counts.disconnected, 6);

  porthole_test_server_stop (server);
  ck_assert (!porthole_test_server_get_running (server));
  porthole_test_spin (50);
  ck_assert_uint_eq (porthole_test_count_fds (), fds_before);
}
END_TEST

START_TEST (test_stop_with_clients)
{
  PortholeTestServer *server = porthole_test_server_new ("127.0.0.1", 0);
  g_autoptr(GError) error = NULL;
  Counts counts = { 0 };
  guint fds_before = porthole_test_count_fds ();
  struct sockaddr_in sa = { .sin_family = AF_INET };
  guint16 port;
  int probe;
  Wait wait = { 0 };

  g_signal_connect (server, "client-disconnected", G_CALLBACK (on_disconnected), &counts);
  ck_assert (porthole_test_server_start (server, &error));
  port = porthole_test_server_get_port (server);
  porthole_test_server_connect_clients_async (server, 3, NULL, on_clients, &wait);
  ck_assert (porthole_test_wait_for (&wait.done, 10000));
  ck_assert (n_clients_is (server, 3, 5000));

  /* Stop empties the list, closes every socket, and frees the port */
  porthole_test_server_stop (server);
  ck_assert_uint_eq (porthole_test_server_get_n_clients (server), 0);
  ck_assert_uint_eq (counts.disconnected, 3);
  g_object_unref (server);
  porthole_test_spin (50);
  ck_assert_uint_eq (porthole_test_count_fds (), fds_before);
  probe = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sa.sin_port = htons (port);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ck_assert_int_eq (bind (probe, (struct sockaddr *) &sa, sizeof sa), 0);
  close (probe);
}
END_TEST

START_TEST (test_dispose_while_connecting)
{
  PortholeTestServer *server = porthole_test_server_new ("::1", 0);
  g_autoptr(GError) error = NULL;
  guint fds_before = porthole_test_count_fds ();
  Wait wait = { 0 };

  ck_assert_msg (porthole_test_server_start (server, &error), "[::1]: %s",
                 error ? error->message : "");
  porthole_test_server_connect_clients_async (server, 20, NULL, on_clients, &wait);
  porthole_test_server_stop (server);
  ck_assert (porthole_test_wait_for (&wait.done, 10000));
  g_clear_error (&wait.error);
  g_object_unref (server);
  porthole_test_spin (100);
  ck_assert_uint_eq (porthole_test_count_fds (), fds_before);
}
END_TEST

/* A port scanner connects and resets before the server accepts: no row, no crash */
START_TEST (test_reset_before_accept)
{
  g_autoptr(PortholeTestServer) server = porthole_test_server_new (NULL, 0);
  struct linger reset = { .l_onoff = 1, .l_linger = 0 };
  guint16 local_port;
  int fd;

  ck_assert (porthole_test_server_start (server, NULL));
  /* The main loop does not run here, so the server cannot accept before the reset */
  fd = raw_client ("127.0.0.1", porthole_test_server_get_port (server), &local_port);
  setsockopt (fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close (fd);
  porthole_test_spin (100);
  ck_assert_uint_eq (porthole_test_server_get_n_clients (server), 0);

  fd = raw_client ("127.0.0.1", porthole_test_server_get_port (server), &local_port);
  ck_assert (n_clients_is (server, 1, 5000));
  close (fd);
  ck_assert (n_clients_is (server, 0, 5000));
}
END_TEST

START_TEST (test_bad_input)
{
  g_autoptr(PortholeTestServer) server = porthole_test_server_new ("999.1.1.1", 0);
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  guint16 port;
  int taken = porthole_test_listener ("127.0.0.1", &port, 1);

  ck_assert (!porthole_test_server_start (server, &error));
  ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
  ck_assert_ptr_nonnull (strstr (error->message, "999.1.1.1"));
  g_clear_error (&error);

  /* Not running: no clients to connect */
  porthole_test_server_connect_clients_async (server, 5, NULL, on_clients, &wait);
  ck_assert (porthole_test_wait_for (&wait.done, 5000));
  ck_assert (wait.error != NULL);
  g_clear_error (&wait.error);

  /* A port already taken */
  porthole_test_server_set_address (server, "127.0.0.1");
  porthole_test_server_set_port (server, port);
  ck_assert (!porthole_test_server_start (server, &error));
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE));
  close (taken);
}
END_TEST

static Suite *
test_server_suite (void)
{
  Suite *s = suite_create ("test-server");
  TCase *tc = tcase_create ("server");

  tcase_set_timeout (tc, 60);

  tcase_add_checked_fixture (tc, warm_up, NULL);
  tcase_add_test (tc, test_five_clients);
  tcase_add_test (tc, test_stop_with_clients);
  tcase_add_test (tc, test_dispose_while_connecting);
  tcase_add_test (tc, test_reset_before_accept);
  tcase_add_test (tc, test_bad_input);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (test_server_suite)
