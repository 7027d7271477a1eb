/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-settings.h"

struct _PortholeSettings {
  GObject    parent_instance;

  GSettings *settings;
  guint      refresh_interval;
  gboolean   paused;
  gboolean   highlight_changes;
  gboolean   resolve_names;
  gboolean   notify_new_listeners;
};

G_DEFINE_FINAL_TYPE (PortholeSettings, porthole_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REFRESH_INTERVAL,
  PROP_PAUSED,
  PROP_HIGHLIGHT_CHANGES,
  PROP_RESOLVE_NAMES,
  PROP_NOTIFY_NEW_LISTENERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Property id -> the GSettings key of the same name */
static const char *
key_of (guint prop_id)
{
  return g_param_spec_get_name (properties[prop_id]);
}

PortholeSettings *
porthole_settings_new (void)
{
  return g_object_new (PORTHOLE_TYPE_SETTINGS, NULL);
}

GSettings *
porthole_settings_get_gsettings (PortholeSettings *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SETTINGS (self), NULL);
  return self->settings;
}

guint    porthole_settings_get_refresh_interval (PortholeSettings *self) { return self->refresh_interval; }
gboolean porthole_settings_get_paused (PortholeSettings *self) { return self->paused; }
gboolean porthole_settings_get_highlight_changes (PortholeSettings *self) { return self->highlight_changes; }
gboolean porthole_settings_get_resolve_names (PortholeSettings *self) { return self->resolve_names; }
gboolean porthole_settings_get_notify_new_listeners (PortholeSettings *self) { return self->notify_new_listeners; }

static char *
sort_key (const char *table, const char *what)
{
  g_return_val_if_fail (g_strcmp0 (table, "listening") == 0 || g_strcmp0 (table, "connections") == 0, NULL);
  return g_strdup_printf ("%s-sort-%s", table, what);
}

char *
porthole_settings_get_sort (PortholeSettings *self, const char *table, gboolean *descending)
{
  g_autofree char *column_key = sort_key (table, "column");
  g_autofree char *descending_key = sort_key (table, "descending");

  g_return_val_if_fail (PORTHOLE_IS_SETTINGS (self) && column_key != NULL, NULL);
  if (descending)
    *descending = g_settings_get_boolean (self->settings, descending_key);
  return g_settings_get_string (self->settings, column_key);
}

void
porthole_settings_set_sort (PortholeSettings *self, const char *table, const char *column, gboolean descending)
{
  g_autofree char *column_key = sort_key (table, "column");
  g_autofree char *descending_key = sort_key (table, "descending");

  g_return_if_fail (PORTHOLE_IS_SETTINGS (self) && column_key != NULL);
  g_settings_set_string (self->settings, column_key, column ? column : "");
  g_settings_set_boolean (self->settings, descending_key, descending);
}

static gboolean *
bool_field (PortholeSettings *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_PAUSED: return &self->paused;
    case PROP_HIGHLIGHT_CHANGES: return &self->highlight_changes;
    case PROP_RESOLVE_NAMES: return &self->resolve_names;
    case PROP_NOTIFY_NEW_LISTENERS: return &self->notify_new_listeners;
    default: return NULL;
    }
}

static void
porthole_settings_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeSettings *self = PORTHOLE_SETTINGS (object);
  gboolean *field = bool_field (self, prop_id);

  if (prop_id == PROP_REFRESH_INTERVAL)
    g_value_set_uint (value, self->refresh_interval);
  else if (field)
    g_value_set_boolean (value, *field);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
porthole_settings_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeSettings *self = PORTHOLE_SETTINGS (object);
  gboolean *field = bool_field (self, prop_id);

  if (prop_id == PROP_REFRESH_INTERVAL)
    {
      if (self->refresh_interval == g_value_get_uint (value))
        return;
      self->refresh_interval = g_value_get_uint (value);
    }
  else if (field)
    {
      if (*field == g_value_get_boolean (value))
        return;
      *field = g_value_get_boolean (value);
    }
  else
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
porthole_settings_finalize (GObject *object)
{
  PortholeSettings *self = PORTHOLE_SETTINGS (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (porthole_settings_parent_class)->finalize (object);
}

static void
porthole_settings_class_init (PortholeSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = porthole_settings_finalize;
  object_class->get_property = porthole_settings_get_property;
  object_class->set_property = porthole_settings_set_property;

  /* Names equal the GSettings keys; the defaults are the schema's (the binding sets them) */
  properties[PROP_REFRESH_INTERVAL] = g_param_spec_uint ("refresh-interval", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, flags);
  properties[PROP_HIGHLIGHT_CHANGES] = g_param_spec_boolean ("highlight-changes", NULL, NULL, FALSE, flags);
  properties[PROP_RESOLVE_NAMES] = g_param_spec_boolean ("resolve-names", NULL, NULL, FALSE, flags);
  properties[PROP_NOTIFY_NEW_LISTENERS] = g_param_spec_boolean ("notify-new-listeners", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_settings_init (PortholeSettings *self)
{
  self->settings = g_settings_new (PORTHOLE_SETTINGS_SCHEMA_ID);
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    g_settings_bind (self->settings, key_of (i), self, key_of (i), G_SETTINGS_BIND_DEFAULT);
}
