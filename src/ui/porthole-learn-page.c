/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-learn-page.h"
#include "porthole-learn-page-private.h"
#include "porthole-learn-examples.h"

#include <glib/gi18n.h>

struct _PortholeLearnPage {
  AdwBin                 parent_instance;

  PortholePortLine      *port_line;
  GtkLabel              *line_legend;
  PortholePortLookup    *lookup;
  PortholeLearnSection  *addresses_section;
  PortholeLearnSection  *ranges_section;
  PortholeLearnSection  *ephemeral_section;
  PortholeLearnSection  *tuple_section;
  PortholeLearnSection  *limits_section;
  PortholeLearnSection  *spaces_section;

  PortholeSocketMonitor *monitor;
  guint                  update_idle;
  gboolean               stale;       /* the monitor changed while the tab was hidden */
};

G_DEFINE_FINAL_TYPE (PortholeLearnPage, porthole_learn_page, ADW_TYPE_BIN)

typedef void (*ExampleFunc) (PortholeSocketMonitor *monitor, PortholeLearnExample *out);

static void
show_example (PortholeLearnPage *self, PortholeLearnSection *section, ExampleFunc func)
{
  PortholeLearnExample ex = { 0 };

  /* Without a monitor there is no computer to take an example from yet */
  if (self->monitor == NULL)
    {
      porthole_learn_section_set_example (section, NULL, NULL);
      porthole_learn_section_set_button (section, NULL);
      return;
    }
  func (self->monitor, &ex);
  porthole_learn_section_set_example (section, ex.example, ex.detail);
  porthole_learn_section_set_button (section, ex.offer_test ? _("Open the Test Tab") : NULL);
  porthole_learn_example_clear (&ex);
}

static void
update_legend (PortholeLearnPage *self)
{
  guint n, listeners = 0;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self->port_line, &n);
  g_autofree char *counts = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    listeners += ticks[i].kind == PORTHOLE_PORT_TICK_LISTENER;
  counts = g_strdup_printf (_("Open right now: %u ports with a listener, %u used only by connections."),
                            listeners, n - listeners);
  text = g_strdup_printf ("%s %s", _("Ticks above the line mark ports that something listens on; ticks "
                                     "below mark ports used only by connections. The tinted band between "
                                     "two rules is this system’s ephemeral range, the bracket on the left its privileged "
                                     "ports. Ports 0–1023 are drawn larger than the rest, so they can be "
                                     "seen. Click a port, or use the arrow keys and Enter, to look it up."),
                          counts);
  if (g_strcmp0 (gtk_label_get_label (self->line_legend), text) != 0)
    gtk_label_set_text (self->line_legend, text);
}

void
porthole_learn_page_update_now (PortholeLearnPage *self)
{
  g_clear_handle_id (&self->update_idle, g_source_remove);
  self->stale = FALSE;
  show_example (self, self->addresses_section, porthole_learn_example_addresses);
  show_example (self, self->ranges_section, porthole_learn_example_ranges);
  show_example (self, self->ephemeral_section, porthole_learn_example_ephemeral);
  show_example (self, self->tuple_section, porthole_learn_example_tuple);
  show_example (self, self->limits_section, porthole_learn_example_limits);
  show_example (self, self->spaces_section, porthole_learn_example_port_spaces);
  update_legend (self);
}

static gboolean
update_idle_cb (gpointer data)
{
  PortholeLearnPage *self = data;

  self->update_idle = 0;
  porthole_learn_page_update_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_monitor_changed (PortholeLearnPage *self)
{
  /* Nobody reads a hidden tab: catch up when it is shown (see on_map) */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  /* One update for the several items-changed of a refresh */
  if (self->update_idle == 0)
    self->update_idle = g_idle_add_full (G_PRIORITY_LOW, update_idle_cb, self, NULL);
}

void
porthole_learn_page_set_monitor (PortholeLearnPage *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_LEARN_PAGE (self));

  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor)
    {
      g_signal_connect_object (monitor, "items-changed", G_CALLBACK (on_monitor_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (monitor, "notify::sysctl", G_CALLBACK (on_monitor_changed), self, G_CONNECT_SWAPPED);
      /* Containers' names arrive from their runtimes after the sockets */
      g_signal_connect_object (monitor, "containers-changed", G_CALLBACK (on_monitor_changed), self,
                               G_CONNECT_SWAPPED);
    }
  porthole_port_line_set_monitor (self->port_line, monitor);
  porthole_port_lookup_widget_set_monitor (self->lookup, monitor);
  porthole_learn_page_update_now (self);
}

static void
on_port_activated (PortholeLearnPage *self, guint port)
{
  g_autofree char *text = g_strdup_printf ("%u", port);

  porthole_port_lookup_widget_set_text (self->lookup, text);
}

static void
on_open_test (PortholeLearnPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "test");
}

PortholePortLine *
porthole_learn_page_get_port_line (PortholeLearnPage *self)
{
  return self->port_line;
}

PortholePortLookup *
porthole_learn_page_get_lookup (PortholeLearnPage *self)
{
  return self->lookup;
}

const char *
porthole_learn_page_get_legend (PortholeLearnPage *self)
{
  return gtk_label_get_text (self->line_legend);
}

PortholeLearnSection *
porthole_learn_page_get_section (PortholeLearnPage *self, const char *name)
{
  const struct { const char *name; PortholeLearnSection *section; } sections[] = {
    { "addresses", self->addresses_section },
    { "ranges", self->ranges_section },
    { "ephemeral", self->ephemeral_section },
    { "tuple", self->tuple_section },
    { "limits", self->limits_section },
    { "spaces", self->spaces_section },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sections); i++)
    if (g_strcmp0 (name, sections[i].name) == 0)
      return sections[i].section;
  return NULL;
}

static void
porthole_learn_page_dispose (GObject *object)
{
  PortholeLearnPage *self = PORTHOLE_LEARN_PAGE (object);

  g_clear_handle_id (&self->update_idle, g_source_remove);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_LEARN_PAGE);
  G_OBJECT_CLASS (porthole_learn_page_parent_class)->dispose (object);
}

static void
porthole_learn_page_map (GtkWidget *widget)
{
  PortholeLearnPage *self = PORTHOLE_LEARN_PAGE (widget);

  GTK_WIDGET_CLASS (porthole_learn_page_parent_class)->map (widget);
  if (self->stale)
    porthole_learn_page_update_now (self);
}

static void
porthole_learn_page_class_init (PortholeLearnPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_learn_page_dispose;
  widget_class->map = porthole_learn_page_map;

  g_type_ensure (PORTHOLE_TYPE_PORT_LINE);
  g_type_ensure (PORTHOLE_TYPE_PORT_LOOKUP);
  g_type_ensure (PORTHOLE_TYPE_LEARN_SECTION);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-learn-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, port_line);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, line_legend);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, lookup);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, addresses_section);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, ranges_section);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, ephemeral_section);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, tuple_section);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, limits_section);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnPage, spaces_section);
  gtk_widget_class_bind_template_callback (widget_class, on_port_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_open_test);
}

static void
porthole_learn_page_init (PortholeLearnPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Even before a monitor comes, every section shows this machine's settings */
  porthole_learn_page_update_now (self);
}
