/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-traffic-section.h"

#include "porthole-style.h"
#include "porthole-traffic-text.h"

#include <glib/gi18n.h>
#include <string.h>

typedef enum {
  COUNTER_SENT,
  COUNTER_RECEIVED,
  COUNTER_RATE,
  N_COUNTERS
} Counter;

typedef enum {
  HEALTH_RTT,
  HEALTH_RETRANS,
  HEALTH_CWND,
  HEALTH_LAST_SENT,
  HEALTH_LAST_RECV,
  HEALTH_DELIVERY,
  N_HEALTH
} Health;

typedef struct {
  GtkWidget *key;
  GtkLabel  *value;
  GtkWidget *explain;   /* health rows only */
} Row;

struct _PortholeTrafficSection {
  AdwBin             parent_instance;

  GtkLabel          *heading;
  GtkLabel          *note;
  GtkGrid           *counters;
  PortholeSparkline *sparkline;
  GtkWidget         *health_box;
  GtkGrid           *health;

  GtkSizeGroup      *keys;   /* the two grids' key columns, one width */
  Row                counter_rows[N_COUNTERS];
  Row                health_rows[N_HEALTH];
  PortholeSocket    *socket;
  gulong             rate_handler;
  gint64             seen_at;   /* when the counters shown were last updated, as far as we know */
};

G_DEFINE_FINAL_TYPE (PortholeTrafficSection, porthole_traffic_section, ADW_TYPE_BIN)

/* ---- rows ------------------------------------------------------------------------------- */

static GtkWidget *
key_label (const char *text)
{
  GtkWidget *k = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (k), 0);
  gtk_label_set_yalign (GTK_LABEL (k), 0);
  gtk_widget_add_css_class (k, "dim-label");
  return k;
}

static GtkLabel *
value_label (void)
{
  GtkLabel *v = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (v, 0);
  gtk_label_set_wrap (v, TRUE);
  gtk_label_set_max_width_chars (v, 24);
  gtk_widget_set_hexpand (GTK_WIDGET (v), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (v), "numeric");
  return v;
}

static void
make_counter_rows (PortholeTrafficSection *self)
{
  const char *keys[N_COUNTERS] = { _("Sent"), _("Received"), _("Now") };

  for (guint i = 0; i < N_COUNTERS; i++)
    {
      Row *r = &self->counter_rows[i];

      r->key = key_label (keys[i]);
      r->value = value_label ();
      gtk_size_group_add_widget (self->keys, r->key);
      gtk_grid_attach (self->counters, r->key, 0, i, 1, 1);
      gtk_grid_attach (self->counters, GTK_WIDGET (r->value), 1, i, 1, 1);
    }
}

static void
make_health_rows (PortholeTrafficSection *self)
{
  const char *keys[N_HEALTH] = {
    _("Round trip"), _("Resent"), _("Window"), _("Last sent"), _("Last received"),
    _("Delivery"),
  };
  const char *explain[N_HEALTH] = {
    _("How long a packet takes to reach the other end and its acknowledgement to come back, "
      "and how much that varies."),
    _("Segments sent again because no acknowledgement came in time: packets lost on the way, "
      "or a congested path."),
    _("The congestion window: how many segments TCP may send before it must wait for "
      "acknowledgements. It grows while the path keeps up and shrinks on loss."),
    _("How long ago this side last sent data. A long quiet spell is normal for a connection "
      "kept open for later."),
    _("How long ago data last arrived from the other end."),
    _("How fast the latest data reached the other end, as TCP measured it: roughly what this "
      "path can carry right now."),
  };

  for (guint i = 0; i < N_HEALTH; i++)
    {
      Row *r = &self->health_rows[i];

      r->key = key_label (keys[i]);
      r->value = value_label ();
      gtk_size_group_add_widget (self->keys, r->key);
      r->explain = gtk_label_new (explain[i]);
      gtk_label_set_xalign (GTK_LABEL (r->explain), 0);
      gtk_label_set_wrap (GTK_LABEL (r->explain), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (r->explain), 30);
      gtk_widget_set_margin_bottom (r->explain, 8);
      gtk_widget_add_css_class (r->explain, "dim-label");
      gtk_widget_add_css_class (r->explain, "caption");
      gtk_grid_attach (self->health, r->key, 0, 2 * i, 1, 1);
      gtk_grid_attach (self->health, GTK_WIDGET (r->value), 1, 2 * i, 1, 1);
      gtk_grid_attach (self->health, r->explain, 0, 2 * i + 1, 2, 1);
    }
}

static void
set_row (Row *r, const char *value)
{
  gtk_widget_set_visible (r->key, value != NULL);
  gtk_widget_set_visible (GTK_WIDGET (r->value), value != NULL);
  if (r->explain)
    gtk_widget_set_visible (r->explain, value != NULL);
  gtk_label_set_text (r->value, value ? value : "");
}

/* "1.2 MiB (1,234,567 bytes)": the exact count too, since these are exact */
static char *
bytes_text (guint64 bytes)
{
  g_autofree char *human = porthole_format_bytes (bytes);

  if (bytes < 1024)
    return g_steal_pointer (&human);
  /* Translators: "1.2 MiB (1234567 bytes)" */
  return g_strdup_printf (_("%s (%'" G_GUINT64_FORMAT " bytes)"), human, bytes);
}

/* ---- what the kernel says --------------------------------------------------------------- */

static gboolean
known (const PortholeSockInfo *info, PortholeTcpInfoFields field)
{
  return porthole_sockinfo_has_tcp_info (info, field);
}

static void
show_health (PortholeTrafficSection *self, PortholeSocket *s)
{
  const PortholeSockInfo *info = porthole_socket_get_info (s);
  /* the kernel's ages were true at the dump the counters came from */
  gint64 sampled = porthole_socket_get_counters_time (s) ? porthole_socket_get_counters_time (s) : self->seen_at;
  guint64 since_ms = (guint64) MAX (0, g_get_monotonic_time () - sampled) / 1000;
  g_autofree char *rtt = NULL;
  g_autofree char *retrans = NULL;
  g_autofree char *cwnd = NULL;
  g_autofree char *last_sent = NULL;
  g_autofree char *last_recv = NULL;
  g_autofree char *delivery = NULL;

  if (known (info, PORTHOLE_TCP_INFO_RTT))
    {
      g_autofree char *mean = porthole_format_microseconds (info->rtt_us);

      if (known (info, PORTHOLE_TCP_INFO_RTTVAR))
        {
          g_autofree char *var = porthole_format_microseconds (info->rttvar_us);

          /* Translators: round-trip time and its variation: "1.2 ms, give or take 0.3 ms" */
          rtt = g_strdup_printf (_("%s, give or take %s"), mean, var);
        }
      else
        rtt = g_steal_pointer (&mean);
    }
  if (known (info, PORTHOLE_TCP_INFO_TOTAL_RETRANS))
    {
      if (info->total_retrans == 0)
        retrans = g_strdup (_("None"));
      else if (known (info, PORTHOLE_TCP_INFO_SEGS_OUT) && info->segs_out > 0)
        /* Translators: "3 segments (0.2% of those sent)" */
        retrans = g_strdup_printf (ngettext ("%u segment (%.1f%% of those sent)",
                                             "%u segments (%.1f%% of those sent)",
                                             info->total_retrans),
                                   info->total_retrans, 100.0 * info->total_retrans / info->segs_out);
      else
        retrans = g_strdup_printf (ngettext ("%u segment", "%u segments", info->total_retrans),
                                   info->total_retrans);
    }
  if (known (info, PORTHOLE_TCP_INFO_SND_CWND))
    cwnd = g_strdup_printf (ngettext ("%u segment", "%u segments", info->snd_cwnd), info->snd_cwnd);
  if (known (info, PORTHOLE_TCP_INFO_LAST_DATA_SENT))
    last_sent = porthole_format_ago_ms (info->last_data_sent_ms + since_ms);
  if (known (info, PORTHOLE_TCP_INFO_LAST_DATA_RECV))
    last_recv = porthole_format_ago_ms (info->last_data_recv_ms + since_ms);
  if (known (info, PORTHOLE_TCP_INFO_DELIVERY_RATE))
    delivery = info->delivery_rate > 0 ? porthole_format_rate ((double) info->delivery_rate)
                                       : g_strdup (_("Not measured yet"));

  set_row (&self->health_rows[HEALTH_RTT], rtt);
  set_row (&self->health_rows[HEALTH_RETRANS], retrans);
  set_row (&self->health_rows[HEALTH_CWND], cwnd);
  set_row (&self->health_rows[HEALTH_LAST_SENT], last_sent);
  set_row (&self->health_rows[HEALTH_LAST_RECV], last_recv);
  set_row (&self->health_rows[HEALTH_DELIVERY], delivery);
  gtk_widget_set_visible (self->health_box, rtt || retrans || cwnd || last_sent || last_recv || delivery);
}

static void
update (PortholeTrafficSection *self)
{
  PortholeSocket *s = self->socket;
  gboolean listener, traffic;
  const char *reason;
  double history[PORTHOLE_TRAFFIC_HISTORY];
  guint n;

  if (s == NULL)
    return;
  listener = porthole_socket_is_listening (s);
  traffic = porthole_socket_has_traffic (s);
  reason = porthole_socket_no_traffic_reason (s);

  gtk_label_set_text (self->heading, listener ? _("Traffic Through Its Connections") : _("Traffic"));
  if (reason == NULL && listener)
    reason = _("What the connections it accepted sent and received while Porthole watched, "
               "with their counts when first seen.");
  gtk_label_set_text (self->note, reason ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note), reason != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->counters), traffic);
  gtk_widget_set_visible (GTK_WIDGET (self->sparkline), FALSE);
  if (traffic)
    {
      g_autofree char *sent = bytes_text (porthole_socket_get_bytes_sent (s));
      g_autofree char *received = bytes_text (porthole_socket_get_bytes_received (s));
      g_autofree char *up = porthole_format_rate (porthole_socket_get_send_rate (s));
      g_autofree char *down = porthole_format_rate (porthole_socket_get_receive_rate (s));
      /* Translators: the rates now, sending then receiving: "↑ 1.2 MiB/s  ↓ 340 B/s" */
      g_autofree char *rate = g_strdup_printf (_("↑ %s   ↓ %s"), up, down);

      set_row (&self->counter_rows[COUNTER_SENT], sent);
      set_row (&self->counter_rows[COUNTER_RECEIVED], received);
      set_row (&self->counter_rows[COUNTER_RATE], rate);
      n = porthole_socket_get_rate_history (s, history, G_N_ELEMENTS (history));
      porthole_sparkline_set_values (self->sparkline, history, n);
      /* a chart of nothing says nothing: shown once it has moved */
      gtk_widget_set_visible (GTK_WIDGET (self->sparkline), n > 0);
    }
  /* A listener's own tcp_info says nothing about its clients' paths */
  if (traffic && !listener)
    show_health (self, s);
  else
    gtk_widget_set_visible (self->health_box, FALSE);
}

static void
on_rate (PortholeTrafficSection *self)
{
  self->seen_at = g_get_monotonic_time ();
  update (self);
}

void
porthole_traffic_section_set_socket (PortholeTrafficSection *self, PortholeSocket *socket)
{
  g_return_if_fail (PORTHOLE_IS_TRAFFIC_SECTION (self));
  if (self->socket == socket)
    return;
  if (self->socket)
    g_clear_signal_handler (&self->rate_handler, self->socket);
  g_set_object (&self->socket, socket);
  self->seen_at = g_get_monotonic_time ();
  if (socket && strcmp (porthole_socket_get_protocol (socket), "tcp") == 0)
    self->rate_handler = g_signal_connect_object (socket, "notify::rate", G_CALLBACK (on_rate), self,
                                                  G_CONNECT_SWAPPED);
  porthole_sparkline_set_values (self->sparkline, NULL, 0);
  update (self);
}

static void
append_labels (GtkWidget *widget, GString *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    append_labels (c, out);
}

char *
porthole_traffic_section_get_text (PortholeTrafficSection *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (PORTHOLE_IS_TRAFFIC_SECTION (self), NULL);
  append_labels (GTK_WIDGET (self), out);
  return g_string_free (out, FALSE);
}

PortholeSparkline *
porthole_traffic_section_get_sparkline (PortholeTrafficSection *self)
{
  return self->sparkline;
}

static void
porthole_traffic_section_dispose (GObject *object)
{
  PortholeTrafficSection *self = PORTHOLE_TRAFFIC_SECTION (object);

  if (self->socket)
    g_clear_signal_handler (&self->rate_handler, self->socket);
  g_clear_object (&self->socket);
  g_clear_object (&self->keys);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_TRAFFIC_SECTION);
  G_OBJECT_CLASS (porthole_traffic_section_parent_class)->dispose (object);
}

static void
porthole_traffic_section_class_init (PortholeTrafficSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_traffic_section_dispose;
  g_type_ensure (PORTHOLE_TYPE_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-traffic-section.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeTrafficSection, heading);
  gtk_widget_class_bind_template_child (widget_class, PortholeTrafficSection, note);
  gtk_widget_class_bind_template_child (widget_class, PortholeTrafficSection, counters);
  gtk_widget_class_bind_template_child (widget_class, PortholeTrafficSection, sparkline);
  gtk_widget_class_bind_template_child (widget_class, PortholeTrafficSection, health_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeTrafficSection, health);
}

static void
porthole_traffic_section_init (PortholeTrafficSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  porthole_style_load ("porthole-traffic.css");
  self->keys = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  make_counter_rows (self);
  make_health_rows (self);
}
