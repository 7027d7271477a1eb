#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check porthole-cli's view of sockets from inside the Flatpak sandbox (build-aux/flatpak-check).

Reads, from WORK: list-sandbox.json and list-sandbox.txt (`porthole-cli list` in the sandbox),
list-host.json (the same binary outside it), and listeners.txt, one line per listener that the
check opened: "LABEL PID UID TCP-PORT UDP-PORT" (TCP on 127.0.0.1, UDP on ::1).

Each listener must be listed inside the sandbox, with its process hidden (pid and process null,
the text saying "hidden by the sandbox") while outside the sandbox its pid is known. Its owner
must be the true one, or honestly unknown (uid and user null): a user namespace maps only the
sandbox's own user, and the kernel reports everyone else's sockets as the overflow uid, which
must not be shown as if that user owned them.

Usage: flatpak-check-view.py WORK
"""

import json
import sys

failed = False


def check(cond, msg):
    global failed
    print(("ok: " if cond else "FAIL: ") + msg)
    failed |= not cond


def find(rows, proto, port):
    return [r for r in rows if r["protocol"] == proto and r["local_port"] == port]


def main():
    work = sys.argv[1]
    inside = json.load(open(f"{work}/list-sandbox.json"))
    outside = json.load(open(f"{work}/list-host.json"))
    text = open(f"{work}/list-sandbox.txt").read().splitlines()
    listeners = [l.split() for l in open(f"{work}/listeners.txt") if l.strip()]

    for label, pid, uid, tcp_port, udp_port in listeners:
        pid, uid = int(pid), int(uid)
        for proto, port, addr in (("tcp", int(tcp_port), "127.0.0.1"), ("udp", int(udp_port), "::1")):
            what = f"{label}'s {proto} [{addr}]:{port}"
            rin, rout = find(inside, proto, port), find(outside, proto, port)
            check(len(rout) == 1 and rout[0]["pid"] == pid,
                  f"outside the sandbox, {what} belongs to pid {pid}: "
                  f"{[(x['pid'], x['process']) for x in rout]}")
            check(len(rin) == 1, f"the sandbox lists {what}")
            if not rin:
                continue
            r = rin[0]
            check(r["local_address"] == addr, f"{what}: local address {r['local_address']}")
            check(r["pid"] is None and r["process"] is None,
                  f"{what}: process hidden (pid {r['pid']}, process {r['process']})")
            check((r["uid"] == uid and bool(r["user"])) or (r["uid"] is None and r["user"] is None),
                  f"{what}: owner is the true one (uid {uid}) or unknown; "
                  f"shown: uid {r['uid']}, user {r['user']}")
            endpoint = f"{addr}:{port}" if ":" not in addr else f"[{addr}]:{port}"
            lines = [l for l in text if f" {endpoint} " in l]
            check(len(lines) == 1 and "hidden by the sandbox" in lines[0],
                  f"{what}: text says why: {lines[0].split(None, 4)[-1] if lines else 'no line'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
