/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-host-banner.h"

#include <glib/gi18n.h>

struct _PortholeHostBanner {
  GtkWidget              parent_instance;

  GtkRevealer           *revealer;
  GtkWidget             *box;
  GtkImage              *icon;
  GtkLabel              *label;
  GtkWidget             *retry_button;

  PortholeSocketMonitor *monitor;
  guint                  tick_id;
  char                  *text;
};

G_DEFINE_FINAL_TYPE (PortholeHostBanner, porthole_host_banner, GTK_TYPE_WIDGET)

static char *
ago (gint64 then)
{
  gint64 s = MAX (0, (g_get_real_time () - then) / G_USEC_PER_SEC);

  if (s < 60)
    return g_strdup_printf (_("%d s ago"), (int) s);
  if (s < 3600)
    return g_strdup_printf (_("%d min ago"), (int) (s / 60));
  return g_strdup_printf (_("%d h ago"), (int) (s / 3600));
}

static void update (PortholeHostBanner *self);

static gboolean
on_tick (gpointer data)
{
  update (data);
  return G_SOURCE_CONTINUE;
}

static void
update (PortholeHostBanner *self)
{
  g_autofree char *text = NULL;
  gboolean stale = self->monitor && porthole_socket_monitor_get_stale (self->monitor);
  const char *error = self->monitor ? porthole_socket_monitor_get_error (self->monitor) : NULL;
  const char *notice = self->monitor ? porthole_socket_monitor_get_notice (self->monitor) : NULL;

  if (stale)
    {
      gint64 seen = porthole_socket_monitor_get_last_seen (self->monitor);
      g_autofree char *when = seen ? ago (seen) : NULL;

      if (when != NULL)
        /* Translators: "Last seen 12 s ago — reconnecting", then why it failed */
        text = g_strdup_printf (_("Last seen %s — reconnecting. %s"), when, error ? error : "");
      else
        text = g_strdup_printf (_("Not connected — retrying. %s"), error ? error : "");
    }
  else if (notice != NULL)
    text = g_strdup (notice);

  gtk_widget_set_visible (self->retry_button, stale);
  gtk_image_set_from_icon_name (self->icon, stale ? "network-offline-symbolic" : "dialog-information-symbolic");
  if (stale)
    gtk_widget_add_css_class (self->box, "stale");
  else
    gtk_widget_remove_css_class (self->box, "stale");
  if (text != NULL)
    gtk_label_set_text (self->label, g_strstrip (text));
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
  g_free (self->text);
  self->text = g_steal_pointer (&text);

  /* "12 s ago" moves on by itself */
  if (stale && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!stale)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

void
porthole_host_banner_set_monitor (PortholeHostBanner *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_HOST_BANNER (self));

  if (self->monitor)
    g_signal_handlers_disconnect_by_func (self->monitor, update, self);
  g_set_object (&self->monitor, monitor);
  if (monitor)
    {
      g_signal_connect_object (monitor, "notify::stale", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (monitor, "notify::error", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (monitor, "notify::notice", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

const char *
porthole_host_banner_get_text (PortholeHostBanner *self)
{
  g_return_val_if_fail (PORTHOLE_IS_HOST_BANNER (self), NULL);
  return self->text;
}

static void
porthole_host_banner_dispose (GObject *object)
{
  PortholeHostBanner *self = PORTHOLE_HOST_BANNER (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->monitor)
    g_signal_handlers_disconnect_by_func (self->monitor, update, self);
  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_HOST_BANNER);
  G_OBJECT_CLASS (porthole_host_banner_parent_class)->dispose (object);
}

static void
porthole_host_banner_finalize (GObject *object)
{
  g_free (PORTHOLE_HOST_BANNER (object)->text);
  G_OBJECT_CLASS (porthole_host_banner_parent_class)->finalize (object);
}

static void
porthole_host_banner_class_init (PortholeHostBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_host_banner_dispose;
  object_class->finalize = porthole_host_banner_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-host-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeHostBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, PortholeHostBanner, box);
  gtk_widget_class_bind_template_child (widget_class, PortholeHostBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, PortholeHostBanner, label);
  gtk_widget_class_bind_template_child (widget_class, PortholeHostBanner, retry_button);
}

static void
porthole_host_banner_init (PortholeHostBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
