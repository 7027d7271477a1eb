/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The floor for bench/startup.sh: the least a libadwaita app with Porthole's window shape can
 * do at start-up (an AdwApplicationWindow, a header bar with a view switcher title over a view
 * stack of four pages and a view switcher bar), so porthole's launch-to-mapped time can be
 * read as a ratio of it. Built only for the bench. */
#define G_LOG_DOMAIN "bench-bare-window"
#include "config.h"

#include <adwaita.h>

static void
on_activate (GApplication *app)
{
  static const char * const pages[] = { "Listening", "Connections", "Test", "Learn" };
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_view_switcher_title_new ();
  GtkWidget *stack = adw_view_stack_new ();
  GtkWidget *bar = adw_view_switcher_bar_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    adw_view_stack_add_titled (ADW_VIEW_STACK (stack), adw_status_page_new (), pages[i], pages[i]);
  gtk_widget_set_vexpand (stack, TRUE);
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (title), ADW_VIEW_STACK (stack));
  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (bar), ADW_VIEW_STACK (stack));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), stack);
  gtk_box_append (GTK_BOX (box), bar);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Bare");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);   /* as porthole-window.ui */
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.porthole.BenchBareWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
