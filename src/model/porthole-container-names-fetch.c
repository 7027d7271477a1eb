/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-model"
#include "config.h"

#include "porthole-container-names-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

typedef struct {
  SoupSession       *session;
  const char *const *paths;       /* static strings, from the caller */
  guint              path;
  gsize              max_bytes;
  GCancellable      *cancellable; /* own: the caller's, the timer or a finished read cancel it */
  GCancellable      *caller;
  gulong             caller_handler;
  GSource           *timer;
  gboolean           timed_out;
  GInputStream      *stream;
  GByteArray        *body;
  guint8             buffer[CHUNK];
} Fetch;

/* Once the answer is decided the clock stops: a late tick must not cancel anything */
static void
stop_timer (Fetch *fetch)
{
  if (fetch->timer != NULL)
    g_source_destroy (fetch->timer);
  g_clear_pointer (&fetch->timer, g_source_unref);
}

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  if (fetch->caller != NULL)
    g_cancellable_disconnect (fetch->caller, fetch->caller_handler);
  g_clear_object (&fetch->caller);
  stop_timer (fetch);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->session);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_free (fetch);
}

SoupSession *
porthole_container_names_session_new (const char *socket_path)
{
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);

  /* Every URI goes to the socket; no proxy can stand between us and a unix socket */
  return soup_session_new_with_options ("remote-connectable", address,
                                        "proxy-resolver", NULL,
                                        "user-agent", "Porthole/" PACKAGE_VERSION,
                                        NULL);
}

static void
on_caller_cancelled (GCancellable *caller, gpointer data)
{
  /* Any thread; GCancellable is thread-safe, and the read in flight ends with CANCELLED */
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
on_timeout (gpointer data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);

  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->cancellable);
  return G_SOURCE_REMOVE;
}

static void
fail (GTask *task, GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  stop_timer (fetch);
  if (fetch->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");
    }
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void send_next (GTask *task);

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      fail (task, error);
      return;
    }
  if (n == 0)
    {
      stop_timer (fetch);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&fetch->body)),
                             (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }
  g_byte_array_append (fetch->body, fetch->buffer, (guint) n);
  if (fetch->body->len > fetch->max_bytes)
    {
      /* Dropping the stream unread makes libsoup close the connection, so the rest of the
       * answer is never read, let alone kept */
      g_cancellable_cancel (fetch->cancellable);
      fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "too large"));
      return;
    }
  g_input_stream_read_async (fetch->stream, fetch->buffer,
                             MIN ((gsize) CHUNK, fetch->max_bytes + 1 - fetch->body->len),
                             G_PRIORITY_DEFAULT, fetch->cancellable, on_read, task);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  SoupMessageHeaders *headers;
  guint status;

  if (stream == NULL)
    {
      fail (task, error);
      return;
    }
  status = soup_message_get_status (message);
  /* Podman before 4.0 refuses the /v4.0.0/libpod path; its compat path answers the same list */
  if ((status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_NOT_FOUND)
      && fetch->paths[fetch->path + 1] != NULL)
    {
      fetch->path++;
      send_next (task);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u", status));
      return;
    }
  headers = soup_message_get_response_headers (message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > (goffset) fetch->max_bytes)
    {
      g_cancellable_cancel (fetch->cancellable);
      fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "too large"));
      return;
    }
  fetch->stream = g_steal_pointer (&stream);
  fetch->body = g_byte_array_new ();
  g_input_stream_read_async (fetch->stream, fetch->buffer,
                             MIN ((gsize) CHUNK, fetch->max_bytes + 1), G_PRIORITY_DEFAULT,
                             fetch->cancellable, on_read, task);
}

static void
send_next (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *uri = g_strconcat ("http://localhost", fetch->paths[fetch->path], NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, uri);

  soup_session_send_async (fetch->session, message, G_PRIORITY_DEFAULT, fetch->cancellable,
                           on_sent, task);
}

void
porthole_container_names_fetch_async (SoupSession         *session,
                                      const char          *socket_path,
                                      const char * const  *paths,
                                      guint                timeout_ms,
                                      gsize                max_bytes,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);
  struct stat st;

  g_task_set_source_tag (task, porthole_container_names_fetch_async);
  g_task_set_task_data (task, fetch, fetch_free);
  /* The common case, no such runtime here, costs one stat() and no connection attempt */
  if (g_stat (socket_path, &st) != 0 || !S_ISSOCK (st.st_mode))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no socket");
      g_object_unref (task);
      return;
    }
  /* connect() on a unix socket needs write permission; say so plainly rather than through
   * libsoup's wording */
  if (access (socket_path, R_OK | W_OK) != 0 && errno == EACCES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "permission denied");
      g_object_unref (task);
      return;
    }
  fetch->session = g_object_ref (session);
  fetch->paths = paths;
  fetch->max_bytes = max_bytes;
  fetch->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      fetch->caller = g_object_ref (cancellable);
      fetch->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                     fetch->cancellable, NULL);
    }
  fetch->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (fetch->timer, on_timeout, task, NULL);
  g_source_attach (fetch->timer, g_main_context_get_thread_default ());
  send_next (task);
}

GBytes *
porthole_container_names_fetch_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GBytes *
porthole_container_names_read_file (const char *path, gsize max_bytes, GError **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  guint8 buffer[CHUNK];
  int saved;

  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return NULL;
    }
  for (;;)
    {
      gssize n = read (fd, buffer, MIN (sizeof buffer, max_bytes + 1 - data->len));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, (guint) n);
      if (data->len > max_bytes)
        {
          close (fd);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "too large");
          return NULL;
        }
    }
  close (fd);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}
