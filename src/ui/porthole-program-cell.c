/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-program-cell.h"

#include "porthole-sparkline.h"
#include "porthole-traffic-text.h"

#include <glib/gi18n.h>

struct _PortholeProgramCell {
  GtkWidget                parent_instance;
  PortholeProgramCellKind  kind;
  PortholeProgram         *program;
  PortholeSocketMonitor   *monitor;
  GtkLabel                *label;
  GtkLabel                *extra;
  GtkWidget               *sparkline;
  gulong                   rate_handler;
  gulong                   count_handler;
};

G_DEFINE_FINAL_TYPE (PortholeProgramCell, porthole_program_cell, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_KIND, PROP_MONITOR, N_PROPS };
static GParamSpec *properties[N_PROPS];

static const char *kind_nicks[] = { "name", "owner", "connections", "sent", "received", "rate", "history" };
static const char *const no_classes[] = { NULL };

static void
set_label (GtkLabel *label, const char *text, gboolean dim, gboolean numeric)
{
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_css_classes (GTK_WIDGET (label), (const char **) no_classes);
  if (dim)
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
  if (numeric)
    gtk_widget_add_css_class (GTK_WIDGET (label), "numeric");
}

static void
update (PortholeProgramCell *self)
{
  PortholeProgram *p = self->program;
  g_autofree char *text = NULL;
  g_autofree char *extra = NULL;
  gboolean dim = FALSE;

  set_label (self->extra, NULL, FALSE, FALSE);
  if (p == NULL)
    {
      if (self->sparkline == NULL)
        set_label (self->label, "", FALSE, FALSE);
      else
        porthole_sparkline_set_values (PORTHOLE_SPARKLINE (self->sparkline), NULL, 0);
      return;
    }
  switch (self->kind)
    {
    case PORTHOLE_PROGRAM_CELL_NAME:
      set_label (self->label, porthole_program_get_title (p), porthole_program_get_pid (p) == 0, FALSE);
      if (porthole_program_get_pid (p) > 0)
        {
          extra = g_strdup_printf ("%d", porthole_program_get_pid (p));
          set_label (self->extra, extra, TRUE, TRUE);
        }
      break;
    case PORTHOLE_PROGRAM_CELL_OWNER:
      {
        const PortholeContainerRef *c = porthole_program_get_container (p);

        if (c && self->monitor)
          text = porthole_socket_monitor_dup_container_name (self->monitor, c);
        set_label (self->label, text ? text : porthole_program_get_user (p), FALSE, FALSE);
        if (text)
          /* Translators: after a container's name in the Programs table */
          set_label (self->extra, _("container"), TRUE, FALSE);
      }
      break;
    case PORTHOLE_PROGRAM_CELL_CONNECTIONS:
      text = g_strdup_printf ("%u", porthole_program_get_n_connections (p));
      set_label (self->label, text, porthole_program_get_n_connections (p) == 0, TRUE);
      break;
    case PORTHOLE_PROGRAM_CELL_SENT:
      text = porthole_format_bytes (porthole_program_get_bytes_sent (p));
      set_label (self->label, text, porthole_program_get_bytes_sent (p) == 0, TRUE);
      break;
    case PORTHOLE_PROGRAM_CELL_RECEIVED:
      text = porthole_format_bytes (porthole_program_get_bytes_received (p));
      set_label (self->label, text, porthole_program_get_bytes_received (p) == 0, TRUE);
      break;
    case PORTHOLE_PROGRAM_CELL_RATE:
      dim = porthole_program_get_rate (p) == 0;
      text = porthole_format_rate (porthole_program_get_rate (p));
      set_label (self->label, text, dim, TRUE);
      break;
    case PORTHOLE_PROGRAM_CELL_HISTORY:
      {
        double history[PORTHOLE_TRAFFIC_HISTORY];
        guint n = porthole_program_get_rate_history (p, history, G_N_ELEMENTS (history));

        porthole_sparkline_set_values (PORTHOLE_SPARKLINE (self->sparkline), history, n);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static char *
program_tooltip (PortholeProgramCell *self)
{
  PortholeProgram *p = self->program;
  g_autofree char *up = porthole_format_rate (porthole_program_get_send_rate (p));
  g_autofree char *down = porthole_format_rate (porthole_program_get_receive_rate (p));

  switch (self->kind)
    {
    case PORTHOLE_PROGRAM_CELL_NAME:
      if (porthole_program_get_pid (p) > 0)
        return g_strdup_printf (_("%s, process ID %d"), porthole_program_get_title (p),
                                porthole_program_get_pid (p));
      return NULL;
    case PORTHOLE_PROGRAM_CELL_CONNECTIONS:
      return g_strdup_printf (ngettext ("%u connection open, and %u listening socket",
                                        "%u connections open, and %u listening sockets",
                                        porthole_program_get_n_listeners (p)),
                              porthole_program_get_n_connections (p), porthole_program_get_n_listeners (p));
    case PORTHOLE_PROGRAM_CELL_RATE:
      /* Translators: "Sending 1.2 MiB/s, receiving 340 B/s" */
      return g_strdup_printf (_("Sending %s, receiving %s"), up, down);
    case PORTHOLE_PROGRAM_CELL_SENT:
    case PORTHOLE_PROGRAM_CELL_RECEIVED:
      return g_strdup (_("Over its TCP connections since Porthole started, the closed ones included"));
    default:
      return NULL;
    }
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer data)
{
  PortholeProgramCell *self = PORTHOLE_PROGRAM_CELL (widget);
  g_autofree char *text = self->program ? program_tooltip (self) : NULL;

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
porthole_program_cell_set_program (PortholeProgramCell *self, PortholeProgram *program)
{
  g_return_if_fail (PORTHOLE_IS_PROGRAM_CELL (self));
  if (self->program == program)
    return;
  if (self->program)
    {
      g_clear_signal_handler (&self->rate_handler, self->program);
      g_clear_signal_handler (&self->count_handler, self->program);
    }
  g_set_object (&self->program, program);
  if (program && self->kind >= PORTHOLE_PROGRAM_CELL_SENT)
    self->rate_handler = g_signal_connect_object (program, "notify::rate", G_CALLBACK (update), self,
                                                  G_CONNECT_SWAPPED);
  if (program && self->kind == PORTHOLE_PROGRAM_CELL_CONNECTIONS)
    self->count_handler = g_signal_connect_object (program, "notify::n-connections", G_CALLBACK (update),
                                                   self, G_CONNECT_SWAPPED);
  update (self);
}

PortholeProgram *porthole_program_cell_get_program (PortholeProgramCell *self) { return self->program; }
PortholeProgramCellKind porthole_program_cell_get_kind (PortholeProgramCell *self) { return self->kind; }
GtkWidget *porthole_program_cell_get_sparkline (PortholeProgramCell *self) { return self->sparkline; }

char *
porthole_program_cell_get_text (PortholeProgramCell *self)
{
  g_return_val_if_fail (PORTHOLE_IS_PROGRAM_CELL (self), NULL);
  if (self->kind == PORTHOLE_PROGRAM_CELL_HISTORY)
    return NULL;
  if (gtk_widget_get_visible (GTK_WIDGET (self->extra)))
    return g_strdup_printf ("%s %s", gtk_label_get_text (self->label), gtk_label_get_text (self->extra));
  return g_strdup (gtk_label_get_text (self->label));
}

static void
set_kind (PortholeProgramCell *self, const char *nick)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_nicks); i++)
    if (g_strcmp0 (nick, kind_nicks[i]) == 0)
      {
        self->kind = i;
        gtk_label_set_xalign (self->label, i >= PORTHOLE_PROGRAM_CELL_CONNECTIONS ? 1.0 : 0.0);
        /* a pid or "container" sits right after the name */
        gtk_widget_set_hexpand (GTK_WIDGET (self->label), i >= PORTHOLE_PROGRAM_CELL_CONNECTIONS);
        if (i == PORTHOLE_PROGRAM_CELL_HISTORY && self->sparkline == NULL)
          {
            self->sparkline = porthole_sparkline_new ();
            gtk_widget_add_css_class (self->sparkline, "inline");
            gtk_widget_set_hexpand (self->sparkline, TRUE);
            gtk_widget_set_visible (GTK_WIDGET (self->label), FALSE);
            gtk_widget_set_parent (self->sparkline, GTK_WIDGET (self));
          }
        update (self);
        return;
      }
  g_warning ("unknown program cell kind “%s”", nick);
}

/* ---- factory callbacks ------------------------------------------------------------------ */

static void
setup_cell (GtkListItem *item, PortholeProgramCellKind kind, gpointer view)
{
  GtkWidget *cell = g_object_new (PORTHOLE_TYPE_PROGRAM_CELL, "kind", kind_nicks[kind], NULL);

  g_object_bind_property (view, "monitor", cell, "monitor", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (item, cell);
}

#define SETUP_CALLBACK(name, kind)                                                                      \
  static void setup_program_##name##_cell (GtkSignalListItemFactory *f, GtkListItem *item, gpointer view) \
  {                                                                                                     \
    setup_cell (item, kind, view);                                                                      \
  }
SETUP_CALLBACK (name, PORTHOLE_PROGRAM_CELL_NAME)
SETUP_CALLBACK (owner, PORTHOLE_PROGRAM_CELL_OWNER)
SETUP_CALLBACK (connections, PORTHOLE_PROGRAM_CELL_CONNECTIONS)
SETUP_CALLBACK (sent, PORTHOLE_PROGRAM_CELL_SENT)
SETUP_CALLBACK (received, PORTHOLE_PROGRAM_CELL_RECEIVED)
SETUP_CALLBACK (rate, PORTHOLE_PROGRAM_CELL_RATE)
SETUP_CALLBACK (history, PORTHOLE_PROGRAM_CELL_HISTORY)
#undef SETUP_CALLBACK

static void
bind_program_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  porthole_program_cell_set_program (PORTHOLE_PROGRAM_CELL (gtk_list_item_get_child (item)),
                                     gtk_list_item_get_item (item));
}

static void
unbind_program_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  porthole_program_cell_set_program (PORTHOLE_PROGRAM_CELL (gtk_list_item_get_child (item)), NULL);
}

void
porthole_program_cell_bind_template_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, setup_program_name_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_program_owner_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_program_connections_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_program_sent_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_program_received_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_program_rate_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_program_history_cell);
  gtk_widget_class_bind_template_callback (widget_class, bind_program_cell);
  gtk_widget_class_bind_template_callback (widget_class, unbind_program_cell);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
porthole_program_cell_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeProgramCell *self = PORTHOLE_PROGRAM_CELL (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_string (value, kind_nicks[self->kind]); break;
    case PROP_MONITOR: g_value_set_object (value, self->monitor); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_program_cell_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeProgramCell *self = PORTHOLE_PROGRAM_CELL (object);

  switch (prop_id)
    {
    case PROP_KIND: set_kind (self, g_value_get_string (value)); break;
    case PROP_MONITOR:
      if (g_set_object (&self->monitor, g_value_get_object (value)))
        update (self);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_program_cell_dispose (GObject *object)
{
  PortholeProgramCell *self = PORTHOLE_PROGRAM_CELL (object);
  GtkWidget *child;

  porthole_program_cell_set_program (self, NULL);
  g_clear_object (&self->monitor);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (porthole_program_cell_parent_class)->dispose (object);
}

static void
porthole_program_cell_class_init (PortholeProgramCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_program_cell_dispose;
  object_class->get_property = porthole_program_cell_get_property;
  object_class->set_property = porthole_program_cell_set_property;
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, "name",
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONITOR] = g_param_spec_object ("monitor", NULL, NULL, PORTHOLE_TYPE_SOCKET_MONITOR,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  /* styled like the socket tables' cells */
  gtk_widget_class_set_css_name (widget_class, "socketcell");
}

static void
porthole_program_cell_init (PortholeProgramCell *self)
{
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->label, TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
  self->extra = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_single_line_mode (self->extra, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->extra), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->extra), GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}
