/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-history-page.h"

#include "porthole-history-search.h"
#include "porthole-history-timeline.h"

#include <glib/gi18n.h>

/* Beyond this the timeline would be unreadable anyway: the newest listeners are kept */
#define MAX_ROWS 5000
/* A recorder's batches come every refresh; the timeline follows at most this often */
#define FOLLOW_MS 3000

struct _PortholeHistoryPage {
  AdwBin                   parent_instance;

  GtkSearchEntry          *search_entry;
  GtkDropDown             *span_dropdown;
  GtkDropDown             *group_dropdown;
  GtkStack                *stack;
  AdwStatusPage           *error_page;
  PortholeHistoryTimeline *timeline;
  GtkLabel                *status_label;

  PortholeRecorder        *recorder;
  GCancellable            *cancellable;
  gint64                   last_query;
  guint                    follow_id;
  gint64                   start, end;
};

G_DEFINE_FINAL_TYPE (PortholeHistoryPage, porthole_history_page, ADW_TYPE_BIN)

static const gint64 spans_s[] = { 3600, 86400, 7 * 86400, 30 * 86400 };

const char *
porthole_history_page_get_state (PortholeHistoryPage *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
update_status (PortholeHistoryPage *self)
{
  g_autofree char *text = NULL;

  if (self->recorder == NULL)
    text = g_strdup ("");
  else if (porthole_recorder_get_error (self->recorder) != NULL)
    text = g_strdup (porthole_recorder_get_error (self->recorder));
  else if (porthole_recorder_get_writing (self->recorder))
    text = g_strdup_printf (_("Recording to %s"), porthole_recorder_get_path (self->recorder));
  else if (porthole_recorder_get_other_writer (self->recorder))
    text = g_strdup_printf (_("Another recorder (porthole-cli record) is writing %s"),
                            porthole_recorder_get_path (self->recorder));
  else
    text = g_strdup ("");
  /* plain text: paths and messages are never markup */
  gtk_label_set_text (self->status_label, text);
}

static void
on_queried (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(PortholeHistoryPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = porthole_journal_query_finish (result, &error);
  const char *search;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (rows == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  porthole_history_timeline_set_range (self->timeline, self->start, self->end);
  porthole_history_timeline_set_rows (self->timeline, rows);
  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  if (porthole_history_timeline_get_n_bars (self->timeline) > 0)
    gtk_stack_set_visible_child_name (self->stack, "timeline");
  else if (*search == '\0')
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "nothing");
}

void
porthole_history_page_reload (PortholeHistoryPage *self)
{
  PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;
  g_autofree char *text = NULL;
  gint64 now = g_get_real_time ();
  guint span = MIN (gtk_drop_down_get_selected (self->span_dropdown), G_N_ELEMENTS (spans_s) - 1);
  gint64 start, end;

  g_return_if_fail (PORTHOLE_IS_HISTORY_PAGE (self));
  if (self->recorder == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->last_query = g_get_monotonic_time ();

  end = now;
  start = now - spans_s[span] * G_USEC_PER_SEC;
  if (porthole_history_search_parse (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                     now, &filter, &text, &start, &end))
    end = MIN (end, now);
  self->start = start;
  self->end = MAX (end, start + G_USEC_PER_SEC);
  filter.since = self->start;
  filter.until = self->end;
  filter.limit = MAX_ROWS;
  if (porthole_history_timeline_get_n_lanes (self->timeline) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  porthole_journal_query_async (porthole_recorder_get_path (self->recorder), &filter,
                                self->cancellable, on_queried, g_object_ref (self));
}

static gboolean
on_follow (gpointer data)
{
  PortholeHistoryPage *self = data;

  self->follow_id = 0;
  porthole_history_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_batch_written (PortholeHistoryPage *self)
{
  gint64 since_ms = (g_get_monotonic_time () - self->last_query) / 1000;

  if (self->follow_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->follow_id = g_timeout_add (since_ms >= FOLLOW_MS ? 0 : (guint) (FOLLOW_MS - since_ms),
                                   on_follow, self);
}

static void
on_search_changed (PortholeHistoryPage *self)
{
  porthole_history_page_reload (self);
}

static void
on_span_changed (PortholeHistoryPage *self)
{
  porthole_history_page_reload (self);
}

static void
on_group_changed (PortholeHistoryPage *self)
{
  porthole_history_timeline_set_by_program (self->timeline,
                                            gtk_drop_down_get_selected (self->group_dropdown) == 1);
}

void
porthole_history_page_set_recorder (PortholeHistoryPage *self, PortholeRecorder *recorder)
{
  g_return_if_fail (PORTHOLE_IS_HISTORY_PAGE (self));

  if (!g_set_object (&self->recorder, recorder))
    return;
  g_signal_connect_object (recorder, "batch-written", G_CALLBACK (on_batch_written), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (recorder, "notify::error", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (recorder, "notify::writing", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (recorder, "notify::other-writer", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  update_status (self);
  porthole_history_page_reload (self);
}

static void
porthole_history_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (porthole_history_page_parent_class)->map (widget);
  /* what was recorded while another tab was shown */
  porthole_history_page_reload (PORTHOLE_HISTORY_PAGE (widget));
}

static void
porthole_history_page_dispose (GObject *object)
{
  PortholeHistoryPage *self = PORTHOLE_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->follow_id, g_source_remove);
  g_clear_object (&self->recorder);
  gtk_widget_dispose_template (GTK_WIDGET (self), PORTHOLE_TYPE_HISTORY_PAGE);
  G_OBJECT_CLASS (porthole_history_page_parent_class)->dispose (object);
}

static void
porthole_history_page_class_init (PortholeHistoryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_history_page_dispose;
  widget_class->map = porthole_history_page_map;
  g_type_ensure (PORTHOLE_TYPE_HISTORY_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PortholeHistoryPage, span_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PortholeHistoryPage, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PortholeHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PortholeHistoryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PortholeHistoryPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, PortholeHistoryPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_span_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_group_changed);
}

static void
porthole_history_page_init (PortholeHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
