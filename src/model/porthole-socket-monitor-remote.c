/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

/* The monitor's remote source: a host reached with the system's ssh (porthole-remote.c). The
 * worker asks the host for its socket list (porthole-cli list --all --json there, else ss) and
 * turns the answer into the same PortholeSockInfo rows the local dump gives, with the owners
 * the host named, so the diff, the signals and the views work unchanged. The main thread keeps
 * the source's health: stale while the host does not answer (rows kept), the last time it did,
 * and a backoff before the timer asks again.
 *
 * Streaming: a host whose porthole-cli has `watch --json` could send only changes (one JSON
 * object per line); the rows below are built per object, so such a mode would feed
 * remote_row_from_json() line by line. The interval list is the baseline every host supports. */

#include "porthole-socket-monitor-private.h"

#include "porthole-remote.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

/* The whole query, then ssh is stopped: a large host's list takes seconds, not minutes */
#define REMOTE_TIMEOUT_MS        30000
#define REMOTE_CONNECT_TIMEOUT_S 10
/* Between failed attempts: 1 s, doubling, at most this */
#define BACKOFF_MAX_MS           30000

struct _PortholeMonitorRemoteOwner {
  int    pid;
  char  *process;   /* escaped already (porthole-remote sanitized it) */
  char  *user;      /* escaped; NULL: not known */
  char  *service;
  gboolean uid_known;
};

static void
owner_clear (gpointer data)
{
  PortholeMonitorRemoteOwner *owner = data;

  g_free (owner->process);
  g_free (owner->user);
  g_free (owner->service);
}

GArray *
porthole_monitor_remote_owners_new (void)
{
  GArray *owners = g_array_new (FALSE, TRUE, sizeof (PortholeMonitorRemoteOwner));

  g_array_set_clear_func (owners, owner_clear);
  return owners;
}

static const char *
string_member (JsonObject *row, const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
int_member (JsonObject *row, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_address (const char *text, guint8 family, guint8 addr[16], guint32 *ifindex)
{
  char buf[INET6_ADDRSTRLEN + 16];
  char *scope;

  if (text == NULL || strlen (text) >= sizeof buf)
    return FALSE;
  strcpy (buf, text);
  /* porthole-cli writes a link-local scope as "%ifindex" */
  if ((scope = strchr (buf, '%')) != NULL)
    {
      *scope++ = '\0';
      *ifindex = (guint32) strtoul (scope, NULL, 10);
    }
  return inet_pton (family, buf, addr) == 1;
}

static guint8
state_number (const char *name, guint8 protocol)
{
  static const char *const names[] = {
    NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
    "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
  };

  if (protocol == IPPROTO_UDP)
    return g_strcmp0 (name, "ESTABLISHED") == 0 ? PORTHOLE_TCP_ESTABLISHED : PORTHOLE_TCP_CLOSE;
  for (guint8 i = 1; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return i;
  return 0;
}

/* The remote's namespaces keep their numbers ("netns:4026532..."): another namespace there is
 * another namespace here, never ours (0) */
static guint64
netns_number (const char *text)
{
  guint64 id;

  if (text == NULL)
    return 0;
  if (g_str_has_prefix (text, "netns:") && (id = g_ascii_strtoull (text + 6, NULL, 10)) != 0)
    return id;
  return (guint64) g_str_hash (text) | G_GUINT64_CONSTANT (1) << 63;
}

/* One row of the list contract (checked and escaped by porthole-remote) as the kernel's row */
static gboolean
remote_row_from_json (JsonObject *row, PortholeSockInfo *info, PortholeMonitorRemoteOwner *owner)
{
  const char *protocol = string_member (row, "protocol");
  const char *family = string_member (row, "family");
  gint64 v;

  memset (info, 0, sizeof *info);
  memset (owner, 0, sizeof *owner);
  info->protocol = g_strcmp0 (protocol, "udp") == 0 ? IPPROTO_UDP : IPPROTO_TCP;
  info->family = g_strcmp0 (family, "ipv6") == 0 ? AF_INET6 : AF_INET;
  info->state = state_number (string_member (row, "state"), info->protocol);
  if (info->state == 0 ||
      !parse_address (string_member (row, "local_address"), info->family, info->local_addr, &info->ifindex) ||
      !parse_address (string_member (row, "remote_address"), info->family, info->remote_addr, &info->ifindex))
    return FALSE;
  if (int_member (row, "local_port", &v) && v >= 0 && v <= 65535)
    info->local_port = (guint16) v;
  if (int_member (row, "remote_port", &v) && v >= 0 && v <= 65535)
    info->remote_port = (guint16) v;
  if (int_member (row, "inode", &v) && v > 0)
    info->inode = (guint64) v;
  if (int_member (row, "uid", &v) && v >= 0 && v <= G_MAXUINT32)
    {
      info->uid = (guint32) v;
      owner->uid_known = TRUE;
    }
  info->netns = netns_number (string_member (row, "netns"));
  if (info->protocol == IPPROTO_TCP)
    {
      gint64 sent, received, rtt, retrans;

      if (int_member (row, "bytes_sent", &sent) && int_member (row, "bytes_received", &received))
        {
          info->bytes_sent = (guint64) MAX (sent, 0);
          info->bytes_received = (guint64) MAX (received, 0);
          info->tcp_info_fields |= PORTHOLE_TCP_INFO_BYTES_SENT | PORTHOLE_TCP_INFO_BYTES_RECEIVED;
        }
      if (int_member (row, "rtt_us", &rtt))
        {
          info->rtt_us = (guint32) CLAMP (rtt, 0, G_MAXUINT32);
          info->tcp_info_fields |= PORTHOLE_TCP_INFO_RTT;
        }
      if (int_member (row, "retransmits", &retrans))
        {
          info->total_retrans = (guint32) CLAMP (retrans, 0, G_MAXUINT32);
          info->tcp_info_fields |= PORTHOLE_TCP_INFO_TOTAL_RETRANS;
        }
      if (info->tcp_info_fields != 0)
        info->flags |= PORTHOLE_SOCKINFO_HAS_TCP_INFO;
    }
  if (int_member (row, "pid", &v) && v > 0 && v <= G_MAXINT)
    owner->pid = (int) v;
  owner->process = g_strdup (string_member (row, "process"));
  owner->user = g_strdup (string_member (row, "user"));
  owner->service = g_strdup (string_member (row, "service"));
  return TRUE;
}

typedef struct {
  gboolean              done;
  PortholeRemoteResult *result;
  GError               *error;
} Wait;

static void
on_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->result = porthole_remote_list_finish (result, &wait->error);
  wait->done = TRUE;
}

gboolean
porthole_monitor_remote_dump (PortholeMonitorRefresh *rd,
                              GArray                 *rows,
                              GCancellable           *cancellable,
                              GError                **error)
{
  g_auto(PortholeSshDestination) dest = { NULL, NULL, 0 };
  PortholeRemoteOptions options = { REMOTE_CONNECT_TIMEOUT_S, REMOTE_TIMEOUT_MS, 0 };
  g_autoptr(GMainContext) context = g_main_context_new ();
  Wait wait = { FALSE, NULL, NULL };

  if (!porthole_ssh_destination_parse (rd->host, &dest, error))
    return FALSE;
  /* ssh runs as a child of this worker thread, its pipes read on a context of its own */
  g_main_context_push_thread_default (context);
  porthole_remote_list_async (&dest, &options, cancellable, on_listed, &wait);
  while (!wait.done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  if (wait.result == NULL)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }

  /* The far side's port settings are not sent: Linux's defaults stand in for them */
  rd->sysctl = porthole_sysctl_linux_defaults;
  rd->source = PORTHOLE_SOURCE_NETLINK;
  rd->remote_notice = g_strdup (wait.result->notice);
  rd->remote_owners = porthole_monitor_remote_owners_new ();
  for (guint i = 0; i < wait.result->rows->len; i++)
    {
      PortholeSockInfo info;
      PortholeMonitorRemoteOwner owner;

      if (!remote_row_from_json (g_ptr_array_index (wait.result->rows, i), &info, &owner))
        {
          owner_clear (&owner);
          continue;
        }
      if (!porthole_sockinfo_matches (&info, rd->flags))
        {
          owner_clear (&owner);
          continue;
        }
      g_array_append_val (rows, info);
      g_array_append_val (rd->remote_owners, owner);   /* row i's owner at index i */
    }
  porthole_remote_result_free (wait.result);
  return TRUE;
}

void
porthole_monitor_remote_make_items (PortholeMonitorRefresh *rd, GArray *rows, GArray *fresh)
{
  gint64 now = rd->first ? 0 : g_get_monotonic_time ();

  for (guint i = 0; i < fresh->len; i++)
    {
      guint index = g_array_index (fresh, guint, i);
      const PortholeSockInfo *info = &g_array_index (rows, PortholeSockInfo, index);
      const PortholeMonitorRemoteOwner *remote = &g_array_index (rd->remote_owners, PortholeMonitorRemoteOwner, index);
      PortholeSocketOwner owner = { remote->pid, remote->process, PORTHOLE_OWNER_KNOWN, FALSE };
      g_autofree char *uid_text = NULL;
      const char *user = remote->user;

      if (remote->pid == 0)
        /* a row without a file is the kernel's; else the remote login could not see it */
        owner.status = info->inode == 0 && remote->process == NULL ? PORTHOLE_OWNER_NO_PROCESS
                                                                  : PORTHOLE_OWNER_OTHER_USER;
      if (user == NULL && remote->uid_known)
        user = uid_text = g_strdup_printf ("%u", info->uid);
      else if (user == NULL)
        {
          owner.uid_hidden = TRUE;
          user = _("unknown");
        }
      g_ptr_array_add (rd->added, porthole_socket_new (info, &owner, user, remote->service, now));
    }
}

/* ---- the main thread ----------------------------------------------------------------------- */

static void
set_stale (PortholeSocketMonitor *self, gboolean stale)
{
  if (self->stale == stale)
    return;
  self->stale = stale;
  porthole_socket_monitor_notify (self, PROP_STALE);
}

void
porthole_monitor_remote_done (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd, const GError *error)
{
  if (self->host == NULL)
    return;
  if (error != NULL)
    {
      guint delay = 1000;

      self->failures = MIN (self->failures + 1, 16);
      for (guint i = 1; i < self->failures && delay < BACKOFF_MAX_MS; i++)
        delay *= 2;
      self->retry_at = g_get_monotonic_time () + (gint64) MIN (delay, BACKOFF_MAX_MS) * 1000;
      set_stale (self, TRUE);
      return;
    }
  self->failures = 0;
  self->retry_at = 0;
  self->last_seen = g_get_real_time ();
  porthole_socket_monitor_notify (self, PROP_LAST_SEEN);
  if (g_strcmp0 (self->notice, rd->remote_notice) != 0)
    {
      g_free (self->notice);
      self->notice = g_strdup (rd->remote_notice);
      porthole_socket_monitor_notify (self, PROP_NOTICE);
    }
  set_stale (self, FALSE);
}

gboolean
porthole_monitor_remote_may_refresh (PortholeSocketMonitor *self)
{
  return self->host == NULL || self->retry_at == 0 || g_get_monotonic_time () >= self->retry_at;
}
