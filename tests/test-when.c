/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-when"
#include "config.h"

#include "porthole-net-error.h"
#include "porthole-test.h"
#include "porthole-when.h"

#include <string.h>

/* porthole_when_parse: what people type for --since/--until and in the History search */

#define S G_GINT64_CONSTANT (1000000)
/* 2026-12-02T17:00:00Z */
#define NOW (G_GINT64_CONSTANT (1796230800) * S)

START_TEST (test_durations)
{
  static const struct { const char *text; gint64 back; } cases[] = {
    { "7d", 7 * 86400 * S }, { "12h", 12 * 3600 * S }, { "30m", 30 * 60 * S },
    { "45s", 45 * S }, { "2w", 14 * 86400 * S }, { "1d12h", 36 * 3600 * S },
    { " 7D ", 7 * 86400 * S }, { "0s", 0 }, { "now", 0 },
  };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t = 0;

      ck_assert_msg (porthole_when_parse (cases[i].text, NOW, utc, &t, &error), "%s: %s",
                     cases[i].text, error ? error->message : "");
      ck_assert_int_eq (t, NOW - cases[i].back);
    }
}
END_TEST

START_TEST (test_dates)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_identifier ("+02:00");
  static const struct { const char *text; gint64 start, end; } cases[] = {
    { "2026-12-01", 1796083200 * S, 1796169600 * S },
    { "2026-12-01T10:00", 1796119200 * S, 1796119200 * S },
    { "2026-12-01 10:00:30", 1796119230 * S, 1796119230 * S },
    { "2026-12-01t10:00:00z", 1796119200 * S, 1796119200 * S },
    { "2026-12-01T12:00:00+02:00", 1796119200 * S, 1796119200 * S },
    { "today", 1796169600 * S, 1796256000 * S },
    { "Yesterday", 1796083200 * S, 1796169600 * S },
  };
  gint64 start, end;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      ck_assert_msg (porthole_when_parse_range (cases[i].text, NOW, utc, &start, &end, &error),
                     "%s: %s", cases[i].text, error ? error->message : "");
      ck_assert_msg (start == cases[i].start && end == cases[i].end, "%s: %" G_GINT64_FORMAT
                     " %" G_GINT64_FORMAT, cases[i].text, start, end);
    }
  /* no zone: the given one (local by default) */
  ck_assert (porthole_when_parse ("2026-12-01T12:00", NOW, plus2, &start, NULL));
  ck_assert_int_eq (start, 1796119200 * S);
  /* yesterday on the first of a month */
  ck_assert (porthole_when_parse ("yesterday", 1793491200 * S + 3600 * S, utc, &start, NULL));
  ck_assert_int_eq (start, 1793491200 * S - 86400 * S);
}
END_TEST

START_TEST (test_bad_input)
{
  static const char *const bad[] = {
    "", " ", "7", "d", "7x", "-7d", "7d-", "7 d", "1.5h", "99999999999999999999d",
    "5000000w", "2026-13-01", "2026-02-30", "2026-12-01T25:00", "tomorrowish", "8080",
    "2026-12-01T10:00:00Zjunk", "\x1b[31m7d", "7d\x01", "2026-12-01\xff", "yesterday; DROP",
  };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t = 0;

      ck_assert_msg (!porthole_when_parse (bad[i], NOW, utc, &t, &error), "accepted %s", bad[i]);
      ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      ck_assert_msg (strchr (error->message, '\n') == NULL && strchr (error->message, '\x1b') == NULL,
                     "%s", error->message);
    }
}
END_TEST

static Suite *
when_suite (void)
{
  Suite *s = suite_create ("when");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_durations);
  tcase_add_test (tc, test_dates);
  tcase_add_test (tc, test_bad_input);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (when_suite)
