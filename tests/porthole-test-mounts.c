/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test-mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

gboolean
porthole_test_private_mounts (char **reason)
{
  if (unshare (CLONE_NEWNS) != 0)
    {
      int saved = errno;

      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
        {
          *reason = g_strdup_printf ("unshare(CLONE_NEWNS): %s; with a user namespace: %s",
                                     g_strerror (saved), g_strerror (errno));
          return FALSE;
        }
    }
  /* Nothing mounted here propagates back to the machine */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    {
      *reason = g_strdup_printf ("making / private: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

char *
porthole_test_mount_tmpfs (gsize size, char **reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("porthole-tmpfs-XXXXXX", &error);
  g_autofree char *options = g_strdup_printf ("size=%" G_GSIZE_FORMAT ",mode=0700", size);

  if (dir == NULL)
    {
      *reason = g_strdup (error->message);
      return NULL;
    }
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      *reason = g_strdup_printf ("mount tmpfs on %s: %s", dir, g_strerror (errno));
      return NULL;
    }
  return g_steal_pointer (&dir);
}

gboolean
porthole_test_remount (const char *dir, gboolean read_only, char **reason)
{
  unsigned long flags = MS_REMOUNT | MS_NOSUID | MS_NODEV | (read_only ? MS_RDONLY : 0);

  if (mount ("tmpfs", dir, "tmpfs", flags, NULL) != 0)
    {
      *reason = g_strdup_printf ("remount %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

char *
porthole_test_fill_disk (const char *dir)
{
  char *path = g_build_filename (dir, "filler", NULL);
  char block[4096];
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC | O_APPEND, 0600);

  memset (block, 'f', sizeof block);
  /* Bounded: a tmpfs from above is small */
  for (guint i = 0; fd >= 0 && i < 1024 * 1024; i++)
    if (write (fd, block, sizeof block) <= 0)
      break;
  if (fd >= 0)
    close (fd);
  return path;
}
