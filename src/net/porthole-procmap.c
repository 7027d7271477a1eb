/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-procmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOCKET_PREFIX "socket:["
/* Threads for the fd walk, counting the caller's; a handful of processes is walked alone */
#define MAX_THREADS 4
#define THREADS_MIN_PIDS 32

static int
compare_pids (gconstpointer a, gconstpointer b)
{
  int pa = *(const int *) a;
  int pb = *(const int *) b;

  return (pa > pb) - (pa < pb);
}

/* Decimal entries of the proc root, ascending, so that the first owner found is the lowest pid */
static GArray *
list_pids (int root_fd)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  int fd = dup (root_fd);
  DIR *dir;
  struct dirent *de;

  if (fd < 0)
    return pids;
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return pids;
    }
  while ((de = readdir (dir)) != NULL)
    {
      const char *p = de->d_name;
      long pid = 0;

      for (; *p >= '0' && *p <= '9' && pid <= G_MAXINT / 10; p++)
        pid = pid * 10 + (*p - '0');
      if (*p == '\0' && p != de->d_name && pid > 0 && pid <= G_MAXINT)
        {
          int v = (int) pid;

          g_array_append_val (pids, v);
        }
    }
  closedir (dir);
  g_array_sort (pids, compare_pids);
  return pids;
}

/* "socket:[12345]" -> 12345 */
static gboolean
parse_socket_link (const char *link, gssize len, guint64 *inode)
{
  const gssize prefix = sizeof SOCKET_PREFIX - 1;
  guint64 v = 0;

  if (len < prefix + 2 || memcmp (link, SOCKET_PREFIX, prefix) != 0 || link[len - 1] != ']')
    return FALSE;
  for (gssize i = prefix; i < len - 1; i++)
    {
      if (link[i] < '0' || link[i] > '9' || v > (G_MAXUINT64 - 9) / 10)
        return FALSE;
      v = v * 10 + (guint64) (link[i] - '0');
    }
  *inode = v;
  return TRUE;
}

/* The next socket among the entries of a /proc/<pid>/fd directory (readlink only, never
 * stat); FALSE at the end. Other links (files, pipes, anon inodes) and entries that vanish
 * mid-walk are skipped. */
static gboolean
next_socket_inode (DIR *dir, guint64 *inode)
{
  struct dirent *de;

  while ((de = readdir (dir)) != NULL)
    {
      char link[64];
      ssize_t n;

      if (de->d_name[0] == '.')
        continue;
      n = readlinkat (dirfd (dir), de->d_name, link, sizeof link);
      if (n > 0 && n < (ssize_t) sizeof link && parse_socket_link (link, n, inode))
        return TRUE;
    }
  return FALSE;
}

/* One walk over the proc root, shared by the worker threads. */
typedef struct {
  int         root_fd;
  GArray     *pids;        /* ascending */
  GHashTable *wanted;      /* only read while the threads run */
  GHashTable *owners;      /* guarded by lock */
  GHashTable *comms;       /* pid -> raw comm, guarded by lock; NULL when not asked for */
  GMutex      lock;
  guint       n_wanted;
  gint        next;        /* atomic: index of the next pid to scan */
  gint        complete;    /* atomic: every wanted inode has an owner */
  gint        denied;      /* atomic */
} Walk;

/* Keeps the lowest pid for @inode; marks the walk complete once every wanted inode has one. */
static void
record_owner (Walk *walk, guint64 inode, int pid)
{
  gpointer old;

  g_mutex_lock (&walk->lock);
  if (!g_hash_table_lookup_extended (walk->owners, &inode, NULL, &old))
    {
      g_hash_table_insert (walk->owners, g_memdup2 (&inode, sizeof inode), GINT_TO_POINTER (pid));
      if (g_hash_table_size (walk->owners) == walk->n_wanted)
        g_atomic_int_set (&walk->complete, 1);
    }
  else if (GPOINTER_TO_INT (old) > pid)
    {
      g_hash_table_replace (walk->owners, g_memdup2 (&inode, sizeof inode), GINT_TO_POINTER (pid));
    }
  g_mutex_unlock (&walk->lock);
}

/* <pid>/comm read through the process's own directory descriptor: once the process has
 * exited, reads fail instead of returning the name of a new process that reused the pid. */
static char *
read_comm_at (int pid_fd)
{
  char buf[256];
  ssize_t n;
  int fd = openat (pid_fd, "comm", O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return NULL;
  do
    n = read (fd, buf, sizeof buf - 1);
  while (n < 0 && errno == EINTR);
  close (fd);
  if (n < 0)
    return NULL;
  if (n > 0 && buf[n - 1] == '\n')
    n--;
  return g_strndup (buf, (gsize) n);
}

static void
record_comm (Walk *walk, int pid_fd, int pid)
{
  char *comm = read_comm_at (pid_fd);

  if (comm == NULL)
    return;
  g_mutex_lock (&walk->lock);
  g_hash_table_replace (walk->comms, GINT_TO_POINTER (pid), comm);
  g_mutex_unlock (&walk->lock);
}

/* Returns FALSE when the fd directory could not be read at all. */
static gboolean
scan_process (Walk *walk, int pid)
{
  char path[16];
  int pid_fd, fd;
  DIR *dir;
  guint64 inode;
  gboolean found = FALSE;

  g_snprintf (path, sizeof path, "%d", pid);
  pid_fd = openat (walk->root_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (pid_fd < 0)
    return FALSE;
  fd = openat (pid_fd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      close (pid_fd);
      return FALSE;
    }
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      close (pid_fd);
      return FALSE;
    }

  /* A process that exits now ends readdir early or makes readlink fail: either way it is
   * simply done. */
  while (next_socket_inode (dir, &inode))
    {
      if (!g_hash_table_contains (walk->wanted, &inode))
        continue;
      found = TRUE;
      /* Completing the set stops the other threads between processes, but not this one
       * mid-table: a socket further down this pid's fds may be a shared one that a higher
       * pid claimed first, and the lowest pid must keep it (readdir order is the file
       * system's: ascending in /proc, not in a copied tree on tmpfs) */
      record_owner (walk, inode, pid);
    }
  closedir (dir);
  /* after the fd walk, through the same directory: the name is this process's or none */
  if (found && walk->comms != NULL)
    record_comm (walk, pid_fd, pid);
  close (pid_fd);
  return TRUE;
}

gboolean
porthole_procmap_pid_holds (const char *proc_root, int pid, guint64 inode)
{
  g_autofree char *path = g_strdup_printf ("%s/%d/fd", proc_root ? proc_root : "/proc", pid);
  DIR *dir = opendir (path);
  gboolean holds = FALSE;
  guint64 found;

  if (dir == NULL)
    return FALSE;
  while (!holds && next_socket_inode (dir, &found))
    holds = found == inode;
  closedir (dir);
  return holds;
}

/* Pids are handed out in ascending order. A thread checks for completion only between
 * processes, so a lower pid that another thread is still scanning is finished and can
 * still claim a shared socket: the result is the same as a walk in pid order. */
static gpointer
walk_thread (gpointer data)
{
  Walk *walk = data;

  while (!g_atomic_int_get (&walk->complete))
    {
      guint i = (guint) g_atomic_int_add (&walk->next, 1);

      if (i >= walk->pids->len)
        break;
      if (!scan_process (walk, g_array_index (walk->pids, int, i)))
        g_atomic_int_inc (&walk->denied);
    }
  return NULL;
}

GHashTable *
porthole_procmap_find_owners (const char *proc_root,
                              GHashTable *wanted,
                              guint      *n_denied)
{
  return porthole_procmap_find_owners_full (proc_root, wanted, NULL, n_denied);
}

GHashTable *
porthole_procmap_find_owners_full (const char  *proc_root,
                                   GHashTable  *wanted,
                                   GHashTable **comms,
                                   guint       *n_denied)
{
  Walk walk = { 0 };
  GThread *threads[MAX_THREADS];
  guint n_threads = 0;

  walk.owners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (comms != NULL)
    *comms = walk.comms = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_return_val_if_fail (wanted != NULL, walk.owners);

  if (n_denied)
    *n_denied = 0;
  walk.wanted = wanted;
  walk.n_wanted = g_hash_table_size (wanted);
  if (walk.n_wanted == 0)
    return walk.owners;

  walk.root_fd = open (proc_root ? proc_root : "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (walk.root_fd < 0)
    return walk.owners;
  walk.pids = list_pids (walk.root_fd);
  g_mutex_init (&walk.lock);

  /* readlink on /proc/<pid>/fd/N is kernel work that runs in parallel well: on a busy
   * machine the walk is most of a listing's time. */
  if (walk.pids->len >= THREADS_MIN_PIDS)
    {
      guint want = MIN ((guint) g_get_num_processors (), MAX_THREADS) - 1;

      for (; n_threads < want; n_threads++)
        {
          threads[n_threads] = g_thread_try_new ("porthole-procmap", walk_thread, &walk, NULL);
          if (threads[n_threads] == NULL)
            break;
        }
    }
  walk_thread (&walk);
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);

  g_mutex_clear (&walk.lock);
  g_array_unref (walk.pids);
  close (walk.root_fd);
  if (n_denied)
    *n_denied = (guint) walk.denied;
  return walk.owners;
}

static char *
read_proc_file (const char *proc_root, int pid, const char *name, gsize *len)
{
  g_autofree char *dir = g_strdup_printf ("%d", pid);
  g_autofree char *path = g_build_filename (proc_root ? proc_root : "/proc", dir, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, len, NULL))
    return NULL;
  return contents;
}

char *
porthole_proc_read_comm (const char *proc_root, int pid)
{
  gsize len = 0;
  char *comm = read_proc_file (proc_root, pid, "comm", &len);

  if (comm == NULL)
    return NULL;
  if (len > 0 && comm[len - 1] == '\n')
    comm[len - 1] = '\0';
  return comm;
}

char *
porthole_proc_read_cmdline (const char *proc_root, int pid)
{
  gsize len = 0;
  char *cmdline = read_proc_file (proc_root, pid, "cmdline", &len);

  if (cmdline == NULL)
    return NULL;
  while (len > 0 && cmdline[len - 1] == '\0')
    len--;
  if (len == 0) /* kernel threads and zombies have none */
    {
      g_free (cmdline);
      return NULL;
    }
  for (gsize i = 0; i < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  cmdline[len] = '\0';
  return cmdline;
}

static gboolean
is_unit_name (const char *name, gsize len)
{
  static const char * const suffixes[] = {
    ".service", ".scope", ".socket", ".mount", ".swap", ".timer", ".path", ".target",
    ".automount", ".device",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize slen = strlen (suffixes[i]);

      if (len > slen && memcmp (name + len - slen, suffixes[i], slen) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The deepest path component that names a unit (slices group units, they do not run them):
 * "/user.slice/user-1000.slice/user@1000.service/app.slice/app-x-1.scope" -> "app-x-1.scope" */
static char *
unit_from_path (const char *path)
{
  const char *end = path + strlen (path);

  while (end > path)
    {
      const char *start = end;

      while (start > path && start[-1] != '/')
        start--;
      if (is_unit_name (start, (gsize) (end - start)))
        return g_strndup (start, (gsize) (end - start));
      end = start > path ? start - 1 : path;
    }
  return NULL;
}

char *
porthole_proc_read_systemd_unit (const char *proc_root, int pid)
{
  g_autofree char *contents = read_proc_file (proc_root, pid, "cgroup", NULL);
  g_autofree char *unified = NULL;
  g_autofree char *named = NULL;
  g_auto(GStrv) lines = NULL;

  if (contents == NULL)
    return NULL;

  /* "ID:controllers:path". cgroup v2: "0::/system.slice/cups.service". cgroup v1 (and the
   * hybrid layout) has systemd's own hierarchy as "N:name=systemd:/system.slice/...". */
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *first = strchr (lines[i], ':');
      char *second = first ? strchr (first + 1, ':') : NULL;

      if (second == NULL)
        continue;
      *second = '\0';
      if (unified == NULL && strcmp (lines[i], "0:") == 0)
        unified = unit_from_path (second + 1);
      else if (named == NULL && strcmp (first + 1, "name=systemd") == 0)
        named = unit_from_path (second + 1);
    }
  if (unified != NULL)
    return g_steal_pointer (&unified);
  return g_steal_pointer (&named);
}

gint64
porthole_proc_read_uid (const char *proc_root, int pid)
{
  g_autofree char *status = read_proc_file (proc_root, pid, "status", NULL);
  const char *line;
  guint64 real, effective;
  char *end;

  if (status == NULL)
    return -1;
  if (g_str_has_prefix (status, "Uid:"))
    line = status;
  else if ((line = strstr (status, "\nUid:")) != NULL)
    line++;
  else
    return -1;

  /* "Uid:\treal\teffective\tsaved\tfs": the effective uid, as ps shows it */
  line += strlen ("Uid:");
  real = g_ascii_strtoull (line, &end, 10);
  if (end == line || real > G_MAXUINT32)
    return -1;
  line = end;
  effective = g_ascii_strtoull (line, &end, 10);
  if (end == line || effective > G_MAXUINT32)
    return (gint64) real;
  return (gint64) effective;
}

guint64
porthole_proc_read_start_time (const char *proc_root, int pid)
{
  g_autofree char *stat = read_proc_file (proc_root, pid, "stat", NULL);
  const char *p;
  guint64 start_time;
  char *end;

  if (stat == NULL)
    return 0;
  /* "pid (comm) state ...": comm may hold spaces and parentheses, so fields count from the
   * last ')' */
  p = strrchr (stat, ')');
  if (p == NULL || p[1] != ' ')
    return 0;
  p += 2;
  /* field 3, the state: an exited process has no start of its own any more */
  if (*p == 'Z' || *p == 'X' || *p == 'x')
    return 0;
  for (int field = 3; field < 22; field++)
    {
      p = strchr (p, ' ');
      if (p == NULL)
        return 0;
      p++;
    }
  if (!g_ascii_isdigit (*p))
    return 0;
  start_time = g_ascii_strtoull (p, &end, 10);
  if (*end != ' ' && *end != '\n' && *end != '\0')
    return 0;
  return start_time;
}

gboolean
porthole_proc_in_sandbox (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

gint64
porthole_proc_read_overflow_uid (const char *proc_root)
{
  g_autofree char *path = g_build_filename (proc_root ? proc_root : "/proc", "sys", "kernel", "overflowuid", NULL);
  g_autofree char *contents = NULL;
  guint64 value;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (contents), 10, 0, G_MAXUINT32, &value, NULL))
    return -1;
  return (gint64) value;
}
