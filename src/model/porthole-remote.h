/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "porthole-ssh-destination.h"

G_BEGIN_DECLS

#define PORTHOLE_REMOTE_ERROR (porthole_remote_error_quark ())

/* Why a remote host gave no socket list. Every message is one line for people, with remote
 * text escaped. */
typedef enum {
  PORTHOLE_REMOTE_ERROR_FAILED,            /* ssh failed otherwise (its message, escaped) */
  PORTHOLE_REMOTE_ERROR_NO_SSH,            /* no ssh client on this computer */
  PORTHOLE_REMOTE_ERROR_HOST_KEY_UNKNOWN,  /* not in known_hosts: fingerprint and the ssh command to accept it */
  PORTHOLE_REMOTE_ERROR_HOST_KEY_CHANGED,  /* known_hosts holds another key for it */
  PORTHOLE_REMOTE_ERROR_AUTH,              /* the server refused every key (BatchMode: no passwords) */
  PORTHOLE_REMOTE_ERROR_NAME,              /* the host name does not resolve */
  PORTHOLE_REMOTE_ERROR_UNREACHABLE,       /* refused, no route, or no answer within ConnectTimeout */
  PORTHOLE_REMOTE_ERROR_TIMEOUT,           /* no complete answer within the whole time allowed */
  PORTHOLE_REMOTE_ERROR_NO_LISTER,         /* neither porthole-cli nor ss on the host */
  PORTHOLE_REMOTE_ERROR_VERSION,           /* porthole-cli there speaks another contract */
  PORTHOLE_REMOTE_ERROR_JUNK,              /* output that is no socket list */
  PORTHOLE_REMOTE_ERROR_TOO_BIG,           /* more output than PortholeRemoteOptions.max_output */
  PORTHOLE_REMOTE_ERROR_DROPPED,           /* the connection broke in the middle of the answer */
} PortholeRemoteError;

GQuark porthole_remote_error_quark (void);

/* Which program answered on the remote host */
typedef enum {
  PORTHOLE_REMOTE_SOURCE_PORTHOLE_CLI,     /* porthole-cli list --all --json */
  PORTHOLE_REMOTE_SOURCE_SS,               /* ss -tuanpeHO, or ss -tuanpH where -e/-O are missing */
} PortholeRemoteSource;

const char *porthole_remote_source_to_string (PortholeRemoteSource source);   /* "porthole-cli", "ss" */

typedef struct {
  guint connect_timeout_s;   /* ssh's ConnectTimeout; 0: 10 s */
  guint timeout_ms;          /* the whole query, then ssh is killed; 0: 60 s */
  gsize max_output;          /* bytes of standard output, then ssh is killed; 0: 64 MiB */
} PortholeRemoteOptions;

typedef struct {
  PortholeRemoteSource source;
  /* JsonObject *, one per socket, with the keys of `porthole-cli list --json` (DESIGN.md) in
   * contract order, types checked, every string escaped (porthole_escape_text) unless it was
   * clean already. Rows from ss have user null (names on the remote are unknown here), uid
   * null for plain ss, and the service as this computer's services file names it. */
  GPtrArray           *rows;
  /* Non-NULL when worth saying, e.g. that porthole-cli is missing there and ss answered */
  char                *notice;
  guint                n_bad_lines;   /* ss lines that did not parse */
} PortholeRemoteResult;

void porthole_remote_result_free (PortholeRemoteResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeRemoteResult, porthole_remote_result_free)

/* Lists every socket (all states) of @dest with the system's ssh: argv only, BatchMode=yes,
 * ConnectTimeout, a ControlMaster socket under $XDG_RUNTIME_DIR/porthole so later queries reuse
 * the connection, and a fixed remote command that runs porthole-cli there or else ss. The host
 * key policy stays the user's: an unknown key is an error, never accepted here.
 *
 * For tests and unusual set-ups, PORTHOLE_SSH_CONFIG=<file> in the environment is passed to
 * ssh as "-F <file>" (ssh reads that instead of ~/.ssh/config). @options NULL: the defaults. */
void                  porthole_remote_list_async  (const PortholeSshDestination *dest,
                                                   const PortholeRemoteOptions  *options,
                                                   GCancellable                 *cancellable,
                                                   GAsyncReadyCallback           callback,
                                                   gpointer                      user_data);
PortholeRemoteResult *porthole_remote_list_finish (GAsyncResult                 *result,
                                                   GError                      **error);

/* What a remote command printed (porthole_remote_run_async) */
typedef struct {
  GBytes *out;           /* standard output, at most PortholeRemoteOptions.max_output bytes */
  char   *err;           /* standard error (the start of it), raw */
  int     exit_status;   /* the remote command's; never 255 (ssh's own failure is an error) */
} PortholeRemoteOutput;

void porthole_remote_output_free (PortholeRemoteOutput *output);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortholeRemoteOutput, porthole_remote_output_free)

/* Runs @command on @dest over the same transport as porthole_remote_list_async (argv only,
 * BatchMode, ConnectTimeout, the shared ControlMaster, the same errors for ssh's failures).
 * @command is the remote shell's text: the caller builds it from fixed words and checked
 * values only. Exit status 255 is ssh's: mapped to a PortholeRemoteError. */
void                  porthole_remote_run_async  (const PortholeSshDestination *dest,
                                                  const PortholeRemoteOptions  *options,
                                                  const char                   *command,
                                                  GCancellable                 *cancellable,
                                                  GAsyncReadyCallback           callback,
                                                  gpointer                      user_data);
PortholeRemoteOutput *porthole_remote_run_finish (GAsyncResult                 *result,
                                                  GError                      **error);

/* How messages name @dest: "user@host:port", "[v6]:port" */
char                 *porthole_remote_shown (const PortholeSshDestination *dest);

/* Exposed for tests and the fuzzer: what the remote command's output, exit status (-1: killed)
 * and ssh's stderr mean. @shown names the host in messages; @accept_command is the ssh command
 * line a person runs to check and accept an unknown host key. */
PortholeRemoteResult *porthole_remote_interpret (const char  *shown,
                                                 const char  *accept_command,
                                                 const char  *out,
                                                 gsize        out_len,
                                                 const char  *err,
                                                 gsize        err_len,
                                                 int          exit_status,
                                                 GError     **error);

G_END_DECLS
