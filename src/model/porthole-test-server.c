/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-test-server.h"

#include "porthole-net-error.h"
#include "porthole-target.h"

#include <glib/gi18n.h>
#include <string.h>

#define MAX_CLIENTS 1000
#define BACKLOG     1024

/* One accepted connection. Owned by its read loop, which frees it when the peer goes or when
 * the server stops (server is then NULL). */
typedef struct {
  PortholeTestServer *server;
  GSocketConnection  *connection;
  PortholeTestClient *item;
  GCancellable       *cancellable;
  char                buffer[1024];
} Accepted;

struct _PortholeTestServer {
  GObject         parent_instance;
  char           *address;
  guint           port;
  char           *greeting;
  GSocketService *service;
  GSocketAddress *bound;
  GListStore     *clients;    /* PortholeTestClient */
  GPtrArray      *accepted;   /* Accepted*, not owned */
  GPtrArray      *outgoing;   /* GSocketConnection*, from connect_clients_async() */
  GCancellable   *cancellable; /* cancelled by stop(): pending connect_clients */
};

G_DEFINE_FINAL_TYPE (PortholeTestServer, porthole_test_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_GREETING,
  PROP_RUNNING,
  PROP_CLIENTS,
  PROP_N_CLIENTS,
  PROP_N_OUTGOING,
  N_PROPS
};

enum {
  SIGNAL_CLIENT_CONNECTED,
  SIGNAL_CLIENT_DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
notify (PortholeTestServer *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
accepted_free (Accepted *accepted)
{
  g_socket_close (g_socket_connection_get_socket (accepted->connection), NULL);
  g_object_unref (accepted->connection);
  g_object_unref (accepted->item);
  g_object_unref (accepted->cancellable);
  g_free (accepted);
}

/* The row goes: the client disconnected, or the server stops */
static void
remove_row (PortholeTestServer *self, Accepted *accepted)
{
  guint position;

  accepted->server = NULL;
  g_ptr_array_remove (self->accepted, accepted);
  if (g_list_store_find (self->clients, accepted->item, &position))
    g_list_store_remove (self->clients, position);
  notify (self, PROP_N_CLIENTS);
  g_signal_emit (self, signals[SIGNAL_CLIENT_DISCONNECTED], 0, accepted->item);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Accepted *accepted = data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (accepted->server == NULL)
    {
      accepted_free (accepted);
      return;
    }
  if (n > 0)
    {
      /* What clients send is read and dropped: the server is there to be connected to */
      g_input_stream_read_async (G_INPUT_STREAM (source), accepted->buffer,
                                 sizeof accepted->buffer, G_PRIORITY_DEFAULT,
                                 accepted->cancellable, on_read, accepted);
      return;
    }
  remove_row (accepted->server, accepted);
  accepted_free (accepted);
}

static void
on_greeted (GObject *source, GAsyncResult *result, gpointer data)
{
  /* A client that left before the greeting is not an error worth reporting */
  g_output_stream_write_bytes_finish (G_OUTPUT_STREAM (source), result, NULL);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           data)
{
  PortholeTestServer *self = data;
  PortholeTestClient *item = porthole_test_client_new (connection);
  Accepted *accepted;

  if (item == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  accepted = g_new0 (Accepted, 1);
  accepted->server = self;
  accepted->connection = g_object_ref (connection);
  accepted->item = item;
  accepted->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->accepted, accepted);
  g_list_store_append (self->clients, accepted->item);
  notify (self, PROP_N_CLIENTS);
  g_signal_emit (self, signals[SIGNAL_CLIENT_CONNECTED], 0, accepted->item);

  if (self->greeting != NULL && self->greeting[0] != '\0')
    {
      g_autoptr(GBytes) bytes = g_bytes_new (self->greeting, strlen (self->greeting));

      g_output_stream_write_bytes_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                         bytes, G_PRIORITY_DEFAULT, accepted->cancellable,
                                         on_greeted, NULL);
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             accepted->buffer, sizeof accepted->buffer, G_PRIORITY_DEFAULT,
                             accepted->cancellable, on_read, accepted);
  return TRUE;
}

gboolean
porthole_test_server_start (PortholeTestServer *self, GError **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) wanted = NULL;
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (PORTHOLE_IS_TEST_SERVER (self), FALSE);

  if (self->service != NULL)
    return TRUE;
  address = g_inet_address_new_from_string (self->address != NULL ? self->address : "");
  if (address == NULL)
    {
      g_autofree char *q = porthole_quote_short (self->address ? self->address : "",
                                                 self->address ? strlen (self->address) : 0);
      g_set_error (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                   _("“%s” is not an IP address to listen on"), q);
      return FALSE;
    }
  wanted = g_inet_socket_address_new (address, self->port);
  service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), BACKLOG);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), wanted, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return FALSE;
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (service);

  self->service = g_steal_pointer (&service);
  self->bound = g_steal_pointer (&bound);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_object_freeze_notify (G_OBJECT (self));
  porthole_test_server_set_port (self, g_inet_socket_address_get_port (
                                         G_INET_SOCKET_ADDRESS (self->bound)));
  notify (self, PROP_RUNNING);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

void
porthole_test_server_disconnect_clients (PortholeTestServer *self)
{
  g_return_if_fail (PORTHOLE_IS_TEST_SERVER (self));

  if (self->outgoing->len == 0)
    return;
  for (guint i = 0; i < self->outgoing->len; i++)
    g_io_stream_close (g_ptr_array_index (self->outgoing, i), NULL, NULL);
  g_ptr_array_set_size (self->outgoing, 0);
  notify (self, PROP_N_OUTGOING);
}

void
porthole_test_server_stop (PortholeTestServer *self)
{
  g_return_if_fail (PORTHOLE_IS_TEST_SERVER (self));

  if (self->service == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
  g_clear_object (&self->bound);
  porthole_test_server_disconnect_clients (self);
  while (self->accepted->len > 0)
    {
      Accepted *accepted = g_ptr_array_index (self->accepted, self->accepted->len - 1);

      remove_row (self, accepted);
      /* The pending read comes back cancelled and frees it; the socket closes now */
      g_cancellable_cancel (accepted->cancellable);
      g_socket_close (g_socket_connection_get_socket (accepted->connection), NULL);
    }
  notify (self, PROP_RUNNING);
}

/* Connecting clients */

typedef struct {
  guint     pending;
  guint     connected;
  gboolean  returned;
  GError   *first_error;
} ConnectAll;

static void
connect_all_free (gpointer data)
{
  ConnectAll *all = data;

  g_clear_error (&all->first_error);
  g_free (all);
}

static void
on_client_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  PortholeTestServer *self = g_task_get_source_object (task);
  ConnectAll *all = g_task_get_task_data (task);
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);

  all->pending--;
  if (connection != NULL && self->service != NULL && !all->returned && !cancelled)
    {
      g_ptr_array_add (self->outgoing, g_steal_pointer (&connection));
      all->connected++;
      notify (self, PROP_N_OUTGOING);
    }
  else if (connection != NULL)
    g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  else if (all->first_error == NULL)
    all->first_error = g_steal_pointer (&error);

  if (all->returned || (all->pending > 0 && !cancelled))
    return;
  all->returned = TRUE;
  if (g_task_return_error_if_cancelled (task))
    return;
  if (all->connected > 0)
    g_task_return_int (task, all->connected);
  else if (all->first_error != NULL)
    g_task_return_error (task, g_steal_pointer (&all->first_error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The test server stopped"));
}

void
porthole_test_server_connect_clients_async (PortholeTestServer  *self,
                                            guint                n,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketAddress) target = NULL;
  GInetAddress *address;
  ConnectAll *all;

  g_return_if_fail (PORTHOLE_IS_TEST_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, porthole_test_server_connect_clients_async);
  if (self->service == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Start the test server first"));
      return;
    }
  if (n < 1 || n > MAX_CLIENTS)
    {
      g_task_return_new_error (task, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID,
                               _("%u clients: choose 1 to %d"), n, MAX_CLIENTS);
      return;
    }

  /* Listening on "any" address: connect through loopback of the same family */
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (self->bound));
  if (g_inet_address_get_is_any (address))
    {
      g_autoptr(GInetAddress) loopback =
        g_inet_address_new_loopback (g_inet_address_get_family (address));
      target = g_inet_socket_address_new (loopback, self->port);
    }
  else
    target = g_object_ref (self->bound);

  all = g_new0 (ConnectAll, 1);
  all->pending = n;
  g_task_set_task_data (task, all, connect_all_free);
  client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 5);
  for (guint i = 0; i < n; i++)
    g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (target), self->cancellable,
                                   on_client_connected, g_object_ref (task));
}

guint
porthole_test_server_connect_clients_finish (PortholeTestServer  *self,
                                             GAsyncResult        *result,
                                             GError             **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  n = g_task_propagate_int (G_TASK (result), error);
  return n < 0 ? 0 : (guint) n;
}

PortholeTestServer *
porthole_test_server_new (const char *address, guint port)
{
  /* A NULL address ends the property list: the default, loopback, stays */
  return g_object_new (PORTHOLE_TYPE_TEST_SERVER, "port", port,
                       address != NULL ? "address" : NULL, address, NULL);
}

void
porthole_test_server_set_address (PortholeTestServer *self, const char *address)
{
  g_return_if_fail (PORTHOLE_IS_TEST_SERVER (self));
  if (g_strcmp0 (self->address, address) == 0)
    return;
  g_free (self->address);
  self->address = g_strdup (address);
  notify (self, PROP_ADDRESS);
}

const char *
porthole_test_server_get_address (PortholeTestServer *self)
{
  return self->address;
}

void
porthole_test_server_set_port (PortholeTestServer *self, guint port)
{
  g_return_if_fail (PORTHOLE_IS_TEST_SERVER (self));
  g_return_if_fail (port <= 65535);
  if (self->port == port)
    return;
  self->port = port;
  notify (self, PROP_PORT);
}

guint
porthole_test_server_get_port (PortholeTestServer *self)
{
  return self->port;
}

void
porthole_test_server_set_greeting (PortholeTestServer *self, const char *greeting)
{
  g_return_if_fail (PORTHOLE_IS_TEST_SERVER (self));
  if (g_strcmp0 (self->greeting, greeting) == 0)
    return;
  g_free (self->greeting);
  self->greeting = g_strdup (greeting);
  notify (self, PROP_GREETING);
}

const char *
porthole_test_server_get_greeting (PortholeTestServer *self)
{
  return self->greeting;
}

gboolean
porthole_test_server_get_running (PortholeTestServer *self)
{
  return self->service != NULL;
}

GListModel *
porthole_test_server_get_clients (PortholeTestServer *self)
{
  return G_LIST_MODEL (self->clients);
}

guint
porthole_test_server_get_n_clients (PortholeTestServer *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->clients));
}

guint
porthole_test_server_get_n_outgoing (PortholeTestServer *self)
{
  return self->outgoing->len;
}

static void
porthole_test_server_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  PortholeTestServer *self = PORTHOLE_TEST_SERVER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS: g_value_set_string (value, self->address); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_GREETING: g_value_set_string (value, self->greeting); break;
    case PROP_RUNNING: g_value_set_boolean (value, self->service != NULL); break;
    case PROP_CLIENTS: g_value_set_object (value, self->clients); break;
    case PROP_N_CLIENTS: g_value_set_uint (value, porthole_test_server_get_n_clients (self)); break;
    case PROP_N_OUTGOING: g_value_set_uint (value, self->outgoing->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_test_server_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  PortholeTestServer *self = PORTHOLE_TEST_SERVER (object);

  switch (prop_id)
    {
    case PROP_ADDRESS: porthole_test_server_set_address (self, g_value_get_string (value)); break;
    case PROP_PORT: porthole_test_server_set_port (self, g_value_get_uint (value)); break;
    case PROP_GREETING: porthole_test_server_set_greeting (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_test_server_dispose (GObject *object)
{
  PortholeTestServer *self = PORTHOLE_TEST_SERVER (object);

  porthole_test_server_stop (self);
  G_OBJECT_CLASS (porthole_test_server_parent_class)->dispose (object);
}

static void
porthole_test_server_finalize (GObject *object)
{
  PortholeTestServer *self = PORTHOLE_TEST_SERVER (object);

  g_free (self->address);
  g_free (self->greeting);
  g_clear_object (&self->clients);
  g_ptr_array_unref (self->accepted);
  g_ptr_array_unref (self->outgoing);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (porthole_test_server_parent_class)->finalize (object);
}

static void
porthole_test_server_class_init (PortholeTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = porthole_test_server_get_property;
  object_class->set_property = porthole_test_server_set_property;
  object_class->dispose = porthole_test_server_dispose;
  object_class->finalize = porthole_test_server_finalize;

  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, "127.0.0.1", rw);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0, rw);
  properties[PROP_GREETING] = g_param_spec_string ("greeting", NULL, NULL, NULL, rw);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_CLIENTS] = g_param_spec_object ("clients", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_N_CLIENTS] = g_param_spec_uint ("n-clients", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_OUTGOING] = g_param_spec_uint ("n-outgoing", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CLIENT_CONNECTED] =
    g_signal_new ("client-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, PORTHOLE_TYPE_TEST_CLIENT);
  signals[SIGNAL_CLIENT_DISCONNECTED] =
    g_signal_new ("client-disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, PORTHOLE_TYPE_TEST_CLIENT);
}

static void
porthole_test_server_init (PortholeTestServer *self)
{
  self->address = g_strdup ("127.0.0.1");
  self->clients = g_list_store_new (PORTHOLE_TYPE_TEST_CLIENT);
  self->accepted = g_ptr_array_new ();
  self->outgoing = g_ptr_array_new_with_free_func (g_object_unref);
}
