/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fuzz entry points, one per parser. Each takes arbitrary bytes, must never crash, leak or
 * read out of bounds, and checks the parser's promises with porthole_fuzz_assert(), which
 * aborts (a libFuzzer finding; a failed Check test when replayed). They return 0. */
typedef int (*PortholeFuzzFunc) (const guint8 *data, gsize size);

typedef struct {
  const char       *name;   /* fuzz/corpus/<name>/, fuzz/regressions/<name>/, fuzz-<name> */
  PortholeFuzzFunc  func;
} PortholeFuzzTarget;

int porthole_fuzz_cgroup (const guint8 *data, gsize size);
int porthole_fuzz_destroy (const guint8 *data, gsize size);
int porthole_fuzz_container_json (const guint8 *data, gsize size);
int porthole_fuzz_escape (const guint8 *data, gsize size);
int porthole_fuzz_forwarder (const guint8 *data, gsize size);
int porthole_fuzz_port (const guint8 *data, gsize size);
int porthole_fuzz_port_lookup (const guint8 *data, gsize size);
int porthole_fuzz_portlist (const guint8 *data, gsize size);
int porthole_fuzz_procnet_file (const guint8 *data, gsize size);
int porthole_fuzz_procnet_line (const guint8 *data, gsize size);
int porthole_fuzz_remote (const guint8 *data, gsize size);
int porthole_fuzz_services (const guint8 *data, gsize size);
int porthole_fuzz_sockdiag (const guint8 *data, gsize size);
int porthole_fuzz_ss (const guint8 *data, gsize size);
int porthole_fuzz_ssh_config (const guint8 *data, gsize size);
int porthole_fuzz_target (const guint8 *data, gsize size);
int porthole_fuzz_when (const guint8 *data, gsize size);

/* Every target, NULL-terminated (the regression test replays each one's inputs). */
extern const PortholeFuzzTarget porthole_fuzz_targets[];

/* Unlike g_assert(), never compiled out, and names the failed promise on stderr. */
#define porthole_fuzz_assert(expr)                                                    \
  G_STMT_START {                                                                      \
    if (G_UNLIKELY (!(expr)))                                                         \
      porthole_fuzz_fail (__FILE__, __LINE__, #expr);                                 \
  } G_STMT_END

G_NORETURN void porthole_fuzz_fail (const char *file, int line, const char *expr);

/* The input as a NUL-terminated string (cut at the first NUL, as a C caller would see it). */
char *porthole_fuzz_strndup (const guint8 *data, gsize size);

/* The input from byte @skip on, in a heap block of exactly that size (so that reading one byte
 * past it is an ASan report), never NULL. */
gpointer porthole_fuzz_copy (const guint8 *data, gsize size, gsize skip);

/* @message is one line of valid UTF-8 without control or format characters, at most @max bytes. */
void porthole_fuzz_assert_clean_line (const char *message, gsize max);

G_END_DECLS
