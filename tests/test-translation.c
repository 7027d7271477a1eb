/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-translation"
#include "config.h"

#include "porthole-test.h"
#include "porthole-test-gtk.h"
#include "porthole-application.h"
#include "porthole-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

/* The window's tabs: AdwViewStack page name and the English title in porthole-window.ui */
static const struct
{
  const char *name;
  const char *english;
} tabs[] = {
  { "listening", "Listening" },
  { "connections", "Connections" },
  { "test", "Test" },
  { "learn", "Learn" },
};

/* As main.c does, but with LANGUAGE=hi and the catalogue the build made in <build>/po.
 * LANGUAGE is ignored when LC_MESSAGES is "C", so the locale is C.UTF-8, which glibc always
 * has (no hi_IN locale needs to be generated on the machine). */
static void
use_hindi (void)
{
  g_autofree char *localedir = g_build_filename (g_getenv ("PORTHOLE_BUILD_ROOT"), "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "hi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  ck_assert_msg (g_file_test (mo, G_FILE_TEST_IS_REGULAR), "the build made no %s", mo);
  g_setenv ("LANGUAGE", "hi", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  gtk_disable_setlocale ();
  ck_assert_ptr_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static gboolean
is_devanagari (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x0900 && c <= 0x097F)
        return TRUE;
    }
  return FALSE;
}

static gboolean
label_is (GtkWidget *w, gconstpointer text)
{
  return GTK_IS_LABEL (w) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), text) == 0;
}

START_TEST (test_tabs_in_hindi)
{
  g_autoptr(PortholeApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  PortholeWindow *window;
  AdwViewStack *stack;

  use_hindi ();
  app = porthole_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  ck_assert_msg (g_application_register (G_APPLICATION (app), NULL, &error), "register: %s",
                 error ? error->message : "");
  window = porthole_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  porthole_test_spin (300);

  stack = ADW_VIEW_STACK (porthole_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, 0));
  ck_assert_ptr_nonnull (stack);
  for (gsize i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      /* The catalogue's string, not one written here: the test follows po/hi.po */
      const char *expected = g_dgettext (GETTEXT_PACKAGE, tabs[i].english);
      GtkWidget *child = adw_view_stack_get_child_by_name (stack, tabs[i].name);
      AdwViewStackPage *page;

      ck_assert_msg (child != NULL, "no %s tab", tabs[i].name);
      ck_assert_msg (g_strcmp0 (expected, tabs[i].english) != 0, "hi.mo does not translate “%s”",
                     tabs[i].english);
      ck_assert_msg (is_devanagari (expected), "“%s” is not Hindi", expected);
      page = adw_view_stack_get_page (stack, child);
      ck_assert_str_eq (adw_view_stack_page_get_title (page), expected);
      /* ... and the view switcher in the header bar (or the bottom bar) shows it */
      ck_assert_msg (porthole_test_find_matching (GTK_WIDGET (window), label_is, expected) != NULL, "no label shows “%s”",
                     expected);
    }

  /* Plural forms come from the header (nplurals=2; plural=(n != 1)) */
  ck_assert_str_ne (g_dngettext (GETTEXT_PACKAGE, "%u socket", "%u sockets", 2), "%u sockets");
  ck_assert_str_ne (g_dngettext (GETTEXT_PACKAGE, "%u socket", "%u sockets", 1), "%u socket");

  gtk_window_destroy (GTK_WINDOW (window));
  porthole_test_spin (50);
}
END_TEST

static Suite *
translation_suite (void)
{
  Suite *s = suite_create ("translation");
  TCase *tc = tcase_create ("hi");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_tabs_in_hindi);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN_NOFORK (translation_suite)
