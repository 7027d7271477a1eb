# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the benchmarks (sourced, not run).

# start_socket_holder NAME N: starts bench/sockets.py with N listeners and N loopback pairs,
# holding them until fd 3 (the fifo's write end) closes; waits until it says "ready".
# Needs $here (bench/) and $tmp (a scratch dir); sets $holder to its pid.
start_socket_holder() {
  local name=$1 n=$2
  mkfifo "$tmp/hold"
  /usr/bin/python3 "$here/sockets.py" "$n" <"$tmp/hold" >"$tmp/ready" &
  holder=$!
  exec 3>"$tmp/hold"
  for _ in $(seq 600); do
    grep -q ready "$tmp/ready" 2>/dev/null && break
    kill -0 "$holder" 2>/dev/null || { echo "$name: socket helper failed" >&2; exit 1; }
    sleep 0.5
  done
  grep -q ready "$tmp/ready" || { echo "$name: socket helper timed out" >&2; exit 1; }
}
