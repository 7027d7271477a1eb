/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-name-cache.h"

#include "porthole-escape.h"

/* Lookups in flight at once: a busy machine has hundreds of peers */
#define MAX_IN_FLIGHT 4

struct _PortholeNameCache {
  GObject       parent_instance;
  GResolver    *resolver;
  GHashTable   *names;       /* address -> escaped name, or "" when the lookup failed */
  GQueue        queue;       /* addresses waiting (owned strings) */
  GHashTable   *queued;      /* address set: queued or in flight */
  GCancellable *cancellable;
  guint         in_flight;
  gboolean      enabled;
};

G_DEFINE_FINAL_TYPE (PortholeNameCache, porthole_name_cache, G_TYPE_OBJECT)

enum { PROP_0, PROP_ENABLED, N_PROPS };
enum { RESOLVED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  PortholeNameCache *self;
  char              *address;
} Lookup;

static void pump (PortholeNameCache *self);

static void
lookup_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Lookup *lookup = data;
  PortholeNameCache *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_resolver_lookup_by_address_finish (G_RESOLVER (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->in_flight--;
      g_hash_table_remove (self->queued, lookup->address);
      g_hash_table_insert (self->names, g_strdup (lookup->address),
                           name ? porthole_escape_text (name, -1, FALSE) : g_strdup (""));
      if (name)
        g_signal_emit (self, signals[RESOLVED], g_quark_from_string (lookup->address), lookup->address);
      pump (self);
    }
  g_object_unref (self);
  g_free (lookup->address);
  g_free (lookup);
}

static void
pump (PortholeNameCache *self)
{
  while (self->enabled && self->in_flight < MAX_IN_FLIGHT && !g_queue_is_empty (&self->queue))
    {
      g_autofree char *address = g_queue_pop_head (&self->queue);
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
      Lookup *lookup;

      if (inet == NULL)
        {
          g_hash_table_remove (self->queued, address);
          g_hash_table_insert (self->names, g_strdup (address), g_strdup (""));
          continue;
        }
      lookup = g_new0 (Lookup, 1);
      lookup->self = g_object_ref (self);
      lookup->address = g_strdup (address);
      self->in_flight++;
      g_resolver_lookup_by_address_async (self->resolver, inet, self->cancellable, lookup_done, lookup);
    }
}

const char *
porthole_name_cache_lookup (PortholeNameCache *self, const char *address)
{
  const char *name;

  g_return_val_if_fail (PORTHOLE_IS_NAME_CACHE (self), NULL);
  if (address == NULL)
    return NULL;
  name = g_hash_table_lookup (self->names, address);
  if (name != NULL)
    return *name ? name : NULL;
  if (self->enabled && !g_hash_table_contains (self->queued, address))
    {
      g_hash_table_add (self->queued, g_strdup (address));
      g_queue_push_tail (&self->queue, g_strdup (address));
      pump (self);
    }
  return NULL;
}

void
porthole_name_cache_set_enabled (PortholeNameCache *self, gboolean enabled)
{
  g_return_if_fail (PORTHOLE_IS_NAME_CACHE (self));
  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  if (!enabled)
    {
      /* Forget what was queued: it is asked again if names are turned back on */
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->in_flight = 0;
      g_queue_clear_full (&self->queue, g_free);
      g_hash_table_remove_all (self->queued);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

gboolean
porthole_name_cache_get_enabled (PortholeNameCache *self)
{
  return self->enabled;
}

guint
porthole_name_cache_get_n_pending (PortholeNameCache *self)
{
  return g_hash_table_size (self->queued);
}

static void
porthole_name_cache_dispose (GObject *object)
{
  PortholeNameCache *self = PORTHOLE_NAME_CACHE (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (porthole_name_cache_parent_class)->dispose (object);
}

static void
porthole_name_cache_finalize (GObject *object)
{
  PortholeNameCache *self = PORTHOLE_NAME_CACHE (object);

  g_queue_clear_full (&self->queue, g_free);
  g_hash_table_unref (self->queued);
  g_hash_table_unref (self->names);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->resolver);
  G_OBJECT_CLASS (porthole_name_cache_parent_class)->finalize (object);
}

static void
porthole_name_cache_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_ENABLED)
    g_value_set_boolean (value, PORTHOLE_NAME_CACHE (object)->enabled);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
porthole_name_cache_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_ENABLED)
    porthole_name_cache_set_enabled (PORTHOLE_NAME_CACHE (object), g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
porthole_name_cache_class_init (PortholeNameCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = porthole_name_cache_dispose;
  object_class->finalize = porthole_name_cache_finalize;
  object_class->get_property = porthole_name_cache_get_property;
  object_class->set_property = porthole_name_cache_set_property;

  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                                                   G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RESOLVED] = g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
porthole_name_cache_init (PortholeNameCache *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->queue);
  self->cancellable = g_cancellable_new ();
}

PortholeNameCache *
porthole_name_cache_new (GResolver *resolver)
{
  PortholeNameCache *self = g_object_new (PORTHOLE_TYPE_NAME_CACHE, NULL);

  self->resolver = resolver ? g_object_ref (resolver) : g_resolver_get_default ();
  return self;
}

