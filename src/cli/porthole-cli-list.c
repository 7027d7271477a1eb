/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-escape.h"
#include "porthole-socket-fields.h"
#include "porthole-socket-monitor.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

typedef struct {
  GMainLoop *loop;
  GError    *error;
} Wait;

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  porthole_socket_monitor_refresh_finish (PORTHOLE_SOCKET_MONITOR (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Rows are written to stdout in chunks of about this many bytes */
#define JSON_CHUNK (256 * 1024)

/* One JSON array, one socket per line. Each row is a json-glib object written by one generator
 * (PortholeSocketJsonWriter), so the memory used stays that of one row instead of a tree of
 * every socket, and no tree is built or freed per row: at 30,000 sockets that cost more than
 * reading the kernel tables. */
static void
print_json (GListModel *model)
{
  g_autoptr(PortholeSocketJsonWriter) writer = porthole_socket_json_writer_new ();
  g_autoptr(GString) out = g_string_sized_new (JSON_CHUNK + 4096);
  guint n = g_list_model_get_n_items (model);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);

      g_string_append (out, i == 0 ? "\n  " : ",\n  ");
      porthole_socket_json_writer_append (writer, s, out);
      if (out->len >= JSON_CHUNK)
        {
          fwrite (out->str, 1, out->len, stdout);
          g_string_truncate (out, 0);
        }
    }
  g_string_append (out, n > 0 ? "\n]\n" : "]\n");
  fwrite (out->str, 1, out->len, stdout);
}

static const char *
owner_text (PortholeSocket *s, char **owned)
{
  switch (porthole_socket_get_owner_status (s))
    {
    case PORTHOLE_OWNER_KNOWN:
      return *owned = g_strdup_printf ("%s(%d)", porthole_socket_get_process (s), porthole_socket_get_pid (s));
    case PORTHOLE_OWNER_NO_PROCESS:
      return _("(kernel)");
    case PORTHOLE_OWNER_OTHER_USER:
      return _("(hidden: another user)");
    case PORTHOLE_OWNER_SANDBOXED:
      return _("(hidden by the sandbox)");
    case PORTHOLE_OWNER_GONE:
    default:
      return "-";
    }
}

static void
print_text (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);

  printf ("%-5s %-12s %-40s %-40s %-10s %s\n", "Proto", "State", "Local", "Remote", "User", "Process");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);
      g_autofree char *owned = NULL;
      const char *owner = owner_text (s, &owned);
      /* user names may be any UTF-8 ("another user" is translated): pad by columns */
      g_autofree char *user = porthole_text_pad (porthole_socket_get_user (s), 10);

      printf ("%-5s %-12s %-40s %-40s %s %s\n",
              porthole_socket_get_protocol (s), porthole_socket_get_state (s),
              porthole_socket_get_local_endpoint (s), porthole_socket_get_remote_endpoint (s),
              user, owner);
    }
}

int
porthole_cli_list (int argc, char **argv)
{
  gboolean all = FALSE, tcp = FALSE, udp = FALSE, json = FALSE;
  g_auto(GStrv) hosts = NULL;
  g_autofree char *hosts_file = NULL;
  GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Every socket in every state, not only listeners"), NULL },
    { "tcp", 't', 0, G_OPTION_ARG_NONE, &tcp, N_("TCP sockets"), NULL },
    { "udp", 'u', 0, G_OPTION_ARG_NONE, &udp, N_("UDP sockets"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON"), NULL },
    { "host", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hosts, N_("List a remote host over ssh (repeatable)"), N_("HOST") },
    { "hosts-file", 0, 0, G_OPTION_ARG_FILENAME, &hosts_file, N_("List the hosts in FILE, one a line"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(PortholeSocketMonitor) monitor = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  PortholeDumpFlags flags = PORTHOLE_DUMP_IPV4 | PORTHOLE_DUMP_IPV6;

  g_option_context_set_summary (context, _("List sockets, like ss -tulpn."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc > 1)
    return porthole_cli_bad_input (_("unexpected argument “%s”"), argv[1]);

  if (!tcp && !udp)
    tcp = udp = TRUE;
  if (hosts != NULL || hosts_file != NULL)
    return porthole_cli_list_hosts ((const char *const *) hosts, hosts_file, all, tcp, udp, json);
  flags |= (tcp ? PORTHOLE_DUMP_TCP : 0) | (udp ? PORTHOLE_DUMP_UDP : 0) |
           (all ? PORTHOLE_DUMP_ALL_STATES : 0);

  monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "flags", flags, NULL);
  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, &wait);
  g_main_loop_run (loop);
  if (wait.error)
    {
      fprintf (stderr, "porthole-cli: %s\n", wait.error->message);
      g_error_free (wait.error);
      return PORTHOLE_CLI_NEGATIVE;
    }

  if (json)
    print_json (G_LIST_MODEL (monitor));
  else
    print_text (G_LIST_MODEL (monitor));
  return PORTHOLE_CLI_OK;
}
