/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-details.h"

#include "porthole-end-process.h"
#include "porthole-escape.h"
#include "porthole-port-info.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-text.h"

#include <glib/gi18n.h>
#include <string.h>

/* Enough rows to read; the count says how many more there are */
#define MAX_CLIENT_ROWS 200

struct _PortholeSocketDetails {
  AdwBin                 parent_instance;

  GtkLabel              *title_label;
  GtkLabel              *subtitle_label;
  GtkLabel              *port_label;
  GtkGrid               *process_grid;
  GtkWidget             *clients_box;
  GtkLabel              *clients_heading;
  GtkLabel              *clients_explain;
  GtkListBox            *clients_list;
  GtkWidget             *copy_button;
  GtkWidget             *test_button;
  GtkWidget             *end_button;

  PortholeSocketMonitor *monitor;
  PortholeSocket        *socket;
  GCancellable          *cancellable;
  gulong                 closed_handler;
  guint                  clients_idle;
  guint                  n_clients;
  PortholeProcessDetails *process;   /* of the socket shown, once read */
};

G_DEFINE_FINAL_TYPE (PortholeSocketDetails, porthole_socket_details, ADW_TYPE_BIN)

enum { CLOSE_REQUESTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- the port, in one paragraph --------------------------------------------------------- */

/* A port something listens on is a server's, whatever its range: the accepted end of a
 * connection included. The other end of a connection is a client's. */
static char *
explain_port (PortholeSocketDetails *self, PortholeSocket *s, const PortholeSysctl *sysctl)
{
  guint port = porthole_socket_get_local_port (s);
  g_autoptr(PortholePortInfo) info = porthole_port_info_new (port, sysctl, porthole_services_get_default ());
  PortholePortRole role = PORTHOLE_PORT_ROLE_UNKNOWN;

  if (porthole_socket_is_listening (s) ||
      (self->monitor && porthole_socket_monitor_has_listener (self->monitor, porthole_socket_get_protocol (s), port)))
    role = PORTHOLE_PORT_ROLE_LISTENER;
  else if (porthole_socket_get_remote_port (s) != 0)
    role = PORTHOLE_PORT_ROLE_CLIENT;
  return porthole_port_info_explain (info, role);
}

/* ---- the process ------------------------------------------------------------------------ */

static void
add_row (PortholeSocketDetails *self, int row, const char *key, const char *value, gboolean dim)
{
  GtkWidget *k = gtk_label_new (key);
  GtkWidget *v = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (k), 0);
  gtk_label_set_yalign (GTK_LABEL (k), 0);
  gtk_widget_add_css_class (k, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (v), 24);
  gtk_label_set_wrap_mode (GTK_LABEL (v), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_set_hexpand (v, TRUE);
  if (dim)
    gtk_widget_add_css_class (v, "dim-label");
  gtk_grid_attach (self->process_grid, k, 0, row, 1, 1);
  gtk_grid_attach (self->process_grid, v, 1, row, 1, 1);
}

static void
clear_grid (PortholeSocketDetails *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->process_grid))))
    gtk_grid_remove (self->process_grid, child);
}

static void
show_process (PortholeSocketDetails *self, const PortholeProcessDetails *info)
{
  PortholeSocket *s = self->socket;
  g_autofree char *pid = NULL;
  int row = 0;

  clear_grid (self);
  if (porthole_socket_get_owner_status (s) != PORTHOLE_OWNER_KNOWN)
    {
      const char *why;

      switch (porthole_socket_get_owner_status (s))
        {
        case PORTHOLE_OWNER_NO_PROCESS:
          why = _("No program holds this socket any more. The kernel keeps it for a while so late packets of the closed connection are not mistaken for a new one.");
          break;
        case PORTHOLE_OWNER_OTHER_USER:
          why = _("It belongs to another user’s program. Linux shows a program’s open files only to its owner and to administrators; run “sudo porthole-cli list” to see it.");
          break;
        case PORTHOLE_OWNER_SANDBOXED:
          why = _("Porthole runs in a sandbox that hides the other programs on this computer; run “porthole-cli list” on the host to see it.");
          break;
        case PORTHOLE_OWNER_GONE:
        default:
          why = _("The program has exited, or runs in another container whose processes are not visible from here.");
          break;
        }
      add_row (self, row++, _("Program"), porthole_socket_owner_reason (s), TRUE);
      add_row (self, row++, _("User"), porthole_socket_get_user (s), FALSE);
      add_row (self, row++, _("Why"), why, FALSE);
      return;
    }

  pid = g_strdup_printf ("%d", porthole_socket_get_pid (s));
  add_row (self, row++, _("Name"), porthole_socket_get_process (s), FALSE);
  add_row (self, row++, _("PID"), pid, FALSE);
  add_row (self, row++, _("User"), porthole_socket_get_user (s), FALSE);
  if (info == NULL)
    add_row (self, row++, _("Command"), "…", TRUE);
  else if (info->gone)
    add_row (self, row++, _("Command"), _("The program has exited"), TRUE);
  else
    {
      add_row (self, row++, _("Command"), info->cmdline ? info->cmdline : _("Not readable"), info->cmdline == NULL);
      if (info->unit)
        add_row (self, row++, _("Service"), info->unit, FALSE);
    }
}

static void
on_process_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PortholeSocketDetails *self = user_data;
  g_autoptr(GError) error = NULL;
  PortholeProcessDetails *info;

  info = porthole_socket_monitor_read_process_finish (PORTHOLE_SOCKET_MONITOR (source), result, &error);
  if (info == NULL)
    return;   /* cancelled: another socket was selected, or the pane went away */
  g_clear_pointer (&self->process, porthole_process_details_free);
  self->process = info;
  gtk_widget_set_visible (self->end_button, info->can_end && !porthole_socket_get_closed (self->socket));
  show_process (self, info);
}

/* ---- one port, many clients ------------------------------------------------------------- */

static void
update_clients (PortholeSocketDetails *self)
{
  g_autoptr(GPtrArray) clients = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->clients_list))))
    gtk_list_box_remove (self->clients_list, child);

  if (self->socket == NULL || self->monitor == NULL || !porthole_socket_is_listening (self->socket) ||
      strcmp (porthole_socket_get_protocol (self->socket), "tcp") != 0)
    {
      self->n_clients = 0;
      gtk_widget_set_visible (self->clients_box, FALSE);
      return;
    }

  clients = porthole_socket_monitor_get_connections_to (self->monitor, self->socket);
  self->n_clients = clients->len;
  gtk_widget_set_visible (self->clients_box, TRUE);
  heading = g_strdup_printf (ngettext ("%u Connection", "%u Connections", clients->len), clients->len);
  gtk_label_set_text (self->clients_heading, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->clients_list), clients->len > 0);
  gtk_label_set_text (self->clients_explain,
                      clients->len == 0 ? _("Nobody is connected right now.")
                                        : _("One port serves many clients: each connection is told apart by the client’s address and port."));

  for (guint i = 0; i < clients->len && i < MAX_CLIENT_ROWS; i++)
    {
      PortholeSocket *c = g_ptr_array_index (clients, i);
      g_autofree char *owner = porthole_socket_owner_text (c);
      GtkWidget *row = adw_action_row_new ();

      /* libadwaita 1.2 rows read titles as markup: these hold only escaped, plain text */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), porthole_socket_get_remote_endpoint (c));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), porthole_socket_get_state (c));
      gtk_widget_set_tooltip_text (row, owner);
      gtk_list_box_append (self->clients_list, row);
    }
  if (clients->len > MAX_CLIENT_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("and %u more"), clients->len - MAX_CLIENT_ROWS);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      gtk_list_box_append (self->clients_list, row);
    }
}

static gboolean
on_clients_idle (gpointer data)
{
  PortholeSocketDetails *self = data;

  self->clients_idle = 0;
  update_clients (self);
  return G_SOURCE_REMOVE;
}

static void
on_monitor_items_changed (GListModel *model, guint position, guint removed, guint added,
                          PortholeSocketDetails *self)
{
  /* One refresh may emit several changes: recount once, after them */
  if (self->clients_idle == 0 && self->socket && porthole_socket_is_listening (self->socket))
    self->clients_idle = g_idle_add (on_clients_idle, self);
}

/* ---- the header ------------------------------------------------------------------------- */

static void
update_header (PortholeSocketDetails *self)
{
  PortholeSocket *s = self->socket;
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  const char *proto = strcmp (porthole_socket_get_protocol (s), "udp") == 0 ? "UDP" : "TCP";

  if (porthole_socket_is_listening (s))
    title = g_strdup (porthole_socket_get_local_endpoint (s));
  else
    title = g_strdup_printf ("%s → %s", porthole_socket_get_local_endpoint (s),
                             porthole_socket_get_remote_endpoint (s));
  if (porthole_socket_get_closed (s))
    subtitle = g_strdup_printf (_("%s · %s · closed"), proto, porthole_socket_get_state (s));
  else if (porthole_socket_is_listening (s))
    subtitle = g_strdup_printf (_("%s · %s · %s"), proto,
                                strcmp (proto, "UDP") == 0 ? _("bound") : _("listening"),
                                porthole_socket_exposure_text (s));
  else
    subtitle = g_strdup_printf (_("%s · %s"), proto, porthole_socket_get_state (s));
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (self->end_button, porthole_socket_details_can_end_process (self) &&
                                            !porthole_socket_get_closed (s));
}

static void
on_closed_changed (PortholeSocket *socket, GParamSpec *pspec, PortholeSocketDetails *self)
{
  update_header (self);
}

void
porthole_socket_details_set_socket (PortholeSocketDetails *self, PortholeSocket *socket)
{
  g_autofree char *explain = NULL;

  g_return_if_fail (PORTHOLE_IS_SOCKET_DETAILS (self));
  if (self->socket == socket)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->socket)
    g_clear_signal_handler (&self->closed_handler, self->socket);
  g_set_object (&self->socket, socket);
  g_clear_pointer (&self->process, porthole_process_details_free);
  gtk_widget_set_visible (self->end_button, FALSE);
  if (socket == NULL)
    {
      update_clients (self);
      return;
    }

  self->closed_handler = g_signal_connect_object (socket, "notify::closed", G_CALLBACK (on_closed_changed), self, 0);
  update_header (self);
  explain = explain_port (self, socket, self->monitor ? porthole_socket_monitor_get_sysctl (self->monitor)
                                                      : &porthole_sysctl_linux_defaults);
  gtk_label_set_text (self->port_label, explain);
  gtk_widget_set_tooltip_text (self->copy_button,
                               porthole_socket_is_listening (socket) ? _("Copy Local Address") : _("Copy Remote Address"));
  show_process (self, NULL);
  update_clients (self);

  if (porthole_socket_get_owner_status (socket) == PORTHOLE_OWNER_KNOWN && self->monitor != NULL)
    {
      self->cancellable = g_cancellable_new ();
      porthole_socket_monitor_read_process_async (self->monitor, socket, self->cancellable, on_process_read, self);
    }
}

PortholeSocket *
porthole_socket_details_get_socket (PortholeSocketDetails *self)
{
  return self->socket;
}

void
porthole_socket_details_set_monitor (PortholeSocketDetails *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_DETAILS (self));
  if (self->monitor)
    g_signal_handlers_disconnect_by_func (self->monitor, on_monitor_items_changed, self);
  g_set_object (&self->monitor, monitor);
  if (monitor)
    g_signal_connect_object (monitor, "items-changed", G_CALLBACK (on_monitor_items_changed), self, 0);
}

gboolean
porthole_socket_details_can_end_process (PortholeSocketDetails *self)
{
  return self->process != NULL && self->process->can_end;
}

guint
porthole_socket_details_get_n_clients (PortholeSocketDetails *self)
{
  return self->n_clients;
}

/* ---- actions ---------------------------------------------------------------------------- */

static void
toast (PortholeSocketDetails *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static char *
test_target (PortholeSocket *s)
{
  const char *endpoint = porthole_socket_get_local_endpoint (s);
  guint port = porthole_socket_get_local_port (s);

  if (!porthole_socket_is_listening (s))
    return g_strdup (porthole_socket_get_remote_endpoint (s));
  /* A wildcard listener is tested where this computer reaches it: loopback */
  if (g_str_has_prefix (endpoint, "*:"))
    return g_strdup_printf ("localhost:%u", port);
  if (porthole_socket_is_wildcard (s))
    return strcmp (porthole_socket_get_family (s), "ipv6") == 0 ? g_strdup_printf ("[::1]:%u", port)
                                                                 : g_strdup_printf ("127.0.0.1:%u", port);
  return g_strdup (endpoint);
}

static void
on_copy_clicked (PortholeSocketDetails *self)
{
  const char *text;
  g_autofree char *message = NULL;

  if (self->socket == NULL)
    return;
  text = porthole_socket_is_listening (self->socket) ? porthole_socket_get_local_endpoint (self->socket)
                                                     : porthole_socket_get_remote_endpoint (self->socket);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  message = g_strdup_printf (_("Copied “%s”"), text);
  toast (self, message);
}

static void
on_test_clicked (PortholeSocketDetails *self)
{
  g_autofree char *target = NULL;

  if (self->socket == NULL)
    return;
  target = test_target (self->socket);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.test-target", "s", target);
}

AdwMessageDialog *
porthole_socket_details_end_process (PortholeSocketDetails *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_DETAILS (self), NULL);
  if (self->socket == NULL || !porthole_socket_details_can_end_process (self))
    return NULL;
  return porthole_end_process_confirm (GTK_WIDGET (self), self->monitor, porthole_socket_get_process (self->socket),
                                       self->process);
}

static void
on_end_clicked (PortholeSocketDetails *self)
{
  porthole_socket_details_end_process (self);
}

static void
on_close_clicked (PortholeSocketDetails *self)
{
  g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
porthole_socket_details_dispose (GObject *object)
{
  PortholeSocketDetails *self = PORTHOLE_SOCKET_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->clients_idle, g_source_remove);
  if (self->socket)
    g_clear_signal_handler (&self->closed_handler, self->socket);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->process, porthole_process_details_free);
  porthole_socket_details_set_monitor (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_SOCKET_DETAILS);
  G_OBJECT_CLASS (porthole_socket_details_parent_class)->dispose (object);
}

static void
porthole_socket_details_class_init (PortholeSocketDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_socket_details_dispose;

  signals[CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-socket-details.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, port_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, process_grid);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_heading);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_explain);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_list);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, copy_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, test_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, end_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_end_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
}

static void
porthole_socket_details_init (PortholeSocketDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
