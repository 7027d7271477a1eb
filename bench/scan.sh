#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A full 1-65535 TCP connect scan of 127.0.0.1: `porthole-cli scan 127.0.0.1 1-65535 --json`
# against `nmap -sT -p1-65535 --min-rate 10000 -n -Pn 127.0.0.1`, inside a private network
# namespace (only the benchmark's own five listeners, opened with `porthole-cli serve 0`).
# The two alternate; each median is of 3 runs after one warm-up run of each. Both must find
# exactly the five listeners. Target: porthole / nmap <= 0.5.
# Usage: bench/scan.sh BUILDDIR [RUNS]
set -euo pipefail

build=$(cd "${1:?usage: bench/scan.sh BUILDDIR [RUNS]}" && pwd)
runs=${2:-3}

if [ -z "${PORTHOLE_BENCH_IN_NETNS:-}" ]; then
  command -v nmap >/dev/null || { echo "bench/scan.sh: nmap is not installed" >&2; exit 2; }
  if [ "$(id -u)" -eq 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
  exec "${ns[@]}" env PORTHOLE_BENCH_IN_NETNS=1 "${BASH_SOURCE[0]}" "$build" "$runs"
fi
ip link set lo up

cli="$build/src/cli/porthole-cli"
tmp=$(mktemp -d)
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Five listeners on ports the kernel picks
for i in 1 2 3 4 5; do
  "$cli" serve 0 >"$tmp/serve$i" &
  servers+=($!)
done
expected=""
for i in 1 2 3 4 5; do
  for _ in $(seq 50); do grep -q Listening "$tmp/serve$i" && break; sleep 0.1; done
  expected+="$(sed -n 's/^Listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/serve$i") "
done
expected=$(echo $expected | tr ' ' '\n' | sort -n | tr '\n' ' ')

# microseconds taken by a command, output kept in $tmp/out
elapsed_us() {
  local t0=${EPOCHREALTIME/./}
  "$@" >"$tmp/out" 2>/dev/null || true
  echo $(( ${EPOCHREALTIME/./} - t0 ))
}

median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

porthole_found() {
  grep -o '"port" : [0-9]*' "$tmp/out" | grep -o '[0-9]*$' | sort -n | tr '\n' ' '
}

nmap_found() {
  sed -n 's|^\([0-9]*\)/tcp *open.*|\1|p' "$tmp/out" | sort -n | tr '\n' ' '
}

porthole=(elapsed_us "$cli" scan 127.0.0.1 1-65535 --json)
nmap=(elapsed_us nmap -sT -p1-65535 --min-rate 10000 -n -Pn 127.0.0.1)

"${porthole[@]}" >/dev/null
"${nmap[@]}" >/dev/null
p_times=()
n_times=()
for _ in $(seq "$runs"); do
  p_times+=("$("${porthole[@]}")")
  found=$(porthole_found)
  [ "$found" = "$expected" ] || { echo "porthole found [$found], expected [$expected]" >&2; exit 1; }
  n_times+=("$("${nmap[@]}")")
  found=$(nmap_found)
  [ "$found" = "$expected" ] || { echo "nmap found [$found], expected [$expected]" >&2; exit 1; }
done

p=$(median "${p_times[@]}")
n=$(median "${n_times[@]}")
echo "full connect scan of 127.0.0.1:1-65535, private netns, 5 listeners, median of $runs (alternating)"
awk -v p="$p" -v n="$n" -v pr="${p_times[*]}" -v nr="${n_times[*]}" 'BEGIN {
  split (pr, a, " "); split (nr, b, " ")
  printf "  porthole-cli scan   %8.1f ms   runs:", p / 1000; for (i in a) printf " %.0f", a[i] / 1000; print ""
  printf "  nmap -sT            %8.1f ms   runs:", n / 1000; for (i in b) printf " %.0f", b[i] / 1000; print ""
  printf "  ratio porthole/nmap %8.2f      (target <= 0.5)\n", p / n
}'
