#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the fuzzers' seed corpora in fuzz/corpus/<name>/ from real data on this machine:
# lines and whole files of /proc/net/{tcp,tcp6,udp,udp6}, raw sock_diag dump buffers exactly as
# recvmsg() returned them (with and without extension attributes), /etc/services, the names of
# running processes, and real targets, URLs and port lists. Rerun it to refresh the seeds
# (it only adds and overwrites its own files; `record-corpus.py text` redoes only the typed seeds,
# see the end of the file). The first byte of the procnet and sockdiag seeds
# selects what the fuzzer parses (see fuzz/fuzz-*.c): '0' tcp, '1' tcp6, '2' udp, '3' udp6.
import os
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_DONE = 3
TABLES = (("tcp", b"0", socket.AF_INET, socket.IPPROTO_TCP),
          ("tcp6", b"1", socket.AF_INET6, socket.IPPROTO_TCP),
          ("udp", b"2", socket.AF_INET, socket.IPPROTO_UDP),
          ("udp6", b"3", socket.AF_INET6, socket.IPPROTO_UDP))


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def procnet():
    for name, sel, _, _ in TABLES:
        try:
            with open("/proc/net/" + name, "rb") as f:
                data = f.read()
        except OSError:
            continue
        lines = data.split(b"\n")
        # the header and the first 30 rows: a busy machine's table is too big to fuzz quickly
        write("procnet-file", name, sel + b"\n".join(lines[:31]) + b"\n")
        # one line per distinct state, plus the first few
        seen = set()
        for i, line in enumerate(lines[1:]):
            fields = line.split()
            if len(fields) < 4 or (fields[3] in seen and i >= 3):
                continue
            seen.add(fields[3])
            write("procnet-line", "%s-%02d" % (name, i), sel + line)


def diag_buffers(family, protocol, ext):
    """Each buffer recvmsg() returned for one dump, as the kernel filled it."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    req = struct.pack("=BBBBI", family, protocol, ext, 0, 0xFFFFFFFF) + bytes(48)
    hdr = struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
    s.sendto(hdr + req, (0, 0))
    buffers = []
    while True:
        buf = s.recv(256 * 1024)
        buffers.append(buf)
        off = 0
        while off + 6 <= len(buf):
            length, kind = struct.unpack_from("=IH", buf, off)
            if kind == NLMSG_DONE:
                s.close()
                return buffers
            off += max(16, (length + 3) & ~3)


def sockdiag():
    for name, _, family, proto in TABLES:
        sel = b"1" if proto == socket.IPPROTO_UDP else b"0"
        # ext 0: what porthole asks for; 0xff: every extension, so the attribute walker sees
        # real INET_DIAG_INFO, MEMINFO, CONG, TOS, ... attributes
        for ext in (0, 0xff):
            for i, buf in enumerate(diag_buffers(family, proto, ext)[:1]):
                write("sockdiag", "%s-ext%x-%d" % (name, ext, i), sel + buf)


def fixtures():
    """The recorded tables of tests/fixtures/procnet (every TCP state, IPv6, v4-mapped) and the
    TCP dumps of tests/fixtures/tcp-info (struct tcp_info of connections that carried data)."""
    d = os.path.join(HERE, "..", "tests", "fixtures", "procnet")
    for name, sel, _, proto in TABLES:
        with open(os.path.join(d, name), "rb") as f:
            write("procnet-file", "fixture-" + name, sel + f.read())
        with open(os.path.join(d, name + ".netlink"), "rb") as f:
            write("sockdiag", "fixture-" + name,
                  (b"1" if proto == socket.IPPROTO_UDP else b"0") + f.read())
    d = os.path.join(HERE, "..", "tests", "fixtures", "tcp-info")
    for name in ("tcp", "tcp6"):
        with open(os.path.join(d, name + ".netlink"), "rb") as f:
            write("sockdiag", "fixture-tcp-info-" + name, b"0" + f.read())


def destroy():
    """The TCP destroy broadcasts of tests/fixtures/destroy: for fuzz-sockdiag ('2': each
    message's protocol from its INET_DIAG_PROTOCOL) and for fuzz-destroy (caps, then each
    message with its u16 length)."""
    with open(os.path.join(HERE, "..", "tests", "fixtures", "destroy", "destroy.netlink"), "rb") as f:
        data = f.read()
    write("sockdiag", "fixture-destroy", b"2" + data)
    messages, off = [], 0
    while off + 4 <= len(data):
        length = struct.unpack_from("=I", data, off)[0]
        messages.append(data[off:off + length])
        off += (length + 3) & ~3
    framed = b"".join(struct.pack("<H", len(m)) + m for m in messages)
    # roomy caps (every close a row), tight ones (summaries and drops), and none at all
    write("destroy", "fixture-roomy", b"\x07\x03" + framed)
    write("destroy", "fixture-tight", b"\x02\x01" + framed)
    write("destroy", "fixture-none", b"\x00\x00" + framed)


def services():
    with open("/etc/services", "rb") as f:
        data = f.read()
    write("services", "etc-services", data)
    write("services", "etc-services-head", data[:2048])


def escape():
    names = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/comm" % pid, "rb") as f:
                    names.add(f.read().rstrip(b"\n"))
            except OSError:
                pass
    for i, n in enumerate(sorted(names)[:40]):
        write("escape", "comm-%02d" % i, n)
    samples = {
        "banner-ssh": b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
        "banner-http": b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
        "banner-smtp": b"220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n",
        "ansi": b"\x1b[31mred\x1b[0m\x1b]0;title\x07",
        "bidi": "evil\u202etxt.exe\u2066x\u2069".encode(),
        "zero-width": "a\u200bb\u200dc\ufeff".encode(),
        "separators": "line\u2028para\u2029".encode(),
        "comm-cut-utf8": "kurz-\u00fcberl\u00e4n"[:10].encode()[:15] + b"\xc3",
        "invalid-utf8": b"\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80",
        "c1": "\u0085\u009b31m".encode(),
        "backslash": b"C:\\Temp\\x41\\u{202E}",
        "nul": b"a\x00b\x00",
        "emoji": "caf\u00e9 \U0001f600 \u65e5\u672c".encode(),
    }
    for name, data in samples.items():
        write("escape", name, data)


def text_seeds():
    targets = [
        "localhost:22", "127.0.0.1:631", "[::1]:5432", "::1 5432", "example.org 443",
        "https://gnome.org/", "http://example.com:8080/path?q=1#frag", "ssh://git@gitlab.gnome.org",
        "postgresql://user:pw@db.internal/app", "ws://[::1]:9000/socket", "HTTPS://EXAMPLE.ORG",
        "[fe80::1%lo]:22", "[fe80::1%eth0]:8080", "mqtts://broker.local", "xn--bcher-kva.example:80",
        "b\u00fccher.example:443", "192.168.1.1:80", "10.0.0.1 22",
        # the bad-input table of issue 6
        "", ":", "h:", "h:0", "h:65535", "h:65536", "h:99999999999999999999", "::1:22", "h:-1",
    ]
    for i, t in enumerate(targets):
        write("target", "%02d" % i, t.encode())
    lists = ["22", "22,80,443", "8000-8100", " 22 , 80 , 8000 - 8100 ", "1-65535", "80,22,80,22",
             "1-1024,3000-3010,5432,8080", "0-70000", "5-1", "80,,81", "65535", "1-2,2-3,4-5"]
    for i, t in enumerate(lists):
        write("portlist", "%02d" % i, t.encode())
    ports = ["022", "165535", "00", "1 443 ", "170000", "1-1", "0abc", "199999999999999999999"]
    for i, t in enumerate(ports):
        write("port", "%02d" % i, t.encode())
    # the first byte: '1' looks names up in a small services database, '0' in none
    lookups = ["1ssh", "1postgresql", "1postgres", "1 443 ", "0https", "0http", "122", "00",
               "165535", "165536", "1-1", "1+80", "1WWW", "1nonexistent", "0\u00fcber", "1x11-0"]
    for i, t in enumerate(lookups):
        write("port-lookup", "%02d" % i, t.encode())


# With names (procnet, sockdiag, destroy, services, escape, text), only those seeds are rewritten.
steps = {"procnet": procnet, "sockdiag": sockdiag, "fixtures": fixtures, "destroy": destroy,
         "services": services,
         "escape": escape, "text": text_seeds}
for step in (sys.argv[1:] or steps):
    steps[step]()
