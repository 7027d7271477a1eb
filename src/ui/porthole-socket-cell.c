/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-cell.h"

#include "porthole-escape.h"
#include "porthole-socket-text.h"
#include "porthole-traffic-text.h"

#include <glib/gi18n.h>
#include <string.h>

struct _PortholeSocketCell {
  GtkWidget              parent_instance;
  PortholeCellKind       kind;
  PortholeSocket        *socket;
  PortholeSocketMonitor *monitor;        /* listeners and sysctl, to mark the ephemeral side */
  gboolean               highlight_new;
  GtkLabel         *label;
  GtkLabel         *extra;
  gulong            closed_handler;
  gulong            resolved_handler;
  gulong            published_handler;
  gulong            containers_handler;
  gulong            rate_handler;
  guint             new_timeout;
};

G_DEFINE_FINAL_TYPE (PortholeSocketCell, porthole_socket_cell, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_KIND, PROP_SOCKET, PROP_MONITOR, PROP_HIGHLIGHT_NEW, N_PROPS };

static GParamSpec *properties[N_PROPS];

static const char *kind_nicks[] = {
  "protocol", "address", "exposure", "port", "range", "service", "process", "user", "state",
  "local", "remote", "container", "sent", "received", "rate", "traffic",
};

static gboolean
is_traffic_kind (PortholeCellKind kind)
{
  return kind >= PORTHOLE_CELL_SENT;
}

static const char *const no_classes[] = { NULL };

/* ---- the widget ------------------------------------------------------------------------- */

static void
set_extra (PortholeSocketCell *self, const char *text, const char *css_class)
{
  gtk_widget_set_visible (GTK_WIDGET (self->extra), text != NULL);
  gtk_label_set_text (self->extra, text ? text : "");
  gtk_widget_set_css_classes (GTK_WIDGET (self->extra), (const char **) no_classes);
  if (css_class)
    gtk_widget_add_css_class (GTK_WIDGET (self->extra), css_class);
}

static void
set_main (PortholeSocketCell *self, const char *text, gboolean dim)
{
  gtk_label_set_text (self->label, text ? text : "");
  gtk_widget_set_css_classes (GTK_WIDGET (self->label), (const char **) no_classes);
  if (dim)
    gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
}

static void
show_endpoint (PortholeSocketCell *self, gboolean remote)
{
  PortholeSocket *s = self->socket;
  const char *endpoint = remote ? porthole_socket_get_remote_endpoint (s)
                                : porthole_socket_get_local_endpoint (s);
  gboolean ephemeral = self->monitor != NULL &&
                       (remote ? porthole_socket_monitor_remote_is_ephemeral (self->monitor, s)
                               : porthole_socket_monitor_local_is_ephemeral (self->monitor, s));
  g_autofree char *named = NULL;

  if (remote && self->monitor)
    {
      PortholeNameCache *cache = porthole_socket_monitor_get_name_cache (self->monitor);
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
show_traffic (PortholeSocketCell *self)
{
  static const PortholeTrafficValue values[] = {
    [PORTHOLE_CELL_SENT] = PORTHOLE_TRAFFIC_SENT,
    [PORTHOLE_CELL_RECEIVED] = PORTHOLE_TRAFFIC_RECEIVED,
    [PORTHOLE_CELL_RATE] = PORTHOLE_TRAFFIC_RATE,
    [PORTHOLE_CELL_TRAFFIC] = PORTHOLE_TRAFFIC_TOTAL,
  };
  PortholeSocket *s = self->socket;
  gboolean dim = FALSE;
  g_autofree char *text = porthole_socket_traffic_text (s, values[self->kind], &dim);

  set_main (self, text, dim);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "numeric");
}

static char *
traffic_tooltip (PortholeSocketCell *self)
{
  PortholeSocket *s = self->socket;
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;
  g_autofree char *up = NULL;
  g_autofree char *down = NULL;

  if (!porthole_socket_has_traffic (s))
    return g_strdup (porthole_socket_no_traffic_reason (s));
  sent = porthole_format_bytes (porthole_socket_get_bytes_sent (s));
  received = porthole_format_bytes (porthole_socket_get_bytes_received (s));
  up = porthole_format_rate (porthole_socket_get_send_rate (s));
  down = porthole_format_rate (porthole_socket_get_receive_rate (s));
  if (porthole_socket_is_listening (s))
    /* Translators: a listener's traffic: what went through the connections it accepted */
    return g_strdup_printf (_("Through the connections it accepted: sent %s (now %s), "
                              "received %s (now %s)"), sent, up, received, down);
  /* Translators: "Sent 1.2 MiB (now 340.0 KiB/s), received ..." */
  return g_strdup_printf (_("Sent %s (now %s), received %s (now %s)"), sent, up, received, down);
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
      set_main (self, porthole_socket_exposure_text (s),
                porthole_socket_get_exposure (s) == PORTHOLE_EXPOSURE_LOOPBACK ||
                porthole_socket_get_exposure (s) == PORTHOLE_EXPOSURE_CONTAINER);
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
    case PORTHOLE_CELL_CONTAINER:
      if (porthole_socket_get_container (s) == NULL && porthole_socket_get_netns (s) != 0)
        {
          /* The id, then what it is, like a container's name then its runtime: narrow enough
           * for the column, and two namespaces still read apart */
          text = g_strdup_printf ("%" G_GUINT64_FORMAT, porthole_socket_get_netns (s));
          set_main (self, text, FALSE);
          /* Translators: short for "network namespace", as Linux's tools say it (ip netns) */
          set_extra (self, C_("short", "netns"), "dim-label");
          break;
        }
      text = porthole_socket_container_text (s, self->monitor);
      set_main (self, text ? text : "—", text == NULL);
      set_extra (self, porthole_socket_runtime_text (s), "dim-label");
      break;
    case PORTHOLE_CELL_SENT:
    case PORTHOLE_CELL_RECEIVED:
    case PORTHOLE_CELL_RATE:
    case PORTHOLE_CELL_TRAFFIC:
      show_traffic (self);
      break;
    default:
      g_assert_not_reached ();
    }
}

static char *
container_tooltip (PortholeSocketCell *self)
{
  PortholeSocket *s = self->socket;
  const PortholeContainerRef *c = porthole_socket_get_container (s);
  g_autofree char *name = porthole_socket_container_text (s, self->monitor);
  g_autofree char *id = NULL;

  if (c == NULL && porthole_socket_get_netns (s) == 0)
    return g_strdup (_("On this computer itself, in no container"));
  if (c == NULL)
    /* Translators: %s is "namespace 4026532273" */
    return g_strdup_printf (_("In %s, a network namespace of its own that belongs to no "
                              "container Porthole recognises: its ports are separate from this "
                              "computer’s"), name);
  id = c->id ? porthole_escape_text (c->id, -1, FALSE) : NULL;
  /* Translators: a container's name, its runtime ("Docker"), and its id */
  return g_strdup_printf (_("Container %s (%s)\nID %s"), name, porthole_socket_runtime_text (s),
                          id ? id : "—");
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
      return g_strdup (porthole_socket_address_tooltip (s));
    case PORTHOLE_CELL_EXPOSURE:
      return g_strdup (porthole_socket_exposure_tooltip (s));
    case PORTHOLE_CELL_CONTAINER:
      return container_tooltip (self);
    case PORTHOLE_CELL_SENT:
    case PORTHOLE_CELL_RECEIVED:
    case PORTHOLE_CELL_RATE:
    case PORTHOLE_CELL_TRAFFIC:
      return traffic_tooltip (self);
    case PORTHOLE_CELL_PROCESS:
      if (porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_KNOWN)
        return g_strdup_printf (_("%s, process ID %d"), porthole_socket_get_process (s), porthole_socket_get_pid (s));
      return g_strdup (porthole_socket_owner_tooltip (s));
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
  if (self->socket && !closed && self->highlight_new && porthole_socket_get_first_seen (self->socket) > 0)
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

static void
on_content_changed (PortholeSocketCell *self)
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
  if (self->resolved_handler && self->monitor)
    g_clear_signal_handler (&self->resolved_handler, porthole_socket_monitor_get_name_cache (self->monitor));
  if (self->containers_handler && self->monitor)
    g_clear_signal_handler (&self->containers_handler, self->monitor);
  if (self->published_handler && self->socket)
    g_clear_signal_handler (&self->published_handler, self->socket);
  if (self->rate_handler && self->socket)
    g_clear_signal_handler (&self->rate_handler, self->socket);
  g_set_object (&self->socket, socket);
  if (socket)
    {
      self->closed_handler = g_signal_connect_object (socket, "notify::closed",
                                                      G_CALLBACK (on_closed_changed), self, 0);
      if (self->kind == PORTHOLE_CELL_REMOTE && self->monitor)
        {
          g_autofree char *signal = g_strdup_printf ("resolved::%s", porthole_socket_get_remote_address (socket));

          self->resolved_handler = g_signal_connect_object (porthole_socket_monitor_get_name_cache (self->monitor),
                                                            signal, G_CALLBACK (on_resolved), self, 0);
        }
      /* Only the rows of other namespaces can change name; host rows need no handler */
      if (self->kind == PORTHOLE_CELL_CONTAINER && self->monitor &&
          porthole_socket_is_elsewhere (socket))
        self->containers_handler = g_signal_connect_object (self->monitor, "containers-changed",
                                                            G_CALLBACK (on_content_changed), self,
                                                            G_CONNECT_SWAPPED);
      /* A publication found later widens who can reach it */
      if (self->kind == PORTHOLE_CELL_EXPOSURE)
        self->published_handler = g_signal_connect_object (socket, "notify::published",
                                                           G_CALLBACK (on_content_changed), self,
                                                           G_CONNECT_SWAPPED);
      /* Counters move in place: only bound cells (the rows on screen) follow them. UDP has
       * none, and a socket never changes protocol. */
      if (is_traffic_kind (self->kind) && strcmp (porthole_socket_get_protocol (socket), "tcp") == 0)
        self->rate_handler = g_signal_connect_object (socket, "notify::rate",
                                                      G_CALLBACK (on_content_changed), self,
                                                      G_CONNECT_SWAPPED);
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

/* @view: the PortholeSocketView the factory serves (the .ui passes it as the signal's
 * object); the cell follows its monitor and highlight setting */
static void
setup_cell (GtkListItem *item, PortholeCellKind kind, gpointer view)
{
  GtkWidget *cell = g_object_new (PORTHOLE_TYPE_SOCKET_CELL, "kind", kind_nicks[kind], NULL);

  g_return_if_fail (G_IS_OBJECT (view));
  g_object_bind_property (view, "monitor", cell, "monitor", G_BINDING_SYNC_CREATE);
  g_object_bind_property (view, "highlight-new", cell, "highlight-new", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (item, cell);
}

#define SETUP_CALLBACK(name, kind)                                                              \
  static void setup_##name##_cell (GtkSignalListItemFactory *f, GtkListItem *item, gpointer view) \
  {                                                                                             \
    setup_cell (item, kind, view);                                                              \
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
SETUP_CALLBACK (container, PORTHOLE_CELL_CONTAINER)
SETUP_CALLBACK (sent, PORTHOLE_CELL_SENT)
SETUP_CALLBACK (received, PORTHOLE_CELL_RECEIVED)
SETUP_CALLBACK (rate, PORTHOLE_CELL_RATE)
SETUP_CALLBACK (traffic, PORTHOLE_CELL_TRAFFIC)
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
  gtk_widget_class_bind_template_callback (widget_class, setup_container_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_sent_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_received_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_rate_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_traffic_cell);
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
        /* Ports and byte counts read best right-aligned, like any column of numbers */
        gtk_label_set_xalign (self->label, i == PORTHOLE_CELL_PORT || is_traffic_kind (i) ? 1.0 : 0.0);
        /* A pid or an "ephemeral" mark sits right after the text, not at the far edge */
        gtk_widget_set_hexpand (GTK_WIDGET (self->label),
                                i != PORTHOLE_CELL_RANGE && i != PORTHOLE_CELL_PROCESS &&
                                i != PORTHOLE_CELL_LOCAL && i != PORTHOLE_CELL_REMOTE &&
                                i != PORTHOLE_CELL_CONTAINER);
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
    case PROP_MONITOR: g_value_set_object (value, self->monitor); break;
    case PROP_HIGHLIGHT_NEW: g_value_set_boolean (value, self->highlight_new); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_monitor (PortholeSocketCell *self, PortholeSocketMonitor *monitor)
{
  g_autoptr(PortholeSocket) socket = self->socket ? g_object_ref (self->socket) : NULL;

  if (self->monitor == monitor)
    return;
  /* Unbind and bind again: the name-cache handler belongs to the monitor */
  porthole_socket_cell_set_socket (self, NULL);
  g_set_object (&self->monitor, monitor);
  porthole_socket_cell_set_socket (self, socket);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

static void
set_highlight_new (PortholeSocketCell *self, gboolean highlight)
{
  if (self->highlight_new == highlight)
    return;
  self->highlight_new = highlight;
  update_tint (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHT_NEW]);
}

static void
porthole_socket_cell_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeSocketCell *self = PORTHOLE_SOCKET_CELL (object);

  switch (prop_id)
    {
    case PROP_KIND: set_kind (self, g_value_get_string (value)); break;
    case PROP_SOCKET: porthole_socket_cell_set_socket (self, g_value_get_object (value)); break;
    case PROP_MONITOR: set_monitor (self, g_value_get_object (value)); break;
    case PROP_HIGHLIGHT_NEW: set_highlight_new (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_cell_dispose (GObject *object)
{
  PortholeSocketCell *self = PORTHOLE_SOCKET_CELL (object);
  GtkWidget *child;

  porthole_socket_cell_set_socket (self, NULL);
  g_clear_object (&self->monitor);
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
  properties[PROP_MONITOR] = g_param_spec_object ("monitor", NULL, NULL, PORTHOLE_TYPE_SOCKET_MONITOR,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGHLIGHT_NEW] = g_param_spec_boolean ("highlight-new", NULL, NULL, TRUE,
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

  self->highlight_new = TRUE;

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
