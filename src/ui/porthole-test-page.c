/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-style.h"
#include "porthole-test-page.h"

#include "porthole-probe-view.h"
#include "porthole-scan-view.h"
#include "porthole-server-view.h"

/* The Test tab: three sections in a stack, "Connection" (PortholeProbeView), "Port Scan"
 * (PortholeScanView) and "Test Server" (PortholeServerView). Each view owns its model and a
 * GCancellable it cancels in dispose; the page wires them to the settings and the monitor. */
struct _PortholeTestPage {
  AdwBin              parent_instance;

  GtkStack           *stack;
  PortholeProbeView  *probe_view;
  PortholeScanView   *scan_view;
  PortholeServerView *server_view;

  PortholeSettings   *settings;
};

G_DEFINE_FINAL_TYPE (PortholeTestPage, porthole_test_page, ADW_TYPE_BIN)

void
porthole_test_page_set_monitor (PortholeTestPage *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_TEST_PAGE (self));
  porthole_probe_view_set_monitor (self->probe_view, monitor);
}

void
porthole_test_page_set_settings (PortholeTestPage *self, PortholeSettings *settings)
{
  g_return_if_fail (PORTHOLE_IS_TEST_PAGE (self));
  g_return_if_fail (self->settings == NULL && PORTHOLE_IS_SETTINGS (settings));
  self->settings = g_object_ref (settings);
  porthole_probe_view_set_settings (self->probe_view, porthole_settings_get_gsettings (settings));
  porthole_scan_view_set_settings (self->scan_view, porthole_settings_get_gsettings (settings));
}

void
porthole_test_page_set_target (PortholeTestPage *self, const char *target)
{
  g_return_if_fail (PORTHOLE_IS_TEST_PAGE (self));
  porthole_probe_view_set_target (self->probe_view, target);
  gtk_stack_set_visible_child_name (self->stack, "probe");
}

static void
on_test_target (PortholeTestPage *self, const char *target)
{
  porthole_test_page_set_target (self, target);
}

static void
porthole_test_page_dispose (GObject *object)
{
  PortholeTestPage *self = PORTHOLE_TEST_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_TEST_PAGE);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (porthole_test_page_parent_class)->dispose (object);
}

static void
porthole_test_page_class_init (PortholeTestPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_test_page_dispose;

  g_type_ensure (PORTHOLE_TYPE_PROBE_VIEW);
  g_type_ensure (PORTHOLE_TYPE_SCAN_VIEW);
  g_type_ensure (PORTHOLE_TYPE_SERVER_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/porthole-test-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeTestPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PortholeTestPage, probe_view);
  gtk_widget_class_bind_template_child (widget_class, PortholeTestPage, scan_view);
  gtk_widget_class_bind_template_child (widget_class, PortholeTestPage, server_view);
  gtk_widget_class_bind_template_callback (widget_class, on_test_target);
}

static void
porthole_test_page_init (PortholeTestPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  porthole_style_load ("porthole-test-page.css");
}
