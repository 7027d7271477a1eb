/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "porthole-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(PortholeApplication) app = NULL;
  /* PORTHOLE_LOCALEDIR=_build/po finds the built catalogues of an uninstalled build, of either
   * profile: distributions run the tests on release builds. It is an environment override like
   * GSETTINGS_SCHEMA_DIR or LANGUAGE, and crosses no privilege boundary (no setuid here). */
  const char *localedir = g_getenv ("PORTHOLE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = porthole_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
