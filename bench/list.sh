#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `porthole-cli list --all --json --netns host` and its text form against `ss -tuanp`
# (ss reads one namespace: so does --netns host), and prints each one's ratio to ss (issue
# 10's target: json / ss <= 0.60), with
# N listeners and N established loopback pairs (3N sockets), for N = 1,000 and 10,000 by
# default, each inside a private network namespace so only the benchmark's own sockets are
# there. The commands alternate; each median is of 5 runs after one warm-up run. bench-dump's
# stage timings are printed too, with the netlink dump timed with and without struct tcp_info
# (the TCP counters) and their ratio (issue 12's target: at most 1.2x).
# Usage: bench/list.sh BUILDDIR [N...]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/common.bash"
build=$(cd "${1:?usage: bench/list.sh BUILDDIR [N...]}" && pwd)
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=5

# Each size in a namespace of its own, so no TIME_WAIT sockets carry over from the last one
if [ -z "${PORTHOLE_BENCH_IN_NETNS:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
  for n in "${sizes[@]}"; do
    "${ns[@]}" env PORTHOLE_BENCH_IN_NETNS=1 "${BASH_SOURCE[0]}" "$build" "$n"
  done
  exit 0
fi
ip link set lo up

cli="$build/src/cli/porthole-cli"
dump="$build/bench/bench-dump"

# microseconds taken by a command, output discarded ($EPOCHREALTIME: no fork for the clock)
elapsed_us() {
  local t0=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>&1 || return 1
  echo $(( ${EPOCHREALTIME/./} - t0 ))
}

median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

seconds() {
  printf '%d.%03d' $(( $1 / 1000000 )) $(( $1 % 1000000 / 1000 ))
}

have_cli=1
if [ ! -x "$cli" ] || ! "$cli" list --all --json --netns host >/dev/null 2>&1; then
  have_cli=0
  echo "list: $cli list --all --json does not run yet; timing ss and bench-dump only"
fi

tmp=$(mktemp -d)
holder=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$holder" ] && wait "$holder" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for n in "${sizes[@]}"; do
  start_socket_holder list "$n"
  total=$(ss -tanH | wc -l)

  ss_times=() cli_times=() text_times=()
  elapsed_us ss -tuanp >/dev/null
  [ $have_cli = 1 ] && elapsed_us "$cli" list --all --json --netns host >/dev/null
  for _ in $(seq $runs); do
    ss_times+=("$(elapsed_us ss -tuanp)")
    if [ $have_cli = 1 ]; then
      cli_times+=("$(elapsed_us "$cli" list --all --json --netns host)")
      text_times+=("$(elapsed_us "$cli" list --all --netns host)")
    fi
  done

  ss_med=$(median "${ss_times[@]}")
  echo "N=$n: $total TCP sockets ($(sed 's/^ready //' "$tmp/ready"))"
  echo "  ss -tuanp                        median $(seconds "$ss_med") s"
  if [ $have_cli = 1 ]; then
    cli_med=$(median "${cli_times[@]}")
    text_med=$(median "${text_times[@]}")
    echo "  porthole-cli list --all --json   median $(seconds "$cli_med") s   json / ss $(ratio "$cli_med" "$ss_med")   (target <= 0.60)"
    echo "  porthole-cli list --all (text)   median $(seconds "$text_med") s   text / ss $(ratio "$text_med" "$ss_med")"
  fi
  if [ -x "$dump" ]; then
    "$dump" $runs | sed 's/^/  /'
  fi

  exec 3>&-
  wait "$holder"
  holder=
  rm -f "$tmp/hold" "$tmp/ready"
done
