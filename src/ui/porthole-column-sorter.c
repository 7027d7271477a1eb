/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-column-sorter.h"

struct _PortholeColumnSorter {
  GtkSorter              parent_instance;
  char                  *name;
  GtkSorter             *sorter;
  /* set only during porthole_column_sorter_get_primary(): where the wrapper asked first
   * records itself */
  PortholeColumnSorter **probe;
};

G_DEFINE_FINAL_TYPE (PortholeColumnSorter, porthole_column_sorter, GTK_TYPE_SORTER)

enum { PROP_0, PROP_NAME, PROP_SORTER, N_PROPS };

static GParamSpec *properties[N_PROPS];

static GtkOrdering
porthole_column_sorter_compare (GtkSorter *sorter, gpointer item1, gpointer item2)
{
  PortholeColumnSorter *self = PORTHOLE_COLUMN_SORTER (sorter);

  /* While probing, the first wrapper asked answers "smaller" and records itself */
  if (G_UNLIKELY (self->probe != NULL))
    {
      if (*self->probe == NULL)
        *self->probe = self;
      return GTK_ORDERING_SMALLER;
    }
  return self->sorter ? gtk_sorter_compare (self->sorter, item1, item2) : GTK_ORDERING_EQUAL;
}

static GtkSorterOrder
porthole_column_sorter_get_order (GtkSorter *sorter)
{
  PortholeColumnSorter *self = PORTHOLE_COLUMN_SORTER (sorter);

  return self->sorter ? gtk_sorter_get_order (self->sorter) : GTK_SORTER_ORDER_NONE;
}

static void
set_probe (GListModel *columns, PortholeColumnSorter **probe)
{
  guint n = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (PORTHOLE_IS_COLUMN_SORTER (sorter))
        PORTHOLE_COLUMN_SORTER (sorter)->probe = probe;
    }
}

PortholeColumnSorter *
porthole_column_sorter_get_primary (GtkSorter *view_sorter, GListModel *columns, gboolean *descending)
{
  /* Any two distinct pointers: the probing wrappers never look at them */
  int a = 0, b = 0;
  GtkOrdering order;
  PortholeColumnSorter *primary = NULL;

  g_return_val_if_fail (GTK_IS_SORTER (view_sorter), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (columns), NULL);

  set_probe (columns, &primary);
  order = gtk_sorter_compare (view_sorter, &a, &b);
  set_probe (columns, NULL);
  if (descending)
    *descending = order == GTK_ORDERING_LARGER;
  return primary;
}

const char *
porthole_column_sorter_get_name (PortholeColumnSorter *self)
{
  g_return_val_if_fail (PORTHOLE_IS_COLUMN_SORTER (self), NULL);
  return self->name;
}

GtkSorter *
porthole_column_sorter_get_sorter (PortholeColumnSorter *self)
{
  g_return_val_if_fail (PORTHOLE_IS_COLUMN_SORTER (self), NULL);
  return self->sorter;
}

static void
on_inner_changed (GtkSorter *inner, GtkSorterChange change, PortholeColumnSorter *self)
{
  gtk_sorter_changed (GTK_SORTER (self), change);
}

static void
porthole_column_sorter_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeColumnSorter *self = PORTHOLE_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_SORTER:
      if (self->sorter)
        g_signal_handlers_disconnect_by_func (self->sorter, on_inner_changed, self);
      g_set_object (&self->sorter, g_value_get_object (value));
      if (self->sorter)
        g_signal_connect (self->sorter, "changed", G_CALLBACK (on_inner_changed), self);
      gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_column_sorter_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeColumnSorter *self = PORTHOLE_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_SORTER: g_value_set_object (value, self->sorter); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_column_sorter_dispose (GObject *object)
{
  PortholeColumnSorter *self = PORTHOLE_COLUMN_SORTER (object);

  if (self->sorter)
    g_signal_handlers_disconnect_by_func (self->sorter, on_inner_changed, self);
  g_clear_object (&self->sorter);
  G_OBJECT_CLASS (porthole_column_sorter_parent_class)->dispose (object);
}

static void
porthole_column_sorter_finalize (GObject *object)
{
  g_free (PORTHOLE_COLUMN_SORTER (object)->name);
  G_OBJECT_CLASS (porthole_column_sorter_parent_class)->finalize (object);
}

static void
porthole_column_sorter_class_init (PortholeColumnSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->dispose = porthole_column_sorter_dispose;
  object_class->finalize = porthole_column_sorter_finalize;
  object_class->get_property = porthole_column_sorter_get_property;
  object_class->set_property = porthole_column_sorter_set_property;
  sorter_class->compare = porthole_column_sorter_compare;
  sorter_class->get_order = porthole_column_sorter_get_order;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORTER] = g_param_spec_object ("sorter", NULL, NULL, GTK_TYPE_SORTER,
                                                 G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_column_sorter_init (PortholeColumnSorter *self)
{
}
