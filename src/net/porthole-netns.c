/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-netns.h"

#include <gio/gio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
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
