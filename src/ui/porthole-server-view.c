/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-server-view.h"

#include "porthole-port-info.h"
#include "porthole-target.h"

#include "porthole-weak.h"

#include <glib/gi18n.h>

struct _PortholeServerView {
  AdwBin              parent_instance;

  GtkSpinButton      *port_spin;
  GtkEntry           *address_entry;
  GtkLabel           *address_note;
  GtkEntry           *greeting_entry;
  GtkLabel           *status_label;
  GtkWidget          *start_button;
  GtkWidget          *stop_button;
  GtkWidget          *clients_box;
  GtkLabel           *clients_heading;
  GtkSpinButton      *count_spin;
  GtkListBox         *clients_list;

  PortholeTestServer *server;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (PortholeServerView, porthole_server_view, ADW_TYPE_BIN)

static void
set_status (PortholeServerView *self, const char *text, gboolean error)
{
  gtk_label_set_text (self->status_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static char *
dup_address (PortholeServerView *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_entry))));
}

static void
on_address_changed (PortholeServerView *self)
{
  g_autofree char *text = dup_address (self);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);
  const char *note;
  gboolean warn = TRUE;

  if (address == NULL)
    note = _("Type an IP address of this computer, such as 127.0.0.1 or ::1.");
  else if (g_inet_address_get_is_loopback (address))
    {
      note = _("Loopback: only programs on this computer can connect.");
      warn = FALSE;
    }
  else if (g_inet_address_get_is_any (address))
    note = _("All addresses: other computers on your networks can connect too.");
  else
    note = _("Other computers that can reach this address can connect too.");
  gtk_label_set_text (self->address_note, note);
  if (warn)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->address_note), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->address_note), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->address_note), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->address_note), "dim-label");
    }
}

static void
update_clients_heading (PortholeServerView *self)
{
  guint n = porthole_test_server_get_n_clients (self->server);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Client",
                                                        "%u Clients", n), n);

  gtk_label_set_text (self->clients_heading, text);
}

static void
on_running_changed (PortholeServerView *self)
{
  gboolean running = porthole_test_server_get_running (self->server);

  gtk_widget_set_visible (self->start_button, !running);
  gtk_widget_set_visible (self->stop_button, running);
  gtk_widget_set_visible (self->clients_box, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->port_spin), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_entry), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->greeting_entry), !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.start", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.connect-clients", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "server.disconnect-clients", running);
  if (running)
    {
      const char *address = porthole_test_server_get_address (self->server);
      guint port = porthole_test_server_get_port (self->server);
      g_autofree char *endpoint = porthole_format_endpoint (address, port);
      g_autofree char *text = g_strdup_printf (_("Listening on %s. Try it from a terminal too: "
                                                 "nc %s %u"), endpoint, address, port);

      set_status (self, text, FALSE);
    }
  else
    set_status (self, _("Not running."), FALSE);
  update_clients_heading (self);
}

static GtkWidget *
create_client_row (gpointer item, gpointer data)
{
  PortholeTestClient *client = item;
  guint client_port = porthole_test_client_get_remote_port (client);
  PortholePortRange range = porthole_port_range (client_port);
  g_autofree char *from =
    porthole_format_endpoint (porthole_test_client_get_remote_address (client), client_port);
  g_autofree char *to = porthole_format_endpoint (porthole_test_client_get_local_address (client),
                                                  porthole_test_client_get_local_port (client));
  /* Translators: one client's connection, "client IP:port → server IP:port" */
  g_autofree char *text = g_strdup_printf (_("%s → %s"), from, to);
  g_autofree char *since = g_date_time_format (porthole_test_client_get_connected (client), "%X");
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *badge = gtk_label_new (porthole_port_range_title (range));
  GtkWidget *time = gtk_label_new (since);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "range-badge");
  gtk_widget_add_css_class (badge, porthole_port_range_id (range));
  gtk_widget_set_tooltip_text (badge, porthole_port_range_purpose (range));
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "caption");
  gtk_widget_add_css_class (time, "numeric");

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_box_append (GTK_BOX (box), time);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

gboolean
porthole_server_view_start (PortholeServerView *self)
{
  g_autofree char *address = NULL;
  const char *greeting;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PORTHOLE_IS_SERVER_VIEW (self), FALSE);

  if (porthole_test_server_get_running (self->server))
    return TRUE;
  address = dup_address (self);
  greeting = gtk_editable_get_text (GTK_EDITABLE (self->greeting_entry));
  /* Line-based clients (nc, telnet) show a line once it ends */
  line = greeting[0] != '\0' ? g_strconcat (greeting, "\r\n", NULL) : NULL;
  porthole_test_server_set_address (self->server, address);
  porthole_test_server_set_port (self->server,
                                 (guint) gtk_spin_button_get_value_as_int (self->port_spin));
  porthole_test_server_set_greeting (self->server, line);
  if (!porthole_test_server_start (self->server, &error))
    {
      set_status (self, error->message, TRUE);
      return FALSE;
    }
  return TRUE;
}

static void
on_clients_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(PortholeServerView) self = porthole_weak_steal (data);
  g_autoptr(GError) error = NULL;
  porthole_test_server_connect_clients_finish (PORTHOLE_TEST_SERVER (source), result, &error);
  if (self == NULL || error == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
}

void
porthole_server_view_connect_clients (PortholeServerView *self, guint n)
{
  g_return_if_fail (PORTHOLE_IS_SERVER_VIEW (self));

  if (!porthole_test_server_get_running (self->server))
    return;
  porthole_test_server_connect_clients_async (self->server, n, self->cancellable,
                                              on_clients_connected, porthole_weak_new (self));
}

PortholeTestServer *
porthole_server_view_get_server (PortholeServerView *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SERVER_VIEW (self), NULL);
  return self->server;
}

static void
on_activate (PortholeServerView *self)
{
  porthole_server_view_start (self);
}

static gboolean
on_activate_link (PortholeServerView *self, const char *uri)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", uri);
  return TRUE;
}

static void
action_start (GtkWidget *widget, const char *name, GVariant *param)
{
  porthole_server_view_start (PORTHOLE_SERVER_VIEW (widget));
}

static void
action_stop (GtkWidget *widget, const char *name, GVariant *param)
{
  porthole_test_server_stop (PORTHOLE_SERVER_VIEW (widget)->server);
}

static void
action_connect_clients (GtkWidget *widget, const char *name, GVariant *param)
{
  PortholeServerView *self = PORTHOLE_SERVER_VIEW (widget);
  guint n = (guint) gtk_spin_button_get_value_as_int (self->count_spin);

  porthole_server_view_connect_clients (self, n);
}

static void
action_disconnect_clients (GtkWidget *widget, const char *name, GVariant *param)
{
  porthole_test_server_disconnect_clients (PORTHOLE_SERVER_VIEW (widget)->server);
}

static void
porthole_server_view_dispose (GObject *object)
{
  PortholeServerView *self = PORTHOLE_SERVER_VIEW (object);

  /* Close the listener and every connection now, not whenever the last reference goes */
  if (self->server != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_signal_handlers_disconnect_by_data (self->server, self);
      gtk_list_box_bind_model (self->clients_list, NULL, NULL, NULL, NULL);
      porthole_test_server_stop (self->server);
      g_clear_object (&self->server);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_SERVER_VIEW);
  G_OBJECT_CLASS (porthole_server_view_parent_class)->dispose (object);
}

static void
porthole_server_view_finalize (GObject *object)
{
  PortholeServerView *self = PORTHOLE_SERVER_VIEW (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (porthole_server_view_parent_class)->finalize (object);
}

static void
porthole_server_view_class_init (PortholeServerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_server_view_dispose;
  object_class->finalize = porthole_server_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/porthole-server-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, port_spin);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, address_entry);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, address_note);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, greeting_entry);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, status_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, start_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, stop_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, clients_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, clients_heading);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, count_spin);
  gtk_widget_class_bind_template_child (widget_class, PortholeServerView, clients_list);
  gtk_widget_class_bind_template_callback (widget_class, on_address_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_link);

  gtk_widget_class_install_action (widget_class, "server.start", NULL, action_start);
  gtk_widget_class_install_action (widget_class, "server.stop", NULL, action_stop);
  gtk_widget_class_install_action (widget_class, "server.connect-clients", NULL,
                                   action_connect_clients);
  gtk_widget_class_install_action (widget_class, "server.disconnect-clients", NULL,
                                   action_disconnect_clients);
}

static void
porthole_server_view_init (PortholeServerView *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->server = porthole_test_server_new ("127.0.0.1", 0);
  g_signal_connect_object (self->server, "notify::running", G_CALLBACK (on_running_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->server, "notify::n-clients", G_CALLBACK (update_clients_heading),
                           self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->clients_list, porthole_test_server_get_clients (self->server),
                           create_client_row, self, NULL);
  placeholder = gtk_label_new (_("No clients yet: connect some with the button above."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->clients_list, placeholder);
  on_address_changed (self);
  on_running_changed (self);
}
