/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A point in time as people write it for `porthole-cli history --since/--until` and the
 * History tab's search:
 *   a duration back from @now: "7d", "12h", "30m", "45s", "2w", or several ("1d12h");
 *   a date or date and time in ISO 8601: "2026-12-01", "2026-12-01T10:00", "2026-12-01 10:00:00",
 *   "2026-12-01T10:00:00Z", "...+02:00" (local time when no zone is given);
 *   "now", "today" (local midnight), "yesterday" (the local midnight before).
 * On success *@out is microseconds since the Unix epoch. Otherwise FALSE with
 * PORTHOLE_NET_ERROR_INVALID and a one-line message that quotes the bad text (escaped,
 * shortened). @tz: the time zone of dates without one (NULL: local). */
gboolean porthole_when_parse (const char *text,
                              gint64      now,
                              GTimeZone  *tz,
                              gint64     *out,
                              GError    **error);

/* For words that name a whole day ("today", "yesterday", a bare date), *@end gets the end of
 * that day (exclusive); for anything else it gets @start's own time. Same input as above. */
gboolean porthole_when_parse_range (const char *text,
                                    gint64      now,
                                    GTimeZone  *tz,
                                    gint64     *start,
                                    gint64     *end,
                                    GError    **error);

G_END_DECLS
