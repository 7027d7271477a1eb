/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cli-list"
#include "config.h"

#include "porthole-test.h"

#include <arpa/inet.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* `porthole-cli list` against `ss` on the same sockets, socket for socket, in a private
 * network namespace so nothing else on the machine takes part. */

static int
bound (int family, int type, const char *address, guint16 port_wanted, guint16 *port_out)
{
  struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons (port_wanted) };
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port_wanted) };
  socklen_t len;
  int fd = socket (family, type | SOCK_CLOEXEC, 0);

  ck_assert_int_ge (fd, 0);
  if (family == AF_INET)
    {
      inet_pton (AF_INET, address, &sin.sin_addr);
      ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
      len = sizeof sin;
      getsockname (fd, (struct sockaddr *) &sin, &len);
      *port_out = ntohs (sin.sin_port);
    }
  else
    {
      inet_pton (AF_INET6, address, &sin6.sin6_addr);
      ck_assert_int_eq (bind (fd, (struct sockaddr *) &sin6, sizeof sin6), 0);
      len = sizeof sin6;
      getsockname (fd, (struct sockaddr *) &sin6, &len);
      *port_out = ntohs (sin6.sin6_port);
    }
  if (type == SOCK_STREAM)
    ck_assert_int_eq (listen (fd, 8), 0);
  return fd;
}

static char *
run (const char *const *argv, int *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, status, &error),
                 "spawn %s: %s", argv[0], error ? error->message : "");
  return out;
}

/* "tcp 127.0.0.1 5000 -> 0.0.0.0 0 pid" keys; addresses without brackets, "*" read as "::" */
static char *
normal_address (const char *text)
{
  g_autofree char *copy = g_strdup (text);
  char *p = copy;
  size_t n;

  if (strcmp (p, "*") == 0)
    return g_strdup ("::");
  if (*p == '[')
    p++;
  n = strlen (p);
  if (n > 0 && p[n - 1] == ']')
    p[n - 1] = '\0';
  /* ss writes an interface scope as %lo */
  if (strchr (p, '%'))
    *strchr (p, '%') = '\0';
  return g_strdup (p);
}

static GHashTable *
ss_keys (const char *flags, gboolean with_pid)
{
  const char *argv[] = { "ss", "-H", flags, NULL };
  int status;
  g_autofree char *out = run (argv, &status);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  ck_assert_int_eq (status, 0);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit_set (lines[i], " \t", -1);
      g_autoptr(GPtrArray) cols = g_ptr_array_new ();
      char *lcolon, *rcolon;
      g_autofree char *laddr = NULL, *raddr = NULL;
      const char *pid = "null";
      const char *pidp;

      for (guint j = 0; f[j]; j++)
        if (f[j][0])
          g_ptr_array_add (cols, f[j]);
      if (cols->len < 6)
        continue;
      lcolon = strrchr (g_ptr_array_index (cols, 4), ':');
      rcolon = strrchr (g_ptr_array_index (cols, 5), ':');
      ck_assert (lcolon && rcolon);
      *lcolon = '\0';
      *rcolon = '\0';
      laddr = normal_address (g_ptr_array_index (cols, 4));
      raddr = normal_address (g_ptr_array_index (cols, 5));
      pidp = strstr (lines[i], "pid=");
      if (with_pid && pidp)
        pid = g_strndup (pidp + 4, strspn (pidp + 4, "0123456789"));
      g_hash_table_add (keys, g_strdup_printf ("%s %s %s -> %s %s %s",
                                               (char *) g_ptr_array_index (cols, 0), laddr, lcolon + 1,
                                               raddr, strcmp (rcolon + 1, "*") == 0 ? "0" : rcolon + 1,
                                               with_pid ? pid : "-"));
      if (pid && strcmp (pid, "null") != 0)
        g_free ((char *) pid);
    }
  return keys;
}

static GHashTable *
porthole_keys (gboolean all, gboolean with_pid)
{
  const char *cli = g_getenv ("PORTHOLE_CLI");
  /* ss sees only the namespace it runs in: so does --netns host */
  const char *argv[] = { cli, "list", "--json", "--netns", "host", all ? "--all" : NULL, NULL };
  int status;
  g_autofree char *out = run (argv, &status);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  ck_assert_int_eq (status, 0);
  ck_assert_msg (json_parser_load_from_data (parser, out, -1, &error), "bad JSON: %s", error ? error->message : "");
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      static const char *const keys_wanted[] = { "protocol", "family", "state", "local_address", "local_port",
                                                 "remote_address", "remote_port", "inode", "uid", "user",
                                                 "pid", "process", "range", "service" };
      g_autofree char *pid = NULL;

      for (gsize k = 0; k < G_N_ELEMENTS (keys_wanted); k++)
        ck_assert_msg (json_object_has_member (o, keys_wanted[k]), "missing key %s", keys_wanted[k]);
      pid = json_object_get_null_member (o, "pid") ? g_strdup ("null")
                                                    : g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "pid"));
      g_hash_table_add (keys, g_strdup_printf ("%s %s %" G_GINT64_FORMAT " -> %s %" G_GINT64_FORMAT " %s",
                                               json_object_get_string_member (o, "protocol"),
                                               json_object_get_string_member (o, "local_address"),
                                               json_object_get_int_member (o, "local_port"),
                                               json_object_get_string_member (o, "remote_address"),
                                               json_object_get_int_member (o, "remote_port"),
                                               with_pid ? pid : "-"));
    }
  return keys;
}

static void
assert_same (GHashTable *ours, GHashTable *theirs)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, theirs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    ck_assert_msg (g_hash_table_contains (ours, key), "ss has “%s”, porthole-cli does not", (char *) key);
  g_hash_table_iter_init (&iter, ours);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    ck_assert_msg (g_hash_table_contains (theirs, key), "porthole-cli has “%s”, ss does not", (char *) key);
}

START_TEST (test_matches_ss)
{
  g_autofree char *reason = NULL;
  g_autoptr(GHashTable) ours = NULL, theirs = NULL, ours_all = NULL, theirs_all = NULL;
  struct sockaddr_in sin = { .sin_family = AF_INET };
  guint16 p[6];
  int fds[6], client, server;

  ck_assert_msg (porthole_test_enter_netns (&reason), "no private network namespace: %s", reason);
  fds[0] = bound (AF_INET, SOCK_STREAM, "127.0.0.1", 0, &p[0]);
  fds[1] = bound (AF_INET6, SOCK_STREAM, "::", 0, &p[1]);
  fds[2] = bound (AF_INET, SOCK_DGRAM, "0.0.0.0", 0, &p[2]);
  fds[3] = bound (AF_INET6, SOCK_DGRAM, "::1", 0, &p[3]);
  fds[4] = bound (AF_INET, SOCK_STREAM, "127.0.0.5", 0, &p[4]);
  fds[5] = bound (AF_INET6, SOCK_STREAM, "::1", 0, &p[5]);
  client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sin.sin_port = htons (p[0]);
  inet_pton (AF_INET, "127.0.0.1", &sin.sin_addr);
  ck_assert_int_eq (connect (client, (struct sockaddr *) &sin, sizeof sin), 0);
  server = accept (fds[0], NULL, NULL);
  ck_assert_int_ge (server, 0);

  /* Listeners with their pids, like ss -tulpn */
  ours = porthole_keys (FALSE, TRUE);
  theirs = ss_keys ("-tulnp", TRUE);
  ck_assert_uint_eq (g_hash_table_size (theirs), 6);
  assert_same (ours, theirs);

  /* Every state, like ss -tuan */
  ours_all = porthole_keys (TRUE, FALSE);
  theirs_all = ss_keys ("-tuan", FALSE);
  ck_assert_uint_eq (g_hash_table_size (theirs_all), 8);
  assert_same (ours_all, theirs_all);

  for (int i = 0; i < 6; i++)
    close (fds[i]);
  close (client);
  close (server);
}
END_TEST

START_TEST (test_bad_arguments)
{
  const char *cli = g_getenv ("PORTHOLE_CLI");
  const char *const cases[][4] = {
    { cli, "list", "--bogus", NULL },
    { cli, "list", "extra", NULL },
    { cli, "lsit", NULL, NULL },
    { cli, NULL, NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      ck_assert (g_spawn_sync (NULL, (char **) cases[i], NULL, 0, NULL, NULL, &out, &err, &status, &error));
      ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 2, "case %zu exit %d", i, status);
      /* usage text may be several lines; bad input is exactly one */
      if (cases[i][1] != NULL)
        {
          ck_assert_uint_eq (strlen (err) > 0 ? 1 : 0, 1);
          ck_assert_msg (strchr (err, '\n') == err + strlen (err) - 1, "more than one line: %s", err);
        }
    }
}
END_TEST

static Suite *
cli_list_suite (void)
{
  Suite *s = suite_create ("cli-list");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_matches_ss);
  tcase_add_test (tc, test_bad_arguments);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (cli_list_suite)
