#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Main-thread time per refresh of the Listening/Connections views, items-changed emissions for
# a refresh that finds nothing new, and the app's RSS, with about 10,000 and 30,000 TCP
# sockets (bench/sockets.py: N listeners + N loopback pairs, at most 1,000 per worker
# process) inside a private network namespace; then the same with counters moving on about 10%
# of the sockets each second (the holder's traffic, refreshes a second apart). Then the idle
# CPU of the real app with only a few sockets at the default refresh interval.
# Usage: bench/ui-refresh.sh BUILDDIR [SOCKETS...]     (needs xvfb-run and dbus-run-session)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.bash"
build=$(cd "${1:?usage: bench/ui-refresh.sh BUILDDIR [SOCKETS...]}" && pwd)
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 30000)

if [ -z "${PORTHOLE_BENCH_IN_NETNS:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
  for n in "${sizes[@]}" idle; do
    "${ns[@]}" env PORTHOLE_BENCH_IN_NETNS=1 "${BASH_SOURCE[0]}" "$build" "$n"
  done
  exit 0
fi
ip link set lo up

export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory GDK_BACKEND=x11 \
       GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none
display() { xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- "$@"; }

tmp=$(mktemp -d)
holder=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$holder" ] && wait "$holder" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

n=${sizes[0]}
if [ "$n" = idle ]; then
  # The real app with a few sockets at the default 2 s interval: CPU over 30 s
  display bash -c '
    "$1" >/dev/null 2>&1 & app=$!
    sleep 5
    ticks() { awk "{ print \$14 + \$15 }" /proc/$app/stat; }
    t0=$(ticks); sleep 30; t1=$(ticks)
    hz=$(getconf CLK_TCK)
    awk -v d=$((t1 - t0)) -v hz=$hz "BEGIN { printf \"idle app, few sockets, 2 s interval: %.2f%% of a core over 30 s\n\", 100 * d / hz / 30 }"
    kill $app' _ "$build/src/ui/porthole"
  exit 0
fi

pairs=$(( (n + 2) / 3 ))
start_socket_holder ui-refresh "$pairs"

echo "~$n sockets ($(ss -tanH | wc -l) TCP in the namespace)"
ulimit -n 65536 2>/dev/null || true
export PORTHOLE_BENCH_HOLDER=$holder
display "$build/bench/bench-ui-refresh" --views-only 5
display "$build/bench/bench-ui-refresh" 5
unset PORTHOLE_BENCH_HOLDER

# The real app's RSS with these sockets, after a few refreshes
display bash -c '
  "$1" >/dev/null 2>&1 & app=$!
  sleep 12
  awk "/VmRSS/ { printf \"  porthole (the app) RSS after 12 s: %d MiB\n\", \$2 / 1024 }" /proc/$app/status
  kill $app' _ "$build/src/ui/porthole"
