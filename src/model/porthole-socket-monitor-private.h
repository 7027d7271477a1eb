/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-container-names.h"
#include "porthole-destroy-watch.h"
#include "porthole-name-cache.h"
#include "porthole-services.h"
#include "porthole-socket-monitor.h"
#include "porthole-socket-private.h"

G_BEGIN_DECLS

/* Shared by porthole-socket-monitor.c (the object, its properties, the list model and the
 * public API), porthole-socket-monitor-worker.c (the dump and the diff, in a worker thread),
 * porthole-socket-monitor-apply.c (the refresh cycle and the change list applied on the main
 * thread) and porthole-socket-monitor-listeners.c (the listener index and the questions it
 * answers). The struct is touched on the main context only; the worker gets a
 * PortholeMonitorRefresh. */
struct _PortholeSocketMonitor {
  GObject            parent_instance;

  GPtrArray         *items;        /* PortholeSocket, in model order */
  GHashTable        *live;         /* PortholeSockInfo* inside the item -> item, not closed */
  GHashTable        *listeners;    /* (protocol, port) -> GPtrArray of live listeners, model order */

  char              *proc_root;
  gboolean           force_proc;
  PortholeDumpFlags  flags;
  guint              refresh_interval;
  guint              linger;
  gboolean           paused;
  gboolean           loaded;
  PortholeSource     source;
  char              *error;
  guint              hidden_owners;
  PortholeSysctl     sysctl;
  PortholeNameCache *names;        /* reverse DNS of remote addresses; made when first asked */
  gboolean           all_namespaces;
  GHashTable        *published;    /* PortholeSocket (ref) that carry a PortholePublished */
  PortholeContainerNames *names_api;   /* the runtimes' names; made when first asked */
  gint64             names_refreshed;
  guint              generation;   /* refreshes started */
  GHashTable        *read_ns;      /* guint64* ids of namespaces read in every state once */
  GHashTable        *moving;       /* PortholeSocket (ref) whose rate is not 0 */
  PortholeDestroyWatch *destroy;   /* TCP closes between refreshes, in our namespace */
  gboolean           destroy_tried;
  GPtrArray         *recent_closed; /* PortholeSocket (ref) the last refresh closed */
  GHashTable        *ns_watches;   /* guint64* namespace id -> PortholeDestroyWatch* or NULL
                                    * (could not be made); touched by the worker only */
  gint64             sampled_at;   /* monotonic time of the last applied dump, 0 before */

  guint              timer_id;
  guint              linger_id;
  GCancellable      *cancellable;
  gboolean           in_flight;
  gboolean           again;
  GPtrArray         *pending_waiters;  /* GTask: want a refresh that starts after they asked */
  GPtrArray         *active_waiters;   /* GTask: served by the refresh in flight */

  /* ---- the remote source (porthole-socket-monitor-remote.c) ---- */
  char              *host;         /* ssh destination; NULL: this computer */
  gboolean           stale;        /* the host did not answer the last refresh: rows are old */
  gint64             last_seen;    /* g_get_real_time() of its last answer, 0: never */
  char              *notice;       /* e.g. that ss answered for a missing porthole-cli */
  guint              failures;     /* in a row, for the backoff */
  gint64             retry_at;     /* monotonic time before which the timer does not ask again */
};

enum {
  PROP_0,
  PROP_REFRESH_INTERVAL,
  PROP_PAUSED,
  PROP_LINGER,
  PROP_FLAGS,
  PROP_PROC_ROOT,
  PROP_FORCE_PROC,
  PROP_SOURCE,
  PROP_ERROR,
  PROP_HIDDEN_OWNERS,
  PROP_LOADED,
  PROP_SYSCTL,
  PROP_N_ITEMS,
  PROP_ALL_NAMESPACES,
  /* the remote source */
  PROP_HOST,
  PROP_STALE,
  PROP_LAST_SEEN,
  PROP_NOTICE,
  N_PROPS
};

enum {
  SOCKET_OPENED,
  SOCKET_CLOSED,
  CONTAINERS_CHANGED,
  TRAFFIC_CHANGED,
  N_SIGNALS
};

extern GParamSpec *porthole_socket_monitor_properties[N_PROPS];
extern guint porthole_socket_monitor_signals[N_SIGNALS];

/* Notifies @prop (one of PROP_*) */
void porthole_socket_monitor_notify (PortholeSocketMonitor *self, guint prop);

/* Other namespaces' connections are read on every this many refreshes (listeners on each) */
#define PORTHOLE_SOCKET_MONITOR_FULL_EVERY 5

/* Refreshes of at least this many rows trim the malloc arenas afterwards */
#define PORTHOLE_SOCKET_MONITOR_TRIM_MIN_ROWS 4096

/* ---- the worker (porthole-socket-monitor-worker.c) ---------------------------------------- */

/* One refresh: filled in on the main thread, completed by the worker, applied on the main
 * thread. The worker only reads @live (a reference to the monitor's table, which the main
 * thread does not change while a refresh is in flight). */
typedef struct {
  /* in */
  char              *proc_root;
  gboolean           force_proc;
  PortholeDumpFlags  flags;
  GHashTable        *live;
  gboolean           first;
  gboolean           all_namespaces;
  gboolean           full;         /* other namespaces read in every state, not only listeners */
  GHashTable        *read_ns;      /* in: a copy of the monitor's; out: the namespaces there now */
  GPtrArray         *api;        /* PortholeContainerInfo copies (ids, ports) or NULL */
  PortholeDestroyWatch *destroy; /* the monitor's, or NULL; taken from by the worker alone */
  GHashTable        *ns_watches; /* the monitor's (other namespaces), or NULL */
  GPtrArray         *recent;     /* the rows the last refresh closed: their destroy events may
                                  * come after that dump (the kernel sends them from a work queue) */
  /* out */
  GPtrArray         *added;      /* new PortholeSocket */
  GPtrArray         *removed;    /* PortholeSocket from @live that are gone */
  PortholeSource     source;
  PortholeSysctl     sysctl;
  GHashTable        *published;  /* PortholeSocket (ref) -> PortholePublished, for every live row */
  gboolean           has_containers;
  GArray            *updated;    /* PortholeCounterUpdate: live rows whose counters moved */
  GArray            *finals;     /* PortholeCounterUpdate: removed rows' last counters (destroy events) */
  GPtrArray         *flashed;    /* new PortholeSocket that opened and closed since the last dump */
  GArray            *summaries;  /* PortholeDestroySummary: closes past the destroy watch's rows */
  gint64             sampled_at; /* when the dump was made */
  /* the remote source: in */
  char              *host;
  /* out: row i's owner at index i (PortholeMonitorRemoteOwner); what the host said besides */
  GArray            *remote_owners;
  char              *remote_notice;
} PortholeMonitorRefresh;

void     porthole_monitor_refresh_free (gpointer data);
/* GTaskThreadFunc: dumps, diffs against @task_data's live keys, builds the new items */
void     porthole_monitor_refresh_worker (GTask        *task,
                                          gpointer      source,
                                          gpointer      task_data,
                                          GCancellable *cancellable);
/* The service a row is about: its own port's for a listener, else the server side's */
const char *porthole_monitor_pick_service (PortholeServices       *services,
                                           const PortholeSockInfo *info,
                                           const PortholeSysctl   *sysctl);
/* Whether a socket with this status counts in "hidden-owners" */
gboolean porthole_monitor_owner_is_hidden (PortholeOwnerStatus status);

/* Worker: takes the closes the destroy watch saw since the last refresh: final counters for
 * the removed rows (rd->finals), for new TIME_WAIT rows, and items for the connections that
 * opened and closed in between (rd->flashed); closes past its rows in rd->summaries */
void     porthole_monitor_take_closes (PortholeMonitorRefresh *rd);
/* Worker, with every namespace's list: a destroy watch in each other namespace that may be
 * entered (at most PORTHOLE_SOCKET_MONITOR_MAX_NS_WATCHES), none for those gone */
void     porthole_monitor_watch_namespaces (PortholeMonitorRefresh *rd, GArray *namespaces);
GHashTable *porthole_monitor_ns_watches_new (void);

#define PORTHOLE_SOCKET_MONITOR_MAX_NS_WATCHES 64

/* ---- containers and published ports (porthole-socket-monitor-containers.c) -------------- */

typedef struct _PortholeMonitorContainers PortholeMonitorContainers;

/* Worker: one per refresh, caches each process's container */
PortholeMonitorContainers *porthole_monitor_containers_new (const char *proc_root);
void     porthole_monitor_containers_free (PortholeMonitorContainers *mc);
/* Worker, before the item is handed over: its owner's container, or its namespace's (@ns_pid
 * is a process inside; 0 for our own namespace) */
void     porthole_monitor_containers_assign (PortholeMonitorContainers *mc, PortholeSocket *socket, int ns_pid);
/* Worker: fills rd->published from the forwarders among @items (every live item) and rd->api */
void     porthole_monitor_published_join (PortholeMonitorRefresh *rd, GPtrArray *items);
/* Main thread: sets rd->published on the items, clears it where it went */
void     porthole_monitor_published_apply (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd);
/* Main thread: asks the runtimes again when containers are seen (at most every 10 s) */
void     porthole_monitor_names_maybe_refresh (PortholeSocketMonitor *self, PortholeMonitorRefresh *rd);
GPtrArray *porthole_monitor_names_snapshot (PortholeSocketMonitor *self);

/* ---- the remote source (porthole-socket-monitor-remote.c) ------------------------------- */

typedef struct _PortholeMonitorRemoteOwner PortholeMonitorRemoteOwner;

GArray  *porthole_monitor_remote_owners_new (void);
/* Worker: the host's rows (and rd->remote_owners, rd->remote_notice) over ssh */
gboolean porthole_monitor_remote_dump (PortholeMonitorRefresh *rd,
                                       GArray                 *rows,
                                       GCancellable           *cancellable,
                                       GError                **error);
/* Worker: items for the rows at @fresh, with the owners the host named */
void     porthole_monitor_remote_make_items (PortholeMonitorRefresh *rd, GArray *rows, GArray *fresh);
/* Main thread, after every refresh of a remote monitor: stale, last-seen, notice, backoff */
void     porthole_monitor_remote_done (PortholeSocketMonitor  *self,
                                       PortholeMonitorRefresh *rd,
                                       const GError           *error);
/* Main thread: whether the timer may ask the host again (FALSE while backing off) */
gboolean porthole_monitor_remote_may_refresh (PortholeSocketMonitor *self);

/* ---- the main thread (porthole-socket-monitor-apply.c) ----------------------------------- */

/* Starts a refresh now, or once the one in flight is done */
void     porthole_socket_monitor_start_refresh (PortholeSocketMonitor *self);

/* ---- the listener index (porthole-socket-monitor-listeners.c) ---------------------------- */

GHashTable *porthole_monitor_listeners_new (void);
/* Apply calls it for every item that becomes live (+1) and every item that closes (-1);
 * sockets that do not listen are ignored */
void        porthole_monitor_listeners_count (PortholeSocketMonitor *self,
                                              PortholeSocket        *socket,
                                              int                    delta);
/* The live TCP listener that accepted @connection (same namespace and port; the one bound to
 * its address, else a wildcard one), or NULL: a client's side, or a listener gone */
PortholeSocket *porthole_monitor_listener_serving (PortholeSocketMonitor *self,
                                                   PortholeSocket        *connection);
/* The first live listener on @port in namespace @netns, or NULL */
PortholeSocket *porthole_monitor_listener_at (PortholeSocketMonitor *self,
                                              guint8                 protocol,
                                              guint                  port,
                                              guint64                netns);

/* ---- traffic (porthole-socket-monitor-traffic.c) ---------------------------------------- */

/* A live socket whose counters moved, as the worker found it */
typedef struct {
  PortholeSocket   *item;   /* a reference */
  PortholeSockInfo  row;
} PortholeCounterUpdate;

void porthole_monitor_counter_update_clear (gpointer data);

typedef struct _PortholeTrafficPass PortholeTrafficPass;
/* Main thread, before the change list is applied: the counters of live rows that moved and
 * the final ones of connections that closed. NULL when nothing moved or was moving. */
PortholeTrafficPass *porthole_monitor_traffic_begin (PortholeSocketMonitor  *self,
                                                     PortholeMonitorRefresh *rd);
/* After it: new connections' first rates, listeners' totals, the sockets that stopped moving;
 * emits "traffic-changed" once when anything moved; frees @pass */
void porthole_monitor_traffic_end (PortholeSocketMonitor  *self,
                                   PortholeMonitorRefresh *rd,
                                   PortholeTrafficPass    *pass);

G_END_DECLS
