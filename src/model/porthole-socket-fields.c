/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-socket-fields.h"

#include "porthole-escape.h"

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

static const char *
get_exposure (PortholeSocket *s)
{
  return porthole_exposure_to_string (porthole_socket_get_exposure (s));
}

/* Namespace ids are inode numbers, up to 2^64: a string, which no JSON reader rounds */
static const char *
get_netns (PortholeSocket *s, char *buf)
{
  guint64 id = porthole_socket_get_netns (s);

  if (id == 0)
    return NULL;
  g_snprintf (buf, PORTHOLE_SOCKET_FIELD_TEXT_SIZE, "%" G_GUINT64_FORMAT, id);
  return buf;
}

/* The TCP counters (DESIGN.md): null where the kernel gave none (UDP, TIME_WAIT, /proc/net) */
static gint64
get_bytes_sent (PortholeSocket *s, gboolean *is_null)
{
  *is_null = !porthole_socket_has_traffic (s);
  return (gint64) porthole_socket_get_bytes_sent (s);
}

static gint64
get_bytes_received (PortholeSocket *s, gboolean *is_null)
{
  *is_null = !porthole_socket_has_traffic (s);
  return (gint64) porthole_socket_get_bytes_received (s);
}

/* A listener has no peer: its own round trip and retransmissions would read as its
 * connections', which they are not */
static gint64
get_rtt_us (PortholeSocket *s, gboolean *is_null)
{
  const PortholeSockInfo *info = porthole_socket_get_info (s);

  *is_null = porthole_socket_is_listening (s) ||
             !porthole_sockinfo_has_tcp_info (info, PORTHOLE_TCP_INFO_RTT);
  return info->rtt_us;
}

static gint64
get_retransmits (PortholeSocket *s, gboolean *is_null)
{
  *is_null = porthole_socket_is_listening (s) ||
             !porthole_sockinfo_has_tcp_info (porthole_socket_get_info (s),
                                              PORTHOLE_TCP_INFO_TOTAL_RETRANS);
  return porthole_socket_get_retransmits (s);
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
  /* the second round's keys (DESIGN.md); the writer keeps them in the row's tail (N_HEAD) */
  { "exposure", get_exposure, NULL },
  { "netns", NULL, NULL, get_netns },
  /* issue 12's counters: in JSON after "container" and "published" (N_FLAT_TAIL), in CSV the
   * last columns, so that every earlier column keeps its place */
  { "bytes_sent", NULL, get_bytes_sent },
  { "bytes_received", NULL, get_bytes_received },
  { "rtt_us", NULL, get_rtt_us },
  { "retransmits", NULL, get_retransmits },
};

/* The first round's fields, up to "service"; then the flat fields of the row's tail, up to
 * "netns"; the rest are the counters */
#define N_HEAD 14
#define N_FLAT_TAIL 16

/* The name of @ref for JSON: the runtime's, else the one its cgroup tells, else NULL (the id
 * is there already). Borrowed from @names, or escaped into *@owned. */
static const char *
container_name (PortholeContainerNames *names, const PortholeContainerRef *ref, char **owned)
{
  const PortholeContainerInfo *info =
    names && ref->id ? porthole_container_names_lookup (names, ref->id) : NULL;

  if (info && info->name)
    return info->name;
  if (ref->name)
    return *owned = porthole_escape_text (ref->name, -1, FALSE);
  return NULL;
}

static const PortholeContainerRef *
published_container (const PortholePublished *p)
{
  return p->container.runtime != PORTHOLE_RUNTIME_NONE ? &p->container : NULL;
}

const PortholeSocketField *
porthole_socket_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

static void
add_string_or_null (JsonBuilder *b, const char *v)
{
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_container (JsonBuilder *b, PortholeContainerNames *names, const PortholeContainerRef *ref)
{
  g_autofree char *owned = NULL;

  if (ref == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "runtime");
  add_string_or_null (b, porthole_runtime_to_string (ref->runtime));
  json_builder_set_member_name (b, "id");
  add_string_or_null (b, ref->id);
  json_builder_set_member_name (b, "name");
  add_string_or_null (b, container_name (names, ref, &owned));
  json_builder_end_object (b);
}

static void
add_fields (JsonBuilder *b, PortholeSocket *socket, guint from, guint to)
{
  for (guint f = from; f < to; f++)
    {
      json_builder_set_member_name (b, fields[f].name);
      if (fields[f].get_string)
        add_string_or_null (b, fields[f].get_string (socket));
      else if (fields[f].get_text)
        {
          char buf[PORTHOLE_SOCKET_FIELD_TEXT_SIZE];

          add_string_or_null (b, fields[f].get_text (socket, buf));
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
}

JsonNode *
porthole_socket_to_json (PortholeSocket *socket, JsonBuilder *b)
{
  return porthole_socket_to_json_with_names (socket, NULL, b);
}

JsonNode *
porthole_socket_to_json_with_names (PortholeSocket         *socket,
                                    PortholeContainerNames *names,
                                    JsonBuilder            *b)
{
  const PortholePublished *p = porthole_socket_get_published (socket);

  json_builder_reset (b);
  json_builder_begin_object (b);
  add_fields (b, socket, 0, N_FLAT_TAIL);
  json_builder_set_member_name (b, "container");
  add_container (b, names, porthole_socket_get_container (socket));
  json_builder_set_member_name (b, "published");
  if (p == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "host_address");
      add_string_or_null (b, p->host_address);
      json_builder_set_member_name (b, "host_port");
      json_builder_add_int_value (b, p->host_port);
      json_builder_set_member_name (b, "container");
      add_container (b, names, published_container (p));
      json_builder_set_member_name (b, "container_port");
      json_builder_add_int_value (b, p->container_port);
      json_builder_end_object (b);
    }
  add_fields (b, socket, N_FLAT_TAIL, G_N_ELEMENTS (fields));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* A member's two nodes: json-glib 1.6's json_node_init_*() cannot switch an existing node
 * between null and a value (json_node_unset() leaves the freed JsonValue behind and the next
 * init writes to it), so a field that turns null or back swaps which node its object holds */
typedef struct {
  JsonObject *object;
  const char *name;
  JsonNode   *value;
  JsonNode   *null;
  gboolean    is_null;
} Member;

/* {runtime, id, name}, kept like the row: one object whose member nodes change in place */
typedef struct {
  Member  self;
  Member  runtime;
  Member  id;
  Member  name;
} ContainerMembers;

/* A row is written as three objects, each by its own generator, joined into one: the head (the
 * first round's fields, which change from row to row), the tail (exposure, netns, container,
 * published), whose text is kept and written again only when one of its values changed, and the
 * counters (bytes_sent, bytes_received, rtt_us, retransmits), kept the same way: they move on
 * every connection but are null on every UDP, TIME_WAIT and /proc/net row. The generator's cost
 * is per member, and most rows share one of a few tails ("loopback", null, null, null), so the
 * second round's keys cost a copy of the kept text, not four members more per row. Every byte
 * is still json-glib's. */
struct _PortholeSocketJsonWriter {
  JsonGenerator          *generator;
  JsonObject             *row;
  JsonGenerator          *tail_generator;
  JsonObject             *tail;
  GString                *tail_text;     /* the tail's object without its "{", or NULL: write it */
  JsonGenerator          *counters_generator;
  JsonObject             *counters;
  GString                *counters_text; /* the same for the counters */
  PortholeContainerNames *names;
  Member                  members[G_N_ELEMENTS (fields)];
  ContainerMembers        container;
  Member                  published;
  Member                  host_address;
  Member                  host_port;
  ContainerMembers        published_container;
  Member                  container_port;
};

/* Starts as null in @object; @value is taken */
static void
member_init (Member *m, JsonObject *object, const char *name, JsonNode *value)
{
  m->object = object;
  m->name = name;
  m->value = value;
  m->null = json_node_new (JSON_NODE_NULL);
  m->is_null = TRUE;
  json_object_set_member (object, name, json_node_ref (m->null));
}

static void
member_clear (Member *m)
{
  json_node_unref (m->value);
  json_node_unref (m->null);
}

/* TRUE when the member changed between null and a value */
static gboolean
show_member (Member *m, gboolean is_null)
{
  if (m->is_null == is_null)
    return FALSE;
  /* replaces the node in place: the member keeps its position */
  json_object_set_member (m->object, m->name, json_node_ref (is_null ? m->null : m->value));
  m->is_null = is_null;
  return TRUE;
}

/* TRUE when the value changed */
static gboolean
set_string (Member *m, const char *v)
{
  gboolean changed = show_member (m, v == NULL);

  /* most values repeat from row to row ("tcp", "ipv4", "ESTABLISHED", the user, the range):
   * comparing is cheaper than freeing and copying */
  if (v != NULL && strcmp (json_node_get_string (m->value), v) != 0)
    {
      json_node_set_string (m->value, v);
      changed = TRUE;
    }
  return changed;
}

static gboolean
set_int (Member *m, gint64 v, gboolean is_null)
{
  gboolean changed = show_member (m, is_null);

  if (!is_null && json_node_get_int (m->value) != v)
    {
      json_node_set_int (m->value, v);
      changed = TRUE;
    }
  return changed;
}

static JsonNode *
string_node (void)
{
  return json_node_init_string (json_node_alloc (), "");
}

static JsonNode *
int_node (void)
{
  return json_node_init_int (json_node_alloc (), 0);
}

/* An object member of @parent holding an object of its own, whose members are added after */
static JsonObject *
object_member_init (Member *m, JsonObject *parent, const char *name)
{
  JsonObject *object = json_object_new ();

  member_init (m, parent, name, json_node_init_object (json_node_alloc (), object));
  json_object_unref (object);   /* the node holds it */
  return object;
}

static void
container_members_init (ContainerMembers *c, JsonObject *parent, const char *name)
{
  JsonObject *object = object_member_init (&c->self, parent, name);

  member_init (&c->runtime, object, "runtime", string_node ());
  member_init (&c->id, object, "id", string_node ());
  member_init (&c->name, object, "name", string_node ());
}

static void
container_members_clear (ContainerMembers *c)
{
  member_clear (&c->runtime);
  member_clear (&c->id);
  member_clear (&c->name);
  member_clear (&c->self);
}

static gboolean
set_container (PortholeSocketJsonWriter   *writer,
               ContainerMembers           *c,
               const PortholeContainerRef *ref)
{
  g_autofree char *owned = NULL;
  gboolean changed = show_member (&c->self, ref == NULL);

  if (ref == NULL)
    return changed;
  changed |= set_string (&c->runtime, porthole_runtime_to_string (ref->runtime));
  changed |= set_string (&c->id, ref->id);
  changed |= set_string (&c->name, container_name (writer->names, ref, &owned));
  return changed;
}

/* A generator writing @object, which the caller keeps changing in place */
static JsonGenerator *
generator_for (JsonObject *object)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonGenerator *generator = json_generator_new ();

  json_node_set_object (root, object);
  /* the generator's root is a copy of @root that shares (refs) the object: the members
   * updated later are the ones it writes */
  json_generator_set_root (generator, root);
  return generator;
}

PortholeSocketJsonWriter *
porthole_socket_json_writer_new (void)
{
  PortholeSocketJsonWriter *writer = g_new0 (PortholeSocketJsonWriter, 1);
  JsonObject *published;

  G_STATIC_ASSERT (N_HEAD < N_FLAT_TAIL && N_FLAT_TAIL < G_N_ELEMENTS (fields));
  writer->row = json_object_new ();
  writer->tail = json_object_new ();
  writer->counters = json_object_new ();
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    member_init (&writer->members[f],
                 f < N_HEAD ? writer->row : f < N_FLAT_TAIL ? writer->tail : writer->counters,
                 fields[f].name, fields[f].get_int ? int_node () : string_node ());
  container_members_init (&writer->container, writer->tail, "container");
  published = object_member_init (&writer->published, writer->tail, "published");
  member_init (&writer->host_address, published, "host_address", string_node ());
  member_init (&writer->host_port, published, "host_port", int_node ());
  container_members_init (&writer->published_container, published, "container");
  member_init (&writer->container_port, published, "container_port", int_node ());
  writer->generator = generator_for (writer->row);
  writer->tail_generator = generator_for (writer->tail);
  writer->tail_text = g_string_new (NULL);
  writer->counters_generator = generator_for (writer->counters);
  writer->counters_text = g_string_new (NULL);
  return writer;
}

void
porthole_socket_json_writer_set_container_names (PortholeSocketJsonWriter *writer,
                                                 PortholeContainerNames   *names)
{
  if (g_set_object (&writer->names, names))
    g_string_truncate (writer->tail_text, 0);
}

static gboolean
set_field (PortholeSocketJsonWriter *writer, guint f, PortholeSocket *socket)
{
  Member *m = &writer->members[f];

  if (fields[f].get_string)
    return set_string (m, fields[f].get_string (socket));
  else if (fields[f].get_text)
    {
      char buf[PORTHOLE_SOCKET_FIELD_TEXT_SIZE];

      return set_string (m, fields[f].get_text (socket, buf));
    }
  else
    {
      gboolean is_null = FALSE;
      gint64 v = fields[f].get_int (socket, &is_null);

      return set_int (m, v, is_null);
    }
}

/* @text becomes ",member...}": the object's text without its "{" */
static void
write_part (JsonGenerator *generator, GString *text)
{
  g_string_truncate (text, 0);
  json_generator_to_gstring (generator, text);
  g_assert (text->len > 2 && text->str[0] == '{' && text->str[text->len - 1] == '}');
  text->str[0] = ',';
}

void
porthole_socket_json_writer_append (PortholeSocketJsonWriter *writer,
                                    PortholeSocket           *socket,
                                    GString                  *out)
{
  const PortholePublished *p = porthole_socket_get_published (socket);
  gboolean changed = FALSE, counters_changed = FALSE;

  for (guint f = 0; f < N_HEAD; f++)
    set_field (writer, f, socket);
  for (guint f = N_HEAD; f < N_FLAT_TAIL; f++)
    changed |= set_field (writer, f, socket);
  for (guint f = N_FLAT_TAIL; f < G_N_ELEMENTS (fields); f++)
    counters_changed |= set_field (writer, f, socket);
  changed |= set_container (writer, &writer->container, porthole_socket_get_container (socket));
  changed |= show_member (&writer->published, p == NULL);
  if (p != NULL)
    {
      changed |= set_string (&writer->host_address, p->host_address);
      changed |= set_int (&writer->host_port, p->host_port, FALSE);
      changed |= set_container (writer, &writer->published_container, published_container (p));
      changed |= set_int (&writer->container_port, p->container_port, FALSE);
    }
  if (changed || writer->tail_text->len == 0)
    write_part (writer->tail_generator, writer->tail_text);
  if (counters_changed || writer->counters_text->len == 0)
    write_part (writer->counters_generator, writer->counters_text);

  /* {head...}, {tail...} and {counters...} make {head...,tail...,counters...} */
  json_generator_to_gstring (writer->generator, out);
  g_assert (out->len > 0 && out->str[out->len - 1] == '}');
  g_string_truncate (out, out->len - 1);
  g_string_append_len (out, writer->tail_text->str, writer->tail_text->len - 1);
  g_string_append_len (out, writer->counters_text->str, writer->counters_text->len);
}

void
porthole_socket_json_writer_free (PortholeSocketJsonWriter *writer)
{
  if (writer == NULL)
    return;
  g_object_unref (writer->generator);
  g_object_unref (writer->tail_generator);
  json_object_unref (writer->row);
  json_object_unref (writer->tail);
  g_string_free (writer->tail_text, TRUE);
  g_object_unref (writer->counters_generator);
  json_object_unref (writer->counters);
  g_string_free (writer->counters_text, TRUE);
  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    member_clear (&writer->members[f]);
  container_members_clear (&writer->container);
  member_clear (&writer->host_address);
  member_clear (&writer->host_port);
  container_members_clear (&writer->published_container);
  member_clear (&writer->container_port);
  member_clear (&writer->published);
  g_clear_object (&writer->names);
  g_free (writer);
}
