/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-connect-dialog.h"

#include "porthole-inline-error.h"
#include "porthole-remote.h"

#include <glib/gi18n.h>

typedef struct {
  GtkWidget *entry;
  GtkLabel  *error_label;
} Widgets;

static gboolean
check (AdwMessageDialog *dialog, Widgets *w, gboolean strong)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (w->entry));
  g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };
  g_autoptr(GError) error = NULL;
  gboolean ok = porthole_ssh_destination_parse (text, &dest, &error);

  porthole_inline_error_show (w->entry, w->error_label, *text || strong ? error : NULL, strong);
  adw_message_dialog_set_response_enabled (dialog, "connect", ok);
  return ok;
}

static void
on_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  check (dialog, g_object_get_data (G_OBJECT (dialog), "widgets"), FALSE);
}

static void
on_activate (GtkEntry *entry, AdwMessageDialog *dialog)
{
  if (check (dialog, g_object_get_data (G_OBJECT (dialog), "widgets"), TRUE))
    adw_message_dialog_response (dialog, "connect");
}

static void
on_response (AdwMessageDialog *dialog, const char *response, GtkWindow *parent)
{
  Widgets *w = g_object_get_data (G_OBJECT (dialog), "widgets");

  if (g_strcmp0 (response, "connect") == 0 && check (dialog, w, TRUE))
    gtk_widget_activate_action (GTK_WIDGET (parent), "app.open-host", "s",
                                gtk_editable_get_text (GTK_EDITABLE (w->entry)));
}

AdwMessageDialog *
porthole_connect_dialog_present (GtkWindow *parent)
{
  AdwMessageDialog *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  Widgets *w = g_new0 (Widgets, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Connect to a Server"),
                                                       _("Porthole runs the system’s ssh with your "
                                                         "keys, agent and ~/.ssh/config, and lists "
                                                         "the server’s sockets with porthole-cli "
                                                         "there (or ss).")));
  w->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (w->entry), _("user@host:port"));
  gtk_entry_set_activates_default (GTK_ENTRY (w->entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (w->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Server address"), -1);
  w->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (w->error_label, TRUE);
  gtk_label_set_xalign (w->error_label, 0);
  gtk_widget_set_visible (GTK_WIDGET (w->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), w->entry);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (w->error_label));
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "connect", _("C_onnect"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "connect", FALSE);
  g_object_set_data_full (G_OBJECT (dialog), "widgets", w, g_free);
  g_signal_connect (w->entry, "changed", G_CALLBACK (on_changed), dialog);
  g_signal_connect (w->entry, "activate", G_CALLBACK (on_activate), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), parent, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (w->entry);
  return dialog;
}
