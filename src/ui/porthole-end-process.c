/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-end-process.h"

#include "porthole-procmap.h"
#include "porthole-window.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define POLL_MS 100

typedef struct {
  GtkWidget             *widget;      /* weak */
  PortholeSocketMonitor *monitor;
  char                  *name;
  int                    pid;
  guint64                start_time;
  guint                  poll_id;
  guint                  waited_ms;
  gboolean               killed;
} EndProcess;

static void
end_process_free (EndProcess *ep)
{
  g_clear_handle_id (&ep->poll_id, g_source_remove);
  g_clear_weak_pointer (&ep->widget);
  g_clear_object (&ep->monitor);
  g_free (ep->name);
  g_free (ep);
}

/* The process start time (clock ticks after boot, field 22 of /proc/<pid>/stat) tells a pid
 * reused by a new process apart; 0 when the process is gone or a zombie. */
static guint64
read_start_time (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  after = strrchr (text, ')');   /* the name may hold spaces and parentheses */
  if (after == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 0);
  /* fields[0] is the state (field 3); the start time is field 22 */
  if (g_strv_length (fields) < 20 || fields[0][0] == 'Z' || fields[0][0] == 'X')
    return 0;
  return g_ascii_strtoull (fields[19], NULL, 10);
}

gboolean
porthole_end_process_allowed (PortholeSocket *socket, const char *proc_root)
{
  int pid;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET (socket), FALSE);
  pid = porthole_socket_get_pid (socket);
  if (porthole_socket_get_owner_status (socket) != PORTHOLE_OWNER_KNOWN || pid <= 1 || pid == getpid ())
    return FALSE;
  return porthole_proc_read_uid (proc_root ? proc_root : "/proc", pid) == (gint64) geteuid ();
}

static void
report (EndProcess *ep, const char *message)
{
  PortholeWindow *window = porthole_window_for_widget (ep->widget);

  if (window)
    porthole_window_toast (window, message);
  else
    g_message ("%s", message);
  if (ep->monitor)
    porthole_socket_monitor_refresh (ep->monitor);
}

static gboolean
still_running (EndProcess *ep)
{
  return read_start_time (ep->pid) == ep->start_time;
}

static void ask_force (EndProcess *ep);

static gboolean
on_poll (gpointer data)
{
  EndProcess *ep = data;
  g_autofree char *message = NULL;

  if (!still_running (ep))
    {
      ep->poll_id = 0;
      message = ep->killed ? g_strdup_printf (_("Forced “%s” (%d) to quit"), ep->name, ep->pid)
                           : g_strdup_printf (_("Ended “%s” (%d)"), ep->name, ep->pid);
      report (ep, message);
      end_process_free (ep);
      return G_SOURCE_REMOVE;
    }
  ep->waited_ms += POLL_MS;
  if (ep->waited_ms < PORTHOLE_END_PROCESS_GRACE_MS)
    return G_SOURCE_CONTINUE;

  ep->poll_id = 0;
  if (ep->killed)
    {
      message = g_strdup_printf (_("“%s” (%d) is still running"), ep->name, ep->pid);
      report (ep, message);
      end_process_free (ep);
    }
  else
    ask_force (ep);
  return G_SOURCE_REMOVE;
}

static void
send_signal (EndProcess *ep, int signo)
{
  g_autofree char *message = NULL;

  if (!still_running (ep))
    {
      message = g_strdup_printf (_("“%s” (%d) had already quit"), ep->name, ep->pid);
      report (ep, message);
      end_process_free (ep);
      return;
    }
  if (kill (ep->pid, signo) != 0)
    {
      int saved = errno;

      message = g_strdup_printf (_("Could not end “%s” (%d): %s"), ep->name, ep->pid, g_strerror (saved));
      report (ep, message);
      end_process_free (ep);
      return;
    }
  ep->killed = signo == SIGKILL;
  ep->waited_ms = 0;
  ep->poll_id = g_timeout_add (POLL_MS, on_poll, ep);
}

static void
on_force_response (AdwMessageDialog *dialog, const char *response, EndProcess *ep)
{
  if (g_strcmp0 (response, "force") == 0)
    send_signal (ep, SIGKILL);
  else
    end_process_free (ep);
}

static GtkWindow *
parent_window (GtkWidget *widget)
{
  GtkRoot *root = widget ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
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
on_confirm_response (AdwMessageDialog *dialog, const char *response, EndProcess *ep)
{
  if (g_strcmp0 (response, "end") == 0)
    send_signal (ep, SIGTERM);
  else
    end_process_free (ep);
}

AdwMessageDialog *
porthole_end_process_confirm (GtkWidget *widget, PortholeSocket *socket, PortholeSocketMonitor *monitor)
{
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  EndProcess *ep;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET (socket), NULL);

  ep = g_new0 (EndProcess, 1);
  g_set_weak_pointer (&ep->widget, widget);
  ep->monitor = monitor ? g_object_ref (monitor) : NULL;
  ep->pid = porthole_socket_get_pid (socket);
  ep->name = g_strdup (porthole_socket_get_process (socket));
  ep->start_time = read_start_time (ep->pid);

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
