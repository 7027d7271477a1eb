/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-history-timeline.h"

#include "porthole-escape.h"

#include <glib/gi18n.h>

#define LABEL_WIDTH 170
#define AXIS_HEIGHT 26
#define LANE_HEIGHT 26
#define BAR_HEIGHT 14
#define MIN_BAR 3.0

typedef struct {
  char      *label;     /* escaped */
  char      *sort_key;
  guint      port;
  GPtrArray *bars;      /* PortholeJournalListener, borrowed from rows */
} Lane;

struct _PortholeHistoryTimeline {
  GtkWidget  parent_instance;

  GPtrArray *rows;
  GPtrArray *lanes;     /* Lane */
  gint64     start;
  gint64     end;
  gboolean   by_program;
  GtkAdjustment *vadjustment;   /* of the scrolled window it sits in, if any: lanes out of
                                 * sight are not drawn (a month may hold thousands of ports) */
};

G_DEFINE_FINAL_TYPE (PortholeHistoryTimeline, porthole_history_timeline, GTK_TYPE_WIDGET)

static void
lane_free (Lane *lane)
{
  g_free (lane->label);
  g_free (lane->sort_key);
  g_ptr_array_unref (lane->bars);
  g_free (lane);
}

static int
compare_lanes (gconstpointer a, gconstpointer b)
{
  const Lane *x = *(const Lane **) a, *y = *(const Lane **) b;

  if (x->port != y->port)
    return x->port < y->port ? -1 : 1;
  return g_strcmp0 (x->sort_key, y->sort_key);
}

static void
rebuild_lanes (PortholeHistoryTimeline *self)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_ptr_array_set_size (self->lanes, 0);
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (self->rows, i);
      g_autofree char *key = NULL;
      Lane *lane;

      if (self->by_program)
        key = g_strdup (l->process ? l->process : "");
      else
        key = g_strdup_printf ("%s/%u", l->protocol, l->port);
      lane = g_hash_table_lookup (by_key, key);
      if (lane == NULL)
        {
          lane = g_new0 (Lane, 1);
          lane->bars = g_ptr_array_new ();
          if (self->by_program)
            {
              lane->label = l->process ? porthole_escape_text (l->process, -1, FALSE)
                                       : g_strdup (_("Unknown program"));
              lane->sort_key = g_utf8_casefold (lane->label, -1);
            }
          else
            {
              lane->port = l->port;
              /* Translators: a port and its protocol, "8080/tcp" */
              lane->label = g_strdup_printf (_("%u/%s"), l->port, l->protocol);
              lane->sort_key = g_strdup (l->protocol);
            }
          g_ptr_array_add (self->lanes, lane);
          g_hash_table_insert (by_key, g_steal_pointer (&key), lane);
        }
      g_ptr_array_add (lane->bars, l);
      /* a port's line also names who held it last (rows come oldest first) */
      if (!self->by_program)
        {
          g_autofree char *process = l->process ? porthole_escape_text (l->process, -1, FALSE)
                                                : g_strdup (_("Unknown program"));

          g_free (lane->label);
          /* Translators: a port, its protocol and the program that held it: "8080/tcp  node" */
          lane->label = g_strdup_printf (_("%u/%s  %s"), l->port, l->protocol, process);
        }
    }
  g_ptr_array_sort (self->lanes, compare_lanes);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

GtkWidget *
porthole_history_timeline_new (void)
{
  return g_object_new (PORTHOLE_TYPE_HISTORY_TIMELINE, NULL);
}

void
porthole_history_timeline_set_rows (PortholeHistoryTimeline *self, GPtrArray *rows)
{
  g_return_if_fail (PORTHOLE_IS_HISTORY_TIMELINE (self));
  if (rows)
    g_ptr_array_ref (rows);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = rows;
  rebuild_lanes (self);
}

void
porthole_history_timeline_set_range (PortholeHistoryTimeline *self, gint64 start, gint64 end)
{
  g_return_if_fail (PORTHOLE_IS_HISTORY_TIMELINE (self));
  self->start = start;
  self->end = MAX (end, start + G_USEC_PER_SEC);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
porthole_history_timeline_set_by_program (PortholeHistoryTimeline *self, gboolean by_program)
{
  g_return_if_fail (PORTHOLE_IS_HISTORY_TIMELINE (self));
  if (self->by_program == !!by_program)
    return;
  self->by_program = !!by_program;
  rebuild_lanes (self);
}

guint
porthole_history_timeline_get_n_lanes (PortholeHistoryTimeline *self)
{
  return self->lanes->len;
}

static gint64
bar_end (PortholeHistoryTimeline *self, PortholeJournalListener *l)
{
  return l->closed != 0 ? l->closed : self->end;
}

guint
porthole_history_timeline_get_n_bars (PortholeHistoryTimeline *self)
{
  guint n = 0;

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      PortholeJournalListener *l = g_ptr_array_index (self->rows, i);

      n += l->opened <= self->end && bar_end (self, l) >= self->start;
    }
  return n;
}

static double
x_of (PortholeHistoryTimeline *self, gint64 t, double x0, double width)
{
  return x0 + (double) (t - self->start) / (double) (self->end - self->start) * width;
}

/* A tick step that leaves about 100 px between labels */
static gint64
tick_step (gint64 span, double width)
{
  static const gint64 steps_s[] = {
    60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400,
  };
  guint max_ticks = MAX (2, (guint) (width / 100));

  for (guint i = 0; i < G_N_ELEMENTS (steps_s); i++)
    if (span / (steps_s[i] * G_USEC_PER_SEC) <= max_ticks)
      return steps_s[i] * G_USEC_PER_SEC;
  return 14 * 86400 * G_GINT64_CONSTANT (1000000);
}

static void
draw_text (GtkSnapshot *snapshot, PangoLayout *layout, const char *text, double x, double y,
           const GdkRGBA *color)
{
  pango_layout_set_text (layout, text, -1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
theme_colors (GtkWidget *widget, GdkRGBA *fg, GdkRGBA *accent, GdkRGBA *open)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (style, fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", accent))
    gdk_rgba_parse (accent, "#3584e4");
  if (!gtk_style_context_lookup_color (style, "success_bg_color", open))
    gdk_rgba_parse (open, "#26a269");
}

static void
porthole_history_timeline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PortholeHistoryTimeline *self = PORTHOLE_HISTORY_TIMELINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double x0 = LABEL_WIDTH, plot = MAX (10.0, width - LABEL_WIDTH - 12);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  GdkRGBA fg, accent, open, faint, grid, dim;
  gint64 step, tick;
  guint first_lane, last_lane;

  if (self->end <= self->start)
    return;
  theme_colors (widget, &fg, &accent, &open);
  faint = fg;
  faint.alpha = 0.05;
  grid = fg;
  grid.alpha = 0.15;
  dim = fg;
  dim.alpha = 0.6;
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, (LABEL_WIDTH - 16) * PANGO_SCALE);

  /* lanes in sight, every other one shaded */
  {
    double top = 0, bottom = height;

    if (self->vadjustment != NULL)
      {
        top = gtk_adjustment_get_value (self->vadjustment);
        bottom = top + gtk_adjustment_get_page_size (self->vadjustment);
      }
    first_lane = top > AXIS_HEIGHT ? (guint) ((top - AXIS_HEIGHT) / LANE_HEIGHT) : 0;
    last_lane = MIN (self->lanes->len, (guint) (MAX (0.0, bottom - AXIS_HEIGHT) / LANE_HEIGHT) + 2);
  }
  for (guint i = first_lane; i < last_lane; i++)
    {
      Lane *lane = g_ptr_array_index (self->lanes, i);
      double y = AXIS_HEIGHT + i * LANE_HEIGHT;

      if (i % 2 == 1)
        gtk_snapshot_append_color (snapshot, &faint,
                                   &GRAPHENE_RECT_INIT (0, y, width, LANE_HEIGHT));
      draw_text (snapshot, layout, lane->label, 8, y + 4, &fg);
      for (guint b = 0; b < lane->bars->len; b++)
        {
          PortholeJournalListener *l = g_ptr_array_index (lane->bars, b);
          double left = x_of (self, MAX (l->opened, self->start), x0, plot);
          double right = x_of (self, MIN (bar_end (self, l), self->end), x0, plot);
          GskRoundedRect bar;

          if (l->opened > self->end || bar_end (self, l) < self->start)
            continue;
          right = MAX (right, left + MIN_BAR);
          gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (left, y + (LANE_HEIGHT - BAR_HEIGHT) / 2.0,
                                                                      right - left, BAR_HEIGHT), 3);
          gtk_snapshot_push_rounded_clip (snapshot, &bar);
          gtk_snapshot_append_color (snapshot, l->closed == 0 ? &open : &accent, &bar.bounds);
          gtk_snapshot_pop (snapshot);
        }
    }

  /* the legend, above the labels */
  pango_layout_set_width (layout, -1);
  gtk_snapshot_append_color (snapshot, &open, &GRAPHENE_RECT_INIT (8, 9, 10, 10));
  draw_text (snapshot, layout, _("open"), 22, 4, &dim);
  gtk_snapshot_append_color (snapshot, &accent, &GRAPHENE_RECT_INIT (82, 9, 10, 10));
  draw_text (snapshot, layout, _("closed"), 96, 4, &dim);

  /* the time axis: grid lines and labels at round times, local time */
  step = tick_step (self->end - self->start, plot);
  for (tick = self->start - self->start % step + step; tick < self->end; tick += step)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (tick / G_USEC_PER_SEC);
      g_autoptr(GDateTime) t = utc ? g_date_time_to_local (utc) : NULL;
      /* round to local midnights for steps of days */
      g_autofree char *label = NULL;
      double x = x_of (self, tick, x0, plot);

      if (t == NULL)
        continue;
      label = g_date_time_format (t, step >= 86400 * G_GINT64_CONSTANT (1000000)
                                       ? "%b %-d" : "%H:%M");
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x, AXIS_HEIGHT - 4, 1,
                                                                       height - AXIS_HEIGHT + 4));
      draw_text (snapshot, layout, label, x + 3, 4, &dim);
    }
  gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (0, AXIS_HEIGHT - 1, width, 1));
  gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (x0 - 1, 0, 1, height));
}

static void
porthole_history_timeline_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                                   int *minimum, int *natural, int *minimum_baseline,
                                   int *natural_baseline)
{
  PortholeHistoryTimeline *self = PORTHOLE_HISTORY_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + 200;
      *natural = LABEL_WIDTH + 800;
    }
  else
    *minimum = *natural = AXIS_HEIGHT + (int) self->lanes->len * LANE_HEIGHT + 8;
}

static gboolean
porthole_history_timeline_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard,
                                         GtkTooltip *tooltip)
{
  PortholeHistoryTimeline *self = PORTHOLE_HISTORY_TIMELINE (widget);
  double plot = MAX (10.0, gtk_widget_get_width (widget) - LABEL_WIDTH - 12);
  int index = (y - AXIS_HEIGHT) / LANE_HEIGHT;
  Lane *lane;

  if (y < AXIS_HEIGHT || index < 0 || (guint) index >= self->lanes->len || x < LABEL_WIDTH)
    return FALSE;
  lane = g_ptr_array_index (self->lanes, index);
  for (guint b = 0; b < lane->bars->len; b++)
    {
      PortholeJournalListener *l = g_ptr_array_index (lane->bars, b);
      double left = x_of (self, l->opened, LABEL_WIDTH, plot);
      double right = MAX (x_of (self, bar_end (self, l), LABEL_WIDTH, plot), left + MIN_BAR);

      if (x >= left - 2 && x <= right + 2)
        {
          g_autoptr(GDateTime) opened = g_date_time_new_from_unix_local (l->opened / G_USEC_PER_SEC);
          g_autoptr(GDateTime) closed = l->closed ? g_date_time_new_from_unix_local (l->closed / G_USEC_PER_SEC) : NULL;
          g_autofree char *from = g_date_time_format (opened, "%Y-%m-%d %H:%M:%S");
          g_autofree char *to = closed ? g_date_time_format (closed, "%Y-%m-%d %H:%M:%S")
                                       : g_strdup (_("still open"));
          g_autofree char *process = l->process ? porthole_escape_text (l->process, -1, FALSE)
                                                : g_strdup (_("Unknown program"));
          g_autofree char *text = NULL;

          /* Translators: process, address, port, protocol, then two times */
          text = g_strdup_printf (_("%s on %s port %u/%s\n%s – %s"), process, l->address,
                                  l->port, l->protocol, from, to);
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_scrolled (PortholeHistoryTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
porthole_history_timeline_root (GtkWidget *widget)
{
  PortholeHistoryTimeline *self = PORTHOLE_HISTORY_TIMELINE (widget);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);

  GTK_WIDGET_CLASS (porthole_history_timeline_parent_class)->root (widget);
  if (scrolled != NULL)
    {
      self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
      g_signal_connect_object (self->vadjustment, "value-changed", G_CALLBACK (on_scrolled), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->vadjustment, "notify::page-size", G_CALLBACK (on_scrolled),
                               self, G_CONNECT_SWAPPED);
    }
}

static void
porthole_history_timeline_unroot (GtkWidget *widget)
{
  PortholeHistoryTimeline *self = PORTHOLE_HISTORY_TIMELINE (widget);

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);
  GTK_WIDGET_CLASS (porthole_history_timeline_parent_class)->unroot (widget);
}

static void
porthole_history_timeline_finalize (GObject *object)
{
  PortholeHistoryTimeline *self = PORTHOLE_HISTORY_TIMELINE (object);

  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (porthole_history_timeline_parent_class)->finalize (object);
}

static void
porthole_history_timeline_class_init (PortholeHistoryTimelineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = porthole_history_timeline_finalize;
  widget_class->snapshot = porthole_history_timeline_snapshot;
  widget_class->measure = porthole_history_timeline_measure;
  widget_class->query_tooltip = porthole_history_timeline_query_tooltip;
  widget_class->root = porthole_history_timeline_root;
  widget_class->unroot = porthole_history_timeline_unroot;
  gtk_widget_class_set_css_name (widget_class, "historytimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
porthole_history_timeline_init (PortholeHistoryTimeline *self)
{
  self->lanes = g_ptr_array_new_with_free_func ((GDestroyNotify) lane_free);
  self->end = g_get_real_time ();
  self->start = self->end - 24 * G_GINT64_CONSTANT (3600000000);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline of the ports that listened"), -1);
}
