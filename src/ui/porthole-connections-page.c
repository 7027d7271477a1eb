/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-connections-page.h"

#include "porthole-column-sorter.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-sorter.h"

#include <glib/gi18n.h>

/* Connections and Programs are two views of the same sockets: the table of 4-tuples, and the
 * programs they add up to, ranked by what they move. They share a tab, switched by a toggle at
 * the start of each view's toolbar (as Files switches list and grid), rather than being two
 * tabs: the window's view switcher holds the app's separate jobs (four, five with History),
 * and a row of Programs leads straight back to that program's connections. */

struct _PortholeConnectionsPage {
  AdwBin                parent_instance;
  GtkStack             *views;
  PortholeSocketView   *view;
  PortholeProgramsView *programs_view;
  PortholePrograms     *programs;
};

G_DEFINE_FINAL_TYPE (PortholeConnectionsPage, porthole_connections_page, ADW_TYPE_BIN)

enum { PROP_0, PROP_SHOWN, PROP_SHOW_PROGRAMS, N_PROPS };
static GParamSpec *properties[N_PROPS];

void
porthole_connections_page_set_monitor (PortholeConnectionsPage *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_CONNECTIONS_PAGE (self));
  porthole_socket_view_show_program (self->view, NULL);
  porthole_socket_view_set_monitor (self->view, monitor);
  /* Made at once, not when first shown: its totals count connections that close meanwhile */
  g_clear_object (&self->programs);
  if (monitor)
    self->programs = porthole_programs_new (monitor);
  porthole_programs_view_set_programs (self->programs_view, self->programs);
}

void
porthole_connections_page_set_settings (PortholeConnectionsPage *self, PortholeSettings *settings)
{
  g_return_if_fail (PORTHOLE_IS_CONNECTIONS_PAGE (self));
  porthole_socket_view_set_settings (self->view, settings);
}

PortholeSocketView *
porthole_connections_page_get_view (PortholeConnectionsPage *self)
{
  return self->view;
}

PortholeProgramsView *
porthole_connections_page_get_programs_view (PortholeConnectionsPage *self)
{
  return self->programs_view;
}

void
porthole_connections_page_show (PortholeConnectionsPage *self, const char *name)
{
  g_return_if_fail (PORTHOLE_IS_CONNECTIONS_PAGE (self));
  g_return_if_fail (g_strcmp0 (name, "connections") == 0 || g_strcmp0 (name, "programs") == 0);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->views), name) == 0)
    return;
  gtk_stack_set_visible_child_name (self->views, name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_PROGRAMS]);
}

const char *
porthole_connections_page_get_shown (PortholeConnectionsPage *self)
{
  g_return_val_if_fail (PORTHOLE_IS_CONNECTIONS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->views);
}

static void
on_program_activated (PortholeConnectionsPage *self, PortholeProgram *program)
{
  porthole_socket_view_show_program (self->view, program);
  porthole_connections_page_show (self, "connections");
}

static void
on_search (GtkWidget *widget, const char *action, GVariant *param)
{
  PortholeConnectionsPage *self = PORTHOLE_CONNECTIONS_PAGE (widget);

  porthole_connections_page_show (self, "connections");
  porthole_socket_view_start_search (self->view, NULL);
}

/* The Programs toggle: one for each view's toolbar, both driving page.show-programs. An icon,
 * named in its tooltip and for screen readers: with a word, or a linked pair of views, the
 * toolbar would no longer fit a 360 px window. */
static GtkWidget *
make_switch (void)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_button_set_icon_name (GTK_BUTTON (button), "application-x-executable-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "page.show-programs");
  gtk_widget_set_tooltip_text (button, _("Programs by What They Move (Alt+P)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show programs"), -1);
  return button;
}

static void
porthole_connections_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SHOWN:
      g_value_set_string (value, porthole_connections_page_get_shown (PORTHOLE_CONNECTIONS_PAGE (object)));
      break;
    case PROP_SHOW_PROGRAMS:
      g_value_set_boolean (value, g_strcmp0 (porthole_connections_page_get_shown (PORTHOLE_CONNECTIONS_PAGE (object)),
                                             "programs") == 0);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_connections_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SHOWN:
      porthole_connections_page_show (PORTHOLE_CONNECTIONS_PAGE (object), g_value_get_string (value));
      break;
    case PROP_SHOW_PROGRAMS:
      porthole_connections_page_show (PORTHOLE_CONNECTIONS_PAGE (object),
                                      g_value_get_boolean (value) ? "programs" : "connections");
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_connections_page_dispose (GObject *object)
{
  PortholeConnectionsPage *self = PORTHOLE_CONNECTIONS_PAGE (object);

  /* The stack is AdwBin's child: let AdwBin drop it first, or it would unparent it twice */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), PORTHOLE_TYPE_CONNECTIONS_PAGE);
  if (self->programs)
    g_object_run_dispose (G_OBJECT (self->programs));
  g_clear_object (&self->programs);
  G_OBJECT_CLASS (porthole_connections_page_parent_class)->dispose (object);
}

static void
porthole_connections_page_class_init (PortholeConnectionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_connections_page_dispose;
  object_class->get_property = porthole_connections_page_get_property;
  object_class->set_property = porthole_connections_page_set_property;
  /* "connections" or "programs" */
  properties[PROP_SHOWN] = g_param_spec_string ("shown", NULL, NULL, "connections",
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_PROGRAMS] = g_param_spec_boolean ("show-programs", NULL, NULL, FALSE,
                                                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                        G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PORTHOLE_TYPE_SOCKET_VIEW);
  g_type_ensure (PORTHOLE_TYPE_PROGRAMS_VIEW);
  g_type_ensure (PORTHOLE_TYPE_COLUMN_SORTER);
  g_type_ensure (PORTHOLE_TYPE_SOCKET_SORTER);
  g_type_ensure (PORTHOLE_TYPE_SOCKET);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-connections-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeConnectionsPage, views);
  gtk_widget_class_bind_template_child (widget_class, PortholeConnectionsPage, view);
  gtk_widget_class_bind_template_child (widget_class, PortholeConnectionsPage, programs_view);
  gtk_widget_class_bind_template_callback (widget_class, on_program_activated);
  porthole_socket_cell_bind_template_callbacks (widget_class);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, on_search);
  gtk_widget_class_install_property_action (widget_class, "page.show", "shown");
  gtk_widget_class_install_property_action (widget_class, "page.show-programs", "show-programs");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_ALT_MASK, "page.show", "s", "connections");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_ALT_MASK, "page.show", "s", "programs");
}

static void
porthole_connections_page_init (PortholeConnectionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  porthole_socket_view_add_toolbar_start (self->view, make_switch ());
  porthole_programs_view_add_toolbar_start (self->programs_view, make_switch ());
}
