/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-style.h"
#include "porthole-socket-view.h"

#include "porthole-column-sorter.h"
#include "porthole-export.h"
#include "porthole-socket-cell.h"
#include "porthole-socket-sorter.h"
#include "porthole-socket-text.h"

#include <glib/gi18n.h>

/* Below this width the details pane covers the table instead of sitting beside it */
#define FOLD_WIDTH 760

struct _PortholeSocketView {
  AdwBin                    parent_instance;

  GtkToggleButton          *search_button;
  GtkToggleButton          *tcp_button;
  GtkToggleButton          *udp_button;
  GtkToggleButton          *ipv4_button;
  GtkToggleButton          *ipv6_button;
  GtkMenuButton            *export_button;
  GMenuModel               *connections_menu;
  GtkLabel                 *count_label;
  GtkSearchBar             *search_bar;
  GtkSearchEntry           *search_entry;
  GtkRevealer              *banner;
  GtkLabel                 *banner_label;
  GtkRevealer              *program_bar;
  GtkLabel                 *program_label;
  GtkWidget                *toolbar;
  AdwFlap                  *flap;
  GtkStack                 *state_stack;
  GtkSpinner               *spinner;
  AdwStatusPage            *error_page;
  AdwStatusPage            *empty_page;
  GtkScrolledWindow        *scroller;
  GtkWidget                *show_all_button;
  PortholeSocketDetails    *details;

  GtkColumnView            *column_view;
  PortholeSocketFilterMode  mode;
  PortholeSocketFilter     *filter;
  GtkFilterListModel       *filter_model;
  GtkSortListModel         *sort_model;
  GtkSingleSelection       *selection;
  PortholeSocketMonitor    *monitor;
  PortholeSettings         *settings;
  gboolean                  highlight_new;
  GtkFileChooserNative     *chooser;
  PortholeExportFormat      export_format;
  GCancellable             *cancellable;
  gboolean                  restoring_sort;
  GtkSorter                *traffic_sorter;   /* the primary sort key's, when it is a traffic
                                                 key: re-sorted on "traffic-changed" */
  gboolean                  resorting;
  gboolean                  resort_pending;   /* counters moved while the table was hidden */
  gint64                    resorted_at;      /* monotonic time of the last re-sort ... */
  gint64                    resort_cost;      /* ... and what it took (µs) */
  guint                     fold_idle;
  guint                     n_elsewhere;   /* live sockets of this mode, in containers or
                                              other namespaces */
  gboolean                  show_container_column;
};

G_DEFINE_FINAL_TYPE (PortholeSocketView, porthole_socket_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODE,
  PROP_COLUMN_VIEW,
  PROP_MONITOR,
  PROP_HIGHLIGHT_NEW,
  PROP_SHOW_CONTAINER_COLUMN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
mode_name (PortholeSocketView *self)
{
  return self->mode == PORTHOLE_SOCKET_FILTER_LISTENING ? "listening" : "connections";
}

/* ---- states ----------------------------------------------------------------------------- */

static void
update_state (PortholeSocketView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  g_autofree char *count = g_strdup_printf (ngettext ("%u socket", "%u sockets", n), n);
  const char *state;

  gtk_label_set_text (self->count_label, count);
  if (self->monitor == NULL || !porthole_socket_monitor_get_loaded (self->monitor))
    state = "loading";
  else if (porthole_socket_monitor_get_error (self->monitor) &&
           g_list_model_get_n_items (G_LIST_MODEL (self->monitor)) == 0)
    {
      state = "error";
      adw_status_page_set_description (self->error_page, porthole_socket_monitor_get_error (self->monitor));
    }
  else if (n == 0)
    {
      gboolean narrowed = porthole_socket_filter_is_narrowed (self->filter);

      state = "empty";
      if (narrowed)
        {
          adw_status_page_set_title (self->empty_page, _("No Matching Sockets"));
          adw_status_page_set_description (self->empty_page,
                                           _("Nothing matches the search, the protocol buttons "
                                             "and the view options."));
        }
      else if (self->mode == PORTHOLE_SOCKET_FILTER_LISTENING)
        {
          adw_status_page_set_title (self->empty_page, _("Nothing Is Listening"));
          adw_status_page_set_description (self->empty_page, _("No program on this computer waits for connections right now."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Connections"));
          adw_status_page_set_description (self->empty_page, _("No program on this computer is connected to another right now."));
        }
      gtk_widget_set_visible (self->show_all_button, narrowed);
    }
  else
    state = "table";

  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->state_stack, state);
}

static void
update_banner (PortholeSocketView *self)
{
  guint hidden = self->monitor ? porthole_socket_monitor_get_hidden_owners (self->monitor) : 0;
  guint other_user = 0, sandboxed = 0;
  g_autofree char *text = NULL;

  /* hidden-owners also counts programs that exited or live in another container, which no
   * command would reveal: the banner is only for what the user can do something about */
  if (hidden > 0)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->monitor));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PortholeSocket) s = g_list_model_get_item (G_LIST_MODEL (self->monitor), i);

          if (porthole_socket_get_closed (s))
            continue;
          other_user += porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_OTHER_USER;
          sandboxed += porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_SANDBOXED;
        }
    }
  if (sandboxed > 0)
    text = g_strdup_printf (ngettext ("Porthole runs in a sandbox, which hides other programs: %u socket shows only its user, and containers’ own network namespaces cannot be seen at all. Run “porthole-cli list” on the host to see them.",
                                      "Porthole runs in a sandbox, which hides other programs: %u sockets show only their user, and containers’ own network namespaces cannot be seen at all. Run “porthole-cli list” on the host to see them.",
                                      sandboxed), sandboxed);
  else if (other_user > 0)
    text = g_strdup_printf (ngettext ("%u socket belongs to another user’s program, which only an administrator can see. Run “sudo porthole-cli list” to see it.",
                                      "%u sockets belong to other users’ programs, which only an administrator can see. Run “sudo porthole-cli list” to see them.",
                                      other_user), other_user);
  if (text)
    gtk_label_set_text (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner, text != NULL);
}

const char *
porthole_socket_view_get_banner (PortholeSocketView *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_VIEW (self), NULL);
  return gtk_revealer_get_reveal_child (self->banner) ? gtk_label_get_text (self->banner_label) : NULL;
}

const char *
porthole_socket_view_get_state (PortholeSocketView *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->state_stack);
}

static void
on_model_items_changed (GListModel *model, guint position, guint removed, guint added, PortholeSocketView *self)
{
  update_state (self);
}

/* ---- the Container column --------------------------------------------------------------- */

static void
update_container_column (PortholeSocketView *self)
{
  GSettings *gsettings = self->settings ? porthole_settings_get_gsettings (self->settings) : NULL;
  gboolean shown = self->n_elsewhere > 0 &&
                   (gsettings == NULL || g_settings_get_boolean (gsettings, "show-containers"));

  if (self->show_container_column == shown)
    return;
  self->show_container_column = shown;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_CONTAINER_COLUMN]);
}

/* Listeners for the Listening table, the rest for Connections (a socket never changes side) */
static gboolean
in_mode (PortholeSocketView *self, PortholeSocket *s)
{
  return porthole_socket_is_listening (s) == (self->mode == PORTHOLE_SOCKET_FILTER_LISTENING);
}

/* Counted as sockets come and go, never by rescanning the whole table: new items are
 * appended (only the added range is looked at), and every socket that goes is first
 * announced closed */
static void
on_monitor_items_changed (GListModel *model, guint position, guint removed, guint added,
                          PortholeSocketView *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      if (!porthole_socket_get_closed (s) && porthole_socket_is_elsewhere (s) && in_mode (self, s))
        self->n_elsewhere++;
    }
  if (added > 0)
    update_container_column (self);
}

static void
on_socket_closed (PortholeSocketMonitor *monitor, PortholeSocket *s, PortholeSocketView *self)
{
  if (porthole_socket_is_elsewhere (s) && in_mode (self, s) && self->n_elsewhere > 0)
    {
      self->n_elsewhere--;
      update_container_column (self);
    }
}

static void
count_elsewhere (PortholeSocketView *self)
{
  self->n_elsewhere = 0;
  if (self->monitor)
    on_monitor_items_changed (G_LIST_MODEL (self->monitor), 0, 0,
                              g_list_model_get_n_items (G_LIST_MODEL (self->monitor)), self);
  update_container_column (self);
}

gboolean
porthole_socket_view_get_show_container_column (PortholeSocketView *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_VIEW (self), FALSE);
  return self->show_container_column;
}

static void
on_monitor_notify (PortholeSocketMonitor *monitor, GParamSpec *pspec, PortholeSocketView *self)
{
  update_banner (self);
  update_state (self);
}

/* ---- sorting, remembered ---------------------------------------------------------------- */

gboolean
porthole_socket_view_sort_by (PortholeSocketView *self, const char *name, gboolean descending)
{
  g_autoptr(GListModel) columns = NULL;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_VIEW (self), FALSE);
  if (self->column_view == NULL || name == NULL)
    return FALSE;
  columns = g_object_ref (gtk_column_view_get_columns (self->column_view));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

      if (PORTHOLE_IS_COLUMN_SORTER (sorter) &&
          g_strcmp0 (porthole_column_sorter_get_name (PORTHOLE_COLUMN_SORTER (sorter)), name) == 0)
        {
          gtk_column_view_sort_by_column (self->column_view, column,
                                          descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
          return TRUE;
        }
    }
  return FALSE;
}

static void
restore_sort (PortholeSocketView *self)
{
  g_autofree char *name = NULL;
  gboolean descending = FALSE;

  if (self->column_view == NULL || self->settings == NULL)
    return;
  name = porthole_settings_get_sort (self->settings, mode_name (self), &descending);
  self->restoring_sort = TRUE;
  if (!porthole_socket_view_sort_by (self, name, descending))
    porthole_socket_view_sort_by (self, "port", FALSE);
  self->restoring_sort = FALSE;
}

static void
on_sort_changed (GtkSorter *sorter, GtkSorterChange change, PortholeSocketView *self)
{
  PortholeColumnSorter *primary;
  GtkSorter *inner;
  gboolean descending = FALSE;

  /* Our own re-sort as counters moved: the key is the same */
  if (self->resorting || self->column_view == NULL)
    return;
  primary = porthole_column_sorter_get_primary (sorter, gtk_column_view_get_columns (self->column_view),
                                                &descending);
  inner = primary ? porthole_column_sorter_get_sorter (primary) : NULL;
  self->traffic_sorter = PORTHOLE_IS_SOCKET_SORTER (inner) &&
                         porthole_socket_sorter_is_traffic (PORTHOLE_SOCKET_SORTER (inner))
                           ? inner : NULL;
  if (self->restoring_sort || self->settings == NULL)
    return;
  if (primary == NULL || porthole_column_sorter_get_name (primary) == NULL)
    return;
  porthole_settings_set_sort (self->settings, mode_name (self), porthole_column_sorter_get_name (primary),
                              descending);
}

/* Counters move in place, without items-changed: a table sorted by one of them is re-sorted
 * once per refresh. Sorted by anything else it is left alone (re-sorting 30,000 rows costs
 * milliseconds for nothing); hidden (another tab or view shown), it is re-sorted when shown
 * again. A re-sort of tens of thousands of rows is not cheap either: the table waits at least
 * ten times as long as the last one took before the next, so keeping the order costs at most a
 * tenth of the main thread (the cells still show every refresh's figures). */
static void
resort_traffic (PortholeSocketView *self)
{
  gint64 start = g_get_monotonic_time ();

  self->resort_pending = FALSE;
  self->resorting = TRUE;
  gtk_sorter_changed (self->traffic_sorter, GTK_SORTER_CHANGE_DIFFERENT);
  self->resorting = FALSE;
  self->resorted_at = g_get_monotonic_time ();
  self->resort_cost = self->resorted_at - start;
}

static void
on_traffic_changed (PortholeSocketMonitor *monitor, GPtrArray *sockets, PortholeSocketView *self)
{
  if (self->traffic_sorter == NULL)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->column_view)) ||
      g_get_monotonic_time () - self->resorted_at < 10 * self->resort_cost)
    {
      self->resort_pending = TRUE;
      return;
    }
  resort_traffic (self);
}

static void
on_column_view_map (PortholeSocketView *self)
{
  if (self->resort_pending && self->traffic_sorter)
    resort_traffic (self);
}

/* ---- selection and details -------------------------------------------------------------- */

static void
on_selected_item (GtkSingleSelection *selection, GParamSpec *pspec, PortholeSocketView *self)
{
  PortholeSocket *socket = gtk_single_selection_get_selected_item (selection);

  porthole_socket_details_set_socket (self->details, socket);
  adw_flap_set_reveal_flap (self->flap, socket != NULL);
}

static void
on_details_close (PortholeSocketView *self)
{
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
on_activate (GtkColumnView *view, guint position, PortholeSocketView *self)
{
  if (gtk_single_selection_get_selected_item (self->selection))
    adw_flap_set_reveal_flap (self->flap, TRUE);
}

static void
scroll_to (PortholeSocketView *self, guint position)
{
  /* GTK 4.8 has no gtk_column_view_scroll_to(); its list view has the action */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

gboolean
porthole_socket_view_select (PortholeSocketView *self, PortholeSocket *socket)
{
  guint n;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_VIEW (self), FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) item = g_list_model_get_item (G_LIST_MODEL (self->sort_model), i);

      if (item == socket)
        {
          gtk_single_selection_set_selected (self->selection, i);
          if (self->column_view)
            scroll_to (self, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- one program's sockets ---------------------------------------------------------------- */

void
porthole_socket_view_show_program (PortholeSocketView *self, PortholeProgram *program)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_VIEW (self));
  porthole_socket_filter_set_program (self->filter, program);
  if (program)
    {
      g_autofree char *text = NULL;

      if (porthole_program_get_pid (program) > 0)
        /* Translators: "Only the connections of firefox (4242)" */
        text = g_strdup_printf (_("Only the connections of %s (%d)"), porthole_program_get_title (program),
                                porthole_program_get_pid (program));
      else
        /* Translators: %s is a group: "Programs of another user" */
        text = g_strdup_printf (_("Only the connections of: %s"), porthole_program_get_title (program));
      gtk_label_set_text (self->program_label, text);
    }
  gtk_revealer_set_reveal_child (self->program_bar, program != NULL);
  update_state (self);
}

PortholeProgram *
porthole_socket_view_get_program (PortholeSocketView *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_VIEW (self), NULL);
  return porthole_socket_filter_get_program (self->filter);
}

static void
on_show_all_programs (PortholeSocketView *self)
{
  porthole_socket_view_show_program (self, NULL);
}

void
porthole_socket_view_add_toolbar_start (PortholeSocketView *self, GtkWidget *widget)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_VIEW (self));
  gtk_box_prepend (GTK_BOX (self->toolbar), widget);
}

/* ---- search ----------------------------------------------------------------------------- */

static void
on_search_changed (PortholeSocketView *self)
{
  porthole_socket_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_state (self);
}

void
porthole_socket_view_start_search (PortholeSocketView *self, const char *text)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_VIEW (self));
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  if (text)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
      /* Apply now rather than after the entry's typing delay */
      on_search_changed (self);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_show_all_clicked (PortholeSocketView *self)
{
  static const char *keys[] = {
    "show-tcp", "show-udp", "show-ipv4", "show-ipv6", "show-containers",
  };

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  on_search_changed (self);
  porthole_socket_view_show_program (self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys) && self->settings; i++)
    g_settings_set_boolean (porthole_settings_get_gsettings (self->settings), keys[i], TRUE);
}

/* ---- export ----------------------------------------------------------------------------- */

static void
toast (PortholeSocketView *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PortholeSocketView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gssize rows = porthole_export_save_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rows < 0)
    message = g_strdup_printf (_("Could not export: %s"), error->message);
  else
    message = g_strdup_printf (ngettext ("Exported %zd row", "Exported %zd rows", rows), rows);
  toast (self, message);
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, PortholeSocketView *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file)
    {
      g_autofree char *name = g_file_get_basename (file);
      PortholeExportFormat format = self->export_format;

      /* The name the user typed wins over the menu item they picked */
      if (name && (g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".csv")))
        format = porthole_export_format_for_file (file);
      porthole_export_save_async (G_LIST_MODEL (self->sort_model), format, file, self->cancellable,
                                  export_done, g_object_ref (self));
    }
  g_clear_object (&self->chooser);
}

static void
on_export (GtkWidget *widget, const char *action, GVariant *param)
{
  PortholeSocketView *self = PORTHOLE_SOCKET_VIEW (widget);
  const char *format = g_variant_get_string (param, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  GtkFileFilter *filter;
  GtkRoot *root = gtk_widget_get_root (widget);

  self->export_format = g_str_equal (format, "json") ? PORTHOLE_EXPORT_JSON : PORTHOLE_EXPORT_CSV;
  name = g_strdup_printf ("porthole-%s-%s.%s", mode_name (self), stamp, format);

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Table"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, self->export_format == PORTHOLE_EXPORT_JSON ? _("JSON") : _("CSV"));
  gtk_file_filter_add_suffix (filter, format);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- folding ---------------------------------------------------------------------------- */

static gboolean
on_fold_idle (gpointer data)
{
  PortholeSocketView *self = data;
  gboolean fold = gtk_widget_get_width (GTK_WIDGET (self)) < FOLD_WIDTH;

  self->fold_idle = 0;
  adw_flap_set_fold_policy (self->flap, fold ? ADW_FLAP_FOLD_POLICY_ALWAYS : ADW_FLAP_FOLD_POLICY_NEVER);
  /* AdwFlap reveals itself when it unfolds: only a selection should */
  adw_flap_set_reveal_flap (self->flap, gtk_single_selection_get_selected_item (self->selection) != NULL);
  return G_SOURCE_REMOVE;
}

/* AdwBin lays out through a layout manager, which bypasses the size_allocate vfunc: this one
 * does what GtkBinLayout does and notices when the width crosses FOLD_WIDTH. */
static void
layout_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
layout_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PortholeSocketView *self = PORTHOLE_SOCKET_VIEW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean fold = width < FOLD_WIDTH;
  gboolean folded = adw_flap_get_fold_policy (self->flap) == ADW_FLAP_FOLD_POLICY_ALWAYS;

  if (child && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
  /* Changing the flap during allocation would resize it again: do it right after */
  if (fold != folded && self->fold_idle == 0)
    self->fold_idle = g_idle_add (on_fold_idle, self);
}

/* ---- setup ------------------------------------------------------------------------------ */

void
porthole_socket_view_set_monitor (PortholeSocketView *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_VIEW (self));
  if (self->monitor == monitor)
    return;
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (monitor));
  porthole_socket_details_set_monitor (self->details, monitor);
  porthole_socket_filter_set_monitor (self->filter, monitor);
  if (monitor)
    {
      g_signal_connect_object (monitor, "items-changed", G_CALLBACK (on_monitor_items_changed),
                               self, 0);
      g_signal_connect_object (monitor, "socket-closed", G_CALLBACK (on_socket_closed), self, 0);
      g_signal_connect_object (monitor, "traffic-changed", G_CALLBACK (on_traffic_changed), self, 0);
      g_signal_connect_object (monitor, "notify::loaded", G_CALLBACK (on_monitor_notify), self, 0);
      g_signal_connect_object (monitor, "notify::error", G_CALLBACK (on_monitor_notify), self, 0);
      g_signal_connect_object (monitor, "notify::hidden-owners", G_CALLBACK (on_monitor_notify), self, 0);
      g_signal_connect_object (monitor, "notify::sysctl", G_CALLBACK (on_monitor_notify), self, 0);
    }
  count_elsewhere (self);
  update_banner (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

static void
on_highlight_changed (PortholeSocketView *self)
{
  gboolean highlight = porthole_settings_get_highlight_changes (self->settings);

  if (self->highlight_new == highlight)
    return;
  self->highlight_new = highlight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHT_NEW]);
}

static void
bind_resolve_names (PortholeSocketView *self)
{
  g_autoptr(GSimpleActionGroup) group = NULL;
  g_autoptr(GAction) names = NULL;

  /* Host names only mean something for the remote side */
  if (self->mode != PORTHOLE_SOCKET_FILTER_CONNECTIONS || self->settings == NULL)
    return;
  group = g_simple_action_group_new ();
  names = g_settings_create_action (porthole_settings_get_gsettings (self->settings), "resolve-names");
  g_action_map_add_action (G_ACTION_MAP (group), names);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "names", G_ACTION_GROUP (group));
}

static void
bind_show_containers (PortholeSocketView *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  GSettings *gsettings = porthole_settings_get_gsettings (self->settings);
  g_autoptr(GAction) containers = g_settings_create_action (gsettings, "show-containers");

  g_action_map_add_action (G_ACTION_MAP (group), containers);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "filter", G_ACTION_GROUP (group));
  g_settings_bind (gsettings, "show-containers", self->filter, "show-containers",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (gsettings, "changed::show-containers",
                           G_CALLBACK (update_container_column), self, G_CONNECT_SWAPPED);
  update_container_column (self);
}

void
porthole_socket_view_set_settings (PortholeSocketView *self, PortholeSettings *settings)
{
  static const char *keys[] = { "show-tcp", "show-udp", "show-ipv4", "show-ipv6" };
  GtkToggleButton *buttons[] = { self->tcp_button, self->udp_button, self->ipv4_button, self->ipv6_button };

  g_return_if_fail (PORTHOLE_IS_SOCKET_VIEW (self));
  g_return_if_fail (self->settings == NULL && PORTHOLE_IS_SETTINGS (settings));
  self->settings = g_object_ref (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GSettings *gsettings = porthole_settings_get_gsettings (settings);

      g_settings_bind (gsettings, keys[i], buttons[i], "active", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (gsettings, keys[i], self->filter, keys[i], G_SETTINGS_BIND_GET);
    }
  g_signal_connect_object (settings, "notify::highlight-changes", G_CALLBACK (on_highlight_changed), self,
                           G_CONNECT_SWAPPED);
  on_highlight_changed (self);
  bind_resolve_names (self);
  bind_show_containers (self);
  restore_sort (self);
}

static void
set_column_view (PortholeSocketView *self, GtkColumnView *column_view)
{
  GtkSorter *sorter;

  g_return_if_fail (self->column_view == NULL);
  self->column_view = g_object_ref (column_view);
  gtk_widget_add_css_class (GTK_WIDGET (column_view), "socket-table");
  gtk_column_view_set_model (column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (column_view));
  sorter = gtk_column_view_get_sorter (column_view);
  gtk_sort_list_model_set_sorter (self->sort_model, sorter);
  g_signal_connect_object (sorter, "changed", G_CALLBACK (on_sort_changed), self, 0);
  g_signal_connect_object (column_view, "activate", G_CALLBACK (on_activate), self, 0);
  g_signal_connect_object (column_view, "map", G_CALLBACK (on_column_view_map), self, G_CONNECT_SWAPPED);
  restore_sort (self);
}

static void
set_mode (PortholeSocketView *self, const char *name)
{
  self->mode = g_strcmp0 (name, "connections") == 0 ? PORTHOLE_SOCKET_FILTER_CONNECTIONS
                                                     : PORTHOLE_SOCKET_FILTER_LISTENING;
  porthole_socket_filter_set_mode (self->filter, self->mode);
  count_elsewhere (self);
  if (self->mode == PORTHOLE_SOCKET_FILTER_CONNECTIONS)
    {
      gtk_menu_button_set_menu_model (self->export_button, self->connections_menu);
      bind_resolve_names (self);
    }
  restore_sort (self);
  update_state (self);
}

PortholeSocketMonitor *porthole_socket_view_get_monitor (PortholeSocketView *self) { return self->monitor; }
GtkColumnView *porthole_socket_view_get_column_view (PortholeSocketView *self) { return self->column_view; }
GListModel *porthole_socket_view_get_model (PortholeSocketView *self) { return G_LIST_MODEL (self->sort_model); }
GtkSingleSelection *porthole_socket_view_get_selection (PortholeSocketView *self) { return self->selection; }
PortholeSocketFilter *porthole_socket_view_get_filter (PortholeSocketView *self) { return self->filter; }
PortholeSocketDetails *porthole_socket_view_get_details (PortholeSocketView *self) { return self->details; }

static void
porthole_socket_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeSocketView *self = PORTHOLE_SOCKET_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE: g_value_set_string (value, mode_name (self)); break;
    case PROP_COLUMN_VIEW: g_value_set_object (value, self->column_view); break;
    case PROP_MONITOR: g_value_set_object (value, self->monitor); break;
    case PROP_HIGHLIGHT_NEW: g_value_set_boolean (value, self->highlight_new); break;
    case PROP_SHOW_CONTAINER_COLUMN:
      g_value_set_boolean (value, self->show_container_column);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeSocketView *self = PORTHOLE_SOCKET_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE: set_mode (self, g_value_get_string (value)); break;
    case PROP_COLUMN_VIEW: set_column_view (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_view_dispose (GObject *object)
{
  PortholeSocketView *self = PORTHOLE_SOCKET_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->fold_idle, g_source_remove);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->column_view)
    {
      g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                            on_sort_changed, self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_SOCKET_VIEW);
  self->traffic_sorter = NULL;
  g_clear_object (&self->column_view);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (porthole_socket_view_parent_class)->dispose (object);
}

static void
porthole_socket_view_class_init (PortholeSocketViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_socket_view_dispose;
  object_class->get_property = porthole_socket_view_get_property;
  object_class->set_property = porthole_socket_view_set_property;

  properties[PROP_MODE] = g_param_spec_string ("mode", NULL, NULL, "listening",
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMN_VIEW] = g_param_spec_object ("column-view", NULL, NULL, GTK_TYPE_COLUMN_VIEW,
                                                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Passed down to the cells (bound in their factory's setup) */
  properties[PROP_MONITOR] = g_param_spec_object ("monitor", NULL, NULL, PORTHOLE_TYPE_SOCKET_MONITOR,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGHLIGHT_NEW] = g_param_spec_boolean ("highlight-new", NULL, NULL, TRUE,
                                                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Some socket is in a container or another namespace, and they are shown: the pages' .ui
   * binds their Container column's "visible" to it */
  properties[PROP_SHOW_CONTAINER_COLUMN] =
    g_param_spec_boolean ("show-container-column", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PORTHOLE_TYPE_SOCKET_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-socket-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, search_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, tcp_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, udp_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, ipv4_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, ipv6_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, export_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, connections_menu);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, count_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, banner);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, banner_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, program_bar);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, program_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, flap);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, spinner);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, error_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, show_all_button);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PortholeSocketView, details);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_show_all_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_show_all_programs);
  gtk_widget_class_bind_template_callback (widget_class, on_details_close);
  gtk_widget_class_install_action (widget_class, "view.export", "s", on_export);
}

static void
porthole_socket_view_init (PortholeSocketView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), gtk_custom_layout_new (NULL, layout_measure, layout_allocate));
  porthole_style_load ("porthole-socket-view.css");

  self->cancellable = g_cancellable_new ();
  self->highlight_new = TRUE;
  self->filter = porthole_socket_filter_new (PORTHOLE_SOCKET_FILTER_LISTENING);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filter_model)), NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->sort_model, "items-changed", G_CALLBACK (on_model_items_changed), self, 0);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (on_selected_item), self, 0);
  g_signal_connect_object (self->filter, "changed", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  update_state (self);
}
