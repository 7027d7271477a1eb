/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *usage;
} Command;

/* One line per subcommand (the contract in DESIGN.md). */
static const Command commands[] = {
  { "list", porthole_cli_list, "list [--all] [--tcp] [--udp] [--netns host|all] [--json] [--host HOST ...] [--hosts-file FILE]" },
  { "explain", porthole_cli_explain, "explain PORT [--json]" },
  { "probe", porthole_cli_probe, "probe TARGET [--timeout SECONDS] [--tls] [--udp] [--json]" },
  { "scan", porthole_cli_scan, "scan HOST PORTS [--concurrency N] [--timeout MS] [--yes] [--json]" },
  { "serve", porthole_cli_serve, "serve PORT [--address ADDR]" },
  { "top", porthole_cli_top, "top [--interval MS] [--netns host|all]" },
  { "watch", porthole_cli_watch, "watch [--json] [--interval MS] [--netns host|all] [--tcp] [--udp]" },
  { "record", porthole_cli_record, "record [--journal FILE] [--interval MS] [--retention DAYS] [--max-size MIB] [--verbose]" },
  { "history", porthole_cli_history, "history [--port N] [--process NAME] [--since WHEN] [--until WHEN] [--journal FILE] [--json]" },
};

int
porthole_cli_bad_input (const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line, whatever the message held */
  g_strdelimit (message, "\r\n", ' ');
  fprintf (stderr, "porthole-cli: %s\n", message);
  return PORTHOLE_CLI_BAD_INPUT;
}

gboolean
porthole_cli_parse (GOptionContext *context, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      porthole_cli_bad_input ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

void
porthole_cli_print_json (gpointer json_node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, json_node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

static void
usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: porthole-cli COMMAND [OPTIONS]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  porthole-cli %s\n", commands[i].usage);
}

int
main (int argc, char **argv)
{
  /* PORTHOLE_LOCALEDIR=_build/po finds the built catalogues of an uninstalled build, of either
   * profile: distributions run the tests on release builds. It is an environment override like
   * GSETTINGS_SCHEMA_DIR or LANGUAGE, and crosses no privilege boundary (no setuid here). */
  const char *localedir = g_getenv ("PORTHOLE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      usage (stderr);
      return PORTHOLE_CLI_BAD_INPUT;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return PORTHOLE_CLI_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("porthole-cli %s\n", PACKAGE_VERSION);
      return PORTHOLE_CLI_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  return porthole_cli_bad_input (_("unknown command “%s” (try --help)"), argv[1]);
}
