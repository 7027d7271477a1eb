/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-container-names"
#include "config.h"

#include "porthole-test.h"
#include "porthole-container-names.h"
#include "porthole-container-names-private.h"

#include <glib/gstdio.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

/* A stand-in Docker/Podman API: HTTP/1.1 on a unix socket in a temporary directory, one
 * request per connection, answered from tests/fixtures/docker-api/ or misbehaving on purpose.
 * Each connection is served in its own thread, so a hung or endless answer blocks nothing. */
typedef enum { ANSWER, HANG, ENDLESS, NO_LIBPOD } Mode;

#define ENDLESS_BYTES (100 * 1024 * 1024)

typedef struct {
  GSocketService *service;
  char           *path;
  Mode            mode;
  char           *body;
  gsize           body_length;
  GMutex          lock;
  guint           requests;
  char           *last_path;
  gsize           written;     /* ENDLESS: body bytes the peer took before it hung up */
  gboolean        endless_done;
} Server;

static char *tmpdir;

/* Under valgrind or the sanitizers (which set CK_TIMEOUT_MULTIPLIER) everything is slower */
static guint
slow (guint ms)
{
  const char *multiplier = g_getenv ("CK_TIMEOUT_MULTIPLIER");
  guint factor = multiplier != NULL ? (guint) g_ascii_strtoull (multiplier, NULL, 10) : 1;

  return ms * MAX (factor, 1);
}

static void
setup (void)
{
  tmpdir = g_dir_make_tmp ("porthole-container-names-XXXXXX", NULL);
  ck_assert_ptr_nonnull (tmpdir);
}

static void
teardown (void)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_clear_pointer (&tmpdir, g_free);
}

static char *
in_tmp (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static gboolean
write_all (GOutputStream *out, const void *data, gsize length)
{
  return g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
}

static void
answer (GOutputStream *out, const char *status, const char *body, gsize length)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Connection: close\r\n\r\n", status, length);

  if (write_all (out, head, strlen (head)))
    write_all (out, body, length);
}

/* Chunked, so no Content-Length tells the client in advance: it has to stop reading itself */
static void
answer_endless (Server *server, GOutputStream *out)
{
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";
  g_autofree char *chunk = g_malloc (65536 + 16);
  gsize sent = 0;
  int prefix = g_snprintf (chunk, 16, "10000\r\n");

  memset (chunk + prefix, ' ', 65536);
  chunk[0 + prefix] = '[';
  memcpy (chunk + prefix + 65536, "\r\n", 2);
  if (write_all (out, head, sizeof head - 1))
    while (sent < ENDLESS_BYTES && write_all (out, chunk, prefix + 65536 + 2))
      {
        sent += 65536;
        chunk[prefix] = ' ';
      }
  g_mutex_lock (&server->lock);
  server->written = sent;
  server->endless_done = TRUE;
  g_mutex_unlock (&server->lock);
}

static gboolean
on_run (GThreadedSocketService *service, GSocketConnection *connection, GObject *source,
        gpointer data)
{
  Server *server = data;
  g_autoptr(GDataInputStream) in =
    g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *request = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  g_auto(GStrv) words = request != NULL ? g_strsplit (request, " ", 3) : NULL;
  const char *path;

  if (words == NULL || g_strv_length (words) < 2)
    return TRUE;
  path = words[1];
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (line == NULL || line[0] == '\r' || line[0] == '\0')
        break;
    }
  g_mutex_lock (&server->lock);
  server->requests++;
  g_free (server->last_path);
  server->last_path = g_strdup (path);
  g_mutex_unlock (&server->lock);

  switch (server->mode)
    {
    case HANG:
      /* Until the client hangs up */
      while (g_input_stream_skip (G_INPUT_STREAM (in), 4096, NULL, NULL) > 0)
        ;
      break;
    case ENDLESS:
      answer_endless (server, out);
      break;
    case NO_LIBPOD:
      if (g_str_has_prefix (path, "/v4.0.0/libpod/"))
        {
          answer (out, "404 Not Found", "{\"message\":\"not found\"}", 23);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case ANSWER:
    default:
      answer (out, "200 OK", server->body, server->body_length);
      break;
    }
  return TRUE;
}

static Server *
server_new (const char *name, Mode mode, const char *body, gssize length)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&server->lock);
  server->path = in_tmp (name);
  server->mode = mode;
  if (body == NULL)
    body = "";
  server->body_length = length >= 0 ? (gsize) length : strlen (body);
  server->body = g_malloc (server->body_length + 1);
  memcpy (server->body, body, server->body_length);
  server->body[server->body_length] = '\0';
  server->service = g_threaded_socket_service_new (8);
  address = g_unix_socket_address_new (server->path);
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL,
                                 &error);
  g_assert_no_error (error);
  g_signal_connect (server->service, "run", G_CALLBACK (on_run), server);
  g_socket_service_start (server->service);
  return server;
}

static Server *
server_new_fixture (const char *name, Mode mode, const char *fixture)
{
  g_autofree char *file = g_build_filename ("docker-api", fixture, NULL);
  g_autofree char *path = porthole_test_fixture (file);
  g_autofree char *body = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &body, &length, NULL));
  return server_new (name, mode, body, (gssize) length);
}

/* Threads still serving (a hung one) keep the Server: it is a test process, freed at exit */
static void
server_stop (Server *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
  guint    changed;
  guint    problems;
  gint64   elapsed_us;
  gint64   started;
} Run;

static void
on_changed (PortholeContainerNames *names, gpointer data)
{
  ((Run *) data)->changed++;
}

static void
on_problem (GObject *object, GParamSpec *pspec, gpointer data)
{
  ((Run *) data)->problems++;
}

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  Run *run = data;

  run->ok = porthole_container_names_refresh_finish (PORTHOLE_CONTAINER_NAMES (source), result,
                                                     &run->error);
  run->elapsed_us = g_get_monotonic_time () - run->started;
  run->done = TRUE;
}

static PortholeContainerNames *
names_new (const char *docker, const char *podman, const char *storage, Run *run)
{
  g_autofree char *docker_path = in_tmp (docker != NULL ? docker : "no-docker.sock");
  g_autofree char *podman_path = in_tmp (podman != NULL ? podman : "no-podman.sock");
  g_autofree char *storage_path = in_tmp (storage != NULL ? storage : "no-storage");
  PortholeContainerNames *names = porthole_container_names_new (docker_path, podman_path,
                                                                storage_path);

  /* A slow build must not turn every answer into a timeout */
  if (slow (1) > 1)
    porthole_container_names_set_timeout (names, slow (2000));
  g_signal_connect (names, "changed", G_CALLBACK (on_changed), run);
  g_signal_connect (names, "notify::problem", G_CALLBACK (on_problem), run);
  return names;
}

static void
refresh (PortholeContainerNames *names, Run *run, GCancellable *cancellable)
{
  run->done = FALSE;
  g_clear_error (&run->error);
  run->started = g_get_monotonic_time ();
  porthole_container_names_refresh_async (names, cancellable, on_refreshed, run);
}

static void
refresh_and_wait (PortholeContainerNames *names, Run *run)
{
  refresh (names, run, NULL);
  ck_assert (porthole_test_wait_for (&run->done, slow (20000)));
  g_assert_no_error (run->error);
  ck_assert (run->ok);
}

static const PortholeContainerPort *
port_at (const PortholeContainerInfo *info, guint i)
{
  ck_assert_uint_lt (i, info->ports->len);
  return &g_array_index (info->ports, PortholeContainerPort, i);
}

static void
assert_port (const PortholeContainerInfo *info, guint i, guint8 protocol, const char *host_address,
             guint host_port, guint container_port)
{
  const PortholeContainerPort *port = port_at (info, i);

  ck_assert_uint_eq (port->protocol, protocol);
  if (host_address == NULL)
    ck_assert_ptr_null (port->host_address);
  else
    ck_assert_str_eq (port->host_address, host_address);
  ck_assert_uint_eq (port->host_port, host_port);
  ck_assert_uint_eq (port->container_port, container_port);
}

#define WEB     "4f1c2a9e8b7d6c5e3a2f1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e"
#define DNS     "a81d4e2b7c9f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9"
#define CACHE   "c0ffee1234567890abcdef1234567890abcdef1234567890abcdef1234567890"
#define PODWEB  "9e3b2c1d0f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c"
#define METRICS "5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899aabb"
#define INFRA   "e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e"
#define TOOLBOX "b4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"

static void
assert_docker_fixture (PortholeContainerNames *names)
{
  const PortholeContainerInfo *web = porthole_container_names_lookup (names, WEB);
  const PortholeContainerInfo *dns = porthole_container_names_lookup (names, DNS);
  const PortholeContainerInfo *cache = porthole_container_names_lookup (names, CACHE);

  ck_assert_ptr_nonnull (web);
  ck_assert_str_eq (web->name, "web");
  ck_assert_str_eq (web->image, "nginx:1.25");
  ck_assert_uint_eq (web->ports->len, 2);
  assert_port (web, 0, IPPROTO_TCP, "0.0.0.0", 8080, 80);
  assert_port (web, 1, IPPROTO_TCP, "::", 8080, 80);
  ck_assert_ptr_nonnull (dns);
  ck_assert_str_eq (dns->name, "dns");
  ck_assert_str_eq (dns->image, "coredns/coredns:1.11.1");
  ck_assert_uint_eq (dns->ports->len, 1);
  assert_port (dns, 0, IPPROTO_UDP, "127.0.0.1", 5353, 53);
  ck_assert_ptr_nonnull (cache);
  ck_assert_str_eq (cache->name, "cache");
  ck_assert_str_eq (cache->image, "redis:7-alpine");
  ck_assert_uint_eq (cache->ports->len, 1);
  assert_port (cache, 0, IPPROTO_TCP, NULL, 0, 6379);
}

START_TEST (test_docker)
{
  Run run = { 0 };
  Server *docker = server_new_fixture ("docker.sock", ANSWER, "docker-containers.json");
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);
  const PortholeContainerInfo *web;
  GPtrArray *list;

  refresh_and_wait (names, &run);
  ck_assert_str_eq (docker->last_path, "/containers/json?all=true");
  ck_assert_uint_eq (run.changed, 1);
  list = porthole_container_names_list (names);
  ck_assert_uint_eq (list->len, 3);
  for (guint i = 0; i < list->len; i++)
    ck_assert_str_eq (((PortholeContainerInfo *) g_ptr_array_index (list, i))->runtime, "docker");
  assert_docker_fixture (names);
  /* Docker answered; only Podman, absent, is a problem */
  ck_assert_ptr_nonnull (porthole_container_names_get_problem (names));
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names),
                                 "Podman is not running"));
  ck_assert_ptr_null (strstr (porthole_container_names_get_problem (names), "Docker"));

  /* The same answer again: no "changed", and borrowed pointers stay valid */
  web = porthole_container_names_lookup (names, WEB);
  refresh_and_wait (names, &run);
  ck_assert_uint_eq (docker->requests, 2);
  ck_assert_uint_eq (run.changed, 1);
  ck_assert_uint_eq (run.problems, 1);
  ck_assert_ptr_eq (porthole_container_names_lookup (names, WEB), web);
  server_stop (docker);
}
END_TEST

START_TEST (test_lookup)
{
  Run run = { 0 };
  Server *docker = server_new_fixture ("docker.sock", ANSWER, "docker-containers.json");
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);
  const PortholeContainerInfo *web;

  ck_assert_ptr_null (porthole_container_names_lookup (names, WEB));
  refresh_and_wait (names, &run);
  web = porthole_container_names_lookup (names, WEB);
  ck_assert_ptr_nonnull (web);
  ck_assert_ptr_eq (porthole_container_names_lookup (names, "4f1c2a9e8b7d"), web);
  ck_assert_ptr_eq (porthole_container_names_lookup (names, "4F1C2A9E8B7D6C5E"), web);
  /* Docker's short id is 12 characters: anything shorter could name the wrong container */
  ck_assert_ptr_null (porthole_container_names_lookup (names, "4f1c2a9e8b7"));
  ck_assert_ptr_null (porthole_container_names_lookup (names, "4f1c2a9e8b7dffff"));
  ck_assert_ptr_null (porthole_container_names_lookup (names, WEB "00"));
  ck_assert_ptr_null (porthole_container_names_lookup (names, ""));
  ck_assert_ptr_null (porthole_container_names_lookup (names, NULL));
  server_stop (docker);
}
END_TEST

START_TEST (test_lookup_ambiguous)
{
  static const char body[] =
    "[{\"Id\":\"abcdefabcdef0000\",\"Names\":[\"/one\"]},"
    " {\"Id\":\"abcdefabcdef1111\",\"Names\":[\"/two\"]}]";
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", ANSWER, body, -1);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);

  refresh_and_wait (names, &run);
  ck_assert_ptr_null (porthole_container_names_lookup (names, "abcdefabcdef"));
  ck_assert_str_eq (porthole_container_names_lookup (names, "abcdefabcdef1")->name, "two");
  server_stop (docker);
}
END_TEST

START_TEST (test_both_runtimes)
{
  Run run = { 0 };
  Server *docker = server_new_fixture ("docker.sock", ANSWER, "docker-containers.json");
  Server *podman = server_new_fixture ("podman.sock", ANSWER, "podman-libpod-containers.json");
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", "podman.sock", NULL, &run);
  const PortholeContainerInfo *info;

  refresh_and_wait (names, &run);
  ck_assert_str_eq (podman->last_path, "/v4.0.0/libpod/containers/json?all=true");
  ck_assert_ptr_null (porthole_container_names_get_problem (names));
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 6);
  assert_docker_fixture (names);

  info = porthole_container_names_lookup (names, PODWEB);
  ck_assert_ptr_nonnull (info);
  ck_assert_str_eq (info->runtime, "podman");
  ck_assert_str_eq (info->name, "podweb");
  ck_assert_str_eq (info->image, "docker.io/library/nginx:latest");
  ck_assert_uint_eq (info->ports->len, 1);
  /* libpod's empty host_ip: every address */
  assert_port (info, 0, IPPROTO_TCP, "0.0.0.0", 8081, 80);

  info = porthole_container_names_lookup (names, METRICS);
  ck_assert_str_eq (info->name, "metrics");
  ck_assert_uint_eq (info->ports->len, 2);
  assert_port (info, 0, IPPROTO_UDP, "127.0.0.1", 9100, 9100);
  assert_port (info, 1, IPPROTO_UDP, "127.0.0.1", 9101, 9101);

  info = porthole_container_names_lookup (names, INFRA);
  ck_assert_str_eq (info->name, "2f0a4c6e8b1d-infra");
  ck_assert_uint_eq (info->ports->len, 0);
  server_stop (docker);
  server_stop (podman);
}
END_TEST

/* Podman 3 refuses the /v4.0.0/libpod path: the compat path gives the same names */
START_TEST (test_podman_compat)
{
  Run run = { 0 };
  Server *podman = server_new_fixture ("podman.sock", NO_LIBPOD, "docker-containers.json");
  g_autoptr(PortholeContainerNames) names = names_new (NULL, "podman.sock", NULL, &run);

  refresh_and_wait (names, &run);
  ck_assert_uint_eq (podman->requests, 2);
  ck_assert_str_eq (podman->last_path, "/containers/json?all=true");
  assert_docker_fixture (names);
  ck_assert_str_eq (porthole_container_names_lookup (names, WEB)->runtime, "podman");
  server_stop (podman);
}
END_TEST

static void
install_storage (const char *root)
{
  g_autofree char *dir = g_build_filename (tmpdir, root, "overlay-containers", NULL);
  g_autofree char *target = g_build_filename (dir, "containers.json", NULL);
  g_autofree char *source = porthole_test_fixture ("docker-api/podman-storage-containers.json");
  g_autofree char *contents = NULL;
  gsize length;

  ck_assert_int_eq (g_mkdir_with_parents (dir, 0700), 0);
  ck_assert (g_file_get_contents (source, &contents, &length, NULL));
  ck_assert (g_file_set_contents (target, contents, (gssize) length, NULL));
}

/* Rootless Podman with no API service: the storage file still names the containers */
START_TEST (test_storage)
{
  Run run = { 0 };
  g_autoptr(PortholeContainerNames) names = NULL;
  const PortholeContainerInfo *toolbox;
  const char *problem;

  install_storage ("storage");
  names = names_new (NULL, NULL, "storage", &run);
  refresh_and_wait (names, &run);
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 2);
  toolbox = porthole_container_names_lookup (names, TOOLBOX);
  ck_assert_ptr_nonnull (toolbox);
  ck_assert_str_eq (toolbox->runtime, "podman");
  ck_assert_str_eq (toolbox->name, "fedora-toolbox-41");
  ck_assert_str_eq (toolbox->image, "registry.fedoraproject.org/fedora-toolbox:41");
  ck_assert_uint_eq (toolbox->ports->len, 0);
  ck_assert_str_eq (porthole_container_names_lookup (names, PODWEB)->name, "podweb");
  /* An absent Podman socket is the normal rootless case, not a problem; absent Docker is */
  problem = porthole_container_names_get_problem (names);
  ck_assert_ptr_nonnull (problem);
  ck_assert_ptr_nonnull (strstr (problem, "Docker is not running"));
  ck_assert_ptr_null (strstr (problem, "Podman"));
}
END_TEST

/* With the API up, its answer (with ports) wins over the storage's for the same container */
START_TEST (test_storage_and_api)
{
  Run run = { 0 };
  Server *podman = NULL;
  g_autoptr(PortholeContainerNames) names = NULL;

  install_storage ("storage");
  podman = server_new_fixture ("podman.sock", ANSWER, "podman-libpod-containers.json");
  names = names_new (NULL, "podman.sock", "storage", &run);
  refresh_and_wait (names, &run);
  ck_assert_uint_eq (porthole_container_names_lookup (names, PODWEB)->ports->len, 1);
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 3);
  server_stop (podman);
}
END_TEST

START_TEST (test_missing_sockets)
{
  Run run = { 0 };
  g_autoptr(PortholeContainerNames) names = names_new (NULL, NULL, NULL, &run);
  const char *problem;

  refresh_and_wait (names, &run);
  /* Nothing listens: no connection attempt, so no wait */
  ck_assert_int_lt (run.elapsed_us, slow (500) * G_GINT64_CONSTANT (1000));
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 0);
  ck_assert_uint_eq (run.changed, 0);
  problem = porthole_container_names_get_problem (names);
  ck_assert_ptr_nonnull (problem);
  ck_assert_ptr_nonnull (strstr (problem, "Docker is not running"));
  ck_assert_ptr_nonnull (strstr (problem, "Podman is not running"));
  ck_assert_ptr_nonnull (strchr (problem, '\n'));
  ck_assert_ptr_null (strchr (strchr (problem, '\n') + 1, '\n'));
  /* Reported once, not per refresh */
  refresh_and_wait (names, &run);
  refresh_and_wait (names, &run);
  ck_assert_uint_eq (run.problems, 1);
}
END_TEST

/* A socket file nobody listens on (the daemon died): "not running", at once */
START_TEST (test_stale_socket)
{
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", ANSWER, "[]", -1);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);

  server_stop (docker);
  refresh_and_wait (names, &run);
  ck_assert_int_lt (run.elapsed_us, slow (500) * G_GINT64_CONSTANT (1000));
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names),
                                 "Docker is not running"));
}
END_TEST

/* The default timeout, 2 s: the refresh gives up then, never later */
START_TEST (test_hung)
{
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", HANG, NULL, 0);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);
  const char *problem;

  porthole_container_names_set_timeout (names, 2000);
  refresh_and_wait (names, &run);
  g_test_message ("gave up on the hung server after %" G_GINT64_FORMAT " ms",
                  run.elapsed_us / 1000);
  ck_assert_int_ge (run.elapsed_us, 2000 * 1000);
  ck_assert_int_lt (run.elapsed_us, slow (2500) * G_GINT64_CONSTANT (1000));
  ck_assert_uint_eq (docker->requests, 1);
  problem = porthole_container_names_get_problem (names);
  ck_assert_ptr_nonnull (strstr (problem, "Docker timed out"));
  ck_assert_ptr_nonnull (strstr (problem, "2.0 s"));

  porthole_container_names_set_timeout (names, 200);
  refresh_and_wait (names, &run);
  ck_assert_int_lt (run.elapsed_us, slow (700) * G_GINT64_CONSTANT (1000));
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names), "0.2 s"));
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 0);
  server_stop (docker);
}
END_TEST

static void
assert_junk (const char *body, gssize length)
{
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", ANSWER, body, length);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);

  refresh_and_wait (names, &run);
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 0);
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names),
                                 "Docker answered with something that is not a container list"));
  server_stop (docker);
  g_socket_listener_close (G_SOCKET_LISTENER (docker->service));
  g_unlink (docker->path);
}

START_TEST (test_junk)
{
  g_autoptr(GString) deep = g_string_new (NULL);

  assert_junk ("<html><body>502 Bad Gateway</body></html>", -1);
  assert_junk ("{\"message\":\"client version 1.99 is too new\"}", -1);
  assert_junk ("[{\"Id\":\"abc\"", -1);
  assert_junk ("\0\0\0\xff\xfe", 5);
  assert_junk ("", 0);
  /* Nesting that would exhaust a recursive parser's stack */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  assert_junk (deep->str, (gssize) deep->len);
}
END_TEST

/* A list of junk entries: each is skipped or kept with what it holds, never fatal */
START_TEST (test_junk_entries)
{
  static const char body[] =
    "[1, \"x\", null, [], {\"Id\": 5}, {\"Id\": \"not hex!\"}, {\"Names\": [\"/noid\"]},"
    " {\"Id\": \"00aa\", \"Names\": 7, \"Image\": [\"x\"], \"Ports\": {\"a\": 1}},"
    " {\"Id\": \"00bb\", \"Names\": [3, \"/b\"], \"Ports\": [null, 3, {\"PrivatePort\": \"80\"},"
    "   {\"PrivatePort\": 70000}, {\"PrivatePort\": -1}, {\"PrivatePort\": 80, \"Type\": \"sctp\"},"
    "   {\"PrivatePort\": 81, \"PublicPort\": 8081, \"IP\": \"not an address\", \"Type\": \"tcp\"},"
    "   {\"PrivatePort\": 82, \"PublicPort\": 99999, \"Type\": \"tcp\"},"
    "   {\"PrivatePort\": 83, \"Type\": \"udp\"}]},"
    " {\"Id\": \"00cc\", \"Ports\": [{\"container_port\": 65535, \"host_port\": 65534,"
    "   \"range\": 100, \"protocol\": \"tcp\"}]}]";
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", ANSWER, body, -1);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);
  const PortholeContainerInfo *info;

  refresh_and_wait (names, &run);
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 3);
  info = porthole_container_names_lookup (names, "00aa");
  ck_assert_ptr_nonnull (info);
  ck_assert_ptr_null (info->name);
  ck_assert_ptr_null (info->image);
  ck_assert_uint_eq (info->ports->len, 0);
  info = porthole_container_names_lookup (names, "00bb");
  ck_assert_ptr_null (info->name);
  /* 99999 is no port: the entry is unpublished rather than wrong */
  ck_assert_uint_eq (info->ports->len, 2);
  assert_port (info, 0, IPPROTO_TCP, NULL, 0, 82);
  assert_port (info, 1, IPPROTO_UDP, NULL, 0, 83);
  /* A range never runs past port 65535 */
  info = porthole_container_names_lookup (names, "00cc");
  ck_assert_uint_eq (info->ports->len, 1);
  assert_port (info, 0, IPPROTO_TCP, "0.0.0.0", 65534, 65535);
  ck_assert_ptr_null (strstr (porthole_container_names_get_problem (names), "Docker"));
  server_stop (docker);
}
END_TEST

/* 100 MB from the socket: reading stops at the limit, and the rest is never fetched */
START_TEST (test_too_large)
{
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", ENDLESS, NULL, 0);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);
  gboolean done = FALSE;
  gsize written;

  refresh_and_wait (names, &run);
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names),
                                 "Docker's container list is too large (over 8.0"));
  ck_assert_uint_eq (porthole_container_names_list (names)->len, 0);
  /* The server learns the client hung up when its next writes fail */
  for (guint waited = 0; waited < slow (5000) && !done; waited += 10)
    {
      porthole_test_spin (10);
      g_mutex_lock (&docker->lock);
      done = docker->endless_done;
      written = docker->written;
      g_mutex_unlock (&docker->lock);
    }
  ck_assert (done);
  g_test_message ("the client took %" G_GSIZE_FORMAT " bytes of 100 MiB", written);
  ck_assert_uint_lt (written, 16 * 1024 * 1024);
  server_stop (docker);
}
END_TEST

/* A Content-Length over the limit is refused before any of the body is read */
START_TEST (test_too_large_declared)
{
  Run run = { 0 };
  g_autofree char *body = g_malloc0 (2 * 1024 * 1024);
  Server *docker = NULL;
  g_autoptr(PortholeContainerNames) names = NULL;

  memset (body, ' ', 2 * 1024 * 1024);
  docker = server_new ("docker.sock", ANSWER, body, 2 * 1024 * 1024);
  names = names_new ("docker.sock", NULL, NULL, &run);
  porthole_container_names_set_max_bytes (names, 1024 * 1024);
  refresh_and_wait (names, &run);
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names),
                                 "too large (over 1.0"));
  server_stop (docker);
}
END_TEST

static gboolean
is_clean (const char *text)
{
  ck_assert (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x202E || c == 0x200B)
        return FALSE;
    }
  return TRUE;
}

START_TEST (test_hostile_names)
{
  g_autoptr(GString) body =
    g_string_new ("[{\"Id\":\"0123456789ab\",\"Names\":[\"/\\u001b[31mred\\u0007");
  g_autoptr(GString) image = g_string_new (NULL);
  Run run = { 0 };
  Server *docker = NULL;
  g_autoptr(PortholeContainerNames) names = NULL;
  const PortholeContainerInfo *info;

  for (guint i = 0; i < 10 * 1024; i++)
    g_string_append_c (body, 'A');
  g_string_append (body, "\"],\"Image\":\"evil\\u202egnp.exe\\n\\u200b\\r\",\"Ports\":[]},");
  /* 10 KB of multi-byte text as the image */
  for (guint i = 0; i < 5 * 1024; i++)
    g_string_append (image, "é");
  g_string_append_printf (body,
                          "{\"Id\":\"0123456789ac\",\"Names\":[\"\\\\x41\"],\"Image\":\"%s\"}]",
                          image->str);
  docker = server_new ("docker.sock", ANSWER, body->str, (gssize) body->len);
  names = names_new ("docker.sock", NULL, NULL, &run);
  refresh_and_wait (names, &run);

  info = porthole_container_names_lookup (names, "0123456789ab");
  ck_assert_ptr_nonnull (info);
  ck_assert (is_clean (info->name));
  ck_assert (g_str_has_prefix (info->name, "\\x1b[31mred\\x07AAAA"));
  ck_assert_uint_eq (g_utf8_strlen (info->name, -1), 256);
  ck_assert (g_str_has_suffix (info->name, "A…"));
  ck_assert (is_clean (info->image));
  ck_assert_str_eq (info->image, "evil\\u{202E}gnp.exe\\n\\u{200B}\\r");

  info = porthole_container_names_lookup (names, "0123456789ac");
  /* A backslash in a name is escaped too, so "\x41" cannot pass for an escape */
  ck_assert_str_eq (info->name, "\\\\x41");
  ck_assert_uint_eq (g_utf8_strlen (info->image, -1), 256);
  ck_assert (g_str_has_prefix (info->image, "éééé"));
  server_stop (docker);
}
END_TEST

/* A caller's cancel answers that caller at once; the refresh goes on for the others */
START_TEST (test_cancel)
{
  Run first = { 0 }, second = { 0 };
  Server *docker = server_new ("docker.sock", HANG, NULL, 0);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &first);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  porthole_container_names_set_timeout (names, slow (1000));
  refresh (names, &first, cancellable);
  refresh (names, &second, NULL);
  porthole_test_spin (100);
  g_cancellable_cancel (cancellable);
  ck_assert (porthole_test_wait_for (&first.done, slow (300)));
  ck_assert (!first.ok);
  ck_assert (g_error_matches (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  ck_assert (!second.done);
  ck_assert (porthole_test_wait_for (&second.done, slow (3000)));
  ck_assert (second.ok);
  /* At most one refresh in flight: both callers shared one request */
  ck_assert_uint_eq (docker->requests, 1);
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names), "timed out"));
  g_clear_error (&first.error);
  server_stop (docker);
}
END_TEST

/* Every caller gone: the refresh stops, and neither the table nor "problem" changes */
START_TEST (test_cancel_all)
{
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", HANG, NULL, 0);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) early = g_cancellable_new ();

  refresh (names, &run, cancellable);
  porthole_test_spin (100);
  g_cancellable_cancel (cancellable);
  ck_assert (porthole_test_wait_for (&run.done, slow (300)));
  ck_assert (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  ck_assert_ptr_null (porthole_container_names_get_problem (names));
  ck_assert_uint_eq (run.problems, 0);
  ck_assert_uint_eq (run.changed, 0);

  /* Cancelled before it starts: answered at once, from the main loop */
  g_cancellable_cancel (early);
  refresh (names, &run, early);
  ck_assert (!run.done);
  ck_assert (porthole_test_wait_for (&run.done, slow (300)));
  ck_assert (g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&run.error);
  server_stop (docker);
}
END_TEST

/* A socket this user may not write to; root may write anywhere, so as root only the sentence
 * is checked (test_problem_words) */
START_TEST (test_permission_denied)
{
  Run run = { 0 };
  Server *docker = server_new ("docker.sock", ANSWER, "[]", -1);
  g_autoptr(PortholeContainerNames) names = names_new ("docker.sock", NULL, NULL, &run);

  if (geteuid () == 0)
    {
      server_stop (docker);
      return;
    }
  ck_assert_int_eq (g_chmod (docker->path, 0), 0);
  refresh_and_wait (names, &run);
  ck_assert_uint_eq (docker->requests, 0);
  ck_assert_ptr_nonnull (strstr (porthole_container_names_get_problem (names),
                                 "permission denied on"));
  server_stop (docker);
}
END_TEST

/* The sentences for states the tests cannot stage as root (access() always passes) */
START_TEST (test_problem_words)
{
  g_autoptr(GError) denied = g_error_new (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "x");
  g_autoptr(GError) http = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP 500");
  g_autoptr(GPtrArray) infos = porthole_container_info_array_new ();
  g_autofree char *one = porthole_container_names_digest ("docker", "/d.sock", NULL, NULL, denied,
                                                          2000, 1024, infos);
  g_autofree char *two = porthole_container_names_digest ("podman", "/p.sock",
                                                          "/nonexistent/x.json",
                                                          NULL, http, 2000, 1024, infos);

  ck_assert_str_eq (one, "Docker does not let this user ask for container names "
                         "(permission denied on /d.sock)");
  ck_assert_str_eq (two, "Podman could not be asked for container names (/p.sock: HTTP 500)");
  ck_assert_uint_eq (infos->len, 0);
}
END_TEST

static Suite *
container_names_suite (void)
{
  Suite *s = suite_create ("container-names");
  TCase *tc = tcase_create ("container-names");

  tcase_set_timeout (tc, 60);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_docker);
  tcase_add_test (tc, test_lookup);
  tcase_add_test (tc, test_lookup_ambiguous);
  tcase_add_test (tc, test_both_runtimes);
  tcase_add_test (tc, test_podman_compat);
  tcase_add_test (tc, test_storage);
  tcase_add_test (tc, test_storage_and_api);
  tcase_add_test (tc, test_missing_sockets);
  tcase_add_test (tc, test_stale_socket);
  tcase_add_test (tc, test_hung);
  tcase_add_test (tc, test_junk);
  tcase_add_test (tc, test_junk_entries);
  tcase_add_test (tc, test_too_large);
  tcase_add_test (tc, test_too_large_declared);
  tcase_add_test (tc, test_hostile_names);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_cancel_all);
  tcase_add_test (tc, test_permission_denied);
  tcase_add_test (tc, test_problem_words);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (container_names_suite)
