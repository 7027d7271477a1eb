/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-sockdiag.h"

#include "porthole-net-error.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The kernel fills at most 32 KiB per read of a dump (netlink_dump() caps max_recvmsg_len);
 * a larger buffer costs nothing and MSG_TRUNC is checked anyway. */
#define RECV_BUFFER_SIZE (256 * 1024)
#define MAX_ATTEMPTS 5
/* A kernel that never finishes a dump becomes an error instead of a hang */
#define RECV_TIMEOUT_SECONDS 10

static gboolean
errno_is_refusal (int err)
{
  return err == EPERM || err == EACCES || err == EPROTONOSUPPORT || err == ENOENT ||
         err == EAFNOSUPPORT;
}

static void
set_errno_error (GError **error, int err, const char *what)
{
  g_set_error (error, PORTHOLE_NET_ERROR,
               errno_is_refusal (err) ? PORTHOLE_NET_ERROR_REFUSED : PORTHOLE_NET_ERROR_FAILED,
               "%s: %s", what, g_strerror (err));
}

/* Netlink carries -errno; a hostile or corrupt buffer may hold INT_MIN, whose negation
 * overflows. Anything outside the kernel's errno range (MAX_ERRNO 4095) becomes EPROTO. */
static int
errno_from_netlink (int err)
{
  if (err < -4095 || err > 4095)
    return EPROTO;
  return err < 0 ? -err : err;
}

/* Reads one field of struct tcp_info at @offset only when the attribute's @len holds all of it.
 * The struct grows with the kernel (104 bytes in 2.6, 232 in 6.1, 280 in 6.18), only ever appended
 * to, so the offsets in our headers are right for every kernel while their sizeof is not: an
 * older kernel sends less, a newer one more (the rest is ignored). */
static gboolean
tcp_info_u32 (const guint8 *p, gsize len, gsize offset, guint32 *out)
{
  if (offset + sizeof *out > len)
    return FALSE;
  memcpy (out, p + offset, sizeof *out);
  return TRUE;
}

static gboolean
tcp_info_u64 (const guint8 *p, gsize len, gsize offset, guint64 *out)
{
  if (offset + sizeof *out > len)
    return FALSE;
  memcpy (out, p + offset, sizeof *out);
  return TRUE;
}

#define TCP_INFO_TAKE(size, tcpi, member, bit)                                                 \
  G_STMT_START {                                                                               \
    G_STATIC_ASSERT (sizeof (((struct tcp_info *) NULL)->tcpi) == sizeof (info->member));       \
    if (tcp_info_##size (p, len, offsetof (struct tcp_info, tcpi), &info->member))             \
      info->tcp_info_fields |= (bit);                                                          \
  } G_STMT_END

/* INET_DIAG_INFO of a TCP socket. A second one in the same message replaces the first. */
static void
parse_tcp_info (const guint8 *p, gsize len, PortholeSockInfo *info)
{
  porthole_sockinfo_forget_tcp_info (info);
  info->flags |= PORTHOLE_SOCKINFO_HAS_TCP_INFO;
  info->tcp_info_len = (guint32) len;

  TCP_INFO_TAKE (u32, tcpi_last_data_sent, last_data_sent_ms, PORTHOLE_TCP_INFO_LAST_DATA_SENT);
  TCP_INFO_TAKE (u32, tcpi_last_data_recv, last_data_recv_ms, PORTHOLE_TCP_INFO_LAST_DATA_RECV);
  TCP_INFO_TAKE (u32, tcpi_rtt, rtt_us, PORTHOLE_TCP_INFO_RTT);
  TCP_INFO_TAKE (u32, tcpi_rttvar, rttvar_us, PORTHOLE_TCP_INFO_RTTVAR);
  TCP_INFO_TAKE (u32, tcpi_snd_cwnd, snd_cwnd, PORTHOLE_TCP_INFO_SND_CWND);
  TCP_INFO_TAKE (u32, tcpi_total_retrans, total_retrans, PORTHOLE_TCP_INFO_TOTAL_RETRANS);
  TCP_INFO_TAKE (u64, tcpi_bytes_acked, bytes_acked, PORTHOLE_TCP_INFO_BYTES_ACKED);
  TCP_INFO_TAKE (u64, tcpi_bytes_received, bytes_received, PORTHOLE_TCP_INFO_BYTES_RECEIVED);
  TCP_INFO_TAKE (u32, tcpi_segs_out, segs_out, PORTHOLE_TCP_INFO_SEGS_OUT);
  TCP_INFO_TAKE (u32, tcpi_segs_in, segs_in, PORTHOLE_TCP_INFO_SEGS_IN);
  TCP_INFO_TAKE (u64, tcpi_delivery_rate, delivery_rate, PORTHOLE_TCP_INFO_DELIVERY_RATE);
  TCP_INFO_TAKE (u64, tcpi_bytes_sent, bytes_sent, PORTHOLE_TCP_INFO_BYTES_SENT);
  TCP_INFO_TAKE (u64, tcpi_bytes_retrans, bytes_retrans, PORTHOLE_TCP_INFO_BYTES_RETRANS);

  /* Before Linux 4.19 the bytes acknowledged are the closest count of the bytes sent */
  if (!(info->tcp_info_fields & PORTHOLE_TCP_INFO_BYTES_SENT))
    info->bytes_sent = info->bytes_acked;
}

#undef TCP_INFO_TAKE

/* Walks the rtattr list after the fixed message. Read are INET_DIAG_SKV6ONLY (it tells a
 * dual-stack [::] listener, which also takes IPv4, from a v6-only one), INET_DIAG_PROTOCOL (the
 * destroy broadcasts name their protocol there, a dump's request names it instead) and, for
 * TCP, INET_DIAG_INFO (the counters; the last one wins). A list that does not add up means the
 * message cannot be trusted. *@protocol is the caller's, or 0 to take the attribute's; it is
 * read only after the whole list, so the order of the attributes does not matter. */
static gboolean
check_attributes (const guint8 *p, gsize len, guint8 *protocol, PortholeSockInfo *info,
                  GError **error)
{
  const guint8 *tcp_info = NULL;
  gsize tcp_info_len = 0;
  gboolean protocol_known = *protocol != 0;
  guint index = 0;

  while (len > 0)
    {
      struct rtattr rta;
      gsize step;

      if (len < sizeof rta)
        {
          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                       "sock_diag attribute %u: %" G_GSIZE_FORMAT " stray bytes", index, len);
          return FALSE;
        }
      memcpy (&rta, p, sizeof rta);
      if (rta.rta_len < sizeof rta || rta.rta_len > len)
        {
          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                       "sock_diag attribute %u (type %u) has bad length %u (%" G_GSIZE_FORMAT
                       " bytes left)", index, rta.rta_type, rta.rta_len, len);
          return FALSE;
        }
      if (rta.rta_type == INET_DIAG_SKV6ONLY && rta.rta_len >= RTA_LENGTH (1))
        {
          info->flags |= PORTHOLE_SOCKINFO_V6ONLY_KNOWN;
          if (p[RTA_LENGTH (0)] != 0)
            info->flags |= PORTHOLE_SOCKINFO_V6ONLY;
        }
      else if (rta.rta_type == INET_DIAG_PROTOCOL && !protocol_known &&
               rta.rta_len >= RTA_LENGTH (1))
        *protocol = p[RTA_LENGTH (0)];
      else if (rta.rta_type == INET_DIAG_INFO)
        {
          tcp_info = p + RTA_LENGTH (0);
          tcp_info_len = rta.rta_len - RTA_LENGTH (0);
        }
      step = MIN ((gsize) RTA_ALIGN (rta.rta_len), len);
      p += step;
      len -= step;
      index++;
    }
  /* UDP has no struct tcp_info: such an attribute in a UDP message is not trusted */
  if (tcp_info != NULL && *protocol == IPPROTO_TCP)
    parse_tcp_info (tcp_info, tcp_info_len, info);
  return TRUE;
}

/* Returns FALSE on a malformed message; *@ok is FALSE for a row to skip. */
static gboolean
parse_diag_msg (const guint8     *payload,
                gsize             len,
                guint8            protocol,
                PortholeSockInfo *info,
                gboolean         *ok,
                GError          **error)
{
  struct inet_diag_msg msg;
  gsize fixed = NLMSG_ALIGN (sizeof msg);

  *ok = FALSE;
  if (len < sizeof msg)
    {
      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                   "sock_diag message too short: %" G_GSIZE_FORMAT " bytes", len);
      return FALSE;
    }
  memcpy (&msg, payload, sizeof msg);
  memset (info, 0, sizeof *info);
  if (len > fixed && !check_attributes (payload + fixed, len - fixed, &protocol, info, error))
    return FALSE;
  if (msg.idiag_family != AF_INET && msg.idiag_family != AF_INET6)
    return TRUE;
  /* A broadcast without INET_DIAG_PROTOCOL, or naming another protocol (a newer kernel may
   * broadcast more): not a row of ours */
  if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
    return TRUE;

  info->protocol = protocol;
  info->family = msg.idiag_family;
  info->state = msg.idiag_state;
  info->local_port = g_ntohs (msg.id.idiag_sport);
  info->remote_port = g_ntohs (msg.id.idiag_dport);
  memcpy (info->local_addr, msg.id.idiag_src, msg.idiag_family == AF_INET6 ? 16 : 4);
  memcpy (info->remote_addr, msg.id.idiag_dst, msg.idiag_family == AF_INET6 ? 16 : 4);
  info->ifindex = msg.id.idiag_if;
  info->uid = msg.idiag_uid;
  info->inode = msg.idiag_inode;
  info->rx_queue = msg.idiag_rqueue;
  info->tx_queue = msg.idiag_wqueue;
  *ok = TRUE;
  return TRUE;
}

gboolean
porthole_sockdiag_parse (const guint8 *buf,
                         gsize         len,
                         guint8        protocol,
                         GArray       *out,
                         gboolean     *done,
                         gboolean     *interrupted,
                         GError      **error)
{
  guint initial;
  gsize off = 0;

  g_return_val_if_fail (buf != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  initial = out->len;
  if (done)
    *done = FALSE;
  if (interrupted)
    *interrupted = FALSE;

  while (off < len)
    {
      struct nlmsghdr h;
      const guint8 *payload;
      gsize payload_len;

      if (len - off < sizeof h)
        {
          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                       "truncated netlink header at offset %" G_GSIZE_FORMAT, off);
          goto fail;
        }
      memcpy (&h, buf + off, sizeof h);
      if (h.nlmsg_len < sizeof h || h.nlmsg_len > len - off)
        {
          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                       "netlink message at offset %" G_GSIZE_FORMAT " has length %u, "
                       "%" G_GSIZE_FORMAT " bytes available", off, h.nlmsg_len, len - off);
          goto fail;
        }
      payload = buf + off + NLMSG_HDRLEN;
      payload_len = h.nlmsg_len > NLMSG_HDRLEN ? h.nlmsg_len - NLMSG_HDRLEN : 0;

      if ((h.nlmsg_flags & NLM_F_DUMP_INTR) && interrupted)
        *interrupted = TRUE;

      switch (h.nlmsg_type)
        {
        case NLMSG_DONE:
          {
            int err = 0;

            /* The kernel ends a dump that failed part-way with the error in NLMSG_DONE */
            if (payload_len >= sizeof err)
              memcpy (&err, payload, sizeof err);
            if (err < 0)
              {
                set_errno_error (error, errno_from_netlink (err), "sock_diag dump");
                goto fail;
              }
            if (done)
              *done = TRUE;
            return TRUE;
          }

        case NLMSG_ERROR:
          {
            int err;

            if (payload_len < sizeof err)
              {
                g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                             "truncated netlink error message");
                goto fail;
              }
            memcpy (&err, payload, sizeof err);
            if (err == 0) /* an acknowledgement */
              break;
            set_errno_error (error, errno_from_netlink (err), "sock_diag");
            goto fail;
          }

        case NLMSG_OVERRUN:
          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_FAILED,
                       "sock_diag: netlink overrun");
          goto fail;

        case SOCK_DIAG_BY_FAMILY:
          {
            PortholeSockInfo info;
            gboolean ok;

            if (!parse_diag_msg (payload, payload_len, protocol, &info, &ok, error))
              goto fail;
            if (ok)
              g_array_append_val (out, info);
            break;
          }

        default: /* NLMSG_NOOP and anything newer */
          break;
        }

      off += MIN ((gsize) NLMSG_ALIGN (h.nlmsg_len), len - off);
    }
  return TRUE;

fail:
  g_array_set_size (out, initial);
  return FALSE;
}

/* One dump request, read to NLMSG_DONE. */
static gboolean
dump_one (int        fd,
          guint8    *buf,
          guint8     family,
          guint8     protocol,
          guint32    states,
          guint8     ext,
          guint32    seq,
          GArray    *out,
          gboolean  *interrupted,
          GError   **error)
{
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 req;
  } request;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  gboolean done = FALSE;

  memset (&request, 0, sizeof request);
  request.nlh.nlmsg_len = sizeof request;
  request.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.nlh.nlmsg_seq = seq;
  request.req.sdiag_family = family;
  request.req.sdiag_protocol = protocol;
  request.req.idiag_states = states;
  request.req.idiag_ext = ext;

  *interrupted = FALSE;
  while (sendto (fd, &request, sizeof request, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    {
      if (errno != EINTR)
        {
          set_errno_error (error, errno, "sock_diag request");
          return FALSE;
        }
    }

  while (!done)
    {
      struct iovec iov = { buf, RECV_BUFFER_SIZE };
      struct msghdr mh = { 0 };
      gboolean intr = FALSE;
      ssize_t n;

      mh.msg_name = &kernel;
      mh.msg_namelen = sizeof kernel;
      mh.msg_iov = &iov;
      mh.msg_iovlen = 1;
      n = recvmsg (fd, &mh, 0);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          set_errno_error (error, errno, "sock_diag read");
          return FALSE;
        }
      if (n == 0 || (mh.msg_flags & MSG_TRUNC))
        {
          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_MALFORMED,
                       n == 0 ? "sock_diag: empty read" : "sock_diag: message truncated");
          return FALSE;
        }
      if (!porthole_sockdiag_parse (buf, (gsize) n, protocol, out, &done, &intr, error))
        return FALSE;
      *interrupted |= intr;
    }
  return TRUE;
}

gboolean
porthole_sockdiag_dump (PortholeDumpFlags flags,
                        GArray           *out,
                        GError          **error)
{
  static const struct {
    guint8 family;
    guint8 protocol;
    PortholeDumpFlags need;
  } tables[] = {
    { AF_INET, IPPROTO_TCP, PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV4 },
    { AF_INET6, IPPROTO_TCP, PORTHOLE_DUMP_TCP | PORTHOLE_DUMP_IPV6 },
    { AF_INET, IPPROTO_UDP, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV4 },
    { AF_INET6, IPPROTO_UDP, PORTHOLE_DUMP_UDP | PORTHOLE_DUMP_IPV6 },
  };
  struct timeval timeout = { RECV_TIMEOUT_SECONDS, 0 };
  g_autofree guint8 *buf = NULL;
  guint initial;
  guint32 seq = 1;
  int fd;

  g_return_val_if_fail (out != NULL, FALSE);

  fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0)
    {
      set_errno_error (error, errno, "sock_diag socket");
      return FALSE;
    }
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  buf = g_malloc (RECV_BUFFER_SIZE);
  initial = out->len;
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      guint32 states = G_MAXUINT32;
      gboolean interrupted = TRUE;
      guint8 ext = 0;

      if ((flags & tables[i].need) != tables[i].need)
        continue;
      /* The kernel filters by state, as porthole_sockinfo_matches() would: TCP listeners, and
       * UDP sockets that are not connected (UDP is only ever ESTABLISHED or CLOSE) */
      if (!(flags & PORTHOLE_DUMP_ALL_STATES))
        states = tables[i].protocol == IPPROTO_TCP ? 1u << PORTHOLE_TCP_LISTEN
                                                   : ~(1u << PORTHOLE_TCP_ESTABLISHED);
      /* The TCP counters (struct tcp_info). UDP's queues are in inet_diag_msg already:
       * INET_DIAG_MEMINFO would repeat them, and UDP keeps no byte counters. */
      if (tables[i].protocol == IPPROTO_TCP && !(flags & PORTHOLE_DUMP_NO_TCP_INFO))
        ext |= 1u << (INET_DIAG_INFO - 1);

      /* NLM_F_DUMP_INTR: the table changed while it was walked, so rows may be missing or
       * doubled; read the whole table again. */
      for (guint attempt = 0; interrupted && attempt < MAX_ATTEMPTS; attempt++)
        {
          guint start = out->len;

          if (!dump_one (fd, buf, tables[i].family, tables[i].protocol, states, ext, seq++,
                         out, &interrupted, error))
            goto fail;
          if (interrupted)
            g_array_set_size (out, start);
        }
      if (interrupted)
        {
          g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INTERRUPTED,
                       "sock_diag: the socket table kept changing during %d dumps",
                       MAX_ATTEMPTS);
          goto fail;
        }
    }
  close (fd);
  return TRUE;

fail:
  g_array_set_size (out, initial);
  close (fd);
  return FALSE;
}
