/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  PORTHOLE_EXPORT_CSV,
  PORTHOLE_EXPORT_JSON,
} PortholeExportFormat;

/* Writes the PortholeSocket rows of @model, in order, with the same fields as
 * `porthole-cli list --json` (protocol, family, state, local_address, local_port, remote_address,
 * remote_port, inode, uid, user, pid, process, range, service). CSV has a header line and
 * RFC 4180 quoting; unknown values are empty in CSV and null in JSON. */
GBytes *porthole_export_to_bytes (GListModel *model, PortholeExportFormat format);

/* One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces. */
char   *porthole_export_csv_field (const char *value);

/* ".json" means JSON; anything else CSV. */
PortholeExportFormat porthole_export_format_for_file (GFile *file);

/* Takes a snapshot of @model's rows now, then formats and writes them in a worker thread. */
void     porthole_export_save_async (GListModel           *model,
                                     PortholeExportFormat  format,
                                     GFile                *file,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
/* Returns the number of rows written, or -1 with @error set */
gssize   porthole_export_save_finish (GAsyncResult  *result,
                                      GError       **error);

G_END_DECLS
