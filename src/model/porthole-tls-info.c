/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-tls-info.h"

#include "porthole-escape.h"

#include <glib/gi18n.h>

struct _PortholeTlsInfo {
  GObject               parent_instance;
  char                 *version;
  char                 *cipher;
  char                 *subject;
  char                 *issuer;
  GDateTime            *not_before;
  GDateTime            *not_after;
  GTlsCertificateFlags  errors;
  char                 *handshake_error;
  GTlsCertificate      *certificate;
};

G_DEFINE_FINAL_TYPE (PortholeTlsInfo, porthole_tls_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VERSION,
  PROP_CIPHER,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_NOT_BEFORE,
  PROP_NOT_AFTER,
  PROP_ERRORS,
  PROP_HANDSHAKE_ERROR,
  PROP_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  GTlsCertificateFlags flag;
  const char          *id;
  const char          *description;
} flag_names[] = {
  { G_TLS_CERTIFICATE_UNKNOWN_CA, "unknown-ca",
    N_("The certificate is not signed by a trusted authority (self-signed or unknown issuer)") },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, "bad-identity",
    N_("The certificate is for another host name") },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not-activated", N_("The certificate is not valid yet") },
  { G_TLS_CERTIFICATE_EXPIRED, "expired", N_("The certificate has expired") },
  { G_TLS_CERTIFICATE_REVOKED, "revoked", N_("The certificate has been revoked") },
  { G_TLS_CERTIFICATE_INSECURE, "insecure", N_("The certificate uses an insecure algorithm") },
  { G_TLS_CERTIFICATE_GENERIC_ERROR, "generic-error",
    N_("The certificate could not be validated") },
};

const char *
porthole_tls_protocol_version_to_string (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0: return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default: return NULL;
    }
}

static char *
escape_or_null (char *text)
{
  char *escaped = text != NULL ? porthole_escape_text (text, -1, FALSE) : NULL;

  g_free (text);
  return escaped;
}

PortholeTlsInfo *
porthole_tls_info_new (GTlsConnection       *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       const GError         *handshake_error)
{
  PortholeTlsInfo *self = g_object_new (PORTHOLE_TYPE_TLS_INFO, NULL);

  g_return_val_if_fail (G_IS_TLS_CONNECTION (connection), self);

  if (handshake_error == NULL)
    {
      self->version = g_strdup (porthole_tls_protocol_version_to_string (
                                  g_tls_connection_get_protocol_version (connection)));
      self->cipher = escape_or_null (g_tls_connection_get_ciphersuite_name (connection));
      if (certificate == NULL)
        {
          certificate = g_tls_connection_get_peer_certificate (connection);
          errors = g_tls_connection_get_peer_certificate_errors (connection);
        }
    }
  else
    self->handshake_error = porthole_escape_text (handshake_error->message, -1, FALSE);

  self->errors = errors;
  if (certificate != NULL)
    {
      self->certificate = g_object_ref (certificate);
      self->subject = escape_or_null (g_tls_certificate_get_subject_name (certificate));
      self->issuer = escape_or_null (g_tls_certificate_get_issuer_name (certificate));
      self->not_before = g_tls_certificate_get_not_valid_before (certificate);
      self->not_after = g_tls_certificate_get_not_valid_after (certificate);
    }
  return self;
}

char **
porthole_tls_info_dup_error_ids (PortholeTlsInfo *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **ids;

  for (gsize i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (self->errors & flag_names[i].flag)
      g_strv_builder_add (builder, flag_names[i].id);
  if (self->handshake_error != NULL)
    g_strv_builder_add (builder, "handshake-failed");
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

char **
porthole_tls_info_dup_error_descriptions (PortholeTlsInfo *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **descriptions;

  for (gsize i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (self->errors & flag_names[i].flag)
      g_strv_builder_add (builder, _(flag_names[i].description));
  if (self->handshake_error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The TLS handshake failed: %s"),
                                               self->handshake_error);
      g_strv_builder_add (builder, text);
    }
  descriptions = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return descriptions;
}

const char *
porthole_tls_info_get_version (PortholeTlsInfo *self)
{
  return self->version;
}

const char *
porthole_tls_info_get_cipher (PortholeTlsInfo *self)
{
  return self->cipher;
}

const char *
porthole_tls_info_get_subject (PortholeTlsInfo *self)
{
  return self->subject;
}

const char *
porthole_tls_info_get_issuer (PortholeTlsInfo *self)
{
  return self->issuer;
}

GDateTime *
porthole_tls_info_get_not_before (PortholeTlsInfo *self)
{
  return self->not_before;
}

GDateTime *
porthole_tls_info_get_not_after (PortholeTlsInfo *self)
{
  return self->not_after;
}

GTlsCertificateFlags
porthole_tls_info_get_errors (PortholeTlsInfo *self)
{
  return self->errors;
}

const char *
porthole_tls_info_get_handshake_error (PortholeTlsInfo *self)
{
  return self->handshake_error;
}

GTlsCertificate *
porthole_tls_info_get_certificate (PortholeTlsInfo *self)
{
  return self->certificate;
}

static void
porthole_tls_info_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeTlsInfo *self = PORTHOLE_TLS_INFO (object);

  switch (prop_id)
    {
    case PROP_VERSION: g_value_set_string (value, self->version); break;
    case PROP_CIPHER: g_value_set_string (value, self->cipher); break;
    case PROP_SUBJECT: g_value_set_string (value, self->subject); break;
    case PROP_ISSUER: g_value_set_string (value, self->issuer); break;
    case PROP_NOT_BEFORE: g_value_set_boxed (value, self->not_before); break;
    case PROP_NOT_AFTER: g_value_set_boxed (value, self->not_after); break;
    case PROP_ERRORS: g_value_set_flags (value, self->errors); break;
    case PROP_HANDSHAKE_ERROR: g_value_set_string (value, self->handshake_error); break;
    case PROP_CERTIFICATE: g_value_set_object (value, self->certificate); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_tls_info_finalize (GObject *object)
{
  PortholeTlsInfo *self = PORTHOLE_TLS_INFO (object);

  g_free (self->version);
  g_free (self->cipher);
  g_free (self->subject);
  g_free (self->issuer);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_free (self->handshake_error);
  g_clear_object (&self->certificate);
  G_OBJECT_CLASS (porthole_tls_info_parent_class)->finalize (object);
}

static void
porthole_tls_info_class_init (PortholeTlsInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = porthole_tls_info_get_property;
  object_class->finalize = porthole_tls_info_finalize;

  properties[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL, flags);
  properties[PROP_CIPHER] = g_param_spec_string ("cipher", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_ISSUER] = g_param_spec_string ("issuer", NULL, NULL, NULL, flags);
  properties[PROP_NOT_BEFORE] = g_param_spec_boxed ("not-before", NULL, NULL,
                                                    G_TYPE_DATE_TIME, flags);
  properties[PROP_NOT_AFTER] = g_param_spec_boxed ("not-after", NULL, NULL,
                                                   G_TYPE_DATE_TIME, flags);
  properties[PROP_ERRORS] = g_param_spec_flags ("errors", NULL, NULL,
                                                G_TYPE_TLS_CERTIFICATE_FLAGS, 0, flags);
  properties[PROP_HANDSHAKE_ERROR] = g_param_spec_string ("handshake-error", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_CERTIFICATE] = g_param_spec_object ("certificate", NULL, NULL,
                                                      G_TYPE_TLS_CERTIFICATE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_tls_info_init (PortholeTlsInfo *self)
{
}
