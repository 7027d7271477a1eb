/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-sockinfo.h"

G_BEGIN_DECLS

/* One socket as `ss -tuanpeHO` (or plain `ss -tuanpH`) printed it on a remote machine that has
 * no porthole-cli: the row, and the first program that holds it. */
typedef struct {
  PortholeSockInfo info;
  int              pid;        /* 0 when ss showed no program */
  char            *process;    /* raw (escape before display), at most 15 bytes as comm, or NULL */
} PortholeSsRow;

void porthole_ss_row_clear (PortholeSsRow *row);

/* Rows at the most, whatever the input: remote output is untrusted and may never end */
#define PORTHOLE_SS_MAX_ROWS 1000000

/* Parses one line of `ss -tuanp[e]HO` output (tcp and udp, any state, IPv4 and IPv6); FALSE
 * for anything else (a header, another protocol, junk). Never reads past @len. */
gboolean porthole_ss_parse_line (const char *line, gsize len, PortholeSsRow *out);

/* Every line of @text; appends good rows to @rows (a GArray of PortholeSsRow with
 * porthole_ss_row_clear as its clear func), counts the others in @n_bad, stops at
 * PORTHOLE_SS_MAX_ROWS rows. Returns the number of rows appended. */
guint    porthole_ss_parse (const char *text, gsize len, GArray *rows, guint *n_bad);

/* A new array for porthole_ss_parse */
GArray  *porthole_ss_rows_new (void);

G_END_DECLS
