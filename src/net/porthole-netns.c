/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-netns.h"

#include "porthole-procnet.h"

#include <gio/gio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* User namespaces nest at most 32 deep; a few more steps cost nothing */
#define MAX_USERNS_DEPTH 40

static int
open_root (const char *proc_root, GError **error)
{
  int fd = open (proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      int err = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s: %s", proc_root,
                   g_strerror (err));
    }
  return fd;
}

/* The namespace id of the process named @entry ("1234", "self"), 0 when it is gone, a zombie,
 * or not a process at all. */
static guint64
netns_of (int root_fd, const char *entry)
{
  char path[64];
  struct stat st;

  g_snprintf (path, sizeof path, "%s/net/tcp", entry);
  if (fstatat (root_fd, path, &st, 0) < 0)
    return 0;
  return st.st_ino;
}

/* A decimal directory entry -> pid, else 0 */
static int
parse_pid (const char *name)
{
  long pid = 0;
  const char *p;

  for (p = name; *p >= '0' && *p <= '9' && pid <= G_MAXINT / 10; p++)
    pid = pid * 10 + (*p - '0');
  return (*p == '\0' && p != name && pid <= G_MAXINT) ? (int) pid : 0;
}

static DIR *
open_dir (int root_fd)
{
  int fd = dup (root_fd);
  DIR *dir;

  if (fd < 0)
    return NULL;
  dir = fdopendir (fd);
  if (dir == NULL)
    close (fd);
  return dir;
}

/* Whether setns() into this network namespace would be allowed: the kernel asks for
 * CAP_SYS_ADMIN in our own user namespace and in the one that owns the network namespace,
 * which holds when that one is ours or below ours. Opening <pid>/ns/net needs ptrace rights. */
static gboolean
can_enter (int root_fd, int pid, const struct stat *own_userns)
{
  char path[64];
  int fd, userns;
  gboolean ok = FALSE;

  g_snprintf (path, sizeof path, "%d/ns/net", pid);
  fd = openat (root_fd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  userns = ioctl (fd, NS_GET_USERNS);
  close (fd);
  for (guint depth = 0; userns >= 0 && depth < MAX_USERNS_DEPTH; depth++)
    {
      struct stat st;
      int parent;

      if (fstat (userns, &st) == 0 && st.st_ino == own_userns->st_ino &&
          st.st_dev == own_userns->st_dev)
        {
          ok = TRUE;
          break;
        }
      /* EPERM once above our own user namespace: the owner is not below us */
      parent = ioctl (userns, NS_GET_PARENT);
      close (userns);
      userns = parent;
    }
  if (userns >= 0)
    close (userns);
  return ok;
}

static gboolean
have_cap_sys_admin (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

  if (syscall (SYS_capget, &header, data) != 0)
    return FALSE;
  return (data[CAP_TO_INDEX (CAP_SYS_ADMIN)].effective & CAP_TO_MASK (CAP_SYS_ADMIN)) != 0;
}

static int
compare_by_pid (const void *a, const void *b)
{
  const PortholeNetns *x = a, *y = b;

  return (x->pid > y->pid) - (x->pid < y->pid);
}

GArray *
porthole_netns_list (const char *proc_root, GError **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (PortholeNetns));
  /* id -> position + 1 in @list: the array moves as it grows, so no pointers into it */
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  PortholeNetns own = { 0 };
  struct stat own_userns;
  gboolean may_enter;
  struct dirent *de;
  DIR *dir;
  int root_fd;

  if (proc_root == NULL)
    proc_root = "/proc";
  root_fd = open_root (proc_root, error);
  if (root_fd < 0)
    return NULL;

  own.id = netns_of (root_fd, "self");
  if (own.id == 0)
    {
      int err = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                   "%s/self/net/tcp: %s: cannot tell our own network namespace", proc_root,
                   g_strerror (err));
      close (root_fd);
      return NULL;
    }
  own.own = TRUE;
  own.enterable = TRUE;   /* nothing to enter: we are in it */
  g_array_append_val (list, own);

  dir = open_dir (root_fd);
  if (dir == NULL)
    {
      int err = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s: %s", proc_root,
                   g_strerror (err));
      close (root_fd);
      return NULL;
    }
  while ((de = readdir (dir)) != NULL)
    {
      int pid = parse_pid (de->d_name);
      PortholeNetns *ns;
      guint64 id;
      guint pos;

      if (pid <= 0 || (id = netns_of (root_fd, de->d_name)) == 0)
        continue;   /* not a process, or one that exited since readdir listed it */
      pos = id == own.id ? 1 : GPOINTER_TO_UINT (g_hash_table_lookup (index, &id));
      if (pos == 0)
        {
          PortholeNetns fresh = { id, pid, 0, FALSE, FALSE };

          g_array_append_val (list, fresh);
          pos = list->len;
          g_hash_table_insert (index, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (pos));
        }
      ns = &g_array_index (list, PortholeNetns, pos - 1);
      ns->n_pids++;
      if (ns->pid == 0 || pid < ns->pid)
        ns->pid = pid;
    }
  closedir (dir);

  /* ours stays first; the others by their lowest pid, so the order does not follow readdir */
  qsort (list->data + sizeof (PortholeNetns), list->len - 1, sizeof (PortholeNetns),
         compare_by_pid);

  may_enter = have_cap_sys_admin () && fstatat (root_fd, "self/ns/user", &own_userns, 0) == 0;
  for (guint i = 1; i < list->len && may_enter; i++)
    {
      PortholeNetns *ns = &g_array_index (list, PortholeNetns, i);

      ns->enterable = can_enter (root_fd, ns->pid, &own_userns);
    }
  close (root_fd);
  return g_steal_pointer (&list);
}

/* Reading another namespace goes through one of its processes, which may exit or move to
 * another namespace at any moment; each attempt then looks for another process in it. */
#define MAX_ATTEMPTS 3

typedef enum {
  READ_OK,
  READ_MOVED,     /* the process is no longer in the namespace: try another one */
  READ_REFUSED,   /* not allowed to enter: read /proc instead */
  READ_FAILED,
} ReadResult;

/* The lowest pid still in namespace @id, @hint first; 0 when none is left */
static int
find_pid (int root_fd, guint64 id, int hint)
{
  char name[16];
  struct dirent *de;
  DIR *dir;
  int found = 0;

  g_snprintf (name, sizeof name, "%d", hint);
  if (hint > 0 && netns_of (root_fd, name) == id)
    return hint;
  dir = open_dir (root_fd);
  if (dir == NULL)
    return 0;
  while ((de = readdir (dir)) != NULL)
    {
      int pid = parse_pid (de->d_name);

      if (pid > 0 && (found == 0 || pid < found) && netns_of (root_fd, de->d_name) == id)
        found = pid;
    }
  closedir (dir);
  return found;
}

typedef struct {
  int                ns_fd;
  const char        *thread_self;   /* <proc_root>/thread-self */
  guint64            id;
  PortholeDumpFlags  flags;
  GArray            *out;
  PortholeSource     source;
  ReadResult         result;
  GError            *error;
} EnterData;

/* Runs in a thread of its own, which ends here: setns() changes the namespace of the calling
 * thread only, and no other thread of porthole's must ever see a namespace change. */
static gpointer
enter_and_dump (gpointer data)
{
  EnterData *d = data;
  g_autofree char *tcp = g_build_filename (d->thread_self, "net", "tcp", NULL);
  struct stat st;

  if (setns (d->ns_fd, CLONE_NEWNET) < 0)
    {
      d->result = READ_REFUSED;
      return NULL;
    }
  /* The descriptor was opened through a pid, which may have moved before it was opened: this
   * thread's own /proc entry says which namespace it really is in */
  if (stat (tcp, &st) < 0 || st.st_ino != d->id)
    {
      d->result = READ_MOVED;
      return NULL;
    }
  /* thread-self: a fallback to /proc/net must read this thread's tables, not the process's */
  if (!porthole_socktable_dump (d->thread_self, d->flags, FALSE, d->out, &d->source, &d->error))
    d->result = READ_FAILED;
  else
    d->result = READ_OK;
  return NULL;
}

static ReadResult
read_inside (int root_fd, const char *proc_root, int pid, const PortholeNetns *ns,
             PortholeDumpFlags flags, GArray *out, PortholeSource *source, GError **error)
{
  g_autofree char *thread_self = g_build_filename (proc_root, "thread-self", NULL);
  EnterData d = { -1, thread_self, ns->id, flags, out, PORTHOLE_SOURCE_NETLINK, READ_FAILED, NULL };
  char path[64];
  GThread *thread;

  g_snprintf (path, sizeof path, "%d/ns/net", pid);
  d.ns_fd = openat (root_fd, path, O_RDONLY | O_CLOEXEC);
  if (d.ns_fd < 0)
    return errno == ENOENT || errno == ESRCH ? READ_MOVED : READ_REFUSED;
  thread = g_thread_try_new ("porthole-netns", enter_and_dump, &d, error);
  if (thread == NULL)
    {
      close (d.ns_fd);
      return READ_FAILED;
    }
  g_thread_join (thread);
  close (d.ns_fd);
  if (d.result == READ_FAILED)
    g_propagate_error (error, d.error);
  *source = d.source;
  return d.result;
}

static ReadResult
read_through_proc (int root_fd, const char *proc_root, int pid, const PortholeNetns *ns,
                   PortholeDumpFlags flags, GArray *out, GError **error)
{
  g_autofree char *pid_root = g_strdup_printf ("%s/%d", proc_root, pid);
  g_autoptr(GError) local_error = NULL;
  char name[16];
  guint initial = out->len;
  gboolean ok;

  ok = porthole_procnet_read (pid_root, flags, out, &local_error);
  /* Each file shows the namespace the process is in when it is opened; the caller saw it in
   * @ns just before, and if it is still there now, every table came from @ns (short of a move
   * out and back in meanwhile). A missing tcp6 counts as IPv6 off, so this also catches a
   * process that exited half-way. */
  g_snprintf (name, sizeof name, "%d", pid);
  if (netns_of (root_fd, name) != ns->id)
    {
      g_array_set_size (out, initial);
      return READ_MOVED;
    }
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return READ_FAILED;
    }
  return READ_OK;
}

gboolean
porthole_netns_dump (const char          *proc_root,
                     const PortholeNetns *ns,
                     PortholeDumpFlags    flags,
                     gboolean             force_proc,
                     GArray              *out,
                     PortholeSource      *source_used,
                     GError             **error)
{
  PortholeSource source = PORTHOLE_SOURCE_NETLINK;
  ReadResult result = READ_MOVED;
  guint initial;
  int root_fd;

  g_return_val_if_fail (ns != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (ns->own)
    return porthole_socktable_dump (proc_root, flags, force_proc, out, source_used, error);

  if (proc_root == NULL)
    proc_root = "/proc";
  root_fd = open_root (proc_root, error);
  if (root_fd < 0)
    return FALSE;
  initial = out->len;
  for (guint attempt = 0; attempt < MAX_ATTEMPTS && result == READ_MOVED; attempt++)
    {
      int pid = find_pid (root_fd, ns->id, attempt == 0 ? ns->pid : 0);

      if (pid == 0)
        break;
      result = READ_REFUSED;
      if (ns->enterable && !force_proc)
        result = read_inside (root_fd, proc_root, pid, ns, flags, out, &source, error);
      if (result == READ_REFUSED)
        {
          source = PORTHOLE_SOURCE_PROC;
          result = read_through_proc (root_fd, proc_root, pid, ns, flags, out, error);
        }
    }
  close (root_fd);

  if (result == READ_MOVED)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "network namespace %" G_GUINT64_FORMAT ": no process left in it to read it through",
                 ns->id);
  if (result != READ_OK)
    {
      g_array_set_size (out, initial);
      return FALSE;
    }
  for (guint i = initial; i < out->len; i++)
    g_array_index (out, PortholeSockInfo, i).netns = ns->id;
  if (source_used)
    *source_used = source;
  return TRUE;
}

typedef struct {
  int         ns_fd;
  const char *thread_self;
  guint64     id;
  int         domain, type, protocol;
  int         fd;
  int         err;
  ReadResult  result;
} SocketData;

/* As enter_and_dump: a thread of its own, so no other thread ever changes namespace. A socket
 * stays in the namespace it was made in after the thread is gone. */
static gpointer
enter_and_open (gpointer data)
{
  SocketData *d = data;
  g_autofree char *tcp = g_build_filename (d->thread_self, "net", "tcp", NULL);
  struct stat st;

  if (setns (d->ns_fd, CLONE_NEWNET) < 0)
    {
      d->err = errno;
      d->result = READ_REFUSED;
      return NULL;
    }
  if (stat (tcp, &st) < 0 || st.st_ino != d->id)
    {
      d->result = READ_MOVED;
      return NULL;
    }
  d->fd = socket (d->domain, d->type, d->protocol);
  d->err = errno;
  d->result = d->fd >= 0 ? READ_OK : READ_FAILED;
  return NULL;
}

int
porthole_netns_socket (const char          *proc_root,
                       const PortholeNetns *ns,
                       int                  domain,
                       int                  type,
                       int                  protocol,
                       GError             **error)
{
  g_autofree char *thread_self = NULL;
  SocketData d = { -1, NULL, 0, domain, type, protocol, -1, 0, READ_MOVED };
  int root_fd;

  g_return_val_if_fail (ns != NULL, -1);

  if (ns->own)
    {
      int fd = socket (domain, type, protocol);

      if (fd < 0)
        {
          int err = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "socket: %s",
                       g_strerror (err));
        }
      return fd;
    }
  if (!ns->enterable)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "network namespace %" G_GUINT64_FORMAT ": not allowed to enter it", ns->id);
      return -1;
    }
  if (proc_root == NULL)
    proc_root = "/proc";
  root_fd = open_root (proc_root, error);
  if (root_fd < 0)
    return -1;
  thread_self = g_build_filename (proc_root, "thread-self", NULL);
  d.thread_self = thread_self;
  d.id = ns->id;
  for (guint attempt = 0; attempt < MAX_ATTEMPTS && d.result == READ_MOVED; attempt++)
    {
      int pid = find_pid (root_fd, ns->id, attempt == 0 ? ns->pid : 0);
      char path[64];
      GThread *thread;

      if (pid == 0)
        break;
      g_snprintf (path, sizeof path, "%d/ns/net", pid);
      d.ns_fd = openat (root_fd, path, O_RDONLY | O_CLOEXEC);
      if (d.ns_fd < 0)
        {
          d.err = errno;
          d.result = errno == ENOENT || errno == ESRCH ? READ_MOVED : READ_REFUSED;
          continue;
        }
      thread = g_thread_try_new ("porthole-netns", enter_and_open, &d, error);
      if (thread == NULL)
        {
          close (d.ns_fd);
          close (root_fd);
          return -1;
        }
      g_thread_join (thread);
      close (d.ns_fd);
    }
  close (root_fd);

  switch (d.result)
    {
    case READ_OK:
      return d.fd;
    case READ_MOVED:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "network namespace %" G_GUINT64_FORMAT ": no process left in it to enter it by",
                   ns->id);
      break;
    case READ_REFUSED:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "network namespace %" G_GUINT64_FORMAT ": %s", ns->id, g_strerror (d.err));
      break;
    case READ_FAILED:
    default:
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (d.err),
                   "socket in network namespace %" G_GUINT64_FORMAT ": %s", ns->id,
                   g_strerror (d.err));
      break;
    }
  return -1;
}
