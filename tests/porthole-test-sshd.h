/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Remote hosts over a real OpenSSH server: the test enters its own network namespace (only
 * loopback in it), makes a fresh host key and client key, and starts /usr/sbin/sshd with its
 * own config on 127.0.0.1; the client side is a private ssh_config passed with
 * PORTHOLE_SSH_CONFIG (ssh -F), and XDG_RUNTIME_DIR (ssh's ControlMaster sockets) is the
 * test's own. The PATH sshd gives the session decides what the "remote" has: this build's
 * porthole-cli, a fake one, only ss, or nothing. porthole_test_sshd_stop() (also run at exit)
 * kills every process in the namespace (sshd, its sessions, ssh's ControlMaster) and removes
 * the files. */

typedef enum {
  REMOTE_CLI,        /* this build's porthole-cli and ss */
  REMOTE_SS,         /* ss only */
  REMOTE_NOTHING,    /* neither */
  REMOTE_FAKE,       /* a porthole-cli script (@fake of porthole_test_sshd_start) */
} PortholeTestRemote;

typedef struct {
  char   *dir;                /* keys, configs, the remote's bin/, sshd.log */
  guint16 port;
  char   *ssh_config;
  char   *host_fingerprint;   /* SHA256:... */
} PortholeTestSshd;

extern PortholeTestSshd porthole_sshd;

/* Enters a private namespace and starts sshd there. @fake: the fake porthole-cli's script. */
void     porthole_test_sshd_start (PortholeTestRemote remote, const char *fake);
/* Starts sshd again on the same port and keys (after porthole_test_sshd_kill) */
void     porthole_test_sshd_launch (void);
/* Kills sshd's processes in this network namespace only (the listener and each session's), SIGKILL */
void     porthole_test_sshd_kill (void);
void     porthole_test_sshd_stop (void);
/* Replaces the client's ssh_config line @from by @to (a wrong key, no known host key) */
void     porthole_test_sshd_config_replace (const char *from, const char *to);

/* Small helpers the remote tests share */
void     porthole_test_write_file (const char *dir, const char *name, const char *text, int mode);
char    *porthole_test_run_ok (const char *const *argv);   /* stdout; fails the test on error */
guint16  porthole_test_free_port (void);                    /* a loopback TCP port free right now */

G_END_DECLS
