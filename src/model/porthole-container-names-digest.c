/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-container-names-private.h"

#include "porthole-escape.h"

#include <glib/gi18n.h>

static const char *
display_name (const char *runtime)
{
  return g_str_equal (runtime, "docker") ? "Docker" : "Podman";
}

/* One sentence per state, the same every refresh, so "problem" changes only when the state does */
static char *
problem_for (const char *runtime, const char *where, const GError *error, guint timeout_ms,
             gsize max_bytes)
{
  const char *name = display_name (runtime);
  g_autofree char *path = porthole_escape_text (where, -1, FALSE);

  if (error == NULL)
    return g_strdup_printf (_("%s answered with something that is not a container list (%s)"),
                            name, path);
  /* The sandbox hides the host's runtime sockets: "not running" would be a guess */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
      && g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return g_strdup_printf (_("%s cannot be seen from inside the Flatpak sandbox (%s)"),
                            name, path);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup_printf (_("%s is not running (nothing answers at %s)"), name, path);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_strdup_printf (
      _("%s does not let this user ask for container names (permission denied on %s)"),
      name, path);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup_printf (_("%s timed out: no answer from %s within %.1f s"), name, path,
                            timeout_ms / 1000.0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      g_autofree char *size = g_format_size_full (max_bytes, G_FORMAT_SIZE_IEC_UNITS);

      return g_strdup_printf (_("%s's container list is too large (over %s, from %s)"), name,
                              size, path);
    }
  {
    g_autofree char *detail = porthole_escape_text (error->message, -1, FALSE);

    return g_strdup_printf (_("%s could not be asked for container names (%s: %s)"), name, path,
                            detail);
  }
}

static gboolean
parse_body (GBytes *body, const char *runtime, GPtrArray *infos)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  return porthole_container_names_parse_api (data, length, runtime, infos);
}

char *
porthole_container_names_digest (const char   *runtime,
                                 const char   *socket_path,
                                 const char   *storage_path,
                                 GBytes       *body,
                                 const GError *error,
                                 guint         timeout_ms,
                                 gsize         max_bytes,
                                 GPtrArray    *infos)
{
  g_autoptr(GError) file_error = NULL;
  g_autoptr(GBytes) file = NULL;
  gboolean absent;
  gsize length;
  const char *data;

  if (body != NULL && parse_body (body, runtime, infos))
    return NULL;
  if (storage_path == NULL)
    return problem_for (runtime, socket_path, error, timeout_ms, max_bytes);

  /* Rootless Podman without its API service (the usual case): its storage still names every
   * container, without ports */
  absent = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  file = porthole_container_names_read_file (storage_path, max_bytes, &file_error);
  if (file == NULL)
    {
      /* No storage either: say why the API gave nothing */
      if (g_error_matches (file_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) || !absent)
        return problem_for (runtime, socket_path, error, timeout_ms, max_bytes);
      return problem_for (runtime, storage_path, file_error, timeout_ms, max_bytes);
    }
  data = g_bytes_get_data (file, &length);
  if (!porthole_container_names_parse_storage (data, length, infos))
    {
      if (!absent)
        return problem_for (runtime, socket_path, error, timeout_ms, max_bytes);
      return problem_for (runtime, storage_path, NULL, timeout_ms, max_bytes);
    }
  /* Names came from the storage; a service that is there but failed still costs the ports */
  return absent ? NULL : problem_for (runtime, socket_path, error, timeout_ms, max_bytes);
}
