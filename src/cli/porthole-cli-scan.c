/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-connect-scan.h"
#include "porthole-escape.h"
#include "porthole-portlist.h"
#include "porthole-scan.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* porthole-cli scan HOST PORTS [--concurrency N] [--timeout MS] [--yes] [--json] */

#define MAX_TIMEOUT_MS 600000

typedef struct {
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->ok = porthole_scan_run_finish (PORTHOLE_SCAN (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_signal (gpointer data)
{
  porthole_scan_cancel (data);
  return G_SOURCE_CONTINUE;
}

static void
on_progress (PortholeScan *scan, GParamSpec *pspec, gpointer data)
{
  fprintf (stderr, "\r%s %u/%u", _("scanning"), porthole_scan_get_ports_done (scan),
           porthole_scan_get_ports_total (scan));
}

static JsonNode *
to_json (PortholeScan *scan, const char *host)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GListModel *results = porthole_scan_get_results (scan);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, host);
  json_builder_set_member_name (b, "ports_scanned");
  json_builder_add_int_value (b, porthole_scan_get_ports_done (scan));
  json_builder_set_member_name (b, "open");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PortholeScanResult) r = g_list_model_get_item (results, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "port");
      json_builder_add_int_value (b, porthole_scan_result_get_port (r));
      json_builder_set_member_name (b, "service");
      if (porthole_scan_result_get_service (r) != NULL)
        json_builder_add_string_value (b, porthole_scan_result_get_service (r));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "closed");
  json_builder_add_int_value (b, porthole_scan_get_closed_count (scan));
  json_builder_set_member_name (b, "filtered");
  json_builder_add_int_value (b, porthole_scan_get_filtered_count (scan));
  json_builder_set_member_name (b, "elapsed_ms");
  json_builder_add_int_value (b, (gint64) (porthole_scan_get_elapsed_ms (scan) + 0.5));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_text (PortholeScan *scan)
{
  GListModel *results = porthole_scan_get_results (scan);
  const char *address = porthole_scan_get_address (scan);
  g_autofree char *shown = strchr (address, ':') ? g_strdup_printf ("[%s]", address)
                                                  : g_strdup (address);

  printf (_("%s: %u ports scanned in %.0f ms\n"), shown, porthole_scan_get_ports_done (scan),
          porthole_scan_get_elapsed_ms (scan));
  if (g_list_model_get_n_items (results) > 0)
    {
      g_autofree char *header = porthole_text_pad (_("PORT"), 8);

      printf ("%s %s\n", header, _("SERVICE"));
    }
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PortholeScanResult) r = g_list_model_get_item (results, i);
      const char *service = porthole_scan_result_get_service (r);

      printf ("%-8u %s\n", porthole_scan_result_get_port (r), service != NULL ? service : "-");
    }
  printf (_("%u open, %u closed, %u filtered\n"), porthole_scan_get_open_count (scan),
          porthole_scan_get_closed_count (scan), porthole_scan_get_filtered_count (scan));
}

static int
refuse_unconfirmed (const char *host)
{
  g_autofree char *q = porthole_quote_short (host, strlen (host));

  return porthole_cli_bad_input (_("%s is not this machine: only scan hosts you are authorised "
                                   "to test; pass --yes to confirm"), q);
}

int
porthole_cli_scan (int argc, char **argv)
{
  int concurrency = PORTHOLE_SCAN_DEFAULT_CONCURRENCY;
  int timeout = PORTHOLE_SCAN_DEFAULT_TIMEOUT_MS;
  gboolean yes = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &concurrency,
      N_("Connections in flight at once (default 200)"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Milliseconds to wait for each port (default 1000)"), N_("MS") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes,
      N_("Confirm that you may scan a host outside this machine"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("HOST PORTS"));
  g_autoptr(PortholeTarget) host = NULL;
  g_autoptr(PortholePortList) ports = NULL;
  g_autoptr(PortholeScan) scan = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  guint max = porthole_connect_scan_max_concurrency ();
  guint sigint, sigterm;
  Wait wait = { 0 };

  g_option_context_set_summary (context, _("TCP connect scan: PORTS like 22,80,8000-8100"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc < 3)
    return porthole_cli_bad_input ("%s", argc < 2
                                   ? _("scan: the host is missing (e.g. scan localhost 1-1024)")
                                   : _("scan: the port list is missing (e.g. 22,80,8000-8100)"));
  if (argc > 3)
    {
      g_autofree char *extra = porthole_quote_short (argv[3], strlen (argv[3]));
      return porthole_cli_bad_input (_("scan: unexpected argument “%s”"), extra);
    }
  if (concurrency < 1 || (guint) concurrency > max)
    return porthole_cli_bad_input (_("--concurrency: %d is not between 1 and %u"), concurrency,
                                   max);
  if (timeout < 1 || timeout > MAX_TIMEOUT_MS)
    return porthole_cli_bad_input (_("--timeout: %d is not between 1 and %d milliseconds"),
                                   timeout, MAX_TIMEOUT_MS);
  host = porthole_target_parse_host (argv[1], &error);
  if (host == NULL)
    return porthole_cli_bad_input ("%s", error->message);
  ports = porthole_port_list_parse (argv[2], &error);
  if (ports == NULL)
    return porthole_cli_bad_input ("%s", error->message);
  if (host->is_ip && !yes)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host->host);

      if (!g_inet_address_get_is_loopback (address))
        return refuse_unconfirmed (host->host);
    }

  scan = porthole_scan_new (argv[1], argv[2]);
  porthole_scan_set_concurrency (scan, concurrency);
  porthole_scan_set_timeout_ms (scan, timeout);
  porthole_scan_set_confirmed (scan, yes);
  if (!json && isatty (STDERR_FILENO))
    g_signal_connect (scan, "notify::ports-done", G_CALLBACK (on_progress), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  sigint = g_unix_signal_add (SIGINT, on_signal, scan);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, scan);
  porthole_scan_run_async (scan, NULL, on_done, &wait);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (!json && isatty (STDERR_FILENO))
    fputs ("\r\033[K", stderr);

  if (wait.error != NULL)
    {
      g_autoptr(GError) failure = wait.error;

      if (g_error_matches (failure, PORTHOLE_SCAN_ERROR, PORTHOLE_SCAN_ERROR_NOT_CONFIRMED))
        return refuse_unconfirmed (host->host);
      g_strdelimit (failure->message, "\r\n", ' ');
      fprintf (stderr, "porthole-cli: %s\n", failure->message);
      return PORTHOLE_CLI_NEGATIVE;
    }
  if (json)
    {
      g_autoptr(JsonNode) root = to_json (scan, host->host);

      porthole_cli_print_json (root);
    }
  else
    print_text (scan);
  /* Like grep: 0 when something was found */
  return porthole_scan_get_open_count (scan) > 0 ? PORTHOLE_CLI_OK : PORTHOLE_CLI_NEGATIVE;
}
