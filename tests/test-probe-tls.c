/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-probe-tls"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-peer.h"
#include "porthole-escape.h"
#include "porthole-probe.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* TLS probes against a GTlsServerConnection on loopback (in a thread of this test), with
 * certificates made here by `openssl ca`: self-signed, expired, and for another host. */

static char *tmpdir;

/* Under AddressSanitizer: LeakSanitizer (GCC 12, glibc 2.36) crashes at exit while walking the
 * dynamic TLS of the threads glib-networking's GnuTLS module starts ("Tracer caught signal 11"
 * after "DTLS ... at 0x...").  Not intercepting __tls_get_addr avoids it; leak checking stays
 * on.  Ignored by builds without the sanitizer. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}

/* Self-signs a certificate: openssl's `ca -selfsign` is the way to choose both dates. */
static const char gen_script[] =
  "set -e\n"
  "cd \"$1\"; name=$2; cn=$3; san=$4; start=$5; end=$6\n"
  "printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase=%s.db\\nnew_certs_dir=.\\nserial=%s.serial\\n"
  "default_md=sha256\\npolicy=p\\ncopy_extensions=copy\\nunique_subject=no\\n"
  "[p]\\ncommonName=supplied\\n' $name $name > $name.cnf\n"
  ": > $name.db; echo 01 > $name.serial\n"
  "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $name.key "
  "  -out $name.csr -subj \"/CN=$cn\" -addext \"subjectAltName=$san\" 2>/dev/null\n"
  "openssl ca -batch -config $name.cnf -selfsign -keyfile $name.key -in $name.csr -out $name.pem "
  "  -startdate $start -enddate $end -notext 2>/dev/null\n";

static GTlsCertificate *
make_certificate (const char *name, const char *cn, const char *san, const char *start,
                  const char *end)
{
  g_autofree char *script = g_build_filename (tmpdir, "gen.sh", NULL);
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", tmpdir, name);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", tmpdir, name);
  const char *argv[] = { "sh", script, tmpdir, name, cn, san, start, end, NULL };
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;
  int status = -1;

  ck_assert (g_file_set_contents (script, gen_script, -1, NULL));
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error), "%s", error ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "openssl failed for %s", name);
  certificate = g_tls_certificate_new_from_files (pem, key, &error);
  ck_assert_msg (certificate != NULL, "%s", error ? error->message : "");
  return certificate;
}

static char *
openssl_date (GTimeSpan offset)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add (now, offset);

  return g_date_time_format (when, "%Y%m%d%H%M%SZ");
}

static void
setup (void)
{
  tmpdir = g_dir_make_tmp ("porthole-tls-XXXXXX", NULL);
  ck_assert_ptr_nonnull (tmpdir);
}

static void
teardown (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

typedef struct {
  gboolean done;
  gboolean saw_tls_step;
  GError  *error;
} Wait;

static void
on_step (PortholeProbe *probe, PortholeProbeStep step, const char *address,
         PortholeProbeStatus status, const char *message, double elapsed, gpointer data)
{
  Wait *wait = data;

  if (step == PORTHOLE_PROBE_STEP_TLS)
    wait->saw_tls_step = TRUE;
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  porthole_probe_run_finish (PORTHOLE_PROBE (source), result, &wait->error);
  wait->done = TRUE;
}

/* Probes a TLS peer serving @certificate and returns its TLS report */
static PortholeTlsInfo *
probe_tls (PortholeTestPeer *peer, PortholeProbe **probe_out)
{
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  PortholeProbe *probe = porthole_probe_new (target);
  Wait wait = { 0 };

  porthole_probe_set_tls (probe, TRUE);
  porthole_probe_set_timeout_ms (probe, 5000);
  porthole_probe_set_banner_wait_ms (probe, 200);
  g_signal_connect (probe, "step", G_CALLBACK (on_step), &wait);
  porthole_probe_run_async (probe, NULL, on_done, &wait);
  ck_assert (porthole_test_wait_for (&wait.done, 20000));
  ck_assert_msg (wait.error == NULL, "%s", wait.error ? wait.error->message : "");
  ck_assert (wait.saw_tls_step);
  ck_assert_int_eq (porthole_probe_get_status (probe), PORTHOLE_PROBE_STATUS_OPEN);
  ck_assert_ptr_nonnull (porthole_probe_get_tls_info (probe));
  *probe_out = probe;
  return porthole_probe_get_tls_info (probe);
}

static gboolean
has_id (PortholeTlsInfo *info, const char *id)
{
  g_auto(GStrv) ids = porthole_tls_info_dup_error_ids (info);

  return g_strv_contains ((const char * const *) ids, id);
}

static void
assert_handshake_details (PortholeTlsInfo *info, const char *cn)
{
  g_autofree char *expected = g_strdup_printf ("CN=%s", cn);
  g_auto(GStrv) ids = porthole_tls_info_dup_error_ids (info);
  g_auto(GStrv) descriptions = porthole_tls_info_dup_error_descriptions (info);

  ck_assert_ptr_null (porthole_tls_info_get_handshake_error (info));
  ck_assert_ptr_nonnull (porthole_tls_info_get_version (info));
  ck_assert (g_str_has_prefix (porthole_tls_info_get_version (info), "TLS 1."));
  ck_assert_ptr_nonnull (porthole_tls_info_get_cipher (info));
  ck_assert_ptr_nonnull (strstr (porthole_tls_info_get_subject (info), expected));
  /* Self-signed: the issuer is the subject */
  ck_assert_str_eq (porthole_tls_info_get_issuer (info), porthole_tls_info_get_subject (info));
  ck_assert_ptr_nonnull (porthole_tls_info_get_not_before (info));
  ck_assert_ptr_nonnull (porthole_tls_info_get_not_after (info));
  ck_assert_ptr_nonnull (porthole_tls_info_get_certificate (info));
  ck_assert_uint_eq (g_strv_length (ids), g_strv_length (descriptions));
}

START_TEST (test_self_signed)
{
  g_autofree char *start = openssl_date (-G_TIME_SPAN_DAY);
  g_autofree char *end = openssl_date (30 * G_TIME_SPAN_DAY);
  g_autoptr(GTlsCertificate) cert = make_certificate ("self", "localhost",
                                                      "DNS:localhost,IP:127.0.0.1", start, end);
  PortholeTestPeer *peer = porthole_test_peer_start_tls ("127.0.0.1", cert);
  g_autoptr(PortholeProbe) probe = NULL;
  PortholeTlsInfo *info = probe_tls (peer, &probe);

  assert_handshake_details (info, "localhost");
  /* Untrusted, but for the right host and within its dates: exactly one problem */
  ck_assert_int_eq (porthole_tls_info_get_errors (info), G_TLS_CERTIFICATE_UNKNOWN_CA);
  ck_assert (has_id (info, "unknown-ca"));
  ck_assert (g_date_time_compare (porthole_tls_info_get_not_after (info),
                                  porthole_tls_info_get_not_before (info)) > 0);
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_expired)
{
  g_autoptr(GTlsCertificate) cert = make_certificate ("expired", "localhost",
                                                      "DNS:localhost,IP:127.0.0.1",
                                                      "20200101000000Z", "20200201000000Z");
  PortholeTestPeer *peer = porthole_test_peer_start_tls ("127.0.0.1", cert);
  g_autoptr(PortholeProbe) probe = NULL;
  PortholeTlsInfo *info = probe_tls (peer, &probe);
  g_autofree char *after = NULL;

  assert_handshake_details (info, "localhost");
  ck_assert (porthole_tls_info_get_errors (info) & G_TLS_CERTIFICATE_EXPIRED);
  ck_assert (porthole_tls_info_get_errors (info) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  ck_assert (!(porthole_tls_info_get_errors (info) & G_TLS_CERTIFICATE_BAD_IDENTITY));
  ck_assert (has_id (info, "expired"));
  after = g_date_time_format (porthole_tls_info_get_not_after (info), "%F");
  ck_assert_str_eq (after, "2020-02-01");
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_wrong_host)
{
  g_autofree char *start = openssl_date (-G_TIME_SPAN_DAY);
  g_autofree char *end = openssl_date (30 * G_TIME_SPAN_DAY);
  g_autoptr(GTlsCertificate) cert = make_certificate ("wrong", "wrong.example",
                                                      "DNS:wrong.example", start, end);
  PortholeTestPeer *peer = porthole_test_peer_start_tls ("127.0.0.1", cert);
  g_autoptr(PortholeProbe) probe = NULL;
  PortholeTlsInfo *info = probe_tls (peer, &probe);

  assert_handshake_details (info, "wrong.example");
  ck_assert (porthole_tls_info_get_errors (info) & G_TLS_CERTIFICATE_BAD_IDENTITY);
  ck_assert (porthole_tls_info_get_errors (info) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  ck_assert (!(porthole_tls_info_get_errors (info) & G_TLS_CERTIFICATE_EXPIRED));
  ck_assert (has_id (info, "bad-identity"));
  porthole_test_peer_stop (peer);
}
END_TEST

START_TEST (test_not_tls)
{
  g_autoptr(GBytes) hello = g_bytes_new_static ("220 plain text, no TLS here\r\n", 29);
  PortholeTestPeer *peer = porthole_test_peer_start ("127.0.0.1", PORTHOLE_TEST_PEER_SEND, hello);
  g_autoptr(PortholeProbe) probe = NULL;
  PortholeTlsInfo *info = probe_tls (peer, &probe);

  /* The port is open; the handshake failed and says so */
  ck_assert_ptr_nonnull (porthole_tls_info_get_handshake_error (info));
  ck_assert (has_id (info, "handshake-failed"));
  ck_assert_ptr_null (porthole_tls_info_get_version (info));
  porthole_test_peer_stop (peer);
}
END_TEST

/* The CLI's JSON "tls" object, as DESIGN.md's contract has it */
START_TEST (test_cli_json)
{
  g_autoptr(GTlsCertificate) cert = make_certificate ("cli", "localhost",
                                                      "DNS:localhost,IP:127.0.0.1",
                                                      "20200101000000Z", "20200201000000Z");
  PortholeTestPeer *peer = porthole_test_peer_start_tls ("127.0.0.1", cert);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  const char *argv[] = { g_getenv ("PORTHOLE_CLI"), "probe", target, "--tls", "--json", NULL };
  g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS") ?: "",
                                       ":intercept_tls_get_addr=0", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "ASAN_OPTIONS", asan, TRUE);
  static const char *const keys[] = { "version", "cipher", "subject", "issuer", "not_before",
                                      "not_after", "errors", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *tls;
  JsonArray *errors;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  int status;

  ck_assert_ptr_nonnull (argv[0]);
  ck_assert (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                           &out, NULL, &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "porthole-cli exited %d", status);
  ck_assert_msg (json_parser_load_from_data (parser, out, -1, NULL), "not JSON: %s", out);
  tls = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "tls");
  ck_assert_ptr_nonnull (tls);
  ck_assert_uint_eq (json_object_get_size (tls), g_strv_length ((char **) keys));
  for (guint i = 0; keys[i] != NULL; i++)
    ck_assert_msg (json_object_has_member (tls, keys[i]), "no “%s”", keys[i]);
  ck_assert (g_str_has_prefix (json_object_get_string_member (tls, "version"), "TLS 1."));
  ck_assert_ptr_nonnull (strstr (json_object_get_string_member (tls, "subject"), "CN=localhost"));
  ck_assert (g_str_has_prefix (json_object_get_string_member (tls, "not_after"), "2020-02-01"));
  errors = json_object_get_array_member (tls, "errors");
  for (guint i = 0; i < json_array_get_length (errors); i++)
    g_ptr_array_add (ids, (gpointer) json_array_get_string_element (errors, i));
  g_ptr_array_add (ids, NULL);
  ck_assert (g_strv_contains ((const char * const *) ids->pdata, "expired"));
  ck_assert (g_strv_contains ((const char * const *) ids->pdata, "unknown-ca"));
  porthole_test_peer_stop (peer);
}
END_TEST

/* The text output's TLS block ("  label   value"): every value starts at one column, in
 * English and in Hindi, whose labels are wider in bytes than on screen */
static void
check_tls_columns (const char *language)
{
  g_autoptr(GTlsCertificate) cert = make_certificate ("cols", "localhost", "DNS:localhost",
                                                      "20200101000000Z", "20200201000000Z");
  PortholeTestPeer *peer = porthole_test_peer_start_tls ("127.0.0.1", cert);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", peer->port);
  g_autofree char *localedir = g_build_filename (g_getenv ("PORTHOLE_BUILD_ROOT"), "po", NULL);
  const char *argv[] = { g_getenv ("PORTHOLE_CLI"), "probe", target, "--tls", NULL };
  g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS") ?: "",
                                       ":intercept_tls_get_addr=0", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "ASAN_OPTIONS", asan, TRUE);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  gsize value_column = 0;
  guint n_block = 0;
  gboolean in_block = FALSE;
  int status;

  env = g_environ_setenv (env, "LANGUAGE", language, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "PORTHOLE_LOCALEDIR", localedir, TRUE);
  ck_assert (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                           &out, NULL, &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "porthole-cli exited %d", status);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *label_end, *value;
      g_autofree char *prefix = NULL;

      if (g_str_equal (line, "TLS:"))   /* the header is not translated: TLS is a name */
        {
          in_block = TRUE;
          continue;
        }
      if (!in_block || !g_str_has_prefix (line, "  "))
        {
          in_block = FALSE;
          continue;
        }
      label_end = strchr (line + 2, ' ');
      ck_assert_ptr_nonnull (label_end);
      for (value = label_end; *value == ' '; value++)
        ;
      prefix = g_strndup (line, (gsize) (value - line));
      if (n_block++ == 0)
        value_column = porthole_text_columns (prefix);
      ck_assert_msg (porthole_text_columns (prefix) == value_column, "%s: “%s” at column %zu, not %zu",
                     language, line, porthole_text_columns (prefix), value_column);
    }
  /* version, cipher, subject, issuer, valid and at least one problem */
  ck_assert_uint_ge (n_block, 6);
  if (g_str_equal (language, "hi"))   /* translated: no English label left */
    ck_assert_ptr_null (strstr (out, "  version"));
  porthole_test_peer_stop (peer);
}

START_TEST (test_cli_text_columns)
{
  check_tls_columns ("en");
  check_tls_columns ("hi");
}
END_TEST

static Suite *
probe_tls_suite (void)
{
  Suite *s = suite_create ("probe-tls");
  TCase *tc = tcase_create ("tls");

  tcase_set_timeout (tc, 60);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_self_signed);
  tcase_add_test (tc, test_expired);
  tcase_add_test (tc, test_wrong_host);
  tcase_add_test (tc, test_not_tls);
  tcase_add_test (tc, test_cli_text_columns);
  tcase_add_test (tc, test_cli_json);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (probe_tls_suite)
