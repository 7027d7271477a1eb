/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-escape.h"
#include "porthole-recorder.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* porthole-cli record: the headless history recorder (the systemd user unit
 * porthole-record.service runs it). Runs until SIGINT or SIGTERM, then writes what is
 * pending, ends its session and exits 0. */

typedef struct {
  GMainLoop        *loop;
  PortholeRecorder *recorder;
  gboolean          verbose;
  gboolean          stopping;
  char             *said;   /* the last state line, not repeated */
} Record;

static void
on_stopped (GObject *source, GAsyncResult *result, gpointer data)
{
  Record *r = data;
  g_autoptr(GError) error = NULL;

  if (!porthole_recorder_stop_finish (PORTHOLE_RECORDER (source), result, &error))
    fprintf (stderr, "porthole-cli: %s\n", error->message);
  g_main_loop_quit (r->loop);
}

static gboolean
on_signal (gpointer data)
{
  Record *r = data;

  if (!r->stopping)
    {
      r->stopping = TRUE;
      porthole_recorder_stop_async (r->recorder, NULL, on_stopped, r);
    }
  return G_SOURCE_CONTINUE;
}

static void
print_line (FILE *out, const char *text)
{
  g_autofree char *clean = porthole_escape_text (text, -1, FALSE);

  fprintf (out, "porthole-cli: %s\n", clean);
  fflush (out);
}

static void
on_error (PortholeRecorder *recorder, GParamSpec *pspec, Record *r)
{
  if (porthole_recorder_get_error (recorder) != NULL)
    print_line (stderr, porthole_recorder_get_error (recorder));
}

static void
on_writing (PortholeRecorder *recorder, GParamSpec *pspec, Record *r)
{
  g_autofree char *message = NULL;

  if (r->stopping)
    return;
  if (porthole_recorder_get_writing (recorder))
    message = g_strdup_printf (_("recording to %s"), porthole_recorder_get_path (recorder));
  else if (porthole_recorder_get_other_writer (recorder))
    message = g_strdup_printf (_("another recorder is writing %s; this one waits to take over"),
                               porthole_recorder_get_path (recorder));
  else
    message = g_strdup_printf (_("not recording to %s for now; trying again every few seconds"),
                               porthole_recorder_get_path (recorder));
  if (g_strcmp0 (message, r->said) == 0)
    return;
  print_line (stderr, message);
  g_free (r->said);
  r->said = g_steal_pointer (&message);
}

static void
on_batch (PortholeRecorder *recorder, guint64 batches, Record *r)
{
  if (!r->verbose)
    return;
  printf ("batch %" G_GUINT64_FORMAT "\n", batches);
  fflush (stdout);
}

int
porthole_cli_record (int argc, char **argv)
{
  g_autofree char *journal = NULL;
  int interval = 2000, retention = 30, max_mib = 256, retry = 10000;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "journal", 0, 0, G_OPTION_ARG_FILENAME, &journal,
      N_("The journal file (default $XDG_STATE_HOME/porthole/journal.sqlite3)"), N_("FILE") },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval,
      N_("Milliseconds between two reads of the socket tables (default 2000)"), N_("MS") },
    { "retention", 0, 0, G_OPTION_ARG_INT, &retention,
      N_("Days of history to keep (default 30)"), N_("DAYS") },
    { "max-size", 0, 0, G_OPTION_ARG_INT, &max_mib,
      N_("Largest size of the journal in MiB, oldest rows go first (default 256, 0: none)"),
      N_("MIB") },
    { "retry", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &retry, NULL, NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Print a line after each batch written"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(PortholeRecorder) recorder = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Record r = { 0 };
  guint sigint, sigterm;

  g_option_context_set_summary (context, _("Record which programs listen and connect, into the "
                                           "history journal, until stopped (Ctrl+C, SIGTERM)"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc > 1)
    {
      g_autofree char *extra = porthole_quote_short (argv[1], strlen (argv[1]));
      return porthole_cli_bad_input (_("record: unexpected argument “%s”"), extra);
    }
  if (interval < 100 || interval > 3600000)
    return porthole_cli_bad_input (_("--interval: %d is out of range (100 to 3600000 ms)"),
                                   interval);
  if (retention < 1 || retention > 3650)
    return porthole_cli_bad_input (_("--retention: %d is out of range (1 to 3650 days)"),
                                   retention);
  if (max_mib < 0 || max_mib > 1024 * 1024)
    return porthole_cli_bad_input (_("--max-size: %d is out of range (0 to 1048576 MiB)"),
                                   max_mib);
  if (retry < 10 || retry > 3600000)
    return porthole_cli_bad_input (_("--retry: %d is out of range (10 to 3600000 ms)"), retry);
  if (journal != NULL && *journal == '\0')
    return porthole_cli_bad_input (_("--journal: the file name is empty"));

  monitor = porthole_socket_monitor_new ();
  porthole_socket_monitor_set_all_namespaces (monitor, TRUE);
  recorder = g_object_new (PORTHOLE_TYPE_RECORDER, "monitor", monitor, "path", journal,
                           "retention-days", (guint) retention,
                           "max-bytes", (guint64) max_mib * 1024 * 1024,
                           "retry-interval", (guint) retry, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  r.loop = loop;
  r.recorder = recorder;
  r.verbose = verbose;
  g_signal_connect (recorder, "notify::error", G_CALLBACK (on_error), &r);
  g_signal_connect (recorder, "notify::writing", G_CALLBACK (on_writing), &r);
  g_signal_connect (recorder, "notify::other-writer", G_CALLBACK (on_writing), &r);
  g_signal_connect (recorder, "batch-written", G_CALLBACK (on_batch), &r);
  sigint = g_unix_signal_add (SIGINT, on_signal, &r);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &r);

  porthole_recorder_start (recorder);
  porthole_socket_monitor_set_refresh_interval (monitor, (guint) interval);
  porthole_socket_monitor_refresh (monitor);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  porthole_socket_monitor_set_refresh_interval (monitor, 0);
  g_signal_handlers_disconnect_by_data (recorder, &r);
  g_free (r.said);
  return PORTHOLE_CLI_OK;
}
