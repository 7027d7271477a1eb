/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

char *
porthole_test_fixture (const char *name)
{
  const char *dir = g_getenv ("PORTHOLE_FIXTURES");

  g_assert (dir != NULL);
  return g_build_filename (dir, name, NULL);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
porthole_test_assert_fixtures_listed (const char *subdir, gconstpointer cases, gsize n_cases,
                                      gsize stride, gsize name_offset)
{
  g_autofree char *path = g_build_filename (g_getenv ("PORTHOLE_FIXTURES"), subdir, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  ck_assert_msg (dir != NULL, "no %s", path);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      for (gsize i = 0; i < n_cases && !listed; i++)
        {
          const char *file = *(const char *const *) ((const guint8 *) cases + i * stride + name_offset);

          listed = strcmp (file, name) == 0;
        }
      ck_assert_msg (listed, "tests/fixtures/%s/%s has no expected result", subdir, name);
      n++;
    }
  ck_assert_uint_eq (n, n_cases);
}

gboolean
porthole_test_wait_for (gboolean *flag, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

void
porthole_test_spin (guint ms)
{
  gboolean done = FALSE;

  porthole_test_wait_for (&done, ms);
}

static gboolean
bring_up_loopback (char **reason)
{
  struct ifreq ifr = { 0 };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    {
      *reason = g_strdup_printf ("socket: %s", g_strerror (errno));
      return FALSE;
    }
  g_strlcpy (ifr.ifr_name, "lo", IFNAMSIZ);
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    goto fail;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) < 0)
    goto fail;
  close (fd);
  return TRUE;

fail:
  *reason = g_strdup_printf ("bringing up lo: %s", g_strerror (errno));
  close (fd);
  return FALSE;
}

gboolean
porthole_test_enter_netns (char **reason)
{
  char *dummy = NULL;

  if (reason == NULL)
    reason = &dummy;
  if (unshare (CLONE_NEWNET) != 0)
    {
      int saved = errno;

      /* Not root: a user namespace gives us CAP_NET_ADMIN over a fresh network namespace. */
      if (unshare (CLONE_NEWUSER | CLONE_NEWNET) != 0)
        {
          *reason = g_strdup_printf ("unshare(CLONE_NEWNET): %s; with a user namespace: %s",
                                     g_strerror (saved), g_strerror (errno));
          return FALSE;
        }
    }
  if (!bring_up_loopback (reason))
    return FALSE;
  g_free (dummy);
  return TRUE;
}
