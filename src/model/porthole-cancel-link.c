/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-cancel-link.h"

struct _PortholeCancelLink {
  GCancellable       *external;
  GCancellable       *own;
  GObject            *object;
  PortholeCancelFunc  cancel;
  gulong              handler;
};

typedef struct {
  GObject            *object;
  PortholeCancelFunc  cancel;
} Call;

static gboolean
call_cancel (gpointer data)
{
  Call *call = data;

  call->cancel (call->object);
  return G_SOURCE_REMOVE;
}

static void
call_free (gpointer data)
{
  Call *call = data;

  g_object_unref (call->object);
  g_free (call);
}

static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  PortholeCancelLink *link = data;
  Call *call = g_new (Call, 1);

  /* Thread-safe, and enough to silence the object at once */
  g_cancellable_cancel (link->own);
  call->object = g_object_ref (link->object);
  call->cancel = link->cancel;
  /* At once when this is the main context's thread, otherwise at its next iteration */
  g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, call_cancel, call, call_free);
}

PortholeCancelLink *
porthole_cancel_link_new (GCancellable       *external,
                          GCancellable       *own,
                          GObject            *object,
                          PortholeCancelFunc  cancel)
{
  PortholeCancelLink *link;

  if (external == NULL)
    return NULL;
  link = g_new0 (PortholeCancelLink, 1);
  link->external = g_object_ref (external);
  link->own = g_object_ref (own);
  link->object = object;
  link->cancel = cancel;
  /* Runs on_cancelled() right away when @external is already cancelled */
  link->handler = g_cancellable_connect (external, G_CALLBACK (on_cancelled), link, NULL);
  return link;
}

void
porthole_cancel_link_free (PortholeCancelLink *link)
{
  if (link == NULL)
    return;
  g_cancellable_disconnect (link->external, link->handler);
  g_object_unref (link->external);
  g_object_unref (link->own);
  g_free (link);
}
