/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-port-lookup.h"
#include "porthole-port-info.h"

#include <glib/gi18n.h>

struct _PortholePortLookup {
  AdwPreferencesGroup    parent_instance;

  AdwEntryRow           *entry;
  AdwActionRow          *range_row;
  AdwActionRow          *privileged_row;
  AdwActionRow          *ephemeral_row;
  AdwActionRow          *services_row;
  AdwActionRow          *listening_row;
  GtkButton             *show_button;
  GtkLabel              *error_label;

  PortholeSocketMonitor *monitor;
  int                    port;        /* -1: nothing looked up */
  char                  *protocol;    /* of the listener found, for the Listening tab */
};

G_DEFINE_FINAL_TYPE (PortholePortLookup, porthole_port_lookup_widget, ADW_TYPE_PREFERENCES_GROUP)

static void
set_row (AdwActionRow *row, const char *title, const char *subtitle)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (row), TRUE);
}

static void
show_answer (PortholePortLookup *self, gboolean visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->range_row), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->privileged_row), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->ephemeral_row), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->services_row), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->listening_row), visible);
}

static void
fill_listening (PortholePortLookup *self, guint port)
{
  PortholeSocket *tcp = self->monitor ? porthole_socket_monitor_find_listener (self->monitor, port, "tcp") : NULL;
  PortholeSocket *udp = self->monitor ? porthole_socket_monitor_find_listener (self->monitor, port, "udp") : NULL;
  PortholeSocket *s = tcp ? tcp : udp;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_clear_pointer (&self->protocol, g_free);
  if (s == NULL)
    {
      title = g_strdup_printf (_("Nothing listens on port %u here right now"), port);
      set_row (self->listening_row, title, self->monitor ? NULL : _("The socket tables have not been read yet."));
      gtk_widget_set_visible (GTK_WIDGET (self->show_button), FALSE);
      return;
    }
  self->protocol = g_strdup (porthole_socket_get_protocol (s));
  title = g_strdup_printf (tcp && udp ? _("Listening here now, on TCP and UDP") : _("Listening here now"));
  if (porthole_socket_get_process (s))
    /* Translators: "sshd (pid 812) on 0.0.0.0:22, tcp" */
    subtitle = g_strdup_printf (_("%s (pid %d) on %s, %s"), porthole_socket_get_process (s),
                                porthole_socket_get_pid (s), porthole_socket_get_local_endpoint (s),
                                porthole_socket_get_protocol (s));
  else
    subtitle = g_strdup_printf (_("A program of user %s on %s, %s"), porthole_socket_get_user (s),
                                porthole_socket_get_local_endpoint (s), porthole_socket_get_protocol (s));
  set_row (self->listening_row, title, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->show_button), TRUE);
}

static void
fill_answer (PortholePortLookup *self, guint port)
{
  const PortholeSysctl *sysctl = self->monitor ? porthole_socket_monitor_get_sysctl (self->monitor)
                                               : &porthole_sysctl_linux_defaults;
  g_autoptr(PortholePortInfo) info = NULL;
  g_auto(PortholePortExplanation) parts = { NULL };

  /* The same explanation as porthole-cli explain and the details pane, one row a part */
  info = porthole_port_info_new (port, sysctl, porthole_services_get_default ());
  porthole_port_info_explain_parts (info, PORTHOLE_PORT_ROLE_UNKNOWN, &parts);
  set_row (self->range_row, parts.range_title, parts.range);
  set_row (self->privileged_row, parts.privileged_title, parts.privileged);
  set_row (self->ephemeral_row, parts.ephemeral_title, parts.ephemeral);
  set_row (self->services_row, parts.services_title, parts.services);

  fill_listening (self, port);
}

static void
update (PortholePortLookup *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  guint16 port = 0;

  if (text[0] == '\0')
    {
      self->port = -1;
      show_answer (self, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
      return;
    }
  if (!porthole_port_lookup (text, porthole_services_get_default (), &port, &error))
    {
      self->port = -1;
      show_answer (self, FALSE);
      /* A plain label: the message quotes what was typed, escaped, never as markup */
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      return;
    }
  self->port = port;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  fill_answer (self, port);
}

static void
on_entry_changed (PortholePortLookup *self)
{
  update (self);
}

static void
on_show_clicked (PortholePortLookup *self)
{
  if (self->port >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-listener", "(us)", (guint32) self->port,
                                self->protocol ? self->protocol : "");
}

static void
on_monitor_changed (PortholePortLookup *self)
{
  /* Whether something listens changes live; the rest only with the sysctl */
  if (self->port >= 0)
    fill_answer (self, (guint) self->port);
}

void
porthole_port_lookup_widget_set_monitor (PortholePortLookup *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_PORT_LOOKUP (self));

  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor)
    {
      g_signal_connect_object (monitor, "items-changed", G_CALLBACK (on_monitor_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (monitor, "notify::sysctl", G_CALLBACK (on_monitor_changed), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

void
porthole_port_lookup_widget_set_text (PortholePortLookup *self, const char *text)
{
  g_return_if_fail (PORTHOLE_IS_PORT_LOOKUP (self));
  /* "changed" runs the lookup; run it ourselves when the text is already there */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text) == 0)
    update (self);
  else
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

const char *
porthole_port_lookup_widget_get_error (PortholePortLookup *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

char *
porthole_port_lookup_widget_dump (PortholePortLookup *self)
{
  AdwActionRow *rows[] = { self->range_row, self->privileged_row, self->ephemeral_row,
                           self->services_row, self->listening_row };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (rows[i])))
      g_string_append_printf (s, "%s\n%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[i])),
                              adw_action_row_get_subtitle (rows[i]));
  if (gtk_widget_get_visible (GTK_WIDGET (self->show_button)))
    g_string_append_printf (s, "[%s]\n", gtk_button_get_label (self->show_button));
  return g_string_free (s, FALSE);
}

static void
porthole_port_lookup_widget_dispose (GObject *object)
{
  PortholePortLookup *self = PORTHOLE_PORT_LOOKUP (object);

  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->protocol, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_PORT_LOOKUP);
  G_OBJECT_CLASS (porthole_port_lookup_widget_parent_class)->dispose (object);
}

static void
porthole_port_lookup_widget_class_init (PortholePortLookupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_port_lookup_widget_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-port-lookup.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, entry);
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, range_row);
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, privileged_row);
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, ephemeral_row);
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, services_row);
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, listening_row);
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, show_button);
  gtk_widget_class_bind_template_child (widget_class, PortholePortLookup, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_show_clicked);
}

static void
porthole_port_lookup_widget_init (PortholePortLookup *self)
{
  self->port = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}
