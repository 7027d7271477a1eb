/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-net-error.h"
#include "porthole-ports.h"
#include "porthole-target.h"
#include "porthole-test-server.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* porthole-cli serve PORT [--address ADDR]: a test server; one line per client that comes or
 * goes, with its 4-tuple, until SIGINT or SIGTERM. */

static void
print_client (PortholeTestServer *server, PortholeTestClient *client, const char *sign)
{
  g_autofree char *remote =
    porthole_format_endpoint (porthole_test_client_get_remote_address (client),
                              porthole_test_client_get_remote_port (client));
  g_autofree char *local =
    porthole_format_endpoint (porthole_test_client_get_local_address (client),
                              porthole_test_client_get_local_port (client));
  guint n = porthole_test_server_get_n_clients (server);

  printf ("%s %s -> %s  ", sign, remote, local);
  printf (g_dngettext (GETTEXT_PACKAGE, "(%u client connected)\n", "(%u clients connected)\n", n),
          n);
  fflush (stdout);
}

static void
on_connected (PortholeTestServer *server, PortholeTestClient *client, gpointer data)
{
  print_client (server, client, "+");
}

static void
on_disconnected (PortholeTestServer *server, PortholeTestClient *client, gpointer data)
{
  print_client (server, client, "-");
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
porthole_cli_serve (int argc, char **argv)
{
  g_autofree char *address = NULL;
  GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &address,
      N_("Address to listen on (default 127.0.0.1, loopback only)"), N_("ADDR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PORT"));
  g_autoptr(PortholeTarget) host = NULL;
  g_autoptr(PortholeTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  guint16 port;
  guint sigint, sigterm;

  g_option_context_set_summary (context, _("Listen on PORT (0: any free port) and show each "
                                           "client's 4-tuple as it connects and leaves"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc < 2)
    return porthole_cli_bad_input (_("serve: the port is missing (0 picks a free one)"));
  if (argc > 2)
    {
      g_autofree char *extra = porthole_quote_short (argv[2], strlen (argv[2]));
      return porthole_cli_bad_input (_("serve: unexpected argument “%s”"), extra);
    }
  if (strspn (argv[1], "0123456789") != strlen (argv[1]) && argv[1][0] != '-')
    {
      g_autofree char *bad = porthole_quote_short (argv[1], strlen (argv[1]));
      return porthole_cli_bad_input (_("port “%s” is not a number"), bad);
    }
  if (!porthole_port_parse (argv[1], TRUE, &port, &error))
    return porthole_cli_bad_input ("%s", error->message);
  host = porthole_target_parse_host (address != NULL ? address : "127.0.0.1", &error);
  if (host == NULL)
    return porthole_cli_bad_input ("--address: %s", error->message);
  if (!host->is_ip)
    {
      g_autofree char *bad = porthole_quote_short (host->host, strlen (host->host));
      return porthole_cli_bad_input (_("--address: “%s” is not an IP address"), bad);
    }

  server = porthole_test_server_new (host->host, port);
  if (!porthole_test_server_start (server, &error))
    {
      int code = g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID)
                   ? PORTHOLE_CLI_BAD_INPUT : PORTHOLE_CLI_NEGATIVE;

      g_strdelimit (error->message, "\r\n", ' ');
      fprintf (stderr, "porthole-cli: %s\n", error->message);
      return code;
    }
  g_signal_connect (server, "client-connected", G_CALLBACK (on_connected), NULL);
  g_signal_connect (server, "client-disconnected", G_CALLBACK (on_disconnected), NULL);
  endpoint = porthole_format_endpoint (host->host, porthole_test_server_get_port (server));
  printf (_("Listening on %s (Ctrl+C to stop)\n"), endpoint);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  porthole_test_server_stop (server);
  printf ("%s\n", _("Stopped"));
  return PORTHOLE_CLI_OK;
}
