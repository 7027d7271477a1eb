/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-process-details.h"

#include "porthole-escape.h"
#include "porthole-procmap.h"

#include <unistd.h>

G_DEFINE_BOXED_TYPE (PortholeProcessDetails, porthole_process_details,
                     porthole_process_details_copy, porthole_process_details_free)

static PortholeProcessDetails *
details_new (int pid)
{
  PortholeProcessDetails *details = g_new0 (PortholeProcessDetails, 1);

  details->pid = pid;
  details->uid = -1;
  return details;
}

PortholeProcessDetails *
porthole_process_details_copy (const PortholeProcessDetails *self)
{
  PortholeProcessDetails *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->cmdline = g_strdup (self->cmdline);
  copy->unit = g_strdup (self->unit);
  return copy;
}

void
porthole_process_details_free (PortholeProcessDetails *self)
{
  if (self == NULL)
    return;
  g_free (self->cmdline);
  g_free (self->unit);
  g_free (self);
}

/* Whether @pid still runs the program the row names: it holds the socket (even if it renamed
 * itself since), or, for a socket it has closed, it still has the name the row shows */
static gboolean
same_program (const char *proc_root, PortholeSocket *socket, int pid)
{
  g_autofree char *comm = NULL;
  g_autofree char *shown = NULL;

  if (porthole_procmap_pid_holds (proc_root, pid, porthole_socket_get_inode (socket)))
    return TRUE;
  comm = porthole_proc_read_comm (proc_root, pid);
  shown = comm ? porthole_escape_text (comm, -1, FALSE) : NULL;
  return shown != NULL && g_strcmp0 (shown, porthole_socket_get_process (socket)) == 0;
}

PortholeProcessDetails *
porthole_process_details_read (const char *proc_root, PortholeSocket *socket)
{
  PortholeProcessDetails *details;
  g_autofree char *cmdline = NULL;
  g_autofree char *unit = NULL;
  int pid;

  g_return_val_if_fail (PORTHOLE_IS_SOCKET (socket), NULL);

  if (proc_root == NULL)
    proc_root = "/proc";
  pid = porthole_socket_get_pid (socket);
  if (porthole_socket_get_owner_status (socket) != PORTHOLE_OWNER_KNOWN || pid <= 0)
    return details_new (0);

  details = details_new (pid);
  cmdline = porthole_proc_read_cmdline (proc_root, pid);
  unit = porthole_proc_read_systemd_unit (proc_root, pid);
  details->uid = porthole_proc_read_uid (proc_root, pid);
  details->start_time = porthole_proc_read_start_time (proc_root, pid);
  /* A pid reused since the row was read must not lend its command line. The program is
   * checked after the reads, so a process replaced in between is caught too. A zombie
   * (start time 0) has exited: it holds nothing, and its name alone proves nothing. */
  if (details->start_time == 0 || !same_program (proc_root, socket, pid))
    {
      details->gone = TRUE;
      details->uid = -1;
      details->start_time = 0;
      return details;
    }
  details->cmdline = cmdline ? porthole_escape_text (cmdline, -1, FALSE) : NULL;
  details->unit = unit ? porthole_escape_text (unit, -1, FALSE) : NULL;
  /* A user may signal only their own processes, and Porthole never asks for more rights;
   * never offered for ourselves or init */
  details->can_end = pid > 1 && pid != getpid () && details->uid == (gint64) geteuid ();
  return details;
}
