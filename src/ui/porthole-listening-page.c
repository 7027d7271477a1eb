/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-listening-page.h"

struct _PortholeListeningPage {
  AdwBin                 parent_instance;
  PortholeSocketMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (PortholeListeningPage, porthole_listening_page, ADW_TYPE_BIN)

void
porthole_listening_page_set_monitor (PortholeListeningPage *self, PortholeSocketMonitor *monitor)
{
  g_set_object (&self->monitor, monitor);
}

static void
porthole_listening_page_dispose (GObject *object)
{
  PortholeListeningPage *self = PORTHOLE_LISTENING_PAGE (object);

  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_LISTENING_PAGE);
  G_OBJECT_CLASS (porthole_listening_page_parent_class)->dispose (object);
}

static void
porthole_listening_page_class_init (PortholeListeningPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = porthole_listening_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               RESOURCE_PATH "/porthole-listening-page.ui");
}

static void
porthole_listening_page_init (PortholeListeningPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

gboolean
porthole_listening_page_select_port (PortholeListeningPage *self, guint port, const char *protocol)
{
  return FALSE;
}
