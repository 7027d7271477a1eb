/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_sockdiag_parse(): the netlink message and attribute walker, fed one recvmsg()
 * buffer. It stays inside the buffer whatever the lengths say, fails with an error and no
 * partial rows, or succeeds with at most one row per inet_diag_msg that fits. The struct
 * tcp_info parser behind it takes a counter only when its attribute held all of it: a row's
 * counters are known only with their bits, and 0 otherwise; UDP rows have none. With protocol
 * 0 (the destroy broadcasts) each row's protocol is its message's INET_DIAG_PROTOCOL, TCP or UDP. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-sockdiag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <string.h>

#define END_OF(field) \
  (offsetof (struct tcp_info, field) + sizeof (((struct tcp_info *) NULL)->field))

/* Each counter: known (its bit, and the attribute long enough for it) or 0 */
static void
check_counters (const PortholeSockInfo *r, guint8 protocol, gsize len)
{
  static const PortholeSockInfo zero = { 0 };
  const guint32 f = r->tcp_info_fields;

#define CHECK(bit, tcpi, value)                                                     \
  porthole_fuzz_assert ((f & (bit)) ? r->tcp_info_len >= END_OF (tcpi) : (value) == 0)

  porthole_fuzz_assert ((f & ~(guint32) PORTHOLE_TCP_INFO_ALL_FIELDS) == 0);
  porthole_fuzz_assert (r->tcp_info_len <= len);
  if (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO) || protocol != IPPROTO_TCP)
    {
      porthole_fuzz_assert (!(r->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO));
      porthole_fuzz_assert (memcmp (&r->bytes_sent, &zero.bytes_sent,
                                    sizeof zero - offsetof (PortholeSockInfo, bytes_sent)) == 0);
      porthole_fuzz_assert (!porthole_sockinfo_has_tcp_info (r, 0));
      return;
    }
  CHECK (PORTHOLE_TCP_INFO_LAST_DATA_SENT, tcpi_last_data_sent, r->last_data_sent_ms);
  CHECK (PORTHOLE_TCP_INFO_LAST_DATA_RECV, tcpi_last_data_recv, r->last_data_recv_ms);
  CHECK (PORTHOLE_TCP_INFO_RTT, tcpi_rtt, r->rtt_us);
  CHECK (PORTHOLE_TCP_INFO_RTTVAR, tcpi_rttvar, r->rttvar_us);
  CHECK (PORTHOLE_TCP_INFO_SND_CWND, tcpi_snd_cwnd, r->snd_cwnd);
  CHECK (PORTHOLE_TCP_INFO_TOTAL_RETRANS, tcpi_total_retrans, r->total_retrans);
  CHECK (PORTHOLE_TCP_INFO_BYTES_ACKED, tcpi_bytes_acked, r->bytes_acked);
  CHECK (PORTHOLE_TCP_INFO_BYTES_RECEIVED, tcpi_bytes_received, r->bytes_received);
  CHECK (PORTHOLE_TCP_INFO_SEGS_OUT, tcpi_segs_out, r->segs_out);
  CHECK (PORTHOLE_TCP_INFO_SEGS_IN, tcpi_segs_in, r->segs_in);
  CHECK (PORTHOLE_TCP_INFO_DELIVERY_RATE, tcpi_delivery_rate, r->delivery_rate);
  CHECK (PORTHOLE_TCP_INFO_BYTES_RETRANS, tcpi_bytes_retrans, r->bytes_retrans);
  if (f & PORTHOLE_TCP_INFO_BYTES_SENT)
    porthole_fuzz_assert (r->tcp_info_len >= END_OF (tcpi_bytes_sent));
  else
    porthole_fuzz_assert (r->bytes_sent == r->bytes_acked);
  /* the struct only ever grew: a later field present means every earlier one is */
  porthole_fuzz_assert (f == 0 || (f & (f + 1)) == 0);
  porthole_fuzz_assert (porthole_sockinfo_has_tcp_info (r, f));
#undef CHECK
}

int
porthole_fuzz_sockdiag (const guint8 *data, gsize size)
{
  /* byte 0 mod 3: a TCP dump, a UDP dump, or each message's own INET_DIAG_PROTOCOL (0; the
   * destroy broadcasts) */
  static const guint8 protocols[] = { IPPROTO_TCP, IPPROTO_UDP, 0 };
  guint8 protocol = protocols[size > 0 ? data[0] % 3 : 0];
  gsize len = size > 0 ? size - 1 : 0;
  /* exact size, so that one byte too far is an ASan report */
  g_autofree guint8 *buf = porthole_fuzz_copy (data, size, 1);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  g_autoptr(GError) error = NULL;
  PortholeSockInfo sentinel = { 0 };
  gboolean done = 2, interrupted = 2;

  sentinel.inode = 0x5eed;
  g_array_append_val (rows, sentinel);

  if (porthole_sockdiag_parse (buf, len, protocol, rows, &done, &interrupted, &error))
    {
      porthole_fuzz_assert (error == NULL);
      porthole_fuzz_assert (done == TRUE || done == FALSE);
      porthole_fuzz_assert (interrupted == TRUE || interrupted == FALSE);
      porthole_fuzz_assert ((rows->len - 1) * (NLMSG_HDRLEN + sizeof (struct inet_diag_msg)) <= len);
      for (guint i = 1; i < rows->len; i++)
        {
          const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

          porthole_fuzz_assert (protocol != 0 ? r->protocol == protocol
                                              : r->protocol == IPPROTO_TCP ||
                                                r->protocol == IPPROTO_UDP);
          porthole_fuzz_assert (r->family == AF_INET || r->family == AF_INET6);
          check_counters (r, r->protocol, len);
        }
    }
  else
    {
      porthole_fuzz_assert (error != NULL && error->message != NULL);
      porthole_fuzz_assert (rows->len == 1);
    }
  porthole_fuzz_assert (g_array_index (rows, PortholeSockInfo, 0).inode == 0x5eed);
  return 0;
}
