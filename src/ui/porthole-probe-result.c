/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-probe-result.h"

#include "porthole-port-info.h"
#include "porthole-target.h"

#include <glib/gi18n.h>

struct _PortholeProbeResult {
  AdwBin       parent_instance;

  GtkWidget   *verdict_box;
  GtkImage    *verdict_icon;
  GtkLabel    *verdict_label;
  GtkLabel    *explanation_label;
  GtkLabel    *error_label;
  GtkWidget   *tuple_box;
  GtkWidget   *tuple_row;
  GtkLabel    *local_address_label;
  GtkLabel    *local_port_label;
  GtkLabel    *local_range_badge;
  GtkLabel    *remote_address_label;
  GtkLabel    *remote_port_label;
  GtkLabel    *remote_range_badge;
  GtkLabel    *ephemeral_label;
  GtkLabel    *connect_time_label;
  GtkWidget   *tls_box;
  GtkGrid     *tls_grid;
  GtkWidget   *banner_box;
  GtkLabel    *banner_caption;
  GtkWidget   *banner_scroller;
  GtkTextView *banner_view;
};

G_DEFINE_FINAL_TYPE (PortholeProbeResult, porthole_probe_result, ADW_TYPE_BIN)

typedef struct {
  PortholeProbeStatus  status;
  const char          *title;
  const char          *explanation;
  const char          *icon;
  const char          *style;
} Verdict;

static const Verdict verdicts[] = {
  { PORTHOLE_PROBE_STATUS_OPEN, N_("Open"),
    N_("A program is listening there: the server accepted the connection."),
    "emblem-ok-symbolic", "success" },
  { PORTHOLE_PROBE_STATUS_CLOSED, N_("Closed"),
    N_("The computer answered, but no program listens on this port, so it refused the connection."),
    "action-unavailable-symbolic", "error" },
  { PORTHOLE_PROBE_STATUS_FILTERED, N_("Filtered"),
    N_("No answer came before the timeout: a firewall may be dropping the packets, or the "
       "computer is off."),
    "dialog-question-symbolic", "warning" },
  { PORTHOLE_PROBE_STATUS_UNREACHABLE, N_("Unreachable"),
    N_("There is no route from here to that computer, so nothing could be sent to it."),
    "network-no-route-symbolic", "error" },
  { PORTHOLE_PROBE_STATUS_DNS_ERROR, N_("DNS Error"),
    N_("The name could not be turned into an address, so no connection was tried."),
    "dialog-error-symbolic", "error" },
  { PORTHOLE_PROBE_STATUS_OPEN_FILTERED, N_("Open or Filtered"),
    N_("No reply and no refusal: a program may be listening without answering, or a firewall "
       "dropped the datagram. UDP cannot tell these apart."),
    "dialog-question-symbolic", "warning" },
};

static const char *verdict_styles[] = { "success", "error", "warning" };
/* The card's tint, by the same index as verdict_styles */
static const char *verdict_tints[] = { "verdict-success", "verdict-error", "verdict-warning" };

static const Verdict *
find_verdict (PortholeProbeStatus status)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verdicts); i++)
    if (verdicts[i].status == status)
      return &verdicts[i];
  return NULL;
}

const char *
porthole_probe_result_title (PortholeProbeStatus status)
{
  const Verdict *verdict = find_verdict (status);

  return verdict != NULL ? _(verdict->title) : porthole_probe_status_to_string (status);
}

const char *
porthole_probe_result_explain (PortholeProbeStatus status)
{
  const Verdict *verdict = find_verdict (status);

  return verdict != NULL ? _(verdict->explanation) : "";
}

static void
set_badge (GtkLabel *badge, guint port)
{
  PortholePortRange range = porthole_port_range (port);

  for (PortholePortRange r = PORTHOLE_RANGE_WELL_KNOWN; r <= PORTHOLE_RANGE_DYNAMIC; r++)
    gtk_widget_remove_css_class (GTK_WIDGET (badge), porthole_port_range_id (r));
  gtk_widget_add_css_class (GTK_WIDGET (badge), porthole_port_range_id (range));
  gtk_label_set_text (badge, porthole_port_range_title (range));
  gtk_widget_set_tooltip_text (GTK_WIDGET (badge), porthole_port_range_purpose (range));
}

static void
show_tuple (PortholeProbeResult *self, PortholeProbe *probe, const PortholeSysctl *sysctl)
{
  guint local_port = porthole_probe_get_local_port (probe);
  guint remote_port = porthole_probe_get_remote_port (probe);
  const char *local = porthole_probe_get_local_address (probe);
  const char *remote = porthole_probe_get_remote_address (probe);
  double connect_ms = porthole_probe_get_connect_ms (probe);
  g_autofree char *local_port_text = NULL;
  g_autofree char *remote_port_text = NULL;
  g_autofree char *local_endpoint = NULL;
  g_autofree char *remote_endpoint = NULL;
  g_autofree char *tuple = NULL;
  g_autofree char *ephemeral = NULL;
  g_autofree char *timing = NULL;

  gtk_widget_set_visible (self->tuple_box, local_port != 0 && remote != NULL);
  if (local_port == 0 || remote == NULL)
    return;

  gtk_label_set_text (self->local_address_label, local != NULL ? local : "?");
  local_port_text = g_strdup_printf (_("port %u"), local_port);
  gtk_label_set_text (self->local_port_label, local_port_text);
  set_badge (self->local_range_badge, local_port);
  gtk_label_set_text (self->remote_address_label, remote);
  remote_port_text = g_strdup_printf (_("port %u"), remote_port);
  gtk_label_set_text (self->remote_port_label, remote_port_text);
  set_badge (self->remote_range_badge, remote_port);

  local_endpoint = porthole_format_endpoint (local != NULL ? local : "?", local_port);
  remote_endpoint = porthole_format_endpoint (remote, remote_port);
  /* Translators: the 4-tuple, "your machine IP:port → server IP:port" */
  tuple = g_strdup_printf (_("%s → %s"), local_endpoint, remote_endpoint);
  gtk_widget_set_tooltip_text (self->tuple_row, tuple);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tuple_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tuple, -1);

  if (porthole_port_is_ephemeral (sysctl, local_port))
    ephemeral = g_strdup_printf (_("Your system picked port %u for this one connection from "
                                   "its ephemeral range, %u–%u. Together, these two addresses "
                                   "and two ports name the connection: its 4-tuple."),
                                 local_port, sysctl->ephemeral_start, sysctl->ephemeral_end);
  else
    ephemeral = g_strdup_printf (_("Port %u is outside this system's ephemeral range (%u–%u): "
                                   "the program chose it itself."),
                                 local_port, sysctl->ephemeral_start, sysctl->ephemeral_end);
  gtk_label_set_text (self->ephemeral_label, ephemeral);

  if (connect_ms >= 0)
    timing = g_strdup_printf (porthole_probe_get_udp (probe) ? _("The answer came in %.2f ms.")
                                                             : _("The connection took %.2f ms."),
                              connect_ms);
  gtk_label_set_text (self->connect_time_label, timing != NULL ? timing : "");
  gtk_widget_set_visible (GTK_WIDGET (self->connect_time_label), timing != NULL);
}

static GtkWidget *
add_detail (PortholeProbeResult *self, int row, const char *key, const char *value)
{
  GtkWidget *k = gtk_label_new (key);
  GtkWidget *v = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (k), 0);
  gtk_label_set_yalign (GTK_LABEL (k), 0);
  gtk_widget_add_css_class (k, "dim-label");
  /* Certificate fields come from the peer: plain text only */
  gtk_label_set_text (GTK_LABEL (v), value != NULL ? value : _("unknown"));
  gtk_label_set_xalign (GTK_LABEL (v), 0);
  gtk_label_set_wrap (GTK_LABEL (v), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (v), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (v), TRUE);
  gtk_widget_set_hexpand (v, TRUE);
  gtk_grid_attach (self->tls_grid, k, 0, row, 1, 1);
  gtk_grid_attach (self->tls_grid, v, 1, row, 1, 1);
  return v;
}

static char *
format_date (GDateTime *date)
{
  return date != NULL ? g_date_time_format (date, "%Y-%m-%d %H:%M UTC") : g_strdup (_("unknown"));
}

static void
show_tls (PortholeProbeResult *self, PortholeTlsInfo *info)
{
  GtkWidget *child;
  g_auto(GStrv) problems = NULL;
  g_autofree char *problem_text = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *validity = NULL;
  GtkWidget *problem_label;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tls_grid))) != NULL)
    gtk_grid_remove (self->tls_grid, child);
  gtk_widget_set_visible (self->tls_box, info != NULL);
  if (info == NULL)
    return;

  problems = porthole_tls_info_dup_error_descriptions (info);
  if (problems[0] != NULL)
    problem_text = g_strjoinv ("\n", problems);
  else
    problem_text = g_strdup (_("None: the certificate checks out for this name"));
  if (porthole_tls_info_get_handshake_error (info) != NULL)
    add_detail (self, row++, _("Handshake"), porthole_tls_info_get_handshake_error (info));
  add_detail (self, row++, _("Version"), porthole_tls_info_get_version (info));
  add_detail (self, row++, _("Cipher"), porthole_tls_info_get_cipher (info));
  add_detail (self, row++, _("Subject"), porthole_tls_info_get_subject (info));
  add_detail (self, row++, _("Issuer"), porthole_tls_info_get_issuer (info));
  from = format_date (porthole_tls_info_get_not_before (info));
  until = format_date (porthole_tls_info_get_not_after (info));
  /* Translators: a certificate's validity period */
  validity = g_strdup_printf (_("from %s until %s"), from, until);
  add_detail (self, row++, _("Valid"), validity);
  problem_label = add_detail (self, row++, _("Problems"), problem_text);
  gtk_widget_add_css_class (problem_label, problems[0] != NULL ? "warning" : "success");
}

static void
show_banner (PortholeProbeResult *self, PortholeProbe *probe)
{
  GBytes *bytes = porthole_probe_get_banner_bytes (probe);
  gsize size = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  gboolean asked = !porthole_probe_get_udp (probe) && porthole_probe_get_banner_wait_ms (probe) > 0;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->banner_view);

  gtk_widget_set_visible (self->banner_box,
                          asked && porthole_probe_get_status (probe) == PORTHOLE_PROBE_STATUS_OPEN);
  gtk_widget_set_visible (self->banner_scroller, size > 0);
  /* The model escaped it: control characters and invisible ones arrive as \xNN, \u{...} */
  gtk_text_buffer_set_text (buffer, size > 0 ? porthole_probe_get_banner (probe) : "", -1);
  if (size > 0)
    {
      g_autofree char *caption =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%zu byte, shown escaped: control characters appear "
                                      "as \\xNN.",
                                      "%zu bytes, shown escaped: control characters appear "
                                      "as \\xNN.",
                                      size), size);
      gtk_label_set_text (self->banner_caption, caption);
    }
  else
    gtk_label_set_text (self->banner_caption,
                        _("Nothing. Many servers, web servers among them, wait for the client "
                          "to speak first."));
}

void
porthole_probe_result_show (PortholeProbeResult  *self,
                            PortholeProbe        *probe,
                            const PortholeSysctl *sysctl)
{
  PortholeProbeStatus status;
  const Verdict *verdict;
  const char *error;

  g_return_if_fail (PORTHOLE_IS_PROBE_RESULT (self));
  g_return_if_fail (PORTHOLE_IS_PROBE (probe));
  g_return_if_fail (sysctl != NULL);

  status = porthole_probe_get_status (probe);
  verdict = find_verdict (status);
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_styles); i++)
    {
      gtk_widget_remove_css_class (self->verdict_box, verdict_tints[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), verdict_styles[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), verdict_styles[i]);
    }
  if (verdict != NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (verdict_styles); i++)
        if (g_str_equal (verdict_styles[i], verdict->style))
          gtk_widget_add_css_class (self->verdict_box, verdict_tints[i]);
      gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), verdict->style);
      gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), verdict->style);
      gtk_image_set_from_icon_name (self->verdict_icon, verdict->icon);
      gtk_label_set_text (self->verdict_label, _(verdict->title));
      gtk_label_set_text (self->explanation_label, _(verdict->explanation));
    }
  else
    {
      gtk_image_set_from_icon_name (self->verdict_icon, "dialog-question-symbolic");
      gtk_label_set_text (self->verdict_label, porthole_probe_status_to_string (status));
      gtk_label_set_text (self->explanation_label, "");
    }
  error = porthole_probe_get_error_message (probe);
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL && *error != '\0');

  show_tuple (self, probe, sysctl);
  show_tls (self, porthole_probe_get_tls_info (probe));
  show_banner (self, probe);
}

static void
porthole_probe_result_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PORTHOLE_TYPE_PROBE_RESULT);
  G_OBJECT_CLASS (porthole_probe_result_parent_class)->dispose (object);
}

static void
porthole_probe_result_class_init (PortholeProbeResultClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_probe_result_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/porthole-probe-result.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, error_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, tuple_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, tuple_row);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, local_address_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, local_port_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, local_range_badge);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, remote_address_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, remote_port_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, remote_range_badge);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, ephemeral_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, connect_time_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, tls_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, tls_grid);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, banner_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, banner_caption);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, banner_scroller);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeResult, banner_view);
}

static void
porthole_probe_result_init (PortholeProbeResult *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
