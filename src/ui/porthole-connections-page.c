/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-connections-page.h"

#include "porthole-column-sorter.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-sorter.h"

struct _PortholeConnectionsPage {
  AdwBin              parent_instance;
  PortholeSocketView *view;
};

G_DEFINE_FINAL_TYPE (PortholeConnectionsPage, porthole_connections_page, ADW_TYPE_BIN)

void
porthole_connections_page_set_monitor (PortholeConnectionsPage *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_CONNECTIONS_PAGE (self));
  porthole_socket_view_set_monitor (self->view, monitor);
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

static void
on_search (GtkWidget *widget, const char *action, GVariant *param)
{
  porthole_socket_view_start_search (PORTHOLE_CONNECTIONS_PAGE (widget)->view, NULL);
}

static void
porthole_connections_page_dispose (GObject *object)
{
  /* The view is AdwBin's child: let AdwBin drop it first, or it would unparent it twice */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), PORTHOLE_TYPE_CONNECTIONS_PAGE);
  G_OBJECT_CLASS (porthole_connections_page_parent_class)->dispose (object);
}

static void
porthole_connections_page_class_init (PortholeConnectionsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_connections_page_dispose;

  g_type_ensure (PORTHOLE_TYPE_SOCKET_VIEW);
  g_type_ensure (PORTHOLE_TYPE_COLUMN_SORTER);
  g_type_ensure (PORTHOLE_TYPE_SOCKET_SORTER);
  g_type_ensure (PORTHOLE_TYPE_SOCKET);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-connections-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeConnectionsPage, view);
  porthole_socket_cell_bind_template_callbacks (widget_class);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, on_search);
}

static void
porthole_connections_page_init (PortholeConnectionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
