/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-cell.h"

#include "porthole-name-cache.h"

#include <glib/gi18n.h>
#include <string.h>

struct _PortholeSocketCell {
  GtkWidget         parent_instance;
  PortholeCellKind  kind;
  PortholeSocket   *socket;
  GtkLabel         *label;
  GtkLabel         *extra;
  gulong            closed_handler;
  gulong            resolved_handler;
  guint             new_timeout;
};

G_DEFINE_FINAL_TYPE (PortholeSocketCell, porthole_socket_cell, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_KIND, PROP_SOCKET, N_PROPS };

static GParamSpec *properties[N_PROPS];

static const char *kind_nicks[] = {
  "protocol", "address", "exposure", "port", "range", "service", "process", "user", "state",
  "local", "remote",
};

static const char    *no_classes[] = { NULL };
static gboolean       highlight_new = TRUE;
static PortholeSysctl cell_sysctl = { PORTHOLE_LINUX_EPHEMERAL_START, PORTHOLE_LINUX_EPHEMERAL_END, 1024, FALSE };

void
porthole_socket_cell_set_highlight_new (gboolean highlight)
{
  highlight_new = highlight;
}

void
porthole_socket_cell_set_sysctl (const PortholeSysctl *sysctl)
{
  if (sysctl)
    cell_sysctl = *sysctl;
}

const PortholeSysctl *
porthole_socket_cell_get_sysctl (void)
{
  return &cell_sysctl;
}

/* ---- texts ------------------------------------------------------------------------------ */

char *
porthole_socket_address_text (PortholeSocket *s)
{
  const char *endpoint = porthole_socket_get_local_endpoint (s);
  const char *colon = strrchr (endpoint, ':');

  /* The endpoint already spells 0.0.0.0, [::] and the dual-stack * apart; drop the port */
  return colon ? g_strndup (endpoint, colon - endpoint) : g_strdup (endpoint);
}

const char *
porthole_socket_address_tooltip (PortholeSocket *s)
{
  const char *endpoint = porthole_socket_get_local_endpoint (s);

  if (g_str_has_prefix (endpoint, "*:"))
    return _("Every IPv4 and IPv6 address of this computer: any network it is on can reach this port");
  if (porthole_socket_is_wildcard (s))
    return strcmp (porthole_socket_get_family (s), "ipv6") == 0
             ? _("Every IPv6 address of this computer ([::]): any network it is on can reach this port over IPv6")
             : _("Every IPv4 address of this computer (0.0.0.0): any network it is on can reach this port over IPv4");
  if (porthole_socket_is_loopback (s))
    return _("A loopback address: only programs on this computer can connect");
  return _("One address of this computer: reachable through the network that address belongs to");
}

const char *
porthole_socket_exposure_text (PortholeSocket *s)
{
  return porthole_socket_is_loopback (s) ? _("This computer only") : _("Network");
}

const char *
porthole_socket_range_text (PortholeSocket *s)
{
  switch (porthole_socket_get_range (s))
    {
    case PORTHOLE_RANGE_WELL_KNOWN: return _("Well-known");
    case PORTHOLE_RANGE_REGISTERED: return _("Registered");
    case PORTHOLE_RANGE_DYNAMIC:
    default: return _("Dynamic");
    }
}

const char *
porthole_socket_owner_reason (PortholeSocket *s)
{
  switch (porthole_socket_get_owner_status (s))
    {
    case PORTHOLE_OWNER_KNOWN: return NULL;
    case PORTHOLE_OWNER_NO_PROCESS: return _("Kernel");
    case PORTHOLE_OWNER_OTHER_USER: return _("Hidden: another user");
    case PORTHOLE_OWNER_SANDBOXED: return _("Hidden by the sandbox");
    case PORTHOLE_OWNER_GONE:
      /* Translators: no process in view holds the socket: it exited, or lives in another
       * container (pid namespace) */
    default: return _("Not visible");
    }
}

static const char *
owner_tooltip (PortholeSocket *s)
{
  switch (porthole_socket_get_owner_status (s))
    {
    case PORTHOLE_OWNER_NO_PROCESS:
      return _("No program holds this socket: the kernel keeps it until the connection is fully closed");
    case PORTHOLE_OWNER_OTHER_USER:
      return _("This socket belongs to another user’s program; only that user or an administrator can see which one");
    case PORTHOLE_OWNER_SANDBOXED:
      return _("Porthole runs in a sandbox, which hides other programs; the owning user is still shown");
    case PORTHOLE_OWNER_GONE:
      return _("The program exited, or runs in another container");
    case PORTHOLE_OWNER_KNOWN:
    default:
      return NULL;
    }
}

char *
porthole_socket_owner_text (PortholeSocket *s)
{
  if (porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_KNOWN)
    return g_strdup_printf ("%s (%d)", porthole_socket_get_process (s), porthole_socket_get_pid (s));
  return g_strdup (porthole_socket_owner_reason (s));
}

/* ---- which ports have a listener ------------------------------------------------------- */

/* "protocol/port" -> number of live listeners, kept from the monitor's signals so a cell can
 * tell the server side of a connection (its port has a listener) from the client side. */
static GHashTable            *listeners;
static PortholeSocketMonitor *tracked;

static gpointer
listener_key (PortholeSocket *s, gboolean remote)
{
  guint port = remote ? porthole_socket_get_remote_port (s) : porthole_socket_get_local_port (s);

  return GUINT_TO_POINTER ((strcmp (porthole_socket_get_protocol (s), "udp") == 0 ? 0x10000u : 0u) | port);
}

static void
count_listener (PortholeSocket *s, int delta)
{
  gpointer key = listener_key (s, FALSE);
  int n = GPOINTER_TO_INT (g_hash_table_lookup (listeners, key)) + delta;

  if (n > 0)
    g_hash_table_insert (listeners, key, GINT_TO_POINTER (n));
  else
    g_hash_table_remove (listeners, key);
}

static void
on_socket_opened (PortholeSocketMonitor *monitor, PortholeSocket *s, gpointer data)
{
  if (porthole_socket_is_listening (s))
    count_listener (s, +1);
}

static void
on_socket_closed (PortholeSocketMonitor *monitor, PortholeSocket *s, gpointer data)
{
  if (porthole_socket_is_listening (s))
    count_listener (s, -1);
}

static void
recount_listeners (PortholeSocketMonitor *monitor)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (monitor));

  g_hash_table_remove_all (listeners);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (monitor), i);

      if (porthole_socket_is_listening (s) && !porthole_socket_get_closed (s))
        count_listener (s, +1);
    }
}

static void
on_loaded (PortholeSocketMonitor *monitor, GParamSpec *pspec, gpointer data)
{
  /* The first snapshot comes without socket-opened signals */
  recount_listeners (monitor);
}

void
porthole_socket_cell_track_monitor (PortholeSocketMonitor *monitor)
{
  if (listeners == NULL)
    listeners = g_hash_table_new (NULL, NULL);
  if (tracked == monitor)
    return;
  if (tracked)
    {
      g_signal_handlers_disconnect_by_func (tracked, on_socket_opened, NULL);
      g_signal_handlers_disconnect_by_func (tracked, on_socket_closed, NULL);
      g_signal_handlers_disconnect_by_func (tracked, on_loaded, NULL);
      g_object_remove_weak_pointer (G_OBJECT (tracked), (gpointer *) &tracked);
    }
  tracked = monitor;
  g_hash_table_remove_all (listeners);
  if (monitor == NULL)
    return;
  g_object_add_weak_pointer (G_OBJECT (monitor), (gpointer *) &tracked);
  g_signal_connect (monitor, "socket-opened", G_CALLBACK (on_socket_opened), NULL);
  g_signal_connect (monitor, "socket-closed", G_CALLBACK (on_socket_closed), NULL);
  g_signal_connect (monitor, "notify::loaded", G_CALLBACK (on_loaded), NULL);
  recount_listeners (monitor);
}

static gboolean
has_listener (PortholeSocket *s, gboolean remote)
{
  return listeners && g_hash_table_contains (listeners, listener_key (s, remote));
}

gboolean
porthole_socket_local_is_ephemeral (PortholeSocket *s, const PortholeSysctl *sysctl)
{
  /* A port something listens on is the server side, whatever range it is in */
  return !porthole_socket_is_listening (s) && !has_listener (s, FALSE) &&
         porthole_port_is_ephemeral (sysctl, porthole_socket_get_local_port (s));
}

gboolean
porthole_socket_remote_is_ephemeral (PortholeSocket *s, const PortholeSysctl *sysctl)
{
  const PortholeSockInfo *info = porthole_socket_get_info (s);
  guint port = porthole_socket_get_remote_port (s);

  if (porthole_socket_is_listening (s) || port == 0)
    return FALSE;
  /* Our side is a server's port: the peer is the client */
  if (has_listener (s, FALSE))
    return TRUE;
  /* Our side is the client: the peer is the server */
  if (porthole_socket_local_is_ephemeral (s, sysctl))
    return FALSE;
  if (porthole_address_is_loopback (info->family, info->remote_addr) && has_listener (s, TRUE))
    return FALSE;
  /* Neither side says: the peer's range is unknown, so ours or the IANA dynamic range */
  return porthole_port_is_ephemeral (sysctl, port) || porthole_port_range (port) == PORTHOLE_RANGE_DYNAMIC;
}

/* ---- the widget ------------------------------------------------------------------------- */

static void
set_extra (PortholeSocketCell *self, const char *text, const char *css_class)
{
  gtk_widget_set_visible (GTK_WIDGET (self->extra), text != NULL);
  gtk_label_set_text (self->extra, text ? text : "");
  gtk_widget_set_css_classes (GTK_WIDGET (self->extra), no_classes);
  if (css_class)
    gtk_widget_add_css_class (GTK_WIDGET (self->extra), css_class);
}

static void
set_main (PortholeSocketCell *self, const char *text, gboolean dim)
{
  gtk_label_set_text (self->label, text ? text : "");
  gtk_widget_set_css_classes (GTK_WIDGET (self->label), no_classes);
  if (dim)
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
}

static void
show_endpoint (PortholeSocketCell *self, gboolean remote)
{
  PortholeSocket *s = self->socket;
  const char *endpoint = remote ? porthole_socket_get_remote_endpoint (s)
                                : porthole_socket_get_local_endpoint (s);
  gboolean ephemeral = remote ? porthole_socket_remote_is_ephemeral (s, &cell_sysctl)
                              : porthole_socket_local_is_ephemeral (s, &cell_sysctl);
  g_autofree char *named = NULL;

  if (remote)
    {
      PortholeNameCache *cache = porthole_name_cache_get_default ();
      const char *name = porthole_name_cache_get_enabled (cache)
                           ? porthole_name_cache_lookup (cache, porthole_socket_get_remote_address (s))
                           : NULL;

      if (name)
        named = g_strdup_printf ("%s:%u", name, porthole_socket_get_remote_port (s));
    }
  set_main (self, named ? named : endpoint, FALSE);
  set_extra (self, ephemeral ? _("ephemeral") : NULL, "ephemeral-mark");
}

static void
update_content (PortholeSocketCell *self)
{
  PortholeSocket *s = self->socket;
  g_autofree char *text = NULL;

  set_extra (self, NULL, NULL);
  if (s == NULL)
    {
      set_main (self, "", FALSE);
      return;
    }

  switch (self->kind)
    {
    case PORTHOLE_CELL_PROTOCOL:
      set_main (self, strcmp (porthole_socket_get_protocol (s), "udp") == 0 ? "UDP" : "TCP", FALSE);
      break;
    case PORTHOLE_CELL_ADDRESS:
      text = porthole_socket_address_text (s);
      set_main (self, text, FALSE);
      break;
    case PORTHOLE_CELL_EXPOSURE:
      set_main (self, porthole_socket_exposure_text (s), porthole_socket_is_loopback (s));
      break;
    case PORTHOLE_CELL_PORT:
      text = g_strdup_printf ("%u", porthole_socket_get_local_port (s));
      set_main (self, text, FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "numeric");
      break;
    case PORTHOLE_CELL_RANGE:
      set_main (self, porthole_socket_range_text (s), FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "range-badge");
      gtk_widget_add_css_class (GTK_WIDGET (self->label), porthole_port_range_id (porthole_socket_get_range (s)));
      break;
    case PORTHOLE_CELL_SERVICE:
      set_main (self, porthole_socket_get_service (s) ? porthole_socket_get_service (s) : "—",
                porthole_socket_get_service (s) == NULL);
      break;
    case PORTHOLE_CELL_PROCESS:
      if (porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_KNOWN)
        {
          text = g_strdup_printf ("%d", porthole_socket_get_pid (s));
          set_main (self, porthole_socket_get_process (s), FALSE);
          set_extra (self, text, "dim-label");
        }
      else
        {
          set_main (self, porthole_socket_owner_reason (s), TRUE);
        }
      break;
    case PORTHOLE_CELL_USER:
      set_main (self, porthole_socket_get_user (s), FALSE);
      break;
    case PORTHOLE_CELL_STATE:
      set_main (self, porthole_socket_get_state (s), FALSE);
      break;
    case PORTHOLE_CELL_LOCAL:
      show_endpoint (self, FALSE);
      break;
    case PORTHOLE_CELL_REMOTE:
      show_endpoint (self, TRUE);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Tooltips are computed when asked: setting one per bound cell costs an X round trip */
static char *
cell_tooltip (PortholeSocketCell *self)
{
  PortholeSocket *s = self->socket;
  gboolean remote = self->kind == PORTHOLE_CELL_REMOTE;
  GString *text;

  switch (self->kind)
    {
    case PORTHOLE_CELL_PROTOCOL:
      return g_strdup (strcmp (porthole_socket_get_family (s), "ipv6") == 0 ? _("Over IPv6") : _("Over IPv4"));
    case PORTHOLE_CELL_ADDRESS:
    case PORTHOLE_CELL_EXPOSURE:
      return g_strdup (porthole_socket_address_tooltip (s));
    case PORTHOLE_CELL_PROCESS:
      if (porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_KNOWN)
        return g_strdup_printf (_("%s, process ID %d"), porthole_socket_get_process (s), porthole_socket_get_pid (s));
      return g_strdup (owner_tooltip (s));
    case PORTHOLE_CELL_LOCAL:
    case PORTHOLE_CELL_REMOTE:
      text = g_string_new (remote ? porthole_socket_get_remote_endpoint (s) : porthole_socket_get_local_endpoint (s));
      if (gtk_widget_get_visible (GTK_WIDGET (self->extra)))
        g_string_append_printf (text, "\n%s", _("An ephemeral port: the operating system picked it for the client side of this connection"));
      return g_string_free (text, FALSE);
    default:
      return NULL;
    }
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer data)
{
  PortholeSocketCell *self = PORTHOLE_SOCKET_CELL (widget);
  g_autofree char *text = self->socket ? cell_tooltip (self) : NULL;

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
on_new_over (gpointer data)
{
  PortholeSocketCell *self = data;

  self->new_timeout = 0;
  gtk_widget_remove_css_class (GTK_WIDGET (self), "socket-new");
  return G_SOURCE_REMOVE;
}

static void
update_tint (PortholeSocketCell *self)
{
  gboolean closed = self->socket && porthole_socket_get_closed (self->socket);
  gboolean fresh = FALSE;

  g_clear_handle_id (&self->new_timeout, g_source_remove);
  if (self->socket && !closed && highlight_new && porthole_socket_get_first_seen (self->socket) > 0)
    {
      gint64 age = g_get_monotonic_time () - porthole_socket_get_first_seen (self->socket);
      gint64 left = (gint64) PORTHOLE_SOCKET_CELL_NEW_MS * 1000 - age;

      if (left > 0)
        {
          fresh = TRUE;
          self->new_timeout = g_timeout_add ((guint) (left / 1000) + 1, on_new_over, self);
        }
    }
  if (fresh)
    gtk_widget_add_css_class (GTK_WIDGET (self), "socket-new");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "socket-new");
  if (closed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "socket-closed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "socket-closed");
}

static void
on_closed_changed (PortholeSocket *socket, GParamSpec *pspec, PortholeSocketCell *self)
{
  update_tint (self);
}

static void
on_resolved (PortholeNameCache *cache, const char *address, PortholeSocketCell *self)
{
  update_content (self);
}

void
porthole_socket_cell_set_socket (PortholeSocketCell *self, PortholeSocket *socket)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_CELL (self));

  if (self->socket == socket)
    return;
  if (self->socket)
    g_clear_signal_handler (&self->closed_handler, self->socket);
  g_clear_signal_handler (&self->resolved_handler, porthole_name_cache_get_default ());
  g_set_object (&self->socket, socket);
  if (socket)
    {
      self->closed_handler = g_signal_connect_object (socket, "notify::closed",
                                                      G_CALLBACK (on_closed_changed), self, 0);
      if (self->kind == PORTHOLE_CELL_REMOTE)
        {
          g_autofree char *signal = g_strdup_printf ("resolved::%s", porthole_socket_get_remote_address (socket));

          self->resolved_handler = g_signal_connect_object (porthole_name_cache_get_default (), signal,
                                                            G_CALLBACK (on_resolved), self, 0);
        }
    }
  update_content (self);
  update_tint (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOCKET]);
}

PortholeSocket *
porthole_socket_cell_get_socket (PortholeSocketCell *self)
{
  return self->socket;
}

PortholeCellKind
porthole_socket_cell_get_kind (PortholeSocketCell *self)
{
  return self->kind;
}

char *
porthole_socket_cell_get_text (PortholeSocketCell *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_CELL (self), NULL);
  if (gtk_widget_get_visible (GTK_WIDGET (self->extra)))
    return g_strdup_printf ("%s %s", gtk_label_get_text (self->label), gtk_label_get_text (self->extra));
  return g_strdup (gtk_label_get_text (self->label));
}

static void set_kind (PortholeSocketCell *self, const char *nick);

/* ---- list item factory callbacks -------------------------------------------------------- */

static void
setup_cell (GtkListItem *item, PortholeCellKind kind)
{
  GtkWidget *cell = g_object_new (PORTHOLE_TYPE_SOCKET_CELL, "kind", kind_nicks[kind], NULL);

  gtk_list_item_set_child (item, cell);
}

#define SETUP_CALLBACK(name, kind)                                                           \
  static void setup_##name##_cell (GtkSignalListItemFactory *f, GtkListItem *item, gpointer d) \
  {                                                                                          \
    setup_cell (item, kind);                                                                 \
  }
SETUP_CALLBACK (protocol, PORTHOLE_CELL_PROTOCOL)
SETUP_CALLBACK (address, PORTHOLE_CELL_ADDRESS)
SETUP_CALLBACK (exposure, PORTHOLE_CELL_EXPOSURE)
SETUP_CALLBACK (port, PORTHOLE_CELL_PORT)
SETUP_CALLBACK (range, PORTHOLE_CELL_RANGE)
SETUP_CALLBACK (service, PORTHOLE_CELL_SERVICE)
SETUP_CALLBACK (process, PORTHOLE_CELL_PROCESS)
SETUP_CALLBACK (user, PORTHOLE_CELL_USER)
SETUP_CALLBACK (state, PORTHOLE_CELL_STATE)
SETUP_CALLBACK (local, PORTHOLE_CELL_LOCAL)
SETUP_CALLBACK (remote, PORTHOLE_CELL_REMOTE)
#undef SETUP_CALLBACK

static void
bind_socket_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  porthole_socket_cell_set_socket (PORTHOLE_SOCKET_CELL (gtk_list_item_get_child (item)),
                                   gtk_list_item_get_item (item));
}

static void
unbind_socket_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  porthole_socket_cell_set_socket (PORTHOLE_SOCKET_CELL (gtk_list_item_get_child (item)), NULL);
}

void
porthole_socket_cell_bind_template_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, setup_protocol_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_address_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_exposure_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_port_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_range_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_service_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_process_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_user_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_state_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_local_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_remote_cell);
  gtk_widget_class_bind_template_callback (widget_class, bind_socket_cell);
  gtk_widget_class_bind_template_callback (widget_class, unbind_socket_cell);
}

static void
set_kind (PortholeSocketCell *self, const char *nick)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_nicks); i++)
    if (g_strcmp0 (nick, kind_nicks[i]) == 0)
      {
        self->kind = i;
        /* Ports read best right-aligned, like any column of numbers */
        gtk_label_set_xalign (self->label, i == PORTHOLE_CELL_PORT ? 1.0 : 0.0);
        /* A pid or an "ephemeral" mark sits right after the text, not at the far edge */
        gtk_widget_set_hexpand (GTK_WIDGET (self->label),
                                i != PORTHOLE_CELL_RANGE && i != PORTHOLE_CELL_PROCESS &&
                                i != PORTHOLE_CELL_LOCAL && i != PORTHOLE_CELL_REMOTE);
        gtk_widget_set_halign (GTK_WIDGET (self->label), i == PORTHOLE_CELL_RANGE ? GTK_ALIGN_START : GTK_ALIGN_FILL);
        update_content (self);
        return;
      }
  g_warning ("unknown socket cell kind “%s”", nick);
}

static void
porthole_socket_cell_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeSocketCell *self = PORTHOLE_SOCKET_CELL (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_string (value, kind_nicks[self->kind]); break;
    case PROP_SOCKET: g_value_set_object (value, self->socket); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_cell_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeSocketCell *self = PORTHOLE_SOCKET_CELL (object);

  switch (prop_id)
    {
    case PROP_KIND: set_kind (self, g_value_get_string (value)); break;
    case PROP_SOCKET: porthole_socket_cell_set_socket (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_cell_dispose (GObject *object)
{
  PortholeSocketCell *self = PORTHOLE_SOCKET_CELL (object);
  GtkWidget *child;

  porthole_socket_cell_set_socket (self, NULL);
  g_clear_handle_id (&self->new_timeout, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (porthole_socket_cell_parent_class)->dispose (object);
}

static void
porthole_socket_cell_class_init (PortholeSocketCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_socket_cell_dispose;
  object_class->get_property = porthole_socket_cell_get_property;
  object_class->set_property = porthole_socket_cell_set_property;

  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, "protocol",
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOCKET] = g_param_spec_object ("socket", NULL, NULL, PORTHOLE_TYPE_SOCKET,
                                                 G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "socketcell");
}

static void
porthole_socket_cell_init (PortholeSocketCell *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));

  self->extra = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_single_line_mode (self->extra, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->extra), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->extra), GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}
