/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <check.h>
#include <glib.h>

G_BEGIN_DECLS

/* Every Check executable reports TAP on stdout (meson: protocol 'tap'). */
#define PORTHOLE_TEST_MAIN(make_suite)                                  \
  int main (void)                                                       \
  {                                                                     \
    SRunner *sr = srunner_create (make_suite ());                       \
    int failed;                                                         \
    srunner_set_tap (sr, "/dev/stdout");                                \
    srunner_run_all (sr, CK_SILENT);                                    \
    failed = srunner_ntests_failed (sr);                                \
    srunner_free (sr);                                                  \
    return failed == 0 ? 0 : 1;                                         \
  }

/* Same, without forking: for GTK tests (a forked GTK process is not safe). */
#define PORTHOLE_TEST_MAIN_NOFORK(make_suite)                           \
  int main (void)                                                       \
  {                                                                     \
    SRunner *sr = srunner_create (make_suite ());                       \
    int failed;                                                         \
    srunner_set_fork_status (sr, CK_NOFORK);                            \
    srunner_set_tap (sr, "/dev/stdout");                                \
    srunner_run_all (sr, CK_SILENT);                                    \
    failed = srunner_ntests_failed (sr);                                \
    srunner_free (sr);                                                  \
    return failed == 0 ? 0 : 1;                                         \
  }

/* Path of a file in tests/fixtures. */
char *porthole_test_fixture (const char *name);
/* Every file in tests/fixtures/@subdir is named by one of @n_cases entries of a table of
 * structs (@stride bytes each) whose const char * at @name_offset is the file name, and there
 * are no more entries than files: no fixture is left without an expected result. */
void  porthole_test_assert_fixtures_listed (const char *subdir, gconstpointer cases, gsize n_cases,
                                            gsize stride, gsize name_offset);

/* Runs the main loop until *@flag becomes TRUE or @timeout_ms passes; returns *@flag. */
gboolean porthole_test_wait_for (gboolean *flag, guint timeout_ms);
/* Iterates the default main context for @ms milliseconds. */
void porthole_test_spin (guint ms);

/* Enters a new, private network namespace (loopback up) in the calling process. Tries a plain
 * unshare(CLONE_NEWNET) (root), then a user namespace. Returns FALSE with a reason if neither works. */
gboolean porthole_test_enter_netns (char **reason);

G_END_DECLS
