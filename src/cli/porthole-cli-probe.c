/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-escape.h"
#include "porthole-net-error.h"
#include "porthole-ports.h"
#include "porthole-probe.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

/* porthole-cli probe TARGET [--timeout SECONDS] [--tls] [--udp] [--json] */

#define MAX_TIMEOUT_SECONDS 3600.0

typedef struct {
  GMainLoop           *loop;
  PortholeProbeStatus  status;
  GError              *error;
} Wait;

static void
on_step (PortholeProbe *probe, PortholeProbeStep step, const char *address,
         PortholeProbeStatus status, const char *message, double elapsed_ms, gpointer data)
{
  /* The messages are escaped by the model */
  printf ("%9.1f ms  %s\n", elapsed_ms, message);
  fflush (stdout);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->status = porthole_probe_run_finish (PORTHOLE_PROBE (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Rounded to 1/128 ms (8 µs): a binary fraction, so JSON shows "0.1484375" rather than
 * "0.14999999999999999", and no libm is needed */
static double
milliseconds (double ms)
{
  return (gint64) (ms * 128 + 0.5) / 128.0;
}

static void
add_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_date (JsonBuilder *b, const char *key, GDateTime *date)
{
  g_autofree char *text = date != NULL ? g_date_time_format_iso8601 (date) : NULL;

  add_string (b, key, text);
}

static void
add_tls (JsonBuilder *b, PortholeTlsInfo *info)
{
  g_auto(GStrv) ids = NULL;

  json_builder_set_member_name (b, "tls");
  if (info == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  ids = porthole_tls_info_dup_error_ids (info);
  json_builder_begin_object (b);
  add_string (b, "version", porthole_tls_info_get_version (info));
  add_string (b, "cipher", porthole_tls_info_get_cipher (info));
  add_string (b, "subject", porthole_tls_info_get_subject (info));
  add_string (b, "issuer", porthole_tls_info_get_issuer (info));
  add_date (b, "not_before", porthole_tls_info_get_not_before (info));
  add_date (b, "not_after", porthole_tls_info_get_not_after (info));
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  for (guint i = 0; ids[i] != NULL; i++)
    json_builder_add_string_value (b, ids[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static JsonNode *
to_json (PortholeProbe *probe, const char *target)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char * const *addresses = porthole_probe_get_addresses (probe);
  const PortholeProbeAttempt *attempts;
  GBytes *banner = porthole_probe_get_banner_bytes (probe);
  gboolean connected = porthole_probe_get_local_port (probe) != 0;
  guint n;

  json_builder_begin_object (b);
  add_string (b, "target", target);
  add_string (b, "host", porthole_probe_get_host (probe));
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, porthole_probe_get_port (probe));
  add_string (b, "status", porthole_probe_status_to_string (porthole_probe_get_status (probe)));
  json_builder_set_member_name (b, "addresses");
  json_builder_begin_array (b);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    json_builder_add_string_value (b, addresses[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "attempts");
  json_builder_begin_array (b);
  attempts = porthole_probe_get_attempts (probe, &n);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      add_string (b, "address", attempts[i].address);
      add_string (b, "status", porthole_probe_status_to_string (attempts[i].status));
      json_builder_set_member_name (b, "ms");
      json_builder_add_double_value (b, milliseconds (attempts[i].ms));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_string (b, "remote_address", porthole_probe_get_remote_address (probe));
  add_string (b, "local_address", porthole_probe_get_local_address (probe));
  json_builder_set_member_name (b, "local_port");
  if (connected)
    json_builder_add_int_value (b, porthole_probe_get_local_port (probe));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "connect_ms");
  if (porthole_probe_get_connect_ms (probe) >= 0)
    json_builder_add_double_value (b, milliseconds (porthole_probe_get_connect_ms (probe)));
  else
    json_builder_add_null_value (b);
  add_string (b, "banner", porthole_probe_get_banner (probe));
  json_builder_set_member_name (b, "banner_bytes");
  json_builder_add_int_value (b, banner != NULL ? (gint64) g_bytes_get_size (banner) : 0);
  add_tls (b, porthole_probe_get_tls_info (probe));
  add_string (b, "error", porthole_probe_get_error_message (probe));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* "  label  value", the labels padded to one column in any language */
static void
print_tls_line (const char *label, gsize width, const char *value)
{
  g_autofree char *padded = porthole_text_pad (label, width);

  printf ("  %s %s\n", padded, value);
}

static void
print_tls (PortholeTlsInfo *info)
{
  g_auto(GStrv) problems = porthole_tls_info_dup_error_descriptions (info);
  GDateTime *before = porthole_tls_info_get_not_before (info);
  GDateTime *after = porthole_tls_info_get_not_after (info);
  g_autofree char *from = before != NULL ? g_date_time_format_iso8601 (before) : NULL;
  g_autofree char *until = after != NULL ? g_date_time_format_iso8601 (after) : NULL;
  g_autofree char *validity = NULL;
  const char *labels[] = { _("version"), _("cipher"), _("subject"), _("issuer"), _("valid"),
                           _("problem") };
  const char *values[] = { porthole_tls_info_get_version (info), porthole_tls_info_get_cipher (info),
                           porthole_tls_info_get_subject (info), porthole_tls_info_get_issuer (info),
                           NULL };
  gsize width = 0;

  if (from != NULL && until != NULL)
    values[4] = validity = g_strdup_printf ("%s .. %s", from, until);
  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    width = MAX (width, porthole_text_columns (labels[i]));

  printf ("%s\n", _("TLS:"));
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    if (values[i] != NULL)
      print_tls_line (labels[i], width, values[i]);
  for (guint i = 0; problems[i] != NULL; i++)
    print_tls_line (labels[5], width, problems[i]);
  if (problems[0] == NULL)
    print_tls_line (labels[5], width, _("none: the certificate is valid for this host"));
}

static void
print_summary (PortholeProbe *probe)
{
  PortholeProbeStatus status = porthole_probe_get_status (probe);
  const char *remote = porthole_probe_get_remote_address (probe);
  const char *banner = porthole_probe_get_banner (probe);
  PortholeSysctl sysctl;

  printf ("\n%s: %s\n", _("Result"), porthole_probe_status_to_string (status));
  if (porthole_probe_get_local_address (probe) != NULL && remote != NULL)
    {
      guint local_port = porthole_probe_get_local_port (probe);
      g_autofree char *from = porthole_format_endpoint (porthole_probe_get_local_address (probe),
                                                        local_port);
      g_autofree char *to = porthole_format_endpoint (remote,
                                                      porthole_probe_get_remote_port (probe));

      porthole_sysctl_read (NULL, &sysctl);
      printf ("%s: %s -> %s\n", _("4-tuple"), from, to);
      printf (porthole_port_is_ephemeral (&sysctl, local_port)
                ? _("Local port %u was picked by the kernel from its ephemeral range %u-%u\n")
                : _("Local port %u is outside the ephemeral range %u-%u\n"),
              local_port, sysctl.ephemeral_start, sysctl.ephemeral_end);
    }
  if (porthole_probe_get_error_message (probe) != NULL)
    printf ("%s\n", porthole_probe_get_error_message (probe));
  if (porthole_probe_get_tls_info (probe) != NULL)
    print_tls (porthole_probe_get_tls_info (probe));
  if (banner != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (banner, "\n", -1);

      printf ("%s\n", _("Banner (escaped):"));
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0' || lines[i + 1] != NULL)
          printf ("  | %s\n", lines[i]);
    }
}

int
porthole_cli_probe (int argc, char **argv)
{
  double timeout = 5.0;
  gboolean tls = FALSE, udp = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout,
      N_("Seconds to wait for each step (default 5)"), N_("SECONDS") },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls,
      N_("Do a TLS handshake and show the certificate"), NULL },
    { "udp", 0, 0, G_OPTION_ARG_NONE, &udp,
      N_("Send one UDP datagram instead of connecting"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("TARGET"));
  g_autoptr(PortholeTarget) target = NULL;
  g_autoptr(PortholeProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Wait wait = { 0 };

  g_option_context_set_summary (context, _("Test a connection to host:port, [v6]:port or a URL"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc < 2)
    return porthole_cli_bad_input (_("probe: the target is missing (e.g. localhost:22)"));
  if (argc > 2)
    {
      g_autofree char *extra = porthole_quote_short (argv[2], strlen (argv[2]));
      return porthole_cli_bad_input (_("probe: unexpected argument “%s”"), extra);
    }
  if (!(timeout > 0 && timeout <= MAX_TIMEOUT_SECONDS))
    return porthole_cli_bad_input (_("--timeout: %g is not between 0 and %g seconds"), timeout,
                                   MAX_TIMEOUT_SECONDS);
  if (tls && udp)
    return porthole_cli_bad_input (_("--tls and --udp cannot be combined"));
  target = porthole_target_parse (argv[1], &error);
  if (target == NULL)
    return porthole_cli_bad_input ("%s", error->message);

  probe = porthole_probe_new (argv[1]);
  porthole_probe_set_timeout_ms (probe, (guint) (timeout * 1000 + 0.999));
  porthole_probe_set_banner_wait_ms (probe, MIN ((guint) (timeout * 1000 + 0.999), 1500));
  porthole_probe_set_tls (probe, tls);
  porthole_probe_set_udp (probe, udp);
  if (!json)
    g_signal_connect (probe, "step", G_CALLBACK (on_step), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  porthole_probe_run_async (probe, NULL, on_done, &wait);
  g_main_loop_run (loop);
  if (wait.error != NULL)
    {
      int code = g_error_matches (wait.error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID)
                   ? PORTHOLE_CLI_BAD_INPUT : PORTHOLE_CLI_NEGATIVE;

      g_strdelimit (wait.error->message, "\r\n", ' ');
      fprintf (stderr, "porthole-cli: %s\n", wait.error->message);
      g_error_free (wait.error);
      return code;
    }

  if (json)
    {
      g_autofree char *shown = porthole_target_to_string (target);
      g_autoptr(JsonNode) root = to_json (probe, shown);

      porthole_cli_print_json (root);
    }
  else
    print_summary (probe);
  return wait.status == PORTHOLE_PROBE_STATUS_OPEN ? PORTHOLE_CLI_OK : PORTHOLE_CLI_NEGATIVE;
}
