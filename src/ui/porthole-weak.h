/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* user_data for an async callback that must not keep a widget alive: a strong reference would
 * keep a view that its window dropped from being disposed (GTK disposes a widget only when its
 * last reference goes), and so from cancelling what it started. */
static inline gpointer
porthole_weak_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

/* In the callback: frees @data and returns a new reference to the object, or NULL when it is
 * gone. */
static inline gpointer
porthole_weak_steal (gpointer data)
{
  GWeakRef *ref = data;
  gpointer object = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return object;
}

G_END_DECLS
