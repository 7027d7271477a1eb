#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times reading every network namespace against reading ours alone: bench-netns makes a private
# "host" namespace with 30,000 loopback sockets and 20 namespaces of 500 sockets each (root only).
# Usage: bench/netns.sh BUILDDIR [NS [PER [HOST [RUNS]]]]
set -euo pipefail
build=$(cd "${1:?usage: bench/netns.sh BUILDDIR [NS [PER [HOST [RUNS]]]]}" && pwd)
shift
if [ "$(id -u)" -ne 0 ]; then
  echo "netns: needs root (it makes network namespaces of its own); skipped"
  exit 0
fi
# A pid namespace of its own (with its own /proc), so that the list sees the benchmark's
# processes only, not whatever else runs on this machine
# (then also times `porthole-cli list --all --json` with --netns host and all)
exec unshare --pid --fork --mount-proc env PORTHOLE_CLI="$build/src/cli/porthole-cli" \
  "$build/bench/bench-netns" "$@"
