/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-probe-view.h"

#include "porthole-escape.h"
#include "porthole-inline-error.h"
#include "porthole-probe-result.h"
#include "porthole-probe-timeline.h"
#include "porthole-target.h"

#include "porthole-weak.h"

#include <glib/gi18n.h>

/* How many recent targets the history keeps */
#define HISTORY_MAX 10

struct _PortholeProbeView {
  AdwBin                 parent_instance;

  GtkEntry              *target_entry;
  GtkMenuButton         *history_button;
  GtkWidget             *connect_button;
  GtkWidget             *cancel_button;
  GtkLabel              *target_error;
  GtkCheckButton        *tls_check;
  GtkCheckButton        *udp_check;
  GtkSpinButton         *timeout_spin;
  GtkWidget             *timeline_box;
  GtkWidget             *empty_page;
  PortholeProbeTimeline *timeline;
  PortholeProbeResult   *result;

  PortholeProbe         *probe;
  GCancellable          *cancellable;
  GSettings             *settings;
  PortholeSocketMonitor *monitor;
  gboolean               submitted;   /* the user pressed Connect: problems are shown in red */
};

G_DEFINE_FINAL_TYPE (PortholeProbeView, porthole_probe_view, ADW_TYPE_BIN)

/* Validation */

static char *
dup_target_text (PortholeProbeView *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));
}

/* Parses the entry with the model's parser and shows its message under the entry. An empty
 * entry says nothing until the user submits it. */
static gboolean
validate (PortholeProbeView *self, gboolean strong)
{
  g_autofree char *text = dup_target_text (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeTarget) target = porthole_target_parse (text, &error);
  gboolean quiet = text[0] == '\0' && !strong;

  porthole_inline_error_show (GTK_WIDGET (self->target_entry), self->target_error,
                              quiet ? NULL : error, strong);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.start",
                                 target != NULL && !porthole_probe_get_running (self->probe));
  return target != NULL;
}

static void
on_target_changed (PortholeProbeView *self)
{
  /* After a failed submit, stay red until the text is right */
  if (validate (self, self->submitted))
    self->submitted = FALSE;
}

/* History */

static char *
menu_label (const char *target)
{
  g_autofree char *escaped = porthole_escape_text (target, -1, FALSE);
  g_auto(GStrv) parts = g_strsplit (escaped, "_", -1);

  /* Menu labels take '_' as a mnemonic */
  return g_strjoinv ("__", parts);
}

static void
rebuild_history (PortholeProbeView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) targets = g_menu_new ();
  g_autoptr(GMenu) actions = g_menu_new ();
  g_auto(GStrv) history = NULL;

  if (self->settings != NULL)
    history = g_settings_get_strv (self->settings, "target-history");
  for (guint i = 0; history != NULL && history[i] != NULL; i++)
    {
      g_autofree char *label = menu_label (history[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "probe.use-target",
                                               g_variant_new_string (history[i]));
      g_menu_append_item (targets, item);
    }
  g_menu_append (actions, _("_Clear History"), "probe.clear-history");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (targets));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (actions));
  gtk_menu_button_set_menu_model (self->history_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->history_button),
                            history != NULL && history[0] != NULL);
}

static void
remember (PortholeProbeView *self, const char *text)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) history = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;
  old = g_settings_get_strv (self->settings, "target-history");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, text);
  for (guint i = 0; old[i] != NULL && n < HISTORY_MAX; i++)
    if (g_strcmp0 (old[i], text) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  history = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "target-history", (const char * const *) history);
  g_settings_set_string (self->settings, "last-target", text);
}

/* The run */

static const PortholeSysctl *
get_sysctl (PortholeProbeView *self)
{
  return self->monitor ? porthole_socket_monitor_get_sysctl (self->monitor) : &porthole_sysctl_linux_defaults;
}

static void
set_banner_pending (PortholeProbeView *self)
{
  guint wait_ms = porthole_probe_get_banner_wait_ms (self->probe);
  g_autofree char *text = NULL;

  if (wait_ms == 0)
    return;
  text = g_strdup_printf (_("Waiting up to %.1f s for the server to speak first…"),
                          wait_ms / 1000.0);
  porthole_probe_timeline_set_pending (self->timeline, text);
}

static void
on_step (PortholeProbe       *probe,
         PortholeProbeStep    step,
         const char          *address,
         PortholeProbeStatus  status,
         const char          *message,
         double               elapsed_ms,
         PortholeProbeView   *self)
{
  PortholeTlsInfo *info = porthole_probe_get_tls_info (probe);
  gboolean tls_ok = info != NULL && porthole_tls_info_get_errors (info) == 0 &&
                    porthole_tls_info_get_handshake_error (info) == NULL;

  if (step == PORTHOLE_PROBE_STEP_FINISHED)
    {
      g_autofree char *verdict = g_strdup_printf (_("Verdict: %s"), porthole_probe_result_title (status));

      porthole_probe_timeline_add (self->timeline, step, status, verdict, elapsed_ms, FALSE);
      porthole_probe_timeline_stop (self->timeline, NULL);
      porthole_probe_result_show (self->result, probe, get_sysctl (self));
      gtk_widget_set_visible (GTK_WIDGET (self->result), TRUE);
      return;
    }

  porthole_probe_timeline_add (self->timeline, step, status, message, elapsed_ms,
                               step == PORTHOLE_PROBE_STEP_TLS && !tls_ok);

  /* What the model does not announce: the wait between two steps */
  if (step == PORTHOLE_PROBE_STEP_ATTEMPT && status == PORTHOLE_PROBE_STATUS_OPEN &&
      !porthole_probe_get_udp (probe))
    {
      if (porthole_probe_get_tls (probe))
        porthole_probe_timeline_set_pending (self->timeline, _("TLS handshake…"));
      else
        set_banner_pending (self);
    }
  else if (step == PORTHOLE_PROBE_STEP_TLS && info != NULL &&
           porthole_tls_info_get_handshake_error (info) == NULL)
    set_banner_pending (self);
}

static void
on_running_changed (PortholeProbeView *self)
{
  gboolean running = porthole_probe_get_running (self->probe);

  gtk_widget_set_visible (self->connect_button, !running);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.cancel", running);
  validate (self, self->submitted);
}

static void
on_run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(PortholeProbeView) self = porthole_weak_steal (data);
  g_autoptr(GError) error = NULL;

  porthole_probe_run_finish (PORTHOLE_PROBE (source), result, &error);
  /* Cancelled (by the user or by dispose: then the view must not be touched) or a verdict,
   * which the FINISHED step already showed */
  if (self == NULL || error == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  porthole_probe_timeline_stop (self->timeline, error->message);
}

gboolean
porthole_probe_view_start (PortholeProbeView *self)
{
  g_autofree char *text = NULL;
  guint timeout_s;

  g_return_val_if_fail (PORTHOLE_IS_PROBE_VIEW (self), FALSE);

  if (porthole_probe_get_running (self->probe))
    return FALSE;
  if (!validate (self, TRUE))
    {
      self->submitted = TRUE;
      gtk_widget_grab_focus (GTK_WIDGET (self->target_entry));
      return FALSE;
    }
  self->submitted = FALSE;
  text = dup_target_text (self);
  remember (self, text);

  porthole_probe_set_target (self->probe, text);
  porthole_probe_set_udp (self->probe, gtk_check_button_get_active (self->udp_check));
  porthole_probe_set_tls (self->probe, gtk_check_button_get_active (self->tls_check) &&
                                       !gtk_check_button_get_active (self->udp_check));
  timeout_s = (guint) gtk_spin_button_get_value_as_int (self->timeout_spin);
  porthole_probe_set_timeout_ms (self->probe, timeout_s * 1000);
  porthole_probe_timeline_clear (self->timeline);
  gtk_widget_set_visible (self->timeline_box, TRUE);
  gtk_widget_set_visible (self->empty_page, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->result), FALSE);
  porthole_probe_run_async (self->probe, self->cancellable, on_run_done, porthole_weak_new (self));
  return TRUE;
}

static void
on_target_activate (PortholeProbeView *self)
{
  porthole_probe_view_start (self);
}

static void
on_udp_toggled (PortholeProbeView *self)
{
  /* TLS runs over TCP only */
  gtk_widget_set_sensitive (GTK_WIDGET (self->tls_check),
                            !gtk_check_button_get_active (self->udp_check));
}

/* Actions */

static void
action_start (GtkWidget *widget, const char *name, GVariant *param)
{
  porthole_probe_view_start (PORTHOLE_PROBE_VIEW (widget));
}

static void
action_cancel (GtkWidget *widget, const char *name, GVariant *param)
{
  PortholeProbeView *self = PORTHOLE_PROBE_VIEW (widget);

  if (!porthole_probe_get_running (self->probe))
    return;
  porthole_probe_cancel (self->probe);
  porthole_probe_timeline_stop (self->timeline, _("Cancelled"));
}

static void
action_copy (GtkWidget *widget, const char *name, GVariant *param)
{
  PortholeProbeView *self = PORTHOLE_PROBE_VIEW (widget);
  g_autofree char *text = porthole_probe_timeline_dup_text (self->timeline);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
action_use_target (GtkWidget *widget, const char *name, GVariant *param)
{
  PortholeProbeView *self = PORTHOLE_PROBE_VIEW (widget);

  porthole_probe_view_set_target (self, g_variant_get_string (param, NULL));
  porthole_probe_view_start (self);
}

static void
action_clear_history (GtkWidget *widget, const char *name, GVariant *param)
{
  PortholeProbeView *self = PORTHOLE_PROBE_VIEW (widget);

  if (self->settings != NULL)
    g_settings_reset (self->settings, "target-history");
}

/* Public */

static void
on_probe_timeout_setting (PortholeProbeView *self)
{
  gtk_spin_button_set_value (self->timeout_spin,
                             g_settings_get_uint (self->settings, "probe-timeout"));
}

void
porthole_probe_view_set_settings (PortholeProbeView *self, GSettings *settings)
{
  g_autofree char *last = NULL;

  g_return_if_fail (PORTHOLE_IS_PROBE_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  g_signal_connect_object (settings, "changed::target-history", G_CALLBACK (rebuild_history),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::probe-timeout",
                           G_CALLBACK (on_probe_timeout_setting), self, G_CONNECT_SWAPPED);
  rebuild_history (self);
  on_probe_timeout_setting (self);

  last = g_settings_get_string (settings, "last-target");
  if (last[0] != '\0' && gtk_entry_get_text_length (self->target_entry) == 0)
    porthole_probe_view_set_target (self, last);
}

void
porthole_probe_view_set_monitor (PortholeProbeView *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_PROBE_VIEW (self));
  g_set_object (&self->monitor, monitor);
  /* a remote computer's window tests from that computer */
  porthole_probe_set_via_host (self->probe, monitor ? porthole_socket_monitor_get_host (monitor) : NULL);
}

void
porthole_probe_view_set_target (PortholeProbeView *self, const char *target)
{
  g_return_if_fail (PORTHOLE_IS_PROBE_VIEW (self));

  self->submitted = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->target_entry), target != NULL ? target : "");
  gtk_editable_set_position (GTK_EDITABLE (self->target_entry), -1);
}

PortholeProbe *
porthole_probe_view_get_probe (PortholeProbeView *self)
{
  g_return_val_if_fail (PORTHOLE_IS_PROBE_VIEW (self), NULL);
  return self->probe;
}

static void
porthole_probe_view_dispose (GObject *object)
{
  PortholeProbeView *self = PORTHOLE_PROBE_VIEW (object);

  /* Let go of the probe first, so that nothing it says reaches a half-disposed view; its run
   * ends with G_IO_ERROR_CANCELLED, which on_run_done ignores */
  if (self->probe != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->probe, self);
      g_cancellable_cancel (self->cancellable);
      porthole_probe_cancel (self->probe);
      g_clear_object (&self->probe);
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->monitor);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_PROBE_VIEW);
  G_OBJECT_CLASS (porthole_probe_view_parent_class)->dispose (object);
}

static void
porthole_probe_view_finalize (GObject *object)
{
  PortholeProbeView *self = PORTHOLE_PROBE_VIEW (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (porthole_probe_view_parent_class)->finalize (object);
}

static void
porthole_probe_view_class_init (PortholeProbeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_probe_view_dispose;
  object_class->finalize = porthole_probe_view_finalize;

  g_type_ensure (PORTHOLE_TYPE_PROBE_TIMELINE);
  g_type_ensure (PORTHOLE_TYPE_PROBE_RESULT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/porthole-probe-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, target_entry);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, history_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, connect_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, target_error);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, tls_check);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, udp_check);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, timeline_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, timeline);
  gtk_widget_class_bind_template_child (widget_class, PortholeProbeView, result);
  gtk_widget_class_bind_template_callback (widget_class, on_target_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_target_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_udp_toggled);

  gtk_widget_class_install_action (widget_class, "probe.start", NULL, action_start);
  gtk_widget_class_install_action (widget_class, "probe.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "probe.copy", NULL, action_copy);
  gtk_widget_class_install_action (widget_class, "probe.use-target", "s", action_use_target);
  gtk_widget_class_install_action (widget_class, "probe.clear-history", NULL, action_clear_history);
}

static void
porthole_probe_view_init (PortholeProbeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->probe = porthole_probe_new (NULL);
  g_signal_connect_object (self->probe, "step", G_CALLBACK (on_step), self, 0);
  g_signal_connect_object (self->probe, "notify::running", G_CALLBACK (on_running_changed), self,
                           G_CONNECT_SWAPPED);
  on_running_changed (self);
  rebuild_history (self);
}
