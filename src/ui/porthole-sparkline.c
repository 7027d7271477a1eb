/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-sparkline.h"

#include "porthole-traffic-text.h"

#include <glib/gi18n.h>
#include <string.h>

/* Enough for the model's 60-sample history */
#define MAX_VALUES 120

struct _PortholeSparkline {
  GtkWidget parent_instance;
  double    values[MAX_VALUES];
  guint     n_values;
  double    peak;
  char     *description;
};

G_DEFINE_FINAL_TYPE (PortholeSparkline, porthole_sparkline, GTK_TYPE_WIDGET)

GtkWidget *
porthole_sparkline_new (void)
{
  return g_object_new (PORTHOLE_TYPE_SPARKLINE, NULL);
}

static void
update_description (PortholeSparkline *self)
{
  g_autofree char *now = NULL;
  g_autofree char *peak = NULL;

  g_clear_pointer (&self->description, g_free);
  if (self->n_values == 0)
    self->description = g_strdup (_("No traffic yet"));
  else
    {
      now = porthole_format_rate (self->values[self->n_values - 1]);
      peak = porthole_format_rate (self->peak);
      /* Translators: the accessible description of the rate chart: "Now 1.2 MiB/s; at most
       * 3.4 MiB/s over the last 60 refreshes" */
      self->description = g_strdup_printf (ngettext ("Now %s; at most %s over the last refresh",
                                                     "Now %s; at most %s over the last %u refreshes",
                                                     self->n_values),
                                           now, peak, self->n_values);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
}

void
porthole_sparkline_set_values (PortholeSparkline *self, const double *values, guint n_values)
{
  g_return_if_fail (PORTHOLE_IS_SPARKLINE (self));

  /* Keep the newest */
  if (n_values > MAX_VALUES)
    {
      values += n_values - MAX_VALUES;
      n_values = MAX_VALUES;
    }
  if (n_values == self->n_values && n_values > 0 &&
      memcmp (values, self->values, n_values * sizeof (double)) == 0)
    return;
  self->peak = 0;
  for (guint i = 0; i < n_values; i++)
    {
      self->values[i] = values[i] > 0 ? values[i] : 0;
      self->peak = MAX (self->peak, self->values[i]);
    }
  self->n_values = n_values;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint porthole_sparkline_get_n_values (PortholeSparkline *self) { return self->n_values; }
double porthole_sparkline_get_peak (PortholeSparkline *self) { return self->peak; }
const char *porthole_sparkline_get_description (PortholeSparkline *self) { return self->description; }

static void
porthole_sparkline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PortholeSparkline *self = PORTHOLE_SPARKLINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;
  cairo_t *cr;
  /* The newest sample at the right edge; the slots of a full history span the width */
  guint slots = MAX (self->n_values, 2);
  double step, top = 1.5, bottom = height - 1.5;

  if (width <= 2 || height <= 4)
    return;
  /* The CSS colour: the accent colour in the stylesheet, lighter in dark mode */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  step = (double) (width - 2) / (slots - 1);

  /* The baseline, faint, so an idle chart still reads as a chart */
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.3);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 1, bottom + 0.5);
  cairo_line_to (cr, width - 1, bottom + 0.5);
  cairo_stroke (cr);

  if (self->n_values > 0 && self->peak > 0)
    {
      double x0 = 1 + (slots - self->n_values) * step;

      for (guint i = 0; i < self->n_values; i++)
        {
          double x = x0 + i * step;
          double y = bottom - (bottom - top) * self->values[i] / self->peak;

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      /* one sample alone is a short flat line */
      if (self->n_values == 1)
        cairo_line_to (cr, width - 1, bottom - (bottom - top) * self->values[0] / self->peak);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_width (cr, 1.5);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
      cairo_stroke_preserve (cr);
      /* and the area under it */
      cairo_line_to (cr, width - 1, bottom);
      cairo_line_to (cr, x0, bottom);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.2);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
}

static void
porthole_sparkline_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                            int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  /* Small by default; CSS min-width/min-height make it bigger */
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 60 : 16;
}

static void
porthole_sparkline_finalize (GObject *object)
{
  g_free (PORTHOLE_SPARKLINE (object)->description);
  G_OBJECT_CLASS (porthole_sparkline_parent_class)->finalize (object);
}

static void
porthole_sparkline_class_init (PortholeSparklineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = porthole_sparkline_finalize;
  widget_class->snapshot = porthole_sparkline_snapshot;
  widget_class->measure = porthole_sparkline_measure;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
porthole_sparkline_init (PortholeSparkline *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rate over the last refreshes"), -1);
  update_description (self);
}
