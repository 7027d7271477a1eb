/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-container-names-private.h"

#include "porthole-escape.h"

#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <string.h>

/* json-glib's parser recurses once per level: a socket answering "[[[[..." must not be able
 * to exhaust the worker thread's stack. Real answers nest five levels deep. */
#define MAX_DEPTH 64
/* The storage file's "metadata" member is itself JSON in a string; real ones are ~300 bytes */
#define MAX_METADATA (64 * 1024)
#define MAX_ID 128

void
porthole_container_info_free (PortholeContainerInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->image);
  g_free (info->runtime);
  g_clear_pointer (&info->ports, g_array_unref);
  g_free (info);
}

GPtrArray *
porthole_container_info_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) porthole_container_info_free);
}

static void
port_clear (gpointer data)
{
  PortholeContainerPort *port = data;

  g_clear_pointer (&port->host_address, g_free);
}

gboolean
porthole_container_info_equal (const PortholeContainerInfo *a, const PortholeContainerInfo *b)
{
  if (g_strcmp0 (a->id, b->id) != 0 || g_strcmp0 (a->name, b->name) != 0
      || g_strcmp0 (a->image, b->image) != 0 || g_strcmp0 (a->runtime, b->runtime) != 0
      || a->ports->len != b->ports->len)
    return FALSE;
  for (guint i = 0; i < a->ports->len; i++)
    {
      const PortholeContainerPort *p = &g_array_index (a->ports, PortholeContainerPort, i);
      const PortholeContainerPort *q = &g_array_index (b->ports, PortholeContainerPort, i);

      if (p->protocol != q->protocol || p->host_port != q->host_port
          || p->container_port != q->container_port
          || g_strcmp0 (p->host_address, q->host_address) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Depth of brackets outside strings, without building anything */
static gboolean
nesting_ok (const char *data, gsize length)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static JsonNode *
parse_json (const char *data, gsize length)
{
  g_autoptr(JsonParser) parser = NULL;

  if (data == NULL || length == 0 || length > G_MAXSSIZE || !nesting_ok (data, length))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* -1 when missing, not an integer, or outside 0..65535 */
static gint64
member_port (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  value = json_node_get_int (node);
  return value >= 0 && value <= G_MAXUINT16 ? value : -1;
}

/* The first string of an array member */
static const char *
member_first_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;
  JsonNode *first;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return NULL;
  first = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_VALUE (first) || json_node_get_value_type (first) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (first);
}

/* Escaped for display and at most PORTHOLE_CONTAINER_TEXT_MAX characters, ending in "…" when
 * cut. The input is cut first, so a 10 MB name costs no more than a short one. */
static char *
bounded_text (const char *text)
{
  gsize limit = PORTHOLE_CONTAINER_TEXT_MAX * 4;
  gsize length;
  gboolean cut;
  g_autofree char *escaped = NULL;

  if (text == NULL || text[0] == '\0')
    return NULL;
  length = strnlen (text, limit);
  cut = text[length] != '\0';
  escaped = porthole_escape_text (text, (gssize) length, FALSE);
  if (!cut && g_utf8_strlen (escaped, -1) <= PORTHOLE_CONTAINER_TEXT_MAX)
    return g_steal_pointer (&escaped);
  {
    g_autofree char *head = g_utf8_substring (escaped, 0, PORTHOLE_CONTAINER_TEXT_MAX - 1);

    return g_strconcat (head, "…", NULL);
  }
}

/* Ids are hex (Docker, Podman); anything else cannot match a cgroup path and is not shown */
static gboolean
id_ok (const char *id)
{
  gsize i;

  if (id == NULL)
    return FALSE;
  for (i = 0; id[i] != '\0'; i++)
    if (i >= MAX_ID || !g_ascii_isalnum (id[i]))
      return FALSE;
  return i > 0;
}

static PortholeContainerInfo *
info_new (const char *id, const char *name, const char *image, const char *runtime)
{
  PortholeContainerInfo *info = g_new0 (PortholeContainerInfo, 1);

  info->id = g_ascii_strdown (id, -1);
  /* Docker writes "/web"; Podman's libpod API and storage write "web" */
  if (name != NULL && name[0] == '/')
    name++;
  info->name = bounded_text (name);
  info->image = bounded_text (image);
  info->runtime = g_strdup (runtime);
  info->ports = g_array_new (FALSE, TRUE, sizeof (PortholeContainerPort));
  g_array_set_clear_func (info->ports, port_clear);
  return info;
}

/* One entry of "Ports", in Docker's shape {IP, PrivatePort, PublicPort, Type} or libpod's
 * {host_ip, container_port, host_port, range, protocol}; libpod's range expands to one entry
 * per port, as Docker lists them. */
static void
add_port (PortholeContainerInfo *info, JsonObject *object)
{
  gint64 container_port = member_port (object, "PrivatePort");
  gint64 host_port = member_port (object, "PublicPort");
  gint64 range = member_port (object, "range");
  const char *protocol = member_string (object, "Type");
  const char *ip = member_string (object, "IP");
  g_autofree char *host_address = NULL;
  guint8 proto;

  if (container_port < 0)
    container_port = member_port (object, "container_port");
  if (host_port < 0)
    host_port = member_port (object, "host_port");
  if (protocol == NULL)
    protocol = member_string (object, "protocol");
  if (ip == NULL)
    ip = member_string (object, "host_ip");
  if (container_port <= 0)
    return;
  /* Podman leaves the protocol empty for TCP; SCTP and the rest have no socket Porthole shows */
  if (protocol == NULL || protocol[0] == '\0' || g_ascii_strcasecmp (protocol, "tcp") == 0)
    proto = IPPROTO_TCP;
  else if (g_ascii_strcasecmp (protocol, "udp") == 0)
    proto = IPPROTO_UDP;
  else
    return;
  if (host_port > 0)
    {
      g_autoptr(GInetAddress) address = NULL;

      /* An empty host address means every address, which is how Podman writes 0.0.0.0 */
      if (ip == NULL || ip[0] == '\0')
        ip = "0.0.0.0";
      address = g_inet_address_new_from_string (ip);
      if (address == NULL)
        return;
      host_address = g_inet_address_to_string (address);
    }
  if (range < 1)
    range = 1;
  for (gint64 i = 0; i < range && info->ports->len < PORTHOLE_CONTAINER_PORTS_MAX; i++)
    {
      PortholeContainerPort port = { 0 };

      if (container_port + i > G_MAXUINT16 || (host_port > 0 && host_port + i > G_MAXUINT16))
        break;
      port.protocol = proto;
      port.container_port = (guint16) (container_port + i);
      if (host_port > 0)
        {
          port.host_port = (guint16) (host_port + i);
          port.host_address = g_strdup (host_address);
        }
      g_array_append_val (info->ports, port);
    }
}

gboolean
porthole_container_names_parse_api (const char *data,
                                    gsize       length,
                                    const char *runtime,
                                    GPtrArray  *infos)
{
  g_autoptr(JsonNode) root = parse_json (data, length);
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *ports;
      PortholeContainerInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (!id_ok (member_string (object, "Id")))
        continue;
      info = info_new (member_string (object, "Id"), member_first_string (object, "Names"),
                       member_string (object, "Image"), runtime);
      ports = json_object_get_member (object, "Ports");
      if (ports != NULL && JSON_NODE_HOLDS_ARRAY (ports))
        {
          JsonArray *list = json_node_get_array (ports);

          for (guint j = 0; j < json_array_get_length (list); j++)
            {
              JsonNode *port = json_array_get_element (list, j);

              if (JSON_NODE_HOLDS_OBJECT (port))
                add_port (info, json_node_get_object (port));
            }
        }
      g_ptr_array_add (infos, info);
    }
  return TRUE;
}

/* "metadata" is a JSON object written into a string: {"image-name": ..., "name": ...} */
static char *
storage_image (JsonObject *object)
{
  const char *metadata = member_string (object, "metadata");
  g_autoptr(JsonNode) root = NULL;
  const char *image;

  if (metadata == NULL)
    return NULL;
  root = parse_json (metadata, strnlen (metadata, MAX_METADATA + 1));
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  image = member_string (json_node_get_object (root), "image-name");
  return image != NULL ? g_strdup (image) : NULL;
}

gboolean
porthole_container_names_parse_storage (const char *data, gsize length, GPtrArray *infos)
{
  g_autoptr(JsonNode) root = parse_json (data, length);
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      g_autofree char *image = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (!id_ok (member_string (object, "id")))
        continue;
      image = storage_image (object);
      g_ptr_array_add (infos, info_new (member_string (object, "id"),
                                        member_first_string (object, "names"), image, "podman"));
    }
  return TRUE;
}
