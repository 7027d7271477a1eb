/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* A porthole-cli process ($PORTHOLE_CLI) started with pipes, read line by line with deadlines,
 * for the long-running commands (watch, top) */
typedef struct {
  GPid     pid;
  int      out_fd;   /* -1 once closed */
  int      err_fd;
  GString *pending;  /* bytes read past the last line returned */
  gboolean eof;
} PortholeTestCli;

/* Starts porthole-cli with @args (NULL-terminated, without the program) */
void     porthole_test_cli_start (PortholeTestCli *cli, const char *const *args);
/* The next line of its stdout without the newline, or NULL at end of output or when
 * @timeout_ms passed */
char    *porthole_test_cli_read_line (PortholeTestCli *cli, guint timeout_ms);
/* Waits up to @timeout_ms for it to end; returns its wait status, or -1 when it still runs */
int      porthole_test_cli_wait (PortholeTestCli *cli, guint timeout_ms);
/* Kills it (if it still runs), reaps it and closes the pipes */
void     porthole_test_cli_stop (PortholeTestCli *cli);
/* A connected loopback TCP pair on a listener of the caller's: *@client and *@accepted */
void     porthole_test_tcp_pair (int listener, int *client, int *accepted);
/* Moves @to_server bytes from @client to @accepted and @to_client back, reading each side
 * completely (non-blocking, so neither side's buffers must hold it all) */
void     porthole_test_tcp_exchange (int client, int accepted, gsize to_server, gsize to_client);
/* Ends a pair the orderly way: @first shuts down its sending side, @second reads to the end
 * and closes, @first reads the end and closes */
void     porthole_test_tcp_orderly_close (int first, int second);
/* A TCP listener on 127.0.0.1, port chosen by the kernel */
int      porthole_test_tcp_listener (guint16 *port);
guint64  porthole_test_fd_inode (int fd);
/* Terminal columns of a line (UTF-8; "…" is one) */
gsize    porthole_test_cli_columns (const char *line);

G_END_DECLS
