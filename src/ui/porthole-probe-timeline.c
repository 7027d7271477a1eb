/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-probe-timeline.h"

#include <glib/gi18n.h>

struct _PortholeProbeTimeline {
  AdwBin      parent_instance;
  GtkListBox *list;
  GtkWidget  *active;    /* the row whose step is still going on, or NULL */
  GtkWidget  *pending;   /* a row the next step replaces, or NULL */
  guint       n_steps;
};

G_DEFINE_FINAL_TYPE (PortholeProbeTimeline, porthole_probe_timeline, ADW_TYPE_BIN)

static char *
format_elapsed (double ms)
{
  if (ms < 0)
    return g_strdup ("");
  if (ms < 10)
    return g_strdup_printf (_("%.1f ms"), ms);
  if (ms < 1000)
    return g_strdup_printf (_("%.0f ms"), ms);
  return g_strdup_printf (_("%.2f s"), ms / 1000);
}

/* The icon and its colour for a step that has happened */
static void
step_icon (PortholeProbeStep step, PortholeProbeStatus status, gboolean warn,
           const char **icon, const char **style)
{
  *style = "dim-label";
  switch (step)
    {
    case PORTHOLE_PROBE_STEP_RESOLVING:
      *icon = "system-search-symbolic";
      return;
    case PORTHOLE_PROBE_STEP_CONNECTING:
      *icon = "network-transmit-symbolic";
      return;
    case PORTHOLE_PROBE_STEP_TLS:
      *icon = warn ? "channel-insecure-symbolic" : "channel-secure-symbolic";
      *style = warn ? "warning" : "success";
      return;
    case PORTHOLE_PROBE_STEP_BANNER:
      *icon = "chat-message-new-symbolic";
      return;
    case PORTHOLE_PROBE_STEP_RESOLVED:
    case PORTHOLE_PROBE_STEP_ATTEMPT:
    case PORTHOLE_PROBE_STEP_FINISHED:
    default:
      break;
    }
  switch (status)
    {
    case PORTHOLE_PROBE_STATUS_OPEN:
      *icon = "emblem-ok-symbolic";
      *style = "success";
      break;
    case PORTHOLE_PROBE_STATUS_CLOSED:
      *icon = "action-unavailable-symbolic";
      *style = "error";
      break;
    case PORTHOLE_PROBE_STATUS_FILTERED:
    case PORTHOLE_PROBE_STATUS_OPEN_FILTERED:
      *icon = "dialog-question-symbolic";
      *style = "warning";
      break;
    case PORTHOLE_PROBE_STATUS_UNREACHABLE:
      *icon = "network-no-route-symbolic";
      *style = "error";
      break;
    case PORTHOLE_PROBE_STATUS_DNS_ERROR:
      *icon = "dialog-error-symbolic";
      *style = "error";
      break;
    case PORTHOLE_PROBE_STATUS_UNKNOWN:
    default:
      /* A resolved list of addresses */
      *icon = "find-location-symbolic";
      break;
    }
}

/* Turns a row's spinner into its icon */
static void
settle_row (GtkWidget *row)
{
  GtkWidget *spinner = g_object_get_data (G_OBJECT (row), "spinner");
  GtkWidget *image = g_object_get_data (G_OBJECT (row), "image");

  gtk_spinner_stop (GTK_SPINNER (spinner));
  gtk_widget_set_visible (spinner, FALSE);
  gtk_widget_set_visible (image, TRUE);
}

static GtkWidget *
make_row (const char *icon, const char *style, const char *message, double elapsed_ms,
          gboolean spinning)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *image = gtk_image_new_from_icon_name (icon);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);
  g_autofree char *elapsed = format_elapsed (elapsed_ms);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_widget_set_valign (spinner, GTK_ALIGN_START);
  gtk_widget_add_css_class (image, style);
  gtk_widget_set_visible (image, !spinning);
  gtk_widget_set_visible (spinner, spinning);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), spinning);

  /* Plain text: the model escapes what peers and resolvers said */
  gtk_label_set_text (GTK_LABEL (label), message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);

  gtk_label_set_text (GTK_LABEL (time), elapsed);
  gtk_label_set_xalign (GTK_LABEL (time), 1);
  gtk_widget_set_valign (time, GTK_ALIGN_START);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "caption");
  gtk_widget_add_css_class (time, "numeric");

  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), time);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);

  g_object_set_data (G_OBJECT (row), "spinner", spinner);
  g_object_set_data (G_OBJECT (row), "image", image);
  g_object_set_data_full (G_OBJECT (row), "message", g_strdup (message), g_free);
  g_object_set_data_full (G_OBJECT (row), "elapsed", g_steal_pointer (&elapsed), g_free);
  return row;
}

/* Whatever was going on has ended: a new step or the end of the run */
static void
settle (PortholeProbeTimeline *self)
{
  if (self->pending != NULL)
    {
      gtk_list_box_remove (self->list, self->pending);
      self->pending = NULL;
    }
  if (self->active != NULL)
    {
      settle_row (self->active);
      self->active = NULL;
    }
}

void
porthole_probe_timeline_clear (PortholeProbeTimeline *self)
{
  GtkWidget *child;

  g_return_if_fail (PORTHOLE_IS_PROBE_TIMELINE (self));
  self->active = NULL;
  self->pending = NULL;
  self->n_steps = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

void
porthole_probe_timeline_add (PortholeProbeTimeline *self,
                             PortholeProbeStep      step,
                             PortholeProbeStatus    status,
                             const char            *message,
                             double                 elapsed_ms,
                             gboolean               warn)
{
  const char *icon, *style;
  gboolean ongoing;
  GtkWidget *row;

  g_return_if_fail (PORTHOLE_IS_PROBE_TIMELINE (self));

  settle (self);
  step_icon (step, status, warn, &icon, &style);
  ongoing = step == PORTHOLE_PROBE_STEP_RESOLVING || step == PORTHOLE_PROBE_STEP_CONNECTING;
  row = make_row (icon, style, message != NULL ? message : "", elapsed_ms, ongoing);
  gtk_list_box_append (self->list, row);
  self->n_steps++;
  if (ongoing)
    self->active = row;
}

void
porthole_probe_timeline_set_pending (PortholeProbeTimeline *self, const char *message)
{
  g_return_if_fail (PORTHOLE_IS_PROBE_TIMELINE (self));

  settle (self);
  if (message == NULL)
    return;
  self->pending = make_row ("content-loading-symbolic", "dim-label", message, -1, TRUE);
  gtk_list_box_append (self->list, self->pending);
}

void
porthole_probe_timeline_stop (PortholeProbeTimeline *self, const char *message)
{
  g_return_if_fail (PORTHOLE_IS_PROBE_TIMELINE (self));

  settle (self);
  if (message != NULL)
    gtk_list_box_append (self->list, make_row ("process-stop-symbolic", "dim-label", message, -1,
                                               FALSE));
}

guint
porthole_probe_timeline_get_n_steps (PortholeProbeTimeline *self)
{
  g_return_val_if_fail (PORTHOLE_IS_PROBE_TIMELINE (self), 0);
  return self->n_steps;
}

char *
porthole_probe_timeline_dup_text (PortholeProbeTimeline *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (PORTHOLE_IS_PROBE_TIMELINE (self), NULL);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *elapsed = g_object_get_data (G_OBJECT (row), "elapsed");
      const char *message = g_object_get_data (G_OBJECT (row), "message");

      if (message != NULL)
        g_string_append_printf (text, "%10s  %s\n", elapsed != NULL ? elapsed : "", message);
    }
  return g_string_free (text, FALSE);
}

static void
porthole_probe_timeline_init (PortholeProbeTimeline *self)
{
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Steps of the connection test"), -1);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->list));
}

static void
porthole_probe_timeline_class_init (PortholeProbeTimelineClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "timeline");
}
