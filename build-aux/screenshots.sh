#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Retakes data/screenshots/{listening,containers,connections,programs,learn}{,-dark}.png: the app from
# BUILD_DIR (default _build) under Xvfb, inside a private network namespace holding a fixed scene
# (build-aux/screenshot-scene.py, with a "container" publishing port 8080, and `porthole-cli
# serve 9000` with three clients; build-aux/screenshot-traffic.py, four pairs of programs moving
# data at steady rates on ports 9101-9104, after the test server in Listening), so the
# pictures show the same sockets on any machine. The Test tab's pictures come from
# `PORTHOLE_SCREENSHOT_DIR=data/screenshots meson test -C _build test-page`.
# Needs root (unshare -n), xvfb-run, xdotool and ImageMagick's import.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$root/_build}" && pwd)
out=${2:-$root/data/screenshots}

# A private pid namespace too: the app reads every network namespace of the processes it can
# see, and must see only the scene's (its "container" among them), not the machine's
if [ -z "${PORTHOLE_SCREENSHOT_NETNS:-}" ]; then
  export PORTHOLE_SCREENSHOT_NETNS=1
  exec unshare -n -p -f --mount-proc -- "$0" "$build" "$out"
fi
ip link set lo up

work=$(mktemp -d)
cleanup() {
  exec 3>&- 4>&- 2>/dev/null || true
  kill "${serve_pid:-}" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$build/src/cli/porthole-cli" serve 9000 >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 50); do grep -q . "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
mkfifo "$work/hold"
/usr/bin/python3 "$root/build-aux/screenshot-scene.py" 9000 <"$work/hold" >"$work/scene.log" &
exec 3>"$work/hold"
for _ in $(seq 50); do grep -q ready "$work/scene.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/scene.log" || { echo "screenshots: the scene did not open" >&2; exit 1; }
mkfifo "$work/hold-traffic"
/usr/bin/python3 "$root/build-aux/screenshot-traffic.py" <"$work/hold-traffic" >"$work/traffic.log" &
exec 4>"$work/hold-traffic"
for _ in $(seq 50); do grep -q ready "$work/traffic.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/traffic.log" || { echo "screenshots: the traffic did not start" >&2; exit 1; }

# One run of the app per colour scheme: listening (the test server's details), connections,
# learn (a port looked up)
shoot() {
  local suffix=$1
  xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- bash -s "$build" "$out" "$suffix" "$work" <<'INNER'
set -euo pipefail
build=$1 out=$2 suffix=$3 work=$4
export GSETTINGS_SCHEMA_DIR=$build/data GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GDK_BACKEND=x11
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache
"$build/src/ui/porthole" &
app=$!
wid=$(xdotool search --sync --onlyvisible --pid "$app" | head -n 1)
sleep 3
# the pointer rests on an empty part of the window, so no row shows hovered
snap() { xdotool mousemove --window "$wid" 600 660; sleep 0.3; import -window "$wid" "$out/$1$suffix.png"; }
# Listening, sorted by port: 53, 80 (the container's web server), 3000, 5353, 5432 (its
# database), 8000, 8080 (published), 8443, 9000; the second row is the container's, the ninth
# the test server
xdotool mousemove --window "$wid" 200 179 click 1
sleep 1.5
snap containers
xdotool mousemove --window "$wid" 200 417 click 1
sleep 1.5
snap listening
xdotool key --window "$wid" alt+2
sleep 1.5
snap connections
# Programs under load: by then the rates have a few refreshes of history behind them
xdotool key --window "$wid" alt+p
sleep 8
snap programs
xdotool key --window "$wid" alt+c
xdotool key --window "$wid" alt+4
sleep 2
# the lookup's entry
xdotool mousemove --window "$wid" 400 422 click 1
xdotool type --delay 40 ssh
sleep 1.5
snap learn
# PORTHOLE_SCREENSHOT_EXTRA=1: the end of the Learn tab (Port Spaces) and the Listening table
# with its details closed too, for a look
if [ -n "${PORTHOLE_SCREENSHOT_EXTRA:-}" ]; then
  xdotool mousemove --window "$wid" 500 500 click --repeat 60 --delay 20 5
  sleep 1
  snap learn-end
  # and the whole Listening table, details closed, with its Container column
  xdotool key --window "$wid" alt+1
  sleep 1
  xdotool mousemove --window "$wid" 960 128 click 1
  sleep 1
  snap listening-table
  # the host end of the publication (docker-proxy on 8080)
  xdotool mousemove --window "$wid" 200 349 click 1
  sleep 1.5
  snap listening-forward
fi
kill "$app"
wait "$app" 2>/dev/null || true
INNER
}

shoot ""
ADW_DEBUG_COLOR_SCHEME=prefer-dark shoot "-dark"
echo "screenshots: wrote $out/{listening,containers,connections,programs,learn}{,-dark}.png"
