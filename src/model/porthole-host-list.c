/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-host-list.h"

#include "porthole-ssh-config.h"
#include "porthole-ssh-destination.h"

#include <string.h>

/* A config larger than this is not read (ssh's own are kilobytes) */
#define MAX_CONFIG (1024 * 1024)

static void
read_config (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *env = g_getenv ("PORTHOLE_SSH_CONFIG");
  g_autofree char *path = env && *env ? g_strdup (env)
                                      : g_build_filename (g_get_home_dir (), ".ssh", "config", NULL);
  g_autofree char *text = NULL;
  gsize len = 0;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!g_file_get_contents (path, &text, &len, NULL) || len > MAX_CONFIG)
    {
      g_task_return_pointer (task, g_new0 (char *, 1), (GDestroyNotify) g_strfreev);
      return;
    }
  g_task_return_pointer (task, porthole_ssh_config_hosts (text, len), (GDestroyNotify) g_strfreev);
}

void
porthole_host_list_read_config_async (GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, porthole_host_list_read_config_async);
  g_task_run_in_thread (task, read_config);
}

char **
porthole_host_list_read_config_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char **
porthole_host_list_add_recent (const char *const *recent, const char *host)
{
  GPtrArray *list = g_ptr_array_new ();

  g_ptr_array_add (list, g_strdup (host));
  for (guint i = 0; recent && recent[i] && list->len < PORTHOLE_HOST_LIST_MAX_RECENT; i++)
    {
      g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };

      if (strcmp (recent[i], host) != 0 && porthole_ssh_destination_parse (recent[i], &dest, NULL))
        g_ptr_array_add (list, g_strdup (recent[i]));
    }
  g_ptr_array_add (list, NULL);
  return (char **) g_ptr_array_free (list, FALSE);
}
