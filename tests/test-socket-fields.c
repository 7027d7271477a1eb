/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "porthole-test.h"

#include "porthole-socket-fields.h"
#include "porthole-socket-private.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

/* Rows that switch every nullable field between null and a value and back, with strings that
 * JSON must escape, so each of the writer's in-place updates is taken at least once */
static GPtrArray *
make_rows (void)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  PortholeSockInfo listen4 = { .protocol = IPPROTO_TCP, .family = AF_INET, .state = 10,
                               .local_port = 22, .uid = 0, .inode = 1001 };
  PortholeSockInfo conn6 = { .protocol = IPPROTO_TCP, .family = AF_INET6, .state = 1,
                             .local_port = 50000, .remote_port = 443, .uid = 1000, .inode = 1002 };
  PortholeSockInfo udp4 = { .protocol = IPPROTO_UDP, .family = AF_INET, .state = 7,
                            .local_port = 5353, .uid = 65534, .inode = 1003 };
  PortholeSockInfo wait4 = { .protocol = IPPROTO_TCP, .family = AF_INET, .state = 6,
                             .local_port = 8080, .remote_port = 40000 };
  PortholeSocketOwner sshd = { 812, (char *) "sshd", PORTHOLE_OWNER_KNOWN, FALSE };
  PortholeSocketOwner odd = { 4242, (char *) "say \"hi\"\\\t\x01 ünï", PORTHOLE_OWNER_KNOWN, FALSE };
  PortholeSocketOwner hidden = { 0, NULL, PORTHOLE_OWNER_SANDBOXED, TRUE };
  PortholeSocketOwner none = { 0, NULL, PORTHOLE_OWNER_NO_PROCESS, FALSE };

  inet_pton (AF_INET, "127.0.0.1", listen4.local_addr);
  inet_pton (AF_INET6, "2001:db8::1", conn6.local_addr);
  inet_pton (AF_INET6, "::1", conn6.remote_addr);
  inet_pton (AF_INET, "10.0.0.1", wait4.local_addr);
  inet_pton (AF_INET, "10.0.0.2", wait4.remote_addr);

  g_ptr_array_add (rows, porthole_socket_new (&listen4, &sshd, "root", "ssh", 0));
  g_ptr_array_add (rows, porthole_socket_new (&conn6, &odd, "user \"q\"", NULL, 0));
  g_ptr_array_add (rows, porthole_socket_new (&udp4, &hidden, NULL, "mdns", 0));
  g_ptr_array_add (rows, porthole_socket_new (&wait4, &none, "root", NULL, 0));
  g_ptr_array_add (rows, porthole_socket_new (&listen4, &sshd, "root", "ssh", 0));
  g_ptr_array_add (rows, porthole_socket_new (&listen4, &sshd, "root", "ssh", 0));
  g_ptr_array_add (rows, porthole_socket_new (&udp4, &hidden, NULL, NULL, 0));
  g_ptr_array_add (rows, porthole_socket_new (&conn6, &odd, "user \"q\"", "https", 0));

  /* TCP counters: a connection's (payload: without the 100 bytes sent twice), another's, a
   * listener's (what it served: nothing yet; no round trip of its own) */
  conn6.flags = listen4.flags = PORTHOLE_SOCKINFO_HAS_TCP_INFO;
  conn6.tcp_info_fields = listen4.tcp_info_fields = PORTHOLE_TCP_INFO_ALL_FIELDS;
  conn6.bytes_sent = 1100;
  conn6.bytes_retrans = 100;
  conn6.bytes_received = 2000;
  conn6.rtt_us = 150;
  conn6.total_retrans = 3;
  g_ptr_array_add (rows, porthole_socket_new (&conn6, &odd, "user \"q\"", "https", 0));
  conn6.bytes_sent = 5;
  conn6.bytes_retrans = 0;
  g_ptr_array_add (rows, porthole_socket_new (&conn6, &odd, "user \"q\"", "https", 0));
  g_ptr_array_add (rows, porthole_socket_new (&listen4, &sshd, "root", "ssh", 0));
  listen4.flags = 0;
  listen4.tcp_info_fields = 0;

  /* Another namespace: a container with a name from its cgroup, published; one without a
   * name, published from no container known; one with neither; back to the host */
  listen4.netns = G_GUINT64_CONSTANT (4026532203);
  inet_pton (AF_INET, "0.0.0.0", listen4.local_addr);
  for (guint i = 0; i < 4; i++)
    {
      PortholeSocket *s = porthole_socket_new (&listen4, &hidden, "root", "ssh", 0);
      PortholeContainerRef ref = { PORTHOLE_RUNTIME_LXC, g_strdup ("web\"1"), g_strdup ("web \"one\"\x02") };
      PortholePublished published = { NULL, 8080, 22, { PORTHOLE_RUNTIME_NONE, NULL, NULL }, (char *) "pasta" };

      if (i == 1)
        {
          g_clear_pointer (&ref.name, g_free);
          ref.runtime = PORTHOLE_RUNTIME_DOCKER;
        }
      else if (i == 0)
        {
          published.host_address = (char *) "127.0.0.1";
          published.container = ref;
        }
      if (i < 3)
        {
          porthole_socket_take_container (s, &ref);
          porthole_socket_set_published (s, porthole_published_copy (&published));
        }
      porthole_container_ref_clear (&ref);
      g_ptr_array_add (rows, s);
      listen4.netns += i;
    }
  g_ptr_array_add (rows, porthole_socket_new (&wait4, &none, "root", NULL, 0));
  return rows;
}

/* The writer's bytes are those of a fresh tree per row through a non-pretty generator, the way
 * porthole-cli list --json wrote them before the writer existed (and export still builds them) */
START_TEST (test_writer_matches_tree)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(PortholeSocketJsonWriter) writer = porthole_socket_json_writer_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(JsonNode) node = porthole_socket_to_json (g_ptr_array_index (rows, i), builder);
      gsize start = got->len;

      json_generator_set_root (generator, node);
      json_generator_to_gstring (generator, expected);
      g_string_append_c (expected, '\n');
      porthole_socket_json_writer_append (writer, g_ptr_array_index (rows, i), got);
      g_string_append_c (got, '\n');
      ck_assert_msg (g_str_equal (expected->str, got->str), "row %u: %s", i, got->str + start);
    }
  /* the rows really did carry nulls, escapes and values */
  ck_assert_ptr_nonnull (strstr (got->str, "\"pid\":null"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"pid\":812"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"service\":null"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"uid\":null"));
  ck_assert_ptr_nonnull (strstr (got->str, "say \\\"hi\\\"\\\\"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"exposure\":\"network\",\"netns\":\"4026532203\""));
  ck_assert_ptr_nonnull (strstr (got->str, "\"exposure\":\"container-network\",\"netns\":\"4026532206\","
                                           "\"container\":null,\"published\":null,"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"exposure\":\"loopback\",\"netns\":null,"
                                           "\"container\":null,\"published\":null,"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"container\":{\"runtime\":\"lxc\",\"id\":\"web\\\"1\","
                                           "\"name\":\"web \\\"one\\\"\\\\x02\"}"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"published\":{\"host_address\":\"127.0.0.1\","
                                           "\"host_port\":8080,\"container\":{\"runtime\":\"lxc\""));
  ck_assert_ptr_nonnull (strstr (got->str, "\"name\":null},\"published\":{\"host_address\":null,"
                                           "\"host_port\":8080,\"container\":null,\"container_port\":22},"));
  /* the counters come last: null, values, a listener's, null again */
  ck_assert_ptr_nonnull (strstr (got->str, "\"published\":null,\"bytes_sent\":null,"
                                           "\"bytes_received\":null,\"rtt_us\":null,"
                                           "\"retransmits\":null}"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"published\":null,\"bytes_sent\":1000,"
                                           "\"bytes_received\":2000,\"rtt_us\":150,"
                                           "\"retransmits\":3}"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"bytes_sent\":5,\"bytes_received\":2000,"));
  ck_assert_ptr_nonnull (strstr (got->str, "\"published\":null,\"bytes_sent\":0,"
                                           "\"bytes_received\":0,\"rtt_us\":null,"
                                           "\"retransmits\":null}"));
}
END_TEST

/* Each line the writer wrote is a complete JSON object that parses back to its row's values */
START_TEST (test_writer_rows_parse)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autoptr(PortholeSocketJsonWriter) writer = porthole_socket_json_writer_new ();
  guint n_fields;
  const PortholeSocketField *fields = porthole_socket_fields (&n_fields);

  for (guint i = 0; i < rows->len; i++)
    {
      PortholeSocket *s = g_ptr_array_index (rows, i);
      g_autoptr(GString) line = g_string_new (NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      porthole_socket_json_writer_append (writer, s, line);
      ck_assert_msg (json_parser_load_from_data (parser, line->str, (gssize) line->len, &error),
                     "row %u: %s", i, error ? error->message : "");
      object = json_node_get_object (json_parser_get_root (parser));
      /* the flat fields, "container" and "published" */
      ck_assert_uint_eq (json_object_get_size (object), n_fields + 2);
      for (guint f = 0; f < n_fields; f++)
        {
          JsonNode *member = json_object_get_member (object, fields[f].name);

          ck_assert_ptr_nonnull (member);
          if (fields[f].get_string || fields[f].get_text)
            {
              char buf[PORTHOLE_SOCKET_FIELD_TEXT_SIZE];
              const char *want = fields[f].get_string ? fields[f].get_string (s) : fields[f].get_text (s, buf);

              if (want == NULL)
                ck_assert (JSON_NODE_HOLDS_NULL (member));
              else
                ck_assert_str_eq (json_node_get_string (member), want);
            }
          else
            {
              gboolean is_null = FALSE;
              gint64 want = fields[f].get_int (s, &is_null);

              ck_assert_int_eq (JSON_NODE_HOLDS_NULL (member), is_null);
              if (!is_null)
                ck_assert_int_eq (json_node_get_int (member), want);
            }
        }
      ck_assert_int_eq (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "container")),
                        porthole_socket_get_container (s) == NULL);
      ck_assert_int_eq (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "published")),
                        porthole_socket_get_published (s) == NULL);
    }
}
END_TEST

static Suite *
socket_fields_suite (void)
{
  Suite *s = suite_create ("socket-fields");
  TCase *tc = tcase_create ("core");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_writer_matches_tree);
  tcase_add_test (tc, test_writer_rows_parse);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (socket_fields_suite)
