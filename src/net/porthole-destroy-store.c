/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-destroy-store.h"

#include "porthole-sockdiag.h"

#include <string.h>

struct _PortholeDestroyStore {
  guint    max_rows;
  guint    max_summaries;
  /* The summaries' index: open addressing over a fixed power-of-two table of summary index + 1
   * (0 empty), at most half full, so adding never allocates and taking is one memset */
  guint32 *slots;
  guint    n_slots;
  PortholeDestroyBatch *pending;
};

guint64
porthole_destroy_batch_closes (const PortholeDestroyBatch *batch)
{
  guint64 n;

  g_return_val_if_fail (batch != NULL, 0);

  n = batch->rows->len + batch->dropped;
  for (guint i = 0; i < batch->summaries->len; i++)
    n += g_array_index (batch->summaries, PortholeDestroySummary, i).closes;
  return n;
}

void
porthole_destroy_batch_free (PortholeDestroyBatch *batch)
{
  if (batch == NULL)
    return;
  g_array_unref (batch->rows);
  g_array_unref (batch->summaries);
  g_free (batch);
}

static PortholeDestroyBatch *
batch_new (void)
{
  PortholeDestroyBatch *batch = g_new0 (PortholeDestroyBatch, 1);

  batch->rows = g_array_new (FALSE, FALSE, sizeof (PortholeSockInfo));
  batch->summaries = g_array_new (FALSE, FALSE, sizeof (PortholeDestroySummary));
  return batch;
}

PortholeDestroyStore *
porthole_destroy_store_new (guint max_rows, guint max_summaries)
{
  PortholeDestroyStore *store = g_new0 (PortholeDestroyStore, 1);

  g_return_val_if_fail (max_summaries <= G_MAXUINT32 / 4, NULL);

  store->max_rows = max_rows;
  store->max_summaries = max_summaries;
  store->n_slots = 4;
  while (store->n_slots < 2 * max_summaries)
    store->n_slots *= 2;
  store->slots = g_new0 (guint32, store->n_slots);
  store->pending = batch_new ();
  return store;
}

void
porthole_destroy_store_free (PortholeDestroyStore *store)
{
  if (store == NULL)
    return;
  porthole_destroy_batch_free (store->pending);
  g_free (store->slots);
  g_free (store);
}

static gboolean
same_endpoint (const PortholeDestroySummary *s, const PortholeSockInfo *row)
{
  return s->netns == row->netns && s->protocol == row->protocol && s->family == row->family &&
         s->local_port == row->local_port &&
         memcmp (s->local_addr, row->local_addr, sizeof s->local_addr) == 0;
}

static guint
endpoint_hash (const PortholeSockInfo *row)
{
  guint32 h = 2166136261u;
  guint8 key[8 + 2 + 2 + 16];

  memcpy (key, &row->netns, 8);
  key[8] = row->protocol;
  key[9] = row->family;
  memcpy (key + 10, &row->local_port, 2);
  memcpy (key + 12, row->local_addr, 16);
  for (gsize i = 0; i < sizeof key; i++)
    h = (h ^ key[i]) * 16777619u;
  return h;
}

/* The summary of @row's endpoint, a new one if there is room, else NULL */
static PortholeDestroySummary *
find_summary (PortholeDestroyStore *store, const PortholeSockInfo *row)
{
  GArray *summaries = store->pending->summaries;
  guint mask = store->n_slots - 1;
  PortholeDestroySummary fresh = { 0 };

  for (guint i = endpoint_hash (row) & mask;; i = (i + 1) & mask)
    {
      guint32 slot = store->slots[i];

      if (slot == 0)
        {
          if (summaries->len >= store->max_summaries)
            return NULL;
          fresh.netns = row->netns;
          fresh.protocol = row->protocol;
          fresh.family = row->family;
          fresh.local_port = row->local_port;
          memcpy (fresh.local_addr, row->local_addr, sizeof fresh.local_addr);
          g_array_append_val (summaries, fresh);
          store->slots[i] = summaries->len;
          return &g_array_index (summaries, PortholeDestroySummary, summaries->len - 1);
        }
      if (same_endpoint (&g_array_index (summaries, PortholeDestroySummary, slot - 1), row))
        return &g_array_index (summaries, PortholeDestroySummary, slot - 1);
    }
}

void
porthole_destroy_store_add (PortholeDestroyStore *store, const PortholeSockInfo *row)
{
  PortholeDestroyBatch *pending = store->pending;
  PortholeDestroySummary *summary;

  g_return_if_fail (row != NULL);

  if (pending->rows->len < store->max_rows)
    {
      g_array_append_val (pending->rows, *row);
      return;
    }
  summary = find_summary (store, row);
  if (summary != NULL)
    {
      summary->closes++;
      summary->payload_sent += porthole_sockinfo_payload_sent (row);
      summary->payload_received += porthole_sockinfo_payload_received (row);
    }
  else
    {
      pending->dropped++;
      pending->dropped_payload_sent += porthole_sockinfo_payload_sent (row);
      pending->dropped_payload_received += porthole_sockinfo_payload_received (row);
    }
}

void
porthole_destroy_store_count_overflow (PortholeDestroyStore *store)
{
  store->pending->overflows++;
}

void
porthole_destroy_store_count_malformed (PortholeDestroyStore *store, guint64 n)
{
  store->pending->malformed += n;
}

PortholeDestroyBatch *
porthole_destroy_store_take (PortholeDestroyStore *store)
{
  PortholeDestroyBatch *batch = store->pending;

  store->pending = batch_new ();
  if (batch->summaries->len > 0)
    memset (store->slots, 0, store->n_slots * sizeof *store->slots);
  return batch;
}

gboolean
porthole_destroy_parse_message (const guint8 *buf, gsize len, guint64 netns, GArray *rows)
{
  guint initial = rows->len;
  guint kept = initial;

  /* protocol 0: each message names its own in INET_DIAG_PROTOCOL */
  if (!porthole_sockdiag_parse (buf, len, 0, rows, NULL, NULL, NULL))
    return FALSE;
  /* Only the TCP groups are joined: anything else is not what was asked for */
  for (guint i = initial; i < rows->len; i++)
    {
      PortholeSockInfo *row = &g_array_index (rows, PortholeSockInfo, i);

      if (row->protocol != IPPROTO_TCP)
        continue;
      row->netns = netns;
      if (i != kept)
        g_array_index (rows, PortholeSockInfo, kept) = *row;
      kept++;
    }
  g_array_set_size (rows, kept);
  return TRUE;
}
