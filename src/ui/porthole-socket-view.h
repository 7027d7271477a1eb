/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "porthole-socket-details.h"
#include "porthole-socket-filter.h"
#include "porthole-settings.h"
#include "porthole-socket-monitor.h"

G_BEGIN_DECLS

#define PORTHOLE_TYPE_SOCKET_VIEW (porthole_socket_view_get_type ())
G_DECLARE_FINAL_TYPE (PortholeSocketView, porthole_socket_view, PORTHOLE, SOCKET_VIEW, AdwBin)

/* What the Listening and Connections pages share around their GtkColumnView (declared in the
 * page's .ui and handed over as "column-view"): the monitor filtered by "mode" and the search
 * bar and toggles, sorted by the column view's sorter (remembered in GSettings as
 * <mode>-sort-column / <mode>-sort-descending), a single selection that follows the item,
 * loading/error/empty states, the hidden-owners banner, the details pane, and Export.
 * "monitor" and "highlight-new" (from the settings) are read-only properties the cells bind to;
 * "show-container-column" the one the Container column's "visible" binds to. */
/* Once, before use: binds the toggles, the sort order and the highlight to @settings */
void        porthole_socket_view_set_settings (PortholeSocketView *self, PortholeSettings *settings);
void        porthole_socket_view_set_monitor (PortholeSocketView *self, PortholeSocketMonitor *monitor);
PortholeSocketMonitor *porthole_socket_view_get_monitor (PortholeSocketView *self);
GtkColumnView *porthole_socket_view_get_column_view (PortholeSocketView *self);

/* The rows shown, filtered and sorted, and the selection over them */
GListModel         *porthole_socket_view_get_model (PortholeSocketView *self);
GtkSingleSelection *porthole_socket_view_get_selection (PortholeSocketView *self);
PortholeSocketFilter *porthole_socket_view_get_filter (PortholeSocketView *self);
PortholeSocketDetails *porthole_socket_view_get_details (PortholeSocketView *self);

/* Opens the search bar and focuses it; sets its text when @text is not NULL */
void        porthole_socket_view_start_search (PortholeSocketView *self, const char *text);
/* "loading", "error", "empty" or "table" */
const char *porthole_socket_view_get_state (PortholeSocketView *self);
/* The banner text when owners are hidden, or NULL */
const char *porthole_socket_view_get_banner (PortholeSocketView *self);

/* Selects @socket (which must be in the model) and scrolls to it */
gboolean    porthole_socket_view_select (PortholeSocketView *self, PortholeSocket *socket);
/* Whether the Container column is shown ("show-container-column"): some live socket of this
 * table's mode is in a container or another network namespace, and "show-containers" is on */
gboolean    porthole_socket_view_get_show_container_column (PortholeSocketView *self);
/* Sorts by the column whose PortholeColumnSorter is named @name */
gboolean    porthole_socket_view_sort_by (PortholeSocketView *self, const char *name, gboolean descending);

/* Only @program's sockets, with a bar that says so and offers Show All (NULL: everyone's) */
void        porthole_socket_view_show_program (PortholeSocketView *self, PortholeProgram *program);
PortholeProgram *porthole_socket_view_get_program (PortholeSocketView *self);
/* Puts @widget first in the view's toolbar (the Connections page's view switch) */
void        porthole_socket_view_add_toolbar_start (PortholeSocketView *self, GtkWidget *widget);

G_END_DECLS
