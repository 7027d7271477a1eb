/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-cli"
#include "config.h"

#include "porthole-cli.h"
#include "porthole-port-info.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

static JsonNode *
to_json (const PortholePortInfo *info)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, info->port);
  json_builder_set_member_name (b, "range");
  json_builder_add_string_value (b, porthole_port_range_id (info->range));
  json_builder_set_member_name (b, "range_start");
  json_builder_add_int_value (b, info->range_start);
  json_builder_set_member_name (b, "range_end");
  json_builder_add_int_value (b, info->range_end);
  json_builder_set_member_name (b, "in_ephemeral_range");
  json_builder_add_boolean_value (b, info->in_ephemeral_range);
  json_builder_set_member_name (b, "ephemeral_start");
  json_builder_add_int_value (b, info->ephemeral_start);
  json_builder_set_member_name (b, "ephemeral_end");
  json_builder_add_int_value (b, info->ephemeral_end);
  json_builder_set_member_name (b, "privileged");
  json_builder_add_boolean_value (b, info->privileged);
  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  for (guint i = 0; i < info->services->len; i++)
    {
      const PortholePortService *s = g_ptr_array_index (info->services, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, s->name);
      json_builder_set_member_name (b, "protocol");
      json_builder_add_string_value (b, s->protocol);
      json_builder_set_member_name (b, "description");
      if (s->description)
        json_builder_add_string_value (b, s->description);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* "-1" would otherwise reach GOption as an unknown option; take it as the (bad) port */
static char *
take_negative_number (int *argc, char **argv)
{
  for (int i = 1; i < *argc; i++)
    {
      const char *a = argv[i];

      if (a[0] == '-' && g_ascii_isdigit (a[1]))
        {
          char *taken = argv[i];

          for (int j = i; j < *argc - 1; j++)
            argv[j] = argv[j + 1];
          (*argc)--;
          return taken;
        }
    }
  return NULL;
}

int
porthole_cli_explain (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON instead of a paragraph"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PORT — what a port is for, on this system"));
  g_autoptr(PortholeServices) file_services = NULL;
  g_autoptr(PortholePortInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  PortholeServices *services;
  PortholeSysctl sysctl;
  const char *negative;
  const char *text;
  const char *services_path;
  guint16 port = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  negative = take_negative_number (&argc, argv);
  if (!porthole_cli_parse (context, &argc, &argv))
    return PORTHOLE_CLI_BAD_INPUT;
  if (argc + (negative != NULL) > 2)
    return porthole_cli_bad_input (_("explain takes one port; “%s” is one too many"), argv[argc - 1]);
  if (argc < 2 && negative == NULL)
    return porthole_cli_bad_input (_("the port is missing (porthole-cli explain PORT [--json])"));
  text = negative ? negative : argv[1];

  /* Tests point these at fixtures; people get /proc/sys and /etc/services */
  services_path = g_getenv ("PORTHOLE_SERVICES_FILE");
  if (services_path != NULL)
    {
      file_services = porthole_services_new_from_file (services_path, &error);
      if (file_services == NULL)
        return porthole_cli_bad_input ("%s", error->message);
      services = file_services;
    }
  else
    services = porthole_services_get_default ();
  porthole_sysctl_read (g_getenv ("PORTHOLE_SYSCTL_ROOT"), &sysctl);

  if (!porthole_port_lookup (text, services, &port, &error))
    return porthole_cli_bad_input ("%s", error->message);

  info = porthole_port_info_new (port, &sysctl, services);
  if (json)
    {
      g_autoptr(JsonNode) node = to_json (info);

      porthole_cli_print_json (node);
    }
  else
    {
      g_autofree char *paragraph = porthole_port_info_explain (info, PORTHOLE_PORT_ROLE_UNKNOWN);

      printf ("%s\n", paragraph);
    }
  return PORTHOLE_CLI_OK;
}
