/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-journal.h"

G_BEGIN_DECLS

/* What the journal says of one port, for a socket's details: when it was first and last seen
 * listening, and which other programs held it. */
typedef struct {
  guint   n_rows;
  gint64  first_seen;   /* 0 when the journal has nothing */
  gint64  last_seen;    /* 0 while one is open still */
  GStrv   others;       /* process names (escaped) other than @current, newest first, at most 5 */
} PortholeHistoryPort;

/* From rows of one port (porthole_journal_query with filter.port), @current the process that
 * holds it now (escaped, as PortholeSocket has it) or NULL */
PortholeHistoryPort *porthole_history_port_new (GPtrArray *rows, const char *current);
void                 porthole_history_port_free (PortholeHistoryPort *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeHistoryPort, porthole_history_port_free)

G_END_DECLS
