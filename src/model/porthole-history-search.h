/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-journal.h"

G_BEGIN_DECLS

/* What the History tab's search means, one word for each kind of question:
 *   "8080"                         a port (a number up to 65535)
 *   "yesterday", "today", "7d", "2026-12-01"   a time: listeners open then
 *   anything else ("postgres")     text in the process, executable, unit, container or address
 * Several words combine ("postgres yesterday"). The filter's strings point into @out_text
 * (free it after the filter). Returns TRUE when a time was given: *@start and *@end then
 * bound it, and the timeline should show that span. */
gboolean porthole_history_search_parse (const char            *search,
                                        gint64                 now,
                                        PortholeJournalFilter *filter,
                                        char                 **out_text,
                                        gint64                *start,
                                        gint64                *end);

G_END_DECLS
