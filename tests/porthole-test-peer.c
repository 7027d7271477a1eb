/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test-peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define JUNK_TOTAL (10 * 1024 * 1024)
/* No peer thread lives longer than this, whatever the client does */
#define PEER_LIMIT_MS 15000

static socklen_t
make_address (const char *address, struct sockaddr_storage *out)
{
  struct sockaddr_in *v4 = (struct sockaddr_in *) out;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *) out;

  memset (out, 0, sizeof *out);
  if (inet_pton (AF_INET, address, &v4->sin_addr) == 1)
    {
      v4->sin_family = AF_INET;
      return sizeof *v4;
    }
  g_assert (inet_pton (AF_INET6, address, &v6->sin6_addr) == 1);
  v6->sin6_family = AF_INET6;
  return sizeof *v6;
}

static guint16
port_of (const struct sockaddr_storage *address)
{
  if (address->ss_family == AF_INET6)
    return ntohs (((const struct sockaddr_in6 *) address)->sin6_port);
  return ntohs (((const struct sockaddr_in *) address)->sin_port);
}

/* A socket of @type bound to @address port 0, or -1 */
static int
bound (const char *address, int type, guint16 *port)
{
  struct sockaddr_storage sa;
  socklen_t len = make_address (address, &sa);
  int fd = socket (sa.ss_family, type | SOCK_CLOEXEC, 0);

  if (fd < 0 || bind (fd, (struct sockaddr *) &sa, len) != 0)
    {
      if (fd >= 0)
        close (fd);
      return -1;
    }
  len = sizeof sa;
  getsockname (fd, (struct sockaddr *) &sa, &len);
  *port = port_of (&sa);
  return fd;
}

int
porthole_test_bound_socket (const char *address, guint16 *port)
{
  int fd = bound (address, SOCK_STREAM, port);

  g_assert (fd >= 0);
  return fd;
}

int
porthole_test_bound_udp (const char *address, guint16 *port)
{
  int fd = bound (address, SOCK_DGRAM, port);

  g_assert (fd >= 0);
  return fd;
}

int
porthole_test_listener (const char *address, guint16 *port, int backlog)
{
  int fd = bound (address, SOCK_STREAM, port);

  g_assert (fd >= 0);
  g_assert (listen (fd, backlog) == 0);
  return fd;
}

/* Waits for a non-blocking connect; TRUE when it completed */
static gboolean
connected_within (int fd, int ms)
{
  struct pollfd p = { .fd = fd, .events = POLLOUT };
  int error = 0;
  socklen_t len = sizeof error;

  if (poll (&p, 1, ms) != 1)
    return FALSE;
  getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &len);
  return error == 0;
}

int
porthole_test_full_listener (const char *address, guint16 *port, int *fillers, guint n_fillers)
{
  int listener = porthole_test_listener (address, port, 0);
  struct sockaddr_storage sa;
  socklen_t len = make_address (address, &sa);
  gboolean full = FALSE;

  ((struct sockaddr_in *) &sa)->sin_port = htons (*port);   /* same offset in sockaddr_in6 */
  for (guint i = 0; i < n_fillers; i++)
    fillers[i] = -1;
  for (guint i = 0; i < n_fillers && !full; i++)
    {
      fillers[i] = socket (sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      g_assert (fillers[i] >= 0);
      if (connect (fillers[i], (struct sockaddr *) &sa, len) != 0)
        g_assert (errno == EINPROGRESS);
      /* The first connection that gets no answer shows the queue is full */
      full = !connected_within (fillers[i], 200);
    }
  g_assert (full);
  return listener;
}

void
porthole_test_close_all (int listener, int *fillers, guint n_fillers)
{
  for (guint i = 0; i < n_fillers; i++)
    if (fillers[i] >= 0)
      close (fillers[i]);
  close (listener);
}

guint
porthole_test_count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert (dir != NULL);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n - 1;   /* the directory's own descriptor */
}

guint
porthole_test_count_inet_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      struct sockaddr_storage ss;
      socklen_t len = sizeof ss;
      int fd = atoi (name);

      if (getsockname (fd, (struct sockaddr *) &ss, &len) == 0 &&
          (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
        n++;
    }
  return n;
}

char *
porthole_test_describe_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  GString *out = g_string_new (NULL);
  const char *name;

  g_assert (dir != NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      g_string_append_printf (out, "%s%s=%s", out->len > 0 ? " " : "", name,
                              target != NULL ? target : "?");
    }
  return g_string_free (out, FALSE);
}

typedef enum {
  WAIT_READABLE,
  WAIT_TIMEOUT,
  WAIT_STOP,
} WaitResult;

/* Waits up to @ms for @fd to be readable (or closed), or for the test to say stop */
static WaitResult
wait_fd (PortholeTestPeer *peer, int fd, int ms)
{
  struct pollfd p[2] = {
    { .fd = fd, .events = POLLIN },
    { .fd = peer->stop_pipe[0], .events = POLLIN },
  };

  if (poll (p, 2, ms) <= 0)
    return WAIT_TIMEOUT;
  if (p[1].revents & POLLIN)
    return WAIT_STOP;
  return WAIT_READABLE;
}

/* Returns when the client has closed, the test said stop, or the time limit passed */
static void
wait_for_close (PortholeTestPeer *peer, int fd)
{
  char buf[4096];
  gint64 end = g_get_monotonic_time () + PEER_LIMIT_MS * 1000;

  while (g_get_monotonic_time () < end)
    {
      WaitResult result = wait_fd (peer, fd, 100);
      ssize_t n;

      if (result == WAIT_STOP)
        return;
      if (result == WAIT_TIMEOUT)
        continue;
      n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN))
        return;
    }
}

static GBytes *
make_junk (void)
{
  static const char nasty[] = "\x1b[2J\x1b]0;owned\x07\x00\xc2\x85\xe2\x80\xae\xe2\x80\x8b\x7f\r";
  guint8 *chunk = g_malloc (64 * 1024);

  for (gsize i = 0; i < 64 * 1024; i++)
    chunk[i] = (i % 64 < sizeof nasty - 1) ? (guint8) nasty[i % 64] : (guint8) g_random_int ();
  return g_bytes_new_take (chunk, 64 * 1024);
}

static void
serve_tls (PortholeTestPeer *peer, int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (dup (fd), &error);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;

  g_assert (socket != NULL);
  g_socket_set_timeout (socket, 5);
  connection = g_socket_connection_factory_create_connection (socket);
  tls = g_tls_server_connection_new (G_IO_STREAM (connection), peer->certificate, &error);
  g_assert (tls != NULL);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error))
    peer->tls_error = g_strdup (error->message);
  wait_for_close (peer, fd);
  g_io_stream_close (tls, NULL, NULL);
}

static void
serve_udp (PortholeTestPeer *peer)
{
  struct sockaddr_storage from;
  socklen_t len = sizeof from;
  char buf[512];

  if (wait_fd (peer, peer->listen_fd, PEER_LIMIT_MS) == WAIT_READABLE &&
      recvfrom (peer->listen_fd, buf, sizeof buf, 0, (struct sockaddr *) &from, &len) >= 0)
    sendto (peer->listen_fd, "pong", 4, 0, (struct sockaddr *) &from, len);
}

static gpointer
peer_main (gpointer data)
{
  PortholeTestPeer *peer = data;
  struct sockaddr_storage client;
  socklen_t len = sizeof client;
  int fd;

  if (peer->mode == PORTHOLE_TEST_PEER_UDP_ECHO)
    {
      serve_udp (peer);
      return NULL;
    }
  if (wait_fd (peer, peer->listen_fd, PEER_LIMIT_MS) != WAIT_READABLE)
    return NULL;
  fd = accept4 (peer->listen_fd, (struct sockaddr *) &client, &len, SOCK_CLOEXEC);
  if (fd < 0)
    return NULL;
  g_mutex_lock (&peer->lock);
  peer->client_port = port_of (&client);
  peer->accepted = TRUE;
  g_cond_broadcast (&peer->cond);
  g_mutex_unlock (&peer->lock);

  switch (peer->mode)
    {
    case PORTHOLE_TEST_PEER_SEND:
      peer->sent = send (fd, g_bytes_get_data (peer->data, NULL), g_bytes_get_size (peer->data),
                         MSG_NOSIGNAL);
      break;
    case PORTHOLE_TEST_PEER_JUNK:
      {
        g_autoptr(GBytes) junk = make_junk ();
        struct timeval limit = { .tv_sec = 3 };

        setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
        while (peer->sent < JUNK_TOTAL)
          {
            ssize_t n = send (fd, g_bytes_get_data (junk, NULL), g_bytes_get_size (junk),
                              MSG_NOSIGNAL);
            if (n <= 0)
              break;
            peer->sent += n;
          }
        break;
      }
    case PORTHOLE_TEST_PEER_DRIP:
    case PORTHOLE_TEST_PEER_DRIP_LATE:
      for (int i = 0; i < 4; i++)
        {
          /* Stop dripping once the client spoke, left, or the test ended */
          if ((i > 0 || peer->mode == PORTHOLE_TEST_PEER_DRIP_LATE) &&
              wait_fd (peer, fd, 2000) != WAIT_TIMEOUT)
            break;
          if (send (fd, "x", 1, MSG_NOSIGNAL) != 1)
            break;
          peer->sent++;
        }
      break;
    case PORTHOLE_TEST_PEER_TLS:
      serve_tls (peer, fd);
      break;
    case PORTHOLE_TEST_PEER_SILENT:
    case PORTHOLE_TEST_PEER_UDP_ECHO:
    default:
      break;
    }
  wait_for_close (peer, fd);
  close (fd);
  return NULL;
}

static PortholeTestPeer *
peer_new (const char *address, PortholeTestPeerMode mode)
{
  PortholeTestPeer *peer = g_new0 (PortholeTestPeer, 1);
  int type = mode == PORTHOLE_TEST_PEER_UDP_ECHO ? SOCK_DGRAM : SOCK_STREAM;

  peer->mode = mode;
  peer->listen_fd = bound (address, type, &peer->port);
  if (peer->listen_fd < 0 || (type == SOCK_STREAM && listen (peer->listen_fd, 16) != 0))
    {
      if (peer->listen_fd >= 0)
        close (peer->listen_fd);
      g_free (peer);
      return NULL;
    }
  g_assert (pipe2 (peer->stop_pipe, O_CLOEXEC) == 0);
  g_mutex_init (&peer->lock);
  g_cond_init (&peer->cond);
  return peer;
}

PortholeTestPeer *
porthole_test_peer_start (const char *address, PortholeTestPeerMode mode, GBytes *data)
{
  PortholeTestPeer *peer = peer_new (address, mode);

  if (peer == NULL)
    return NULL;
  peer->data = data != NULL ? g_bytes_ref (data) : NULL;
  peer->thread = g_thread_new ("test-peer", peer_main, peer);
  return peer;
}

PortholeTestPeer *
porthole_test_peer_start_tls (const char *address, GTlsCertificate *certificate)
{
  PortholeTestPeer *peer = peer_new (address, PORTHOLE_TEST_PEER_TLS);

  if (peer == NULL)
    return NULL;
  peer->certificate = g_object_ref (certificate);
  peer->thread = g_thread_new ("test-peer", peer_main, peer);
  return peer;
}

gboolean
porthole_test_peer_wait_accepted (PortholeTestPeer *peer, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean accepted;

  g_mutex_lock (&peer->lock);
  while (!peer->accepted && g_cond_wait_until (&peer->cond, &peer->lock, end))
    ;
  accepted = peer->accepted;
  g_mutex_unlock (&peer->lock);
  return accepted;
}

gsize
porthole_test_peer_stop (PortholeTestPeer *peer)
{
  gsize sent;

  g_assert (write (peer->stop_pipe[1], "x", 1) == 1);
  g_thread_join (peer->thread);
  sent = peer->sent;
  close (peer->listen_fd);
  close (peer->stop_pipe[0]);
  close (peer->stop_pipe[1]);
  g_clear_pointer (&peer->data, g_bytes_unref);
  g_clear_object (&peer->certificate);
  g_free (peer->tls_error);
  g_mutex_clear (&peer->lock);
  g_cond_clear (&peer->cond);
  g_free (peer);
  return sent;
}
