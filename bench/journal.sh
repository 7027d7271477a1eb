#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The history journal under churn (issue 14), inside a private network namespace:
#  1. N listeners and N loopback pairs (3N sockets, N = 10,000: 30,000) with 1% of each
#     replaced every second (bench/journal-churn.py); `porthole-cli record --interval 1000`
#     for SECONDS, and the same monitor with no journal to write (a journal path that cannot
#     be made, so the recorder stays idle): the recorder's CPU on top of the monitor's
#     (target: at most 2% of a core), and the journal's growth per day at that churn.
#  2. A month of history (synthetic rows at the size cap's scale, spread over 30 days): the
#     time of `porthole-cli history --port P --since 30d --json` (target: under 50 ms) and
#     of the History tab's first paint of the last month (target: under 200 ms; needs a display:
#     run under xvfb-run).
# Usage: bench/journal.sh BUILDDIR [SECONDS] [N]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:?usage: bench/journal.sh BUILDDIR [SECONDS] [N]}" && pwd)
seconds=${2:-60}
n=${3:-10000}

if [ -z "${PORTHOLE_BENCH_IN_NETNS:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then ns=(unshare -n); else ns=(unshare -rn); fi
  exec "${ns[@]}" env PORTHOLE_BENCH_IN_NETNS=1 "${BASH_SOURCE[0]}" "$build" "$seconds" "$n"
fi
ip link set lo up

cli="$build/src/cli/porthole-cli"
tmp=$(mktemp -d)
holder=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$holder" ] && wait "$holder" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# clock ticks of user + system time of a process
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

mkfifo "$tmp/hold"
/usr/bin/python3 "$here/journal-churn.py" "$n" <"$tmp/hold" >"$tmp/ready" &
holder=$!
exec 3>"$tmp/hold"
for _ in $(seq 600); do
  grep -q ready "$tmp/ready" 2>/dev/null && break
  sleep 0.5
done
grep -q ready "$tmp/ready" || { echo "journal: socket helper did not start" >&2; exit 1; }

# the bytes of pages in use (WAL included, free pages not): what the journal holds
data_size() {
  if [ -f "$1" ]; then
    sqlite3 "$1" 'SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)' 2>/dev/null |
      awk -F'|' '{ print $1 * $2 }'
  else
    echo 0
  fi
}

# run_record JOURNAL: prints the CPU percent of one core the recorder used over $seconds
run_record() {
  "$cli" record --journal "$1" --interval 1000 --retry 3600000 >/dev/null 2>"$tmp/record.log" &
  local pid=$! t0 t1
  sleep 3                       # start-up and the first snapshot are not the steady state
  t0=$(ticks "$pid")
  data_size "$1" >"$tmp/size0"
  sleep "$seconds"
  t1=$(ticks "$pid")
  data_size "$1" >"$tmp/size1"
  kill -TERM "$pid"
  wait "$pid" || true
  awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$seconds" 'BEGIN { printf "%.2f", (b - a) / hz / s * 100 }'
}

if [ "$seconds" -gt 0 ]; then
echo "journal: $((3 * n)) sockets, 1% replaced every second, ${seconds}s per run"
base=$(run_record /proc/porthole-no-journal/journal.sqlite3)
with=$(run_record "$tmp/journal.sqlite3")
size0=$(cat "$tmp/size0")
size1=$(cat "$tmp/size1")
echo "  monitor alone (no journal to write):  ${base}% of a core"
echo "  monitor + recorder:                   ${with}% of a core"
awk -v a="$base" -v b="$with" 'BEGIN { printf "  recorder on top of the monitor:       %.2f%% of a core (target <= 2%%)\n", b - a }'
awk -v a="$size0" -v b="$size1" -v s="$seconds" \
  'BEGIN { printf "  journal growth:                       %.1f MiB per day (%.0f bytes/s; the size cap, 256 MiB by default, bounds it)\n", (b - a) * 86400 / s / 1048576, (b - a) / s }'
sqlite3 "$tmp/journal.sqlite3" 'SELECT count(*) || " listener rows, " || (SELECT count(*) FROM connections) || " connection hours" FROM listeners' 2>/dev/null |
  sed 's/^/  rows after the run:                   /' || true
fi   # SECONDS 0: only the month

# A month: rows spread over 30 days at the scale the size cap allows
month="$tmp/month.sqlite3"
"$cli" record --journal "$month" --interval 100000 >/dev/null 2>&1 &
pid=$!
sleep 2
kill -TERM "$pid"; wait "$pid" || true
/usr/bin/python3 - "$month" <<'PY'
import random, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1e6)
day = 86400 * 10**6
rand = random.Random(14)
session = db.execute("SELECT max(id) FROM sessions").fetchone()[0]
rows = []
for i in range(600000):
    opened = now - rand.randrange(30 * day)
    closed = opened + rand.randrange(1, 3600) * 10**6
    port = 8080 if i % 600 == 0 else rand.randrange(1024, 65535)
    cmd = ("python3\0-m\0http.server\0%d\0" % port).encode() + b"x" * rand.randrange(40, 200)
    rows.append((session, opened, closed, "tcp", "ipv4", "127.0.0.1", port, 10**6 + i, 0, 1000,
                 "someone", 1000 + i % 30000, "python3", "/usr/bin/python3.11", cmd, None))
db.executemany("INSERT INTO listeners (session, opened, closed, protocol, family, address, port,"
               " inode, netns, uid, user, pid, process, exe, cmdline, unit)"
               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
PY
echo "  a month of history: $(stat -c %s "$month" | awk '{ printf "%.0f MiB", $1 / 1048576 }'), 600,000 listeners"
times=()
for _ in 1 2 3 4 5 6; do
  t0=${EPOCHREALTIME/./}
  "$cli" history --journal "$month" --port 8080 --since 30d --json >"$tmp/out.json"
  t1=${EPOCHREALTIME/./}
  times+=("$(( t1 - t0 ))")
done
matches=$(grep -c '"local_port" : 8080' "$tmp/out.json" || true)
floor=()
for _ in 1 2 3 4 5 6; do
  t0=${EPOCHREALTIME/./}
  "$cli" explain 22 >/dev/null
  t1=${EPOCHREALTIME/./}
  floor+=("$(( t1 - t0 ))")
done
floor_median=$(printf '%s\n' "${floor[@]:1}" | sort -n | sed -n 3p)
median=$(printf '%s\n' "${times[@]:1}" | sort -n | sed -n 3p)
awk -v us="$median" -v m="$matches" \
  'BEGIN { printf "  porthole-cli history --port 8080 --since 30d --json: %.1f ms, %d rows (median of 5, whole process; target < 50 ms)\n", us / 1000, m }'
awk -v us="$median" -v f="$floor_median" \
  'BEGIN { printf "    (porthole-cli explain 22, the process floor here: %.1f ms; the history query above it: %.1f ms)\n", f / 1000, (us - f) / 1000 }'
if [ -n "${DISPLAY:-}" ] && [ -x "$build/bench/bench-history-paint" ]; then
  paints=()
  for _ in 1 2 3 4 5 6; do
    p=$(GSK_RENDERER=cairo GSETTINGS_BACKEND=memory "$build/bench/bench-history-paint" "$month" | awk '{ print $1 }')
    paints+=("$p")
  done
  median=$(printf '%s\n' "${paints[@]:1}" | sort -n | sed -n 3p)
  echo "  History tab, first paint of the last month: ${median} ms (median of 5; target < 200 ms)"
else
  echo "  History tab first paint: skipped (no display; run under xvfb-run)"
fi
