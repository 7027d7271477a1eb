/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-socket-private.h"

#include "porthole-traffic.h"

G_STATIC_ASSERT (PORTHOLE_TRAFFIC_HISTORY == PORTHOLE_TRAFFIC_SAMPLES);

#include <arpa/inet.h>
#include <string.h>

struct _PortholeSocket {
  GObject             parent_instance;
  PortholeSockInfo    info;
  /* The four address texts share one allocation, "local\0remote\0local:port\0remote:port\0",
   * which local_address points at. User, process and service names repeat across thousands
   * of rows: interned GRefStrings, shared. (About 100 bytes less per socket, measured.) */
  char               *local_address;
  char               *remote_address;
  char               *local_endpoint;
  char               *remote_endpoint;
  char               *user;       /* GRefString */
  char               *process;    /* GRefString */
  char               *service;    /* GRefString */
  char               *key;
  int                 pid;
  gboolean            uid_hidden;
  PortholeOwnerStatus owner_status;
  gint64              first_seen;
  gint64              closed_at;
  PortholeContainerRef *container;   /* NULL on the host */
  PortholePublished    *published;
  PortholeTraffic      *traffic;     /* made when it first moves data */
  /* payload, worked out from each row as the kernel gave it (its state tells whether the
   * counters hold a FIN), so a final row in CLOSE counts the same as the live ones */
  gint64                counters_at;
  guint64               payload_sent;
  guint64               payload_received;
};

G_DEFINE_FINAL_TYPE (PortholeSocket, porthole_socket, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROTOCOL,
  PROP_FAMILY,
  PROP_STATE,
  PROP_LOCAL_ADDRESS,
  PROP_LOCAL_PORT,
  PROP_REMOTE_ADDRESS,
  PROP_REMOTE_PORT,
  PROP_LOCAL_ENDPOINT,
  PROP_REMOTE_ENDPOINT,
  PROP_INODE,
  PROP_UID,
  PROP_USER,
  PROP_PID,
  PROP_PROCESS,
  PROP_RANGE,
  PROP_SERVICE,
  PROP_LISTENING,
  PROP_CLOSED,
  PROP_PUBLISHED,
  PROP_RATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
porthole_socket_finalize (GObject *object)
{
  PortholeSocket *self = PORTHOLE_SOCKET (object);

  g_free (self->local_address);   /* and the three other address texts */
  g_clear_pointer (&self->user, g_ref_string_release);
  g_clear_pointer (&self->process, g_ref_string_release);
  g_clear_pointer (&self->service, g_ref_string_release);
  g_free (self->key);
  if (self->container)
    {
      porthole_container_ref_clear (self->container);
      g_free (self->container);
    }
  g_clear_pointer (&self->published, porthole_published_free);
  g_free (self->traffic);
  G_OBJECT_CLASS (porthole_socket_parent_class)->finalize (object);
}

static void
porthole_socket_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeSocket *self = PORTHOLE_SOCKET (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL: g_value_set_static_string (value, porthole_socket_get_protocol (self)); break;
    case PROP_FAMILY: g_value_set_static_string (value, porthole_socket_get_family (self)); break;
    case PROP_STATE: g_value_set_static_string (value, porthole_socket_get_state (self)); break;
    case PROP_LOCAL_ADDRESS: g_value_set_string (value, self->local_address); break;
    case PROP_LOCAL_PORT: g_value_set_uint (value, self->info.local_port); break;
    case PROP_REMOTE_ADDRESS: g_value_set_string (value, self->remote_address); break;
    case PROP_REMOTE_PORT: g_value_set_uint (value, self->info.remote_port); break;
    case PROP_LOCAL_ENDPOINT: g_value_set_string (value, self->local_endpoint); break;
    case PROP_REMOTE_ENDPOINT: g_value_set_string (value, self->remote_endpoint); break;
    case PROP_INODE: g_value_set_uint64 (value, self->info.inode); break;
    case PROP_UID: g_value_set_uint (value, self->info.uid); break;
    case PROP_USER: g_value_set_string (value, self->user); break;
    case PROP_PID: g_value_set_int (value, self->pid); break;
    case PROP_PROCESS: g_value_set_string (value, self->process); break;
    case PROP_RANGE: g_value_set_static_string (value, porthole_port_range_id (porthole_socket_get_range (self))); break;
    case PROP_SERVICE: g_value_set_string (value, self->service); break;
    case PROP_LISTENING: g_value_set_boolean (value, porthole_socket_is_listening (self)); break;
    case PROP_CLOSED: g_value_set_boolean (value, self->closed_at != 0); break;
    case PROP_PUBLISHED: g_value_set_pointer (value, self->published); break;
    case PROP_RATE: g_value_set_double (value, porthole_socket_get_rate (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
ro_string (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
ro_uint (const char *name, guint max)
{
  return g_param_spec_uint (name, NULL, NULL, 0, max, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
porthole_socket_class_init (PortholeSocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = porthole_socket_finalize;
  object_class->get_property = porthole_socket_get_property;

  properties[PROP_PROTOCOL] = ro_string ("protocol");
  properties[PROP_FAMILY] = ro_string ("family");
  properties[PROP_STATE] = ro_string ("state");
  properties[PROP_LOCAL_ADDRESS] = ro_string ("local-address");
  properties[PROP_LOCAL_PORT] = ro_uint ("local-port", 65535);
  properties[PROP_REMOTE_ADDRESS] = ro_string ("remote-address");
  properties[PROP_REMOTE_PORT] = ro_uint ("remote-port", 65535);
  properties[PROP_LOCAL_ENDPOINT] = ro_string ("local-endpoint");
  properties[PROP_REMOTE_ENDPOINT] = ro_string ("remote-endpoint");
  properties[PROP_INODE] = g_param_spec_uint64 ("inode", NULL, NULL, 0, G_MAXUINT64, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UID] = ro_uint ("uid", G_MAXUINT);
  properties[PROP_USER] = ro_string ("user");
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROCESS] = ro_string ("process");
  properties[PROP_RANGE] = ro_string ("range");
  properties[PROP_SERVICE] = ro_string ("service");
  properties[PROP_LISTENING] = g_param_spec_boolean ("listening", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOSED] = g_param_spec_boolean ("closed", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  /* a PortholePublished*, borrowed; for notify::published */
  properties[PROP_PUBLISHED] = g_param_spec_pointer ("published", NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS);
  /* bytes/s; notified whenever any counter moved (bytes, retransmissions, round-trip time) */
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_socket_init (PortholeSocket *self)
{
}

static char *
format_endpoint (const PortholeSockInfo *info, const guint8 addr[16], guint16 port)
{
  gboolean dual_stack = info->family == AF_INET6 &&
                        (info->flags & PORTHOLE_SOCKINFO_V6ONLY_KNOWN) &&
                        !(info->flags & PORTHOLE_SOCKINFO_V6ONLY);

  /* Like ss: "*" only for an IPv6 wildcard that also accepts IPv4 */
  if (dual_stack && porthole_address_is_any (info->family, addr))
    return port ? g_strdup_printf ("*:%u", port) : g_strdup ("*:*");
  if (port == 0 && porthole_address_is_any (info->family, addr))
    return g_strdup (info->family == AF_INET6 ? "[::]:*" : "0.0.0.0:*");
  return porthole_endpoint_to_string (info->family, addr, port, FALSE);
}

PortholeSocket *
porthole_socket_new (const PortholeSockInfo    *info,
                     const PortholeSocketOwner *owner,
                     const char                *user,
                     const char                *service,
                     gint64                     first_seen)
{
  PortholeSocket *self = g_object_new (PORTHOLE_TYPE_SOCKET, NULL);
  char *texts[] = {
    porthole_address_to_string (info->family, info->local_addr),
    porthole_address_to_string (info->family, info->remote_addr),
    format_endpoint (info, info->local_addr, info->local_port),
    format_endpoint (info, info->remote_addr, info->remote_port),
  };
  char **fields[] = { &self->local_address, &self->remote_address, &self->local_endpoint,
                      &self->remote_endpoint };
  gsize size = 0;
  char *block, *p;

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    size += strlen (texts[i]) + 1;
  p = block = g_malloc (size);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gsize len = strlen (texts[i]) + 1;

      memcpy (p, texts[i], len);
      *fields[i] = p;
      p += len;
      g_free (texts[i]);
    }

  self->info = *info;
  self->payload_sent = porthole_sockinfo_payload_sent (info);
  self->payload_received = porthole_sockinfo_payload_received (info);
  self->user = user ? g_ref_string_new_intern (user) : NULL;
  self->service = service ? g_ref_string_new_intern (service) : NULL;
  self->pid = owner ? owner->pid : 0;
  self->process = owner && owner->process ? g_ref_string_new_intern (owner->process) : NULL;
  self->owner_status = owner ? owner->status : PORTHOLE_OWNER_GONE;
  self->uid_hidden = owner ? owner->uid_hidden : FALSE;
  self->first_seen = first_seen;
  return self;
}

void
porthole_socket_mark_closed (PortholeSocket *self, gint64 now)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET (self));

  if (self->closed_at != 0)
    return;
  self->closed_at = MAX (now, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
}

void
porthole_socket_take_container (PortholeSocket *self, PortholeContainerRef *container)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET (self) && self->container == NULL);
  if (container == NULL || container->runtime == PORTHOLE_RUNTIME_NONE)
    return;
  self->container = g_new (PortholeContainerRef, 1);
  *self->container = *container;
  memset (container, 0, sizeof *container);
}

void
porthole_socket_set_published (PortholeSocket *self, PortholePublished *published)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET (self));
  if (porthole_published_equal (self->published, published))
    {
      porthole_published_free (published);
      return;
    }
  g_clear_pointer (&self->published, porthole_published_free);
  self->published = published;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISHED]);
}

guint64 porthole_socket_get_netns (PortholeSocket *self) { return self->info.netns; }
const PortholeContainerRef *porthole_socket_get_container (PortholeSocket *self) { return self->container; }
const PortholePublished *porthole_socket_get_published (PortholeSocket *self) { return self->published; }

PortholeExposure
porthole_socket_get_exposure (PortholeSocket *self)
{
  gboolean loopback = porthole_socket_is_loopback (self);

  /* A published port is reached through the host, whatever the container's side is bound to:
   * from the network, or only from this computer when published on the host's loopback */
  if (self->published && !loopback)
    {
      const char *host = self->published->host_address;
      guint8 addr[16] = { 0 };
      gboolean host_loopback = host != NULL &&
                               ((inet_pton (AF_INET, host, addr) == 1 && porthole_address_is_loopback (AF_INET, addr)) ||
                                (inet_pton (AF_INET6, host, addr) == 1 && porthole_address_is_loopback (AF_INET6, addr)));

      return host_loopback ? PORTHOLE_EXPOSURE_LOOPBACK : PORTHOLE_EXPOSURE_NETWORK;
    }
  if (self->info.netns == 0)
    return loopback ? PORTHOLE_EXPOSURE_LOOPBACK : PORTHOLE_EXPOSURE_NETWORK;
  return loopback ? PORTHOLE_EXPOSURE_CONTAINER : PORTHOLE_EXPOSURE_CONTAINER_NETWORK;
}

const char *
porthole_exposure_to_string (PortholeExposure exposure)
{
  switch (exposure)
    {
    case PORTHOLE_EXPOSURE_LOOPBACK: return "loopback";
    case PORTHOLE_EXPOSURE_CONTAINER: return "container";
    case PORTHOLE_EXPOSURE_CONTAINER_NETWORK: return "container-network";
    case PORTHOLE_EXPOSURE_NETWORK:
    default: return "network";
    }
}

void
porthole_published_free (PortholePublished *published)
{
  if (published == NULL)
    return;
  g_free (published->host_address);
  g_free (published->via);
  porthole_container_ref_clear (&published->container);
  g_free (published);
}

PortholePublished *
porthole_published_copy (const PortholePublished *published)
{
  PortholePublished *copy;

  if (published == NULL)
    return NULL;
  copy = g_new0 (PortholePublished, 1);
  copy->host_address = g_strdup (published->host_address);
  copy->host_port = published->host_port;
  copy->container_port = published->container_port;
  copy->container.runtime = published->container.runtime;
  copy->container.id = g_strdup (published->container.id);
  copy->container.name = g_strdup (published->container.name);
  copy->via = g_strdup (published->via);
  return copy;
}

gboolean
porthole_published_equal (const PortholePublished *a, const PortholePublished *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->host_port == b->host_port && a->container_port == b->container_port &&
         a->container.runtime == b->container.runtime &&
         g_strcmp0 (a->host_address, b->host_address) == 0 &&
         g_strcmp0 (a->container.id, b->container.id) == 0 &&
         g_strcmp0 (a->container.name, b->container.name) == 0 &&
         g_strcmp0 (a->via, b->via) == 0;
}

guint
porthole_sockinfo_key_hash (gconstpointer data)
{
  const PortholeSockInfo *info = data;
  guint h = 2166136261u;
  const guint8 *parts[] = { info->local_addr, info->remote_addr };

  /* FNV-1a over the identity fields */
#define MIX(byte) (h = (h ^ (guint8) (byte)) * 16777619u)
  MIX (info->protocol);
  MIX (info->family);
  MIX (info->state);
  MIX (info->local_port); MIX (info->local_port >> 8);
  MIX (info->remote_port); MIX (info->remote_port >> 8);
  for (guint p = 0; p < 2; p++)
    for (guint i = 0; i < 16; i++)
      MIX (parts[p][i]);
  for (guint i = 0; i < 8; i++)
    MIX (info->inode >> (8 * i));
  for (guint i = 0; i < 8; i++)
    MIX (info->netns >> (8 * i));
#undef MIX
  return h;
}

gboolean
porthole_sockinfo_key_equal (gconstpointer a, gconstpointer b)
{
  const PortholeSockInfo *x = a, *y = b;

  return x->protocol == y->protocol && x->family == y->family && x->state == y->state &&
         x->local_port == y->local_port && x->remote_port == y->remote_port &&
         x->inode == y->inode && x->netns == y->netns &&
         memcmp (x->local_addr, y->local_addr, 16) == 0 &&
         memcmp (x->remote_addr, y->remote_addr, 16) == 0;
}

const PortholeSockInfo *porthole_socket_get_info (PortholeSocket *self) { return &self->info; }

const char *
porthole_socket_get_protocol (PortholeSocket *self)
{
  return self->info.protocol == IPPROTO_UDP ? "udp" : "tcp";
}

const char *
porthole_socket_get_family (PortholeSocket *self)
{
  return self->info.family == AF_INET6 ? "ipv6" : "ipv4";
}

const char *porthole_socket_get_state (PortholeSocket *self) { return porthole_sockinfo_state_name (&self->info); }
const char *porthole_socket_get_local_address (PortholeSocket *self) { return self->local_address; }
guint porthole_socket_get_local_port (PortholeSocket *self) { return self->info.local_port; }
const char *porthole_socket_get_remote_address (PortholeSocket *self) { return self->remote_address; }
guint porthole_socket_get_remote_port (PortholeSocket *self) { return self->info.remote_port; }
const char *porthole_socket_get_local_endpoint (PortholeSocket *self) { return self->local_endpoint; }
const char *porthole_socket_get_remote_endpoint (PortholeSocket *self) { return self->remote_endpoint; }
guint64 porthole_socket_get_inode (PortholeSocket *self) { return self->info.inode; }
guint porthole_socket_get_uid (PortholeSocket *self) { return self->info.uid; }
gboolean porthole_socket_get_uid_hidden (PortholeSocket *self) { return self->uid_hidden; }
const char *porthole_socket_get_user (PortholeSocket *self) { return self->user; }
int porthole_socket_get_pid (PortholeSocket *self) { return self->pid; }
const char *porthole_socket_get_process (PortholeSocket *self) { return self->process; }
PortholeOwnerStatus porthole_socket_get_owner_status (PortholeSocket *self) { return self->owner_status; }
PortholePortRange porthole_socket_get_range (PortholeSocket *self) { return porthole_port_range (self->info.local_port); }
const char *porthole_socket_get_service (PortholeSocket *self) { return self->service; }
gboolean porthole_socket_is_listening (PortholeSocket *self) { return porthole_sockinfo_is_listening (&self->info); }
gboolean porthole_socket_get_closed (PortholeSocket *self) { return self->closed_at != 0; }
gint64 porthole_socket_get_first_seen (PortholeSocket *self) { return self->first_seen; }
gint64 porthole_socket_get_closed_at (PortholeSocket *self) { return self->closed_at; }
/* Built on first use: most sockets never need it, and 30,000 of them at start-up would */
const char *
porthole_socket_get_key (PortholeSocket *self)
{
  if (self->key == NULL && self->info.netns == 0)
    self->key = g_strdup_printf ("%s/%s/%s/%s/%s/%" G_GUINT64_FORMAT,
                                 porthole_socket_get_protocol (self),
                                 porthole_socket_get_family (self),
                                 porthole_socket_get_state (self),
                                 self->local_endpoint, self->remote_endpoint, self->info.inode);
  else if (self->key == NULL)
    self->key = g_strdup_printf ("%s/%s/%s/%s/%s/%" G_GUINT64_FORMAT "@%" G_GUINT64_FORMAT,
                                 porthole_socket_get_protocol (self),
                                 porthole_socket_get_family (self),
                                 porthole_socket_get_state (self),
                                 self->local_endpoint, self->remote_endpoint, self->info.inode,
                                 self->info.netns);
  return self->key;
}

gboolean
porthole_socket_is_loopback (PortholeSocket *self)
{
  return porthole_address_is_loopback (self->info.family, self->info.local_addr);
}

gboolean
porthole_socket_is_wildcard (PortholeSocket *self)
{
  return porthole_address_is_any (self->info.family, self->info.local_addr);
}

/* ---- traffic ------------------------------------------------------------------------------ */

gboolean
porthole_sockinfo_counters_moved (const PortholeSockInfo *was, const PortholeSockInfo *now)
{
  return was->bytes_sent != now->bytes_sent || was->bytes_acked != now->bytes_acked ||
         was->bytes_received != now->bytes_received || was->bytes_retrans != now->bytes_retrans ||
         was->segs_in != now->segs_in || was->segs_out != now->segs_out ||
         was->total_retrans != now->total_retrans || was->tcp_info_fields != now->tcp_info_fields;
}

static PortholeTraffic *
ensure_traffic (PortholeSocket *self)
{
  if (self->traffic == NULL)
    self->traffic = g_new0 (PortholeTraffic, 1);
  return self->traffic;
}

static guint64
delta (guint64 now, guint64 was)
{
  return now > was ? now - was : 0;
}

void
porthole_socket_update_counters (PortholeSocket         *self,
                                 const PortholeSockInfo *now,
                                 gint64                  since,
                                 gint64                  sample_time)
{
  guint64 sent, received;

  g_return_if_fail (PORTHOLE_IS_SOCKET (self));
  sent = delta (porthole_sockinfo_payload_sent (now), self->payload_sent);
  received = delta (porthole_sockinfo_payload_received (now), self->payload_received);
  self->counters_at = sample_time;
  self->payload_sent = MAX (self->payload_sent, porthole_sockinfo_payload_sent (now));
  self->payload_received = MAX (self->payload_received, porthole_sockinfo_payload_received (now));

  /* the identity stays; the counters and what the kernel says about them are replaced */
  self->info.flags = (self->info.flags & ~PORTHOLE_SOCKINFO_HAS_TCP_INFO) | (now->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO);
  self->info.rx_queue = now->rx_queue;
  self->info.tx_queue = now->tx_queue;
  self->info.bytes_sent = now->bytes_sent;
  self->info.bytes_acked = now->bytes_acked;
  self->info.bytes_received = now->bytes_received;
  self->info.bytes_retrans = now->bytes_retrans;
  self->info.segs_in = now->segs_in;
  self->info.segs_out = now->segs_out;
  self->info.rtt_us = now->rtt_us;
  self->info.rttvar_us = now->rttvar_us;
  self->info.total_retrans = now->total_retrans;
  self->info.snd_cwnd = now->snd_cwnd;
  self->info.last_data_sent_ms = now->last_data_sent_ms;
  self->info.last_data_recv_ms = now->last_data_recv_ms;
  self->info.delivery_rate = now->delivery_rate;
  self->info.tcp_info_fields = now->tcp_info_fields;
  self->info.tcp_info_len = now->tcp_info_len;

  if (sent > 0 || received > 0 || self->traffic != NULL)
    porthole_traffic_sample (ensure_traffic (self), sent, received, sample_time - since);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

void
porthole_socket_take_final_counters (PortholeSocket *self, const PortholeSockInfo *final)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET (self));
  self->payload_sent = porthole_sockinfo_payload_sent (final);
  self->payload_received = porthole_sockinfo_payload_received (final);
  self->info.flags |= final->flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO;
  self->info.bytes_sent = final->bytes_sent;
  self->info.bytes_acked = final->bytes_acked;
  self->info.bytes_received = final->bytes_received;
  self->info.bytes_retrans = final->bytes_retrans;
  self->info.segs_in = final->segs_in;
  self->info.segs_out = final->segs_out;
  self->info.rtt_us = final->rtt_us;
  self->info.rttvar_us = final->rttvar_us;
  self->info.total_retrans = final->total_retrans;
  self->info.snd_cwnd = final->snd_cwnd;
  self->info.delivery_rate = final->delivery_rate;
  self->info.tcp_info_fields = final->tcp_info_fields;
  self->info.tcp_info_len = final->tcp_info_len;
}

void
porthole_socket_start_counters (PortholeSocket *self, gint64 since, gint64 sample_time)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET (self));
  porthole_traffic_sample (ensure_traffic (self), self->payload_sent, self->payload_received,
                           sample_time - since);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

void
porthole_socket_add_served (PortholeSocket *self,
                            guint64         sent,
                            guint64         received,
                            gint64          since,
                            gint64          sample_time)
{
  PortholeTraffic *traffic;

  g_return_if_fail (PORTHOLE_IS_SOCKET (self));
  traffic = ensure_traffic (self);
  traffic->served_sent += sent;
  traffic->served_received += received;
  porthole_traffic_sample (traffic, sent, received, sample_time - since);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

gboolean
porthole_socket_settle (PortholeSocket *self)
{
  if (self->traffic == NULL || (self->traffic->send_rate == 0 && self->traffic->receive_rate == 0))
    return FALSE;
  porthole_traffic_sample (self->traffic, 0, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  return TRUE;
}

gboolean
porthole_socket_has_traffic (PortholeSocket *self)
{
  if (porthole_sockinfo_is_listening (&self->info))
    return self->info.protocol == IPPROTO_TCP && (self->info.flags & PORTHOLE_SOCKINFO_HAS_TCP_INFO);
  return porthole_sockinfo_has_tcp_info (&self->info, PORTHOLE_TCP_INFO_BYTES_ACKED | PORTHOLE_TCP_INFO_BYTES_RECEIVED);
}

guint64
porthole_socket_get_bytes_sent (PortholeSocket *self)
{
  if (porthole_sockinfo_is_listening (&self->info))
    return self->traffic ? self->traffic->served_sent : 0;
  return self->payload_sent;
}

guint64
porthole_socket_get_bytes_received (PortholeSocket *self)
{
  if (porthole_sockinfo_is_listening (&self->info))
    return self->traffic ? self->traffic->served_received : 0;
  return self->payload_received;
}

double porthole_socket_get_send_rate (PortholeSocket *self) { return self->traffic ? self->traffic->send_rate : 0; }
double porthole_socket_get_receive_rate (PortholeSocket *self) { return self->traffic ? self->traffic->receive_rate : 0; }
double porthole_socket_get_rate (PortholeSocket *self) { return porthole_socket_get_send_rate (self) + porthole_socket_get_receive_rate (self); }

guint
porthole_socket_get_rate_history (PortholeSocket *self, double *out, guint n_out)
{
  return self->traffic ? porthole_traffic_copy_history (self->traffic, out, n_out) : 0;
}

gint64 porthole_socket_get_counters_time (PortholeSocket *self) { return self->counters_at; }

void
porthole_socket_set_counters_time (PortholeSocket *self, gint64 sample_time)
{
  self->counters_at = sample_time;
}

guint
porthole_socket_get_retransmits (PortholeSocket *self)
{
  return porthole_sockinfo_has_tcp_info (&self->info, PORTHOLE_TCP_INFO_TOTAL_RETRANS) ? self->info.total_retrans : 0;
}
