/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-scan-result.h"

struct _PortholeScanResult {
  GObject  parent_instance;
  guint    port;
  char    *service;
};

G_DEFINE_FINAL_TYPE (PortholeScanResult, porthole_scan_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PORT,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

PortholeScanResult *
porthole_scan_result_new (guint port, const char *service)
{
  return g_object_new (PORTHOLE_TYPE_SCAN_RESULT, "port", port, "service", service, NULL);
}

guint
porthole_scan_result_get_port (PortholeScanResult *self)
{
  return self->port;
}

const char *
porthole_scan_result_get_service (PortholeScanResult *self)
{
  return self->service;
}

static void
porthole_scan_result_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  PortholeScanResult *self = PORTHOLE_SCAN_RESULT (object);

  switch (prop_id)
    {
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_SERVICE: g_value_set_string (value, self->service); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_scan_result_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  PortholeScanResult *self = PORTHOLE_SCAN_RESULT (object);

  switch (prop_id)
    {
    case PROP_PORT: self->port = g_value_get_uint (value); break;
    case PROP_SERVICE: self->service = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_scan_result_finalize (GObject *object)
{
  PortholeScanResult *self = PORTHOLE_SCAN_RESULT (object);

  g_free (self->service);
  G_OBJECT_CLASS (porthole_scan_result_parent_class)->finalize (object);
}

static void
porthole_scan_result_class_init (PortholeScanResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = porthole_scan_result_get_property;
  object_class->set_property = porthole_scan_result_set_property;
  object_class->finalize = porthole_scan_result_finalize;

  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, 1, flags);
  properties[PROP_SERVICE] = g_param_spec_string ("service", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_scan_result_init (PortholeScanResult *self)
{
}
