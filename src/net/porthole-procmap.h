/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Finds which process holds each socket inode by walking <proc_root>/<pid>/fd with readlink
 * (never stat). @wanted is a set of inodes (keys are guint64 pointers, g_int64_hash/equal).
 * Returns a new table guint64 inode -> pid (GINT_TO_POINTER), lowest pid first wins. A process
 * that exits or denies access mid-walk is skipped (counted in @n_denied when non-NULL); the walk
 * stops as soon as every wanted inode is found. */
GHashTable *porthole_procmap_find_owners (const char *proc_root,
                                          GHashTable *wanted,
                                          guint      *n_denied);
/* The same, and when @comms is non-NULL a new table pid (GINT_TO_POINTER) -> raw comm for
 * every process that holds a wanted socket. Each name is read through the directory of the
 * process whose descriptors were just walked, so a pid reused meanwhile never lends its new
 * owner's name; a process that exited before its name was read has no entry. */
GHashTable *porthole_procmap_find_owners_full (const char  *proc_root,
                                               GHashTable  *wanted,
                                               GHashTable **comms,
                                               guint       *n_denied);

/* Whether process @pid holds socket @inode right now (one process's fd walk, readlink only) */
gboolean porthole_procmap_pid_holds (const char *proc_root, int pid, guint64 inode);

/* Raw /proc/<pid>/comm without its newline (may be invalid UTF-8: escape before display). */
char *porthole_proc_read_comm (const char *proc_root, int pid);
/* /proc/<pid>/cmdline with NULs turned into spaces; raw, escape before display. */
char *porthole_proc_read_cmdline (const char *proc_root, int pid);
/* The systemd unit from /proc/<pid>/cgroup ("cups.service", "app-gnome-firefox-1234.scope"), or NULL. */
char *porthole_proc_read_systemd_unit (const char *proc_root, int pid);
/* Owner uid of the process, or -1 */
gint64 porthole_proc_read_uid (const char *proc_root, int pid);
/* The process start time (clock ticks after boot, field 22 of /proc/<pid>/stat): with the pid
 * it names one process for good, so a pid reused by a new process is told apart. 0 when the
 * process is gone or has exited and not been reaped yet (a zombie). */
guint64 porthole_proc_read_start_time (const char *proc_root, int pid);

/* <proc_root>/sys/kernel/overflowuid: the uid the kernel reports for owners a user namespace
 * cannot map; -1 when unreadable. */
gint64 porthole_proc_read_overflow_uid (const char *proc_root);

/* TRUE inside a Flatpak sandbox, where other processes are invisible. */
gboolean porthole_proc_in_sandbox (void);

G_END_DECLS
