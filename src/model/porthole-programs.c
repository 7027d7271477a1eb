/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* Programs, from the monitor's signals alone: items-changed brings every socket once (the
 * first snapshot included), socket-closed takes it away, and traffic-changed says whose
 * counters moved. Each socket with counters remembers what it had when last added up, so a
 * program's totals and rates are kept by differences, never by a walk over every socket. */

#include "porthole-programs.h"

#include "porthole-traffic.h"

#include <glib/gi18n.h>
#include <netinet/in.h>

struct _PortholeProgram {
  GObject              parent_instance;
  guint64              key;
  int                  pid;
  char                *process;
  char                *title;
  guint                uid;
  char                *user;
  PortholeOwnerStatus  status;
  PortholeContainerRef container;
  guint                n_connections;
  guint                n_listeners;
  guint64              bytes_sent;
  guint64              bytes_received;
  double               send_rate;
  double               receive_rate;
  PortholeTraffic      history;      /* only its ring is used */
  gboolean             touched;      /* moved in the refresh being added up */
};

G_DEFINE_FINAL_TYPE (PortholeProgram, porthole_program, G_TYPE_OBJECT)

enum { PROGRAM_PROP_0, PROGRAM_PROP_RATE, PROGRAM_PROP_N_CONNECTIONS, PROGRAM_N_PROPS };
static GParamSpec *program_props[PROGRAM_N_PROPS];

static void
porthole_program_finalize (GObject *object)
{
  PortholeProgram *self = PORTHOLE_PROGRAM (object);

  g_free (self->process);
  g_free (self->title);
  g_free (self->user);
  porthole_container_ref_clear (&self->container);
  G_OBJECT_CLASS (porthole_program_parent_class)->finalize (object);
}

static void
porthole_program_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeProgram *self = PORTHOLE_PROGRAM (object);

  switch (prop_id)
    {
    case PROGRAM_PROP_RATE: g_value_set_double (value, porthole_program_get_rate (self)); break;
    case PROGRAM_PROP_N_CONNECTIONS: g_value_set_uint (value, self->n_connections); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_program_class_init (PortholeProgramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = porthole_program_finalize;
  object_class->get_property = porthole_program_get_property;
  /* notified whenever the totals or rates change */
  program_props[PROGRAM_PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                          G_PARAM_STATIC_STRINGS);
  /* notified whenever a socket comes or goes (listeners too) */
  program_props[PROGRAM_PROP_N_CONNECTIONS] = g_param_spec_uint ("n-connections", NULL, NULL, 0, G_MAXUINT, 0,
                                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                                 G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, PROGRAM_N_PROPS, program_props);
}

static void
porthole_program_init (PortholeProgram *self)
{
}

int porthole_program_get_pid (PortholeProgram *self) { return self->pid; }
const char *porthole_program_get_process (PortholeProgram *self) { return self->process; }
const char *porthole_program_get_title (PortholeProgram *self) { return self->title; }
guint porthole_program_get_uid (PortholeProgram *self) { return self->uid; }
const char *porthole_program_get_user (PortholeProgram *self) { return self->user; }
PortholeOwnerStatus porthole_program_get_owner_status (PortholeProgram *self) { return self->status; }
guint porthole_program_get_n_connections (PortholeProgram *self) { return self->n_connections; }
guint porthole_program_get_n_listeners (PortholeProgram *self) { return self->n_listeners; }
guint64 porthole_program_get_bytes_sent (PortholeProgram *self) { return self->bytes_sent; }
guint64 porthole_program_get_bytes_received (PortholeProgram *self) { return self->bytes_received; }
double porthole_program_get_send_rate (PortholeProgram *self) { return self->send_rate; }
double porthole_program_get_receive_rate (PortholeProgram *self) { return self->receive_rate; }
double porthole_program_get_rate (PortholeProgram *self) { return self->send_rate + self->receive_rate; }

const PortholeContainerRef *
porthole_program_get_container (PortholeProgram *self)
{
  return self->container.runtime != PORTHOLE_RUNTIME_NONE ? &self->container : NULL;
}

guint
porthole_program_get_rate_history (PortholeProgram *self, double *out, guint n_out)
{
  return porthole_traffic_copy_history (&self->history, out, n_out);
}

/* Sockets whose owner is known group by pid; the others by why they are not, and uid */
static guint64
program_key (PortholeSocket *socket)
{
  PortholeOwnerStatus status = porthole_socket_get_owner_status (socket);

  if (status == PORTHOLE_OWNER_KNOWN && porthole_socket_get_pid (socket) > 0)
    return (guint64) porthole_socket_get_pid (socket);
  if (status == PORTHOLE_OWNER_NO_PROCESS)
    return G_GUINT64_CONSTANT (1) << 40;
  return (G_GUINT64_CONSTANT (2) << 40) | porthole_socket_get_uid (socket);
}

gboolean
porthole_program_holds (PortholeProgram *self, PortholeSocket *socket)
{
  g_return_val_if_fail (PORTHOLE_IS_PROGRAM (self), FALSE);
  return program_key (socket) == self->key;
}

static PortholeProgram *
program_new (PortholeSocket *socket)
{
  PortholeProgram *self = g_object_new (PORTHOLE_TYPE_PROGRAM, NULL);
  const PortholeContainerRef *container = porthole_socket_get_container (socket);

  self->key = program_key (socket);
  self->uid = porthole_socket_get_uid (socket);
  self->user = g_strdup (porthole_socket_get_user (socket));
  self->status = porthole_socket_get_owner_status (socket);
  if (self->key < (G_GUINT64_CONSTANT (1) << 40))
    {
      self->pid = porthole_socket_get_pid (socket);
      self->process = g_strdup (porthole_socket_get_process (socket));
      self->title = g_strdup (self->process ? self->process : "?");
    }
  else if (self->status == PORTHOLE_OWNER_NO_PROCESS)
    self->title = g_strdup (_("No process (closing connections the kernel holds)"));
  else if (porthole_socket_get_uid_hidden (socket))
    self->title = g_strdup (_("Programs of another user"));
  else
    /* Translators: %s is a user name */
    self->title = g_strdup_printf (_("Programs of %s"), self->user ? self->user : "?");
  if (container)
    {
      self->container.runtime = container->runtime;
      self->container.id = g_strdup (container->id);
      self->container.name = g_strdup (container->name);
    }
  return self;
}

/* ---- the list ----------------------------------------------------------------------------- */

/* What a socket with counters had when last added up */
typedef struct {
  guint64 sent;
  guint64 received;
  double  send_rate;
  double  receive_rate;
  guint   closed_at;   /* the traffic generation it closed in, 0 while live */
} Accounted;

struct _PortholePrograms {
  GObject                parent_instance;
  PortholeSocketMonitor *monitor;
  GPtrArray             *items;     /* PortholeProgram, in the order first seen */
  GHashTable            *by_key;    /* guint64* key (in the program) -> program */
  GHashTable            *accounted; /* PortholeSocket (ref) -> Accounted */
  GPtrArray             *closing;   /* PortholeSocket (ref) closed, still in accounted */
  guint                  generation; /* traffic-changed emissions seen, from 1 */
  gulong                 handlers[3];
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PortholePrograms, porthole_programs, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static GType get_item_type (GListModel *model) { return PORTHOLE_TYPE_PROGRAM; }
static guint get_n_items (GListModel *model) { return PORTHOLE_PROGRAMS (model)->items->len; }

static gpointer
get_item (GListModel *model, guint position)
{
  PortholePrograms *self = PORTHOLE_PROGRAMS (model);

  return position < self->items->len ? g_object_ref (g_ptr_array_index (self->items, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

PortholeProgram *
porthole_programs_lookup (PortholePrograms *self, PortholeSocket *socket)
{
  guint64 key;

  g_return_val_if_fail (PORTHOLE_IS_PROGRAMS (self), NULL);
  key = program_key (socket);
  return g_hash_table_lookup (self->by_key, &key);
}

PortholeSocketMonitor *porthole_programs_get_monitor (PortholePrograms *self) { return self->monitor; }

static PortholeProgram *
ensure_program (PortholePrograms *self, PortholeSocket *socket)
{
  PortholeProgram *program = porthole_programs_lookup (self, socket);

  if (program == NULL)
    {
      program = program_new (socket);
      g_hash_table_insert (self->by_key, &program->key, program);
      g_ptr_array_add (self->items, program);
      g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
    }
  return program;
}

/* Drops programs that hold nothing and move nothing, one items-changed per run */
static void
prune (PortholePrograms *self)
{
  guint i = 0;

  while (i < self->items->len)
    {
      guint run = 0;

      while (i + run < self->items->len)
        {
          PortholeProgram *p = g_ptr_array_index (self->items, i + run);

          if (p->n_connections + p->n_listeners > 0 || porthole_program_get_rate (p) > 0)
            break;
          g_hash_table_remove (self->by_key, &p->key);
          run++;
        }
      if (run > 0)
        {
          g_ptr_array_remove_range (self->items, i, run);
          g_list_model_items_changed (G_LIST_MODEL (self), i, run, 0);
        }
      else
        i++;
    }
}

/* Rates are kept by differences: rounding leaves crumbs when every socket has stopped */
static void
sweep_crumbs (PortholeProgram *program)
{
  if (program->send_rate < 0.5)
    program->send_rate = 0;
  if (program->receive_rate < 0.5)
    program->receive_rate = 0;
}

static void
count (PortholeProgram *program, PortholeSocket *socket, int delta)
{
  if (porthole_socket_is_listening (socket))
    program->n_listeners += delta;
  else
    program->n_connections += delta;
  g_object_notify_by_pspec (G_OBJECT (program), program_props[PROGRAM_PROP_N_CONNECTIONS]);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  PortholePrograms *self = data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PortholeSocket) socket = g_list_model_get_item (model, i);
      PortholeProgram *program;

      if (porthole_socket_get_closed (socket))
        continue;
      program = ensure_program (self, socket);
      count (program, socket, +1);
      if (!porthole_socket_is_listening (socket) && porthole_socket_has_traffic (socket))
        {
          Accounted *a = g_new0 (Accounted, 1);

          /* its whole life so far counts; the rate comes with traffic-changed */
          a->sent = porthole_socket_get_bytes_sent (socket);
          a->received = porthole_socket_get_bytes_received (socket);
          program->bytes_sent += a->sent;
          program->bytes_received += a->received;
          g_hash_table_insert (self->accounted, g_object_ref (socket), a);
          if (a->sent || a->received)
            g_object_notify_by_pspec (G_OBJECT (program), program_props[PROGRAM_PROP_RATE]);
        }
    }
  if (added > 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_socket_closed (PortholeSocketMonitor *monitor, PortholeSocket *socket, gpointer data)
{
  PortholePrograms *self = data;
  PortholeProgram *program = porthole_programs_lookup (self, socket);
  Accounted *a;

  if (program == NULL)
    return;
  count (program, socket, -1);
  /* its totals stay with the program, with what it moved since last added up (the monitor
   * gives a closing connection its final counters before it says it closed); its rate goes */
  a = g_hash_table_lookup (self->accounted, socket);
  if (a != NULL)
    {
      guint64 sent = porthole_socket_get_bytes_sent (socket);
      guint64 received = porthole_socket_get_bytes_received (socket);

      program->bytes_sent += sent > a->sent ? sent - a->sent : 0;
      program->bytes_received += received > a->received ? received - a->received : 0;
      program->send_rate = MAX (0, program->send_rate - a->send_rate);
      program->receive_rate = MAX (0, program->receive_rate - a->receive_rate);
      sweep_crumbs (program);
      a->sent = sent;
      a->received = received;
      a->send_rate = a->receive_rate = 0;
      /* kept a little: the kernel's word of its last bytes may come with the next refresh */
      a->closed_at = self->generation + 1;
      g_ptr_array_add (self->closing, g_object_ref (socket));
      g_object_notify_by_pspec (G_OBJECT (program), program_props[PROGRAM_PROP_RATE]);
    }
  prune (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_traffic_changed (PortholeSocketMonitor *monitor, GPtrArray *sockets, gpointer data)
{
  PortholePrograms *self = data;
  g_autoptr(GPtrArray) touched = g_ptr_array_new ();

  self->generation++;

  for (guint i = 0; i < sockets->len; i++)
    {
      PortholeSocket *socket = g_ptr_array_index (sockets, i);
      PortholeProgram *program;
      Accounted *a;
      guint64 sent, received;

      if (porthole_socket_is_listening (socket))
        continue;
      program = porthole_programs_lookup (self, socket);
      a = g_hash_table_lookup (self->accounted, socket);
      if (program == NULL)
        continue;
      if (porthole_socket_get_closed (socket))
        {
          /* a closed connection's last bytes: counted, no rate */
          if (a != NULL)
            {
              sent = porthole_socket_get_bytes_sent (socket);
              received = porthole_socket_get_bytes_received (socket);
              program->bytes_sent += sent > a->sent ? sent - a->sent : 0;
              program->bytes_received += received > a->received ? received - a->received : 0;
              a->sent = MAX (a->sent, sent);
              a->received = MAX (a->received, received);
              g_object_notify_by_pspec (G_OBJECT (program), program_props[PROGRAM_PROP_RATE]);
            }
          continue;
        }
      if (a == NULL)
        {
          a = g_new0 (Accounted, 1);
          g_hash_table_insert (self->accounted, g_object_ref (socket), a);
        }
      sent = porthole_socket_get_bytes_sent (socket);
      received = porthole_socket_get_bytes_received (socket);
      program->bytes_sent += sent > a->sent ? sent - a->sent : 0;
      program->bytes_received += received > a->received ? received - a->received : 0;
      program->send_rate = MAX (0, program->send_rate + porthole_socket_get_send_rate (socket) - a->send_rate);
      program->receive_rate = MAX (0, program->receive_rate + porthole_socket_get_receive_rate (socket) - a->receive_rate);
      a->sent = sent;
      a->received = received;
      a->send_rate = porthole_socket_get_send_rate (socket);
      a->receive_rate = porthole_socket_get_receive_rate (socket);
      if (!program->touched)
        {
          program->touched = TRUE;
          g_ptr_array_add (touched, program);
        }
    }
  for (guint i = 0; i < touched->len; i++)
    {
      PortholeProgram *program = g_ptr_array_index (touched, i);
      double rate;

      program->touched = FALSE;
      sweep_crumbs (program);
      rate = porthole_program_get_rate (program);
      porthole_traffic_push (&program->history, rate);
      g_object_notify_by_pspec (G_OBJECT (program), program_props[PROGRAM_PROP_RATE]);
    }
  /* closed connections are not waited for past the refresh after they closed */
  for (guint i = 0; i < self->closing->len;)
    {
      PortholeSocket *socket = g_ptr_array_index (self->closing, i);
      Accounted *a = g_hash_table_lookup (self->accounted, socket);

      if (a == NULL || a->closed_at < self->generation)
        {
          g_hash_table_remove (self->accounted, socket);
          g_ptr_array_remove_index_fast (self->closing, i);
        }
      else
        i++;
    }
  prune (self);
  if (touched->len > 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
porthole_programs_dispose (GObject *object)
{
  PortholePrograms *self = PORTHOLE_PROGRAMS (object);

  if (self->monitor)
    for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
      g_clear_signal_handler (&self->handlers[i], self->monitor);
  g_clear_object (&self->monitor);
  g_hash_table_remove_all (self->accounted);
  g_ptr_array_set_size (self->closing, 0);
  G_OBJECT_CLASS (porthole_programs_parent_class)->dispose (object);
}

static void
porthole_programs_finalize (GObject *object)
{
  PortholePrograms *self = PORTHOLE_PROGRAMS (object);

  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->accounted);
  g_ptr_array_unref (self->closing);
  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (porthole_programs_parent_class)->finalize (object);
}

static void
porthole_programs_class_init (PortholeProgramsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = porthole_programs_dispose;
  object_class->finalize = porthole_programs_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
porthole_programs_init (PortholePrograms *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->accounted = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->closing = g_ptr_array_new_with_free_func (g_object_unref);
}

PortholePrograms *
porthole_programs_new (PortholeSocketMonitor *monitor)
{
  PortholePrograms *self;
  guint n;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor), NULL);
  self = g_object_new (PORTHOLE_TYPE_PROGRAMS, NULL);
  self->monitor = g_object_ref (monitor);
  self->handlers[0] = g_signal_connect (monitor, "items-changed", G_CALLBACK (on_items_changed), self);
  self->handlers[1] = g_signal_connect (monitor, "socket-closed", G_CALLBACK (on_socket_closed), self);
  self->handlers[2] = g_signal_connect (monitor, "traffic-changed", G_CALLBACK (on_traffic_changed), self);
  n = g_list_model_get_n_items (G_LIST_MODEL (monitor));
  if (n > 0)
    on_items_changed (G_LIST_MODEL (monitor), 0, 0, n, self);
  return self;
}
