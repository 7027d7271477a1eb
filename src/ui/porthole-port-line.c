/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-port-line.h"
#include "porthole-port-line-private.h"
#include "porthole-port-info.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <stdlib.h>

G_DEFINE_FINAL_TYPE (PortholePortLine, porthole_port_line, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SELECTED_PORT, N_PROPS };
enum { PORT_ACTIVATED, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- ticks ------------------------------------------------------------------------------ */

static int
compare_ticks (gconstpointer a, gconstpointer b)
{
  const PortholePortTick *x = a, *y = b;

  if (x->port != y->port)
    return x->port < y->port ? -1 : 1;
  return (int) x->kind - (int) y->kind;   /* a listener first, so it wins the merge */
}

static void
compute_ticks (PortholePortLine *self)
{
  GListModel *model = G_LIST_MODEL (self->monitor);
  guint n = self->monitor ? g_list_model_get_n_items (model) : 0;
  g_autoptr(GArray) raw = g_array_sized_new (FALSE, FALSE, sizeof (PortholePortTick), n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);
      gboolean tcp = g_strcmp0 (porthole_socket_get_protocol (s), "tcp") == 0;
      PortholePortTick t = { 0 };

      if (porthole_socket_get_closed (s) || porthole_socket_get_local_port (s) == 0)
        continue;
      t.port = (guint16) porthole_socket_get_local_port (s);
      t.kind = porthole_socket_is_listening (s) ? PORTHOLE_PORT_TICK_LISTENER : PORTHOLE_PORT_TICK_CONNECTION;
      t.n_sockets = 1;
      t.tcp = tcp;
      t.udp = !tcp;
      g_array_append_val (raw, t);
    }
  g_array_sort (raw, compare_ticks);

  g_array_set_size (self->ticks, 0);
  for (guint i = 0; i < raw->len; i++)
    {
      PortholePortTick *t = &g_array_index (raw, PortholePortTick, i);
      PortholePortTick *last = self->ticks->len ? &g_array_index (self->ticks, PortholePortTick, self->ticks->len - 1) : NULL;

      if (last != NULL && last->port == t->port)
        {
          last->n_sockets++;
          last->tcp |= t->tcp;
          last->udp |= t->udp;
        }
      else
        g_array_append_val (self->ticks, *t);
    }
  self->ticks_dirty = FALSE;
}

const PortholePortTick *
porthole_port_line_get_ticks (PortholePortLine *self, guint *n_ticks)
{
  g_return_val_if_fail (PORTHOLE_IS_PORT_LINE (self), NULL);
  if (self->ticks_dirty)
    compute_ticks (self);
  *n_ticks = self->ticks->len;
  return (const PortholePortTick *) (gpointer) self->ticks->data;
}

const PortholePortTick *
porthole_port_line_find_tick (PortholePortLine *self, guint port)
{
  guint n;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self, &n);
  PortholePortTick key = { .port = (guint16) port };

  /* bsearch() may not be given a NULL array, even an empty one (UBSan) */
  if (port > 65535 || n == 0)
    return NULL;
  return bsearch (&key, ticks, n, sizeof *ticks, porthole_port_tick_compare_port);
}

int
porthole_port_tick_compare_port (const void *a, const void *b)
{
  const PortholePortTick *x = a, *y = b;

  return (int) x->port - (int) y->port;
}

const PortholeSysctl *
porthole_port_line_get_sysctl (PortholePortLine *self)
{
  return self->monitor ? porthole_socket_monitor_get_sysctl (self->monitor) : &porthole_sysctl_linux_defaults;
}

/* ---- accessibility ---------------------------------------------------------------------- */

static void
update_summary (PortholePortLine *self)
{
  const PortholeSysctl *sysctl = porthole_port_line_get_sysctl (self);
  guint n, listeners = 0;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self, &n);
  g_autofree char *privileged = NULL;
  g_autofree char *open = NULL;

  for (guint i = 0; i < n; i++)
    listeners += ticks[i].kind == PORTHOLE_PORT_TICK_LISTENER;

  if (sysctl->unprivileged_start > 1)
    privileged = g_strdup_printf (_("Ports 1 to %u are privileged here."), sysctl->unprivileged_start - 1);
  else
    privileged = g_strdup (_("No port is privileged here."));
  open = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u port is open right now: %u with a listener, %u used only by connections.",
                                       "%u ports are open right now: %u with a listener, %u used only by connections.",
                                       n),
                          n, listeners, n - listeners);
  g_free (self->summary);
  self->summary = g_strdup_printf (_("All ports from 0 to 65535: well-known 0 to 1023, registered 1024 to "
                                     "49151, dynamic 49152 to 65535. This system gives clients "
                                     "ephemeral ports from %u to %u. %s %s Left and Right move between "
                                     "open ports; Enter looks one up."),
                                   sysctl->ephemeral_start, sysctl->ephemeral_end, privileged, open);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}

const char *
porthole_port_line_get_summary (PortholePortLine *self)
{
  g_return_val_if_fail (PORTHOLE_IS_PORT_LINE (self), NULL);
  return self->summary;
}

static gboolean
summary_idle_cb (gpointer data)
{
  PortholePortLine *self = data;

  self->summary_idle = 0;
  update_summary (self);
  return G_SOURCE_REMOVE;
}

static void
ticks_changed (PortholePortLine *self)
{
  self->ticks_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* Coalesce the several items-changed of one refresh into one update */
  if (self->summary_idle == 0)
    self->summary_idle = g_idle_add (summary_idle_cb, self);
}

static void
on_items_changed (PortholePortLine *self, guint position, guint removed, guint added, GListModel *model)
{
  ticks_changed (self);
}

static void
on_sysctl_changed (PortholePortLine *self)
{
  ticks_changed (self);
}

void
porthole_port_line_set_monitor (PortholePortLine *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_PORT_LINE (self));

  if (self->monitor == monitor)
    return;
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor)
    {
      g_signal_connect_object (monitor, "items-changed", G_CALLBACK (on_items_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (monitor, "notify::sysctl", G_CALLBACK (on_sysctl_changed), self,
                               G_CONNECT_SWAPPED);
    }
  ticks_changed (self);
  update_summary (self);
}

/* ---- selection -------------------------------------------------------------------------- */

char *
porthole_port_line_describe_port (PortholePortLine *self, guint port, gboolean with_state)
{
  g_autoptr(PortholePortInfo) info = porthole_port_info_new (port, porthole_port_line_get_sysctl (self),
                                                             porthole_services_get_default ());
  const PortholePortTick *tick = porthole_port_line_find_tick (self, port);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%u", port);
  if (info->services->len > 0)
    g_string_append_printf (s, " %s", ((PortholePortService *) info->services->pdata[0])->name);
  if (!with_state)
    return g_string_free (s, FALSE);

  g_string_append_printf (s, " · %s", porthole_port_range_title (info->range));
  if (tick && tick->kind == PORTHOLE_PORT_TICK_LISTENER)
    g_string_append_printf (s, " · %s", _("listening"));
  else if (tick)
    g_string_append_printf (s, " · %s", _("in use by connections"));
  if (info->in_ephemeral_range)
    g_string_append_printf (s, " · %s", _("ephemeral here"));
  return g_string_free (s, FALSE);
}

int
porthole_port_line_get_selected_port (PortholePortLine *self)
{
  g_return_val_if_fail (PORTHOLE_IS_PORT_LINE (self), -1);
  return self->selected;
}

void
porthole_port_line_set_selected_port (PortholePortLine *self, int port)
{
  g_return_if_fail (PORTHOLE_IS_PORT_LINE (self));
  port = CLAMP (port, -1, 65535);
  if (self->selected == port)
    return;
  self->selected = port;
  g_clear_pointer (&self->selected_text, g_free);
  if (port >= 0)
    {
      g_autofree char *text = porthole_port_line_describe_port (self, (guint) port, TRUE);

      self->selected_text = porthole_port_line_describe_port (self, (guint) port, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) port,
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                      -1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PORT]);
}

static void
activate_port (PortholePortLine *self, guint port)
{
  porthole_port_line_set_selected_port (self, (int) port);
  g_signal_emit (self, signals[PORT_ACTIVATED], 0, port);
}

/* The open port after (@step 1) or before (-1) the selection; wraps around */
static int
step_tick (PortholePortLine *self, int step)
{
  guint n;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self, &n);

  g_assert (n > 0);
  if (step > 0)
    {
      for (guint i = 0; i < n; i++)
        if ((int) ticks[i].port > self->selected)
          return ticks[i].port;
      return ticks[0].port;
    }
  for (guint i = n; i > 0; i--)
    if (self->selected < 0 || (int) ticks[i - 1].port < self->selected)
      return ticks[i - 1].port;
  return ticks[n - 1].port;
}

gboolean
porthole_port_line_step (PortholePortLine *self, int step)
{
  guint n;

  porthole_port_line_get_ticks (self, &n);
  if (n == 0)
    return FALSE;
  porthole_port_line_set_selected_port (self, step_tick (self, step));
  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, PortholePortLine *self)
{
  guint n;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self, &n);

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int step = (keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left) ? -1 : 1;

        if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
          step = -step;
        return porthole_port_line_step (self, step);
      }
    case GDK_KEY_Home:
    case GDK_KEY_End:
      if (n > 0)
        porthole_port_line_set_selected_port (self, keyval == GDK_KEY_Home ? ticks[0].port : ticks[n - 1].port);
      return n > 0;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      if (self->selected < 0)
        return FALSE;
      activate_port (self, (guint) self->selected);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_click_released (GtkGestureClick *gesture, int n_press, double x, double y, PortholePortLine *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  guint n;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self, &n);
  int port = porthole_port_line_pick (width, ticks, n, x);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (port >= 0)
    activate_port (self, (guint) port);
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer data)
{
  PortholePortLine *self = PORTHOLE_PORT_LINE (widget);
  guint n;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self, &n);
  g_autofree char *text = NULL;
  int port;

  if (keyboard)
    port = self->selected;
  else
    port = porthole_port_line_pick (gtk_widget_get_width (widget), ticks, n, x);
  if (port < 0)
    return FALSE;
  text = porthole_port_line_describe_port (self, (guint) port, TRUE);
  gtk_tooltip_set_text (tooltip, text);
  /* A new tooltip for every few pixels, so moving along the line updates it */
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { x - 2, 0, 4, gtk_widget_get_height (widget) });
  return TRUE;
}

/* ---- GObject ---------------------------------------------------------------------------- */

GtkWidget *
porthole_port_line_new (void)
{
  return g_object_new (PORTHOLE_TYPE_PORT_LINE, NULL);
}

static void
porthole_port_line_dispose (GObject *object)
{
  PortholePortLine *self = PORTHOLE_PORT_LINE (object);

  g_clear_handle_id (&self->summary_idle, g_source_remove);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (porthole_port_line_parent_class)->dispose (object);
}

static void
porthole_port_line_finalize (GObject *object)
{
  PortholePortLine *self = PORTHOLE_PORT_LINE (object);

  g_array_unref (self->ticks);
  g_free (self->summary);
  g_free (self->selected_text);
  G_OBJECT_CLASS (porthole_port_line_parent_class)->finalize (object);
}

static void
porthole_port_line_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholePortLine *self = PORTHOLE_PORT_LINE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_PORT: g_value_set_int (value, self->selected); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_port_line_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholePortLine *self = PORTHOLE_PORT_LINE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_PORT: porthole_port_line_set_selected_port (self, g_value_get_int (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_dark_changed (PortholePortLine *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
porthole_port_line_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (porthole_port_line_parent_class)->css_changed (widget, change);
  /* The named colours we look up may have changed (dark mode, high contrast) */
  gtk_widget_queue_draw (widget);
}

static void
porthole_port_line_class_init (PortholePortLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_port_line_dispose;
  object_class->finalize = porthole_port_line_finalize;
  object_class->get_property = porthole_port_line_get_property;
  object_class->set_property = porthole_port_line_set_property;
  widget_class->snapshot = porthole_port_line_snapshot;
  widget_class->measure = porthole_port_line_measure;
  widget_class->css_changed = porthole_port_line_css_changed;

  properties[PROP_SELECTED_PORT] =
    g_param_spec_int ("selected-port", NULL, NULL, -1, 65535, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PORT_ACTIVATED] = g_signal_new ("port-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "portline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
porthole_port_line_init (PortholePortLine *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->ticks = g_array_new (FALSE, FALSE, sizeof (PortholePortTick));
  self->selected = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Port line"),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 65535.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 0.0,
                                  -1);
  self->ticks_dirty = TRUE;
  update_summary (self);
}
