#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A remote computer over ssh against this computer: real sshd servers in a private network (and
# pid) namespace, this build's porthole-cli on their PATH. Fleet: `porthole-cli list --host` over
# 20 sshd at once against the slowest single host. Then 30,000 sockets (bench/sockets.py): the
# monitor's first full view over ssh against the local list time plus ssh's set-up, and its
# no-change refresh against the local monitor's (bench-remote). Root only.
# Usage: bench/remote.sh BUILDDIR [N_SOCKETS/3]
set -euo pipefail
if [ "${1:-}" != "--inside" ]; then
  build=$(cd "${1:?usage: bench/remote.sh BUILDDIR [N]}" && pwd)
  if [ "$(id -u)" -ne 0 ]; then
    echo "remote: needs root (sshd in a network namespace of its own); skipped"
    exit 0
  fi
  exec unshare --net --pid --fork --mount-proc "$0" --inside "$build" "${2:-10000}"
fi
build=$2
n=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli=$build/src/cli/porthole-cli
ip link set lo up
# The far side's login shell runs for every session: a ~/.bashrc that takes seconds (Debian's
# bash reads it for ssh sessions) would be measured instead of Porthole. In this private mount
# namespace it is empty; BENCH_KEEP_BASHRC=1 keeps it.
if [ -z "${BENCH_KEEP_BASHRC:-}" ] && [ -f "$HOME/.bashrc" ]; then
  mount --bind /dev/null "$HOME/.bashrc"
fi
# short: ssh's ControlMaster socket path must fit in 108 bytes, or no master is used
dir=$(mktemp -d /tmp/phr-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; pkill -P $$ 2>/dev/null; rm -rf "$dir"' EXIT
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
cp "$dir/client_key.pub" "$dir/authorized_keys"
mkdir -p "$dir/bin" "$dir/run" "$dir/rf" /run/sshd
ln -s "$cli" "$dir/bin/porthole-cli"
ln -s "$(command -v ss)" "$dir/bin/ss"
cat > "$dir/ssh_config" <<EOC
Host *
  User root
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  IdentityAgent none
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  GlobalKnownHostsFile /dev/null
  LogLevel ERROR
EOC
start_sshd() {
  cat > "$dir/sshd_$1" <<EOC
Port $1
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PidFile $dir/sshd_$1.pid
MaxStartups 100
SetEnv PATH=$dir/bin:/usr/bin:/bin
EOC
  /usr/sbin/sshd -f "$dir/sshd_$1" -E "$dir/sshd_$1.log"
}
for p in $(seq 2200 2220); do start_sshd "$p"; done
for _ in $(seq 100); do ss -tlnH 'sport = :2220' | grep -q . && break; sleep 0.05; done
export PORTHOLE_SSH_CONFIG=$dir/ssh_config
ms() { local s e; s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

echo "== fleet: 20 sshd, list --host each alone (first connection) and all at once"
slowest=0
for p in $(seq 2201 2220); do
  t=$(XDG_RUNTIME_DIR=$dir/rf/$p ms sh -c "mkdir -p $dir/rf/$p; exec $cli list --host 127.0.0.1:$p --json")
  [ "$t" -gt "$slowest" ] && slowest=$t
done
args=()
for p in $(seq 2201 2220); do args+=(--host "127.0.0.1:$p"); done
mkdir -p "$dir/rf/all"
all=$(XDG_RUNTIME_DIR=$dir/rf/all ms "$cli" list "${args[@]}" --json)
echo "slowest single host: $slowest ms; all 20 at once: $all ms; ratio $(awk "BEGIN{printf \"%.2f\", $all/$slowest}") (goal <= 2)"

echo "== $((3 * n)) sockets"
exec 3< <(python3 "$here/sockets.py" "$n")
read -r line <&3
case $line in ready*) ;; *) echo "sockets.py: $line"; exit 1;; esac
export XDG_RUNTIME_DIR=$dir/run
best() { local b=999999 t; for _ in 1 2 3; do t=$(ms "$@"); [ "$t" -lt "$b" ] && b=$t; done; echo "$b"; }
local_list=$(best "$cli" list --all --json --netns host)
setup=$(best ssh -F "$dir/ssh_config" -o ControlPath=none -p 2200 127.0.0.1 true)
bytes=$("$cli" list --all --json --netns host | wc -c)
echo "local porthole-cli list --all --json: $local_list ms ($bytes bytes); ssh set-up: $setup ms"
"$build/bench/bench-remote" "" 5
out=$("$build/bench/bench-remote" "127.0.0.1:2200" 5)
echo "$out"
first=$(echo "$out" | sed -n 's/.*first full view \([0-9]*\) ms.*/\1/p')
echo "first full view over ssh / (local list + ssh set-up): $(awk "BEGIN{printf \"%.2f\", $first/($local_list+$setup)}") (goal <= 1.5)"
echo "a no-change refresh over ssh re-sends the whole list ($bytes bytes) and runs the full list there;"
echo "the streaming mode (porthole-cli watch --json there) is what would make it one small message"
