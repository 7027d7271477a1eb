/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-history-summary.h"

#include "porthole-history-port.h"

#include <glib/gi18n.h>

struct _PortholeHistorySummary {
  AdwBin            parent_instance;

  GtkLabel         *label;
  PortholeRecorder *recorder;
  GCancellable     *cancellable;
  char             *current;   /* the socket's process */
  guint             port;
};

G_DEFINE_FINAL_TYPE (PortholeHistorySummary, porthole_history_summary, ADW_TYPE_BIN)

GtkWidget *
porthole_history_summary_new (void)
{
  return g_object_new (PORTHOLE_TYPE_HISTORY_SUMMARY, NULL);
}

const char *
porthole_history_summary_get_text (PortholeHistorySummary *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self)) ? gtk_label_get_text (self->label) : NULL;
}

static char *
day_and_time (gint64 usec)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return t ? g_date_time_format (t, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static void
on_queried (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(PortholeHistorySummary) self = data;
  g_autoptr(GPtrArray) rows = porthole_journal_query_finish (result, NULL);
  g_autoptr(PortholeHistoryPort) summary = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GString) text = NULL;

  /* cancelled, unreadable or empty: nothing to say */
  if (rows == NULL || rows->len == 0 || g_cancellable_is_cancelled (self->cancellable))
    {
      if (rows != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  summary = porthole_history_port_new (rows, self->current);
  first = day_and_time (summary->first_seen);
  last = summary->last_seen == 0 ? g_strdup (_("now")) : day_and_time (summary->last_seen);
  text = g_string_new (NULL);
  /* Translators: a port, then two times (the second may be "now") */
  g_string_printf (text, _("History of port %u: first seen %s, last seen %s"), self->port, first, last);
  if (summary->others[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", summary->others);

      /* Translators: program names follow */
      g_string_append_printf (text, _("; also held by %s"), names);
    }
  gtk_label_set_text (self->label, text->str);   /* names are escaped plain text */
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
query (PortholeHistorySummary *self)
{
  PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->recorder == NULL || self->port == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  self->cancellable = g_cancellable_new ();
  filter.port = (int) self->port;
  filter.limit = 1000;
  porthole_journal_query_async (porthole_recorder_get_path (self->recorder), &filter,
                                self->cancellable, on_queried, g_object_ref (self));
}

void
porthole_history_summary_set_recorder (PortholeHistorySummary *self, PortholeRecorder *recorder)
{
  g_return_if_fail (PORTHOLE_IS_HISTORY_SUMMARY (self));
  if (g_set_object (&self->recorder, recorder))
    query (self);
}

void
porthole_history_summary_set_socket (PortholeHistorySummary *self, PortholeSocket *socket)
{
  g_return_if_fail (PORTHOLE_IS_HISTORY_SUMMARY (self));
  g_free (self->current);
  self->current = socket ? g_strdup (porthole_socket_get_process (socket)) : NULL;
  self->port = socket && porthole_socket_is_listening (socket)
                 ? porthole_socket_get_local_port (socket) : 0;
  query (self);
}

static void
porthole_history_summary_dispose (GObject *object)
{
  PortholeHistorySummary *self = PORTHOLE_HISTORY_SUMMARY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->current, g_free);
  G_OBJECT_CLASS (porthole_history_summary_parent_class)->dispose (object);
}

static void
porthole_history_summary_class_init (PortholeHistorySummaryClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = porthole_history_summary_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-history-summary.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeHistorySummary, label);
}

static void
porthole_history_summary_init (PortholeHistorySummary *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
