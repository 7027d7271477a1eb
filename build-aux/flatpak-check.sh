#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# build-aux/dev flatpak-check: build the Flatpak manifest and check the app inside the sandbox,
# without downloading anything.
#
# The GNOME runtime cannot be downloaded here, so this makes a stand-in Platform and Sdk from
# this machine's /usr under the runtime name and version the manifest asks for
# (build-aux/flatpak-runtime-tree.py lays out the files, `flatpak build-export --runtime` commits
# them to a local bare-user-only repository, and they are installed into a user installation
# under _flatpak-check/, never into the machine's own). Then:
#   1. flatpak-builder --disable-rofiles-fuse --disable-download builds the manifest from a clean
#      copy of the working tree and installs the app from the local repository;
#   2. run by an unprivileged uid, as on a desktop, `porthole-cli list` inside the sandbox must
#      list the listeners this script opened (one that uid's, one root's), with their true owner
#      or none, and say that their processes are hidden by the sandbox (pid null in JSON), while
#      the same binary outside the sandbox names them (build-aux/flatpak-check-view.py);
#   3. the GUI must start inside the sandbox under Xvfb, map its window, draw it, and log no
#      warning (the screenshot is left in _flatpak-check/screenshot.png).
# It all runs in a private network namespace, so nothing it does can reach beyond loopback.
#
# Environment: PORTHOLE_FLATPAK_DIR (default _flatpak-check) holds all state; the stand-in
# runtime is rebuilt only when the packages it is made from change. PORTHOLE_FLATPAK_UID
# (default 4242) is the uid that runs the sandbox.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${PORTHOLE_FLATPAK_DIR:-$root/_flatpak-check}
manifest_rel=build-aux/flatpak/io.github.porthole.Porthole.json
tree_tool=$root/build-aux/flatpak-runtime-tree.py
remote=porthole-local
# The sandbox checks run as this uid; when it has no account, one is made up below, visible only
# to this script.
user_uid=${PORTHOLE_FLATPAK_UID:-4242}

# What the stand-in runtimes are made of: the libraries the app links and loads at run time,
# the data GTK needs (schemas, icons, fonts, MIME, certificates), a shell; and for the Sdk
# also the tool chain and -dev packages the meson build and flatpak-builder use.
PLATFORM_PKGS=(libgtk-4-1 libadwaita-1-0 libjson-glib-1.0-0 libsoup-3.0-0 libsqlite3-0 libglib2.0-0 glib-networking
               gsettings-desktop-schemas dconf-gsettings-backend librsvg2-common libegl1 libgl1
               libgl1-mesa-dri libegl-mesa0 libglx-mesa0 fonts-cantarell fonts-dejavu-core
               ca-certificates bash dash coreutils libc-bin)
SDK_PKGS=("${PLATFORM_PKGS[@]}" meson ninja-build pkgconf gcc libc6-dev libglib2.0-dev
          libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev libsoup-3.0-dev libsqlite3-dev gettext
          desktop-file-utils appstream appstream-util binutils elfutils debugedit python3 patch
          make findutils sed grep tar gzip diffutils file)

# Everything runs in a private network namespace with only loopback up (the remote is a local
# directory, and the checks see only listeners they opened themselves), and in a private mount
# namespace where /etc/passwd and /etc/group also name the check's user, for D-Bus and flatpak.
if [ "${PORTHOLE_FLATPAK_NS:-}" != 1 ]; then
  exec env PORTHOLE_FLATPAK_NS=1 unshare --net --mount -- "$0" "$@"
fi
ip link set lo up
user_name=porthole-check
for db in passwd group; do
  if ! getent "$db" "$user_uid" >/dev/null; then
    mkdir -p "$work/etc"
    cp "/etc/$db" "$work/etc/$db"
    if [ "$db" = passwd ]; then
      echo "$user_name:x:$user_uid:$user_uid:Porthole flatpak-check:/nonexistent:/bin/sh"
    else
      echo "$user_name:x:$user_uid:"
    fi >> "$work/etc/$db"
    mount --bind "$work/etc/$db" "/etc/$db"
  fi
done

step() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }
die() { echo "flatpak-check: FAIL: $*" >&2; exit 1; }

manifest_field() {
  /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
    "$root/$manifest_rel" "$1"
}
app_id=$(manifest_field id)
runtime=$(manifest_field runtime)
sdk=$(manifest_field sdk)
branch=$(manifest_field runtime-version)
arch=$(flatpak --default-arch)

mkdir -p "$work"
export FLATPAK_USER_DIR=$work/user FLATPAK_SYSTEM_DIR=$work/system
export HOME=$work/home XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# 1. The stand-in Platform and Sdk, exported to a local repository and installed from it.
make_runtime() {
  local name=$1; shift
  local dir=$work/runtime/$name
  rm -rf "$dir"
  "$tree_tool" "$dir" "$@"
  cat > "$dir/metadata" <<EOF
[Runtime]
name=$name
runtime=$runtime/$arch/$branch
sdk=$sdk/$arch/$branch
EOF
  flatpak build-export --runtime --files=files --disable-fsync --no-update-summary \
    --subject="Stand-in $name from $(. /etc/os-release && echo "$PRETTY_NAME")" \
    "$work/repo" "$dir" "$branch" | tail -n 1
  rm -rf "$dir"
}

stamp=$( { "$tree_tool" --list "${SDK_PKGS[@]}"; echo "${PLATFORM_PKGS[*]}"; \
           cat "$tree_tool"; echo "$runtime $sdk $branch"; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$work/runtime.stamp" 2>/dev/null)" != "$stamp" ] ||
   ! flatpak info --user "$runtime//$branch" >/dev/null 2>&1 ||
   ! flatpak info --user "$sdk//$branch" >/dev/null 2>&1; then
  step "stand-in $runtime and $sdk $branch from this machine's /usr"
  rm -rf "$work/repo" "$work/user" "$work/runtime" "$work/runtime.stamp"
  # bare-user-only, like the user installation's own repository: no compression on export,
  # and installing hard-links the objects instead of copying a gigabyte.
  ostree init --mode=bare-user-only --repo="$work/repo"
  make_runtime "$runtime" "${PLATFORM_PKGS[@]}"
  make_runtime "$sdk" "${SDK_PKGS[@]}"
  flatpak build-update-repo "$work/repo" >/dev/null
  flatpak remote-add --user --no-gpg-verify "$remote" "file://$work/repo"
  # A throw-away installation: skip fsync, which is most of the install time.
  ostree --repo="$FLATPAK_USER_DIR/repo" config set core.fsync false
  flatpak install --user --noninteractive -y "$remote" "$runtime//$branch" "$sdk//$branch"
  echo "$stamp" > "$work/runtime.stamp"
else
  step "stand-in $runtime and $sdk $branch: up to date"
fi

# 2. Build the manifest from a clean copy of the working tree (tracked and new files, not the
#    ignored build directories), export it to the local repository and install it.
step "flatpak-builder $manifest_rel"
rm -rf "$work/src"
mkdir -p "$work/src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
   tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$work/src"
flatpak-builder --user --install --disable-rofiles-fuse --disable-download --force-clean \
  --state-dir="$work/builder" --repo="$work/repo" --default-branch=master \
  "$work/app" "$work/src/$manifest_rel" > "$work/builder.log" 2>&1 ||
  { tail -n 40 "$work/builder.log"; die "flatpak-builder failed (log: $work/builder.log)"; }
flatpak info --user "$app_id" | sed -n '/Ref:/p;/Runtime:/p;/Sdk:/p;/Installed:/p'

# 3. The sandboxed view of sockets, as a user sees it: flatpak run by an unprivileged uid (so in a
#    user namespace, as on a desktop), with two listeners opened here on ports the kernel picks,
#    one owned by that user and one by root (another user).
step "porthole-cli list inside the sandbox, as uid $user_uid"
chmod 755 "$FLATPAK_USER_DIR"
user_home=$work/home-$user_uid user_run=$work/run-$user_uid
rm -rf "$user_home" "$user_run" "$work"/list-*.json "$work"/list-*.txt
install -d -o "$user_uid" -g "$user_uid" -m 700 "$user_home" "$user_run"
as_user() {
  setpriv --reuid="$user_uid" --regid="$user_uid" --clear-groups \
    env HOME="$user_home" XDG_RUNTIME_DIR="$user_run" "$@"
}
listen_py='
import os, socket, time
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", 0)); t.listen()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
print(os.getpid(), os.getuid(), t.getsockname()[1], u.getsockname()[1], flush=True)
time.sleep(300)'
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
: > "$work/listeners.txt"
for who in user root; do
  if [ "$who" = user ]; then
    as_user /usr/bin/python3 -c "$listen_py" > "$work/listener-$who" &
  else
    /usr/bin/python3 -c "$listen_py" > "$work/listener-$who" &
  fi
  pids+=($!)
  for _ in $(seq 1 50); do [ -s "$work/listener-$who" ] && break; sleep 0.1; done
  echo "$who $(cat "$work/listener-$who")" >> "$work/listeners.txt"
done
cat "$work/listeners.txt"

run_cli() { as_user timeout 60 flatpak run --user --command=porthole-cli "$app_id" "$@"; }
run_cli list --json > "$work/list-sandbox.json" 2> "$work/cli.log" ||
  { cat "$work/cli.log"; die "porthole-cli list --json failed in the sandbox"; }
run_cli list > "$work/list-sandbox.txt" 2>> "$work/cli.log" ||
  { cat "$work/cli.log"; die "porthole-cli list failed in the sandbox"; }
# The same binary outside the sandbox, as root, for contrast: it sees every process.
"$work/app/files/bin/porthole-cli" list --json > "$work/list-host.json" ||
  die "porthole-cli list --json failed outside the sandbox"
sed -n '1p;/hidden by the sandbox/p' "$work/list-sandbox.txt"
# Go on to the GUI when this fails, so that one run reports everything.
view_ok=true
"$root/build-aux/flatpak-check-view.py" "$work" || view_ok=false

# 4. The GUI inside the sandbox, as the same user, under Xvfb on a private D-Bus session bus.
step "GUI inside the sandbox, as uid $user_uid"
PORTHOLE_APP_ID=$app_id as_user timeout 120 \
  xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- bash -c '
    flatpak run --user "$PORTHOLE_APP_ID" > "$HOME/gui.log" 2>&1 &
    app=$!
    for _ in $(seq 1 60); do
      xwininfo -root -tree 2>/dev/null | grep -q "\"Porthole\"" && break
      sleep 0.5
    done
    sleep 4
    kill -0 "$app" 2>/dev/null || { echo "the app exited early"; exit 1; }
    xwininfo -root -tree | grep "\"Porthole\"" | head -n 1
    /usr/bin/import -window root "$HOME/screenshot.png"
    kill "$app"; wait "$app" 2>/dev/null || true' 2> "$work/session.log" ||
  { cat "$user_home/gui.log" "$work/session.log"; die "the GUI did not show its window in the sandbox"; }
cp "$user_home/gui.log" "$user_home/screenshot.png" "$work/"
colours=$(/usr/bin/identify -format '%k' "$work/screenshot.png")
[ "$colours" -gt 16 ] || die "the screenshot is blank ($colours colours)"
echo "screenshot: $work/screenshot.png ($colours colours)"
if grep -E 'CRITICAL|WARNING|[Ee]rror|not available' "$work/gui.log"; then
  die "the GUI logged warnings in the sandbox (see $work/gui.log)"
fi

$view_ok || die "the sandboxed view of sockets is wrong (see the FAIL lines above)"
step "flatpak-check passed"
