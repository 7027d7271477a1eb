/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-connections-page.h"

struct _PortholeConnectionsPage {
  AdwBin                 parent_instance;
  PortholeSocketMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (PortholeConnectionsPage, porthole_connections_page, ADW_TYPE_BIN)

void
porthole_connections_page_set_monitor (PortholeConnectionsPage *self, PortholeSocketMonitor *monitor)
{
  g_set_object (&self->monitor, monitor);
}

static void
porthole_connections_page_dispose (GObject *object)
{
  PortholeConnectionsPage *self = PORTHOLE_CONNECTIONS_PAGE (object);

  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_CONNECTIONS_PAGE);
  G_OBJECT_CLASS (porthole_connections_page_parent_class)->dispose (object);
}

static void
porthole_connections_page_class_init (PortholeConnectionsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = porthole_connections_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               RESOURCE_PATH "/porthole-connections-page.ui");
}

static void
porthole_connections_page_init (PortholeConnectionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
