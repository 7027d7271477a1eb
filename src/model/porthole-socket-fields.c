/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-socket-fields.h"

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
