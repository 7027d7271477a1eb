/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The login name for @uid, or the number as text when there is none; cached, thread-safe. */
char *porthole_user_name (guint32 uid);

G_END_DECLS
