#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Launch-to-mapped-window time, under Xvfb, of porthole (this build's src/ui/porthole), of a
# bare libadwaita window of the same shape (bench-bare-window: header bar, view switcher, view
# stack; the floor for a libadwaita app) and of gnome-nettool (GTK 3, a small network tool).
# The three alternate run by run, after one warm-up run each; each program gets a fresh
# XDG_CONFIG_HOME per run and is killed once its window is mapped. Prints the medians and the
# ratios porthole / bare and gnome-nettool / bare. Target (issue 10): porthole / bare <= 1.3.
#
# How "mapped" is seen, from outside the process and without changing the programs: one
# `xev -root -event substructure` runs for the whole benchmark and prints every MapNotify of a
# top-level window as the X server generates it (stdbuf makes each event a line at once).
# The clock stops when that line is read; the window's _NET_WM_PID (which GTK 3 and 4 set
# before they map) then confirms it belongs to the program just started. Reading a pipe costs
# well under a millisecond. `xdotool search --sync --onlyvisible` was not used: it polls every
# half second, so its resolution is 500 ms.
#
# Everything runs inside a private network namespace, like the other benchmarks, so porthole's
# first socket dump finds the same few sockets on every machine; GSK_RENDERER=cairo and no
# accessibility bus as in the tests (Xvfb has no GPU, and a software GL start-up would be
# measured instead of the apps).
# Usage: bench/startup.sh BUILDDIR [RUNS]    (RUNS: 5 by default)
set -euo pipefail

build=$(cd "${1:?usage: bench/startup.sh BUILDDIR [RUNS]}" && pwd)
runs=${2:-5}

if [ -z "${PORTHOLE_BENCH_IN_NETNS:-}" ]; then
  for tool in xvfb-run dbus-run-session xev xprop stdbuf gnome-nettool; do
    command -v "$tool" >/dev/null || { echo "bench/startup.sh: $tool is not installed" >&2; exit 2; }
  done
  [ -x "$build/bench/bench-bare-window" ] && [ -x "$build/src/ui/porthole" ] ||
    { echo "bench/startup.sh: $build has no GUI (meson option gui)" >&2; exit 2; }
  if [ "$(id -u)" -eq 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
  exec "${ns[@]}" env PORTHOLE_BENCH_IN_NETNS=1 "${BASH_SOURCE[0]}" "$build" "$runs"
fi
if [ -z "${PORTHOLE_BENCH_IN_DISPLAY:-}" ]; then
  ip link set lo up
  exec xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
    env PORTHOLE_BENCH_IN_DISPLAY=1 "${BASH_SOURCE[0]}" "$build" "$runs"
fi

export GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1
names=(porthole bare gnome-nettool)
labels=("porthole" "bare libadwaita window" "gnome-nettool")
commands=("env GSETTINGS_SCHEMA_DIR=$build/data $build/src/ui/porthole"
          "$build/bench/bench-bare-window"
          "gnome-nettool")

tmp=$(mktemp -d)
app=
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  [ -n "${XEV_PID:-}" ] && kill "$XEV_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

coproc XEV { exec stdbuf -oL xev -root -event substructure; }
# xev prints nothing until an event comes: give it time to select input on the root window
sleep 0.5

# launch INDEX: starts program INDEX, sets $elapsed to the microseconds until its top-level
# window is mapped (or fails after 30 s), then kills it. Not run in a subshell: the coprocess's
# pipe is read here.
launch() {
  local i=$1 config line win wpid t0 t1=
  config=$(mktemp -d "$tmp/config.XXXXXX")
  t0=${EPOCHREALTIME/./}
  # exec: $! is the program itself (the pid on its window), not a subshell
  XDG_CONFIG_HOME=$config bash -c "exec ${commands[$i]}" >"$tmp/${names[$i]}.log" 2>&1 &
  app=$!
  while IFS= read -r -t 30 line <&"${XEV[0]}"; do
    case $line in
      MapNotify*)
        t1=${EPOCHREALTIME/./}
        IFS= read -r -t 5 line <&"${XEV[0]}" || break
        # "    event 0x..., window 0x..., override NO": menus and tooltips are override-redirect
        win=$(sed -n 's/.* window \(0x[0-9a-f]*\), override NO.*/\1/p' <<<"$line")
        wpid=$(xprop -id "${win:-0}" _NET_WM_PID 2>/dev/null | sed -n 's/.* = //p')
        [ -n "$win" ] && [ "$wpid" = "$app" ] && break
        t1=
        ;;
    esac
  done
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=
  rm -rf "$config"
  if [ -z "$t1" ]; then
    echo "bench/startup.sh: no window from ${names[$i]} within 30 s; its output:" >&2
    sed 's/^/    /' "$tmp/${names[$i]}.log" >&2
    return 1
  fi
  elapsed=$(( t1 - t0 ))
}

median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

seconds() {
  printf '%d.%03d' $(( $1 / 1000000 )) $(( $1 % 1000000 / 1000 ))
}

# warm-up: the page cache, fontconfig's cache, the icon theme
for i in 0 1 2; do launch "$i"; done

declare -a times0 times1 times2
for _ in $(seq "$runs"); do
  for i in 0 1 2; do
    launch "$i"
    eval "times$i+=($elapsed)"
  done
done

declare -a med
echo "startup: launch to mapped window under Xvfb, median of $runs (alternated, after a warm-up run each)"
printf '  %-24s %8s   %s\n' program median "runs (s)"
for i in 0 1 2; do
  eval "vals=(\"\${times$i[@]}\")"
  med[$i]=$(median "${vals[@]}")
  all=
  for v in "${vals[@]}"; do all+="$(seconds "$v") "; done
  printf '  %-24s %8s s %s\n' "${labels[$i]}" "$(seconds "${med[$i]}")" "$all"
done
awk -v p="${med[0]}" -v b="${med[1]}" -v n="${med[2]}" 'BEGIN {
  printf "  ratio porthole / bare:       %.2f   (target <= 1.30)\n", p / b
  printf "  ratio gnome-nettool / bare:  %.2f\n", n / b
}'
