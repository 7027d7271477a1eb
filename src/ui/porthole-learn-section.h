/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PORTHOLE_TYPE_LEARN_SECTION (porthole_learn_section_get_type ())
G_DECLARE_FINAL_TYPE (PortholeLearnSection, porthole_learn_section, PORTHOLE, LEARN_SECTION, AdwPreferencesGroup)

/* One idea of the Learn tab: a title (the group's), a few sentences ("text"), and a card with a
 * live example from this computer: a sentence ("example"), optional lines in monospace
 * ("detail") and an optional button ("button-label"; emits "button-clicked"). All plain text,
 * never markup. */
void        porthole_learn_section_set_example (PortholeLearnSection *self,
                                                const char           *example,
                                                const char           *detail);
void        porthole_learn_section_set_button (PortholeLearnSection *self, const char *label);
const char *porthole_learn_section_get_text (PortholeLearnSection *self);
const char *porthole_learn_section_get_example (PortholeLearnSection *self);
const char *porthole_learn_section_get_detail (PortholeLearnSection *self);
/* NULL when the button is hidden */
const char *porthole_learn_section_get_button (PortholeLearnSection *self);

G_END_DECLS
