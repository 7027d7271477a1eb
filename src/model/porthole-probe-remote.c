/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* A probe run from another computer ("via-host"): `porthole-cli probe --json` there, over the
 * same ssh transport as the remote socket list, and its answer replayed as this probe's steps
 * and results ("can the server reach the database?"). */

#include "porthole-probe-private.h"

#include "porthole-escape.h"
#include "porthole-remote.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* A probe's answer is a few kilobytes (the banner is at most 4 KiB, escaped) */
#define MAX_ANSWER (256 * 1024)

/* The remote shell's text: fixed words, the timeout we formatted, and the target we parsed and
 * wrote again from its host and port (characters no shell treats specially), in single quotes
 * as /bin/sh's $0; nothing the user typed goes there as typed */
static char *
remote_command (PortholeProbe *self, PortholeTarget *target, GError **error)
{
  g_autofree char *canonical = NULL;
  char timeout[32];

  for (const char *p = target->host; *p; p++)
    if (!g_ascii_isalnum (*p) && !strchr (".-:_", *p))
      {
        g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_FAILED,
                     _("This host name cannot be sent to another computer"));
        return NULL;
      }
  canonical = target->is_ipv6 ? g_strdup_printf ("[%s]:%u", target->host, target->port)
                              : g_strdup_printf ("%s:%u", target->host, target->port);
  g_ascii_formatd (timeout, sizeof timeout, "%.3f", self->timeout_ms / 1000.0);
  return g_strdup_printf ("exec /bin/sh -c '"
                          "if command -v porthole-cli >/dev/null 2>&1; then "
                          "exec porthole-cli probe --json --timeout %s%s%s -- \"$0\"; fi; "
                          "echo porthole-remote-1 none; exit 127' '%s'",
                          timeout, self->tls ? " --tls" : "", self->udp ? " --udp" : "",
                          canonical);
}

/* Remote text for display: kept when it holds no control character but newlines (porthole-cli
 * escaped it already), else escaped */
static char *
clean (const char *text, gboolean keep_newlines)
{
  gboolean ok;

  if (text == NULL)
    return NULL;
  ok = g_utf8_validate (text, -1, NULL);
  for (const char *p = text; ok && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c == '\n' && !keep_newlines) || (c != '\n' && (g_unichar_iscntrl (c) ||
                                                         g_unichar_type (c) == G_UNICODE_FORMAT)))
        ok = FALSE;
    }
  return ok ? g_strdup (text) : porthole_escape_text (text, -1, keep_newlines);
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static double
member_number (JsonObject *o, const char *name, double fallback)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return fallback;
}

static PortholeProbeStatus
status_from_string (const char *text)
{
  for (PortholeProbeStatus s = PORTHOLE_PROBE_STATUS_OPEN; s <= PORTHOLE_PROBE_STATUS_OPEN_FILTERED; s++)
    if (g_strcmp0 (text, porthole_probe_status_to_string (s)) == 0)
      return s;
  return PORTHOLE_PROBE_STATUS_UNKNOWN;
}

/* Replays the answer: lookup, each attempt, the banner, the verdict */
static void
replay (GTask *task, JsonObject *answer, const char *shown)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  JsonNode *node;
  PortholeProbeStatus status = status_from_string (member_string (answer, "status"));
  g_autofree char *error_text = clean (member_string (answer, "error"), FALSE);
  g_autofree char *banner = clean (member_string (answer, "banner"), TRUE);
  g_autoptr(GStrvBuilder) addresses = g_strv_builder_new ();

  if (status == PORTHOLE_PROBE_STATUS_UNKNOWN)
    {
      porthole_probe_run_fail (task, g_error_new (PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_VERSION,
                                                  _("%s: its porthole-cli answered with no verdict: "
                                                    "another version"), shown));
      return;
    }
  node = json_object_get_member (answer, "addresses");
  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < MIN (json_array_get_length (array), 64); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            {
              g_autofree char *address = clean (json_node_get_string (element), FALSE);

              g_strv_builder_add (addresses, address);
            }
        }
    }
  g_strfreev (self->addresses);
  self->addresses = g_strv_builder_end (addresses);
  porthole_probe_notify (self, PORTHOLE_PROBE_PROP_ADDRESSES);
  if (status == PORTHOLE_PROBE_STATUS_DNS_ERROR)
    porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVED, NULL, status, "%s",
                              error_text ? error_text : _("The name did not resolve there"));
  else
    {
      g_autofree char *joined = g_strjoinv (", ", self->addresses);
      guint n = g_strv_length (self->addresses);

      porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVED, NULL, PORTHOLE_PROBE_STATUS_UNKNOWN,
                                g_dngettext (GETTEXT_PACKAGE, "%s has %u address there: %s",
                                             "%s has %u addresses there: %s", n),
                                self->host, n, joined);
    }

  node = json_object_get_member (answer, "attempts");
  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < MIN (json_array_get_length (array), 64); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *o;
          PortholeProbeAttempt attempt = { 0 };

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          o = json_node_get_object (element);
          attempt.address = clean (member_string (o, "address"), FALSE);
          attempt.port = self->port;
          attempt.status = status_from_string (member_string (o, "status"));
          attempt.ms = member_number (o, "ms", 0);
          if (attempt.status != PORTHOLE_PROBE_STATUS_OPEN)
            attempt.message = g_strdup (porthole_probe_status_to_string (attempt.status));
          porthole_probe_set_string (self, &self->remote_address, attempt.address,
                                     PORTHOLE_PROBE_PROP_REMOTE_ADDRESS);
          porthole_probe_set_uint (self, &self->remote_port, self->port, PORTHOLE_PROBE_PROP_REMOTE_PORT);
          porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_CONNECTING, attempt.address,
                                    PORTHOLE_PROBE_STATUS_UNKNOWN, _("%s connects to %s port %u"),
                                    shown, attempt.address ? attempt.address : "?", self->port);
          g_array_append_val (self->attempts, attempt);
          porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_ATTEMPT, attempt.address, attempt.status,
                                    _("%s in %.1f ms"), porthole_probe_status_to_string (attempt.status),
                                    attempt.ms);
        }
    }
  {
    g_autofree char *remote = clean (member_string (answer, "remote_address"), FALSE);
    g_autofree char *local = clean (member_string (answer, "local_address"), FALSE);
    double local_port = member_number (answer, "local_port", 0);
    double connect_ms = member_number (answer, "connect_ms", -1);

    if (remote != NULL)
      porthole_probe_set_string (self, &self->remote_address, remote, PORTHOLE_PROBE_PROP_REMOTE_ADDRESS);
    porthole_probe_set_string (self, &self->local_address, local, PORTHOLE_PROBE_PROP_LOCAL_ADDRESS);
    porthole_probe_set_uint (self, &self->local_port, local_port > 0 && local_port <= 65535 ? (guint) local_port : 0,
                             PORTHOLE_PROBE_PROP_LOCAL_PORT);
    if (connect_ms >= 0)
      {
        self->connect_ms = connect_ms;
        porthole_probe_notify (self, PORTHOLE_PROBE_PROP_CONNECT_MS);
      }
  }
  if (banner != NULL && *banner != '\0')
    {
      porthole_probe_set_string (self, &self->banner, banner, PORTHOLE_PROBE_PROP_BANNER);
      g_clear_pointer (&self->banner_bytes, g_bytes_unref);
      self->banner_bytes = g_bytes_new (banner, strlen (banner));
      porthole_probe_notify (self, PORTHOLE_PROBE_PROP_BANNER_BYTES);
      gint64 size = (gint64) member_number (answer, "banner_bytes", 0);

      porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_BANNER, self->remote_address,
                                PORTHOLE_PROBE_STATUS_OPEN,
                                g_dngettext (GETTEXT_PACKAGE, "The server said %" G_GINT64_FORMAT " byte first",
                                             "The server said %" G_GINT64_FORMAT " bytes first", size),
                                size);
    }
  porthole_probe_run_complete (task, status, error_text);
}

static void
on_ran (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_autoptr(PortholeRemoteOutput) output = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };
  g_autofree char *shown = NULL;
  GError *error = NULL;
  gsize len;
  const char *out;

  output = porthole_remote_run_finish (result, &error);
  if (output == NULL)
    {
      porthole_probe_run_fail (task, error);
      return;
    }
  porthole_ssh_destination_parse (self->via_host, &dest, NULL);
  shown = porthole_remote_shown (&dest);
  out = g_bytes_get_data (output->out, &len);
  if (output->exit_status == 127 && len > 0 && g_str_has_prefix (out, "porthole-remote-1 none"))
    {
      porthole_probe_run_fail (task, g_error_new (PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_NO_LISTER,
                                                  _("%s: porthole-cli is not installed there; a test "
                                                    "from that computer needs it"), shown));
      return;
    }
  if (output->exit_status == 2 || (output->exit_status != 0 && output->exit_status != 1))
    {
      g_autofree char *line = clean (g_strstrip (output->err), FALSE);

      porthole_probe_run_fail (task, g_error_new (PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_VERSION,
                                                  _("%s: its porthole-cli refused the test (status %d: "
                                                    "%s)"), shown, output->exit_status,
                                                  line && *line ? line : _("no message")));
      return;
    }
  if (!json_parser_load_from_data (parser, out, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autofree char *text = porthole_escape_text (out, MIN (len, 160), FALSE);

      porthole_probe_run_fail (task, g_error_new (PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_JUNK,
                                                  _("%s answered with something that is not a test "
                                                    "result: “%s”"), shown, text));
      return;
    }
  replay (task, json_node_get_object (json_parser_get_root (parser)), shown);
}

void
porthole_probe_remote_start (GTask *task)
{
  PortholeProbeRun *run = g_task_get_task_data (task);
  PortholeProbe *self = run->self;
  g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };
  PortholeRemoteOptions options = { 0, 0, MAX_ANSWER };
  g_autofree char *command = NULL;
  g_autofree char *shown = NULL;
  GError *error = NULL;

  if (!porthole_ssh_destination_parse (self->via_host, &dest, &error) ||
      (command = remote_command (self, run->target, &error)) == NULL)
    {
      porthole_probe_run_fail (task, error);
      return;
    }
  shown = porthole_remote_shown (&dest);
  /* the whole test there: each step's timeout, for a few addresses, and ssh's own set-up */
  options.timeout_ms = MAX (30000, self->timeout_ms * 8 + 15000);
  porthole_probe_emit_step (self, PORTHOLE_PROBE_STEP_RESOLVING, NULL, PORTHOLE_PROBE_STATUS_UNKNOWN,
                            _("Asking %s to test %s port %u, over ssh"), shown, self->host, self->port);
  porthole_remote_run_async (&dest, &options, command, run->cancellable, on_ran, task);
}
