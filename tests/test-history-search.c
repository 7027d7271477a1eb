/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-history-search"
#include "config.h"

#include "porthole-history-port.h"
#include "porthole-history-search.h"
#include "porthole-test.h"

#include <string.h>

/* The History tab's search words and the details pane's summary of a port */

#define S G_GINT64_CONSTANT (1000000)
#define NOW (G_GINT64_CONSTANT (1796230800) * S)

START_TEST (test_search_words)
{
  PortholeJournalFilter filter = PORTHOLE_JOURNAL_FILTER_INIT;
  g_autofree char *text = NULL;
  gint64 start = 0, end = 0;

  ck_assert (!porthole_history_search_parse ("8080", NOW, &filter, &text, &start, &end));
  ck_assert_int_eq (filter.port, 8080);
  ck_assert_ptr_null (filter.text);
  g_clear_pointer (&text, g_free);

  ck_assert (!porthole_history_search_parse ("postgres", NOW, &filter, &text, &start, &end));
  ck_assert_int_eq (filter.port, -1);
  ck_assert_str_eq (filter.text, "postgres");
  g_clear_pointer (&text, g_free);

  ck_assert (porthole_history_search_parse ("7d", NOW, &filter, &text, &start, &end));
  ck_assert_int_eq (start, NOW - 7 * 86400 * S);
  ck_assert_int_eq (end, NOW);
  g_clear_pointer (&text, g_free);

  ck_assert (porthole_history_search_parse (" postgres  yesterday 5432 ", NOW, &filter, &text,
                                            &start, &end));
  ck_assert_int_eq (filter.port, 5432);
  ck_assert_str_eq (filter.text, "postgres");
  ck_assert_int_eq (end - start, 86400 * S);
  g_clear_pointer (&text, g_free);

  /* a number too large for a port is text; quotes are just text */
  ck_assert (!porthole_history_search_parse ("70000 it's", NOW, &filter, &text, &start, &end));
  ck_assert_int_eq (filter.port, -1);
  ck_assert_str_eq (filter.text, "70000 it's");
  g_clear_pointer (&text, g_free);

  ck_assert (!porthole_history_search_parse ("", NOW, &filter, &text, &start, &end));
  ck_assert_ptr_null (filter.text);
  ck_assert_int_eq (filter.port, -1);
}
END_TEST

static PortholeJournalListener *
row (const char *process, gint64 opened, gint64 closed)
{
  PortholeJournalListener *l = porthole_journal_listener_new ();

  l->process = g_strdup (process);
  l->opened = opened;
  l->closed = closed;
  return l;
}

START_TEST (test_port_summary)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) porthole_journal_listener_free);
  g_autoptr(PortholeHistoryPort) summary = NULL;
  g_autoptr(PortholeHistoryPort) closed = NULL;

  g_ptr_array_add (rows, row ("python3", 100, 200));
  g_ptr_array_add (rows, row ("ruby\x1b", 300, 400));
  g_ptr_array_add (rows, row ("python3", 500, 600));
  g_ptr_array_add (rows, row ("node", 700, 0));
  summary = porthole_history_port_new (rows, "node");
  ck_assert_int_eq (summary->first_seen, 100);
  ck_assert_int_eq (summary->last_seen, 0);   /* open now */
  ck_assert_uint_eq (g_strv_length (summary->others), 2);
  ck_assert_str_eq (summary->others[0], "python3");   /* newest first, once each */
  ck_assert_str_eq (summary->others[1], "ruby\\x1b");  /* escaped */

  g_ptr_array_set_size (rows, 3);
  closed = porthole_history_port_new (rows, NULL);
  ck_assert_int_eq (closed->last_seen, 600);
  ck_assert_uint_eq (g_strv_length (closed->others), 2);
}
END_TEST

static Suite *
history_search_suite (void)
{
  Suite *s = suite_create ("history-search");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_search_words);
  tcase_add_test (tc, test_port_summary);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (history_search_suite)
