/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-test-client.h"

struct _PortholeTestClient {
  GObject    parent_instance;
  char      *local_address;
  guint      local_port;
  char      *remote_address;
  guint      remote_port;
  GDateTime *connected;
};

G_DEFINE_FINAL_TYPE (PortholeTestClient, porthole_test_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOCAL_ADDRESS,
  PROP_LOCAL_PORT,
  PROP_REMOTE_ADDRESS,
  PROP_REMOTE_PORT,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
split_address (GSocketAddress *address, char **text, guint *port)
{
  GInetSocketAddress *inet;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return;
  inet = G_INET_SOCKET_ADDRESS (address);
  *text = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  *port = g_inet_socket_address_get_port (inet);
}

PortholeTestClient *
porthole_test_client_new (GSocketConnection *connection)
{
  PortholeTestClient *self = g_object_new (PORTHOLE_TYPE_TEST_CLIENT, NULL);
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  split_address (local, &self->local_address, &self->local_port);
  split_address (remote, &self->remote_address, &self->remote_port);
  self->connected = g_date_time_new_now_local ();
  if (self->local_address == NULL || self->remote_address == NULL)
    {
      /* Reset before it was accepted (a port scanner does that): no 4-tuple left to show */
      g_object_unref (self);
      return NULL;
    }
  return self;
}

const char *
porthole_test_client_get_local_address (PortholeTestClient *self)
{
  return self->local_address;
}

guint
porthole_test_client_get_local_port (PortholeTestClient *self)
{
  return self->local_port;
}

const char *
porthole_test_client_get_remote_address (PortholeTestClient *self)
{
  return self->remote_address;
}

guint
porthole_test_client_get_remote_port (PortholeTestClient *self)
{
  return self->remote_port;
}

GDateTime *
porthole_test_client_get_connected (PortholeTestClient *self)
{
  return self->connected;
}

static void
porthole_test_client_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  PortholeTestClient *self = PORTHOLE_TEST_CLIENT (object);

  switch (prop_id)
    {
    case PROP_LOCAL_ADDRESS: g_value_set_string (value, self->local_address); break;
    case PROP_LOCAL_PORT: g_value_set_uint (value, self->local_port); break;
    case PROP_REMOTE_ADDRESS: g_value_set_string (value, self->remote_address); break;
    case PROP_REMOTE_PORT: g_value_set_uint (value, self->remote_port); break;
    case PROP_CONNECTED: g_value_set_boxed (value, self->connected); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_test_client_finalize (GObject *object)
{
  PortholeTestClient *self = PORTHOLE_TEST_CLIENT (object);

  g_free (self->local_address);
  g_free (self->remote_address);
  g_clear_pointer (&self->connected, g_date_time_unref);
  G_OBJECT_CLASS (porthole_test_client_parent_class)->finalize (object);
}

static void
porthole_test_client_class_init (PortholeTestClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = porthole_test_client_get_property;
  object_class->finalize = porthole_test_client_finalize;

  properties[PROP_LOCAL_ADDRESS] = g_param_spec_string ("local-address", NULL, NULL, NULL, flags);
  properties[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 0, flags);
  properties[PROP_REMOTE_ADDRESS] = g_param_spec_string ("remote-address", NULL, NULL, NULL,
                                                         flags);
  properties[PROP_REMOTE_PORT] = g_param_spec_uint ("remote-port", NULL, NULL, 0, 65535, 0, flags);
  properties[PROP_CONNECTED] = g_param_spec_boxed ("connected", NULL, NULL, G_TYPE_DATE_TIME,
                                                   flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_test_client_init (PortholeTestClient *self)
{
}
