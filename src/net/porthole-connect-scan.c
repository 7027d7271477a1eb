/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-connect-scan.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* Ports are handed to the threads in batches from one shared cursor. */
#define BATCH 64
/* The longest a thread sleeps in epoll_wait(): how quickly it notices a cancellation. */
#define MAX_WAIT_MS 50
/* File descriptors kept free for the rest of the process. */
#define FD_MARGIN 256

typedef struct {
  PortholeConnectScan *scan;
  GCancellable        *cancellable;
  struct sockaddr_storage address;
  socklen_t            address_len;
  guint16             *order;       /* every port to scan */
  guint                n_ports;
  gint                 cursor;      /* next index into order, atomic */
  gint                 error_code;  /* errno of a fatal error, atomic; 0 = none */
} Shared;

typedef struct {
  int     fd;       /* -1 when free */
  guint16 port;
  gint64  deadline;
} Slot;

typedef struct {
  Shared  *shared;
  guint    capacity;
  guint    rate;     /* this thread's share of the rate cap, 0 = none */
  GThread *thread;
  int      spare;    /* a socket whose connect was refused, ready for the next port, or -1 */
  /* Counted here and added to the shared totals now and then, not one atomic op per port */
  gint     done, open, closed, filtered;
} Worker;

/* How many results a thread gathers before it publishes them */
#define FLUSH_EVERY 256

typedef enum {
  OUTCOME_OPEN,
  OUTCOME_CLOSED,
  OUTCOME_FILTERED,
} Outcome;

guint
porthole_connect_scan_max_concurrency (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return 10000;
  if (limit.rlim_cur <= 2 * FD_MARGIN)
    return MAX (1, (guint) limit.rlim_cur / 4);
  return (guint) MIN (limit.rlim_cur - FD_MARGIN, 10000);
}

static Outcome
outcome_from_errno (int code)
{
  switch (code)
    {
    case 0:
      return OUTCOME_OPEN;
    case ECONNREFUSED:
      return OUTCOME_CLOSED;
    default:
      /* ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, EACCES, EPERM: no usable answer, as nmap counts */
      return OUTCOME_FILTERED;
    }
}

static void
flush_counts (Worker *worker)
{
  PortholeConnectScan *scan = worker->shared->scan;

  /* done last, so a reader never sees more ports done than counted in the other totals */
  g_atomic_int_add (&scan->open, worker->open);
  g_atomic_int_add (&scan->closed, worker->closed);
  g_atomic_int_add (&scan->filtered, worker->filtered);
  g_atomic_int_add (&scan->done, worker->done);
  worker->open = worker->closed = worker->filtered = worker->done = 0;
}

static void
record (Worker *worker, guint16 port, Outcome outcome)
{
  PortholeConnectScan *scan = worker->shared->scan;

  switch (outcome)
    {
    case OUTCOME_OPEN:
      worker->open++;
      if (scan->on_open != NULL)
        scan->on_open (port, scan->user_data);
      break;
    case OUTCOME_CLOSED:
      worker->closed++;
      break;
    case OUTCOME_FILTERED:
    default:
      worker->filtered++;
      break;
    }
  if (++worker->done >= FLUSH_EVERY || outcome == OUTCOME_OPEN)
    flush_counts (worker);
}

static void
close_socket (int fd, Outcome outcome)
{
  if (outcome == OUTCOME_OPEN)
    {
      /* Reset instead of FIN: no TIME_WAIT left behind for each open port found */
      struct linger reset = { .l_onoff = 1, .l_linger = 0 };
      setsockopt (fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
  close (fd);
}

/* Scanning this machine, the kernel may pick the scanned port itself as the source port: the
 * socket then connects to itself (TCP simultaneous open), which is not a listener. */
static gboolean
is_self_connect (int fd)
{
  struct sockaddr_storage local, peer;
  socklen_t local_len = sizeof local, peer_len = sizeof peer;

  if (getsockname (fd, (struct sockaddr *) &local, &local_len) != 0 ||
      getpeername (fd, (struct sockaddr *) &peer, &peer_len) != 0)
    return FALSE;
  return local_len == peer_len && memcmp (&local, &peer, local_len) == 0;
}

static void
set_port (struct sockaddr_storage *address, guint16 port)
{
  if (address->ss_family == AF_INET6)
    ((struct sockaddr_in6 *) address)->sin6_port = g_htons (port);
  else
    ((struct sockaddr_in *) address)->sin_port = g_htons (port);
}

typedef enum {
  START_DONE,      /* answered at once (or failed for good): recorded */
  START_PENDING,   /* in flight: @slot holds it */
  START_RETRY,     /* out of descriptors or local ports for now: try again later */
  START_FATAL,     /* sockets cannot be made at all */
} StartResult;

static StartResult
start_connect (Worker *worker, struct sockaddr_storage *address, guint16 port, Slot *slot,
               int epoll_fd)
{
  Shared *shared = worker->shared;
  struct epoll_event event = { .events = EPOLLOUT };
  int fd = worker->spare;

  worker->spare = -1;
  set_port (address, port);
  /* A refused socket is back in CLOSE with its local port released: connecting it again saves
   * a socket() and a close() per closed port, most of a full scan's system calls */
  if (fd >= 0 && connect (fd, (struct sockaddr *) address, shared->address_len) != 0 &&
      errno != EINPROGRESS)
    {
      close (fd);
      fd = -1;
    }
  if (fd < 0)
    {
      fd = socket (address->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
      if (fd < 0)
        {
          if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            return START_RETRY;
          g_atomic_int_set (&shared->error_code, errno);
          return START_FATAL;
        }
      if (connect (fd, (struct sockaddr *) address, shared->address_len) == 0)
        errno = EISCONN;
    }
  else
    errno = EINPROGRESS;

  if (errno == EINPROGRESS)
    {
      /* On loopback (and any very near peer) the answer is already in when connect() returns:
       * a second connect() reports it in one call (0 once connected, ECONNREFUSED after a
       * reset, EALREADY while the SYN is out), which saves the epoll round trip per port */
      if (connect (fd, (struct sockaddr *) address, shared->address_len) == 0)
        errno = EISCONN;
      if (errno == EALREADY || errno == EINPROGRESS)
        {
          slot->fd = fd;
          slot->port = port;
          event.data.ptr = slot;
          if (epoll_ctl (epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0)
            return START_PENDING;
          slot->fd = -1;
          close (fd);
          return START_RETRY;
        }
      if (errno == ECONNREFUSED)
        {
          record (worker, port, OUTCOME_CLOSED);
          worker->spare = fd;
          return START_DONE;
        }
    }
  if (errno == EISCONN)
    {
      Outcome outcome = is_self_connect (fd) ? OUTCOME_CLOSED : OUTCOME_OPEN;

      record (worker, port, outcome);
      close_socket (fd, outcome);
      return START_DONE;
    }
  if (errno == EADDRNOTAVAIL || errno == EAGAIN)
    {
      /* Local ports used up for this peer: wait for some to be released */
      close (fd);
      return START_RETRY;
    }
  record (worker, port, outcome_from_errno (errno));
  close (fd);
  return START_DONE;
}

static void
finish_slot (Worker *worker, Slot *slot, Outcome outcome, guint *in_flight)
{
  record (worker, slot->port, outcome);
  close_socket (slot->fd, outcome);
  slot->fd = -1;
  (*in_flight)--;
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  Shared *shared = worker->shared;
  struct sockaddr_storage address = shared->address;   /* each thread writes its own port */
  g_autofree Slot *slots = g_new (Slot, worker->capacity);
  g_autofree struct epoll_event *events = g_new (struct epoll_event, worker->capacity);
  int epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  guint in_flight = 0, free_hint = 0, batch_pos = 0, batch_end = 0;
  gboolean exhausted = FALSE;
  gint64 start = g_get_monotonic_time ();
  guint64 started = 0;
  gint64 timeout_us = (gint64) shared->scan->timeout_ms * 1000;

  if (epoll_fd < 0)
    {
      g_atomic_int_set (&shared->error_code, errno);
      return NULL;
    }
  for (guint i = 0; i < worker->capacity; i++)
    slots[i].fd = -1;

  while (!g_cancellable_is_cancelled (shared->cancellable) &&
         g_atomic_int_get (&shared->error_code) == 0)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 wait_us = MAX_WAIT_MS * 1000;
      gboolean retry = FALSE;
      int n;

      /* Start connections until the thread's share of the concurrency is in flight */
      while (in_flight < worker->capacity && !exhausted)
        {
          StartResult result;
          Slot *slot;

          if (batch_pos == batch_end)
            {
              gint pos;

              /* On loopback the answers come inline and this loop may never wait: look for a
               * cancellation at each batch, not only around epoll_wait() */
              if (g_cancellable_is_cancelled (shared->cancellable))
                break;
              pos = g_atomic_int_add (&shared->cursor, BATCH);

              if ((guint) pos >= shared->n_ports)
                {
                  exhausted = TRUE;
                  break;
                }
              batch_pos = pos;
              batch_end = MIN ((guint) pos + BATCH, shared->n_ports);
            }
          if (worker->rate > 0)
            {
              guint64 allowed = (guint64) (now - start) * worker->rate / G_USEC_PER_SEC + 1;

              if (started >= allowed)
                {
                  wait_us = MIN (wait_us, (gint64) ((started + 1 - allowed) * G_USEC_PER_SEC /
                                                    worker->rate) + 1);
                  break;
                }
            }
          while (slots[free_hint].fd >= 0)
            free_hint = (free_hint + 1) % worker->capacity;
          slot = &slots[free_hint];
          result = start_connect (worker, &address, shared->order[batch_pos], slot, epoll_fd);
          if (result == START_RETRY)
            {
              retry = TRUE;
              break;
            }
          if (result == START_FATAL)
            break;
          if (result == START_PENDING)
            {
              slot->deadline = now + timeout_us;
              in_flight++;
            }
          batch_pos++;
          started++;
        }
      if (exhausted && in_flight == 0)
        break;
      if (retry && in_flight == 0)
        wait_us = MIN (wait_us, 10 * 1000);   /* nothing to wait for but time */

      for (guint i = 0; i < worker->capacity; i++)
        if (slots[i].fd >= 0)
          wait_us = MIN (wait_us, MAX (slots[i].deadline - now, 0));

      n = epoll_wait (epoll_fd, events, worker->capacity, (int) ((wait_us + 999) / 1000));
      for (int i = 0; i < n; i++)
        {
          Slot *slot = events[i].data.ptr;
          int code = 0;
          socklen_t len = sizeof code;

          if (getsockopt (slot->fd, SOL_SOCKET, SO_ERROR, &code, &len) != 0)
            code = errno;
          finish_slot (worker, slot,
                       code == 0 && is_self_connect (slot->fd) ? OUTCOME_CLOSED
                                                              : outcome_from_errno (code),
                       &in_flight);
        }

      /* No answer in time: filtered */
      now = g_get_monotonic_time ();
      for (guint i = 0; i < worker->capacity; i++)
        if (slots[i].fd >= 0 && slots[i].deadline <= now)
          finish_slot (worker, &slots[i], OUTCOME_FILTERED, &in_flight);
    }

  for (guint i = 0; i < worker->capacity; i++)
    if (slots[i].fd >= 0)
      close (slots[i].fd);
  if (worker->spare >= 0)
    close (worker->spare);
  worker->spare = -1;
  close (epoll_fd);
  flush_counts (worker);
  return NULL;
}

static gboolean
fill_address (PortholeConnectScan *scan, Shared *shared, GError **error)
{
  g_autoptr(GSocketAddress) socket_address =
    g_object_new (G_TYPE_INET_SOCKET_ADDRESS, "address", scan->address, "port", 1,
                  "scope-id", scan->scope_id, NULL);
  gssize len = g_socket_address_get_native_size (socket_address);

  if (len <= 0 || !g_socket_address_to_native (socket_address, &shared->address,
                                               sizeof shared->address, error))
    return FALSE;
  shared->address_len = (socklen_t) len;
  return TRUE;
}

gboolean
porthole_connect_scan_run (PortholeConnectScan  *scan,
                           GCancellable         *cancellable,
                           GError              **error)
{
  Shared shared = { .scan = scan, .cancellable = cancellable };
  const PortholePortSpan *spans;
  guint n_spans, threads, concurrency, k = 0;
  g_autofree Worker *workers = NULL;
  g_autofree guint16 *order = NULL;
  int code;

  g_return_val_if_fail (G_IS_INET_ADDRESS (scan->address), FALSE);
  g_return_val_if_fail (scan->ports != NULL, FALSE);

  if (!fill_address (scan, &shared, error))
    return FALSE;
  shared.n_ports = porthole_port_list_get_count (scan->ports);
  order = g_new (guint16, MAX (shared.n_ports, 1));
  spans = porthole_port_list_get_spans (scan->ports, &n_spans);
  for (guint i = 0; i < n_spans; i++)
    for (guint port = spans[i].start; port <= spans[i].end; port++)
      order[k++] = (guint16) port;
  shared.order = order;

  concurrency = CLAMP (scan->concurrency, 1, porthole_connect_scan_max_concurrency ());
  threads = scan->threads != 0 ? scan->threads : CLAMP (g_get_num_processors (), 1, 4);
  threads = CLAMP (threads, 1, concurrency);
  if (scan->rate > 0)
    threads = CLAMP (threads, 1, scan->rate);
  workers = g_new0 (Worker, threads);
  for (guint i = 0; i < threads; i++)
    {
      workers[i].shared = &shared;
      workers[i].spare = -1;
      workers[i].capacity = concurrency / threads + (i < concurrency % threads ? 1 : 0);
      workers[i].rate = scan->rate / threads + (i < scan->rate % threads ? 1 : 0);
    }
  for (guint i = 1; i < threads; i++)
    workers[i].thread = g_thread_new ("porthole-scan", worker_main, &workers[i]);
  worker_main (&workers[0]);
  for (guint i = 1; i < threads; i++)
    g_thread_join (workers[i].thread);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  code = g_atomic_int_get (&shared.error_code);
  if (code != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code),
                   _("Cannot make sockets for the scan: %s"), g_strerror (code));
      return FALSE;
    }
  return TRUE;
}
