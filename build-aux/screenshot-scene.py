#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The scene for data/screenshots/: a few listeners and connections of the kind a developer's
# machine has, opened inside the private network namespace build-aux/screenshots.sh makes.
# Prints "ready" once every socket is open, then holds them until stdin closes.
# Usage: screenshot-scene.py SERVE_PORT  (a `porthole-cli serve` already listens there)
#
# It also starts a "container": a child in a network namespace of its own (unshare -n) with a
# web server on 0.0.0.0:80 and a database on its loopback, and a forwarder that publishes the
# web server on the scene's port 8080 the way Docker's does (a python run under the name
# docker-proxy, with docker-proxy's flags).
import os
import socket
import subprocess
import sys
import tempfile
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

CONTAINER = r"""
import socket, subprocess, sys
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
held = []
for address, port in (("0.0.0.0", 80), ("127.0.0.1", 5432)):
    s = socket.socket()
    s.bind((address, port))
    s.listen(16)
    held.append(s)
# the web server's connection to its database, inside the container
held.append(socket.create_connection(("127.0.0.1", 5432)))
held.append(s.accept()[0])
print("ready", flush=True)
sys.stdin.read()
"""

PROXY = r"""
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080))
s.listen(16)
print("ready", flush=True)
sys.stdin.read()
"""


def start(argv):
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if child.stdout.readline().strip() != "ready":
        sys.exit("screenshot-scene: %s did not start" % argv[0])
    return child


bin_dir = tempfile.mkdtemp(prefix="porthole-scene-")
proxy_exe = os.path.join(bin_dir, "docker-proxy")
os.symlink(os.path.realpath(sys.executable), proxy_exe)
children = [
    start(["unshare", "-n", "--", sys.executable, "-c", CONTAINER]),
    start([proxy_exe, "-c", PROXY, "-proto", "tcp", "-host-ip", "0.0.0.0", "-host-port", "8080",
           "-container-ip", "172.17.0.2", "-container-port", "80"]),
]

print("ready", flush=True)
sys.stdin.read()
for child in children:
    child.stdin.close()
    child.wait()
os.unlink(proxy_exe)
os.rmdir(bin_dir)
