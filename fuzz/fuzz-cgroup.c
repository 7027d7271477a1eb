/* SPDX-License-Identifier: GPL-3.0-or-later */
/* porthole_container_parse_cgroup(): the text of /proc/<pid>/cgroup, read only within its
 * length (the input is not NUL-terminated). A container found has a runtime with a JSON word,
 * an id that is valid UTF-8 of bounded length (64 lowercase hex digits for the runtimes that
 * make hex ids, which then tell no name; the name itself for lxc, nspawn and flatpak), and a
 * short id; nothing found leaves the result empty. A final newline changes nothing. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"
#include "porthole-container.h"

#include <string.h>

/* NAME_MAX bytes, each of which may become U+FFFD (three bytes) */
#define MAX_ID_BYTES (255 * 3)

static void
check_ref (const PortholeContainerRef *ref)
{
  g_autofree char *short_id = porthole_container_short_id (ref);
  gsize len;

  porthole_fuzz_assert (ref->runtime > PORTHOLE_RUNTIME_NONE && ref->runtime <= PORTHOLE_RUNTIME_FLATPAK);
  porthole_fuzz_assert (porthole_runtime_to_string (ref->runtime) != NULL);
  porthole_fuzz_assert (ref->id != NULL);
  len = strlen (ref->id);
  porthole_fuzz_assert (len > 0 && len <= MAX_ID_BYTES);
  porthole_fuzz_assert (g_utf8_validate (ref->id, -1, NULL));
  porthole_fuzz_assert (short_id != NULL && g_utf8_validate (short_id, -1, NULL));

  switch (ref->runtime)
    {
    case PORTHOLE_RUNTIME_DOCKER:
    case PORTHOLE_RUNTIME_PODMAN:
    case PORTHOLE_RUNTIME_CONTAINERD:
    case PORTHOLE_RUNTIME_KUBERNETES:
    case PORTHOLE_RUNTIME_CRIO:
      porthole_fuzz_assert (len == 64);
      for (gsize i = 0; i < len; i++)
        porthole_fuzz_assert (g_ascii_isdigit (ref->id[i]) || (ref->id[i] >= 'a' && ref->id[i] <= 'f'));
      porthole_fuzz_assert (ref->name == NULL);
      porthole_fuzz_assert (strlen (short_id) == 12 && strncmp (short_id, ref->id, 12) == 0);
      break;
    case PORTHOLE_RUNTIME_FLATPAK:
      porthole_fuzz_assert (strchr (ref->id, '.') != NULL);
      for (const char *c = ref->id; *c; c++)
        porthole_fuzz_assert (g_ascii_isalnum (*c) || *c == '.' || *c == '_' || *c == '-');
      G_GNUC_FALLTHROUGH;
    case PORTHOLE_RUNTIME_LXC:
    case PORTHOLE_RUNTIME_NSPAWN:
      porthole_fuzz_assert (ref->name != NULL && strcmp (ref->name, ref->id) == 0);
      porthole_fuzz_assert (strchr (ref->id, '/') == NULL);
      break;
    case PORTHOLE_RUNTIME_NONE:
    default:
      porthole_fuzz_assert (FALSE);
    }
}

int
porthole_fuzz_cgroup (const guint8 *data, gsize size)
{
  /* exact-size copies, so reading one byte past the text is caught by ASan */
  g_autofree char *text = porthole_fuzz_copy (data, size, 0);
  g_autofree char *with_newline = g_malloc (size + 1);
  g_auto(PortholeContainerRef) ref = { 0 };
  g_auto(PortholeContainerRef) again = { 0 };
  gboolean found;

  memset (&ref, 0xaa, sizeof ref);
  found = porthole_container_parse_cgroup (text, size, &ref);
  if (!found)
    porthole_fuzz_assert (ref.runtime == PORTHOLE_RUNTIME_NONE && ref.id == NULL && ref.name == NULL);
  else
    check_ref (&ref);

  if (size > 0)
    memcpy (with_newline, data, size);
  with_newline[size] = '\n';
  porthole_fuzz_assert (porthole_container_parse_cgroup (with_newline, size + 1, &again) == found);
  porthole_fuzz_assert (again.runtime == ref.runtime);
  porthole_fuzz_assert (g_strcmp0 (again.id, ref.id) == 0 && g_strcmp0 (again.name, ref.name) == 0);
  return 0;
}
