/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-end-process.h"

#include "porthole-process-end.h"

#include <glib/gi18n.h>
#include <signal.h>

/* The dialogs of End Process; the signalling and waiting is the monitor's job
 * (porthole_socket_monitor_end_process_async). */
typedef struct {
  GtkWidget             *widget;      /* weak: toasts go through its window's win.toast */
  PortholeSocketMonitor *monitor;
  char                  *name;
  int                    pid;
  guint64                start_time;
  gboolean               forced;
} EndProcess;

static void
end_process_free (EndProcess *ep)
{
  g_clear_weak_pointer (&ep->widget);
  g_clear_object (&ep->monitor);
  g_free (ep->name);
  g_free (ep);
}

static void
report (EndProcess *ep, const char *message)
{
  if (ep->widget == NULL || !gtk_widget_activate_action (ep->widget, "win.toast", "s", message))
    g_message ("%s", message);
}

static GtkWindow *
parent_window (GtkWidget *widget)
{
  GtkRoot *root = widget ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void send_signal (EndProcess *ep, int signo);

static void
on_force_response (AdwMessageDialog *dialog, const char *response, EndProcess *ep)
{
  if (g_strcmp0 (response, "force") == 0)
    send_signal (ep, SIGKILL);
  else
    end_process_free (ep);
}

static void
ask_force (EndProcess *ep)
{
  g_autofree char *heading = g_strdup_printf (_("“%s” Is Still Running"), ep->name);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (ep->widget), heading,
                                                       _("It did not quit when asked. Forcing it to quit stops it at once; anything it has not saved is lost.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Let It Run"), "force", _("_Force Quit"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "force", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_force_response), ep);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_ended (GObject *source, GAsyncResult *result, gpointer data)
{
  EndProcess *ep = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  PortholeEndOutcome outcome;

  outcome = porthole_socket_monitor_end_process_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error);
  if (error != NULL)
    message = g_strdup_printf (_("Could not end “%s” (%d): %s"), ep->name, ep->pid, error->message);
  else if (outcome == PORTHOLE_END_ALREADY_GONE)
    message = g_strdup_printf (_("“%s” (%d) had already quit"), ep->name, ep->pid);
  else if (outcome == PORTHOLE_END_ENDED)
    message = ep->forced ? g_strdup_printf (_("Forced “%s” (%d) to quit"), ep->name, ep->pid)
                         : g_strdup_printf (_("Ended “%s” (%d)"), ep->name, ep->pid);
  else if (ep->forced)
    message = g_strdup_printf (_("“%s” (%d) is still running"), ep->name, ep->pid);
  else
    {
      ask_force (ep);
      return;
    }
  report (ep, message);
  end_process_free (ep);
}

static void
send_signal (EndProcess *ep, int signo)
{
  ep->forced = signo == SIGKILL;
  /* Not cancellable from here: once asked, the user is told how it ended */
  porthole_socket_monitor_end_process_async (ep->monitor, ep->pid, ep->start_time, signo,
                                             PORTHOLE_END_PROCESS_GRACE_MS, NULL, on_ended, ep);
}

static void
on_confirm_response (AdwMessageDialog *dialog, const char *response, EndProcess *ep)
{
  if (g_strcmp0 (response, "end") == 0)
    send_signal (ep, SIGTERM);
  else
    end_process_free (ep);
}

AdwMessageDialog *
porthole_end_process_confirm (GtkWidget                    *widget,
                              PortholeSocketMonitor        *monitor,
                              const char                   *name,
                              const PortholeProcessDetails *process)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  EndProcess *ep;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor), NULL);
  g_return_val_if_fail (process != NULL && process->can_end, NULL);

  ep = g_new0 (EndProcess, 1);
  g_set_weak_pointer (&ep->widget, widget);
  ep->monitor = g_object_ref (monitor);
  ep->pid = process->pid;
  ep->start_time = process->start_time;
  ep->name = g_strdup (name);

  /* The heading and body are plain text: AdwMessageDialog does not read them as markup */
  heading = g_strdup_printf (_("End “%s”?"), ep->name);
  body = g_strdup_printf (_("Process %d will be asked to quit. It closes every port it holds, and any work it has not saved may be lost."),
                          ep->pid);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (widget), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "end", _("_End Process"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), ep);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
