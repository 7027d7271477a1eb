/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the contract in DESIGN.md */
enum {
  PORTHOLE_CLI_OK = 0,        /* success (probe: open) */
  PORTHOLE_CLI_NEGATIVE = 1,  /* ran, but the answer is negative */
  PORTHOLE_CLI_BAD_INPUT = 2, /* bad input: one line on stderr naming the bad part */
};

/* Each subcommand: argv[0] is the subcommand name. Returns the exit status. */
int porthole_cli_list (int argc, char **argv);
int porthole_cli_probe (int argc, char **argv);
int porthole_cli_scan (int argc, char **argv);
int porthole_cli_serve (int argc, char **argv);
int porthole_cli_explain (int argc, char **argv);
int porthole_cli_watch (int argc, char **argv);
int porthole_cli_top (int argc, char **argv);
/* the history journal: porthole-cli-record.c, porthole-cli-history.c */
int porthole_cli_record (int argc, char **argv);
int porthole_cli_history (int argc, char **argv);
/* list --host/--hosts-file (porthole-cli-hosts.c) */
int porthole_cli_list_hosts (const char *const *hosts, const char *hosts_file,
                             gboolean all, gboolean tcp, gboolean udp, gboolean json);

/* Prints "porthole-cli: <message>" on one line to stderr and returns PORTHOLE_CLI_BAD_INPUT. */
int porthole_cli_bad_input (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Parses the options of a subcommand; on error prints one line and returns FALSE. */
gboolean porthole_cli_parse (GOptionContext *context, int *argc, char ***argv);
/* Writes @node as pretty JSON plus a newline to stdout. */
void porthole_cli_print_json (gpointer json_node);

G_END_DECLS
