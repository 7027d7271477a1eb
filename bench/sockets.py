#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Opens N TCP listeners and N established loopback pairs (3N sockets), spread over worker
# processes so that none holds more than a few thousand files, prints "ready" once every
# socket is open, then holds them until its stdin closes. Meant for a private network
# namespace (bench/list.sh runs it under `unshare -n`): it binds fixed ports on 127.0.0.1.
#
# Traffic: SIGUSR1 to this process starts it, SIGUSR2 stops it. While on, once a second each
# worker sends 512 bytes over one pair in every MOVING_EVERY (the client writes, the accepted
# end reads), so with the default 7 about 10% of all sockets (listeners included) see their
# counters move each second.
# Usage: sockets.py N [PER_WORKER]
import os
import resource
import select
import signal
import socket
import sys

MOVING_EVERY = 7
moving = False

N = int(sys.argv[1])
PER_WORKER = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
LISTEN_BASE = 10000          # listeners on 10000 .. 10000+N-1
HUB_BASE = 9000              # one accepting listener per worker for its pairs
if N < 1 or N > 20000 or (N + PER_WORKER - 1) // PER_WORKER > 900:
    sys.exit("sockets.py: N must be 1..20000 with at most 900 workers")


def worker(index, first, count, ready_fd, hold_fd):
    need = 3 * count + 64    # listeners, clients, accepted ends, the hub, stdio
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    held = []
    for port in range(LISTEN_BASE + first, LISTEN_BASE + first + count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(8)
        held.append(s)
    hub = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    hub.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hub.bind(("127.0.0.1", HUB_BASE + index))
    hub.listen(128)
    for _ in range(count):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(("127.0.0.1", HUB_BASE + index))
        a, _ = hub.accept()
        held.extend((c, a))
    hub.close()

    def set_moving(on):
        global moving
        moving = on
    signal.signal(signal.SIGUSR1, lambda *_: set_moving(True))
    signal.signal(signal.SIGUSR2, lambda *_: set_moving(False))
    os.write(ready_fd, b"w")
    pairs = held[count:]
    payload = b"p" * 512
    while True:
        # returns when the parent closes its end (or dies); a signal only wakes it
        try:
            readable, _, _ = select.select([hold_fd], [], [], 1.0)
        except InterruptedError:
            readable = []
        if readable:
            break
        if moving:
            for i in range(0, len(pairs), 2 * MOVING_EVERY):
                pairs[i].send(payload)
                pairs[i + 1].recv(4096)
    os._exit(0)


def main():
    ready_r, ready_w = os.pipe()
    hold_r, hold_w = os.pipe()
    children = []
    for index, first in enumerate(range(0, N, PER_WORKER)):
        pid = os.fork()
        if pid == 0:
            try:
                os.close(ready_r)
                os.close(hold_w)
                worker(index, first, min(PER_WORKER, N - first), ready_w, hold_r)
            except BaseException as e:
                sys.stderr.write("sockets.py worker %d: %s\n" % (index, e))
                os._exit(1)
        children.append(pid)
    os.close(ready_w)
    os.close(hold_r)

    def relay(signum, frame):
        for pid in children:
            os.kill(pid, signum)
    signal.signal(signal.SIGUSR1, relay)
    signal.signal(signal.SIGUSR2, relay)
    ready = 0
    while ready < len(children):
        chunk = os.read(ready_r, 4096)
        if not chunk:
            sys.exit("sockets.py: a worker died before it was ready")
        ready += len(chunk)
    print("ready %d sockets in %d processes" % (3 * N, len(children)), flush=True)
    sys.stdin.read()
    os.close(hold_w)
    for pid in children:
        os.waitpid(pid, 0)


main()
