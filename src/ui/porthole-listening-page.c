/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-listening-page.h"

#include "porthole-column-sorter.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-sorter.h"

struct _PortholeListeningPage {
  AdwBin              parent_instance;
  PortholeSocketView *view;
};

G_DEFINE_FINAL_TYPE (PortholeListeningPage, porthole_listening_page, ADW_TYPE_BIN)

void
porthole_listening_page_set_monitor (PortholeListeningPage *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_LISTENING_PAGE (self));
  porthole_socket_view_set_monitor (self->view, monitor);
}

void
porthole_listening_page_set_settings (PortholeListeningPage *self, PortholeSettings *settings)
{
  g_return_if_fail (PORTHOLE_IS_LISTENING_PAGE (self));
  porthole_socket_view_set_settings (self->view, settings);
}

PortholeSocketView *
porthole_listening_page_get_view (PortholeListeningPage *self)
{
  return self->view;
}

gboolean
porthole_listening_page_select_port (PortholeListeningPage *self, guint port, const char *protocol)
{
  PortholeSocketMonitor *monitor;
  PortholeSocket *listener;

  g_return_val_if_fail (PORTHOLE_IS_LISTENING_PAGE (self), FALSE);
  monitor = porthole_socket_view_get_monitor (self->view);
  if (monitor == NULL)
    return FALSE;
  listener = porthole_socket_monitor_find_listener (monitor, port, protocol);
  if (listener == NULL)
    return FALSE;
  if (porthole_socket_view_select (self->view, listener))
    return TRUE;
  /* Hidden by the search or a toggle: show it by searching for its port */
  {
    g_autofree char *text = g_strdup_printf ("%u", port);

    porthole_socket_view_start_search (self->view, text);
  }
  return porthole_socket_view_select (self->view, listener);
}

static void
on_search (GtkWidget *widget, const char *action, GVariant *param)
{
  porthole_socket_view_start_search (PORTHOLE_LISTENING_PAGE (widget)->view, NULL);
}

static void
porthole_listening_page_dispose (GObject *object)
{
  /* The view is AdwBin's child: let AdwBin drop it first, or it would unparent it twice */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), PORTHOLE_TYPE_LISTENING_PAGE);
  G_OBJECT_CLASS (porthole_listening_page_parent_class)->dispose (object);
}

static void
porthole_listening_page_class_init (PortholeListeningPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_listening_page_dispose;

  g_type_ensure (PORTHOLE_TYPE_SOCKET_VIEW);
  g_type_ensure (PORTHOLE_TYPE_COLUMN_SORTER);
  g_type_ensure (PORTHOLE_TYPE_SOCKET_SORTER);
  g_type_ensure (PORTHOLE_TYPE_SOCKET);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-listening-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeListeningPage, view);
  porthole_socket_cell_bind_template_callbacks (widget_class);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, on_search);
}

static void
porthole_listening_page_init (PortholeListeningPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
