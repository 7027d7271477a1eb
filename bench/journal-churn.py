#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Holds N TCP listeners on 127.0.0.1 and N established loopback pairs (3N sockets), spread over
# worker processes of at most 3,000 listeners each (the file limit), and replaces 1% of each
# every second (closing the pairs leaves TIME_WAIT behind, as real clients do); prints "ready"
# once all are open, runs until stdin closes.
# Meant for a private network namespace (bench/journal.sh runs it under `unshare -n`).
# Usage: journal-churn.py N
import os
import random
import resource
import select
import socket
import sys

N = int(sys.argv[1])
PER_WORKER = 3000


def worker(index, count, ready_fd, hold_fd):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 3 * count + 256), hard))
    hub = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    hub.bind(("127.0.0.1", 0))
    hub.listen(1024)
    addr = hub.getsockname()

    def listener():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        s.listen(4)
        return s

    def pair():
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(addr)
        a, _ = hub.accept()
        return (c, a)

    listeners = [listener() for _ in range(count)]
    pairs = [pair() for _ in range(count)]
    os.write(ready_fd, b"w")
    rand = random.Random(index)
    step = max(1, count // 100)
    while True:
        r, _, _ = select.select([hold_fd], [], [], 1.0)
        if r:
            os._exit(0)       # the parent closed its end
        for i in rand.sample(range(count), step):
            listeners[i].close()
            listeners[i] = listener()
        for i in rand.sample(range(count), step):
            c, a = pairs[i]
            c.close()
            a.close()
            pairs[i] = pair()


ready_r, ready_w = os.pipe()
hold_r, hold_w = os.pipe()
children = []
for index, first in enumerate(range(0, N, PER_WORKER)):
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        os.close(hold_w)
        worker(index, min(PER_WORKER, N - first), ready_w, hold_r)
    children.append(pid)
os.close(ready_w)
os.close(hold_r)
got = 0
while got < len(children):
    data = os.read(ready_r, 64)
    if not data:
        sys.exit("journal-churn.py: a worker failed")
    got += len(data)
print("ready", flush=True)
sys.stdin.read()
os.close(hold_w)
for pid in children:
    os.waitpid(pid, 0)
