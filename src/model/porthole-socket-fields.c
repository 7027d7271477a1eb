/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-socket-fields.h"

#include <string.h>

static const char *
get_range (PortholeSocket *s)
{
  return porthole_port_range_id (porthole_socket_get_range (s));
}

/* A sandbox's overflow uid names nobody: null, not "nfsnobody" */
static const char *
get_user (PortholeSocket *s)
{
  return porthole_socket_get_uid_hidden (s) ? NULL : porthole_socket_get_user (s);
}

static gint64 get_local_port (PortholeSocket *s, gboolean *n) { return porthole_socket_get_local_port (s); }
static gint64 get_remote_port (PortholeSocket *s, gboolean *n) { return porthole_socket_get_remote_port (s); }
static gint64 get_inode (PortholeSocket *s, gboolean *n) { return (gint64) porthole_socket_get_inode (s); }

static gint64
get_uid (PortholeSocket *s, gboolean *is_null)
{
  *is_null = porthole_socket_get_uid_hidden (s);
  return porthole_socket_get_uid (s);
}

static gint64
get_pid (PortholeSocket *s, gboolean *is_null)
{
  *is_null = porthole_socket_get_pid (s) <= 0;
  return porthole_socket_get_pid (s);
}

static const PortholeSocketField fields[] = {
  { "protocol", porthole_socket_get_protocol, NULL },
  { "family", porthole_socket_get_family, NULL },
  { "state", porthole_socket_get_state, NULL },
  { "local_address", porthole_socket_get_local_address, NULL },
  { "local_port", NULL, get_local_port },
  { "remote_address", porthole_socket_get_remote_address, NULL },
  { "remote_port", NULL, get_remote_port },
  { "inode", NULL, get_inode },
  { "uid", NULL, get_uid },
  { "user", get_user, NULL },
  { "pid", NULL, get_pid },
  { "process", porthole_socket_get_process, NULL },
  { "range", get_range, NULL },
  { "service", porthole_socket_get_service, NULL },
};

const PortholeSocketField *
porthole_socket_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

JsonNode *
porthole_socket_to_json (PortholeSocket *socket, JsonBuilder *b)
{
  json_builder_reset (b);
  json_builder_begin_object (b);
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      json_builder_set_member_name (b, fields[f].name);
      if (fields[f].get_string)
        {
          const char *v = fields[f].get_string (socket);

          if (v)
            json_builder_add_string_value (b, v);
          else
            json_builder_add_null_value (b);
        }
      else
        {
          gboolean is_null = FALSE;
          gint64 v = fields[f].get_int (socket, &is_null);

          if (is_null)
            json_builder_add_null_value (b);
          else
            json_builder_add_int_value (b, v);
        }
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* A member's two nodes: json-glib 1.6's json_node_init_*() cannot switch an existing node
 * between null and a value (json_node_unset() leaves the freed JsonValue behind and the next
 * init writes to it), so a field that turns null or back swaps which node the row holds */
typedef struct {
  JsonNode *value;
  JsonNode *null;
  gboolean  is_null;
} Member;

struct _PortholeSocketJsonWriter {
  JsonGenerator *generator;
  JsonObject    *row;
  Member         members[G_N_ELEMENTS (fields)];
};

PortholeSocketJsonWriter *
porthole_socket_json_writer_new (void)
{
  PortholeSocketJsonWriter *writer = g_new0 (PortholeSocketJsonWriter, 1);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  writer->row = json_object_new ();
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      Member *m = &writer->members[f];

      m->value = fields[f].get_string ? json_node_init_string (json_node_alloc (), "")
                                      : json_node_init_int (json_node_alloc (), 0);
      m->null = json_node_new (JSON_NODE_NULL);
      m->is_null = TRUE;
      json_object_set_member (writer->row, fields[f].name, json_node_ref (m->null));
    }
  json_node_set_object (root, writer->row);
  writer->generator = json_generator_new ();
  /* the generator's root is a copy of @root that shares (refs) the row object: the members
   * updated below are the ones it writes */
  json_generator_set_root (writer->generator, root);
  return writer;
}

static JsonNode *
show_member (PortholeSocketJsonWriter *writer, guint f, gboolean is_null)
{
  Member *m = &writer->members[f];

  if (m->is_null != is_null)
    {
      /* replaces the node in place: the member keeps its position */
      json_object_set_member (writer->row, fields[f].name,
                              json_node_ref (is_null ? m->null : m->value));
      m->is_null = is_null;
    }
  return m->value;
}

void
porthole_socket_json_writer_append (PortholeSocketJsonWriter *writer,
                                    PortholeSocket           *socket,
                                    GString                  *out)
{
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      if (fields[f].get_string)
        {
          const char *v = fields[f].get_string (socket);
          JsonNode *node = show_member (writer, f, v == NULL);

          /* most values repeat from row to row ("tcp", "ipv4", "ESTABLISHED", the user, the
           * range): comparing is cheaper than freeing and copying */
          if (v != NULL && strcmp (json_node_get_string (node), v) != 0)
            json_node_set_string (node, v);
        }
      else
        {
          gboolean is_null = FALSE;
          gint64 v = fields[f].get_int (socket, &is_null);
          JsonNode *node = show_member (writer, f, is_null);

          if (!is_null)
            json_node_set_int (node, v);
        }
    }
  json_generator_to_gstring (writer->generator, out);
}

void
porthole_socket_json_writer_free (PortholeSocketJsonWriter *writer)
{
  if (writer == NULL)
    return;
  g_object_unref (writer->generator);
  json_object_unref (writer->row);
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      json_node_unref (writer->members[f].value);
      json_node_unref (writer->members[f].null);
    }
  g_free (writer);
}
