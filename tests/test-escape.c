/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-escape"
#include "config.h"

#include "porthole-test.h"
#include "porthole-escape.h"

#include <string.h>

/* Asserts the result is valid UTF-8 with no character that could act on a terminal or
 * reorder text: the property every caller relies on. */
static void
assert_safe (const char *s)
{
  ck_assert (g_utf8_validate (s, -1, NULL));
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      ck_assert_msg (c >= 0x20 && c != 0x7f, "control U+%04X in “%s”", c, s);
      ck_assert_msg (!(c >= 0x80 && c <= 0x9f), "C1 U+%04X", c);
      ck_assert_msg (g_unichar_type (c) != G_UNICODE_FORMAT, "format char U+%04X", c);
    }
}

START_TEST (test_escape_table)
{
  static const struct { const char *in; gssize len; const char *out; } cases[] = {
    { "sshd", -1, "sshd" },
    { "", -1, "" },
    { "\x1b[31mred\x1b[0m", -1, "\\x1b[31mred\\x1b[0m" },
    { "a\tb\r\nc", -1, "a\\tb\\r\\nc" },
    { "del\x7f", -1, "del\\x7f" },
    { "nul\0after", 9, "nul\\x00after" },
    { "back\\slash", -1, "back\\\\slash" },
    { "\xc2\x9b" "2J", -1, "\\u{009B}2J" },                   /* C1 CSI as UTF-8 */
    { "\x9b" "2J", -1, "\\x9b2J" },                           /* C1 CSI as a raw byte */
    { "user\xe2\x80\xae" "txt.exe", -1, "user\\u{202E}txt.exe" }, /* RLO */
    { "a\xe2\x81\xa6" "b", -1, "a\\u{2066}b" },               /* LRI */
    { "zero\xe2\x80\x8bwidth", -1, "zero\\u{200B}width" },
    { "bom\xef\xbb\xbf", -1, "bom\\u{FEFF}" },
    { "caf\xc3\xa9", -1, "caf\xc3\xa9" },                     /* valid UTF-8 is kept */
    { "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\x82", -1, "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\x82" }, /* Hindi */
    { "cut\xe0\xa4", -1, "cut\\xe0\\xa4" },                   /* cut inside a character */
    { "\xff\xfe", -1, "\\xff\\xfe" },
    { "\xed\xa0\x80", -1, "\\xed\\xa0\\x80" },                /* UTF-16 surrogate encoded */
    { "over\xc0\xaf", -1, "over\\xc0\\xaf" },                 /* overlong '/' */
    { "line\xe2\x80\xa8sep", -1, "line\\u{2028}sep" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = porthole_escape_text (cases[i].in, cases[i].len, FALSE);

      ck_assert_msg (strcmp (out, cases[i].out) == 0, "case %zu: got “%s” want “%s”", i, out, cases[i].out);
      assert_safe (out);
    }
}
END_TEST

START_TEST (test_keep_newlines)
{
  g_autofree char *out = porthole_escape_text ("220 hello\r\nsecond\x1b", -1, TRUE);

  ck_assert_str_eq (out, "220 hello\\r\nsecond\\x1b");
}
END_TEST

START_TEST (test_clean_check)
{
  ck_assert (porthole_escape_is_clean ("nginx: worker", -1));
  ck_assert (porthole_escape_is_clean (NULL, -1));
  ck_assert (!porthole_escape_is_clean ("a\\b", -1));
  ck_assert (!porthole_escape_is_clean ("caf\xc3\xa9", -1));
  ck_assert (!porthole_escape_is_clean ("ab\0", 3));
}
END_TEST

START_TEST (test_random_bytes)
{
  /* Every byte string, escaped, is safe; and different inputs never collide into the same output */
  GRand *rand = g_rand_new_with_seed (4242);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (int round = 0; round < 5000; round++)
    {
      guint8 buf[24];
      gsize len = g_rand_int_range (rand, 0, sizeof buf);
      char *out;
      char *in_hex;
      const char *prev;

      for (gsize i = 0; i < len; i++)
        buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
      out = porthole_escape_text ((const char *) buf, (gssize) len, FALSE);
      assert_safe (out);
      in_hex = g_compute_checksum_for_data (G_CHECKSUM_SHA1, buf, len);
      prev = g_hash_table_lookup (seen, out);
      ck_assert_msg (prev == NULL || strcmp (prev, in_hex) == 0, "collision on “%s”", out);
      g_hash_table_replace (seen, out, in_hex);
    }
  g_rand_free (rand);
}
END_TEST

/* Terminal columns, for padding CLI labels in any language */
START_TEST (test_columns)
{
  static const struct { const char *text; gsize columns; } table[] = {
    { "", 0 },
    { "version", 7 },
    { "caf\xc3\xa9", 4 },                                  /* café, precomposed */
    { "cafe\xcc\x81", 4 },                                 /* e + combining acute */
    /* संस्करण ("version" in Hindi): 7 code points, of which 2 are vowel signs/virama (Mn) */
    { "\xe0\xa4\xb8\xe0\xa4\x82\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\x95\xe0\xa4\xb0\xe0\xa4\xa3", 5 },
    { "\xe7\xab\xaf\xe5\x8f\xa3", 4 },                       /* 端口: two wide characters */
    { "a\xff" "b", 3 },                                      /* a stray byte: one column */
    { "\xe0\xa4", 2 },                                      /* a cut UTF-8 sequence */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *padded = porthole_text_pad (table[i].text, 12);

      ck_assert_msg (porthole_text_columns (table[i].text) == table[i].columns, "%zu: %zu", i,
                     porthole_text_columns (table[i].text));
      ck_assert_uint_eq (porthole_text_columns (padded), 12);
      ck_assert (g_str_has_prefix (padded, table[i].text));
    }
  {
    g_autofree char *wide = porthole_text_pad ("already wider", 4);

    ck_assert_str_eq (wide, "already wider");
  }
}
END_TEST

static Suite *
escape_suite (void)
{
  Suite *s = suite_create ("escape");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_escape_table);
  tcase_add_test (tc, test_keep_newlines);
  tcase_add_test (tc, test_columns);
  tcase_add_test (tc, test_clean_check);
  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_random_bytes);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (escape_suite)
