/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-learn-examples.h"
#include "porthole-escape.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <sys/resource.h>

#define MAX_DETAIL_LINES 8

void
porthole_learn_example_clear (PortholeLearnExample *ex)
{
  g_clear_pointer (&ex->example, g_free);
  g_clear_pointer (&ex->detail, g_free);
  ex->offer_test = FALSE;
}

/* Live sockets (the monitor keeps closed ones a moment, to fade them out); @own_only: those of
 * this computer's own network namespace, the port space the other sections are about */
static GPtrArray *
live_sockets_of (PortholeSocketMonitor *monitor, gboolean own_only)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (monitor));

  for (guint i = 0; i < n; i++)
    {
      PortholeSocket *s = g_list_model_get_item (G_LIST_MODEL (monitor), i);

      if (porthole_socket_get_closed (s) || (own_only && porthole_socket_get_netns (s) != 0))
        g_object_unref (s);
      else
        g_ptr_array_add (out, s);
    }
  return out;
}

static GPtrArray *
live_sockets (PortholeSocketMonitor *monitor)
{
  return live_sockets_of (monitor, TRUE);
}

static gboolean
is_tcp (PortholeSocket *s)
{
  return g_strcmp0 (porthole_socket_get_protocol (s), "tcp") == 0;
}

/* "sshd (pid 812)", or NULL when the owner is not visible to us */
static char *
owner_of (PortholeSocket *s)
{
  if (porthole_socket_get_process (s) == NULL)
    return NULL;
  return g_strdup_printf (_("%s (pid %d)"), porthole_socket_get_process (s), porthole_socket_get_pid (s));
}

/* "tcp  192.168.1.5:50312 → 192.168.1.23:22  ESTABLISHED" */
static void
append_tuple (GString *s, PortholeSocket *sock, gboolean remote_first)
{
  if (s->len > 0)
    g_string_append_c (s, '\n');
  g_string_append_printf (s, "%s  %s → %s  %s", porthole_socket_get_protocol (sock),
                          remote_first ? porthole_socket_get_remote_endpoint (sock) : porthole_socket_get_local_endpoint (sock),
                          remote_first ? porthole_socket_get_local_endpoint (sock) : porthole_socket_get_remote_endpoint (sock),
                          porthole_socket_get_state (sock));
}

/* ---- IP address vs port ----------------------------------------------------------------- */

static char *
list_addresses (guint *n_addresses, GError **error)
{
  struct ifaddrs *ifa_list = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_free);
  g_autoptr(GString) s = g_string_new (NULL);

  if (getifaddrs (&ifa_list) != 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return NULL;
    }
  *n_addresses = 0;
  /* getifaddrs lists every IPv4 address before the IPv6 ones: gather them per interface */
  for (struct ifaddrs *ifa = ifa_list; ifa != NULL; ifa = ifa->ifa_next)
    {
      char text[INET6_ADDRSTRLEN] = "";
      int family = ifa->ifa_addr ? ifa->ifa_addr->sa_family : AF_UNSPEC;
      const void *addr;
      char *line;

      if (family == AF_INET)
        addr = &((struct sockaddr_in *) (gpointer) ifa->ifa_addr)->sin_addr;
      else if (family == AF_INET6)
        addr = &((struct sockaddr_in6 *) (gpointer) ifa->ifa_addr)->sin6_addr;
      else
        continue;
      if (inet_ntop (family, addr, text, sizeof text) == NULL)
        continue;
      line = g_hash_table_lookup (lines, ifa->ifa_name);
      if (line == NULL)
        {
          g_autofree char *name = porthole_escape_text (ifa->ifa_name, -1, FALSE);

          g_ptr_array_add (names, ifa->ifa_name);
          line = g_strdup_printf ("%s: %s", name, text);
        }
      else
        line = g_strdup_printf ("%s, %s", line, text);
      g_hash_table_replace (lines, ifa->ifa_name, line);
      (*n_addresses)++;
    }
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (s, "%s%s", i ? "\n" : "", (char *) g_hash_table_lookup (lines, names->pdata[i]));
  freeifaddrs (ifa_list);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

void
porthole_learn_example_addresses (PortholeSocketMonitor *monitor, PortholeLearnExample *out)
{
  g_autoptr(GPtrArray) sockets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *addresses = NULL;
  g_autofree char *intro = NULL;
  g_autofree char *owner = NULL;
  PortholeSocket *listener = NULL;
  guint n = 0;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor));
  g_return_if_fail (out != NULL);
  sockets = live_sockets (monitor);

  porthole_learn_example_clear (out);
  addresses = list_addresses (&n, &error);
  if (addresses == NULL)
    intro = g_strdup_printf (_("This computer’s addresses could not be read: %s."), error->message);
  else if (n == 0)
    intro = g_strdup (_("This computer has no IP address right now, not even the loopback address."));
  else
    intro = g_strdup_printf (ngettext ("This computer has %u IP address right now:",
                                       "This computer has %u IP addresses right now:", n), n);

  /* A TCP listener on a fixed port with a visible owner makes the clearest address:port example */
  for (guint i = 0, best = 0; i < sockets->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (sockets, i);
      guint score;

      if (!is_tcp (s) || !porthole_socket_is_listening (s))
        continue;
      score = 1 + (porthole_socket_get_process (s) != NULL) +
              2 * (porthole_socket_get_local_port (s) < PORTHOLE_LINUX_EPHEMERAL_START);
      if (score > best)
        {
          best = score;
          listener = s;
        }
    }
  if (listener == NULL)
    {
      out->example = g_strdup_printf ("%s", intro);
    }
  else
    {
      g_autofree char *example = NULL;

      owner = owner_of (listener);
      if (owner)
        /* Translators: "…For example, 127.0.0.1:631 is port 631 at address 127.0.0.1, where cupsd (pid 812) listens." */
        example = g_strdup_printf (_("For example, %s is port %u at address %s, where %s listens. An "
                                     "address of all zeros (0.0.0.0 or ::) means every address of this computer."),
                                   porthole_socket_get_local_endpoint (listener),
                                   porthole_socket_get_local_port (listener),
                                   porthole_socket_get_local_address (listener), owner);
      else
        example = g_strdup_printf (_("For example, %s is port %u at address %s, where a program listens. An "
                                     "address of all zeros (0.0.0.0 or ::) means every address of this computer."),
                                   porthole_socket_get_local_endpoint (listener),
                                   porthole_socket_get_local_port (listener),
                                   porthole_socket_get_local_address (listener));
      out->example = g_strdup_printf ("%s %s", example, intro);
    }
  out->detail = g_steal_pointer (&addresses);
}

/* ---- the three ranges ------------------------------------------------------------------- */

void
porthole_learn_example_ranges (PortholeSocketMonitor *monitor, PortholeLearnExample *out)
{
  g_autoptr(GPtrArray) sockets = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  const PortholeSysctl *sysctl;
  guint counts[3] = { 0, 0, 0 };
  guint size;
  g_autofree char *privileged = NULL;
  g_autofree char *ephemeral = NULL;
  const char *origin;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor));
  g_return_if_fail (out != NULL);
  sockets = live_sockets (monitor);
  sysctl = porthole_socket_monitor_get_sysctl (monitor);
  size = sysctl->ephemeral_end - sysctl->ephemeral_start + 1;

  porthole_learn_example_clear (out);
  for (guint i = 0; i < sockets->len; i++)
    {
      guint port = porthole_socket_get_local_port (g_ptr_array_index (sockets, i));

      if (port == 0 || g_hash_table_contains (seen, GUINT_TO_POINTER (port)))
        continue;
      g_hash_table_add (seen, GUINT_TO_POINTER (port));
      counts[porthole_port_range (port)]++;
    }

  if (sysctl->unprivileged_start > 1)
    privileged = g_strdup_printf (_("Here, binding ports 1 to %u needs root or CAP_NET_BIND_SERVICE "
                                    "(net.ipv4.ip_unprivileged_port_start is %u)."),
                                  sysctl->unprivileged_start - 1, sysctl->unprivileged_start);
  else
    privileged = g_strdup_printf (_("Here, any program may bind any port "
                                    "(net.ipv4.ip_unprivileged_port_start is %u)."),
                                  sysctl->unprivileged_start);
  ephemeral = g_strdup_printf (ngettext ("The kernel picks client ports from %u to %u (net.ipv4.ip_local_port_range): %u port.",
                                         "The kernel picks client ports from %u to %u (net.ipv4.ip_local_port_range): %u ports.",
                                         size),
                               sysctl->ephemeral_start, sysctl->ephemeral_end, size);
  if (!sysctl->from_system)
    origin = _("These settings could not be read, so Linux’s defaults are shown.");
  else if (sysctl->ephemeral_start == PORTHOLE_LINUX_EPHEMERAL_START && sysctl->ephemeral_end == PORTHOLE_LINUX_EPHEMERAL_END)
    origin = _("That is Linux’s default, which differs from IANA’s dynamic range.");
  else
    origin = _("Linux’s default is 32768 to 60999: this system has been set differently.");

  out->example = g_strdup_printf ("%s %s %s", privileged, ephemeral, origin);
  out->detail = g_strdup_printf (_("Open ports now by range:\n"
                                   "well-known  0–1023       %u\n"
                                   "registered  1024–49151   %u\n"
                                   "dynamic     49152–65535  %u"),
                                 counts[0], counts[1], counts[2]);
}

/* ---- how a client gets its port --------------------------------------------------------- */

/* The local ports of live TCP listeners, so each socket is checked in O(1): with 30,000
 * sockets a find_listener() per socket would be quadratic. */
static GHashTable *
tcp_listener_ports (GPtrArray *sockets)
{
  GHashTable *ports = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < sockets->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (sockets, i);

      if (is_tcp (s) && porthole_socket_is_listening (s))
        g_hash_table_add (ports, GUINT_TO_POINTER (porthole_socket_get_local_port (s)));
    }
  return ports;
}

static int
client_score (GHashTable *listener_ports, PortholeSocket *s, const PortholeSysctl *sysctl)
{
  const PortholeSockInfo *info = porthole_socket_get_info (s);
  guint port = porthole_socket_get_local_port (s);
  int score;

  if (!is_tcp (s) || porthole_socket_is_listening (s) || !porthole_port_is_ephemeral (sysctl, port))
    return 0;
  /* The accepted end of a server whose own port happens to be ephemeral is no example */
  if (g_hash_table_contains (listener_ports, GUINT_TO_POINTER (port)))
    return 0;
  if (info->state == PORTHOLE_TCP_ESTABLISHED)
    score = 4;
  else if (info->state == PORTHOLE_TCP_TIME_WAIT)
    score = 2;
  else
    return 0;
  /* A connection to another computer explains more than one to loopback; a known owner too */
  if (!porthole_address_is_loopback (info->family, info->remote_addr))
    score += 2;
  /* A server on a fixed port is the usual case; one on an ephemeral port bound port 0 */
  if (!porthole_port_is_ephemeral (sysctl, info->remote_port))
    score += 3;
  if (porthole_socket_get_process (s) != NULL)
    score += 1;
  return score;
}

void
porthole_learn_example_ephemeral (PortholeSocketMonitor *monitor, PortholeLearnExample *out)
{
  g_autoptr(GPtrArray) sockets = NULL;
  const PortholeSysctl *sysctl;
  PortholeSocket *best = NULL;
  int best_score = 0;
  g_autofree char *owner = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  const char *closed_note = "";
  g_autoptr(GHashTable) listener_ports = NULL;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor));
  g_return_if_fail (out != NULL);
  sockets = live_sockets (monitor);
  sysctl = porthole_socket_monitor_get_sysctl (monitor);
  listener_ports = tcp_listener_ports (sockets);

  porthole_learn_example_clear (out);
  for (guint i = 0; i < sockets->len; i++)
    {
      int score = client_score (listener_ports, g_ptr_array_index (sockets, i), sysctl);

      if (score > best_score)
        {
          best_score = score;
          best = g_ptr_array_index (sockets, i);
        }
    }
  if (best == NULL)
    {
      out->example = g_strdup_printf (_("No program on this computer has a connection out right now. "
                                        "To make one, open the Test tab and test a connection to a "
                                        "port that is listening (or start its test server and connect "
                                        "to that): the client end gets a port from %u–%u, and it "
                                        "appears here."),
                                      sysctl->ephemeral_start, sysctl->ephemeral_end);
      out->offer_test = TRUE;
      return;
    }

  owner = owner_of (best);
  if (porthole_socket_get_info (best)->state == PORTHOLE_TCP_TIME_WAIT)
    closed_note = _("That connection has just closed: the kernel keeps its four numbers a little "
                    "longer (TIME_WAIT), so that late packets are not taken for a new connection.");
  /* Translators: "firefox (pid 1234) is connected from 192.168.1.23:51234 to 93.184.216.34:443. …" */
  out->example = g_strdup_printf (_("%s connected from %s to %s. The server listens on port %u, a "
                                    "number its clients must know in advance; the local port, %u, was "
                                    "picked by the kernel from this system’s ephemeral range, %u–%u, and "
                                    "goes back to the pool when the connection is gone. %s"),
                                  owner ? owner : _("A program"),
                                  porthole_socket_get_local_endpoint (best),
                                  porthole_socket_get_remote_endpoint (best),
                                  porthole_socket_get_remote_port (best),
                                  porthole_socket_get_local_port (best),
                                  sysctl->ephemeral_start, sysctl->ephemeral_end, closed_note);
  g_strchomp (out->example);
  append_tuple (detail, best, FALSE);
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
}

/* ---- sockets and the 4-tuple ------------------------------------------------------------ */

void
porthole_learn_example_tuple (PortholeSocketMonitor *monitor, PortholeLearnExample *out)
{
  g_autoptr(GPtrArray) sockets = NULL;
  g_autoptr(GPtrArray) best_clients = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *owner = NULL;
  PortholeSocket *best = NULL;
  g_autoptr(GHashTable) listener_ports = NULL;
  g_autoptr(GHashTable) per_port = g_hash_table_new (NULL, NULL);
  guint best_count = 0;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor));
  g_return_if_fail (out != NULL);
  sockets = live_sockets (monitor);
  listener_ports = tcp_listener_ports (sockets);

  porthole_learn_example_clear (out);
  /* Count connections per listening port in one pass, then list only the busiest listener's
   * (one get_connections_to() per listener would be quadratic in the number of sockets) */
  for (guint i = 0; i < sockets->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (sockets, i);
      gpointer port = GUINT_TO_POINTER (porthole_socket_get_local_port (s));

      if (is_tcp (s) && !porthole_socket_is_listening (s) && g_hash_table_contains (listener_ports, port))
        g_hash_table_insert (per_port, port, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_port, port)) + 1));
    }
  for (guint i = 0; i < sockets->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (sockets, i);
      guint count;

      if (!is_tcp (s) || !porthole_socket_is_listening (s))
        continue;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (per_port, GUINT_TO_POINTER (porthole_socket_get_local_port (s))));
      if (count > best_count)
        {
          g_autoptr(GPtrArray) clients = porthole_socket_monitor_get_connections_to (monitor, s);

          /* The count is per port; a listener bound to one address serves only its own */
          if (clients->len > (best_clients ? best_clients->len : 0))
            {
              g_clear_pointer (&best_clients, g_ptr_array_unref);
              best_clients = g_steal_pointer (&clients);
              best = s;
            }
          best_count = count;
        }
    }
  if (best == NULL)
    {
      out->example = g_strdup (_("No listening port on this computer has a client right now. To see "
                                 "one, open the Test tab, start its test server and connect to it "
                                 "twice: both connections share the server’s port, and differ in the "
                                 "client’s port."));
      out->offer_test = TRUE;
      return;
    }

  owner = owner_of (best);
  {
    guint port = porthole_socket_get_local_port (best);
    guint n = best_clients->len;
    g_autofree char *serving = NULL;

    if (owner)
      serving = g_strdup_printf (ngettext ("Port %u, where %s listens, is serving %u client right now.",
                                           "Port %u, where %s listens, is serving %u clients right now.", n),
                                 port, owner, n);
    else
      serving = g_strdup_printf (ngettext ("Port %u is serving %u client right now.",
                                           "Port %u is serving %u clients right now.", n),
                                 port, n);
    out->example = g_strdup_printf ("%s %s", serving,
                                    n > 1 ? _("Each client has a socket of its own on the same port; the "
                                              "client’s address and port tell them apart:")
                                          : _("A second client would get a socket of its own on this same "
                                              "port, told apart by the client’s address and port:"));
  }
  for (guint i = 0; i < best_clients->len && i < MAX_DETAIL_LINES; i++)
    append_tuple (detail, g_ptr_array_index (best_clients, i), TRUE);
  if (best_clients->len > MAX_DETAIL_LINES)
    g_string_append_printf (detail, "\n%s", _("…and more"));
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
}

/* ---- limits ----------------------------------------------------------------------------- */

void
porthole_learn_example_limits (PortholeSocketMonitor *monitor, PortholeLearnExample *out)
{
  g_autoptr(GPtrArray) sockets = NULL;
  g_autoptr(GHashTable) tcp_ports = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) udp_ports = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) destinations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const PortholeSysctl *sysctl;
  guint size;
  const char *busiest = NULL;
  guint busiest_n = 0, both = 0, n_both = 0;
  struct rlimit rl = { 0 };
  g_autoptr(GString) detail = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor));
  g_return_if_fail (out != NULL);
  sockets = live_sockets (monitor);
  sysctl = porthole_socket_monitor_get_sysctl (monitor);
  size = sysctl->ephemeral_end - sysctl->ephemeral_start + 1;

  porthole_learn_example_clear (out);
  for (guint i = 0; i < sockets->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (sockets, i);
      guint port = porthole_socket_get_local_port (s);

      if (port == 0)
        continue;
      g_hash_table_add (is_tcp (s) ? tcp_ports : udp_ports, GUINT_TO_POINTER (port));
      /* Client connections, counted per destination address and port */
      if (is_tcp (s) && !porthole_socket_is_listening (s) && porthole_port_is_ephemeral (sysctl, port))
        {
          const char *dest = porthole_socket_get_remote_endpoint (s);
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (destinations, dest)) + 1;

          g_hash_table_replace (destinations, g_strdup (dest), GUINT_TO_POINTER (count));
        }
    }
  g_hash_table_iter_init (&iter, destinations);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > busiest_n ||
        (GPOINTER_TO_UINT (value) == busiest_n && g_strcmp0 (key, busiest) < 0))
      {
        busiest = key;
        busiest_n = GPOINTER_TO_UINT (value);
      }
  g_hash_table_iter_init (&iter, tcp_ports);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (udp_ports, key))
      {
        n_both++;
        if (both == 0 || GPOINTER_TO_UINT (key) < both)
          both = GPOINTER_TO_UINT (key);
      }

  g_string_append_printf (detail, _("TCP ports in use now: %u"), g_hash_table_size (tcp_ports));
  g_string_append_c (detail, '\n');
  g_string_append_printf (detail, _("UDP ports in use now: %u"), g_hash_table_size (udp_ports));
  g_string_append_c (detail, '\n');
  g_string_append_printf (detail, _("Connections one local address can have to one server address and port: %u (%u–%u)"),
                          size, sysctl->ephemeral_start, sysctl->ephemeral_end);
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    {
      g_string_append_c (detail, '\n');
      g_string_append_printf (detail, _("Files and sockets one program may have open (ulimit -n): %lu"),
                              (unsigned long) rl.rlim_cur);
    }

  if (busiest != NULL)
    out->example = g_strdup_printf (ngettext ("The busiest destination right now is %s, with %u connection from "
                                              "this computer: %u of the %u this destination can have at once "
                                              "from one local address.",
                                              "The busiest destination right now is %s, with %u connections from "
                                              "this computer: %u of the %u this destination can have at once "
                                              "from one local address.", busiest_n),
                                    busiest, busiest_n, busiest_n, size);
  else
    out->example = g_strdup_printf (_("No client connection is open right now, so none of the %u "
                                      "ephemeral ports towards any destination is taken."), size);
  if (both != 0)
    {
      g_autofree char *shared = g_strdup_printf (ngettext ("Port %u is in use for both TCP and UDP here: two different "
                                                           "ports that share a number (%u such number in all).",
                                                           "Port %u is in use for both TCP and UDP here: two different "
                                                           "ports that share a number (%u such numbers in all).", n_both),
                                                 both, n_both);
      char *joined = g_strdup_printf ("%s %s", out->example, shared);

      g_free (out->example);
      out->example = joined;
    }
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
}

/* ---- port spaces ------------------------------------------------------------------------ */

/* One network namespace: its own 65,536 TCP and 65,536 UDP ports */
typedef struct {
  guint64     netns;                 /* 0: this computer's own */
  char       *name;                  /* container name or namespace label; NULL for our own */
  const char *runtime;               /* "docker", ...; NULL for a bare namespace */
  GArray     *tcp;                   /* listening ports, guint16, unique */
  GArray     *udp;
  char       *published;             /* "0.0.0.0:8080 → 80", the first one found */
  guint16     published_port;        /* its container port */
} PortSpace;

static void
port_space_free (PortSpace *space)
{
  g_free (space->name);
  g_free (space->published);
  g_array_unref (space->tcp);
  g_array_unref (space->udp);
  g_free (space);
}

static void
add_port (GArray *ports, guint16 port)
{
  for (guint i = 0; i < ports->len; i++)
    if (g_array_index (ports, guint16, i) == port)
      return;
  g_array_append_val (ports, port);
}

static int
cmp_port (gconstpointer a, gconstpointer b)
{
  return (int) *(const guint16 *) a - (int) *(const guint16 *) b;
}

static gboolean
has_port (GArray *ports, guint16 port)
{
  for (guint i = 0; i < ports->len; i++)
    if (g_array_index (ports, guint16, i) == port)
      return TRUE;
  return FALSE;
}

static char *
container_name (PortholeSocketMonitor *monitor, const PortholeContainerRef *ref)
{
  char *name = monitor ? porthole_socket_monitor_dup_container_name (monitor, ref) : NULL;

  if (name)
    return name;
  if (ref->name)
    return porthole_escape_text (ref->name, -1, FALSE);
  return porthole_container_short_id (ref);
}

static char *
published_text (const PortholePublished *p)
{
  g_autofree char *address = p->host_address ? porthole_escape_text (p->host_address, -1, FALSE)
                                              : g_strdup ("*");

  if (strchr (address, ':'))
    return g_strdup_printf ("[%s]:%u → %u", address, p->host_port, p->container_port);
  return g_strdup_printf ("%s:%u → %u", address, p->host_port, p->container_port);
}

static void
append_ports (GString *line, const char *protocol, GArray *ports)
{
  if (ports->len == 0)
    return;
  g_array_sort (ports, cmp_port);
  if (line->len > 0)
    g_string_append (line, "; ");
  g_string_append_printf (line, "%s ", protocol);
  for (guint i = 0; i < ports->len && i < 6; i++)
    g_string_append_printf (line, "%s%u", i ? ", " : "", g_array_index (ports, guint16, i));
  if (ports->len > 6)
    g_string_append (line, ", …");
}

/* "web (docker)", "namespace 4026532273", "this computer" */
static char *
space_label (const PortSpace *space)
{
  if (space->runtime)
    return g_strdup_printf ("%s (%s)", space->name, space->runtime);
  return g_strdup (space->name ? space->name : _("this computer"));
}

static int
cmp_space (gconstpointer a, gconstpointer b)
{
  const PortSpace *x = *(PortSpace * const *) a, *y = *(PortSpace * const *) b;

  if ((x->netns == 0) != (y->netns == 0))
    return x->netns == 0 ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

void
porthole_learn_example_port_spaces_for (GPtrArray *sockets, PortholeSocketMonitor *monitor,
                                        PortholeLearnExample *out)
{
  g_autoptr(GHashTable) by_netns = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) spaces = g_ptr_array_new_with_free_func ((GDestroyNotify) port_space_free);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GString) example = g_string_new (NULL);
  PortSpace *shared_a = NULL, *shared_b = NULL, *published = NULL;
  guint16 shared_port = 0;
  guint n_containers = 0, width = 0;
  gboolean sandboxed = FALSE;

  g_return_if_fail (sockets != NULL);
  g_return_if_fail (out != NULL);
  porthole_learn_example_clear (out);

  for (guint i = 0; i < sockets->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (sockets, i);
      guint64 netns = porthole_socket_get_netns (s);
      const PortholeContainerRef *c = porthole_socket_get_container (s);
      const PortholePublished *p = porthole_socket_get_published (s);
      PortSpace *space;

      if (porthole_socket_get_closed (s))
        continue;
      sandboxed |= porthole_socket_get_owner_status (s) == PORTHOLE_OWNER_SANDBOXED;
      space = g_hash_table_lookup (by_netns, &netns);
      if (space == NULL)
        {
          space = g_new0 (PortSpace, 1);
          space->netns = netns;
          space->tcp = g_array_new (FALSE, FALSE, sizeof (guint16));
          space->udp = g_array_new (FALSE, FALSE, sizeof (guint16));
          g_ptr_array_add (spaces, space);
          g_hash_table_insert (by_netns, &space->netns, space);
        }
      /* A namespace is named by the first container seen in it (a pod's share one) */
      if (netns != 0 && space->runtime == NULL && c != NULL)
        {
          g_free (space->name);
          space->name = container_name (monitor, c);
          space->runtime = porthole_runtime_to_string (c->runtime);
          n_containers++;
        }
      else if (netns != 0 && space->name == NULL)
        /* Translators: a network namespace that is no known container, named by its id */
        space->name = g_strdup_printf (_("namespace %" G_GUINT64_FORMAT), netns);
      if (!porthole_socket_is_listening (s) || porthole_socket_get_local_port (s) == 0)
        continue;
      add_port (is_tcp (s) ? space->tcp : space->udp, porthole_socket_get_local_port (s));
      if (netns != 0 && p != NULL && space->published == NULL)
        {
          space->published = published_text (p);
          space->published_port = p->container_port;
        }
    }
  g_ptr_array_sort (spaces, cmp_space);

  if (spaces->len == 0 || (spaces->len == 1 && ((PortSpace *) spaces->pdata[0])->netns == 0))
    {
      if (sandboxed)
        out->example = g_strdup (_("Porthole runs in a sandbox, which cannot see into other "
                                   "network namespaces: the ports of containers, if this computer "
                                   "runs any, are not shown here. Run “porthole-cli list” on the "
                                   "host to see them."));
      else
        out->example = g_strdup (_("Every socket open right now is in this computer’s own "
                                   "network namespace: no container or other namespace has a "
                                   "port open. Start a container that listens on a port, and it "
                                   "appears here with a port space of its own."));
      return;
    }

  /* A port number in use in two spaces at once, the host's first */
  for (guint i = 0; i < spaces->len && shared_a == NULL; i++)
    {
      PortSpace *a = spaces->pdata[i];

      g_array_sort (a->tcp, cmp_port);
      for (guint k = 0; k < a->tcp->len && shared_a == NULL; k++)
        for (guint j = i + 1; j < spaces->len; j++)
          if (has_port (((PortSpace *) spaces->pdata[j])->tcp, g_array_index (a->tcp, guint16, k)))
            {
              shared_a = a;
              shared_b = spaces->pdata[j];
              shared_port = g_array_index (a->tcp, guint16, k);
              break;
            }
    }
  for (guint i = 0; i < spaces->len && published == NULL; i++)
    if (((PortSpace *) spaces->pdata[i])->published)
      published = spaces->pdata[i];

  {
    guint others = 0;

    for (guint i = 0; i < spaces->len; i++)
      others += ((PortSpace *) spaces->pdata[i])->netns != 0;
    g_string_append_printf (example,
                            ngettext ("Besides this computer’s own, %u other network namespace has "
                                      "sockets open right now, with ports of its own.",
                                      "Besides this computer’s own, %u other network namespaces "
                                      "have sockets open right now, each with ports of its own.",
                                      others),
                            others);
    if (n_containers > 0)
      {
        g_string_append_c (example, ' ');
        g_string_append_printf (example,
                                ngettext ("%u of them belongs to a container.",
                                          "%u of them belong to containers.", n_containers),
                                n_containers);
      }
  }
  if (shared_a != NULL)
    {
      g_string_append_c (example, ' ');
      if (shared_a->netns == 0)
        g_string_append_printf (example,
                                _("TCP port %u is listened on both by this computer and in %s, and "
                                  "neither is in the other’s way."),
                                shared_port, shared_b->name);
      else
        g_string_append_printf (example,
                                _("TCP port %u is listened on both in %s and in %s, and neither is "
                                  "in the other’s way."),
                                shared_port, shared_a->name, shared_b->name);
    }
  g_string_append_c (example, ' ');
  if (published != NULL)
    /* Translators: "Port 80 of web is published (0.0.0.0:8080 → 80): …" */
    g_string_append_printf (example,
                            _("Port %u of %s is published (%s): connections to that port of "
                              "this computer are forwarded into it."),
                            published->published_port, published->name, published->published);
  else
    g_string_append (example, _("None of their ports is published on a port of this computer, "
                                "so other computers cannot reach them."));
  out->example = g_string_free (g_steal_pointer (&example), FALSE);

  for (guint i = 0; i < spaces->len; i++)
    {
      PortSpace *space = spaces->pdata[i];
      g_autofree char *label = space_label (space);

      width = MAX (width, (guint) g_utf8_strlen (label, -1));
    }
  width = MIN (width, 28);
  for (guint i = 0; i < spaces->len && i < MAX_DETAIL_LINES; i++)
    {
      PortSpace *space = spaces->pdata[i];
      g_autofree char *label = space_label (space);
      g_autoptr(GString) ports = g_string_new (NULL);
      guint len = g_utf8_strlen (label, -1);

      append_ports (ports, "tcp", space->tcp);
      append_ports (ports, "udp", space->udp);
      if (ports->len == 0)
        g_string_append (ports, _("no listening port"));
      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      g_string_append (detail, label);
      for (guint k = len; k < width + 2; k++)
        g_string_append_c (detail, ' ');
      g_string_append (detail, ports->str);
      if (space->published)
        g_string_append_printf (detail, "  (%s)", space->published);
    }
  if (spaces->len > MAX_DETAIL_LINES)
    g_string_append_printf (detail, "\n%s", _("…and more"));
  out->detail = g_string_free (g_steal_pointer (&detail), FALSE);
}

void
porthole_learn_example_port_spaces (PortholeSocketMonitor *monitor, PortholeLearnExample *out)
{
  g_autoptr(GPtrArray) sockets = NULL;

  g_return_if_fail (PORTHOLE_IS_SOCKET_MONITOR (monitor));
  sockets = live_sockets_of (monitor, FALSE);
  porthole_learn_example_port_spaces_for (sockets, monitor, out);
}
