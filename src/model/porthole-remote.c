/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-remote.h"

#include "porthole-escape.h"
#include "porthole-ports.h"
#include "porthole-services.h"
#include "porthole-ss.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/un.h>

G_DEFINE_QUARK (porthole-remote-error-quark, porthole_remote_error)

#define DEFAULT_CONNECT_TIMEOUT_S 10
#define DEFAULT_TIMEOUT_MS        60000
#define DEFAULT_MAX_OUTPUT        (64 * 1024 * 1024)
/* ssh's own messages and the remote program's complaints: the first part is enough */
#define MAX_STDERR                (64 * 1024)
#define READ_CHUNK                (64 * 1024)
/* After ssh exited, how long a pipe something else still holds may stay open */
#define PIPE_GRACE_MS             2000
/* Remote text quoted in a message */
#define EXCERPT                   160

/* Each line the remote command prints before a listing names the program that follows */
#define MARK "porthole-remote-1 "

/* The remote command: a fixed string, never holding user text. The login shell may be any
 * shell, so it only starts /bin/sh with a script in single quotes. porthole-cli speaks the
 * contract; else ss with extended info in one line per socket, or the plainer form older
 * iproute2 versions know. */
static const char remote_command[] =
  "exec /bin/sh -c '"
  "if command -v porthole-cli >/dev/null 2>&1; then "
  "echo " MARK "porthole-cli; exec porthole-cli list --all --json; fi; "
  "if command -v ss >/dev/null 2>&1; then "
  "echo " MARK "ss; ss -tuanpeHO 2>/dev/null && exit 0; "
  "echo " MARK "ss-plain; exec ss -tuanpH; fi; "
  "echo " MARK "none'";

const char *
porthole_remote_source_to_string (PortholeRemoteSource source)
{
  return source == PORTHOLE_REMOTE_SOURCE_SS ? "ss" : "porthole-cli";
}

void
porthole_remote_result_free (PortholeRemoteResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result->notice);
  g_free (result);
}

static PortholeRemoteResult *
result_new (PortholeRemoteSource source)
{
  PortholeRemoteResult *result = g_new0 (PortholeRemoteResult, 1);

  result->source = source;
  result->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  return result;
}

/* Untrusted text, at most EXCERPT bytes of it, safe to show on one line */
static char *
excerpt (const char *text, gsize len)
{
  g_autofree char *shown = porthole_escape_text (text, MIN (len, EXCERPT), FALSE);

  return len > EXCERPT ? g_strconcat (shown, "…", NULL) : g_steal_pointer (&shown);
}

/* A line of @text (first match of @needle), without its end of line, escaped */
static char *
line_with (const char *text, const char *needle)
{
  const char *hit = strstr (text, needle);
  const char *start, *end;

  if (hit == NULL)
    return NULL;
  for (start = hit; start > text && start[-1] != '\n'; start--)
    ;
  end = hit + strcspn (hit, "\r\n");
  return excerpt (start, end - start);
}

/* The last line of ssh's stderr that says something (not debug output) */
static char *
last_message (const char *err)
{
  g_auto(GStrv) lines = g_strsplit_set (err, "\r\n", -1);
  const char *last = NULL;

  for (guint i = 0; lines[i]; i++)
    if (*g_strstrip (lines[i]) != '\0' && !g_str_has_prefix (lines[i], "debug"))
      last = lines[i];
  return last ? excerpt (last, strlen (last)) : NULL;
}

/* "SHA256:<base64>" after @after (or anywhere when NULL) */
static char *
fingerprint (const char *err, const char *after)
{
  const char *p = after ? strstr (err, after) : err;
  gsize n;

  if (p == NULL || (p = strstr (p, "SHA256:")) == NULL)
    return NULL;
  n = strlen ("SHA256:");
  while (g_ascii_isalnum (p[n]) || p[n] == '+' || p[n] == '/' || p[n] == '=')
    n++;
  return n > strlen ("SHA256:") && n < 100 ? g_strndup (p, n) : NULL;
}

static gboolean
ssh_error (const char *shown, const char *accept_command, const char *err, GError **error)
{
  g_autofree char *line = NULL;

  if (strstr (err, "REMOTE HOST IDENTIFICATION HAS CHANGED"))
    {
      g_autofree char *fp = fingerprint (err, "IDENTIFICATION HAS CHANGED");

      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_HOST_KEY_CHANGED,
                   _("%s: the host key is not the one known_hosts holds (it sent %s): a reinstalled "
                     "server, or someone in between. Ask its administrator; only then remove the old "
                     "key with ssh-keygen -R"),
                   shown, fp ? fp : _("an unknown fingerprint"));
      return FALSE;
    }
  if (strstr (err, "Host key verification failed") || strstr (err, "host key is known for"))
    {
      g_autofree char *fp = fingerprint (err, "Server host key:");

      if (fp != NULL)
        g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_HOST_KEY_UNKNOWN,
                     _("%s: its host key is not known here yet (fingerprint %s). Check the "
                       "fingerprint with the server's administrator, then accept it by logging in "
                       "once with: %s"),
                     shown, fp, accept_command);
      else
        g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_HOST_KEY_UNKNOWN,
                     _("%s: its host key is not known here yet. Check its fingerprint with the "
                       "server's administrator, then accept it by logging in once with: %s"),
                     shown, accept_command);
      return FALSE;
    }
  if ((line = line_with (err, "Permission denied")))
    {
      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_AUTH,
                   _("%s refused the login (%s): Porthole logs in with keys only; load a key that "
                     "server accepts into ssh-agent (ssh-add) or name it in ~/.ssh/config"),
                   shown, line);
      return FALSE;
    }
  if ((line = line_with (err, "Could not resolve hostname")))
    {
      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_NAME,
                   _("%s: no such host name (%s)"), shown, line);
      return FALSE;
    }
  {
    static const char *const unreachable[] = { "Connection refused", "No route to host",
                                               "Network is unreachable", "timed out",
                                               "Connection reset", "Connection closed",
                                               "kex_exchange_identification" };

    for (gsize i = 0; i < G_N_ELEMENTS (unreachable); i++)
      if ((line = line_with (err, unreachable[i])))
        {
          g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_UNREACHABLE,
                       _("%s cannot be reached: %s"), shown, line);
          return FALSE;
        }
  }
  line = last_message (err);
  if (line == NULL)
    {
      /* a shared connection whose server went away ends its clients without a word */
      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_DROPPED,
                   _("%s: the connection was lost (ssh ended without saying why)"), shown);
      return FALSE;
    }
  g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_FAILED,
               _("%s: ssh failed: %s"), shown, line);
  return FALSE;
}

/* Valid UTF-8 without control, format (bidi, zero-width) or separator characters. Not
 * porthole_escape_is_clean(), which also wants backslashes escaped: porthole-cli escapes what
 * it prints, and escaping that again would double its backslashes. */
static gboolean
displayable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    switch (g_unichar_type (g_utf8_get_char (p)))
      {
      case G_UNICODE_CONTROL:
      case G_UNICODE_FORMAT:
      case G_UNICODE_LINE_SEPARATOR:
      case G_UNICODE_PARAGRAPH_SEPARATOR:
      case G_UNICODE_UNASSIGNED:
      case G_UNICODE_SURROGATE:
        return FALSE;
      default:
        break;
      }
  return TRUE;
}

/* Remote strings are shown to people: escaped, unless displayable already */
static void
sanitize (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);

          if (!displayable (s))
            {
              g_autofree char *clean = porthole_escape_text (s, -1, FALSE);

              json_node_set_string (node, clean);
            }
        }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          sanitize (member);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          sanitize (json_array_get_element (array, i));
      }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

enum { T_STR = 1 << 0, T_INT = 1 << 1, T_NULL = 1 << 2, T_OBJ = 1 << 3 };

/* The keys of the list contract (DESIGN.md) in its order; the second round's are optional,
 * anything else is dropped */
static const struct {
  const char *name;
  guint       types;
  gboolean    optional;
} row_keys[] = {
  { "protocol", T_STR }, { "family", T_STR }, { "state", T_STR }, { "local_address", T_STR },
  { "local_port", T_INT }, { "remote_address", T_STR }, { "remote_port", T_INT },
  { "inode", T_INT }, { "uid", T_INT | T_NULL }, { "user", T_STR | T_NULL },
  { "pid", T_INT | T_NULL }, { "process", T_STR | T_NULL }, { "range", T_STR },
  { "service", T_STR | T_NULL },
  { "exposure", T_STR, TRUE }, { "netns", T_STR | T_NULL, TRUE },
  { "container", T_OBJ | T_NULL, TRUE }, { "published", T_OBJ | T_NULL, TRUE },
  { "bytes_sent", T_INT | T_NULL, TRUE }, { "bytes_received", T_INT | T_NULL, TRUE },
  { "rtt_us", T_INT | T_NULL, TRUE }, { "retransmits", T_INT | T_NULL, TRUE },
};

static guint
node_type (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return T_NULL;
    case JSON_NODE_OBJECT:
      return T_OBJ;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return T_STR;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return T_INT;
      return 0;
    case JSON_NODE_ARRAY:
    default:
      return 0;
    }
}

static gboolean
version_error (const char *shown, guint row, const char *why, GError **error)
{
  g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_VERSION,
               _("%s: its porthole-cli speaks another version of the list contract (row %u: %s); "
                 "install the same Porthole version there"),
               shown, row, why);
  return FALSE;
}

static gboolean
take_json_rows (const char *shown, const char *text, gsize len, GPtrArray *rows, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      g_autofree char *shown_text = excerpt (text, len);

      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_JUNK,
                   _("%s: porthole-cli there printed something that is not JSON: “%s”"),
                   shown, shown_text);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return version_error (shown, 0, _("not a JSON array"), error);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *in, *out;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return version_error (shown, i + 1, _("not an object"), error);
      in = json_node_get_object (element);
      out = json_object_new ();
      g_ptr_array_add (rows, out);
      for (gsize k = 0; k < G_N_ELEMENTS (row_keys); k++)
        {
          JsonNode *member = json_object_get_member (in, row_keys[k].name);
          g_autofree char *why = NULL;

          if (member == NULL && row_keys[k].optional)
            continue;
          if (member == NULL)
            why = g_strdup_printf (_("no “%s”"), row_keys[k].name);
          else if ((node_type (member) & row_keys[k].types) == 0)
            why = g_strdup_printf (_("“%s” has another type"), row_keys[k].name);
          else if (node_type (member) == T_INT && g_str_has_suffix (row_keys[k].name, "_port") &&
                   (json_node_get_int (member) < 0 || json_node_get_int (member) > 65535))
            why = g_strdup_printf (_("“%s” is not a port"), row_keys[k].name);
          if (why != NULL)
            return version_error (shown, i + 1, why, error);
          sanitize (member);
          json_object_set_member (out, row_keys[k].name, json_node_ref (member));
        }
    }
  return TRUE;
}

static JsonObject *
ss_row_to_json (const PortholeSsRow *row, gboolean have_uid, PortholeServices *services)
{
  const PortholeSockInfo *info = &row->info;
  const char *proto = info->protocol == IPPROTO_UDP ? "udp" : "tcp";
  const char *service = porthole_services_lookup (services, info->local_port, proto);
  g_autofree char *local = porthole_address_to_string (info->family, info->local_addr);
  g_autofree char *remote = porthole_address_to_string (info->family, info->remote_addr);
  JsonObject *o = json_object_new ();

  if (service == NULL && !porthole_sockinfo_is_listening (info))
    service = porthole_services_lookup (services, info->remote_port, proto);
  json_object_set_string_member (o, "protocol", proto);
  json_object_set_string_member (o, "family", info->family == AF_INET6 ? "ipv6" : "ipv4");
  json_object_set_string_member (o, "state", porthole_sockinfo_state_name (info));
  json_object_set_string_member (o, "local_address", local);
  json_object_set_int_member (o, "local_port", info->local_port);
  json_object_set_string_member (o, "remote_address", remote);
  json_object_set_int_member (o, "remote_port", info->remote_port);
  json_object_set_int_member (o, "inode", (gint64) info->inode);
  if (have_uid)
    json_object_set_int_member (o, "uid", info->uid);
  else
    json_object_set_null_member (o, "uid");
  json_object_set_null_member (o, "user");
  if (row->pid > 0)
    json_object_set_int_member (o, "pid", row->pid);
  else
    json_object_set_null_member (o, "pid");
  if (row->process != NULL)
    {
      g_autofree char *process = porthole_escape_text (row->process, -1, FALSE);

      json_object_set_string_member (o, "process", process);
    }
  else
    json_object_set_null_member (o, "process");
  json_object_set_string_member (o, "range", porthole_port_range_id (porthole_port_range (info->local_port)));
  if (service != NULL)
    json_object_set_string_member (o, "service", service);
  else
    json_object_set_null_member (o, "service");
  return o;
}

/* The first line starting with MARK in @out, within its first 64 KiB (a login script may print
 * something first). Returns the word after it, and where the listing starts. */
static char *
find_mark (const char *out, gsize len, gsize *body)
{
  gsize limit = MIN (len, 64 * 1024);
  gsize i = 0;

  while (i < limit)
    {
      const char *nl = memchr (out + i, '\n', len - i);
      gsize end = nl ? (gsize) (nl - out) : len;

      if (end - i > strlen (MARK) && memcmp (out + i, MARK, strlen (MARK)) == 0)
        {
          *body = nl ? end + 1 : len;
          return g_strndup (out + i + strlen (MARK), end - i - strlen (MARK));
        }
      if (nl == NULL)
        break;
      i = end + 1;
    }
  return NULL;
}

PortholeRemoteResult *
porthole_remote_interpret (const char *shown,
                           const char *accept_command,
                           const char *out,
                           gsize       out_len,
                           const char *err,
                           gsize       err_len,
                           int         exit_status,
                           GError    **error)
{
  g_autoptr(PortholeRemoteResult) result = NULL;
  g_autofree char *err_text = g_strndup (err, err_len);
  g_autofree char *mark = NULL;
  gsize body = 0;

  mark = find_mark (out, out_len, &body);
  if (mark == NULL)
    {
      g_autofree char *line = NULL;

      /* ssh's own failures are status 255, before the remote command ever ran */
      if (exit_status == 255 || (out_len == 0 && exit_status != 0))
        {
          if (exit_status == 255)
            {
              ssh_error (shown, accept_command, err_text, error);
              return NULL;
            }
          line = last_message (err_text);
          g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_FAILED,
                       _("%s: the remote command failed (status %d): %s"),
                       shown, exit_status, line ? line : _("no message"));
          return NULL;
        }
      line = excerpt (out, out_len);
      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_JUNK,
                   _("%s answered with something that is not a socket list (a forced command in "
                     "authorized_keys?): “%s”"),
                   shown, line);
      return NULL;
    }

  /* The listing started, then ssh failed: the connection (or sshd) went away under it */
  if (exit_status == 255)
    {
      g_autofree char *line = last_message (err_text);

      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_DROPPED,
                   _("%s: the connection broke in the middle of the answer: %s"),
                   shown, line ? line : _("no message"));
      return NULL;
    }

  if (strcmp (mark, "porthole-cli") == 0)
    {
      /* 2 is the contract's "bad input": a porthole-cli that knows no `list --all --json` */
      if (exit_status == 2)
        {
          g_autofree char *line = last_message (err_text);

          g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_VERSION,
                       _("%s: its porthole-cli refused “list --all --json” (%s): another version; "
                         "install the same Porthole version there"),
                       shown, line ? line : _("no message"));
          return NULL;
        }
      if (exit_status != 0)
        {
          g_autofree char *line = last_message (err_text);

          g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_FAILED,
                       _("%s: porthole-cli there failed (status %d): %s"),
                       shown, exit_status, line ? line : _("no message"));
          return NULL;
        }
      result = result_new (PORTHOLE_REMOTE_SOURCE_PORTHOLE_CLI);
      if (!take_json_rows (shown, out + body, out_len - body, result->rows, error))
        return NULL;
      return g_steal_pointer (&result);
    }

  if (strcmp (mark, "ss") == 0 || strcmp (mark, "ss-plain") == 0)
    {
      g_autofree char *plain_mark = NULL;
      gsize plain_body = 0;
      gboolean plain = strcmp (mark, "ss-plain") == 0;
      guint n;

      /* ss -tuanpeHO failed: what follows the second mark is plain ss */
      if (!plain && (plain_mark = find_mark (out + body, out_len - body, &plain_body)) != NULL &&
          strcmp (plain_mark, "ss-plain") == 0)
        {
          plain = TRUE;
          body += plain_body;
        }
      if (exit_status != 0)
        {
          g_autofree char *line = last_message (err_text);

          g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_FAILED,
                       _("%s: porthole-cli is not installed there, and ss failed (status %d): %s"),
                       shown, exit_status, line ? line : _("no message"));
          return NULL;
        }
      {
        g_autoptr(GArray) ss_rows = porthole_ss_rows_new ();
        PortholeServices *services = porthole_services_get_default ();

        result = result_new (PORTHOLE_REMOTE_SOURCE_SS);
        n = porthole_ss_parse (out + body, out_len - body, ss_rows, &result->n_bad_lines);
        if (n == 0 && result->n_bad_lines > 0)
          {
            g_autofree char *line = excerpt (out + body, out_len - body);

            g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_JUNK,
                         _("%s: ss there printed something that is not a socket list: “%s”"),
                         shown, line);
            return NULL;
          }
        for (guint i = 0; i < ss_rows->len; i++)
          g_ptr_array_add (result->rows,
                           ss_row_to_json (&g_array_index (ss_rows, PortholeSsRow, i), !plain, services));
      }
      result->notice = g_strdup_printf (_("%s: porthole-cli is not installed there; listed with ss "
                                          "(no user names)"),
                                        shown);
      return g_steal_pointer (&result);
    }

  if (strcmp (mark, "none") == 0)
    {
      g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_NO_LISTER,
                   _("%s: neither porthole-cli nor ss is installed there (ss is in the iproute2 "
                     "package)"),
                   shown);
      return NULL;
    }

  {
    g_autofree char *line = excerpt (mark, strlen (mark));

    g_set_error (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_JUNK,
                 _("%s answered with an unknown listing “%s”"), shown, line);
  }
  return NULL;
}

/* --- running ssh --- */

typedef struct {
  PortholeSshDestination dest;
  PortholeRemoteOptions  options;
  char                  *shown;
  char                  *accept_command;
  GSubprocess           *process;
  GByteArray            *out;
  GByteArray            *err;
  GCancellable          *read_cancel;   /* stops reads of pipes ssh left to someone else */
  GSource               *timeout;
  GSource               *grace;
  GError                *failure;       /* ours: too big, timed out */
  gulong                 cancel_id;
  gboolean               out_done;
  gboolean               err_done;
  gboolean               exited;
  gboolean               probing;       /* the -v rerun that shows an unknown host key */
  GError                *first_error;   /* the error before the -v rerun */
  char                  *command;       /* porthole_remote_run_async's; NULL: the listing */
} Query;

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
query_free (Query *q)
{
  porthole_ssh_destination_clear (&q->dest);
  g_free (q->shown);
  g_free (q->accept_command);
  g_clear_object (&q->process);
  g_clear_pointer (&q->out, g_byte_array_unref);
  g_clear_pointer (&q->err, g_byte_array_unref);
  g_clear_object (&q->read_cancel);
  destroy_source (&q->timeout);
  destroy_source (&q->grace);
  g_clear_error (&q->failure);
  g_clear_error (&q->first_error);
  g_free (q->command);
  g_free (q);
}

/* The ControlPath directory, or NULL when none can be used (ssh then opens its own connection) */
static char *
control_dir (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "porthole", NULL);

  /* ssh binds "<path>.<16 random characters>" first: that must fit in sun_path */
  if (strlen (dir) + strlen ("/ssh-") + 40 + 17 + 1 > sizeof (((struct sockaddr_un *) NULL)->sun_path))
    return NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return NULL;
  return g_steal_pointer (&dir);
}

static void
add (GPtrArray *argv, const char *arg)
{
  g_ptr_array_add (argv, g_strdup (arg));
}

static GPtrArray *
ssh_argv (Query *q, gboolean probe)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *config = g_getenv ("PORTHOLE_SSH_CONFIG");
  g_autofree char *dir = probe ? NULL : control_dir ();

  add (argv, "ssh");
  if (config != NULL && *config != '\0')
    {
      add (argv, "-F");
      add (argv, config);
    }
  if (probe)
    add (argv, "-v");
  add (argv, "-o");
  add (argv, "BatchMode=yes");
  add (argv, "-o");
  g_ptr_array_add (argv, g_strdup_printf ("ConnectTimeout=%u", q->options.connect_timeout_s));
  if (dir != NULL)
    {
      add (argv, "-o");
      add (argv, "ControlMaster=auto");
      add (argv, "-o");
      g_ptr_array_add (argv, g_strdup_printf ("ControlPath=%s/ssh-%%C", dir));
      add (argv, "-o");
      add (argv, "ControlPersist=60");
    }
  else
    {
      add (argv, "-o");
      add (argv, "ControlPath=none");
    }
  porthole_ssh_destination_to_argv (&q->dest, argv);
  /* The -v rerun only has to get as far as the host key */
  add (argv, probe ? "true" : q->command ? q->command : remote_command);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* What a person types to meet the host key: ssh asks them, shows the fingerprint */
static char *
accept_command (const PortholeSshDestination *dest)
{
  GString *cmd = g_string_new ("ssh");
  const char *config = g_getenv ("PORTHOLE_SSH_CONFIG");

  if (config != NULL && *config != '\0')
    {
      g_autofree char *quoted = NULL;

      /* quoted only when a shell would need it */
      for (const char *p = config; *p && quoted == NULL; p++)
        if (!g_ascii_isalnum (*p) && !strchr ("/._-+,", *p))
          quoted = g_shell_quote (config);
      g_string_append_printf (cmd, " -F %s", quoted ? quoted : config);
    }
  if (dest->port != 0)
    g_string_append_printf (cmd, " -p %u", dest->port);
  g_string_append_c (cmd, ' ');
  if (dest->user != NULL)
    g_string_append_printf (cmd, "%s@", dest->user);
  g_string_append (cmd, dest->host);
  return g_string_free (cmd, FALSE);
}

static void start (GTask *task, gboolean probe);

static void
finish (GTask *task)
{
  Query *q = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PortholeRemoteResult *result;
  int status;

  destroy_source (&q->timeout);
  destroy_source (&q->grace);
  if (q->cancel_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), q->cancel_id);
      q->cancel_id = 0;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (q->failure != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&q->failure));
      g_object_unref (task);
      return;
    }

  status = g_subprocess_get_if_exited (q->process) ? g_subprocess_get_exit_status (q->process) : -1;
  if (q->probing)
    {
      /* Only the fingerprint is wanted from the rerun; anything else keeps the first error */
      g_autofree char *err_text = g_strndup ((const char *) q->err->data, q->err->len);

      if (status == 255 && strstr (err_text, "Server host key:"))
        ssh_error (q->shown, q->accept_command, err_text, &error);
      g_task_return_error (task, error ? g_steal_pointer (&error) : g_steal_pointer (&q->first_error));
      g_object_unref (task);
      return;
    }

  g_byte_array_append (q->out, (const guint8 *) "", 1);
  g_byte_array_append (q->err, (const guint8 *) "", 1);
  if (q->command != NULL && status != 255)
    {
      /* porthole_remote_run_async: the remote command ran; its caller reads what it said */
      PortholeRemoteOutput *output = g_new0 (PortholeRemoteOutput, 1);

      output->exit_status = status;
      g_byte_array_set_size (q->out, q->out->len - 1);
      output->out = g_byte_array_free_to_bytes (g_steal_pointer (&q->out));
      output->err = g_strndup ((const char *) q->err->data, q->err->len - 1);
      g_task_return_pointer (task, output, (GDestroyNotify) porthole_remote_output_free);
      g_object_unref (task);
      return;
    }
  if (q->command != NULL)
    {
      ssh_error (q->shown, q->accept_command, (const char *) q->err->data, &error);
      result = NULL;
    }
  else
    result = porthole_remote_interpret (q->shown, q->accept_command, (const char *) q->out->data,
                                        q->out->len - 1, (const char *) q->err->data, q->err->len - 1,
                                        status, &error);
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) porthole_remote_result_free);
  else if (g_error_matches (error, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_HOST_KEY_UNKNOWN) &&
           strstr (error->message, "SHA256:") == NULL)
    {
      /* ssh in BatchMode says no more than "Host key verification failed": ask it again,
       * verbosely, for the fingerprint it was shown (nothing is accepted) */
      q->first_error = g_steal_pointer (&error);
      start (task, TRUE);
      return;
    }
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
maybe_finish (GTask *task)
{
  Query *q = g_task_get_task_data (task);

  if (q->exited && q->out_done && q->err_done)
    finish (task);
}

static gboolean
on_grace (gpointer data)
{
  Query *q = g_task_get_task_data (data);

  /* ssh is gone but a pipe is still open (a ProxyCommand child?): stop reading */
  g_clear_pointer (&q->grace, g_source_unref);
  g_cancellable_cancel (q->read_cancel);
  return G_SOURCE_REMOVE;
}

static void
on_exited (GObject *source, GAsyncResult *res, gpointer data)
{
  GTask *task = data;
  Query *q = g_task_get_task_data (task);

  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  q->exited = TRUE;
  /* Through ControlMaster, ssh hands our pipes to the master process, which keeps writing
   * the remote's output into them until the remote command ends: once ssh is killed on
   * purpose (timeout, too big, cancelled) nothing more is wanted from them */
  if (q->failure != NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_cancellable_cancel (q->read_cancel);
  else if (!q->out_done || !q->err_done)
    {
      q->grace = g_timeout_source_new (PIPE_GRACE_MS);
      g_source_set_callback (q->grace, on_grace, task, NULL);
      g_source_attach (q->grace, g_task_get_context (task));
    }
  maybe_finish (task);
}

static void
kill_ssh (Query *q, GError *failure)
{
  if (q->failure == NULL)
    q->failure = failure;
  else
    g_clear_error (&failure);
  g_subprocess_force_exit (q->process);
}

static void read_more (GTask *task, gboolean is_out);

static void
on_read (GObject *source, GAsyncResult *res, gpointer data, gboolean is_out)
{
  GTask *task = data;
  Query *q = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, NULL);
  GByteArray *buf = is_out ? q->out : q->err;
  gsize n = bytes ? g_bytes_get_size (bytes) : 0;

  if (n == 0)
    {
      *(is_out ? &q->out_done : &q->err_done) = TRUE;
      maybe_finish (task);
      return;
    }
  if (is_out && buf->len + n > q->options.max_output)
    {
      kill_ssh (q, g_error_new (PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_TOO_BIG,
                                _("%s: the answer is larger than %" G_GSIZE_FORMAT " MiB: stopped"),
                                q->shown, q->options.max_output / (1024 * 1024)));
      q->out_done = TRUE;
      maybe_finish (task);
      return;
    }
  /* ssh's stderr: keep the start, drain the rest */
  if (is_out || buf->len < MAX_STDERR)
    g_byte_array_append (buf, g_bytes_get_data (bytes, NULL), is_out ? n : MIN (n, MAX_STDERR - buf->len));
  read_more (task, is_out);
}

static void on_read_out (GObject *s, GAsyncResult *r, gpointer d) { on_read (s, r, d, TRUE); }
static void on_read_err (GObject *s, GAsyncResult *r, gpointer d) { on_read (s, r, d, FALSE); }

static void
read_more (GTask *task, gboolean is_out)
{
  Query *q = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (is_out ? g_subprocess_get_stdout_pipe (q->process)
                                          : g_subprocess_get_stderr_pipe (q->process),
                                   READ_CHUNK, G_PRIORITY_DEFAULT, q->read_cancel,
                                   is_out ? on_read_out : on_read_err, task);
}

static gboolean
on_timeout (gpointer data)
{
  Query *q = g_task_get_task_data (data);

  g_clear_pointer (&q->timeout, g_source_unref);
  kill_ssh (q, g_error_new (PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_TIMEOUT,
                            _("%s: no complete answer within %u s: stopped"),
                            q->shown, (q->options.timeout_ms + 999) / 1000));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  Query *q = g_task_get_task_data (data);

  if (q->process != NULL)
    g_subprocess_force_exit (q->process);
}

static void
start (GTask *task, gboolean probe)
{
  Query *q = g_task_get_task_data (task);
  g_autoptr(GPtrArray) argv = ssh_argv (q, probe);
  g_autoptr(GError) error = NULL;

  g_clear_object (&q->process);
  g_clear_object (&q->read_cancel);
  g_clear_pointer (&q->out, g_byte_array_unref);
  g_clear_pointer (&q->err, g_byte_array_unref);
  q->out = g_byte_array_new ();
  q->err = g_byte_array_new ();
  q->read_cancel = g_cancellable_new ();
  q->out_done = q->err_done = q->exited = FALSE;
  q->probing = probe;

  q->process = g_subprocess_newv ((const char *const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error);
  if (q->process == NULL)
    {
      if (probe)
        g_task_return_error (task, g_steal_pointer (&q->first_error));
      else
        g_task_return_new_error (task, PORTHOLE_REMOTE_ERROR, PORTHOLE_REMOTE_ERROR_NO_SSH,
                                 _("%s: cannot run ssh (the OpenSSH client): %s"),
                                 q->shown, error->message);
      g_object_unref (task);
      return;
    }
  if (q->timeout == NULL)
    {
      q->timeout = g_timeout_source_new (q->options.timeout_ms);
      g_source_set_callback (q->timeout, on_timeout, task, NULL);
      g_source_attach (q->timeout, g_task_get_context (task));
    }
  if (g_task_get_cancellable (task) != NULL && q->cancel_id == 0)
    q->cancel_id = g_cancellable_connect (g_task_get_cancellable (task), G_CALLBACK (on_cancelled),
                                          task, NULL);
  g_subprocess_wait_async (q->process, NULL, on_exited, task);
  read_more (task, TRUE);
  read_more (task, FALSE);
}

static void
query_start (const PortholeSshDestination *dest,
             const PortholeRemoteOptions  *options,
             const char                   *command,
             gpointer                      source_tag,
             GCancellable                 *cancellable,
             GAsyncReadyCallback           callback,
             gpointer                      user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Query *q = g_new0 (Query, 1);

  g_task_set_source_tag (task, source_tag);
  q->dest.user = g_strdup (dest->user);
  q->dest.host = g_strdup (dest->host);
  q->dest.port = dest->port;
  q->command = g_strdup (command);
  if (options != NULL)
    q->options = *options;
  if (q->options.connect_timeout_s == 0)
    q->options.connect_timeout_s = DEFAULT_CONNECT_TIMEOUT_S;
  if (q->options.timeout_ms == 0)
    q->options.timeout_ms = DEFAULT_TIMEOUT_MS;
  if (q->options.max_output == 0)
    q->options.max_output = DEFAULT_MAX_OUTPUT;
  q->accept_command = accept_command (&q->dest);
  q->shown = porthole_remote_shown (dest);
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);
  start (task, FALSE);
}

char *
porthole_remote_shown (const PortholeSshDestination *dest)
{
  return dest->port != 0 ? g_strdup_printf ("%s%s%s%s%s:%u", dest->user ? dest->user : "",
                                            dest->user ? "@" : "",
                                            strchr (dest->host, ':') ? "[" : "", dest->host,
                                            strchr (dest->host, ':') ? "]" : "", dest->port)
                         : g_strdup_printf ("%s%s%s", dest->user ? dest->user : "",
                                            dest->user ? "@" : "", dest->host);
}

void
porthole_remote_list_async (const PortholeSshDestination *dest,
                            const PortholeRemoteOptions  *options,
                            GCancellable                 *cancellable,
                            GAsyncReadyCallback           callback,
                            gpointer                      user_data)
{
  query_start (dest, options, NULL, porthole_remote_list_async, cancellable, callback, user_data);
}

void
porthole_remote_output_free (PortholeRemoteOutput *output)
{
  if (output == NULL)
    return;
  g_clear_pointer (&output->out, g_bytes_unref);
  g_free (output->err);
  g_free (output);
}

void
porthole_remote_run_async (const PortholeSshDestination *dest,
                           const PortholeRemoteOptions  *options,
                           const char                   *command,
                           GCancellable                 *cancellable,
                           GAsyncReadyCallback           callback,
                           gpointer                      user_data)
{
  g_return_if_fail (command != NULL);
  query_start (dest, options, command, porthole_remote_run_async, cancellable, callback, user_data);
}

PortholeRemoteOutput *
porthole_remote_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == porthole_remote_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

PortholeRemoteResult *
porthole_remote_list_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == porthole_remote_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
