#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a temporary DESTDIR and checks that every file a distribution
# expects is where it expects it, and that each one validates.
# Usage: check-install.sh MESON BUILD-ROOT SOURCE-ROOT APP-ID GUI PREFIX BINDIR DATADIR MANDIR LOCALEDIR USERUNITDIR
#   GUI is true or false (-Dgui); directories are meson's options, relative ones to PREFIX.
set -u

meson=$1 build=$2 source=$3 app_id=$4 gui=$5 prefix=$6
abs() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
bindir=$(abs "$7") datadir=$(abs "$8") mandir=$(abs "$9") localedir=$(abs "${10}")
userunitdir=$(abs "${11}")

dest=$(mktemp -d "${TMPDIR:-/tmp}/porthole-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT

failed=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

# check PATH DESCRIPTION [VALIDATOR ARGS...]: PATH (below the prefix) is installed, non-empty,
# and the validator, when given, accepts it (the path is appended to its arguments).
check() {
  local path=$dest$1 what=$2; shift 2
  if [ ! -s "$path" ]; then
    fail "$what not installed at ${path#"$dest"}"
    return
  fi
  if [ $# -gt 0 ]; then
    local out
    if ! out=$("$@" "$path" 2>&1); then
      fail "$what at ${path#"$dest"} does not validate ($1):"
      printf '%s\n' "$out" | sed 's/^/    /'
      return
    fi
  fi
  ok "$what: ${path#"$dest"}"
}

if ! DESTDIR=$dest "$meson" install -C "$build" --no-rebuild --quiet --destdir "$dest" >/dev/null; then
  echo "FAIL: meson install --destdir failed"
  exit 1
fi

is_exe() { [ -x "$1" ] && [ -f "$1" ]; }
no_markup_errors() { LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$1" 2>&1 >/dev/null | { ! grep .; }; }

if [ "$gui" = true ]; then
  check "$bindir/porthole" "GUI binary" is_exe
fi
check "$bindir/porthole-cli" "porthole-cli binary" is_exe
check "$datadir/applications/$app_id.desktop" "desktop file" desktop-file-validate
check "$datadir/metainfo/$app_id.metainfo.xml" "metainfo" appstreamcli validate --no-net
check "$datadir/glib-2.0/schemas/io.github.porthole.Porthole.gschema.xml" "GSettings schema" xmllint --noout
schemas=$dest$datadir/glib-2.0/schemas
if [ -d "$schemas" ] && out=$(glib-compile-schemas --strict --dry-run "$schemas" 2>&1); then
  ok "schemas compile strictly"
else
  fail "glib-compile-schemas --strict rejects $datadir/glib-2.0/schemas: ${out:-}"
fi
check "$datadir/icons/hicolor/scalable/apps/$app_id.svg" "application icon" xmllint --noout
check "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" "symbolic icon" xmllint --noout
check "$mandir/man1/porthole.1" "porthole(1)" no_markup_errors
check "$mandir/man1/porthole-cli.1" "porthole-cli(1)" no_markup_errors
check "$datadir/bash-completion/completions/porthole-cli" "bash completion" bash -n

# The history recorder's systemd user unit starts the installed porthole-cli record
runs_record() {
  local exec_start
  exec_start=$(sed -n 's/^ExecStart=//p' "$1")
  [ "$exec_start" = "$bindir/porthole-cli record" ] || { echo "ExecStart=$exec_start"; return 1; }
  grep -q '^WantedBy=default.target$' "$1" || { echo "no WantedBy=default.target"; return 1; }
}
check "$userunitdir/porthole-record.service" "systemd user unit" runs_record

# The files must agree with each other: the desktop file starts the installed binary and names
# the installed icon; the metainfo describes this application id and launches this desktop file.
desktop=$dest$datadir/applications/$app_id.desktop
if [ -f "$desktop" ]; then
  exec_bin=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" | head -n1)
  icon=$(sed -n 's/^Icon=//p' "$desktop" | head -n1)
  if [ "$gui" = true ] && ! is_exe "$dest$bindir/${exec_bin##*/}"; then
    fail "desktop file Exec=$exec_bin is not an installed binary in $bindir"
  fi
  [ "$icon" = "$app_id" ] || fail "desktop file Icon=$icon, expected $app_id"
fi
metainfo=$dest$datadir/metainfo/$app_id.metainfo.xml
if [ -f "$metainfo" ]; then
  id=$(xmllint --xpath 'string(/component/id)' "$metainfo" 2>/dev/null)
  launchable=$(xmllint --xpath 'string(/component/launchable[@type="desktop-id"])' "$metainfo" 2>/dev/null)
  [ "$id" = "$app_id" ] || fail "metainfo <id>$id</id>, expected $app_id"
  [ "$launchable" = "$app_id.desktop" ] || fail "metainfo launchable $launchable, expected $app_id.desktop"
fi

# One compiled catalogue per language that po/LINGUAS lists.
languages=$(sed 's/#.*//' "$source/po/LINGUAS" 2>/dev/null | tr -s ' \t' '\n\n' | sed '/^$/d')
for lang in $languages; do
  check "$localedir/$lang/LC_MESSAGES/porthole.mo" "translation ($lang)" msgunfmt -o /dev/null
done
[ -n "$languages" ] || echo "note: po/LINGUAS lists no language yet; no .mo expected"

exit $failed
