/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Puts the calling process (a test Check forked) in a private mount namespace, so the file
 * systems it mounts are seen by it and its children only and vanish with them. Root, or a
 * user namespace when not root. Returns FALSE with a reason when neither works. */
gboolean porthole_test_private_mounts (char **reason);

/* Mounts a tmpfs of @size bytes on a new temporary directory; returns the directory.
 * Needs porthole_test_private_mounts() first. NULL with a reason on failure. */
char    *porthole_test_mount_tmpfs (gsize size, char **reason);

/* Remounts @dir (a tmpfs from above) read-only or read-write */
gboolean porthole_test_remount (const char *dir, gboolean read_only, char **reason);

/* Fills the file system of @dir: writes "<dir>/filler" until it is full. Returns its path. */
char    *porthole_test_fill_disk (const char *dir);

G_END_DECLS
