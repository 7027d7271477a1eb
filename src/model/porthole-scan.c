/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-scan-private.h"

G_DEFINE_QUARK (porthole-scan-error-quark, porthole_scan_error)

G_DEFINE_FINAL_TYPE (PortholeScan, porthole_scan, G_TYPE_OBJECT)

GParamSpec *porthole_scan_properties[N_PROPS];

gboolean
porthole_scan_is_cancelled (PortholeScan *self)
{
  return self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);
}

void
porthole_scan_set_uint (PortholeScan *self, guint *field, guint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  if (!porthole_scan_is_cancelled (self))
    g_object_notify_by_pspec (G_OBJECT (self), porthole_scan_properties[prop]);
}

void
porthole_scan_set_double (PortholeScan *self, double *field, double value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  if (!porthole_scan_is_cancelled (self))
    g_object_notify_by_pspec (G_OBJECT (self), porthole_scan_properties[prop]);
}

void
porthole_scan_set_running (PortholeScan *self, gboolean running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), porthole_scan_properties[PROP_RUNNING]);
}

PortholeScan *
porthole_scan_new (const char *host, const char *ports)
{
  return g_object_new (PORTHOLE_TYPE_SCAN, "host", host, "ports", ports, NULL);
}

void
porthole_scan_set_host (PortholeScan *self, const char *host)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  if (g_strcmp0 (self->host, host) == 0)
    return;
  g_free (self->host);
  self->host = g_strdup (host);
  g_object_notify_by_pspec (G_OBJECT (self), porthole_scan_properties[PROP_HOST]);
}

const char *
porthole_scan_get_host (PortholeScan *self)
{
  return self->host;
}

void
porthole_scan_set_ports (PortholeScan *self, const char *ports)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  if (g_strcmp0 (self->ports, ports) == 0)
    return;
  g_free (self->ports);
  self->ports = g_strdup (ports);
  g_object_notify_by_pspec (G_OBJECT (self), porthole_scan_properties[PROP_PORTS]);
}

const char *
porthole_scan_get_ports (PortholeScan *self)
{
  return self->ports;
}

void
porthole_scan_set_concurrency (PortholeScan *self, guint concurrency)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  porthole_scan_set_uint (self, &self->concurrency, CLAMP (concurrency, 1, 10000),
                          PROP_CONCURRENCY);
}

guint
porthole_scan_get_concurrency (PortholeScan *self)
{
  return self->concurrency;
}

void
porthole_scan_set_rate (PortholeScan *self, guint per_second)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  porthole_scan_set_uint (self, &self->rate, per_second, PROP_RATE);
}

guint
porthole_scan_get_rate (PortholeScan *self)
{
  return self->rate;
}

void
porthole_scan_set_timeout_ms (PortholeScan *self, guint timeout_ms)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  porthole_scan_set_uint (self, &self->timeout_ms, MAX (timeout_ms, 1), PROP_TIMEOUT_MS);
}

guint
porthole_scan_get_timeout_ms (PortholeScan *self)
{
  return self->timeout_ms;
}

void
porthole_scan_set_confirmed (PortholeScan *self, gboolean confirmed)
{
  g_return_if_fail (PORTHOLE_IS_SCAN (self));
  porthole_scan_set_uint (self, (guint *) &self->confirmed, !!confirmed, PROP_CONFIRMED);
}

gboolean
porthole_scan_get_confirmed (PortholeScan *self)
{
  return self->confirmed;
}

gboolean
porthole_scan_get_running (PortholeScan *self)
{
  return self->running;
}

const char *
porthole_scan_get_address (PortholeScan *self)
{
  return self->address;
}

double
porthole_scan_get_progress (PortholeScan *self)
{
  return self->progress;
}

guint
porthole_scan_get_ports_total (PortholeScan *self)
{
  return self->total;
}

guint
porthole_scan_get_ports_done (PortholeScan *self)
{
  return self->done;
}

guint
porthole_scan_get_open_count (PortholeScan *self)
{
  return self->open;
}

guint
porthole_scan_get_closed_count (PortholeScan *self)
{
  return self->closed;
}

guint
porthole_scan_get_filtered_count (PortholeScan *self)
{
  return self->filtered;
}

double
porthole_scan_get_elapsed_ms (PortholeScan *self)
{
  return self->elapsed_ms;
}

GListModel *
porthole_scan_get_results (PortholeScan *self)
{
  return G_LIST_MODEL (self->results);
}

static void
porthole_scan_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  switch (prop_id)
    {
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_PORTS: g_value_set_string (value, self->ports); break;
    case PROP_CONCURRENCY: g_value_set_uint (value, self->concurrency); break;
    case PROP_RATE: g_value_set_uint (value, self->rate); break;
    case PROP_TIMEOUT_MS: g_value_set_uint (value, self->timeout_ms); break;
    case PROP_CONFIRMED: g_value_set_boolean (value, self->confirmed); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_PROGRESS: g_value_set_double (value, self->progress); break;
    case PROP_PORTS_TOTAL: g_value_set_uint (value, self->total); break;
    case PROP_PORTS_DONE: g_value_set_uint (value, self->done); break;
    case PROP_OPEN_COUNT: g_value_set_uint (value, self->open); break;
    case PROP_CLOSED_COUNT: g_value_set_uint (value, self->closed); break;
    case PROP_FILTERED_COUNT: g_value_set_uint (value, self->filtered); break;
    case PROP_ELAPSED_MS: g_value_set_double (value, self->elapsed_ms); break;
    case PROP_RESULTS: g_value_set_object (value, self->results); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_scan_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  switch (prop_id)
    {
    case PROP_HOST: porthole_scan_set_host (self, g_value_get_string (value)); break;
    case PROP_PORTS: porthole_scan_set_ports (self, g_value_get_string (value)); break;
    case PROP_CONCURRENCY: porthole_scan_set_concurrency (self, g_value_get_uint (value)); break;
    case PROP_RATE: porthole_scan_set_rate (self, g_value_get_uint (value)); break;
    case PROP_TIMEOUT_MS: porthole_scan_set_timeout_ms (self, g_value_get_uint (value)); break;
    case PROP_CONFIRMED: porthole_scan_set_confirmed (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_scan_dispose (GObject *object)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  porthole_scan_cancel (self);
  G_OBJECT_CLASS (porthole_scan_parent_class)->dispose (object);
}

static void
porthole_scan_finalize (GObject *object)
{
  PortholeScan *self = PORTHOLE_SCAN (object);

  g_free (self->host);
  g_free (self->ports);
  g_free (self->address);
  g_clear_object (&self->results);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (porthole_scan_parent_class)->finalize (object);
}

static void
porthole_scan_class_init (PortholeScanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamSpec **props = porthole_scan_properties;

  object_class->get_property = porthole_scan_get_property;
  object_class->set_property = porthole_scan_set_property;
  object_class->dispose = porthole_scan_dispose;
  object_class->finalize = porthole_scan_finalize;

  props[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, rw);
  props[PROP_PORTS] = g_param_spec_string ("ports", NULL, NULL, "1-1024", rw);
  props[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", NULL, NULL, 1, 10000, PORTHOLE_SCAN_DEFAULT_CONCURRENCY, rw);
  props[PROP_RATE] = g_param_spec_uint ("rate", NULL, NULL, 0, G_MAXUINT, 0, rw);
  props[PROP_TIMEOUT_MS] = g_param_spec_uint ("timeout-ms", NULL, NULL, 1, G_MAXUINT,
                                              PORTHOLE_SCAN_DEFAULT_TIMEOUT_MS, rw);
  props[PROP_CONFIRMED] = g_param_spec_boolean ("confirmed", NULL, NULL, FALSE, rw);
  props[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  props[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, ro);
  props[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  props[PROP_PORTS_TOTAL] = g_param_spec_uint ("ports-total", NULL, NULL, 0, 65535, 0, ro);
  props[PROP_PORTS_DONE] = g_param_spec_uint ("ports-done", NULL, NULL, 0, 65535, 0, ro);
  props[PROP_OPEN_COUNT] = g_param_spec_uint ("open-count", NULL, NULL, 0, 65535, 0, ro);
  props[PROP_CLOSED_COUNT] = g_param_spec_uint ("closed-count", NULL, NULL, 0, 65535, 0, ro);
  props[PROP_FILTERED_COUNT] = g_param_spec_uint ("filtered-count", NULL, NULL, 0, 65535, 0, ro);
  props[PROP_ELAPSED_MS] = g_param_spec_double ("elapsed-ms", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  props[PROP_RESULTS] = g_param_spec_object ("results", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
porthole_scan_init (PortholeScan *self)
{
  self->ports = g_strdup ("1-1024");
  self->concurrency = PORTHOLE_SCAN_DEFAULT_CONCURRENCY;
  self->timeout_ms = PORTHOLE_SCAN_DEFAULT_TIMEOUT_MS;
  self->results = g_list_store_new (PORTHOLE_TYPE_SCAN_RESULT);
}
