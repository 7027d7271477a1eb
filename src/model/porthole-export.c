/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-export.h"

#include "porthole-socket-fields.h"

#include <json-glib/json-glib.h>
#include <string.h>

char *
porthole_export_csv_field (const char *value)
{
  GString *out;

  if (value == NULL)
    return g_strdup ("");
  if (strpbrk (value, ",\"\r\n") == NULL && value[0] != ' ' &&
      (value[0] == '\0' || value[strlen (value) - 1] != ' '))
    return g_strdup (value);

  out = g_string_new ("\"");
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static GBytes *
to_csv (GPtrArray *rows)
{
  GString *out = g_string_new (NULL);
  guint n_fields;
  const PortholeSocketField *fields = porthole_socket_fields (&n_fields);

  for (guint f = 0; f < n_fields; f++)
    g_string_append_printf (out, "%s%s", f ? "," : "", fields[f].name);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < rows->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rows, i);

      for (guint f = 0; f < n_fields; f++)
        {
          if (f)
            g_string_append_c (out, ',');
          if (fields[f].get_string || fields[f].get_text)
            {
              char buf[PORTHOLE_SOCKET_FIELD_TEXT_SIZE];
              g_autofree char *field = porthole_export_csv_field (fields[f].get_string
                                                                    ? fields[f].get_string (s)
                                                                    : fields[f].get_text (s, buf));

              g_string_append (out, field);
            }
          else
            {
              gboolean is_null = FALSE;
              gint64 v = fields[f].get_int (s, &is_null);

              if (!is_null)
                g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
            }
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free_to_bytes (out);
}

static GBytes *
to_json (GPtrArray *rows)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonBuilder) row = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  char *text;

  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    json_builder_add_value (b, porthole_socket_to_json (g_ptr_array_index (rows, i), row));
  json_builder_end_array (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static GPtrArray *
snapshot (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  GPtrArray *rows = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, g_list_model_get_item (model, i));
  return rows;
}

static GBytes *
format_rows (GPtrArray *rows, PortholeExportFormat format)
{
  return format == PORTHOLE_EXPORT_JSON ? to_json (rows) : to_csv (rows);
}

GBytes *
porthole_export_to_bytes (GListModel *model, PortholeExportFormat format)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  rows = snapshot (model);
  return format_rows (rows, format);
}

PortholeExportFormat
porthole_export_format_for_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;

  return lower && g_str_has_suffix (lower, ".json") ? PORTHOLE_EXPORT_JSON : PORTHOLE_EXPORT_CSV;
}

typedef struct {
  GPtrArray            *rows;
  PortholeExportFormat  format;
  GFile                *file;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *sd = data;

  g_ptr_array_unref (sd->rows);
  g_object_unref (sd->file);
  g_free (sd);
}

static void
save_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveData *sd = task_data;
  g_autoptr(GBytes) bytes = format_rows (sd->rows, sd->format);
  GError *error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!g_file_replace_contents (sd->file, data, len, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, sd->rows->len);
}

void
porthole_export_save_async (GListModel           *model,
                            PortholeExportFormat  format,
                            GFile                *file,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *sd;

  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (G_IS_FILE (file));

  sd = g_new0 (SaveData, 1);
  sd->rows = snapshot (model);
  sd->format = format;
  sd->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, porthole_export_save_async);
  g_task_set_task_data (task, sd, save_data_free);
  g_task_run_in_thread (task, save_worker);
}

gssize
porthole_export_save_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  return g_task_propagate_int (G_TASK (result), error);
}
