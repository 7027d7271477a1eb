#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists every source file with translatable strings.

A file counts as translatable when it marks strings for gettext: _( N_( C_( NC_( Q_( in C,
translatable="yes" in GtkBuilder .ui files, and the formats gettext extracts on its own
(.desktop.in keys, <summary>/<description> in GSettings schemas, AppStream metainfo). The list
must also be sorted (byte order), free of duplicates, and name only files that exist.

Usage: check-potfiles.py SOURCE-ROOT
"""

import os
import re
import sys

SCANNED_DIRS = ("src", "data")

C_MARK = re.compile(r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_)\s*\(")
C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
UI_MARK = re.compile(r"""translatable\s*=\s*["'](?:yes|true|1)["']""")
DESKTOP_MARK = re.compile(r"^(?:Name|GenericName|Comment|Keywords|X-[A-Za-z-]+)\s*=", re.M)
XML_MARK = re.compile(r"<(?:summary|description|name|p|li|caption)\b")


def is_translatable(path):
    """True when the file at path holds strings that xgettext would extract."""
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return False
    if name.endswith((".c", ".h")):
        return C_MARK.search(C_COMMENT.sub("", text)) is not None
    if name.endswith(".ui"):
        return UI_MARK.search(text) is not None
    if name.endswith(".desktop.in"):
        return DESKTOP_MARK.search(text) is not None
    if name.endswith((".gschema.xml", ".metainfo.xml.in", ".appdata.xml.in")):
        return XML_MARK.search(text) is not None
    return False


def translatable_files(root):
    found = set()
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "_"))]
            for name in filenames:
                path = os.path.join(dirpath, name)
                if is_translatable(path):
                    found.add(os.path.relpath(path, root))
    return found


def read_potfiles(root):
    entries = []
    with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                entries.append(line)
    return entries


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = sys.argv[1]
    entries = read_potfiles(root)
    listed = set(entries)
    errors = []

    for path in sorted(translatable_files(root) - listed):
        errors.append(f"{path}: has translatable strings but is missing from po/POTFILES.in")
    for path in entries:
        if not os.path.isfile(os.path.join(root, path)):
            errors.append(f"{path}: listed in po/POTFILES.in but does not exist")
    for path in sorted({p for p in entries if entries.count(p) > 1}):
        errors.append(f"{path}: listed more than once in po/POTFILES.in")
    for prev, cur in zip(entries, entries[1:]):
        if prev.encode() > cur.encode():
            errors.append(f"po/POTFILES.in is not sorted: {cur} comes after {prev}")

    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} problem(s); keep po/POTFILES.in complete and sorted (LC_ALL=C sort)")
        return 1
    print(f"ok: {len(entries)} files listed, every translatable file among them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
