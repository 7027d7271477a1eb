/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-program-sorter.h"

typedef enum { KEY_NAME, KEY_OWNER, KEY_CONNECTIONS, KEY_SENT, KEY_RECEIVED, KEY_RATE } SortKey;

static const char *key_names[] = { "name", "owner", "connections", "sent", "received", "rate" };

struct _PortholeProgramSorter {
  GtkSorter parent_instance;
  SortKey   key;
};

G_DEFINE_FINAL_TYPE (PortholeProgramSorter, porthole_program_sorter, GTK_TYPE_SORTER)

enum { PROP_0, PROP_KEY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static int
cmp_num (double a, double b)
{
  return a < b ? -1 : a > b;
}

static int
cmp_name (PortholeProgram *a, PortholeProgram *b)
{
  int r = cmp_num (porthole_program_get_pid (a) == 0, porthole_program_get_pid (b) == 0);

  if (r == 0)
    r = g_ascii_strcasecmp (porthole_program_get_title (a), porthole_program_get_title (b));
  return r ? r : cmp_num (porthole_program_get_pid (a), porthole_program_get_pid (b));
}

static GtkOrdering
porthole_program_sorter_compare (GtkSorter *sorter, gpointer item1, gpointer item2)
{
  PortholeProgram *a = item1, *b = item2;
  int r = 0;

  switch (PORTHOLE_PROGRAM_SORTER (sorter)->key)
    {
    case KEY_NAME: break;
    case KEY_OWNER:
      r = g_strcmp0 (porthole_program_get_user (a), porthole_program_get_user (b));
      break;
    case KEY_CONNECTIONS:
      r = cmp_num (porthole_program_get_n_connections (a), porthole_program_get_n_connections (b));
      break;
    case KEY_SENT:
      r = cmp_num (porthole_program_get_bytes_sent (a), porthole_program_get_bytes_sent (b));
      break;
    case KEY_RECEIVED:
      r = cmp_num (porthole_program_get_bytes_received (a), porthole_program_get_bytes_received (b));
      break;
    case KEY_RATE:
      r = cmp_num (porthole_program_get_rate (a), porthole_program_get_rate (b));
      /* as nethogs: the same rate, the one that moved more overall first */
      if (r == 0)
        r = cmp_num ((double) porthole_program_get_bytes_sent (a) + porthole_program_get_bytes_received (a),
                     (double) porthole_program_get_bytes_sent (b) + porthole_program_get_bytes_received (b));
      break;
    default:
      g_assert_not_reached ();
    }
  if (r == 0)
    r = cmp_name (a, b);
  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static GtkSorterOrder
porthole_program_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
porthole_program_sorter_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeProgramSorter *self = PORTHOLE_PROGRAM_SORTER (object);
  const char *name = g_value_get_string (value);

  if (prop_id != PROP_KEY)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (key_names); i++)
    if (g_strcmp0 (name, key_names[i]) == 0)
      {
        self->key = i;
        gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
        return;
      }
  g_warning ("unknown program sort key “%s”", name);
}

static void
porthole_program_sorter_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_KEY)
    g_value_set_string (value, key_names[PORTHOLE_PROGRAM_SORTER (object)->key]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
porthole_program_sorter_class_init (PortholeProgramSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->get_property = porthole_program_sorter_get_property;
  object_class->set_property = porthole_program_sorter_set_property;
  sorter_class->compare = porthole_program_sorter_compare;
  sorter_class->get_order = porthole_program_sorter_get_order;
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, "name",
                                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_program_sorter_init (PortholeProgramSorter *self)
{
}

GtkSorter *
porthole_program_sorter_new (const char *key)
{
  return g_object_new (PORTHOLE_TYPE_PROGRAM_SORTER, "key", key, NULL);
}
