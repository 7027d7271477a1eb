/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-portlist.h"

#include "porthole-net-error.h"
#include "porthole-ports.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <string.h>

struct _PortholePortList {
  GArray *spans;   /* PortholePortSpan, sorted, disjoint, not adjacent */
  guint   count;
};

static PortholePortList *
port_list_new (void)
{
  PortholePortList *self = g_new0 (PortholePortList, 1);

  self->spans = g_array_new (FALSE, FALSE, sizeof (PortholePortSpan));
  return self;
}

void
porthole_port_list_free (PortholePortList *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->spans);
  g_free (self);
}

PortholePortList *
porthole_port_list_new_span (guint16 start, guint16 end)
{
  PortholePortList *self = port_list_new ();
  PortholePortSpan span = { start, end };

  g_return_val_if_fail (start >= 1 && start <= end, self);
  g_array_append_val (self->spans, span);
  self->count = end - start + 1;
  return self;
}

/* Wraps an error about one item so the message names the item. */
static void
fail_item (GError **error, const char *item, const char *what)
{
  g_autofree char *q = porthole_quote_short (item, strlen (item));

  g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID, "“%s”: %s", q, what);
}

static gboolean
parse_bound (const char *item, const char *text, const char *missing, guint16 *out, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (stripped[0] == '\0')
    {
      fail_item (error, item, missing);
      return FALSE;
    }
  if (!porthole_port_parse (stripped, FALSE, out, &local))
    {
      fail_item (error, item, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_item (const char *item, guint index, const char *whole, GArray *spans, GError **error)
{
  const char *dash = strchr (item, '-');
  PortholePortSpan span;

  if (item[0] == '\0')
    {
      g_autofree char *q = porthole_quote_short (whole, strlen (whole));
      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                   _("item %u of “%s” is empty"), index, q);
      return FALSE;
    }
  /* Only digits, one '-' and spaces: anything else is named before the port parser sees it */
  for (const char *p = item; *p; p++)
    if (!(g_ascii_isdigit (*p) || *p == '-' || *p == ' ' || *p == '\t'))
      {
        /* a lead byte may promise more bytes than the string has left */
        g_autofree char *qc = porthole_quote_short (p, strnlen (p, g_utf8_skip[(guchar) *p]));
        g_autofree char *what = g_strdup_printf (_("“%s” is not part of a port or a range"),
                                                 qc);
        fail_item (error, item, what);
        return FALSE;
      }
  if (dash == NULL)
    {
      if (!parse_bound (item, item, _("the port is missing"), &span.start, error))
        return FALSE;
      span.end = span.start;
    }
  else
    {
      g_autofree char *start = g_strndup (item, dash - item);

      if (strchr (dash + 1, '-') != NULL)
        {
          fail_item (error, item, _("a range has one “-”, as in 8000-8100"));
          return FALSE;
        }
      if (!parse_bound (item, start, _("the range has no start"), &span.start, error) ||
          !parse_bound (item, dash + 1, _("the range has no end"), &span.end, error))
        return FALSE;
      if (span.start > span.end)
        {
          g_autofree char *what = g_strdup_printf (_("the range runs backwards (%u is above %u)"),
                                                   span.start, span.end);
          fail_item (error, item, what);
          return FALSE;
        }
    }
  g_array_append_val (spans, span);
  return TRUE;
}

static int
compare_spans (gconstpointer a, gconstpointer b)
{
  const PortholePortSpan *x = a, *y = b;

  return (int) x->start - (int) y->start;
}

PortholePortList *
porthole_port_list_parse (const char *text, GError **error)
{
  g_autoptr(PortholePortList) self = port_list_new ();
  g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (PortholePortSpan));
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  guint index = 0;
  char *cursor = copy;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (copy[0] == '\0')
    {
      g_set_error_literal (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                           _("the port list is empty: use e.g. 22,80,8000-8100"));
      return NULL;
    }
  /* Walk the items in place (no g_strsplit: a hostile list of a million commas stays cheap) */
  for (;;)
    {
      char *comma = strchr (cursor, ',');

      if (comma != NULL)
        *comma = '\0';
      index++;
      if (!parse_item (g_strstrip (cursor), index, text, raw, error))
        return NULL;
      if (comma == NULL)
        break;
      cursor = comma + 1;
    }

  g_array_sort (raw, compare_spans);
  for (guint i = 0; i < raw->len; i++)
    {
      PortholePortSpan *span = &g_array_index (raw, PortholePortSpan, i);
      PortholePortSpan *last = self->spans->len > 0
        ? &g_array_index (self->spans, PortholePortSpan, self->spans->len - 1) : NULL;

      if (last != NULL && span->start <= (guint) last->end + 1)
        last->end = MAX (last->end, span->end);
      else
        g_array_append_val (self->spans, *span);
    }
  for (guint i = 0; i < self->spans->len; i++)
    {
      PortholePortSpan *span = &g_array_index (self->spans, PortholePortSpan, i);
      self->count += span->end - span->start + 1;
    }
  return g_steal_pointer (&self);
}

const PortholePortSpan *
porthole_port_list_get_spans (const PortholePortList *self, guint *n_spans)
{
  if (n_spans != NULL)
    *n_spans = self->spans->len;
  return (const PortholePortSpan *) self->spans->data;
}

guint
porthole_port_list_get_count (const PortholePortList *self)
{
  return self->count;
}

gboolean
porthole_port_list_contains (const PortholePortList *self, guint port)
{
  guint lo = 0, hi = self->spans->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const PortholePortSpan *span = &g_array_index (self->spans, PortholePortSpan, mid);

      if (port < span->start)
        hi = mid;
      else if (port > span->end)
        lo = mid + 1;
      else
        return TRUE;
    }
  return FALSE;
}

char *
porthole_port_list_to_string (const PortholePortList *self)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const PortholePortSpan *span = &g_array_index (self->spans, PortholePortSpan, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (span->start == span->end)
        g_string_append_printf (out, "%u", span->start);
      else
        g_string_append_printf (out, "%u-%u", span->start, span->end);
    }
  return g_string_free (out, FALSE);
}
