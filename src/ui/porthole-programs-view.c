/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-programs-view.h"

#include "porthole-program-cell.h"
#include "porthole-program-sorter.h"
#include "porthole-style.h"

#include <glib/gi18n.h>

struct _PortholeProgramsView {
  AdwBin              parent_instance;

  GtkWidget          *toolbar;
  GtkLabel           *count_label;
  GtkStack           *state_stack;
  GtkColumnView      *column_view;

  PortholePrograms   *programs;
  GtkFilter          *filter;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkNoSelection     *selection;
  gboolean            pending;   /* changed while hidden */
};

G_DEFINE_FINAL_TYPE (PortholeProgramsView, porthole_programs_view, ADW_TYPE_BIN)

enum { PROP_0, PROP_MONITOR, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { PROGRAM_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Those that moved something: a program that only listens, or whose connections stay idle,
 * is not what this view answers ("who uses my network?") */
static gboolean
moved_something (gpointer item, gpointer data)
{
  PortholeProgram *p = item;

  return porthole_program_get_bytes_sent (p) + porthole_program_get_bytes_received (p) > 0 ||
         porthole_program_get_rate (p) > 0;
}

static void
update_state (PortholeProgramsView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  guint moving = 0;
  g_autofree char *count = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeProgram) p = g_list_model_get_item (G_LIST_MODEL (self->sort_model), i);

      moving += porthole_program_get_rate (p) > 0;
    }
  /* Translators: "3 programs, 1 moving data now" */
  count = g_strdup_printf (ngettext ("%u program, %u moving data now", "%u programs, %u moving data now", n),
                           n, moving);
  gtk_label_set_text (self->count_label, count);
  gtk_stack_set_visible_child_name (self->state_stack, n > 0 ? "table" : "empty");
}

/* Once per refresh, after every program has been updated in place: filter and sort again
 * (tens of rows, not thousands); while hidden, once shown again */
static void
on_programs_changed (PortholeProgramsView *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->pending = TRUE;
      return;
    }
  self->pending = FALSE;
  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
  if (sorter)
    gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
  update_state (self);
}

void
porthole_programs_view_set_programs (PortholeProgramsView *self, PortholePrograms *programs)
{
  g_return_if_fail (PORTHOLE_IS_PROGRAMS_VIEW (self));
  if (self->programs == programs)
    return;
  if (self->programs)
    g_signal_handlers_disconnect_by_data (self->programs, self);
  g_set_object (&self->programs, programs);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (programs));
  if (programs)
    g_signal_connect_object (programs, "changed", G_CALLBACK (on_programs_changed), self,
                             G_CONNECT_SWAPPED);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

PortholePrograms *porthole_programs_view_get_programs (PortholeProgramsView *self) { return self->programs; }
GListModel *porthole_programs_view_get_model (PortholeProgramsView *self) { return G_LIST_MODEL (self->sort_model); }
GtkColumnView *porthole_programs_view_get_column_view (PortholeProgramsView *self) { return self->column_view; }

const char *
porthole_programs_view_get_state (PortholeProgramsView *self)
{
  return gtk_stack_get_visible_child_name (self->state_stack);
}

void
porthole_programs_view_add_toolbar_start (PortholeProgramsView *self, GtkWidget *widget)
{
  gtk_box_prepend (GTK_BOX (self->toolbar), widget);
}

gboolean
porthole_programs_view_sort_by (PortholeProgramsView *self, const char *key, gboolean descending)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);
      g_autofree char *name = NULL;

      if (sorter == NULL)
        continue;
      g_object_get (sorter, "key", &name, NULL);
      if (g_strcmp0 (name, key) == 0)
        {
          gtk_column_view_sort_by_column (self->column_view, column,
                                          descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
          return TRUE;
        }
    }
  return FALSE;
}

void
porthole_programs_view_activate (PortholeProgramsView *self, PortholeProgram *program)
{
  g_return_if_fail (PORTHOLE_IS_PROGRAMS_VIEW (self));
  g_signal_emit (self, signals[PROGRAM_ACTIVATED], 0, program);
}

static void
on_activate (GtkColumnView *view, guint position, PortholeProgramsView *self)
{
  g_autoptr(PortholeProgram) program = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);

  if (program)
    porthole_programs_view_activate (self, program);
}

static void
porthole_programs_view_map (GtkWidget *widget)
{
  PortholeProgramsView *self = PORTHOLE_PROGRAMS_VIEW (widget);

  GTK_WIDGET_CLASS (porthole_programs_view_parent_class)->map (widget);
  if (self->pending)
    on_programs_changed (self);
}

static void
porthole_programs_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeProgramsView *self = PORTHOLE_PROGRAMS_VIEW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->programs ? porthole_programs_get_monitor (self->programs) : NULL);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_programs_view_dispose (GObject *object)
{
  PortholeProgramsView *self = PORTHOLE_PROGRAMS_VIEW (object);

  if (self->programs)
    g_signal_handlers_disconnect_by_data (self->programs, self);
  if (self->column_view)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_PROGRAMS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->programs);
  G_OBJECT_CLASS (porthole_programs_view_parent_class)->dispose (object);
}

static void
porthole_programs_view_class_init (PortholeProgramsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_programs_view_dispose;
  object_class->get_property = porthole_programs_view_get_property;
  widget_class->map = porthole_programs_view_map;
  properties[PROP_MONITOR] = g_param_spec_object ("monitor", NULL, NULL, PORTHOLE_TYPE_SOCKET_MONITOR,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[PROGRAM_ACTIVATED] = g_signal_new ("program-activated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, PORTHOLE_TYPE_PROGRAM);

  g_type_ensure (PORTHOLE_TYPE_PROGRAM_SORTER);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-programs-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeProgramsView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PortholeProgramsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProgramsView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PortholeProgramsView, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  porthole_program_cell_bind_template_callbacks (widget_class);
}

static void
porthole_programs_view_init (PortholeProgramsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  porthole_style_load ("porthole-socket-view.css");
  porthole_style_load ("porthole-traffic.css");

  self->filter = GTK_FILTER (gtk_custom_filter_new (moved_something, NULL, NULL));
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filter_model)),
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->sort_model, "items-changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  porthole_programs_view_sort_by (self, "rate", TRUE);
  update_state (self);
}
