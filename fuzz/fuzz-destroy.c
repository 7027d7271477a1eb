/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The destroy watch's path from a broadcast to its bounded store (porthole-destroy-store.h):
 * porthole_destroy_parse_message() on each message, porthole_destroy_store_add() on each row,
 * and a take part-way and at the end. Input: byte 0 the row cap (0-7), byte 1 the summary cap
 * (0-3), then messages, each a little-endian u16 length and that many bytes (the last one cut
 * short by the input is taken as it is). Promises: TCP rows only, with the store's netns; the
 * caps hold; every close parsed is accounted for once (rows + summaries + dropped) with its
 * payload bytes; a summary per endpoint; a malformed message counted and nothing else kept. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-destroy-store.h"

#include <string.h>

#define NETNS 0x5eed

typedef struct {
  guint64 closes, sent, received, malformed;
} Totals;

static void
account (PortholeDestroyBatch *b, guint max_rows, guint max_summaries, Totals *t)
{
  porthole_fuzz_assert (b->rows->len <= max_rows);
  porthole_fuzz_assert (b->summaries->len <= max_summaries);
  porthole_fuzz_assert (b->overflows == 0);
  /* summaries start only once the rows are full, drops only once the summaries are */
  porthole_fuzz_assert (b->summaries->len == 0 || b->rows->len == max_rows);
  porthole_fuzz_assert (b->dropped == 0 || b->summaries->len == max_summaries);
  for (guint i = 0; i < b->rows->len; i++)
    {
      const PortholeSockInfo *r = &g_array_index (b->rows, PortholeSockInfo, i);

      porthole_fuzz_assert (r->protocol == IPPROTO_TCP && r->netns == NETNS);
      porthole_fuzz_assert (r->family == AF_INET || r->family == AF_INET6);
      t->sent += porthole_sockinfo_payload_sent (r);
      t->received += porthole_sockinfo_payload_received (r);
    }
  for (guint i = 0; i < b->summaries->len; i++)
    {
      const PortholeDestroySummary *s = &g_array_index (b->summaries, PortholeDestroySummary, i);

      porthole_fuzz_assert (s->closes > 0 && s->netns == NETNS && s->protocol == IPPROTO_TCP);
      for (guint j = 0; j < i; j++)
        {
          const PortholeDestroySummary *o =
            &g_array_index (b->summaries, PortholeDestroySummary, j);

          porthole_fuzz_assert (o->family != s->family || o->local_port != s->local_port ||
                                memcmp (o->local_addr, s->local_addr, 16) != 0);
        }
      t->sent += s->payload_sent;
      t->received += s->payload_received;
    }
  t->sent += b->dropped_payload_sent;
  t->received += b->dropped_payload_received;
  t->closes += porthole_destroy_batch_closes (b);
  t->malformed += b->malformed;
}

int
porthole_fuzz_destroy (const guint8 *data, gsize size)
{
  guint max_rows = size > 0 ? data[0] % 8 : 0;
  guint max_summaries = size > 1 ? data[1] % 4 : 0;
  PortholeDestroyStore *store = porthole_destroy_store_new (max_rows, max_summaries);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  Totals expected = { 0 }, got = { 0 };
  gsize off = MIN (size, 2);
  guint n_messages = 0;

  while (off < size)
    {
      gsize len = data[off] | (off + 1 < size ? data[off + 1] << 8 : 0);
      g_autofree guint8 *msg = NULL;

      off = MIN (size, off + 2);
      len = MIN (len, size - off);
      /* exact size, so that one byte too far is an ASan report */
      msg = porthole_fuzz_copy (data + off, len, 0);
      off += len;

      g_array_set_size (rows, 0);
      if (!porthole_destroy_parse_message (msg, len, NETNS, rows))
        {
          porthole_fuzz_assert (rows->len == 0);
          porthole_destroy_store_count_malformed (store, 1);
          expected.malformed++;
        }
      for (guint i = 0; i < rows->len; i++)
        {
          const PortholeSockInfo *r = &g_array_index (rows, PortholeSockInfo, i);

          expected.closes++;
          expected.sent += porthole_sockinfo_payload_sent (r);
          expected.received += porthole_sockinfo_payload_received (r);
          porthole_destroy_store_add (store, r);
        }
      /* a take part-way: the store starts over, summaries index included */
      if (++n_messages == 2)
        {
          g_autoptr(PortholeDestroyBatch) b = porthole_destroy_store_take (store);

          account (b, max_rows, max_summaries, &got);
        }
    }
  {
    g_autoptr(PortholeDestroyBatch) b = porthole_destroy_store_take (store);

    account (b, max_rows, max_summaries, &got);
  }
  porthole_fuzz_assert (got.closes == expected.closes);
  porthole_fuzz_assert (got.sent == expected.sent);
  porthole_fuzz_assert (got.received == expected.received);
  porthole_fuzz_assert (got.malformed == expected.malformed);
  porthole_destroy_store_free (store);
  return 0;
}
