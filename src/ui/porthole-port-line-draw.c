/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-port-line-private.h"
#include "porthole-port-info.h"

#include <adwaita.h>
#include <glib/gi18n.h>

/* On a linear scale ports 0-1023 would be 1.6% of the line: they get a zoomed segment of their
 * own, and 1024-65535 share the rest linearly, so the ephemeral overlay keeps its true size. */
#define PAD        10.0   /* room for labels at the ends and the focus ring */
#define GAP         6.0   /* the break between the two scales */
#define WK_SHARE    0.2
#define BAR        26.0
#define TICK_UP    13.0
#define TICK_DOWN   9.0
#define PICK_SLOP   5.0

typedef struct {
  double split;   /* width of the 0-1023 segment */
  double rest;    /* width of the 1024-65535 segment */
} Scale;

static Scale
scale_for (int width)
{
  double inner = MAX (width - 2 * PAD, 40.0);
  Scale s;

  s.split = CLAMP (inner * WK_SHARE, 44.0, inner * 0.35);
  s.rest = inner - s.split - GAP;
  return s;
}

double
porthole_port_line_x (int width, guint port)
{
  Scale s = scale_for (width);

  if (port < 1024)
    return PAD + s.split * port / 1024.0;
  return PAD + s.split + GAP + s.rest * (MIN (port, 65536) - 1024) / 64512.0;
}

/* Right edge of @port's cell: the first segment ends before the break */
static double
right_x (int width, guint port)
{
  return port == 1023 ? PAD + scale_for (width).split : porthole_port_line_x (width, port + 1);
}

static double
center_x (int width, guint port)
{
  return (porthole_port_line_x (width, port) + right_x (width, port)) / 2;
}

int
porthole_port_line_pick (int width, const PortholePortTick *ticks, guint n_ticks, double x)
{
  Scale s = scale_for (width);
  double best = PICK_SLOP + 1;
  int port = -1;

  for (guint i = 0; i < n_ticks; i++)
    {
      double d = ABS (center_x (width, ticks[i].port) - x);

      if (d < best)
        {
          best = d;
          port = ticks[i].port;
        }
    }
  if (port >= 0)
    return port;
  if (x < PAD - 2 || x > width - PAD + 2)
    return -1;
  if (x < PAD + s.split + GAP / 2)
    return CLAMP ((int) ((x - PAD) / s.split * 1024), 0, 1023);
  return CLAMP (1024 + (int) ((x - PAD - s.split - GAP) / s.rest * 64512), 1024, 65535);
}

/* ---- colours ---------------------------------------------------------------------------- */

static GdkRGBA
named_color (GtkWidget *widget, const char *name, const char *fallback)
{
  GdkRGBA rgba;

  /* libadwaita defines its palette and semantic colours with @define-color; looking them up
   * follows light, dark and high-contrast styles without hard-coding either */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &rgba))
    gdk_rgba_parse (&rgba, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return rgba;
}

static GdkRGBA
with_alpha (GdkRGBA c, double alpha)
{
  c.alpha *= alpha;
  return c;
}

/* ---- text ------------------------------------------------------------------------------- */

typedef struct {
  GtkSnapshot *snapshot;
  PangoLayout *layout;
  int          width;
  double       line_height;
  GArray      *taken;   /* double pairs: x ranges already used in the current row */
} Painter;

static void
row_reset (Painter *p)
{
  g_array_set_size (p->taken, 0);
}

/* Draws @text centred on @cx in a row at @y, kept inside the widget. Skips it (returning FALSE)
 * when it would overlap a label already in the row. */
static gboolean
draw_label (Painter *p, const char *text, double cx, double y, const GdkRGBA *color, gboolean bold)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  int w, h;
  double left;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (p->layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_text (p->layout, text, -1);
  pango_layout_get_pixel_size (p->layout, &w, &h);

  left = CLAMP (cx - w / 2.0, 1.0, MAX (1.0, p->width - w - 1.0));
  for (guint i = 0; i + 1 < p->taken->len; i += 2)
    {
      double l = g_array_index (p->taken, double, i), r = g_array_index (p->taken, double, i + 1);

      if (left < r + 6 && left + w + 6 > l)
        return FALSE;
    }
  g_array_append_val (p->taken, left);
  left += w;
  g_array_append_val (p->taken, left);
  left -= w;

  gtk_snapshot_save (p->snapshot);
  gtk_snapshot_translate (p->snapshot, &GRAPHENE_POINT_INIT ((float) (int) (left + 0.5), (float) (int) (y + 0.5)));
  gtk_snapshot_append_layout (p->snapshot, p->layout, color);
  gtk_snapshot_restore (p->snapshot);
  return TRUE;
}

/* Tries each label in turn (long, then shorter) until one fits */
static void
draw_label_fit (Painter *p, const char * const *texts, double cx, double y, const GdkRGBA *color)
{
  for (guint i = 0; texts[i] != NULL; i++)
    if (draw_label (p, texts[i], cx, y, color, FALSE))
      return;
}

static void
fill (GtkSnapshot *snapshot, const GdkRGBA *color, double x, double y, double w, double h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w, (float) h));
}

/* A bracket under [x1, x2] with a label below it */
static void
draw_bracket (Painter *p, double x1, double x2, double y, const GdkRGBA *color, const char * const *texts)
{
  fill (p->snapshot, color, x1, y, MAX (x2 - x1, 1.0), 1.5);
  fill (p->snapshot, color, x1, y - 4, 1.5, 5.5);
  fill (p->snapshot, color, x2 - 1.5, y - 4, 1.5, 5.5);
  draw_label_fit (p, texts, (x1 + x2) / 2, y + 3, color);
}

/* ---- GtkWidget vfuncs ------------------------------------------------------------------- */

static double
line_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "0123456789");
  PangoAttrList *attrs = pango_attr_list_new ();
  int h;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (layout, NULL, &h);
  return h;
}

/* Rows from the top: selection label, listener ticks, bar, connection ticks, range bounds,
 * brackets (privileged, ephemeral) with their labels. */
typedef struct {
  double sel, bar, axis, bracket, total;
} Rows;

static Rows
rows_for (double lh)
{
  Rows r;

  r.sel = 2;
  r.bar = r.sel + lh + 2 + TICK_UP;
  r.axis = r.bar + BAR + TICK_DOWN + 2;
  r.bracket = r.axis + lh + 8;
  r.total = r.bracket + 3 + lh + 4;
  return r;
}

void
porthole_port_line_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                            int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 260;
      *natural = 640;
    }
  else
    *minimum = *natural = (int) rows_for (line_height (widget)).total + 1;
}

static void
draw_ranges (Painter *p, GtkWidget *widget, const Rows *rows, gboolean dark)
{
  static const struct { guint start, end; const char *color, *fallback; } ranges[] = {
    { 0, 1023, "purple_3", "#9141ac" },
    { 1024, 49151, "blue_3", "#3584e4" },
    { 49152, 65535, "orange_3", "#ff7800" },
  };
  GdkRGBA dim = with_alpha (named_color (widget, "window_fg_color", "#000000"), 0.75);
  char number[16];

  row_reset (p);
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      GdkRGBA c = with_alpha (named_color (widget, ranges[i].color, ranges[i].fallback), dark ? 0.55 : 0.35);
      double x1 = porthole_port_line_x (p->width, ranges[i].start);
      double x2 = right_x (p->width, ranges[i].end);
      GskRoundedRect rr;

      gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT ((float) x1, (float) rows->bar,
                                                                 (float) (x2 - x1), BAR), 4);
      gtk_snapshot_push_rounded_clip (p->snapshot, &rr);
      fill (p->snapshot, &c, x1, rows->bar, x2 - x1, BAR);
      gtk_snapshot_pop (p->snapshot);
    }
  /* The bounds under the bar */
  row_reset (p);
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      g_snprintf (number, sizeof number, "%u", ranges[i].start);
      draw_label (p, number, porthole_port_line_x (p->width, ranges[i].start), rows->axis, &dim, FALSE);
    }
  draw_label (p, "65535", p->width, rows->axis, &dim, FALSE);
}

/* Each range's name inside it, when it fits; drawn over the ephemeral overlay */
static void
draw_range_titles (Painter *p, GtkWidget *widget, const Rows *rows)
{
  static const guint starts[] = { 0, 1024, 49152, 65536 };
  GdkRGBA fg = named_color (widget, "window_fg_color", "#000000");

  row_reset (p);
  for (guint i = 0; i < 3; i++)
    {
      const char *title = porthole_port_range_title ((PortholePortRange) i);
      double x1 = porthole_port_line_x (p->width, starts[i]);
      double x2 = i == 0 ? right_x (p->width, 1023) : porthole_port_line_x (p->width, starts[i + 1]);
      int w;

      pango_layout_set_attributes (p->layout, NULL);
      pango_layout_set_text (p->layout, title, -1);
      pango_layout_get_pixel_size (p->layout, &w, NULL);
      if (w + 8 < x2 - x1)
        draw_label (p, title, (x1 + x2) / 2, rows->bar + (BAR - p->line_height) / 2 - 1, &fg, FALSE);
    }
}

static void
draw_system (Painter *p, GtkWidget *widget, const PortholeSysctl *sysctl, const Rows *rows)
{
  GdkRGBA accent = named_color (widget, "accent_color", "#1c71d8");
  GdkRGBA fg = named_color (widget, "window_fg_color", "#000000");
  GdkRGBA accent_fill = with_alpha (accent, 0.16);
  double e1 = porthole_port_line_x (p->width, sysctl->ephemeral_start);
  double e2 = right_x (p->width, sysctl->ephemeral_end);
  g_autofree char *eph_long = g_strdup_printf (_("ephemeral here: %u–%u"), sysctl->ephemeral_start, sysctl->ephemeral_end);
  g_autofree char *eph_short = g_strdup_printf ("%u–%u", sysctl->ephemeral_start, sysctl->ephemeral_end);
  const char *eph[] = { eph_long, eph_short, NULL };

  /* The ephemeral range: a tint over the bar between two rules, and a bracket with its bounds */
  fill (p->snapshot, &accent_fill, e1, rows->bar, e2 - e1, BAR);
  fill (p->snapshot, &accent, e1, rows->bar - 3, e2 - e1, 3);
  fill (p->snapshot, &accent, e1, rows->bar + BAR, e2 - e1, 3);

  row_reset (p);
  if (sysctl->unprivileged_start > 1)
    {
      guint last = MIN (sysctl->unprivileged_start, 65536) - 1;
      double x = last == 1023 ? PAD + scale_for (p->width).split + GAP / 2 : porthole_port_line_x (p->width, last + 1);
      g_autofree char *priv_long = g_strdup_printf (_("privileged: 1–%u"), last);
      g_autofree char *priv_short = g_strdup_printf ("1–%u", last);
      const char *priv[] = { priv_long, priv_short, NULL };
      GdkRGBA marker = with_alpha (fg, 0.8);

      /* Where unprivileged ports start: a line through the bar */
      fill (p->snapshot, &marker, x - 1, rows->bar - 4, 2, BAR + 8);
      draw_bracket (p, porthole_port_line_x (p->width, 1), right_x (p->width, last), rows->bracket,
                    &marker, priv);
    }
  draw_bracket (p, e1, e2, rows->bracket, &accent, eph);
}

static void
draw_ticks (Painter *p, PortholePortLine *self, GtkWidget *widget, const Rows *rows)
{
  GdkRGBA fg = named_color (widget, "window_fg_color", "#000000");
  GdkRGBA conn = with_alpha (fg, 0.6);
  guint n;
  const PortholePortTick *ticks = porthole_port_line_get_ticks (self, &n);

  /* Listeners stand above the bar with a head; connections hang below it: shape and place
   * tell them apart, not colour alone */
  for (guint i = 0; i < n; i++)
    {
      double x = center_x (p->width, ticks[i].port);

      if (ticks[i].kind == PORTHOLE_PORT_TICK_LISTENER)
        {
          fill (p->snapshot, &fg, x - 1, rows->bar - TICK_UP, 2, TICK_UP);
          fill (p->snapshot, &fg, x - 2.5, rows->bar - TICK_UP, 5, 3);
        }
      else
        fill (p->snapshot, &conn, x - 0.75, rows->bar + BAR, 1.5, TICK_DOWN);
    }
}

static void
draw_selection (Painter *p, PortholePortLine *self, GtkWidget *widget, const Rows *rows)
{
  GdkRGBA accent = named_color (widget, "accent_color", "#1c71d8");
  double x;

  if (self->selected < 0)
    return;
  x = center_x (p->width, (guint) self->selected);
  fill (p->snapshot, &accent, x - 1.5, rows->sel + p->line_height + 2, 3, rows->bar + BAR + TICK_DOWN - rows->sel - p->line_height - 2);
  row_reset (p);
  draw_label (p, self->selected_text ? self->selected_text : "", x, rows->sel, &accent, TRUE);
}

void
porthole_port_line_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PortholePortLine *self = PORTHOLE_PORT_LINE (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  const PortholeSysctl *sysctl = porthole_port_line_get_sysctl (self);
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  Painter p = { snapshot, layout, gtk_widget_get_width (widget), line_height (widget), taken };
  Rows rows = rows_for (p.line_height);

  draw_ranges (&p, widget, &rows, dark);
  draw_system (&p, widget, sysctl, &rows);
  draw_range_titles (&p, widget, &rows);
  draw_ticks (&p, self, widget, &rows);
  draw_selection (&p, self, widget, &rows);

  if (gtk_widget_has_visible_focus (widget))
    {
      GdkRGBA ring = with_alpha (named_color (widget, "accent_color", "#1c71d8"), 0.5);
      GskRoundedRect rr;
      float w = 2;

      gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (1, 1, (float) p.width - 2,
                                                                 (float) gtk_widget_get_height (widget) - 2), 8);
      gtk_snapshot_append_border (snapshot, &rr, (float[4]) { w, w, w, w },
                                  (GdkRGBA[4]) { ring, ring, ring, ring });
    }
}
