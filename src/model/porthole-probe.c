/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-probe-private.h"

#include <glib/gi18n.h>

G_DEFINE_ENUM_TYPE (PortholeProbeStatus, porthole_probe_status,
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STATUS_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STATUS_OPEN, "open"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STATUS_CLOSED, "closed"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STATUS_FILTERED, "filtered"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STATUS_UNREACHABLE, "unreachable"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STATUS_DNS_ERROR, "dns-error"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STATUS_OPEN_FILTERED, "open-filtered"))

G_DEFINE_ENUM_TYPE (PortholeProbeStep, porthole_probe_step,
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STEP_RESOLVING, "resolving"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STEP_RESOLVED, "resolved"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STEP_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STEP_ATTEMPT, "attempt"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STEP_TLS, "tls"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STEP_BANNER, "banner"),
  G_DEFINE_ENUM_VALUE (PORTHOLE_PROBE_STEP_FINISHED, "finished"))

G_DEFINE_FINAL_TYPE (PortholeProbe, porthole_probe, G_TYPE_OBJECT)

enum {
  SIGNAL_STEP,
  N_SIGNALS
};

static GParamSpec *properties[PORTHOLE_PROBE_N_PROPS];
static guint signals[N_SIGNALS];

const char *
porthole_probe_status_to_string (PortholeProbeStatus status)
{
  switch (status)
    {
    case PORTHOLE_PROBE_STATUS_OPEN: return "open";
    case PORTHOLE_PROBE_STATUS_CLOSED: return "closed";
    case PORTHOLE_PROBE_STATUS_FILTERED: return "filtered";
    case PORTHOLE_PROBE_STATUS_UNREACHABLE: return "unreachable";
    case PORTHOLE_PROBE_STATUS_DNS_ERROR: return "dns-error";
    case PORTHOLE_PROBE_STATUS_OPEN_FILTERED: return "open|filtered";
    case PORTHOLE_PROBE_STATUS_UNKNOWN:
    default: return "unknown";
    }
}

PortholeProbeStatus
porthole_probe_status_from_error (const GError *error)
{
  if (error == NULL)
    return PORTHOLE_PROBE_STATUS_OPEN;
  if (error->domain == G_RESOLVER_ERROR)
    return PORTHOLE_PROBE_STATUS_DNS_ERROR;
  if (error->domain != G_IO_ERROR)
    return PORTHOLE_PROBE_STATUS_UNREACHABLE;
  switch (error->code)
    {
    case G_IO_ERROR_CONNECTION_REFUSED:
      return PORTHOLE_PROBE_STATUS_CLOSED;
    case G_IO_ERROR_TIMED_OUT:
    case G_IO_ERROR_PERMISSION_DENIED:  /* a firewall's reject (ICMP admin-prohibited), as nmap */
      return PORTHOLE_PROBE_STATUS_FILTERED;
    case G_IO_ERROR_HOST_NOT_FOUND:
      return PORTHOLE_PROBE_STATUS_DNS_ERROR;
    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
    default:
      return PORTHOLE_PROBE_STATUS_UNREACHABLE;
    }
}

PortholeProbe *
porthole_probe_new (const char *target)
{
  return g_object_new (PORTHOLE_TYPE_PROBE, "target", target, NULL);
}

gboolean
porthole_probe_is_cancelled (PortholeProbe *self)
{
  return self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);
}

void
porthole_probe_notify (PortholeProbe *self, guint prop)
{
  if (!porthole_probe_is_cancelled (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* g_set_str() is GLib 2.76 */
static gboolean
set_str (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
porthole_probe_set_string (PortholeProbe *self, char **field, const char *value, guint prop)
{
  if (set_str (field, value))
    porthole_probe_notify (self, prop);
}

void
porthole_probe_set_uint (PortholeProbe *self, guint *field, guint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  porthole_probe_notify (self, prop);
}

void
porthole_probe_set_running (PortholeProbe *self, gboolean running)
{
  if (self->running == running)
    return;
  self->running = running;
  /* The last notification of a cancelled run: it happens inside porthole_probe_cancel() */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PORTHOLE_PROBE_PROP_RUNNING]);
}

static void
attempt_clear (gpointer data)
{
  PortholeProbeAttempt *attempt = data;

  g_free (attempt->address);
  g_free (attempt->message);
}

void
porthole_probe_reset_results (PortholeProbe *self)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  if (self->status != PORTHOLE_PROBE_STATUS_UNKNOWN)
    {
      self->status = PORTHOLE_PROBE_STATUS_UNKNOWN;
      porthole_probe_notify (self, PORTHOLE_PROBE_PROP_STATUS);
    }
  porthole_probe_set_string (self, &self->host, NULL, PORTHOLE_PROBE_PROP_HOST);
  porthole_probe_set_uint (self, &self->port, 0, PORTHOLE_PROBE_PROP_PORT);
  if (self->addresses != NULL)
    {
      g_clear_pointer (&self->addresses, g_strfreev);
      porthole_probe_notify (self, PORTHOLE_PROBE_PROP_ADDRESSES);
    }
  porthole_probe_set_string (self, &self->remote_address, NULL, PORTHOLE_PROBE_PROP_REMOTE_ADDRESS);
  porthole_probe_set_uint (self, &self->remote_port, 0, PORTHOLE_PROBE_PROP_REMOTE_PORT);
  porthole_probe_set_string (self, &self->local_address, NULL, PORTHOLE_PROBE_PROP_LOCAL_ADDRESS);
  porthole_probe_set_uint (self, &self->local_port, 0, PORTHOLE_PROBE_PROP_LOCAL_PORT);
  if (self->connect_ms != -1)
    {
      self->connect_ms = -1;
      porthole_probe_notify (self, PORTHOLE_PROBE_PROP_CONNECT_MS);
    }
  porthole_probe_set_string (self, &self->banner, NULL, PORTHOLE_PROBE_PROP_BANNER);
  if (self->banner_bytes != NULL)
    {
      g_clear_pointer (&self->banner_bytes, g_bytes_unref);
      porthole_probe_notify (self, PORTHOLE_PROBE_PROP_BANNER_BYTES);
    }
  if (self->tls_info != NULL)
    {
      g_clear_object (&self->tls_info);
      porthole_probe_notify (self, PORTHOLE_PROBE_PROP_TLS_INFO);
    }
  porthole_probe_set_string (self, &self->error_message, NULL, PORTHOLE_PROBE_PROP_ERROR_MESSAGE);
  g_array_set_size (self->attempts, 0);
  g_object_thaw_notify (object);
}

double
porthole_probe_elapsed_ms (PortholeProbe *self)
{
  return (g_get_monotonic_time () - self->start_us) / 1000.0;
}

void
porthole_probe_emit_step (PortholeProbe       *self,
                          PortholeProbeStep    step,
                          const char          *address,
                          PortholeProbeStatus  status,
                          const char          *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (porthole_probe_is_cancelled (self))
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[SIGNAL_STEP], 0, step, address, status, message,
                 porthole_probe_elapsed_ms (self));
}

/* Settings */

void
porthole_probe_set_target (PortholeProbe *self, const char *target)
{
  g_return_if_fail (PORTHOLE_IS_PROBE (self));
  if (set_str (&self->target, target))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PORTHOLE_PROBE_PROP_TARGET]);
}

const char *
porthole_probe_get_target (PortholeProbe *self)
{
  return self->target;
}

void
porthole_probe_set_via_host (PortholeProbe *self, const char *host)
{
  g_return_if_fail (PORTHOLE_IS_PROBE (self));
  if (set_str (&self->via_host, host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PORTHOLE_PROBE_PROP_VIA_HOST]);
}

const char *
porthole_probe_get_via_host (PortholeProbe *self)
{
  return self->via_host;
}

void
porthole_probe_set_timeout_ms (PortholeProbe *self, guint timeout_ms)
{
  g_return_if_fail (PORTHOLE_IS_PROBE (self));
  timeout_ms = MAX (timeout_ms, 1);
  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PORTHOLE_PROBE_PROP_TIMEOUT_MS]);
}

guint
porthole_probe_get_timeout_ms (PortholeProbe *self)
{
  return self->timeout_ms;
}

void
porthole_probe_set_tls (PortholeProbe *self, gboolean tls)
{
  g_return_if_fail (PORTHOLE_IS_PROBE (self));
  if (self->tls == !!tls)
    return;
  self->tls = !!tls;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PORTHOLE_PROBE_PROP_TLS]);
}

gboolean
porthole_probe_get_tls (PortholeProbe *self)
{
  return self->tls;
}

void
porthole_probe_set_udp (PortholeProbe *self, gboolean udp)
{
  g_return_if_fail (PORTHOLE_IS_PROBE (self));
  if (self->udp == !!udp)
    return;
  self->udp = !!udp;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PORTHOLE_PROBE_PROP_UDP]);
}

gboolean
porthole_probe_get_udp (PortholeProbe *self)
{
  return self->udp;
}

void
porthole_probe_set_banner_wait_ms (PortholeProbe *self, guint wait_ms)
{
  g_return_if_fail (PORTHOLE_IS_PROBE (self));
  if (self->banner_wait_ms == wait_ms)
    return;
  self->banner_wait_ms = wait_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PORTHOLE_PROBE_PROP_BANNER_WAIT_MS]);
}

guint
porthole_probe_get_banner_wait_ms (PortholeProbe *self)
{
  return self->banner_wait_ms;
}

/* Results */

gboolean
porthole_probe_get_running (PortholeProbe *self)
{
  return self->running;
}

PortholeProbeStatus
porthole_probe_get_status (PortholeProbe *self)
{
  return self->status;
}

const char *
porthole_probe_get_host (PortholeProbe *self)
{
  return self->host;
}

guint
porthole_probe_get_port (PortholeProbe *self)
{
  return self->port;
}

const char * const *
porthole_probe_get_addresses (PortholeProbe *self)
{
  return (const char * const *) self->addresses;
}

const char *
porthole_probe_get_remote_address (PortholeProbe *self)
{
  return self->remote_address;
}

guint
porthole_probe_get_remote_port (PortholeProbe *self)
{
  return self->remote_port;
}

const char *
porthole_probe_get_local_address (PortholeProbe *self)
{
  return self->local_address;
}

guint
porthole_probe_get_local_port (PortholeProbe *self)
{
  return self->local_port;
}

double
porthole_probe_get_connect_ms (PortholeProbe *self)
{
  return self->connect_ms;
}

const char *
porthole_probe_get_banner (PortholeProbe *self)
{
  return self->banner;
}

GBytes *
porthole_probe_get_banner_bytes (PortholeProbe *self)
{
  return self->banner_bytes;
}

PortholeTlsInfo *
porthole_probe_get_tls_info (PortholeProbe *self)
{
  return self->tls_info;
}

const char *
porthole_probe_get_error_message (PortholeProbe *self)
{
  return self->error_message;
}

const PortholeProbeAttempt *
porthole_probe_get_attempts (PortholeProbe *self, guint *n_attempts)
{
  if (n_attempts != NULL)
    *n_attempts = self->attempts->len;
  return (const PortholeProbeAttempt *) self->attempts->data;
}

static void
porthole_probe_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeProbe *self = PORTHOLE_PROBE (object);

  switch (prop_id)
    {
    case PORTHOLE_PROBE_PROP_TARGET: g_value_set_string (value, self->target); break;
    case PORTHOLE_PROBE_PROP_TIMEOUT_MS: g_value_set_uint (value, self->timeout_ms); break;
    case PORTHOLE_PROBE_PROP_TLS: g_value_set_boolean (value, self->tls); break;
    case PORTHOLE_PROBE_PROP_UDP: g_value_set_boolean (value, self->udp); break;
    case PORTHOLE_PROBE_PROP_BANNER_WAIT_MS: g_value_set_uint (value, self->banner_wait_ms); break;
    case PORTHOLE_PROBE_PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    case PORTHOLE_PROBE_PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PORTHOLE_PROBE_PROP_HOST: g_value_set_string (value, self->host); break;
    case PORTHOLE_PROBE_PROP_PORT: g_value_set_uint (value, self->port); break;
    case PORTHOLE_PROBE_PROP_ADDRESSES: g_value_set_boxed (value, self->addresses); break;
    case PORTHOLE_PROBE_PROP_REMOTE_ADDRESS:
      g_value_set_string (value, self->remote_address);
      break;
    case PORTHOLE_PROBE_PROP_REMOTE_PORT: g_value_set_uint (value, self->remote_port); break;
    case PORTHOLE_PROBE_PROP_LOCAL_ADDRESS: g_value_set_string (value, self->local_address); break;
    case PORTHOLE_PROBE_PROP_LOCAL_PORT: g_value_set_uint (value, self->local_port); break;
    case PORTHOLE_PROBE_PROP_CONNECT_MS: g_value_set_double (value, self->connect_ms); break;
    case PORTHOLE_PROBE_PROP_BANNER: g_value_set_string (value, self->banner); break;
    case PORTHOLE_PROBE_PROP_BANNER_BYTES: g_value_set_boxed (value, self->banner_bytes); break;
    case PORTHOLE_PROBE_PROP_TLS_INFO: g_value_set_object (value, self->tls_info); break;
    case PORTHOLE_PROBE_PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PORTHOLE_PROBE_PROP_VIA_HOST: g_value_set_string (value, self->via_host); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_probe_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeProbe *self = PORTHOLE_PROBE (object);

  switch (prop_id)
    {
    case PORTHOLE_PROBE_PROP_TARGET:
      porthole_probe_set_target (self, g_value_get_string (value));
      break;
    case PORTHOLE_PROBE_PROP_TIMEOUT_MS:
      porthole_probe_set_timeout_ms (self, g_value_get_uint (value));
      break;
    case PORTHOLE_PROBE_PROP_TLS: porthole_probe_set_tls (self, g_value_get_boolean (value)); break;
    case PORTHOLE_PROBE_PROP_UDP: porthole_probe_set_udp (self, g_value_get_boolean (value)); break;
    case PORTHOLE_PROBE_PROP_BANNER_WAIT_MS:
      porthole_probe_set_banner_wait_ms (self, g_value_get_uint (value));
      break;
    case PORTHOLE_PROBE_PROP_VIA_HOST: porthole_probe_set_via_host (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_probe_dispose (GObject *object)
{
  PortholeProbe *self = PORTHOLE_PROBE (object);

  porthole_probe_cancel (self);
  G_OBJECT_CLASS (porthole_probe_parent_class)->dispose (object);
}

static void
porthole_probe_finalize (GObject *object)
{
  PortholeProbe *self = PORTHOLE_PROBE (object);

  g_free (self->target);
  g_free (self->via_host);
  g_free (self->host);
  g_strfreev (self->addresses);
  g_free (self->remote_address);
  g_free (self->local_address);
  g_free (self->banner);
  g_clear_pointer (&self->banner_bytes, g_bytes_unref);
  g_clear_object (&self->tls_info);
  g_free (self->error_message);
  g_array_unref (self->attempts);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (porthole_probe_parent_class)->finalize (object);
}

static void
porthole_probe_class_init (PortholeProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = porthole_probe_get_property;
  object_class->set_property = porthole_probe_set_property;
  object_class->dispose = porthole_probe_dispose;
  object_class->finalize = porthole_probe_finalize;

  properties[PORTHOLE_PROBE_PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL, rw);
  properties[PORTHOLE_PROBE_PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, G_MAXUINT, 5000, rw);
  properties[PORTHOLE_PROBE_PROP_TLS] =
    g_param_spec_boolean ("tls", NULL, NULL, FALSE, rw);
  properties[PORTHOLE_PROBE_PROP_UDP] =
    g_param_spec_boolean ("udp", NULL, NULL, FALSE, rw);
  properties[PORTHOLE_PROBE_PROP_BANNER_WAIT_MS] =
    g_param_spec_uint ("banner-wait-ms", NULL, NULL, 0, G_MAXUINT, 1500, rw);
  properties[PORTHOLE_PROBE_PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PORTHOLE_PROBE_PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, PORTHOLE_TYPE_PROBE_STATUS,
                       PORTHOLE_PROBE_STATUS_UNKNOWN, ro);
  properties[PORTHOLE_PROBE_PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, ro);
  properties[PORTHOLE_PROBE_PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, ro);
  properties[PORTHOLE_PROBE_PROP_ADDRESSES] =
    g_param_spec_boxed ("addresses", NULL, NULL, G_TYPE_STRV, ro);
  properties[PORTHOLE_PROBE_PROP_REMOTE_ADDRESS] =
    g_param_spec_string ("remote-address", NULL, NULL, NULL, ro);
  properties[PORTHOLE_PROBE_PROP_REMOTE_PORT] =
    g_param_spec_uint ("remote-port", NULL, NULL, 0, 65535, 0, ro);
  properties[PORTHOLE_PROBE_PROP_LOCAL_ADDRESS] =
    g_param_spec_string ("local-address", NULL, NULL, NULL, ro);
  properties[PORTHOLE_PROBE_PROP_LOCAL_PORT] =
    g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 0, ro);
  properties[PORTHOLE_PROBE_PROP_CONNECT_MS] =
    g_param_spec_double ("connect-ms", NULL, NULL, -1, G_MAXDOUBLE, -1, ro);
  properties[PORTHOLE_PROBE_PROP_BANNER] = g_param_spec_string ("banner", NULL, NULL, NULL, ro);
  properties[PORTHOLE_PROBE_PROP_BANNER_BYTES] =
    g_param_spec_boxed ("banner-bytes", NULL, NULL, G_TYPE_BYTES, ro);
  properties[PORTHOLE_PROBE_PROP_TLS_INFO] =
    g_param_spec_object ("tls-info", NULL, NULL, PORTHOLE_TYPE_TLS_INFO, ro);
  properties[PORTHOLE_PROBE_PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PORTHOLE_PROBE_PROP_VIA_HOST] =
    g_param_spec_string ("via-host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, PORTHOLE_PROBE_N_PROPS, properties);

  signals[SIGNAL_STEP] =
    g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, PORTHOLE_TYPE_PROBE_STEP, G_TYPE_STRING,
                  PORTHOLE_TYPE_PROBE_STATUS, G_TYPE_STRING, G_TYPE_DOUBLE);
}

static void
porthole_probe_init (PortholeProbe *self)
{
  self->timeout_ms = 5000;
  self->banner_wait_ms = 1500;
  self->connect_ms = -1;
  self->attempts = g_array_new (FALSE, TRUE, sizeof (PortholeProbeAttempt));
  g_array_set_clear_func (self->attempts, attempt_clear);
}
