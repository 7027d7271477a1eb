/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_TLS_INFO (porthole_tls_info_get_type ())
G_DECLARE_FINAL_TYPE (PortholeTlsInfo, porthole_tls_info, PORTHOLE, TLS_INFO, GObject)

/* What a TLS handshake showed: immutable, built by PortholeProbe once the handshake ends.
 * Read-only properties (all strings escaped for display, NULL when unknown):
 *   "version"          char*   "TLS 1.3"
 *   "cipher"           char*   "TLS_AES_256_GCM_SHA384" (as GnuTLS names it)
 *   "subject"          char*   the peer certificate's subject DN
 *   "issuer"           char*   its issuer DN
 *   "not-before"       GDateTime*
 *   "not-after"        GDateTime*
 *   "errors"           GTlsCertificateFlags  every validation problem (from accept-certificate)
 *   "handshake-error"  char*   why the handshake failed, NULL when it succeeded
 *   "certificate"      GTlsCertificate*      the peer certificate itself */

const char          *porthole_tls_info_get_version (PortholeTlsInfo *self);
const char          *porthole_tls_info_get_cipher (PortholeTlsInfo *self);
const char          *porthole_tls_info_get_subject (PortholeTlsInfo *self);
const char          *porthole_tls_info_get_issuer (PortholeTlsInfo *self);
GDateTime           *porthole_tls_info_get_not_before (PortholeTlsInfo *self);
GDateTime           *porthole_tls_info_get_not_after (PortholeTlsInfo *self);
GTlsCertificateFlags porthole_tls_info_get_errors (PortholeTlsInfo *self);
const char          *porthole_tls_info_get_handshake_error (PortholeTlsInfo *self);
GTlsCertificate     *porthole_tls_info_get_certificate (PortholeTlsInfo *self);

/* The validation errors as stable ids ("unknown-ca", "bad-identity", "not-activated", "expired",
 * "revoked", "insecure", "generic-error"), plus "handshake-failed" when the handshake failed.
 * Free with g_strfreev(). */
char               **porthole_tls_info_dup_error_ids (PortholeTlsInfo *self);
/* One translated sentence per error, same order as the ids. Free with g_strfreev(). */
char               **porthole_tls_info_dup_error_descriptions (PortholeTlsInfo *self);

/* "TLS 1.2", "TLS 1.3", ... or NULL for unknown. */
const char          *porthole_tls_protocol_version_to_string (GTlsProtocolVersion version);

/* For PortholeProbe: fills an info from a handshaken (or failed) connection. @certificate and
 * @errors are what accept-certificate saw (NULL/0 when it was not called); @handshake_error is
 * NULL on success. */
PortholeTlsInfo     *porthole_tls_info_new (GTlsConnection       *connection,
                                            GTlsCertificate      *certificate,
                                            GTlsCertificateFlags  errors,
                                            const GError         *handshake_error);

G_END_DECLS
