/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "porthole-net"
#include "config.h"

#include "porthole-container.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define HEX_ID_LEN 64
/* A cgroup is a directory: its name is at most NAME_MAX bytes. Longer is not a real cgroup. */
#define MAX_COMPONENT 255
/* /proc/<pid>/cgroup is a few hundred bytes; a fixture tree may hold anything */
#define MAX_CGROUP_FILE (1024 * 1024)

typedef struct {
  const char *p;
  gsize       n;
} Span;

typedef enum {
  MATCH_NONE,   /* look at the parent component */
  MATCH_FOUND,
  MATCH_STOP,   /* a runtime's own supervisor: runs on the host side, so no container at all */
} Match;

static gboolean
span_eq (Span s, const char *word)
{
  gsize n = strlen (word);

  return s.n == n && memcmp (s.p, word, n) == 0;
}

static gboolean
span_has_prefix (Span s, const char *prefix)
{
  gsize n = strlen (prefix);

  return s.n >= n && memcmp (s.p, prefix, n) == 0;
}

static gboolean
span_has_suffix (Span s, const char *suffix)
{
  gsize n = strlen (suffix);

  return s.n >= n && memcmp (s.p + s.n - n, suffix, n) == 0;
}

static Span
span_cut (Span s, gsize prefix, gsize suffix)
{
  Span r = { s.p + prefix, s.n - prefix - suffix };

  return r;
}

/* Runtimes write ids in lowercase: anything else is not an id they made */
static gboolean
is_hex_id (Span s)
{
  if (s.n != HEX_ID_LEN)
    return FALSE;
  for (gsize i = 0; i < s.n; i++)
    if (!((s.p[i] >= '0' && s.p[i] <= '9') || (s.p[i] >= 'a' && s.p[i] <= 'f')))
      return FALSE;
  return TRUE;
}

static gboolean
hex_id_with (Span s, const char *prefix, const char *suffix, Span *id)
{
  gsize pn = strlen (prefix);
  gsize sn = suffix ? strlen (suffix) : 0;

  if (!span_has_prefix (s, prefix) || (suffix && !span_has_suffix (s, suffix)) || s.n < pn + sn)
    return FALSE;
  *id = span_cut (s, pn, sn);
  return is_hex_id (*id);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* A name as raw bytes, systemd's "\xNN" escapes undone when @unescape ("\x2d" is how a unit
 * name spells '-'). NULL when the name is empty, too long, or holds a NUL or '/' (which no
 * directory name can). The result is valid UTF-8: invalid sequences become U+FFFD. */
static char *
take_name (Span s, gboolean unescape)
{
  g_autoptr(GString) raw = NULL;

  if (s.n == 0 || s.n > MAX_COMPONENT)
    return NULL;
  raw = g_string_sized_new (s.n);
  for (gsize i = 0; i < s.n; i++)
    {
      char c = s.p[i];

      if (unescape && c == '\\' && i + 3 < s.n && s.p[i + 1] == 'x' &&
          hex_value (s.p[i + 2]) >= 0 && hex_value (s.p[i + 3]) >= 0)
        {
          char b = (char) (hex_value (s.p[i + 2]) * 16 + hex_value (s.p[i + 3]));

          if (b != '\0')
            {
              c = b;
              i += 3;
            }
        }
      if (c == '\0' || c == '/')
        return NULL;
      g_string_append_c (raw, c);
    }
  if (g_utf8_validate (raw->str, (gssize) raw->len, NULL))
    return g_string_free (g_steal_pointer (&raw), FALSE);
  return g_utf8_make_valid (raw->str, (gssize) raw->len);
}

static gboolean
found_hex (PortholeContainerRef *out, PortholeRuntime runtime, Span id)
{
  out->runtime = runtime;
  out->id = g_strndup (id.p, id.n);
  out->name = NULL;
  return TRUE;
}

static gboolean
found_name (PortholeContainerRef *out, PortholeRuntime runtime, Span name, gboolean unescape)
{
  char *text = take_name (name, unescape);

  if (text == NULL)
    return FALSE;
  out->runtime = runtime;
  out->id = text;
  out->name = g_strdup (text);
  return TRUE;
}

/* "app-flatpak-<app-id>-<n>.scope": the app id has at least two dot-separated parts of
 * [A-Za-z0-9_-] (the D-Bus name rules flatpak follows); the trailing "-<n>" is a pid. */
static gboolean
flatpak_app (Span s, PortholeContainerRef *out)
{
  Span rest;
  g_autofree char *id = NULL;
  gsize dash;
  gboolean dot = FALSE;

  if (!span_has_prefix (s, "app-flatpak-") || !span_has_suffix (s, ".scope"))
    return FALSE;
  rest = span_cut (s, strlen ("app-flatpak-"), strlen (".scope"));
  for (dash = rest.n; dash > 0 && rest.p[dash - 1] != '-'; dash--)
    ;
  if (dash < 2 || dash == rest.n)
    return FALSE;
  for (gsize i = dash; i < rest.n; i++)
    if (!g_ascii_isdigit (rest.p[i]))
      return FALSE;
  rest.n = dash - 1;
  id = take_name (rest, TRUE);
  if (id == NULL || id[0] == '.' || id[0] == '-')
    return FALSE;
  for (const char *c = id; *c; c++)
    {
      if (*c == '.')
        {
          if (c[1] == '.' || c[1] == '\0')
            return FALSE;
          dot = TRUE;
        }
      else if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-')
        return FALSE;
    }
  if (!dot)
    return FALSE;
  out->runtime = PORTHOLE_RUNTIME_FLATPAK;
  out->name = g_strdup (id);
  out->id = g_steal_pointer (&id);
  return TRUE;
}

/* "<slice>:<runtime>:<id>", the systemd-driver cgroupsPath that some setups (kind, k3s with the
 * cgroupfs driver) leave as a directory name verbatim. */
static gboolean
colon_triplet (Span s, PortholeRuntime *runtime, Span *id)
{
  const char *last = memrchr (s.p, ':', s.n);
  const char *first;
  Span middle;

  if (last == NULL || last == s.p)
    return FALSE;
  first = memrchr (s.p, ':', (gsize) (last - s.p));
  if (first == NULL)
    return FALSE;
  middle.p = first + 1;
  middle.n = (gsize) (last - middle.p);
  id->p = last + 1;
  id->n = s.n - (gsize) (id->p - s.p);
  if (!is_hex_id (*id))
    return FALSE;
  if (span_eq (middle, "cri-containerd"))
    *runtime = PORTHOLE_RUNTIME_CONTAINERD;
  else if (span_eq (middle, "crio"))
    *runtime = PORTHOLE_RUNTIME_CRIO;
  else if (span_eq (middle, "docker"))
    *runtime = PORTHOLE_RUNTIME_DOCKER;
  else
    return FALSE;
  return TRUE;
}

static Match
match_component (const Span *comps, guint i, guint n, PortholeContainerRef *out)
{
  Span c = comps[i];
  Span parent = i > 0 ? comps[i - 1] : (Span) { "", 0 };
  PortholeRuntime runtime;
  Span id;

  if (c.n == 0 || c.n > MAX_COMPONENT)
    return MATCH_NONE;

  /* conmon and crio's conmon watch a container from the host side */
  if (span_has_prefix (c, "libpod-conmon-") || span_has_prefix (c, "crio-conmon-"))
    return MATCH_STOP;
  if (hex_id_with (c, "docker-", ".scope", &id))
    return found_hex (out, PORTHOLE_RUNTIME_DOCKER, id) ? MATCH_FOUND : MATCH_NONE;
  /* "libpod-<id>.scope" with systemd, "libpod_parent/libpod-<id>" with cgroupfs */
  if (hex_id_with (c, "libpod-", ".scope", &id) || hex_id_with (c, "libpod-", NULL, &id))
    return found_hex (out, PORTHOLE_RUNTIME_PODMAN, id) ? MATCH_FOUND : MATCH_NONE;
  if (hex_id_with (c, "cri-containerd-", ".scope", &id) || hex_id_with (c, "nerdctl-", ".scope", &id))
    return found_hex (out, PORTHOLE_RUNTIME_CONTAINERD, id) ? MATCH_FOUND : MATCH_NONE;
  if (hex_id_with (c, "crio-", ".scope", &id))
    return found_hex (out, PORTHOLE_RUNTIME_CRIO, id) ? MATCH_FOUND : MATCH_NONE;
  if (colon_triplet (c, &runtime, &id))
    return found_hex (out, runtime, id) ? MATCH_FOUND : MATCH_NONE;

  /* cgroupfs drivers: "/docker/<id>", "/kubepods/burstable/pod<uid>/<id>" */
  if (is_hex_id (c))
    {
      if (span_eq (parent, "docker"))
        return found_hex (out, PORTHOLE_RUNTIME_DOCKER, c) ? MATCH_FOUND : MATCH_NONE;
      if (span_has_prefix (parent, "pod"))
        for (guint j = 0; j + 1 < i; j++)
          if (span_has_prefix (comps[j], "kubepods"))
            return found_hex (out, PORTHOLE_RUNTIME_KUBERNETES, c) ? MATCH_FOUND : MATCH_NONE;
    }

  /* LXC 4+ and LXD: "lxc.payload.<name>"; older LXC: "lxc/<name>" or "lxc.payload/<name>".
   * The monitor is the host-side supervisor. */
  if (span_has_prefix (c, "lxc.monitor"))
    return MATCH_STOP;
  if (span_has_prefix (c, "lxc.payload.") && c.n > strlen ("lxc.payload."))
    return found_name (out, PORTHOLE_RUNTIME_LXC, span_cut (c, strlen ("lxc.payload."), 0), FALSE)
           ? MATCH_FOUND : MATCH_NONE;
  if ((span_eq (parent, "lxc") || span_eq (parent, "lxc.payload")) && i == 1)
    return found_name (out, PORTHOLE_RUNTIME_LXC, c, FALSE) ? MATCH_FOUND : MATCH_NONE;

  /* systemd-nspawn@<name>.service holds "payload" (the container) and "supervisor" (nspawn
   * itself, on the host side) */
  if (span_has_prefix (c, "systemd-nspawn@") && span_has_suffix (c, ".service") &&
      c.n > strlen ("systemd-nspawn@") + strlen (".service"))
    {
      if (i + 1 < n && span_eq (comps[i + 1], "supervisor"))
        return MATCH_STOP;
      return found_name (out, PORTHOLE_RUNTIME_NSPAWN,
                         span_cut (c, strlen ("systemd-nspawn@"), strlen (".service")), TRUE)
             ? MATCH_FOUND : MATCH_NONE;
    }
  /* machined's scopes also hold libvirt's virtual machines ("machine-qemu\x2d1\x2dvm.scope"):
   * a VM's emulator runs in the host's network namespace, it is no container */
  if (span_has_prefix (c, "machine-") && span_has_suffix (c, ".scope") &&
      c.n > strlen ("machine-") + strlen (".scope"))
    {
      Span name = span_cut (c, strlen ("machine-"), strlen (".scope"));

      if (span_has_prefix (name, "qemu\\x2d") || span_has_prefix (name, "qemu-"))
        return MATCH_STOP;
      /* nspawn run by hand registers "machine-<name>.scope" with the same two parts */
      if (i + 1 < n && span_eq (comps[i + 1], "supervisor"))
        return MATCH_STOP;
      return found_name (out, PORTHOLE_RUNTIME_NSPAWN, name, TRUE) ? MATCH_FOUND : MATCH_NONE;
    }

  if (flatpak_app (c, out))
    return MATCH_FOUND;
  return MATCH_NONE;
}

/* One cgroup path, deepest component first: a container nested in another is the inner one,
 * whose network namespace holds the sockets. */
static gboolean
parse_path (const char *path, gsize len, PortholeContainerRef *out)
{
  g_autoptr(GArray) comps = g_array_new (FALSE, FALSE, sizeof (Span));
  gboolean kube = FALSE;
  gsize start = 0;

  for (gsize i = 0; i <= len; i++)
    if (i == len || path[i] == '/')
      {
        if (i > start)
          {
            Span s = { path + start, i - start };

            g_array_append_val (comps, s);
            if (span_has_prefix (s, "kubepods"))
              kube = TRUE;
          }
        start = i + 1;
      }

  for (guint i = comps->len; i > 0; i--)
    {
      Match m = match_component ((const Span *) (gpointer) comps->data, i - 1, comps->len, out);

      if (m == MATCH_STOP)
        return FALSE;
      if (m == MATCH_FOUND)
        {
          if (kube && (out->runtime == PORTHOLE_RUNTIME_CONTAINERD || out->runtime == PORTHOLE_RUNTIME_DOCKER))
            out->runtime = PORTHOLE_RUNTIME_KUBERNETES;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
porthole_container_parse_cgroup (const char *text, gsize len, PortholeContainerRef *out)
{
  const char *end = text + len;
  const char *line = text;

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  if (text == NULL)
    return FALSE;

  /* Two passes: the unified (v2) line is what systemd and every current runtime manage; v1
   * controllers only tell when the unified hierarchy says nothing (hybrid and legacy hosts). */
  for (int pass = 0; pass < 2; pass++)
    for (line = text; line < end; )
      {
        const char *nl = memchr (line, '\n', (gsize) (end - line));
        const char *eol = nl ? nl : end;
        const char *c1 = memchr (line, ':', (gsize) (eol - line));
        const char *c2 = c1 ? memchr (c1 + 1, ':', (gsize) (eol - c1 - 1)) : NULL;
        gboolean unified;

        if (c2 != NULL && c1 > line && c2 + 1 < eol && c2[1] == '/')
          {
            gboolean digits = TRUE;

            for (const char *p = line; p < c1; p++)
              digits = digits && g_ascii_isdigit (*p);
            unified = c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
            if (digits && unified == (pass == 0) &&
                parse_path (c2 + 1, (gsize) (eol - c2 - 1), out))
              return TRUE;
          }
        line = nl ? nl + 1 : end;
      }
  return FALSE;
}

void
porthole_container_ref_clear (PortholeContainerRef *ref)
{
  if (ref == NULL)
    return;
  g_clear_pointer (&ref->id, g_free);
  g_clear_pointer (&ref->name, g_free);
  ref->runtime = PORTHOLE_RUNTIME_NONE;
}

const char *
porthole_runtime_to_string (PortholeRuntime runtime)
{
  switch (runtime)
    {
    case PORTHOLE_RUNTIME_DOCKER: return "docker";
    case PORTHOLE_RUNTIME_PODMAN: return "podman";
    case PORTHOLE_RUNTIME_CONTAINERD: return "containerd";
    case PORTHOLE_RUNTIME_KUBERNETES: return "kubernetes";
    case PORTHOLE_RUNTIME_CRIO: return "crio";
    case PORTHOLE_RUNTIME_LXC: return "lxc";
    case PORTHOLE_RUNTIME_NSPAWN: return "nspawn";
    case PORTHOLE_RUNTIME_FLATPAK: return "flatpak";
    case PORTHOLE_RUNTIME_NONE:
    default:
      return NULL;
    }
}

char *
porthole_container_short_id (const PortholeContainerRef *ref)
{
  Span id;

  g_return_val_if_fail (ref != NULL, NULL);
  if (ref->id == NULL)
    return NULL;
  id.p = ref->id;
  id.n = strlen (ref->id);
  if (is_hex_id (id))
    return g_strndup (ref->id, 12);
  return g_strdup (ref->id);
}

gboolean
porthole_container_read (const char *proc_root, int pid, PortholeContainerRef *out)
{
  g_autofree char *path = g_strdup_printf ("%s/%d/cgroup", proc_root ? proc_root : "/proc", pid);
  g_autoptr(GByteArray) buf = NULL;
  int fd;

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  buf = g_byte_array_new ();
  while (buf->len < MAX_CGROUP_FILE)
    {
      guint8 chunk[4096];
      ssize_t n = read (fd, chunk, MIN (sizeof chunk, MAX_CGROUP_FILE - buf->len));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_byte_array_append (buf, chunk, (guint) n);
    }
  close (fd);
  return porthole_container_parse_cgroup ((const char *) buf->data, buf->len, out);
}
