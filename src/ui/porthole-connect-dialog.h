/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* "Connect to a Server…": asks for user@host[:port] (or a ~/.ssh/config alias), checked as
 * an ssh destination while typed (option-like, whitespace and control text refused), and
 * opens it with app.open-host. Returns the dialog, for tests. */
AdwMessageDialog *porthole_connect_dialog_present (GtkWindow *parent);

G_END_DECLS
