/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-preferences-window.h"

struct _PortholePreferencesWindow {
  AdwPreferencesWindow parent_instance;

  GSettings     *settings;
  GtkAdjustment *interval_adjustment;
  GtkAdjustment *timeout_adjustment;
  GtkAdjustment *retention_adjustment;
  GtkAdjustment *size_adjustment;
  GtkSwitch     *highlight_switch;
  GtkSwitch     *notify_switch;
  GtkSwitch     *udp_switch;
  GtkSwitch     *resolve_switch;
};

G_DEFINE_FINAL_TYPE (PortholePreferencesWindow, porthole_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The setting is in milliseconds; people think in seconds */
static gboolean
ms_to_seconds (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 1000.0);
  return TRUE;
}

static GVariant *
seconds_to_ms (const GValue *value, const GVariantType *type, gpointer user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) * 1000.0 + 0.5));
}

static gboolean
uint_to_double (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
double_to_uint (const GValue *value, const GVariantType *type, gpointer user_data)
{
  return g_variant_new_uint32 ((guint32) (g_value_get_double (value) + 0.5));
}

PortholePreferencesWindow *
porthole_preferences_window_new (PortholeSettings *shared)
{
  PortholePreferencesWindow *self = g_object_new (PORTHOLE_TYPE_PREFERENCES_WINDOW, NULL);
  GSettings *settings = porthole_settings_get_gsettings (shared);

  self->settings = g_object_ref (settings);
  g_settings_bind_with_mapping (settings, "refresh-interval", self->interval_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, ms_to_seconds, seconds_to_ms, NULL, NULL);
  g_settings_bind_with_mapping (settings, "probe-timeout", self->timeout_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, uint_to_double, double_to_uint, NULL, NULL);
  g_settings_bind_with_mapping (settings, "history-retention-days", self->retention_adjustment,
                                "value", G_SETTINGS_BIND_DEFAULT, uint_to_double, double_to_uint,
                                NULL, NULL);
  g_settings_bind_with_mapping (settings, "history-max-size", self->size_adjustment, "value",
                                G_SETTINGS_BIND_DEFAULT, uint_to_double, double_to_uint, NULL, NULL);
  g_settings_bind (settings, "highlight-changes", self->highlight_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notify-new-listeners", self->notify_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-udp", self->udp_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "resolve-names", self->resolve_switch, "active", G_SETTINGS_BIND_DEFAULT);
  return self;
}

static void
porthole_preferences_window_dispose (GObject *object)
{
  PortholePreferencesWindow *self = PORTHOLE_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (porthole_preferences_window_parent_class)->dispose (object);
}

static void
porthole_preferences_window_class_init (PortholePreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_preferences_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, timeout_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, retention_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, size_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, highlight_switch);
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, notify_switch);
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, udp_switch);
  gtk_widget_class_bind_template_child (widget_class, PortholePreferencesWindow, resolve_switch);
}

static void
porthole_preferences_window_init (PortholePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
