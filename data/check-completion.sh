#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the bash completion of porthole-cli against the command-line contract.
# Usage: check-completion.sh COMPLETION-FILE
set -u
source "$1"

failed=0
expect()
{
  local want=$1; shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _porthole_cli
  local got="${COMPREPLY[*]}"
  if [ "$got" = "$want" ]; then
    echo "ok: [$*] -> $got"
  else
    echo "FAIL: [$*] -> '$got', expected '$want'"
    failed=1
  fi
}

expect 'list probe scan explain serve watch top record history --help --version' porthole-cli ''
expect 'scan serve' porthole-cli s
expect 'top' porthole-cli t
expect '--all --tcp --udp --netns --json --host --hosts-file --help' porthole-cli list --
expect '--host --hosts-file' porthole-cli list --host web1 --ho
expect '--json' porthole-cli list --all --j
expect 'all host' porthole-cli list --netns ''
expect 'host' porthole-cli list --netns h
expect '--json' porthole-cli list --netns all --j
expect '--timeout --tls --udp --json --help' porthole-cli probe example.org:443 --
expect '--concurrency --timeout --yes --json --help' porthole-cli scan --
expect '--json --help' porthole-cli explain 22 --
expect '--address --help' porthole-cli serve --
expect '127.0.0.1 0.0.0.0' porthole-cli serve 8080 --address ''
expect '' porthole-cli probe --timeout ''
expect '' porthole-cli scan --concurrency ''
expect '' porthole-cli scan 127.0.0.1 1-100 ''
expect '--json --interval --netns --tcp --udp --help' porthole-cli watch --
expect '' porthole-cli watch --interval ''
expect 'all host' porthole-cli watch --json --netns ''
expect '--interval' porthole-cli watch --interval 500 --in
expect '--interval --netns --help' porthole-cli top --
expect '' porthole-cli top --interval ''
expect '--journal --interval --retention --max-size --verbose --help' porthole-cli record --
expect '--port --process --since --until --journal --json --help' porthole-cli history --
expect '1h 12h 1d' porthole-cli history --since 1
expect 'today' porthole-cli history --port 8080 --until t
expect '' porthole-cli history --port ''
expect '--journal --json' porthole-cli history --since 7d --j
expect '' porthole-cli unknown --
exit $failed
