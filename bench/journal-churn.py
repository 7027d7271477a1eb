#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Holds N TCP listeners on 127.0.0.1 and N established loopback pairs (3N sockets) and
# replaces 1% of each every second (closing the pairs leaves TIME_WAIT behind, as real
# clients do); prints "ready" once all are open, runs until stdin closes.
# Meant for a private network namespace (bench/journal.sh runs it under `unshare -n`).
# Usage: journal-churn.py N
import os
import random
import resource
import select
import socket
import sys

N = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 3 * N + 1024), hard))

hub = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
hub.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
hub.bind(("127.0.0.1", 0))
hub.listen(1024)
hub_addr = hub.getsockname()


def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    return s


def pair():
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(hub_addr)
    a, _ = hub.accept()
    return (c, a)


listeners = [listener() for _ in range(N)]
pairs = [pair() for _ in range(N)]
print("ready", flush=True)
rand = random.Random(1)
step = max(1, N // 100)
while True:
    r, _, _ = select.select([sys.stdin], [], [], 1.0)
    if r and not sys.stdin.readline():
        break
    for i in rand.sample(range(N), step):
        listeners[i].close()
        listeners[i] = listener()
    for i in rand.sample(range(N), step):
        c, a = pairs[i]
        c.close()
        a.close()
        pairs[i] = pair()
