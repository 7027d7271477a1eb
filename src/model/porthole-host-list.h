/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The remote computers a host menu offers: the Host names of the user's ssh_config and the
 * ones opened recently. */

/* At most this many recent hosts are kept */
#define PORTHOLE_HOST_LIST_MAX_RECENT 8

/* Reads the ssh_config ssh itself reads (PORTHOLE_SSH_CONFIG when set, else ~/.ssh/config) in
 * a worker thread and returns its Host names (porthole_ssh_config_hosts); a missing or
 * unreadable file gives an empty list, never an error but cancellation. */
void     porthole_host_list_read_config_async  (GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char   **porthole_host_list_read_config_finish (GAsyncResult        *result,
                                                GError             **error);

/* @recent with @host first (moved there when present), at most PORTHOLE_HOST_LIST_MAX_RECENT;
 * entries that are no valid destination are dropped (the settings are user-editable) */
char   **porthole_host_list_add_recent (const char *const *recent, const char *host);

G_END_DECLS
