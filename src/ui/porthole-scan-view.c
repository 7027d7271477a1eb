/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-scan-view.h"

#include "porthole-inline-error.h"
#include "porthole-net-error.h"
#include "porthole-portlist.h"
#include "porthole-target.h"

#include "porthole-weak.h"

#include <glib/gi18n.h>

struct _PortholeScanView {
  AdwBin          parent_instance;

  GtkEntry       *host_entry;
  GtkLabel       *host_error;
  GtkEntry       *ports_entry;
  GtkLabel       *ports_error;
  GtkSpinButton  *concurrency_spin;
  GtkWidget      *start_button;
  GtkWidget      *cancel_button;
  GtkWidget      *progress_box;
  GtkProgressBar *progress_bar;
  GtkLabel       *counts_label;
  GtkLabel       *status_label;
  GtkListBox     *results_list;

  PortholeScan   *scan;
  GBinding       *progress_binding;
  GCancellable   *cancellable;
  GSettings      *settings;
  GtkWindow      *dialog;      /* the confirmation, while it is open (weak) */
  char           *host;        /* the host being scanned, for the Test buttons */
  gboolean        submitted;
};

G_DEFINE_FINAL_TYPE (PortholeScanView, porthole_scan_view, ADW_TYPE_BIN)

enum {
  SIGNAL_TEST_TARGET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Validation */

static char *
dup_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static gboolean
validate (PortholeScanView *self, gboolean strong)
{
  g_autofree char *host = dup_text (self->host_entry);
  g_autofree char *ports = dup_text (self->ports_entry);
  g_autoptr(GError) host_error = NULL;
  g_autoptr(GError) ports_error = NULL;
  g_autoptr(PortholeTarget) target = porthole_target_parse_host (host, &host_error);
  g_autoptr(PortholePortList) list = porthole_port_list_parse (ports, &ports_error);

  porthole_inline_error_show (GTK_WIDGET (self->host_entry), self->host_error,
                              host[0] == '\0' && !strong ? NULL : host_error, strong);
  porthole_inline_error_show (GTK_WIDGET (self->ports_entry), self->ports_error,
                              ports[0] == '\0' && !strong ? NULL : ports_error, strong);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.start",
                                 target != NULL && list != NULL &&
                                 !porthole_scan_get_running (self->scan));
  return target != NULL && list != NULL;
}

static void
on_entry_changed (PortholeScanView *self)
{
  if (validate (self, self->submitted))
    self->submitted = FALSE;
}

/* Progress */

static void
update_counts (PortholeScanView *self)
{
  PortholeScan *scan = self->scan;
  g_autofree char *progress = NULL;
  g_autofree char *counts = NULL;

  progress = g_strdup_printf (_("%u of %u ports"), porthole_scan_get_ports_done (scan),
                              porthole_scan_get_ports_total (scan));
  gtk_progress_bar_set_text (self->progress_bar, progress);
  /* Translators: counts of a port scan, then its duration in seconds */
  counts = g_strdup_printf (_("%u open · %u closed · %u filtered · %.1f s"),
                            porthole_scan_get_open_count (scan),
                            porthole_scan_get_closed_count (scan),
                            porthole_scan_get_filtered_count (scan),
                            porthole_scan_get_elapsed_ms (scan) / 1000.0);
  gtk_label_set_text (self->counts_label, counts);
}

static void
set_status (PortholeScanView *self, const char *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
on_running_changed (PortholeScanView *self)
{
  gboolean running = porthole_scan_get_running (self->scan);

  gtk_widget_set_visible (self->start_button, !running);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.cancel", running);
  validate (self, self->submitted);
}

/* Results */

static void
on_test_clicked (GtkButton *button, PortholeScanView *self)
{
  guint port = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "port"));
  g_autoptr(PortholeTarget) target = porthole_target_parse_host (self->host, NULL);
  g_autofree char *text = NULL;

  if (target == NULL)
    return;
  target->port = port;
  text = porthole_target_to_string (target);
  g_signal_emit (self, signals[SIGNAL_TEST_TARGET], 0, text);
}

static GtkWidget *
create_result_row (gpointer item, gpointer data)
{
  PortholeScanView *self = data;
  PortholeScanResult *result = item;
  guint port = porthole_scan_result_get_port (result);
  const char *service = porthole_scan_result_get_service (result);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *a11y = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *port_label = gtk_label_new (port_text);
  GtkWidget *service_label = gtk_label_new (service != NULL ? service : _("unknown service"));
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Test"));

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_width_chars (GTK_LABEL (port_label), 5);
  gtk_label_set_xalign (GTK_LABEL (port_label), 0);
  gtk_widget_add_css_class (port_label, "monospace");
  gtk_widget_add_css_class (port_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (service_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (service_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (service_label, TRUE);
  if (service == NULL)
    gtk_widget_add_css_class (service_label, "dim-label");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  a11y = g_strdup_printf (_("Test a connection to port %u"), port);
  gtk_widget_set_tooltip_text (button, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data (G_OBJECT (button), "port", GUINT_TO_POINTER (port));
  g_signal_connect (button, "clicked", G_CALLBACK (on_test_clicked), self);

  gtk_box_append (GTK_BOX (box), port_label);
  gtk_box_append (GTK_BOX (box), service_label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* Running */

static void ask_confirmation (PortholeScanView *self);

static void
on_scan_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(PortholeScanView) self = porthole_weak_steal (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  porthole_scan_run_finish (PORTHOLE_SCAN (source), result, &error);
  /* Cancelled by the user (the Cancel action said so) or by dispose: hands off */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  update_counts (self);
  if (g_error_matches (error, PORTHOLE_SCAN_ERROR, PORTHOLE_SCAN_ERROR_NOT_CONFIRMED))
    {
      /* A name that resolved outside loopback */
      set_status (self, NULL);
      ask_confirmation (self);
      return;
    }
  if (error != NULL)
    {
      set_status (self, error->message);
      return;
    }
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scanned %u port of %s.",
                                          "Scanned %u ports of %s.",
                                          porthole_scan_get_ports_total (self->scan)),
                             porthole_scan_get_ports_total (self->scan),
                             porthole_scan_get_address (self->scan));
  set_status (self, summary);
}

static void
run (PortholeScanView *self, gboolean confirmed)
{
  g_autofree char *ports = dup_text (self->ports_entry);

  g_free (self->host);
  self->host = dup_text (self->host_entry);
  porthole_scan_set_host (self->scan, self->host);
  porthole_scan_set_ports (self->scan, ports);
  porthole_scan_set_concurrency (self->scan,
                                 (guint) gtk_spin_button_get_value_as_int (self->concurrency_spin));
  porthole_scan_set_confirmed (self->scan, confirmed);
  gtk_widget_set_visible (self->progress_box, TRUE);
  set_status (self, NULL);
  porthole_scan_run_async (self->scan, self->cancellable, on_scan_done, porthole_weak_new (self));
  update_counts (self);
}

static void
on_confirm_response (AdwMessageDialog *dialog, const char *response, PortholeScanView *self)
{
  if (g_strcmp0 (response, "scan") == 0 && !porthole_scan_get_running (self->scan))
    run (self, TRUE);
}

static void
ask_confirmation (PortholeScanView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *host = dup_text (self->host_entry);
  g_autofree char *quoted = porthole_quote_short (host, strlen (host));
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (self->dialog != NULL)
    return;
  body = g_strdup_printf (_("Only scan hosts you are authorised to test. “%s” is not this "
                            "computer: scanning someone else's machine can look like an attack."),
                          quoted);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Scan Another Computer?"), NULL));
  /* The body quotes what the user typed: plain text */
  adw_message_dialog_set_body_use_markup (dialog, FALSE);
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "scan", _("_Scan"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "scan", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  self->dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
porthole_scan_view_start (PortholeScanView *self)
{
  g_autofree char *host = NULL;
  g_autoptr(PortholeTarget) target = NULL;
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (PORTHOLE_IS_SCAN_VIEW (self), FALSE);

  if (porthole_scan_get_running (self->scan))
    return FALSE;
  if (!validate (self, TRUE))
    {
      self->submitted = TRUE;
      return FALSE;
    }
  self->submitted = FALSE;
  host = dup_text (self->host_entry);
  target = porthole_target_parse_host (host, NULL);
  if (target->is_ip)
    address = g_inet_address_new_from_string (target->host);
  /* An address is checked here, before anything is sent; a name is checked by the model
   * once it has resolved, and comes back as NOT_CONFIRMED */
  if (address != NULL && !g_inet_address_get_is_loopback (address))
    ask_confirmation (self);
  else
    run (self, FALSE);
  return TRUE;
}

static void
on_entry_activate (PortholeScanView *self)
{
  porthole_scan_view_start (self);
}

static void
action_start (GtkWidget *widget, const char *name, GVariant *param)
{
  porthole_scan_view_start (PORTHOLE_SCAN_VIEW (widget));
}

static void
action_cancel (GtkWidget *widget, const char *name, GVariant *param)
{
  PortholeScanView *self = PORTHOLE_SCAN_VIEW (widget);

  if (!porthole_scan_get_running (self->scan))
    return;
  porthole_scan_cancel (self->scan);
  update_counts (self);
  set_status (self, _("Cancelled"));
}

static void
on_concurrency_setting (PortholeScanView *self)
{
  gtk_spin_button_set_value (self->concurrency_spin,
                             g_settings_get_uint (self->settings, "scan-concurrency"));
}

void
porthole_scan_view_set_settings (PortholeScanView *self, GSettings *settings)
{
  g_return_if_fail (PORTHOLE_IS_SCAN_VIEW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  g_signal_connect_object (settings, "changed::scan-concurrency",
                           G_CALLBACK (on_concurrency_setting), self, G_CONNECT_SWAPPED);
  on_concurrency_setting (self);
}

PortholeScan *
porthole_scan_view_get_scan (PortholeScanView *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SCAN_VIEW (self), NULL);
  return self->scan;
}

static void
porthole_scan_view_dispose (GObject *object)
{
  PortholeScanView *self = PORTHOLE_SCAN_VIEW (object);

  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (self->dialog);
      self->dialog = NULL;
    }
  if (self->scan != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->scan, self);
      g_clear_pointer (&self->progress_binding, g_binding_unbind);
      gtk_list_box_bind_model (self->results_list, NULL, NULL, NULL, NULL);
      g_cancellable_cancel (self->cancellable);
      porthole_scan_cancel (self->scan);
      g_clear_object (&self->scan);
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_SCAN_VIEW);
  G_OBJECT_CLASS (porthole_scan_view_parent_class)->dispose (object);
}

static void
porthole_scan_view_finalize (GObject *object)
{
  PortholeScanView *self = PORTHOLE_SCAN_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->host);
  G_OBJECT_CLASS (porthole_scan_view_parent_class)->finalize (object);
}

static void
porthole_scan_view_class_init (PortholeScanViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_scan_view_dispose;
  object_class->finalize = porthole_scan_view_finalize;

  signals[SIGNAL_TEST_TARGET] =
    g_signal_new ("test-target", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/porthole-scan-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, host_entry);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, host_error);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, ports_entry);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, ports_error);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, start_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, counts_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, status_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeScanView, results_list);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);

  gtk_widget_class_install_action (widget_class, "scan.start", NULL, action_start);
  gtk_widget_class_install_action (widget_class, "scan.cancel", NULL, action_cancel);
}

static void
porthole_scan_view_init (PortholeScanView *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->scan = porthole_scan_new (NULL, "1-1024");
  self->progress_binding = g_object_bind_property (self->scan, "progress", self->progress_bar,
                                                   "fraction", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->scan, "notify::running", G_CALLBACK (on_running_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scan, "notify::ports-done", G_CALLBACK (update_counts), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scan, "notify::elapsed-ms", G_CALLBACK (update_counts), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->results_list, porthole_scan_get_results (self->scan),
                           create_result_row, self, NULL);
  placeholder = gtk_label_new (_("No open port found yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->results_list, placeholder);
  on_running_changed (self);
}
