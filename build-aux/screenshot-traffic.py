#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Traffic for data/screenshots/programs*.png: pairs of programs moving data at steady rates
# over loopback, inside the private network namespace build-aux/screenshots.sh makes. Each
# program is a process of its own under a familiar name (python run through a symlink of that
# name, as the scene's docker-proxy is). Prints "ready" once every pair is connected, then
# holds them until stdin closes.
# Usage: screenshot-traffic.py
import os
import socket
import subprocess
import sys
import tempfile
import time

# server name, port, client name, bytes/s the server sends, bytes/s the client sends
PAIRS = [
    ("sshd", 9101, "rsync", 20_000, 6_000_000),
    ("nginx", 9102, "firefox", 1_500_000, 30_000),
    ("icecast", 9103, "spotify", 45_000, 1_000),
    ("postgres", 9104, "gunicorn", 250_000, 60_000),
]

WORKER = r"""
import selectors, socket, sys, time
role, port, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if role == "serve":
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("127.0.0.1", port))
    l.listen(4)
    print("ready", flush=True)
    s, _ = l.accept()
else:
    s = socket.create_connection(("127.0.0.1", port))
    print("ready", flush=True)
s.setblocking(False)
sel = selectors.DefaultSelector()
sel.register(s, selectors.EVENT_READ)
sel.register(sys.stdin, selectors.EVENT_READ)
chunk = b"x" * 65536
start, sent = time.monotonic(), 0
while True:
    for key, _ in sel.select(timeout=0.02):
        if key.fileobj is sys.stdin:
            if not sys.stdin.readline():
                sys.exit(0)
        else:
            try:
                if not s.recv(1 << 20):
                    sys.exit(0)
            except BlockingIOError:
                pass
    # paced: what the rate allows so far, in pieces
    due = int((time.monotonic() - start) * rate) - sent
    if due > 0:
        try:
            sent += s.send(chunk[:min(due, len(chunk))])
        except BlockingIOError:
            pass
"""


def start(exe, *args):
    child = subprocess.Popen([exe, "-c", WORKER, *args], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    if child.stdout.readline().strip() != "ready":
        sys.exit("screenshot-traffic: %s did not start" % exe)
    return child


bin_dir = tempfile.mkdtemp(prefix="porthole-traffic-")
children = []
for server, port, client, down, up in PAIRS:
    exes = []
    for name in (server, client):
        exe = os.path.join(bin_dir, name)
        os.symlink(os.path.realpath(sys.executable), exe)
        exes.append(exe)
    children.append(start(exes[0], "serve", str(port), str(down)))
    children.append(start(exes[1], "connect", str(port), str(up)))
    time.sleep(0.05)

print("ready", flush=True)
sys.stdin.read()
for child in children:
    child.stdin.close()
for child in children:
    child.wait()
for name in os.listdir(bin_dir):
    os.unlink(os.path.join(bin_dir, name))
os.rmdir(bin_dir)
