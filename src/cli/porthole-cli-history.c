/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-escape.h"
#include "porthole-journal.h"
#include "porthole-ports.h"
#include "porthole-target.h"
#include "porthole-when.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

/* porthole-cli history [--port N] [--process NAME] [--since WHEN] [--until WHEN] [--json]:
 * the listeners the journal holds that were open at some time in the window, oldest first.
 * Exit 0 when some match, 1 when none do (or nothing was recorded), 2 on bad input. */

static char *
iso_utc (gint64 usec)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("?");
}

static char *
local_time (gint64 usec)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return t ? g_date_time_format (t, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static char *
escaped_or_null (const char *text)
{
  return text != NULL ? porthole_escape_text (text, -1, FALSE) : NULL;
}

static void
add_string_or_null (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_listener_json (JsonBuilder *b, PortholeJournalListener *l)
{
  g_autofree char *opened = iso_utc (l->opened);
  g_autofree char *closed = l->closed != 0 ? iso_utc (l->closed) : NULL;
  g_autofree char *user = escaped_or_null (l->user);
  g_autofree char *process = escaped_or_null (l->process);
  g_autofree char *exe = escaped_or_null (l->exe);
  g_autofree char *cmdline = porthole_journal_listener_dup_cmdline_text (l);
  g_autofree char *unit = escaped_or_null (l->unit);

  json_builder_begin_object (b);
  add_string_or_null (b, "protocol", l->protocol);
  add_string_or_null (b, "local_address", l->address);
  json_builder_set_member_name (b, "local_port");
  json_builder_add_int_value (b, l->port);
  add_string_or_null (b, "opened", opened);
  add_string_or_null (b, "closed", closed);
  json_builder_set_member_name (b, "uid");
  if (l->uid >= 0)
    json_builder_add_int_value (b, l->uid);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "user", user);
  json_builder_set_member_name (b, "pid");
  if (l->pid > 0)
    json_builder_add_int_value (b, l->pid);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "process", process);
  add_string_or_null (b, "exe", exe);
  add_string_or_null (b, "cmdline", cmdline);
  add_string_or_null (b, "unit", unit);
  json_builder_set_member_name (b, "container");
  if (l->container.runtime != PORTHOLE_RUNTIME_NONE)
    {
      g_autofree char *id = escaped_or_null (l->container.id);
      g_autofree char *name = escaped_or_null (l->container.name);

      json_builder_begin_object (b);
      add_string_or_null (b, "runtime", porthole_runtime_to_string (l->container.runtime));
      add_string_or_null (b, "id", id);
      add_string_or_null (b, "name", name);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static void
print_text (GPtrArray *rows)
{
  printf ("%-19s  %-19s  %-5s  %-28s  %-10s  %7s  %s\n", _("OPENED"), _("CLOSED"), _("PROTO"),
          _("LOCAL"), _("USER"), _("PID"), _("PROCESS"));
  for (guint i = 0; i < rows->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (rows, i);
      g_autofree char *opened = local_time (l->opened);
      g_autofree char *closed = l->closed != 0 ? local_time (l->closed) : g_strdup (_("open"));
      g_autofree char *endpoint = porthole_format_endpoint (l->address, (guint16) l->port);
      g_autofree char *user = escaped_or_null (l->user);
      g_autofree char *process = escaped_or_null (l->process);
      g_autofree char *unit = escaped_or_null (l->unit);
      g_autofree char *pid = l->pid > 0 ? g_strdup_printf ("%d", l->pid) : g_strdup ("-");
      g_autofree char *who = NULL;

      if (unit != NULL)
        who = g_strdup_printf ("%s (%s)", process ? process : "-", unit);
      else
        who = g_strdup (process ? process : "-");
      printf ("%-19s  %-19s  %-5s  %-28s  %-10s  %7s  %s\n", opened, closed, l->protocol,
              endpoint, user ? user : "-", pid, who);
    }
}

int
porthole_cli_history (int argc, char **argv)
{
  g_autofree char *journal_path = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *process = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *until_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_STRING, &port_text, N_("Only this port"), N_("N") },
    { "process", 0, 0, G_OPTION_ARG_STRING, &process,
      N_("Only processes whose name contains NAME (any case)"), N_("NAME") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      N_("From this time: a duration back (7d, 12h, 30m), a date (ISO 8601), today, yesterday"),
      N_("WHEN") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text, N_("Up to this time (same forms)"),
      N_("WHEN") },
    { "journal", 0, 0, G_OPTION_ARG_FILENAME, &journal_path,
      N_("The journal file (default $XDG_STATE_HOME/porthole/journal.sqlite3)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;
  g_autoptr(PortholeJournal) journal = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();

  g_option_context_set_summary (context, _("Show which programs listened on which ports, from "
                                           "the history journal"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc > 1)
    {
      g_autofree char *extra = porthole_quote_short (argv[1], strlen (argv[1]));
      return porthole_cli_bad_input (_("history: unexpected argument “%s”"), extra);
    }
  if (port_text != NULL)
    {
      guint16 port;

      if (!porthole_port_parse (port_text, FALSE, &port, &error))
        return porthole_cli_bad_input ("--port: %s", error->message);
      filter.port = port;
    }
  if (process != NULL)
    {
      if (*process == '\0')
        return porthole_cli_bad_input (_("--process: the name is empty"));
      filter.process = process;
    }
  if (since_text != NULL && !porthole_when_parse (since_text, now, NULL, &filter.since, &error))
    return porthole_cli_bad_input ("--since: %s", error->message);
  if (until_text != NULL)
    {
      gint64 start, end;

      /* "--until yesterday" takes in the whole of yesterday */
      if (!porthole_when_parse_range (until_text, now, NULL, &start, &end, &error))
        return porthole_cli_bad_input ("--until: %s", error->message);
      filter.until = end;
    }
  if (filter.since != 0 && filter.until != 0 && filter.until < filter.since)
    return porthole_cli_bad_input (_("--until is before --since"));
  if (journal_path != NULL && *journal_path == '\0')
    return porthole_cli_bad_input (_("--journal: the file name is empty"));
  if (journal_path == NULL)
    journal_path = porthole_journal_default_path ();

  journal = porthole_journal_open_reader (journal_path, &error);
  if (journal != NULL)
    rows = porthole_journal_query (journal, &filter, &error);
  if (rows == NULL)
    {
      g_autofree char *message = porthole_escape_text (error->message, -1, FALSE);

      fprintf (stderr, "porthole-cli: %s\n", message);
      if (json)
        printf ("[]\n");
      return PORTHOLE_CLI_NEGATIVE;
    }
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        add_listener_json (b, g_ptr_array_index (rows, i));
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      porthole_cli_print_json (root);
    }
  else if (rows->len > 0)
    print_text (rows);
  else
    fprintf (stderr, "porthole-cli: %s\n", _("no listener in the history matches"));
  return rows->len > 0 ? PORTHOLE_CLI_OK : PORTHOLE_CLI_NEGATIVE;
}
