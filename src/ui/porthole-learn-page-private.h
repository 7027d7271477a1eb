/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "porthole-learn-page.h"
#include "porthole-learn-section.h"
#include "porthole-port-line.h"
#include "porthole-port-lookup.h"

G_BEGIN_DECLS

/* For tests */
PortholePortLine     *porthole_learn_page_get_port_line (PortholeLearnPage *self);
PortholePortLookup   *porthole_learn_page_get_lookup (PortholeLearnPage *self);
/* "addresses", "ranges", "ephemeral", "tuple", "limits", "spaces" */
PortholeLearnSection *porthole_learn_page_get_section (PortholeLearnPage *self, const char *name);
const char           *porthole_learn_page_get_legend (PortholeLearnPage *self);
/* Applies a pending live update now instead of at idle */
void                  porthole_learn_page_update_now (PortholeLearnPage *self);

G_END_DECLS
