/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the long-running commands (watch, top) share: ending cleanly on a signal or a closed
 * output, and reading --interval. */

/* SIGINT, SIGTERM and SIGHUP quit @loop; SIGWINCH calls @on_resize (may be NULL) on the main
 * loop; SIGPIPE is ignored, so a closed pipe is EPIPE from write(). The handlers are installed
 * without SA_RESTART, so a write blocked on a full pipe returns when one arrives. */
void     porthole_cli_session_start (GMainLoop *loop, GSourceFunc on_resize, gpointer data);
/* TRUE once a quitting signal arrived */
gboolean porthole_cli_session_quitting (void);
/* Quits the loop when stdout is a pipe or socket whose reader went away, even while nothing is
 * being written */
void     porthole_cli_session_watch_stdout (GMainLoop *loop);
/* Writes all of @len bytes to @fd (blocking, so a slow reader holds the writer back and the
 * buffer stays bounded); FALSE when the output is gone (EPIPE, any error) or a signal asked to
 * quit */
gboolean porthole_cli_write_all (int fd, const char *buf, gsize len);

/* --interval MS: NULL gives @fallback; anything but a whole number of milliseconds from
 * PORTHOLE_CLI_INTERVAL_MIN to PORTHOLE_CLI_INTERVAL_MAX is bad input (one line on stderr,
 * FALSE) */
#define PORTHOLE_CLI_INTERVAL_MIN 100
#define PORTHOLE_CLI_INTERVAL_MAX 3600000
gboolean porthole_cli_parse_interval (const char *text, guint fallback, guint *interval_ms);

G_END_DECLS
