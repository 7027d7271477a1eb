/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-learn-page.h"

struct _PortholeLearnPage {
  AdwBin                 parent_instance;
  PortholeSocketMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (PortholeLearnPage, porthole_learn_page, ADW_TYPE_BIN)

void
porthole_learn_page_set_monitor (PortholeLearnPage *self, PortholeSocketMonitor *monitor)
{
  g_set_object (&self->monitor, monitor);
}

static void
porthole_learn_page_dispose (GObject *object)
{
  PortholeLearnPage *self = PORTHOLE_LEARN_PAGE (object);

  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_LEARN_PAGE);
  G_OBJECT_CLASS (porthole_learn_page_parent_class)->dispose (object);
}

static void
porthole_learn_page_class_init (PortholeLearnPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = porthole_learn_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               RESOURCE_PATH "/porthole-learn-page.ui");
}

static void
porthole_learn_page_init (PortholeLearnPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
