/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-test-page.h"

struct _PortholeTestPage {
  AdwBin                 parent_instance;
  PortholeSocketMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (PortholeTestPage, porthole_test_page, ADW_TYPE_BIN)

void
porthole_test_page_set_monitor (PortholeTestPage *self, PortholeSocketMonitor *monitor)
{
  g_set_object (&self->monitor, monitor);
}

static void
porthole_test_page_dispose (GObject *object)
{
  PortholeTestPage *self = PORTHOLE_TEST_PAGE (object);

  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_TEST_PAGE);
  G_OBJECT_CLASS (porthole_test_page_parent_class)->dispose (object);
}

static void
porthole_test_page_class_init (PortholeTestPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = porthole_test_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               RESOURCE_PATH "/porthole-test-page.ui");
}

static void
porthole_test_page_init (PortholeTestPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
porthole_test_page_set_target (PortholeTestPage *self, const char *target)
{
}
