#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The scene for data/screenshots/: a few listeners and connections of the kind a developer's
# machine has, opened inside the private network namespace build-aux/screenshots.sh makes.
# Prints "ready" once every socket is open, then holds them until stdin closes.
# Usage: screenshot-scene.py SERVE_PORT  (a `porthole-cli serve` already listens there)
import socket
import sys
import time

serve_port = int(sys.argv[1])
held = []


def listen(family, kind, address, port):
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6 and address == "::":
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((address, port))
    if kind == socket.SOCK_STREAM:
        s.listen(16)
    held.append(s)
    return s


def connect(port):
    c = socket.create_connection(("127.0.0.1", port))
    held.append(c)
    return c


dev = listen(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1", 3000)
web = listen(socket.AF_INET, socket.SOCK_STREAM, "0.0.0.0", 8000)
listen(socket.AF_INET6, socket.SOCK_STREAM, "::1", 8443)
listen(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1", 53)
listen(socket.AF_INET6, socket.SOCK_DGRAM, "::", 5353)

# one client of the web server, three of the test server
connect(8000)
held.append(web.accept()[0])
for _ in range(3):
    connect(serve_port)
# two short-lived connections to the dev server: the server closes first, so TIME_WAIT
# stays on its side, owned by no program
for _ in range(2):
    c = socket.create_connection(("127.0.0.1", 3000))
    a, _addr = dev.accept()
    a.close()
    time.sleep(0.05)
    c.close()

print("ready", flush=True)
sys.stdin.read()
