/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-destroy-watch-private.h"

#include "porthole-net-error.h"

#include <gio/gio.h>

#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* One recvmmsg() takes up to this many broadcasts (each one message of about 400 bytes: the
 * inet_diag_msg, INET_DIAG_PROTOCOL and struct tcp_info, which grows with the kernel) */
#define BATCH 64
#define MESSAGE_SIZE 8192
/* What the socket may queue while the reader is behind. The kernel doubles it and counts each
 * message's whole buffer (about 1.3 KiB), so this holds some 12,000 closes; without root
 * SO_RCVBUF is capped at net.core.rmem_max (Debian's default: some 300 closes) and a storm may
 * overflow it: counted, not fatal. */
#define RCVBUF_BYTES (8 * 1024 * 1024)

struct _PortholeDestroyWatch {
  int                   fd;
  int                   stop_fd;   /* eventfd: written once by free() */
  guint64               netns;
  GThread              *thread;
  GMutex                lock;      /* guards store, error, paused and stopping */
  GCond                 resume;    /* paused or stopping changed */
  gboolean              paused;    /* tests only: the reader waits */
  gboolean              stopping;
  PortholeDestroyStore *store;
  GError               *error;     /* why the reader stopped, if it did */
  guint64               received;  /* closes since the watch was made */
  guint8               *buffers;   /* BATCH * MESSAGE_SIZE, the reader's alone */
};

static void
set_errno_error (GError **error, int err, const char *what)
{
  gboolean refused = err == EPERM || err == EACCES || err == EPROTONOSUPPORT ||
                     err == EAFNOSUPPORT || err == ENOENT || err == EINVAL;

  g_set_error (error, PORTHOLE_NET_ERROR,
               refused ? PORTHOLE_NET_ERROR_REFUSED : PORTHOLE_NET_ERROR_FAILED,
               "%s: %s", what, g_strerror (err));
}

/* Parses what one recvmmsg() returned, then takes the lock once for all of it */
static void
keep_messages (PortholeDestroyWatch *w, struct mmsghdr *msgs, int n, GArray *scratch)
{
  guint64 malformed = 0;

  g_array_set_size (scratch, 0);
  for (int i = 0; i < n; i++)
    {
      const struct sockaddr_nl *from = msgs[i].msg_hdr.msg_name;

      /* Only the kernel may send to these groups (the family does not let users send), but
       * a message that did not come from it (nl_pid 0) or did not fit is not trusted */
      if ((msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ||
          msgs[i].msg_hdr.msg_namelen < sizeof *from || from->nl_pid != 0 ||
          !porthole_destroy_parse_message (w->buffers + (gsize) i * MESSAGE_SIZE,
                                           msgs[i].msg_len, w->netns, scratch))
        malformed++;
    }
  g_mutex_lock (&w->lock);
  for (guint i = 0; i < scratch->len; i++)
    porthole_destroy_store_add (w->store, &g_array_index (scratch, PortholeSockInfo, i));
  w->received += scratch->len;
  if (malformed > 0)
    porthole_destroy_store_count_malformed (w->store, malformed);
  g_mutex_unlock (&w->lock);
}

/* Reads until the socket is empty. FALSE on an error that ends the reader. */
static gboolean
drain (PortholeDestroyWatch *w, GArray *scratch)
{
  struct sockaddr_nl names[BATCH];
  struct iovec iovs[BATCH];
  struct mmsghdr msgs[BATCH];

  for (;;)
    {
      int n;

      memset (msgs, 0, sizeof msgs);
      for (int i = 0; i < BATCH; i++)
        {
          iovs[i].iov_base = w->buffers + (gsize) i * MESSAGE_SIZE;
          iovs[i].iov_len = MESSAGE_SIZE;
          msgs[i].msg_hdr.msg_iov = &iovs[i];
          msgs[i].msg_hdr.msg_iovlen = 1;
          msgs[i].msg_hdr.msg_name = &names[i];
          msgs[i].msg_hdr.msg_namelen = sizeof names[i];
        }
      n = recvmmsg (w->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
      if (n > 0)
        {
          keep_messages (w, msgs, n, scratch);
          continue;
        }
      if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
        return TRUE;
      if (errno == EINTR)
        continue;
      if (errno == ENOBUFS)
        {
          /* The kernel dropped broadcasts for want of room; the socket goes on */
          g_mutex_lock (&w->lock);
          porthole_destroy_store_count_overflow (w->store);
          g_mutex_unlock (&w->lock);
          continue;
        }
      g_mutex_lock (&w->lock);
      set_errno_error (&w->error, errno, "sock_diag destroy events");
      g_mutex_unlock (&w->lock);
      return FALSE;
    }
}

static gpointer
reader (gpointer data)
{
  PortholeDestroyWatch *w = data;
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = w->fd, .events = POLLIN },
        { .fd = w->stop_fd, .events = POLLIN },
      };

      g_mutex_lock (&w->lock);
      while (w->paused && !w->stopping)
        g_cond_wait (&w->resume, &w->lock);
      g_mutex_unlock (&w->lock);
      if (poll (fds, G_N_ELEMENTS (fds), -1) < 0)
        {
          if (errno == EINTR)
            continue;
          g_mutex_lock (&w->lock);
          set_errno_error (&w->error, errno, "sock_diag destroy events: poll");
          g_mutex_unlock (&w->lock);
          break;
        }
      if (fds[1].revents != 0)
        break;
      /* POLLERR is how ENOBUFS shows: the read below reports and clears it */
      if (fds[0].revents != 0 && !drain (w, scratch))
        break;
    }
  return NULL;
}

/* Joins the destroy groups on @fd (which the watch then owns) and starts the reader */
static PortholeDestroyWatch *
watch_start (int fd, guint64 netns, int rcvbuf, GError **error)
{
  struct sockaddr_nl local = { .nl_family = AF_NETLINK };
  PortholeDestroyWatch *w;

  /* As root the cap does not apply; otherwise the kernel takes what rmem_max allows */
  if (rcvbuf < RCVBUF_BYTES ||
      setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  local.nl_groups = (1u << (SKNLGRP_INET_TCP_DESTROY - 1)) |
                    (1u << (SKNLGRP_INET6_TCP_DESTROY - 1));
  if (bind (fd, (struct sockaddr *) &local, sizeof local) < 0)
    {
      set_errno_error (error, errno, "sock_diag: joining the TCP destroy groups");
      close (fd);
      return NULL;
    }

  w = g_new0 (PortholeDestroyWatch, 1);
  w->fd = fd;
  w->netns = netns;
  g_mutex_init (&w->lock);
  g_cond_init (&w->resume);
  w->store = porthole_destroy_store_new (PORTHOLE_DESTROY_MAX_ROWS, PORTHOLE_DESTROY_MAX_SUMMARIES);
  w->buffers = g_malloc ((gsize) BATCH * MESSAGE_SIZE);
  w->stop_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (w->stop_fd < 0)
    {
      set_errno_error (error, errno, "eventfd");
      porthole_destroy_watch_free (w);
      return NULL;
    }
  w->thread = g_thread_try_new ("porthole-destroy", reader, w, error);
  if (w->thread == NULL)
    {
      porthole_destroy_watch_free (w);
      return NULL;
    }
  return w;
}

PortholeDestroyWatch *
porthole_destroy_watch_new_with_rcvbuf (int rcvbuf_bytes, GError **error)
{
  int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

  if (fd < 0)
    {
      set_errno_error (error, errno, "sock_diag socket");
      return NULL;
    }
  return watch_start (fd, 0, rcvbuf_bytes, error);
}

PortholeDestroyWatch *
porthole_destroy_watch_new (GError **error)
{
  return porthole_destroy_watch_new_with_rcvbuf (RCVBUF_BYTES, error);
}

PortholeDestroyWatch *
porthole_destroy_watch_new_in_netns (const char          *proc_root,
                                     const PortholeNetns *ns,
                                     GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  int fd;

  g_return_val_if_fail (ns != NULL, NULL);

  if (ns->own)
    return porthole_destroy_watch_new (error);
  fd = porthole_netns_socket (proc_root, ns, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
                              NETLINK_SOCK_DIAG, &local_error);
  if (fd < 0)
    {
      g_set_error (error, PORTHOLE_NET_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
                     ? PORTHOLE_NET_ERROR_REFUSED : PORTHOLE_NET_ERROR_FAILED,
                   "sock_diag destroy events: %s", local_error->message);
      return NULL;
    }
  return watch_start (fd, ns->id, RCVBUF_BYTES, error);
}

PortholeDestroyBatch *
porthole_destroy_watch_take (PortholeDestroyWatch *watch)
{
  PortholeDestroyBatch *batch;

  g_return_val_if_fail (watch != NULL, NULL);

  g_mutex_lock (&watch->lock);
  batch = porthole_destroy_store_take (watch->store);
  g_mutex_unlock (&watch->lock);
  return batch;
}

guint64
porthole_destroy_watch_get_received (PortholeDestroyWatch *watch)
{
  guint64 received;

  g_return_val_if_fail (watch != NULL, 0);

  g_mutex_lock (&watch->lock);
  received = watch->received;
  g_mutex_unlock (&watch->lock);
  return received;
}

gboolean
porthole_destroy_watch_is_running (PortholeDestroyWatch *watch, GError **error)
{
  gboolean running;

  g_return_val_if_fail (watch != NULL, FALSE);

  g_mutex_lock (&watch->lock);
  running = watch->error == NULL;
  if (!running && error != NULL)
    *error = g_error_copy (watch->error);
  g_mutex_unlock (&watch->lock);
  return running;
}

void
porthole_destroy_watch_set_paused (PortholeDestroyWatch *watch, gboolean paused)
{
  g_mutex_lock (&watch->lock);
  watch->paused = paused;
  g_cond_broadcast (&watch->resume);
  g_mutex_unlock (&watch->lock);
}

void
porthole_destroy_watch_free (PortholeDestroyWatch *watch)
{
  if (watch == NULL)
    return;
  if (watch->thread != NULL)
    {
      guint64 one = 1;

      g_mutex_lock (&watch->lock);
      watch->stopping = TRUE;
      g_cond_broadcast (&watch->resume);
      g_mutex_unlock (&watch->lock);

      /* An eventfd write of 1 cannot fail short of a counter at its maximum */
      while (write (watch->stop_fd, &one, sizeof one) < 0 && errno == EINTR)
        ;
      g_thread_join (watch->thread);
    }
  if (watch->stop_fd >= 0)
    close (watch->stop_fd);
  close (watch->fd);
  porthole_destroy_store_free (watch->store);
  g_clear_error (&watch->error);
  g_mutex_clear (&watch->lock);
  g_cond_clear (&watch->resume);
  g_free (watch->buffers);
  g_free (watch);
}
