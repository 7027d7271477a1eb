/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-details.h"

#include "porthole-application.h"
#include "porthole-end-process.h"
#include "porthole-escape.h"
#include "porthole-history-summary.h"
#include "porthole-port-info.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-text.h"
#include "porthole-traffic-section.h"

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
  GtkWidget             *container_box;
  GtkGrid               *container_grid;
  GtkLabel              *container_note;
  GtkWidget             *clients_box;
  GtkLabel              *clients_heading;
  GtkLabel              *clients_explain;
  GtkListBox            *clients_list;
  GtkWidget             *copy_button;
  GtkWidget             *test_button;
  GtkWidget             *end_button;
  PortholeTrafficSection *traffic;
  PortholeHistorySummary *history;

  PortholeSocketMonitor *monitor;
  PortholeSocket        *socket;
  GCancellable          *cancellable;
  gulong                 closed_handler;
  gulong                 published_handler;
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

/* @key NULL: @value is a sentence across both columns */
static GtkWidget *
add_row_to (GtkGrid *grid, int row, const char *key, const char *value, gboolean dim)
{
  GtkWidget *k = key ? gtk_label_new (key) : NULL;
  GtkWidget *v = gtk_label_new (value);

  if (k)
    {
      gtk_label_set_xalign (GTK_LABEL (k), 0);
      gtk_label_set_yalign (GTK_LABEL (k), 0);
      gtk_widget_add_css_class (k, "dim-label");
    }
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (v), 24);
  gtk_label_set_wrap_mode (GTK_LABEL (v), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_set_hexpand (v, TRUE);
  if (dim)
    gtk_widget_add_css_class (v, "dim-label");
  if (k)
    {
      gtk_grid_attach (grid, k, 0, row, 1, 1);
      gtk_grid_attach (grid, v, 1, row, 1, 1);
    }
  else
    gtk_grid_attach (grid, v, 0, row, 2, 1);
  return v;
}

static void
add_row (PortholeSocketDetails *self, int row, const char *key, const char *value, gboolean dim)
{
  add_row_to (self->process_grid, row, key, value, dim);
}

static void
clear_grid_of (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))))
    gtk_grid_remove (grid, child);
}

static void
clear_grid (PortholeSocketDetails *self)
{
  clear_grid_of (self->process_grid);
}

/* ---- the container ---------------------------------------------------------------------- */

static void update_test_button (PortholeSocketDetails *self);

/* "0.0.0.0:8080", "[::]:8080", "*:8080" (every address) */
static char *
host_endpoint (const PortholePublished *p)
{
  g_autofree char *address = NULL;

  if (p->host_address)
    address = porthole_escape_text (p->host_address, -1, FALSE);

  if (address == NULL || *address == '\0')
    return g_strdup_printf ("*:%u", p->host_port);
  if (strchr (address, ':'))
    return g_strdup_printf ("[%s]:%u", address, p->host_port);
  return g_strdup_printf ("%s:%u", address, p->host_port);
}

static gboolean
published_by_docker (const PortholePublished *p)
{
  return g_strcmp0 (p->via, "docker-proxy") == 0 || g_strcmp0 (p->via, "docker") == 0 ||
         p->container.runtime == PORTHOLE_RUNTIME_DOCKER;
}

static void
show_container (PortholeSocketDetails *self)
{
  PortholeSocket *s = self->socket;
  const PortholeContainerRef *c = s ? porthole_socket_get_container (s) : NULL;
  const PortholePublished *p = s ? porthole_socket_get_published (s) : NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  int row = 0;

  clear_grid_of (self->container_grid);
  if (s == NULL || (!porthole_socket_is_elsewhere (s) && p == NULL))
    {
      gtk_widget_set_visible (self->container_box, FALSE);
      return;
    }
  gtk_widget_set_visible (self->container_box, TRUE);

  if (c != NULL)
    {
      g_autofree char *name = porthole_socket_container_text (s, self->monitor);
      g_autofree char *short_id = porthole_container_short_id (c);
      g_autofree char *full_id = c->id ? porthole_escape_text (c->id, -1, FALSE) : NULL;
      g_autofree char *short_text = short_id ? porthole_escape_text (short_id, -1, FALSE) : NULL;
      PortholeContainerNames *names = NULL;
      const PortholeContainerInfo *info = NULL;
      GtkGrid *grid = self->container_grid;
      GtkWidget *id_label;

      if (self->monitor)
        names = porthole_socket_monitor_get_container_names (self->monitor);
      if (names && c->id)
        info = porthole_container_names_lookup (names, c->id);
      add_row_to (grid, row++, _("Runtime"), porthole_socket_runtime_text (s), FALSE);
      add_row_to (grid, row++, _("Name"), name, FALSE);
      id_label = add_row_to (grid, row++, _("ID"), short_text ? short_text : "—", short_text == NULL);
      gtk_widget_set_tooltip_text (id_label, full_id);
      if (info && info->image)
        add_row_to (self->container_grid, row++, _("Image"), info->image, FALSE);
    }
  else if (porthole_socket_get_netns (s) != 0)
    {
      g_autofree char *label = porthole_socket_namespace_label (s);

      add_row_to (self->container_grid, row++, _("Namespace"), label, FALSE);
      g_string_append (note, _("A network namespace of its own that belongs to no container "
                               "Porthole recognises: it has its own addresses and its own 65,536 "
                               "ports, apart from this computer’s."));
    }

  if (p != NULL && porthole_socket_get_netns (s) != 0)
    {
      g_autofree char *endpoint = host_endpoint (p);
      /* Translators: "Published on 0.0.0.0:8080 → container port 80" */
      g_autofree char *text = g_strdup_printf (_("Published on %s → container port %u"), endpoint,
                                               p->container_port);

      add_row_to (self->container_grid, row++, NULL, text, FALSE);
    }
  else if (p != NULL)
    {
      g_autofree char *name = NULL;
      g_autofree char *text = NULL;

      if (p->container.runtime != PORTHOLE_RUNTIME_NONE && self->monitor)
        name = porthole_socket_monitor_dup_container_name (self->monitor, &p->container);
      if (name)
        /* Translators: "Forwards to container web, port 80" */
        text = g_strdup_printf (_("Forwards to container %s, port %u"), name, p->container_port);
      else
        text = g_strdup_printf (_("Forwards to port %u in another network namespace"),
                                p->container_port);
      add_row_to (self->container_grid, row++, NULL, text, FALSE);
    }
  else if (porthole_socket_is_listening (s) && porthole_socket_get_netns (s) != 0 &&
           !porthole_socket_is_loopback (s))
    add_row_to (self->container_grid, row++, NULL, _("Published on no port of this computer"),
                TRUE);
  if (p != NULL && p->via)
    {
      g_autofree char *via = porthole_escape_text (p->via, -1, FALSE);

      add_row_to (self->container_grid, row++, _("Through"), via, FALSE);
    }
  if (p != NULL && published_by_docker (p))
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, _("Docker publishes ports with iptables rules of its own, which it "
                               "puts before the host firewall’s INPUT rules: a firewall on this "
                               "computer does not block a published port."));
    }
  gtk_label_set_text (self->container_note, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->container_note), note->len > 0);
}

static void
on_published_changed (PortholeSocketDetails *self)
{
  show_container (self);
  update_test_button (self);
}

static void
on_containers_changed (PortholeSocketDetails *self)
{
  PortholeSocket *s = self->socket;

  if (s && (porthole_socket_is_elsewhere (s) || porthole_socket_get_published (s)))
    show_container (self);
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
          why = _("Porthole runs in a sandbox that hides the other programs on this computer, "
                  "and the network namespaces of containers; run “porthole-cli list” on the host "
                  "to see them.");
          break;
        case PORTHOLE_OWNER_UNSEEN:
          why = _("The connection opened and closed between two refreshes. Porthole learned of it from the kernel’s notice that it ended, which carries its addresses and final byte counts but not the program that held it.");
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
  if (self->monitor && porthole_socket_monitor_get_host (self->monitor))
    ;   /* a remote computer's process: its /proc is not read from here */
  else if (info == NULL)
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

/* The application's history recorder, for this computer's sockets only: the journal is of
 * this computer, not of a remote host's */
static PortholeRecorder *
journal_recorder (PortholeSocketDetails *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  if (!PORTHOLE_IS_APPLICATION (app) ||
      (self->monitor != NULL && porthole_socket_monitor_get_host (self->monitor) != NULL))
    return NULL;
  return porthole_application_get_recorder (PORTHOLE_APPLICATION (app));
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
    {
      g_clear_signal_handler (&self->closed_handler, self->socket);
      g_clear_signal_handler (&self->published_handler, self->socket);
    }
  g_set_object (&self->socket, socket);
  g_clear_pointer (&self->process, porthole_process_details_free);
  gtk_widget_set_visible (self->end_button, FALSE);
  porthole_traffic_section_set_socket (self->traffic, socket);
  porthole_history_summary_set_recorder (self->history, journal_recorder (self));
  porthole_history_summary_set_socket (self->history, socket);
  if (socket == NULL)
    {
      update_clients (self);
      show_container (self);
      return;
    }

  self->closed_handler = g_signal_connect_object (socket, "notify::closed", G_CALLBACK (on_closed_changed), self, 0);
  self->published_handler = g_signal_connect_object (socket, "notify::published",
                                                     G_CALLBACK (on_published_changed), self,
                                                     G_CONNECT_SWAPPED);
  update_header (self);
  explain = explain_port (self, socket, self->monitor ? porthole_socket_monitor_get_sysctl (self->monitor)
                                                      : &porthole_sysctl_linux_defaults);
  gtk_label_set_text (self->port_label, explain);
  gtk_widget_set_tooltip_text (self->copy_button,
                               porthole_socket_is_listening (socket) ? _("Copy Local Address") : _("Copy Remote Address"));
  show_process (self, NULL);
  show_container (self);
  update_test_button (self);
  update_clients (self);

  if (porthole_socket_get_owner_status (socket) == PORTHOLE_OWNER_KNOWN && self->monitor != NULL &&
      porthole_socket_monitor_get_host (self->monitor) == NULL)
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
    {
      g_signal_handlers_disconnect_by_func (self->monitor, on_monitor_items_changed, self);
      g_signal_handlers_disconnect_by_func (self->monitor, on_containers_changed, self);
    }
  g_set_object (&self->monitor, monitor);
  if (monitor)
    {
      g_signal_connect_object (monitor, "items-changed", G_CALLBACK (on_monitor_items_changed),
                               self, 0);
      g_signal_connect_object (monitor, "containers-changed", G_CALLBACK (on_containers_changed),
                               self, G_CONNECT_SWAPPED);
    }
}

gboolean
porthole_socket_details_can_end_process (PortholeSocketDetails *self)
{
  return self->process != NULL && self->process->can_end;
}

PortholeTrafficSection *
porthole_socket_details_get_traffic (PortholeSocketDetails *self)
{
  return self->traffic;
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
  const PortholePublished *p = porthole_socket_get_published (s);

  /* Another namespace's addresses are not this computer's: test it where it is published */
  if (porthole_socket_get_netns (s) != 0 && porthole_socket_is_listening (s))
    {
      if (p == NULL)
        return NULL;
      if (p->host_address == NULL || g_strcmp0 (p->host_address, "0.0.0.0") == 0 ||
          g_strcmp0 (p->host_address, "::") == 0)
        return g_strdup_printf ("localhost:%u", p->host_port);
      return host_endpoint (p);
    }
  if (porthole_socket_get_netns (s) != 0)
    return NULL;
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

/* A socket inside another namespace can be tested from here only where it is published */
static void
update_test_button (PortholeSocketDetails *self)
{
  g_autofree char *target = self->socket ? test_target (self->socket) : NULL;

  gtk_widget_set_sensitive (self->test_button, target != NULL);
  gtk_widget_set_tooltip_text (self->test_button,
                               target ? NULL
                                      : _("Inside a container’s own network, not published on this "
                                          "computer: it cannot be reached from here"));
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
  if (target == NULL)
    return;
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
    {
      g_clear_signal_handler (&self->closed_handler, self->socket);
      g_clear_signal_handler (&self->published_handler, self->socket);
    }
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

  g_type_ensure (PORTHOLE_TYPE_TRAFFIC_SECTION);
  g_type_ensure (PORTHOLE_TYPE_HISTORY_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-socket-details.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, port_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, process_grid);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, container_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, container_grid);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, container_note);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_heading);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_explain);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, clients_list);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, copy_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, test_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, end_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, traffic);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketDetails, history);
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
