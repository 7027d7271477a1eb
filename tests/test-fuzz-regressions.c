/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays every file under fuzz/regressions/<name>/ (inputs that once crashed a fuzzer) and
 * fuzz/corpus/<name>/ (the real-data seeds) through the same entry points the fuzzers use
 * (fuzz/fuzz-<name>.c), so a finding stays fixed in the normal and the sanitizer suites.
 * A failed promise aborts, which Check reports with the input's path on stderr. */
#define G_LOG_DOMAIN "test-fuzz-regressions"
#include "config.h"

#include "porthole-test.h"
#include "porthole-fuzz.h"

#include <stdio.h>
#include <string.h>

static const char *
fuzz_dir (void)
{
  const char *dir = g_getenv ("PORTHOLE_FUZZ_DIR");

  ck_assert_msg (dir != NULL, "PORTHOLE_FUZZ_DIR is not set (run through meson test)");
  return dir;
}

static const PortholeFuzzTarget *
find_target (const char *name)
{
  for (const PortholeFuzzTarget *t = porthole_fuzz_targets; t->name; t++)
    if (strcmp (t->name, name) == 0)
      return t;
  return NULL;
}

/* Replays the files of @kind/@target->name; returns how many there were. */
static guint
replay (const PortholeFuzzTarget *target, const char *kind)
{
  g_autofree char *path = g_build_filename (fuzz_dir (), kind, target->name, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;

      ck_assert_msg (g_file_get_contents (file, &contents, &len, &error), "%s", error ? error->message : file);
      /* named before the call: an abort inside shows which input it was */
      fprintf (stderr, "# %s\n", file);
      ck_assert_int_eq (target->func ((const guint8 *) contents, len), 0);
      n++;
    }
  return n;
}

START_TEST (test_replay)
{
  const PortholeFuzzTarget *target = &porthole_fuzz_targets[_i];
  guint seeds = replay (target, "corpus");

  replay (target, "regressions");
  /* every fuzzer starts from real data */
  ck_assert_msg (seeds > 0, "fuzz/corpus/%s/ is empty", target->name);
}
END_TEST

/* A directory or a fuzz-*.c that names no entry point would be skipped silently otherwise. */
START_TEST (test_every_name_known)
{
  static const char * const kinds[] = { "corpus", "regressions" };
  g_autoptr(GDir) sources = g_dir_open (fuzz_dir (), 0, NULL);
  const char *name;

  ck_assert (sources != NULL);
  while ((name = g_dir_read_name (sources)) != NULL)
    if (g_str_has_prefix (name, "fuzz-") && g_str_has_suffix (name, ".c"))
      {
        g_autofree char *target = g_strndup (name + 5, strlen (name) - 7);

        ck_assert_msg (find_target (target) != NULL,
                       "fuzz/%s is missing from porthole_fuzz_targets[]", name);
      }
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *path = g_build_filename (fuzz_dir (), kinds[k], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        ck_assert_msg (find_target (name) != NULL, "fuzz/%s/%s names no fuzz target", kinds[k], name);
    }
}
END_TEST

static Suite *
fuzz_regressions_suite (void)
{
  Suite *s = suite_create ("fuzz-regressions");
  TCase *tc = tcase_create ("replay");
  guint n = 0;

  while (porthole_fuzz_targets[n].name != NULL)
    n++;
  /* the seeds include a whole /etc/services: generous for a sanitizer build */
  tcase_set_timeout (tc, 60);
  tcase_add_loop_test (tc, test_replay, 0, (int) n);
  tcase_add_test (tc, test_every_name_known);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (fuzz_regressions_suite)
