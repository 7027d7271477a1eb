/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-sorter.h"

#include "porthole-socket-text.h"
#include "porthole-traffic-text.h"

#include <string.h>

typedef enum {
  KEY_ADDRESS,
  KEY_EXPOSURE,
  KEY_PROCESS,
  KEY_LOCAL,
  KEY_REMOTE,
  KEY_SERVICE,
  KEY_CONTAINER,
  KEY_SENT,       /* the traffic keys: their order changes as counters move */
  KEY_RECEIVED,
  KEY_RATE,
  KEY_TRAFFIC,
} SortKey;

static const char *key_names[] = {
  "address", "exposure", "process", "local", "remote", "service", "container",
  "sent", "received", "rate", "traffic",
};

struct _PortholeSocketSorter {
  GtkSorter              parent_instance;
  SortKey                key;
  PortholeSocketMonitor *monitor;   /* names the containers */
};

G_DEFINE_FINAL_TYPE (PortholeSocketSorter, porthole_socket_sorter, GTK_TYPE_SORTER)

enum { PROP_0, PROP_KEY, PROP_MONITOR, N_PROPS };

static GParamSpec *properties[N_PROPS];

static int
cmp_int (gint64 a, gint64 b)
{
  return a < b ? -1 : a > b;
}

static int
cmp_address (const PortholeSockInfo *a, const PortholeSockInfo *b, gboolean remote)
{
  const guint8 *x = remote ? a->remote_addr : a->local_addr;
  const guint8 *y = remote ? b->remote_addr : b->local_addr;
  int r;

  /* "*" and 0.0.0.0/[::] first: they are the ones that matter most for exposure */
  r = cmp_int (!porthole_address_is_any (a->family, x), !porthole_address_is_any (b->family, y));
  if (r == 0)
    r = cmp_int (a->family, b->family);
  if (r == 0)
    r = memcmp (x, y, 16);
  return r;
}

/* Unknown (NULL) last, like an empty cell at the bottom of a spreadsheet */
static int
cmp_nullable (const char *a, const char *b)
{
  int r = cmp_int (a == NULL, b == NULL);

  return r == 0 && a && b ? g_ascii_strcasecmp (a, b) : r;
}

/* Containers by name, then bare namespaces, then the host ("—") last */
static int
cmp_container (PortholeSocketMonitor *monitor, PortholeSocket *a, PortholeSocket *b)
{
  gboolean ea = porthole_socket_is_elsewhere (a), eb = porthole_socket_is_elsewhere (b);
  int r = cmp_int (!ea, !eb);
  g_autofree char *na = NULL;
  g_autofree char *nb = NULL;

  if (r != 0 || !ea)
    return r;
  r = cmp_int (porthole_socket_get_container (a) == NULL,
               porthole_socket_get_container (b) == NULL);
  if (r != 0)
    return r;
  na = porthole_socket_container_text (a, monitor);
  nb = porthole_socket_container_text (b, monitor);
  r = cmp_nullable (na, nb);
  return r ? r : cmp_int (porthole_socket_get_netns (a), porthole_socket_get_netns (b));
}

static int
compare_sockets (PortholeSocketSorter *self, PortholeSocket *a, PortholeSocket *b)
{
  SortKey key = self->key;
  const PortholeSockInfo *ia = porthole_socket_get_info (a);
  const PortholeSockInfo *ib = porthole_socket_get_info (b);
  int r = 0;

  switch (key)
    {
    case KEY_ADDRESS:
      return cmp_address (ia, ib, FALSE);
    case KEY_EXPOSURE:
      return cmp_int (porthole_socket_exposure_rank (a), porthole_socket_exposure_rank (b));
    case KEY_PROCESS:
      {
        const char *pa = porthole_socket_get_process (a);
        const char *pb = porthole_socket_get_process (b);

        r = cmp_nullable (pa, pb);
        if (r == 0)
          r = cmp_int (porthole_socket_get_pid (a), porthole_socket_get_pid (b));
        if (r == 0)
          r = cmp_int (porthole_socket_get_owner_status (a), porthole_socket_get_owner_status (b));
        return r;
      }
    case KEY_SERVICE:
      return cmp_nullable (porthole_socket_get_service (a), porthole_socket_get_service (b));
    case KEY_LOCAL:
      r = cmp_address (ia, ib, FALSE);
      return r ? r : cmp_int (ia->local_port, ib->local_port);
    case KEY_REMOTE:
      r = cmp_address (ia, ib, TRUE);
      return r ? r : cmp_int (ia->remote_port, ib->remote_port);
    case KEY_CONTAINER:
      return cmp_container (self->monitor, a, b);
    case KEY_SENT:
    case KEY_RECEIVED:
    case KEY_RATE:
    case KEY_TRAFFIC:
      {
        /* Unknown (UDP, TIME_WAIT) is -1: below every count, so busiest-first keeps them last */
        PortholeTrafficValue what = (PortholeTrafficValue) (key - KEY_SENT);
        double x = porthole_socket_traffic_value (a, what);
        double y = porthole_socket_traffic_value (b, what);

        return x < y ? -1 : x > y;
      }
    default:
      g_assert_not_reached ();
    }
}

static GtkOrdering
porthole_socket_sorter_compare (GtkSorter *sorter, gpointer item1, gpointer item2)
{
  int r = compare_sockets (PORTHOLE_SOCKET_SORTER (sorter), item1, item2);

  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static GtkSorterOrder
porthole_socket_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

gboolean
porthole_socket_sorter_is_traffic (PortholeSocketSorter *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_SORTER (self), FALSE);
  return self->key >= KEY_SENT;
}

static void
on_containers_changed (PortholeSocketSorter *self)
{
  gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
}

void
porthole_socket_sorter_set_monitor (PortholeSocketSorter *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_SORTER (self));
  if (self->monitor == monitor)
    return;
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  /* Names arrive from the runtimes later: only the container order depends on them */
  if (monitor && self->key == KEY_CONTAINER)
    g_signal_connect_object (monitor, "containers-changed", G_CALLBACK (on_containers_changed),
                             self, G_CONNECT_SWAPPED);
  if (self->key == KEY_CONTAINER)
    gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

static void
porthole_socket_sorter_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeSocketSorter *self = PORTHOLE_SOCKET_SORTER (object);
  const char *name;

  if (prop_id == PROP_MONITOR)
    {
      porthole_socket_sorter_set_monitor (self, g_value_get_object (value));
      return;
    }
  if (prop_id != PROP_KEY)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  name = g_value_get_string (value);
  for (guint i = 0; i < G_N_ELEMENTS (key_names); i++)
    if (g_strcmp0 (name, key_names[i]) == 0)
      {
        self->key = i;
        gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
        return;
      }
  g_warning ("unknown socket sort key “%s”", name);
}

static void
porthole_socket_sorter_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_KEY)
    g_value_set_string (value, key_names[PORTHOLE_SOCKET_SORTER (object)->key]);
  else if (prop_id == PROP_MONITOR)
    g_value_set_object (value, PORTHOLE_SOCKET_SORTER (object)->monitor);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
porthole_socket_sorter_dispose (GObject *object)
{
  PortholeSocketSorter *self = PORTHOLE_SOCKET_SORTER (object);

  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (porthole_socket_sorter_parent_class)->dispose (object);
}

static void
porthole_socket_sorter_class_init (PortholeSocketSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->dispose = porthole_socket_sorter_dispose;
  object_class->get_property = porthole_socket_sorter_get_property;
  object_class->set_property = porthole_socket_sorter_set_property;
  sorter_class->compare = porthole_socket_sorter_compare;
  sorter_class->get_order = porthole_socket_sorter_get_order;

  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, "address",
                                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONITOR] = g_param_spec_object ("monitor", NULL, NULL,
                                                  PORTHOLE_TYPE_SOCKET_MONITOR,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_socket_sorter_init (PortholeSocketSorter *self)
{
}

GtkSorter *
porthole_socket_sorter_new (const char *key)
{
  return g_object_new (PORTHOLE_TYPE_SOCKET_SORTER, "key", key, NULL);
}
