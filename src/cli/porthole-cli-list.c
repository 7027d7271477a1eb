/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-cli-format.h"
#include "porthole-escape.h"
#include "porthole-socket-fields.h"
#include "porthole-socket-monitor.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

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

static void
on_names_refreshed (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  porthole_container_names_refresh_finish (PORTHOLE_CONTAINER_NAMES (source), result, NULL);
  g_main_loop_quit (wait->loop);
}

static gboolean
refresh (PortholeSocketMonitor *monitor, Wait *wait)
{
  porthole_socket_monitor_refresh_async (monitor, NULL, on_refreshed, wait);
  g_main_loop_run (wait->loop);
  return wait->error == NULL;
}

/* Whether a Docker or Podman container is among the rows (with @names: one that it does not
 * name). Flatpak apps, LXC and nspawn machines are named by their cgroup: asking the runtimes
 * about them, or complaining that they are absent, would tell nothing. */
static gboolean
has_runtime_containers (GListModel *model, PortholeContainerNames *unnamed_by)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);
      const PortholeContainerRef *c = porthole_socket_get_container (s);

      if (c == NULL ||
          (c->runtime != PORTHOLE_RUNTIME_DOCKER && c->runtime != PORTHOLE_RUNTIME_PODMAN))
        continue;
      if (unnamed_by == NULL || c->id == NULL ||
          porthole_container_names_lookup (unnamed_by, c->id) == NULL)
        return TRUE;
    }
  return FALSE;
}

/* Whether a runtime says it publishes a port: then the refresh after its answer joins that
 * port to its container's listener (Docker without its proxy leaves no host socket to read) */
static gboolean
names_publish_ports (PortholeContainerNames *names)
{
  GPtrArray *list = porthole_container_names_list (names);

  for (guint i = 0; list && i < list->len; i++)
    {
      const PortholeContainerInfo *c = g_ptr_array_index (list, i);

      for (guint k = 0; c->ports && k < c->ports->len; k++)
        if (g_array_index (c->ports, PortholeContainerPort, k).host_port != 0)
          return TRUE;
    }
  return FALSE;
}

/* Docker or Podman containers were seen: asks their runtimes once for names (bounded by the
 * names object's own timeout), so that the rows carry them, and says once, not per row, why a
 * runtime gave none, when a container is left without its name */
static gboolean
name_containers (PortholeSocketMonitor *monitor, Wait *wait)
{
  PortholeContainerNames *names = porthole_socket_monitor_get_container_names (monitor);
  const char *problem;

  porthole_container_names_refresh_async (names, NULL, on_names_refreshed, wait);
  g_main_loop_run (wait->loop);
  problem = porthole_container_names_get_problem (names);
  if (problem != NULL && has_runtime_containers (G_LIST_MODEL (monitor), names))
    {
      g_auto(GStrv) lines = g_strsplit (problem, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        fprintf (stderr, "porthole-cli: %s\n", lines[i]);
    }
  return !names_publish_ports (names) || refresh (monitor, wait);
}

/* Rows are written to stdout in chunks of about this many bytes */
#define JSON_CHUNK (256 * 1024)

/* One JSON array, one socket per line. Each row is a json-glib object written by one generator
 * (PortholeSocketJsonWriter), so the memory used stays that of one row instead of a tree of
 * every socket, and no tree is built or freed per row: at 30,000 sockets that cost more than
 * reading the kernel tables. */
static void
print_json (PortholeSocketMonitor *monitor)
{
  GListModel *model = G_LIST_MODEL (monitor);
  g_autoptr(PortholeSocketJsonWriter) writer = porthole_socket_json_writer_new ();
  g_autoptr(GString) out = g_string_sized_new (JSON_CHUNK + 4096);
  guint n = g_list_model_get_n_items (model);

  if (porthole_socket_monitor_get_all_namespaces (monitor))
    porthole_socket_json_writer_set_container_names (
      writer, porthole_socket_monitor_get_container_names (monitor));

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
      /* the uid and the container are shown: say whose process it is, not a blank */
      return porthole_socket_get_container (s) ? _("(another user's container)")
                                               : _("(hidden: another user)");
    case PORTHOLE_OWNER_SANDBOXED:
      return _("(hidden by the sandbox)");
    case PORTHOLE_OWNER_UNSEEN:
      return _("(closed before it was seen)");
    case PORTHOLE_OWNER_GONE:
    default:
      /* in a container whose processes are out of our sight (another pid namespace) */
      return porthole_socket_get_container (s) ? _("(hidden in its container)") : "-";
    }
}

/* The container's name; for another namespace that is no known container, that namespace */
static char *
container_text (PortholeSocketMonitor *monitor, PortholeSocket *s)
{
  const PortholeContainerRef *container = porthole_socket_get_container (s);

  if (container != NULL)
    return porthole_socket_monitor_dup_container_name (monitor, container);
  if (porthole_socket_get_netns (s) != 0)
    return g_strdup_printf ("netns:%" G_GUINT64_FORMAT, porthole_socket_get_netns (s));
  return g_strdup ("-");
}

#define CONTAINER_COLUMNS 20

/* Width of the Sent and Received columns: "1023 KiB" */
#define BYTES_COLUMNS 8

/* @traffic (list --all): the Sent and Received columns after Remote, in binary units, "-" where
 * the kernel counts nothing (UDP, TIME_WAIT); the default listing stays ss's columns */
static void
print_text (PortholeSocketMonitor *monitor, gboolean traffic)
{
  GListModel *model = G_LIST_MODEL (monitor);
  guint n = g_list_model_get_n_items (model);

  printf ("%-5s %-12s %-40s %-40s ", "Proto", "State", "Local", "Remote");
  if (traffic)
    printf ("%*s %*s ", BYTES_COLUMNS, "Sent", BYTES_COLUMNS, "Received");
  printf ("%-17s %-*s %-10s %s\n", "Exposure", CONTAINER_COLUMNS, "Container", "User", "Process");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PortholeSocket) s = g_list_model_get_item (model, i);
      g_autofree char *owned = NULL;
      const char *owner = owner_text (s, &owned);
      g_autofree char *name = container_text (monitor, s);
      /* user and container names may be any UTF-8 ("another user" is translated): pad by columns */
      g_autofree char *container = porthole_text_pad (name, CONTAINER_COLUMNS);
      g_autofree char *user = porthole_text_pad (porthole_socket_get_user (s), 10);

      printf ("%-5s %-12s %-40s %-40s ",
              porthole_socket_get_protocol (s), porthole_socket_get_state (s),
              porthole_socket_get_local_endpoint (s), porthole_socket_get_remote_endpoint (s));
      if (traffic && porthole_socket_has_traffic (s))
        {
          char sent[PORTHOLE_CLI_FORMAT_SIZE], received[PORTHOLE_CLI_FORMAT_SIZE];

          printf ("%*s %*s ",
                  BYTES_COLUMNS, porthole_cli_format_bytes (porthole_socket_get_bytes_sent (s), sent),
                  BYTES_COLUMNS, porthole_cli_format_bytes (porthole_socket_get_bytes_received (s), received));
        }
      else if (traffic)
        printf ("%*s %*s ", BYTES_COLUMNS, "-", BYTES_COLUMNS, "-");
      printf ("%-17s %s %s %s\n",
              porthole_exposure_to_string (porthole_socket_get_exposure (s)), container, user,
              owner);
    }
}

int
porthole_cli_list (int argc, char **argv)
{
  gboolean all = FALSE, tcp = FALSE, udp = FALSE, json = FALSE;
  g_autofree char *netns = NULL;
  gboolean every_netns;
  g_auto(GStrv) hosts = NULL;
  g_autofree char *hosts_file = NULL;
  GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Every socket in every state, not only listeners"), NULL },
    { "tcp", 't', 0, G_OPTION_ARG_NONE, &tcp, N_("TCP sockets"), NULL },
    { "udp", 'u', 0, G_OPTION_ARG_NONE, &udp, N_("UDP sockets"), NULL },
    { "netns", 0, 0, G_OPTION_ARG_STRING, &netns,
      N_("Network namespaces: all (the default; containers too) or host (only this one)"),
      "host|all" },
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
  if (netns != NULL && strcmp (netns, "host") != 0 && strcmp (netns, "all") != 0)
    return porthole_cli_bad_input (_("bad --netns value “%s” (host or all)"), netns);
  every_netns = netns == NULL || strcmp (netns, "all") == 0;

  if (!tcp && !udp)
    tcp = udp = TRUE;
  if (hosts != NULL || hosts_file != NULL)
    return porthole_cli_list_hosts ((const char *const *) hosts, hosts_file, all, tcp, udp, json);
  flags |= (tcp ? PORTHOLE_DUMP_TCP : 0) | (udp ? PORTHOLE_DUMP_UDP : 0) |
           (all ? PORTHOLE_DUMP_ALL_STATES : 0);

  monitor = g_object_new (PORTHOLE_TYPE_SOCKET_MONITOR, "flags", flags,
                          "all-namespaces", every_netns, NULL);
  if (refresh (monitor, &wait) && every_netns &&
      has_runtime_containers (G_LIST_MODEL (monitor), NULL))
    name_containers (monitor, &wait);
  if (wait.error)
    {
      fprintf (stderr, "porthole-cli: %s\n", wait.error->message);
      g_error_free (wait.error);
      return PORTHOLE_CLI_NEGATIVE;
    }

  if (json)
    print_json (monitor);
  else
    print_text (monitor, all);
  return PORTHOLE_CLI_OK;
}
