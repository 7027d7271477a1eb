/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-port-info"
#include "config.h"

#include "porthole-test.h"
#include "porthole-net-error.h"
#include "porthole-port-info.h"

#include <stdio.h>
#include <string.h>

static PortholeServices *
fixture_services (void)
{
  g_autofree char *path = porthole_test_fixture ("services-debian12");
  g_autoptr(GError) error = NULL;
  PortholeServices *services = porthole_services_new_from_file (path, &error);

  ck_assert_msg (services != NULL, "%s", error ? error->message : "");
  return services;
}

static const PortholePortService *
find_service (const PortholePortInfo *info, const char *name, const char *protocol)
{
  for (guint i = 0; i < info->services->len; i++)
    {
      const PortholePortService *s = g_ptr_array_index (info->services, i);

      if (g_strcmp0 (s->name, name) == 0 && g_strcmp0 (s->protocol, protocol) == 0)
        return s;
    }
  return NULL;
}

/* The IANA boundaries, on this machine's own sysctl values as read independently here */
START_TEST (test_iana_boundaries_live)
{
  static const struct { guint port; const char *range; guint start, end; } cases[] = {
    { 0, "well-known", 0, 1023 },
    { 1, "well-known", 0, 1023 },
    { 1023, "well-known", 0, 1023 },
    { 1024, "registered", 1024, 49151 },
    { 49151, "registered", 1024, 49151 },
    { 49152, "dynamic", 49152, 65535 },
    { 65535, "dynamic", 49152, 65535 },
  };
  g_autofree char *range_text = NULL;
  g_autofree char *unpriv_text = NULL;
  guint lo = 0, hi = 0, unpriv = 1024;
  PortholeSysctl sysctl;

  ck_assert (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range_text, NULL, NULL));
  ck_assert_int_eq (sscanf (range_text, "%u %u", &lo, &hi), 2);
  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_unprivileged_port_start", &unpriv_text, NULL, NULL))
    ck_assert_int_eq (sscanf (unpriv_text, "%u", &unpriv), 1);
  porthole_sysctl_read (NULL, &sysctl);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PortholePortInfo) info = porthole_port_info_new (cases[i].port, &sysctl, NULL);

      ck_assert_uint_eq (info->port, cases[i].port);
      ck_assert_str_eq (porthole_port_range_id (info->range), cases[i].range);
      ck_assert_uint_eq (info->range_start, cases[i].start);
      ck_assert_uint_eq (info->range_end, cases[i].end);
      ck_assert_uint_eq (info->ephemeral_start, lo);
      ck_assert_uint_eq (info->ephemeral_end, hi);
      ck_assert_int_eq (info->in_ephemeral_range, cases[i].port >= lo && cases[i].port <= hi);
      ck_assert_int_eq (info->privileged, cases[i].port > 0 && cases[i].port < unpriv);
    }
}
END_TEST

/* Unusual values: ephemeral 1024-65000, unprivileged from 80 */
START_TEST (test_sysctl_boundaries_unusual)
{
  static const struct { guint port; gboolean privileged, ephemeral; } cases[] = {
    { 0, FALSE, FALSE },
    { 1, TRUE, FALSE },
    { 79, TRUE, FALSE },
    { 80, FALSE, FALSE },
    { 1023, FALSE, FALSE },
    { 1024, FALSE, TRUE },
    { 49151, FALSE, TRUE },
    { 49152, FALSE, TRUE },
    { 65000, FALSE, TRUE },
    { 65001, FALSE, FALSE },
    { 65535, FALSE, FALSE },
  };
  g_autofree char *root = porthole_test_fixture ("sysctl-unusual");
  PortholeSysctl sysctl;

  porthole_sysctl_read (root, &sysctl);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PortholePortInfo) info = porthole_port_info_new (cases[i].port, &sysctl, NULL);
      g_autofree char *text = porthole_port_info_explain (info, PORTHOLE_PORT_ROLE_UNKNOWN);
      g_autofree char *port_text = g_strdup_printf ("Port %u ", cases[i].port);

      ck_assert_msg (info->privileged == cases[i].privileged, "port %u", cases[i].port);
      ck_assert_msg (info->in_ephemeral_range == cases[i].ephemeral, "port %u", cases[i].port);
      ck_assert_uint_eq (info->ephemeral_start, 1024);
      ck_assert_uint_eq (info->ephemeral_end, 65000);
      ck_assert_uint_eq (info->unprivileged_start, 80);

      /* The paragraph states the same facts with the fixture's numbers */
      ck_assert_msg (g_str_has_prefix (text, port_text), "%s", text);
      ck_assert (strstr (text, "1024–65000") != NULL);
      if (cases[i].port == 0)
        ck_assert (strstr (text, "pick a free port") != NULL);
      else
        ck_assert (strstr (text, cases[i].privileged ? "it is privileged" : "it is not privileged") != NULL);
      ck_assert (strstr (text, cases[i].ephemeral ? "inside this system" : "outside this system") != NULL);
      ck_assert (strstr (text, "below 80") != NULL || cases[i].port == 0);
      ck_assert (strchr (text, '\n') == NULL);
    }
}
END_TEST

/* One explanation for the CLI, the details pane and the lookup: the same range and privilege
 * sentences for every role, the ephemeral sentence worded for the role, no service for a
 * client's picked port. The fixture's unusual values: ephemeral 1024-65000, unprivileged from 80. */
START_TEST (test_explain_roles)
{
  static const struct {
    guint            port;
    PortholePortRole role;
    const char      *has[3];
    const char      *lacks[2];
  } cases[] = {
    { 22, PORTHOLE_PORT_ROLE_UNKNOWN,
      { "outside this system’s ephemeral range (1024–65000, net.ipv4.ip_local_port_range), so the kernel does not pick it",
        "ssh/tcp: ", NULL }, { "program chose", NULL } },
    { 22, PORTHOLE_PORT_ROLE_LISTENER,
      { "so the kernel does not pick it as a client’s temporary port.", "ssh/tcp: ", NULL }, { "restarts", NULL } },
    { 5432, PORTHOLE_PORT_ROLE_UNKNOWN,
      { "inside this system’s ephemeral range (1024–65000, net.ipv4.ip_local_port_range): the kernel may hand it",
        "postgresql/tcp: ", NULL }, { "restarts", "most likely" } },
    { 5432, PORTHOLE_PORT_ROLE_LISTENER,
      { "while no program holds it", "a server that restarts can find its port taken.", "postgresql/tcp: " },
      { "most likely", NULL } },
    { 5432, PORTHOLE_PORT_ROLE_CLIENT,
      { "the kernel most likely picked it as this connection’s temporary local port", NULL, NULL },
      { "postgresql", "No service is known" } },
    { 65001, PORTHOLE_PORT_ROLE_CLIENT,
      { "outside this system’s ephemeral range (1024–65000", "the program chose this local port itself.", NULL },
      { "No service is known", NULL } },
    { 65001, PORTHOLE_PORT_ROLE_LISTENER,
      { "so the kernel does not pick it as a client’s temporary port.", "No service is known to use it.", NULL },
      { "program chose", NULL } },
  };
  g_autoptr(PortholeServices) services = fixture_services ();
  g_autofree char *root = porthole_test_fixture ("sysctl-unusual");
  PortholeSysctl sysctl;

  porthole_sysctl_read (root, &sysctl);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PortholePortInfo) info = porthole_port_info_new (cases[i].port, &sysctl, services);
      g_autofree char *text = porthole_port_info_explain (info, cases[i].role);
      g_autofree char *plain = porthole_port_info_explain (info, PORTHOLE_PORT_ROLE_UNKNOWN);
      const char *ephemeral = strstr (plain, " It is ");

      ck_assert (ephemeral != NULL);
      /* Range, its purpose and privilege: the same words whatever the role */
      ck_assert_msg (strncmp (text, plain, ephemeral - plain + 1) == 0, "case %zu: %s", i, text);
      ck_assert (strchr (text, '\n') == NULL);
      ck_assert (g_str_has_suffix (text, "."));
      for (gsize k = 0; k < G_N_ELEMENTS (cases[i].has) && cases[i].has[k]; k++)
        ck_assert_msg (strstr (text, cases[i].has[k]) != NULL, "case %zu lacks “%s”: %s", i, cases[i].has[k], text);
      for (gsize k = 0; k < G_N_ELEMENTS (cases[i].lacks) && cases[i].lacks[k]; k++)
        ck_assert_msg (strstr (text, cases[i].lacks[k]) == NULL, "case %zu has “%s”: %s", i, cases[i].lacks[k], text);

      /* The lookup's rows are the paragraph's parts, in its order, word for word */
      {
        g_auto(PortholePortExplanation) parts = { NULL };
        const char *range, *privileged, *eph;

        porthole_port_info_explain_parts (info, cases[i].role, &parts);
        range = strstr (text, parts.range);
        privileged = strstr (text, parts.privileged);
        eph = strstr (text, parts.ephemeral);
        ck_assert_msg (range && privileged && eph && range < privileged && privileged < eph, "case %zu", i);
        ck_assert (parts.range_title && parts.privileged_title && parts.ephemeral_title);
        ck_assert_str_eq (parts.privileged_title, info->privileged ? "Privileged here" : "Not privileged here");
        ck_assert_str_eq (parts.ephemeral_title, info->in_ephemeral_range ? "Inside the ephemeral range here"
                                                                          : "Outside the ephemeral range here");
        ck_assert ((parts.services == NULL) == (cases[i].role == PORTHOLE_PORT_ROLE_CLIENT));
        if (parts.services)
          {
            g_autofree char *one_line = g_strdelimit (g_strdup (parts.services), "\n", ' ');

            ck_assert (g_str_has_suffix (text, one_line));
          }
      }
    }
  /* porthole-cli explain's wording: the facts of port 22, in order */
  {
    g_autoptr(PortholePortInfo) info = porthole_port_info_new (22, &sysctl, services);
    g_autofree char *text = porthole_port_info_explain (info, PORTHOLE_PORT_ROLE_UNKNOWN);

    ck_assert_msg (g_str_has_prefix (text, "Port 22 is a well-known port (0–1023). IANA assigns these ports "
                                     "to the Internet’s core services, such as SSH on 22 and HTTPS on 443. "
                                     "On this system it is privileged: only root or a program with "
                                     "CAP_NET_BIND_SERVICE may bind to it, and so listen on it (ports below "
                                     "80, net.ipv4.ip_unprivileged_port_start). It is outside"), "%s", text);
  }
}
END_TEST

START_TEST (test_services)
{
  g_autoptr(PortholeServices) services = fixture_services ();
  g_autofree char *root = porthole_test_fixture ("sysctl-unusual");
  PortholeSysctl sysctl;
  const PortholePortService *s;

  porthole_sysctl_read (root, &sysctl);
  {
    /* /etc/services entry plus our description */
    g_autoptr(PortholePortInfo) info = porthole_port_info_new (5432, &sysctl, services);

    ck_assert_uint_eq (info->services->len, 1);
    s = find_service (info, "postgresql", "tcp");
    ck_assert (s != NULL && s->description != NULL);
    ck_assert (strstr (s->description, "PostgreSQL") != NULL);
  }
  {
    /* Both protocols listed in /etc/services */
    g_autoptr(PortholePortInfo) info = porthole_port_info_new (53, &sysctl, services);

    ck_assert (find_service (info, "domain", "tcp") != NULL);
    const PortholePortService *udp = find_service (info, "domain", "udp");

    ck_assert (udp != NULL && udp->description != NULL);
    ck_assert (strstr (udp->description, "DNS") != NULL);
  }
  {
    /* Missing from Debian's /etc/services: filled in from our list */
    g_autoptr(PortholePortInfo) info = porthole_port_info_new (27017, &sysctl, services);
    g_autoptr(PortholePortInfo) bare = porthole_port_info_new (27017, &sysctl, NULL);

    ck_assert (porthole_services_lookup (services, 27017, "tcp") == NULL);
    ck_assert (find_service (info, "mongodb", "tcp") != NULL);
    ck_assert (find_service (bare, "mongodb", "tcp") != NULL);
  }
  {
    /* Listed, but not one we describe: no description, never an invented one */
    g_autoptr(PortholePortInfo) info = porthole_port_info_new (7000, &sysctl, services);
    g_autofree char *text = porthole_port_info_explain (info, PORTHOLE_PORT_ROLE_UNKNOWN);

    const PortholePortService *bbs = find_service (info, "bbs", "tcp");

    ck_assert (bbs != NULL && bbs->description == NULL);
    ck_assert (find_service (info, "afs3-fileserver", "udp") != NULL);
    ck_assert (strstr (text, "bbs/tcp") != NULL);
  }
  {
    g_autoptr(PortholePortInfo) info = porthole_port_info_new (0, &sysctl, services);
    g_autoptr(PortholePortInfo) none = porthole_port_info_new (65535, &sysctl, services);

    ck_assert_uint_eq (info->services->len, 0);
    ck_assert_uint_eq (none->services->len, 0);
  }
}
END_TEST

START_TEST (test_descriptions)
{
  static const guint common[] = { 22, 25, 53, 80, 123, 443, 631, 993, 3306, 5353, 5432, 8080 };
  g_autoptr(PortholeServices) services = fixture_services ();
  guint described = 0;

  ck_assert_uint_ge (porthole_port_description_count (), 60);
  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    ck_assert_msg (porthole_port_description (common[i]) != NULL, "port %u", common[i]);
  ck_assert (porthole_port_description (0) == NULL);
  ck_assert (porthole_port_description (12345) == NULL);

  for (guint port = 0; port <= 65535; port++)
    {
      const char *d = porthole_port_description (port);
      g_autofree char *number = NULL;
      guint16 found = 0;

      if (d == NULL)
        continue;
      described++;
      /* Plain sentences: no markup, one line, ends with a full stop */
      ck_assert_msg (g_str_has_suffix (d, "."), "port %u: %s", port, d);
      ck_assert (strchr (d, '<') == NULL && strchr (d, '\n') == NULL);
      ck_assert_uint_lt (g_utf8_strlen (d, -1), 220);
      /* Each described port has a name that looks up back to it */
      {
        g_autoptr(PortholePortInfo) info = porthole_port_info_new (port, &(PortholeSysctl) { 32768, 60999, 1024, TRUE }, NULL);

        ck_assert_uint_ge (info->services->len, 1);
        ck_assert (porthole_port_lookup (((PortholePortService *) info->services->pdata[0])->name,
                                         services, &found, NULL));
        ck_assert_uint_eq (found, port);
      }
    }
  ck_assert_uint_eq (described, porthole_port_description_count ());
}
END_TEST

START_TEST (test_lookup)
{
  static const struct { const char *text; gboolean ok; guint port; const char *needle; } cases[] = {
    { "postgresql", TRUE, 5432, NULL },
    { "PostgreSQL", TRUE, 5432, NULL },
    { " ssh ", TRUE, 22, NULL },
    { "www", TRUE, 80, NULL },          /* an alias in /etc/services */
    { "mongodb", TRUE, 27017, NULL },   /* only in our list */
    { "0", TRUE, 0, NULL },
    { "1", TRUE, 1, NULL },
    { "1023", TRUE, 1023, NULL },
    { "65535", TRUE, 65535, NULL },
    { "00443", TRUE, 443, NULL },
    { "65536", FALSE, 0, "65536" },
    { "-1", FALSE, 0, "negative" },
    { "+22", FALSE, 0, "+22" },
    { "letters", FALSE, 0, "“letters” is neither" },
    { "80a", FALSE, 0, "80a" },
    { "", FALSE, 0, "port number" },
    { "   ", FALSE, 0, "port number" },
    { "123456789012345678901234567890", FALSE, 0, "above 65535" },
    { "no-such-service-with-a-very-long-name", FALSE, 0, "…" },
    { "bad\nname", FALSE, 0, "\\n" },
  };
  g_autoptr(PortholeServices) services = fixture_services ();

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 port = 4242;
      gboolean ok = porthole_port_lookup (cases[i].text, services, &port, &error);

      ck_assert_msg (ok == cases[i].ok, "“%s”", cases[i].text);
      if (ok)
        {
          ck_assert_uint_eq (port, cases[i].port);
          continue;
        }
      ck_assert (g_error_matches (error, PORTHOLE_NET_ERROR, PORTHOLE_NET_ERROR_INVALID));
      ck_assert_msg (strstr (error->message, cases[i].needle) != NULL,
                     "“%s” -> “%s”", cases[i].text, error->message);
      ck_assert (strchr (error->message, '\n') == NULL);
      ck_assert_uint_lt (g_utf8_strlen (error->message, -1), 100);
      ck_assert_uint_eq (port, 4242);
    }
}
END_TEST

static Suite *
port_info_suite (void)
{
  Suite *s = suite_create ("port-info");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_iana_boundaries_live);
  tcase_add_test (tc, test_sysctl_boundaries_unusual);
  tcase_add_test (tc, test_explain_roles);
  tcase_add_test (tc, test_services);
  tcase_add_test (tc, test_descriptions);
  tcase_add_test (tc, test_lookup);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (port_info_suite)
