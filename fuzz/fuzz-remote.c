/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_remote_interpret(): what a remote host printed (after the remote command's marker
 * line: porthole-cli's JSON or ss's rows) and what ssh said on stderr, untrusted. The first
 * byte picks the exit status; the rest is standard output up to the first NUL, then stderr.
 * Promised: a result or an error, never both; an error is one clean line; every row has the
 * contract's keys and only strings safe to show (valid UTF-8, no control or format characters). */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-remote.h"

#include <string.h>

static const char *const row_keys[] = { "protocol", "family", "state", "local_address", "local_port",
                                        "remote_address", "remote_port", "inode", "uid", "user",
                                        "pid", "process", "range", "service" };

static void
assert_clean_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    porthole_fuzz_assert_clean_line (json_node_get_string (node), G_MAXSIZE);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_values (json_node_get_object (node));

      for (GList *l = members; l; l = l->next)
        assert_clean_node (l->data);
    }
}

int
porthole_fuzz_remote (const guint8 *data, gsize size)
{
  static const int statuses[] = { 0, 1, 255, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PortholeRemoteResult) result = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const guint8 *nul;
  gsize out_len, err_len;
  int status;

  if (size == 0)
    return 0;
  status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  data++;
  size--;
  nul = memchr (data, '\0', size);
  out_len = nul ? (gsize) (nul - data) : size;
  err_len = nul ? size - out_len - 1 : 0;
  /* exact-size copies, so reading one byte past either is caught by ASan */
  out = porthole_fuzz_copy (data, out_len, 0);
  err = g_strndup (nul ? (const char *) nul + 1 : "", err_len);

  result = porthole_remote_interpret ("host", "ssh host", out, out_len, err, strlen (err), status, &error);
  porthole_fuzz_assert ((result == NULL) != (error == NULL));
  if (error != NULL)
    {
      porthole_fuzz_assert (error->domain == PORTHOLE_REMOTE_ERROR);
      porthole_fuzz_assert_clean_line (error->message, 8192);
      return 0;
    }
  for (guint i = 0; i < result->rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (result->rows, i);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), row);

      for (gsize k = 0; k < G_N_ELEMENTS (row_keys); k++)
        porthole_fuzz_assert (json_object_has_member (row, row_keys[k]));
      assert_clean_node (node);
    }
  if (result->notice != NULL)
    porthole_fuzz_assert_clean_line (result->notice, 8192);
  return 0;
}
