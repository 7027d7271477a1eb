#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lay out a stand-in Flatpak runtime's files/ tree from this machine's installed packages.

build-aux/flatpak-check uses it because no runtime can be downloaded here: it takes the given
Debian packages and everything they depend on (Depends and Pre-Depends, as installed), and
hard-links (or copies) their files from /usr into DEST/files/ and from /etc into
DEST/files/etc/, the layout Flatpak mounts at /usr. Files that package scripts generate after
installation (loader caches, compiled schemas, the MIME database, certificates) are not in any
package's file list, so unowned files inside the copied directories come along too.

Usage: flatpak-runtime-tree.py --list PKG...       print the closure, "name version" per line
       flatpak-runtime-tree.py DEST PKG...         build DEST/files (DEST/files must not exist)
"""

import os
import re
import shutil
import subprocess
import sys

INFO = "/var/lib/dpkg/info"
# Unowned files under /etc are host configuration; only these generated ones are wanted.
ETC_UNOWNED = ("/etc/alternatives/", "/etc/ssl/certs/", "/etc/fonts/", "/etc/ld.so.conf.d/")
ETC_SKIP = {"/etc/ld.so.cache", "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow",
            "/etc/machine-id", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/mtab"}


def installed_packages():
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Package}\t${Version}\t${Provides}\t"
         "${Depends}\t${Pre-Depends}\n"],
        check=True, capture_output=True, text=True).stdout
    pkgs, providers = {}, {}
    for line in out.splitlines():
        status, name, version, provides, depends, predepends = line.split("\t")
        if not status.startswith("ii"):
            continue
        pkgs[name] = (version, ", ".join(d for d in (depends, predepends) if d))
        for p in filter(None, (s.strip() for s in provides.split(","))):
            providers.setdefault(re.split(r"[\s(:]", p)[0], []).append(name)
    return pkgs, providers


def closure(roots):
    """Installed packages reachable from roots; of alternatives, the first one installed."""
    pkgs, providers = installed_packages()

    def resolve(name):
        if name in pkgs:
            return name
        return next(iter(sorted(providers.get(name, []))), None)

    todo, seen = list(roots), set()
    for r in roots:
        if resolve(r) is None:
            sys.exit(f"flatpak-runtime-tree: package {r} is not installed")
    while todo:
        name = resolve(todo.pop())
        if name is None or name in seen:
            continue
        seen.add(name)
        for dep in filter(None, (d.strip() for d in pkgs[name][1].split(","))):
            for alt in dep.split("|"):
                cand = resolve(re.split(r"[\s(:]", alt.strip())[0])
                if cand is not None:
                    todo.append(cand)
                    break
    return {n: pkgs[n][0] for n in seen}


def owned_paths(package):
    for name in (f"{package}.list", f"{package}:amd64.list", f"{package}:all.list"):
        try:
            with open(os.path.join(INFO, name), encoding="utf-8", errors="surrogateescape") as f:
                return [l.rstrip("\n") for l in f if l.strip()]
        except FileNotFoundError:
            continue
    return []


def all_owned():
    owned = set()
    for name in os.listdir(INFO):
        if name.endswith(".list"):
            with open(os.path.join(INFO, name), encoding="utf-8", errors="surrogateescape") as f:
                owned.update(os.path.realpath(os.path.dirname(l.rstrip("\n"))) + "/" +
                             os.path.basename(l.rstrip("\n")) for l in f if l.strip())
    return owned


def canonical(path):
    """The host path with its parent directories resolved (/lib/x -> /usr/lib/x)."""
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def target(files, host):
    if host.startswith("/usr/") and not host.startswith("/usr/local/"):
        return os.path.join(files, host[len("/usr/"):])
    if host.startswith("/etc/"):
        return os.path.join(files, host[1:])
    return None


def place(host, dest):
    """Recreate one host entry at dest: directory, symlink, or hard link (copy across devices)."""
    st = os.lstat(host)
    if os.path.lexists(dest):
        return
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.islink(host):
        os.symlink(os.readlink(host), dest)
    elif os.path.isdir(host):
        os.makedirs(dest, exist_ok=True)
    elif os.path.isfile(host) and st.st_mode & 0o004:
        try:
            os.link(host, dest)
        except OSError:
            shutil.copy2(host, dest)


def build(dest, roots):
    files = os.path.join(dest, "files")
    os.makedirs(files)
    packages = closure(roots)
    dirs = set()
    for pkg in sorted(packages):
        for path in owned_paths(pkg):
            host = canonical(path)
            dest_path = target(files, host)
            if dest_path is None or host in ETC_SKIP or not os.path.lexists(host):
                continue
            place(host, dest_path)
            if os.path.isdir(host) and not os.path.islink(host):
                dirs.add(host)

    # Generated /etc entries such as the alternatives links live in directories that packages
    # outside the closure (dpkg, ca-certificates) own.
    dirs.update(d.rstrip("/") for d in ETC_UNOWNED if os.path.isdir(d))
    owned = all_owned()
    extra = 0
    for d in sorted(dirs):
        if d.startswith("/etc/") and not (d + "/").startswith(ETC_UNOWNED):
            continue
        for dirpath, dirnames, filenames in os.walk(d):
            # Descend only into directories nobody owns (generated trees such as share/mime);
            # owned subdirectories are visited on their own when their package is included.
            dirnames[:] = [n for n in dirnames if os.path.join(dirpath, n) not in owned]
            for n in filenames + [x for x in os.listdir(dirpath)
                                  if os.path.islink(os.path.join(dirpath, x))
                                  and os.path.isdir(os.path.join(dirpath, x))]:
                host = os.path.join(dirpath, n)
                if host in owned or host in ETC_SKIP:
                    continue
                dest_path = target(files, host)
                if dest_path and not os.path.lexists(dest_path):
                    place(host, dest_path)
                    extra += 1
    with open(os.path.join(dest, "packages.txt"), "w", encoding="utf-8") as f:
        f.writelines(f"{n} {v}\n" for n, v in sorted(packages.items()))
    print(f"{dest}: {len(packages)} packages, {extra} generated files")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--list":
        for n, v in sorted(closure(sys.argv[2:]).items()):
            print(n, v)
        return 0
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    build(sys.argv[1], sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
