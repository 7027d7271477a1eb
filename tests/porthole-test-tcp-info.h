/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-sockinfo.h"

#include <linux/tcp.h>
#include <stddef.h>

G_BEGIN_DECLS

/* Where each counter of struct tcp_info ends, from the kernel's own header (not the parser's
 * table, which the tests check): an attribute shorter than a field's end leaves it unknown. */
#define PORTHOLE_TEST_TCP_INFO_END_OF(field) \
  (offsetof (struct tcp_info, field) + sizeof (((struct tcp_info *) NULL)->field))

static const struct {
  PortholeTcpInfoFields bit;
  gsize                 end;
} porthole_test_tcp_info_fields[] = {
  { PORTHOLE_TCP_INFO_LAST_DATA_SENT, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_last_data_sent) },
  { PORTHOLE_TCP_INFO_LAST_DATA_RECV, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_last_data_recv) },
  { PORTHOLE_TCP_INFO_RTT, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_rtt) },
  { PORTHOLE_TCP_INFO_RTTVAR, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_rttvar) },
  { PORTHOLE_TCP_INFO_SND_CWND, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_snd_cwnd) },
  { PORTHOLE_TCP_INFO_TOTAL_RETRANS, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_total_retrans) },
  { PORTHOLE_TCP_INFO_BYTES_ACKED, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_bytes_acked) },
  { PORTHOLE_TCP_INFO_BYTES_RECEIVED, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_bytes_received) },
  { PORTHOLE_TCP_INFO_SEGS_OUT, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_segs_out) },
  { PORTHOLE_TCP_INFO_SEGS_IN, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_segs_in) },
  { PORTHOLE_TCP_INFO_DELIVERY_RATE, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_delivery_rate) },
  { PORTHOLE_TCP_INFO_BYTES_SENT, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_bytes_sent) },
  { PORTHOLE_TCP_INFO_BYTES_RETRANS, PORTHOLE_TEST_TCP_INFO_END_OF (tcpi_bytes_retrans) },
};

G_END_DECLS
