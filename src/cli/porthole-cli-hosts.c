/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-escape.h"
#include "porthole-remote.h"
#include "porthole-ssh-destination.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

/* `porthole-cli list --host HOST ... --hosts-file FILE`: every host over ssh at once (a few at a
 * time), one merged answer; a host that fails is reported and does not stop the others. */

/* ssh connections at once: enough for a fleet, few enough for the ssh agent and sshd's
 * MaxStartups (10 by default) on a shared jump host */
#define MAX_PARALLEL 8
/* A hosts file is a list of names, not a data dump */
#define MAX_HOSTS_FILE (1024 * 1024)

typedef struct {
  char                  *text;    /* as the user wrote it: the "host" key */
  PortholeSshDestination dest;
  PortholeRemoteResult  *result;
  GError                *error;
} Host;

typedef struct {
  GPtrArray *hosts;
  guint      next;
  guint      running;
  GMainLoop *loop;
} Fleet;

static void
host_free (Host *host)
{
  g_free (host->text);
  porthole_ssh_destination_clear (&host->dest);
  porthole_remote_result_free (host->result);
  g_clear_error (&host->error);
  g_free (host);
}

/* FALSE (and the bad-input line printed) when @text is no destination */
static gboolean
add_host (GPtrArray *hosts, const char *text, const char *where)
{
  g_autoptr(GError) error = NULL;
  Host *host;

  for (guint i = 0; i < hosts->len; i++)
    if (strcmp (((Host *) g_ptr_array_index (hosts, i))->text, text) == 0)
      return TRUE;
  host = g_new0 (Host, 1);
  if (!porthole_ssh_destination_parse (text, &host->dest, &error))
    {
      host_free (host);
      porthole_cli_bad_input ("%s: %s", where, error->message);
      return FALSE;
    }
  host->text = g_strdup (text);
  g_ptr_array_add (hosts, host);
  return TRUE;
}

/* One destination a line; blank lines and lines starting with '#' are skipped */
static gboolean
read_hosts_file (GPtrArray *hosts, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shown = porthole_escape_text (path, -1, FALSE);
  g_auto(GStrv) lines = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, &error))
    {
      porthole_cli_bad_input (_("--hosts-file: %s"), error->message);
      return FALSE;
    }
  if (len > MAX_HOSTS_FILE || memchr (text, '\0', len) != NULL)
    {
      porthole_cli_bad_input (_("--hosts-file %s: not a list of hosts"), shown);
      return FALSE;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_autofree char *where = NULL;
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      where = g_strdup_printf ("%s:%u", shown, i + 1);
      if (!add_host (hosts, line, where))
        return FALSE;
    }
  return TRUE;
}

static void start_next (Fleet *fleet);

typedef struct {
  Fleet *fleet;
  Host  *host;
} Start;

static void
on_listed_with_fleet (GObject *source, GAsyncResult *result, gpointer data)
{
  Start *start = data;
  Fleet *fleet = start->fleet;
  Host *host = start->host;

  g_free (start);
  host->result = porthole_remote_list_finish (result, &host->error);
  fleet->running--;
  start_next (fleet);
}

static void
start_next (Fleet *fleet)
{
  while (fleet->running < MAX_PARALLEL && fleet->next < fleet->hosts->len)
    {
      Start *start = g_new0 (Start, 1);

      start->fleet = fleet;
      start->host = g_ptr_array_index (fleet->hosts, fleet->next++);
      fleet->running++;
      porthole_remote_list_async (&start->host->dest, NULL, NULL, on_listed_with_fleet, start);
    }
  if (fleet->running == 0)
    g_main_loop_quit (fleet->loop);
}

static gboolean
row_wanted (JsonObject *row, gboolean all, gboolean tcp, gboolean udp)
{
  const char *protocol = json_object_get_string_member (row, "protocol");
  const char *state = json_object_get_string_member (row, "state");

  if (g_strcmp0 (protocol, "tcp") == 0 ? !tcp : g_strcmp0 (protocol, "udp") == 0 ? !udp : TRUE)
    return FALSE;
  return all || g_strcmp0 (state, "LISTEN") == 0 || g_strcmp0 (state, "UNCONN") == 0;
}

static void
print_json (GPtrArray *hosts, gboolean all, gboolean tcp, gboolean udp)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  json_node_take_array (root, array);
  for (guint h = 0; h < hosts->len; h++)
    {
      Host *host = g_ptr_array_index (hosts, h);

      if (host->error != NULL)
        {
          JsonObject *failure = json_object_new ();

          json_object_set_string_member (failure, "host", host->text);
          json_object_set_string_member (failure, "error", host->error->message);
          json_array_add_object_element (array, failure);
          continue;
        }
      for (guint i = 0; i < host->result->rows->len; i++)
        {
          JsonObject *row = g_ptr_array_index (host->result->rows, i);
          g_autoptr(GList) names = NULL;
          JsonObject *out;

          if (!row_wanted (row, all, tcp, udp))
            continue;
          out = json_object_new ();
          json_object_set_string_member (out, "host", host->text);
          /* in the contract's order (an iterator would give the hash table's) */
          names = json_object_get_members (row);
          for (GList *l = names; l; l = l->next)
            json_object_set_member (out, l->data, json_object_dup_member (row, l->data));
          json_array_add_object_element (array, out);
        }
    }
  porthole_cli_print_json (root);
}

static const char *
string_or (JsonObject *row, const char *name, const char *fallback)
{
  JsonNode *node = json_object_get_member (row, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : fallback;
}

static char *
endpoint (JsonObject *row, const char *address, const char *port)
{
  const char *a = json_object_get_string_member (row, address);
  gint64 p = json_object_get_int_member (row, port);

  return strchr (a, ':') ? g_strdup_printf ("[%s]:%" G_GINT64_FORMAT, a, p)
                         : g_strdup_printf ("%s:%" G_GINT64_FORMAT, a, p);
}

static void
print_text (GPtrArray *hosts, gboolean all, gboolean tcp, gboolean udp)
{
  for (guint h = 0; h < hosts->len; h++)
    {
      Host *host = g_ptr_array_index (hosts, h);

      if (h > 0)
        printf ("\n");
      if (host->error != NULL)
        {
          /* the heading, then the reason where the table would be */
          printf ("%s %s\n", _("Host"), host->text);
          printf ("  %s\n", host->error->message);
          continue;
        }
      printf ("%s %s (%s)\n", _("Host"), host->text,
              porthole_remote_source_to_string (host->result->source));
      printf ("%-5s %-12s %-40s %-40s %-10s %s\n", "Proto", "State", "Local", "Remote", "User", "Process");
      for (guint i = 0; i < host->result->rows->len; i++)
        {
          JsonObject *row = g_ptr_array_index (host->result->rows, i);
          g_autofree char *local = NULL, *remote = NULL, *owner = NULL, *user = NULL;
          g_autofree char *uid = NULL;
          const char *process = string_or (row, "process", NULL);

          if (!row_wanted (row, all, tcp, udp))
            continue;
          local = endpoint (row, "local_address", "local_port");
          remote = endpoint (row, "remote_address", "remote_port");
          if (process != NULL && !json_object_get_null_member (row, "pid"))
            owner = g_strdup_printf ("%s(%" G_GINT64_FORMAT ")", process,
                                     json_object_get_int_member (row, "pid"));
          if (!json_object_get_null_member (row, "uid"))
            uid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (row, "uid"));
          user = porthole_text_pad (string_or (row, "user", uid ? uid : "-"), 10);
          printf ("%-5s %-12s %-40s %-40s %s %s\n", json_object_get_string_member (row, "protocol"),
                  json_object_get_string_member (row, "state"), local, remote, user,
                  owner ? owner : "-");
        }
    }
}

int
porthole_cli_list_hosts (const char *const *host_args,
                         const char        *hosts_file,
                         gboolean           all,
                         gboolean           tcp,
                         gboolean           udp,
                         gboolean           json)
{
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_free);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Fleet fleet = { hosts, 0, 0, loop };
  gboolean failed = FALSE;

  /* Every destination is checked before any ssh runs */
  for (guint i = 0; host_args != NULL && host_args[i]; i++)
    if (!add_host (hosts, host_args[i], "--host"))
      return PORTHOLE_CLI_BAD_INPUT;
  if (hosts_file != NULL && !read_hosts_file (hosts, hosts_file))
    return PORTHOLE_CLI_BAD_INPUT;
  if (hosts->len == 0)
    return porthole_cli_bad_input (_("--hosts-file: no hosts in it"));

  start_next (&fleet);
  if (fleet.running > 0)
    g_main_loop_run (loop);

  for (guint h = 0; h < hosts->len; h++)
    {
      Host *host = g_ptr_array_index (hosts, h);

      if (host->error != NULL)
        {
          /* one line each, whatever the message held */
          g_autofree char *line = g_strdup (host->error->message);

          g_strdelimit (line, "\r\n", ' ');
          fprintf (stderr, "porthole-cli: %s\n", line);
          failed = TRUE;
        }
      else if (host->result->notice != NULL)
        fprintf (stderr, "porthole-cli: %s\n", host->result->notice);
    }
  if (json)
    print_json (hosts, all, tcp, udp);
  else
    print_text (hosts, all, tcp, udp);
  return failed ? PORTHOLE_CLI_NEGATIVE : PORTHOLE_CLI_OK;
}
