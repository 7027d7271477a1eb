/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole"
#include "config.h"

#include "porthole-learn-section.h"

struct _PortholeLearnSection {
  AdwPreferencesGroup parent_instance;

  GtkLabel           *text_label;
  GtkLabel           *example_label;
  GtkLabel           *detail_label;
  GtkButton          *button;
};

G_DEFINE_FINAL_TYPE (PortholeLearnSection, porthole_learn_section, ADW_TYPE_PREFERENCES_GROUP)

enum { PROP_0, PROP_TEXT, N_PROPS };
enum { BUTTON_CLICKED, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Only touch a label when its text really changes: the examples are recomputed on every
 * refresh, and resetting a label would drop a selection the user is making in it */
static void
set_label (GtkLabel *label, const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text ? text : "") != 0)
    gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

void
porthole_learn_section_set_example (PortholeLearnSection *self, const char *example, const char *detail)
{
  g_return_if_fail (PORTHOLE_IS_LEARN_SECTION (self));
  set_label (self->example_label, example);
  set_label (self->detail_label, detail);
}

void
porthole_learn_section_set_button (PortholeLearnSection *self, const char *label)
{
  g_return_if_fail (PORTHOLE_IS_LEARN_SECTION (self));
  if (label != NULL && g_strcmp0 (gtk_button_get_label (self->button), label) != 0)
    gtk_button_set_label (self->button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->button), label != NULL);
}

const char *
porthole_learn_section_get_text (PortholeLearnSection *self)
{
  return gtk_label_get_text (self->text_label);
}

const char *
porthole_learn_section_get_example (PortholeLearnSection *self)
{
  return gtk_label_get_text (self->example_label);
}

const char *
porthole_learn_section_get_detail (PortholeLearnSection *self)
{
  return gtk_label_get_text (self->detail_label);
}

const char *
porthole_learn_section_get_button (PortholeLearnSection *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->button)) ? gtk_button_get_label (self->button) : NULL;
}

static void
on_button_clicked (PortholeLearnSection *self)
{
  g_signal_emit (self, signals[BUTTON_CLICKED], 0);
}

static void
porthole_learn_section_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PortholeLearnSection *self = PORTHOLE_LEARN_SECTION (object);

  switch (prop_id)
    {
    case PROP_TEXT: g_value_set_string (value, gtk_label_get_text (self->text_label)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_learn_section_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PortholeLearnSection *self = PORTHOLE_LEARN_SECTION (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      if (g_strcmp0 (gtk_label_get_text (self->text_label), g_value_get_string (value)) != 0)
        {
          gtk_label_set_text (self->text_label, g_value_get_string (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
porthole_learn_section_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PORTHOLE_TYPE_LEARN_SECTION);
  G_OBJECT_CLASS (porthole_learn_section_parent_class)->dispose (object);
}

static void
porthole_learn_section_class_init (PortholeLearnSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = porthole_learn_section_dispose;
  object_class->get_property = porthole_learn_section_get_property;
  object_class->set_property = porthole_learn_section_set_property;

  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[BUTTON_CLICKED] = g_signal_new ("button-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/porthole-learn-section.ui");
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnSection, text_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnSection, example_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnSection, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PortholeLearnSection, button);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked);
}

static void
porthole_learn_section_init (PortholeLearnSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
