/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-socket-filter.h"

#include "porthole-socket-text.h"

#include <string.h>

struct _PortholeSocketFilter {
  GtkFilter                 parent_instance;
  PortholeSocketFilterMode  mode;
  gboolean                  show[5];     /* tcp, udp, ipv4, ipv6, containers */
  PortholeSocketMonitor    *monitor;     /* names the containers the search looks for */
  char                     *search;
  char                    **words;       /* casefolded search words, NULL when empty */
  PortholeProgram          *program;     /* only its sockets, when set */
};

G_DEFINE_FINAL_TYPE (PortholeSocketFilter, porthole_socket_filter, GTK_TYPE_FILTER)

enum {
  PROP_0,
  PROP_SHOW_TCP,
  PROP_SHOW_UDP,
  PROP_SHOW_IPV4,
  PROP_SHOW_IPV6,
  PROP_SHOW_CONTAINERS,
  PROP_SEARCH,
  N_PROPS
};

enum { SHOW_TCP, SHOW_UDP, SHOW_IPV4, SHOW_IPV6, SHOW_CONTAINERS };

static GParamSpec *properties[N_PROPS];

static gboolean
all_digits (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (const char *p = word; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
contains_casefold (const char *haystack, const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  /* Almost every field is ASCII: avoid an allocation for it */
  if (strcasestr (haystack, needle) != NULL)
    return TRUE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

/* The container's name and runtime, or the namespace's label */
static gboolean
container_matches (PortholeSocketFilter *self, PortholeSocket *s, const char *word)
{
  const PortholeContainerRef *c = porthole_socket_get_container (s);
  g_autofree char *name = NULL;

  if (!porthole_socket_is_elsewhere (s))
    return FALSE;
  if (c && (contains_casefold (porthole_runtime_to_string (c->runtime), word) ||
            contains_casefold (porthole_socket_runtime_text (s), word) ||
            (c->id && g_str_has_prefix (c->id, word))))
    return TRUE;
  name = porthole_socket_container_text (s, self->monitor);
  if (contains_casefold (name, word))
    return TRUE;
  /* As porthole-cli names a namespace ("netns:ID") and the table's cell does ("ID netns") */
  if (c == NULL)
    {
      char cli[48];

      g_snprintf (cli, sizeof cli, "netns:%" G_GUINT64_FORMAT, porthole_socket_get_netns (s));
      return strstr (cli, word) != NULL;
    }
  return FALSE;
}

static gboolean
word_matches (PortholeSocketFilter *self, PortholeSocket *s, const char *word)
{
  /* A number is a port or a pid, matched exactly: "80" must not also find 8080 and 10.0.80.1 */
  if (all_digits (word) || (word[0] == ':' && all_digits (word + 1)))
    {
      guint64 n = g_ascii_strtoull (word[0] == ':' ? word + 1 : word, NULL, 10);

      if (n == porthole_socket_get_local_port (s))
        return TRUE;
      if (word[0] == ':')
        return n == porthole_socket_get_remote_port (s);
      return (n == porthole_socket_get_remote_port (s) && !porthole_socket_is_listening (s)) ||
             (porthole_socket_get_pid (s) > 0 && n == (guint64) porthole_socket_get_pid (s));
    }

  return contains_casefold (porthole_socket_get_local_endpoint (s), word) ||
         contains_casefold (porthole_socket_get_local_address (s), word) ||
         (!porthole_socket_is_listening (s) &&
          (contains_casefold (porthole_socket_get_remote_endpoint (s), word) ||
           contains_casefold (porthole_socket_get_remote_address (s), word))) ||
         contains_casefold (porthole_socket_get_process (s), word) ||
         contains_casefold (porthole_socket_get_user (s), word) ||
         contains_casefold (porthole_socket_get_service (s), word) ||
         g_ascii_strcasecmp (porthole_socket_get_protocol (s), word) == 0 ||
         g_ascii_strcasecmp (porthole_socket_get_family (s), word) == 0 ||
         contains_casefold (porthole_socket_get_state (s), word) ||
         container_matches (self, s, word);
}

static gboolean
family_shown (PortholeSocketFilter *self, PortholeSocket *s)
{
  const char *local = porthole_socket_get_local_endpoint (s);

  if (strcmp (porthole_socket_get_family (s), "ipv4") == 0)
    return self->show[SHOW_IPV4];
  /* "*" takes IPv4 and IPv6; "::ffff:a.b.c.d" is an IPv4 peer on a dual-stack socket */
  if (g_str_has_prefix (local, "*:"))
    return self->show[SHOW_IPV4] || self->show[SHOW_IPV6];
  if (g_str_has_prefix (local, "[::ffff:") && strchr (local, '.') != NULL)
    return self->show[SHOW_IPV4];
  return self->show[SHOW_IPV6];
}

gboolean
porthole_socket_filter_matches (PortholeSocketFilter *self, PortholeSocket *s)
{
  gboolean listening = porthole_socket_is_listening (s);

  if (listening != (self->mode == PORTHOLE_SOCKET_FILTER_LISTENING))
    return FALSE;
  if (!self->show[strcmp (porthole_socket_get_protocol (s), "udp") == 0 ? SHOW_UDP : SHOW_TCP])
    return FALSE;
  if (!family_shown (self, s))
    return FALSE;
  if (!self->show[SHOW_CONTAINERS] && porthole_socket_is_elsewhere (s))
    return FALSE;
  if (self->program && !porthole_program_holds (self->program, s))
    return FALSE;
  for (guint i = 0; self->words && self->words[i]; i++)
    if (!word_matches (self, s, self->words[i]))
      return FALSE;
  return TRUE;
}

static gboolean
porthole_socket_filter_match (GtkFilter *filter, gpointer item)
{
  return porthole_socket_filter_matches (PORTHOLE_SOCKET_FILTER (filter), PORTHOLE_SOCKET (item));
}

static GtkFilterMatch
porthole_socket_filter_get_strictness (GtkFilter *filter)
{
  return GTK_FILTER_MATCH_SOME;
}

void
porthole_socket_filter_set_program (PortholeSocketFilter *self, PortholeProgram *program)
{
  GtkFilterChange change;

  g_return_if_fail (PORTHOLE_IS_SOCKET_FILTER (self));
  if (self->program == program)
    return;
  change = self->program == NULL ? GTK_FILTER_CHANGE_MORE_STRICT
           : program == NULL     ? GTK_FILTER_CHANGE_LESS_STRICT
                                 : GTK_FILTER_CHANGE_DIFFERENT;
  g_set_object (&self->program, program);
  gtk_filter_changed (GTK_FILTER (self), change);
}

PortholeProgram *
porthole_socket_filter_get_program (PortholeSocketFilter *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_FILTER (self), NULL);
  return self->program;
}

gboolean
porthole_socket_filter_is_narrowed (PortholeSocketFilter *self)
{
  g_return_val_if_fail (PORTHOLE_IS_SOCKET_FILTER (self), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (self->show); i++)
    if (!self->show[i])
      return TRUE;
  return self->words != NULL || self->program != NULL;
}

static void
on_containers_changed (PortholeSocketFilter *self)
{
  /* A container's name came or changed: only a search can match differently */
  if (self->words != NULL)
    gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

void
porthole_socket_filter_set_monitor (PortholeSocketFilter *self, PortholeSocketMonitor *monitor)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_FILTER (self));
  if (self->monitor == monitor)
    return;
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor)
    g_signal_connect_object (monitor, "containers-changed", G_CALLBACK (on_containers_changed),
                             self, G_CONNECT_SWAPPED);
  on_containers_changed (self);
}

void
porthole_socket_filter_set_search (PortholeSocketFilter *self, const char *search)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) old_words = NULL;

  g_return_if_fail (PORTHOLE_IS_SOCKET_FILTER (self));
  if (search == NULL)
    search = "";
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  old_words = self->words;
  self->words = NULL;
  folded = g_utf8_casefold (search, -1);
  {
    g_auto(GStrv) parts = g_strsplit_set (g_strstrip (folded), " \t", -1);
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    gboolean any = FALSE;

    for (guint i = 0; parts[i]; i++)
      if (*parts[i] != '\0')
        {
          g_strv_builder_add (builder, parts[i]);
          any = TRUE;
        }
    if (any)
      self->words = g_strv_builder_end (builder);
  }
  /* Numbers match exactly, so a longer search is not always stricter: refilter it all */
  gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

const char *
porthole_socket_filter_get_search (PortholeSocketFilter *self)
{
  return self->search ? self->search : "";
}

void
porthole_socket_filter_set_mode (PortholeSocketFilter *self, PortholeSocketFilterMode mode)
{
  g_return_if_fail (PORTHOLE_IS_SOCKET_FILTER (self));
  if (self->mode == mode)
    return;
  self->mode = mode;
  gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
set_show (PortholeSocketFilter *self, guint which, gboolean show)
{
  show = !!show;
  if (self->show[which] == show)
    return;
  self->show[which] = show;
  gtk_filter_changed (GTK_FILTER (self), show ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_MORE_STRICT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TCP + which]);
}

static void
porthole_socket_filter_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeSocketFilter *self = PORTHOLE_SOCKET_FILTER (object);

  switch (prop_id)
    {
    case PROP_SHOW_TCP:
    case PROP_SHOW_UDP:
    case PROP_SHOW_IPV4:
    case PROP_SHOW_IPV6:
    case PROP_SHOW_CONTAINERS:
      g_value_set_boolean (value, self->show[prop_id - PROP_SHOW_TCP]);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, porthole_socket_filter_get_search (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_filter_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeSocketFilter *self = PORTHOLE_SOCKET_FILTER (object);

  switch (prop_id)
    {
    case PROP_SHOW_TCP:
    case PROP_SHOW_UDP:
    case PROP_SHOW_IPV4:
    case PROP_SHOW_IPV6:
    case PROP_SHOW_CONTAINERS:
      set_show (self, prop_id - PROP_SHOW_TCP, g_value_get_boolean (value));
      break;
    case PROP_SEARCH:
      porthole_socket_filter_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_socket_filter_dispose (GObject *object)
{
  PortholeSocketFilter *self = PORTHOLE_SOCKET_FILTER (object);

  /* Quietly: whoever listens to "changed" may be going away too */
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->program);
  G_OBJECT_CLASS (porthole_socket_filter_parent_class)->dispose (object);
}

static void
porthole_socket_filter_finalize (GObject *object)
{
  PortholeSocketFilter *self = PORTHOLE_SOCKET_FILTER (object);

  g_free (self->search);
  g_strfreev (self->words);
  G_OBJECT_CLASS (porthole_socket_filter_parent_class)->finalize (object);
}

static void
porthole_socket_filter_class_init (PortholeSocketFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = porthole_socket_filter_dispose;
  object_class->finalize = porthole_socket_filter_finalize;
  object_class->get_property = porthole_socket_filter_get_property;
  object_class->set_property = porthole_socket_filter_set_property;
  filter_class->match = porthole_socket_filter_match;
  filter_class->get_strictness = porthole_socket_filter_get_strictness;

  properties[PROP_SHOW_TCP] = g_param_spec_boolean ("show-tcp", NULL, NULL, TRUE, rw);
  properties[PROP_SHOW_UDP] = g_param_spec_boolean ("show-udp", NULL, NULL, TRUE, rw);
  properties[PROP_SHOW_IPV4] = g_param_spec_boolean ("show-ipv4", NULL, NULL, TRUE, rw);
  properties[PROP_SHOW_IPV6] = g_param_spec_boolean ("show-ipv6", NULL, NULL, TRUE, rw);
  properties[PROP_SHOW_CONTAINERS] = g_param_spec_boolean ("show-containers", NULL, NULL, TRUE, rw);
  properties[PROP_SEARCH] = g_param_spec_string ("search", NULL, NULL, "", rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
porthole_socket_filter_init (PortholeSocketFilter *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->show); i++)
    self->show[i] = TRUE;
}

PortholeSocketFilter *
porthole_socket_filter_new (PortholeSocketFilterMode mode)
{
  PortholeSocketFilter *self = g_object_new (PORTHOLE_TYPE_SOCKET_FILTER, NULL);

  self->mode = mode;
  return self;
}
