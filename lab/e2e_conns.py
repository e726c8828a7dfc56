#!/usr/bin/env python3
"""End-to-end tests of the connection table under load (python3 stdlib; run as root).

    lab/e2e_conns.py     brings the lab up, starts the built appliance once (connection table capped by
                         max_connections in etc/org.jlvs.core.cfg), runs the scenarios, tears down

1. 20,000 concurrent TCP connections through VIP:7070 (rr -> an epoll TCP echo server this file starts in each
   real server) from five client addresses: all connect, `lvs:list -n` counts exactly 20,000 ActiveConn, every
   one still echoes after 60 s. Then the real servers close them (FIN first, as `lvs:set-timeout 900 20 300`
   shortened FIN_WAIT to 20 s): at once they are all InActConn in FIN_WAIT, each listed to expire within the
   20 s, and they all leave the table, none before the 20 s.
2. Persistence: an rr service with -p 300 sends one client's six connections to one real server and lists its
   template (state NONE, client port 0); after `lvs:sysctl expire_quiescent_template 1`, giving that server
   weight 0 moves the client to another one.
3. SYN flood at a persistent service (-p 300): 200,000 SYNs from random addresses of 10.98.0.0/15 (a template
   and a half-open entry each; an AF_PACKET socket, at most 40 s) while 50 established connections through
   VIP:7 (realserver.py's TCP echo) exchange a message every 50 ms: none of them fails or waits more than
   MAX_STALL for an echo, templates and connections stay under the configured cap (it fills up and half-open
   entries and unused templates are evicted, both counted in lvs:counters), the appliance's heap after a full
   GC (jcmd) grows by less than HEAP_SLACK, and a new connection succeeds right after the flood.
4. UDP flood: 200,000 spoofed datagrams (random addresses and ports) at UDP VIP:7 with the same cap: a new TCP
   connection to VIP:7070 every 0.3 s succeeds during the flood, and one after it.
5. PacketIo switch: under 50 held echo connections, feature:install jlvs-pcap + feature:uninstall
   jlvs-packetio-afpacket, then back: no connection breaks, each one echoes again after each change.

Prints `PASS name` / `FAIL name: reason` per check, details on indented lines, then `e2e-conns: N passed,
M failed`; exits non-zero on any failure. Every loop is bounded in count and time and every socket has a timeout.

    lab/e2e_conns.py --echo-server PORT      (internal) the echo server run in each real server
    lab/e2e_conns.py --client-worker INDEX   (internal) holds client connections in the client namespace
"""
import argparse
import errno
import json
import os
import random
import re
import resource
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time

LAB = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
from e2e import (NS_CLIENT, NS_DIR, NS_RS, RS, VIP, Appliance, Report, http_get, link_mac, netns,  # noqa: E402
                 parse_counters, reset_all, run, run_suite, suite_args)
from e2e_schedulers import EchoFleet, karaf_log  # noqa: E402  (50 connections to VIP:7, realserver.py's TCP echo)

CONN_PORT = 7070                  # the epoll echo servers of this test
CONNECTIONS = 20_000
CLIENTS = ["10.99.1.2"] + [f"10.99.1.{i}" for i in range(3, 7)]   # 4,000 connections each
CONNECT_IN_FLIGHT = 256           # connects not yet answered at any time
HOLD = 60                         # seconds the connections stay open before they are checked again
FIN_TIMEOUT = 20                  # lvs:set-timeout 900 FIN_TIMEOUT 300
MAX_CONNECTIONS = 20_100          # max_connections of the appliance under test
FLOOD_SYNS = 200_000
FLOOD_TIME = 120  # a bound on the sending loop, not a window the test asserts on
MAX_STALL = 5.0                   # an established connection whose entry went would get no echo at all; a
                                  # machine loaded by other work delays echoes by a second or more
FLOOD_NET = (10 << 24) | (98 << 16)   # 10.98.0.0/15: spoofed sources, routed nowhere
PERSIST_FLOOD_PORT = 7071             # -p 300 in front of the epoll echo servers
HEAP_SLACK = 8 << 20                  # the old template map grew by ~130 bytes for each of ~130,000 sources
CLOSE = b"CLOSE\n"                # asks the echo server to close the connection first
NOFILE = 65_536
CLIENT_WORKERS = 2                # processes holding the client sockets, 10,000 each
DIRECTOR_ETC = os.path.join(LAB, "director-etc")
CFG = os.path.join(DIRECTOR_ETC, "org.jlvs.core.cfg")


def raise_nofile():
    """The soft limit up to the hard one (or NOFILE): thousands of sockets need more than the usual 1,024. The
    hard limit may be as low as 20,000 (and root may be unable to raise it), so the 20,000 client sockets are
    held by CLIENT_WORKERS processes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = NOFILE if hard == resource.RLIM_INFINITY else min(NOFILE, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


# ---------------------------------------------------------------- the echo server (in each real server)

def echo_server(port):
    """Single-threaded epoll echo: thousands of connections without a thread each. A message ending in CLOSE
    makes it close the connection (its FIN comes first)."""
    raise_nofile()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(4096)
    ls.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ, None)
    print(f"echo :{port}", flush=True)
    while True:
        for key, _ in sel.select():
            if key.data is None:
                for _ in range(256):
                    try:
                        c, _ = ls.accept()
                    except BlockingIOError:
                        break
                    c.setblocking(False)
                    sel.register(c, selectors.EVENT_READ, True)
                continue
            c = key.fileobj
            try:
                data = c.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data or data.endswith(CLOSE):
                sel.unregister(c)
                c.close()
                continue
            try:
                c.send(data)  # a few bytes: the send buffer always has room
            except OSError:
                sel.unregister(c)
                c.close()


def start_echo_servers():
    procs = []
    for i in range(1, len(RS) + 1):
        p = subprocess.Popen(["ip", "netns", "exec", NS_RS[i - 1], sys.executable, os.path.abspath(__file__),
                              "--echo-server", str(CONN_PORT)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        procs.append(p)
    for p in procs:
        line = p.stdout.readline()  # "echo :PORT" once it listens
        if not line.startswith("echo"):
            raise RuntimeError(f"echo server did not start: {line!r}")
    return procs


def stop_echo_servers(procs):
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()


# ---------------------------------------------------------------- console output

def active_inactive(text, port):
    """lvs:list -n: the sums of ActiveConn and InActConn over the real servers of TCP VIP:port."""
    active = inactive = 0
    current = None
    for line in text.splitlines():
        m = re.match(r"^(TCP|UDP)\s+(\S+)", line)
        if m:
            current = (m.group(1), m.group(2))
            continue
        m = re.match(r"^\s+->\s+\d+\.\d+\.\d+\.\d+:\d+\s+\S+\s+\d+\s+(\d+)\s+(\d+)", line)
        if m and current == ("TCP", f"{VIP}:{port}"):
            active += int(m.group(1))
            inactive += int(m.group(2))
    return active, inactive


def table_states(text):
    """lvs:list -c: {state: count} of the listed rows."""
    states = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[0] in ("TCP", "UDP"):
            states[parts[2]] = states.get(parts[2], 0) + 1
    return states


# ---------------------------------------------------------------- 20,000 connections

def open_connections(n, addresses, time_limit):
    """n non-blocking connects to VIP:CONN_PORT from the calling namespace, spread over addresses, at most
    CONNECT_IN_FLIGHT at a time. Returns (connected sockets, errors)."""
    sel = selectors.DefaultSelector()
    done, errors, started = [], [], 0
    deadline = time.monotonic() + time_limit
    while len(done) + len(errors) < n and time.monotonic() < deadline and len(errors) < 100:
        while started < n and started - len(done) - len(errors) < CONNECT_IN_FLIGHT:
            s = socket.socket()
            s.setblocking(False)
            s.bind((addresses[started % len(addresses)], 0))
            rc = s.connect_ex((VIP, CONN_PORT))
            if rc not in (0, errno.EINPROGRESS):
                errors.append(f"connect: {os.strerror(rc)}")
                s.close()
            else:
                sel.register(s, selectors.EVENT_WRITE)
            started += 1
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            sel.unregister(s)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                errors.append(f"connect: {os.strerror(err)}")
                s.close()
            else:
                done.append(s)
    for key in list(sel.get_map().values()):
        key.fileobj.close()
        errors.append("connect: no answer in time")
    sel.close()
    return done, errors


def exchange(socks, message, time_limit, expect_eof=False):
    """Sends message on every socket and waits for its echo (or, with expect_eof, for the peer's FIN).
    Returns the number that got it and a few errors."""
    sel = selectors.DefaultSelector()
    bufs, ok, errors = {}, 0, []
    for s in socks:
        try:
            s.send(message)
            sel.register(s, selectors.EVENT_READ)
            bufs[s] = b""
        except OSError as e:
            errors.append(f"send: {e!r}")
    deadline = time.monotonic() + time_limit
    while bufs and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError as e:
                data, err = None, f"recv: {e!r}"
            else:
                err = None
            if expect_eof:
                finished = data == b""
                err = err or (None if data == b"" else f"data instead of FIN: {data!r}")
            else:
                bufs[s] += data or b""
                finished = bufs[s] == message
                err = err or (f"closed after {bufs[s]!r}" if data == b"" else None)
            if finished or err:
                sel.unregister(s)
                del bufs[s]
                if finished and not err:
                    ok += 1
                elif len(errors) < 5:
                    errors.append(err)
    if bufs:
        errors.append(f"{len(bufs)} without an answer after {time_limit}s")
    sel.close()
    return ok, errors


def client_worker(index):
    """(Run in the client namespace.) Holds this worker's share of the connections; commands on stdin, one JSON
    answer a line on stdout: open N | echo | close | reset. Ends with stdin."""
    raise_nofile()
    addresses = CLIENTS[index::CLIENT_WORKERS]
    socks = []
    for line in sys.stdin:
        cmd = line.split()
        t0 = time.monotonic()
        if cmd[0] == "open":
            socks, errors = open_connections(int(cmd[1]), addresses, time_limit=120)
            answer = {"ok": len(socks), "errors": errors[:3], "error_count": len(errors)}
        elif cmd[0] == "echo":
            ok, errors = exchange(socks, b"still there?\n", time_limit=60)
            answer = {"ok": ok, "errors": errors}
        elif cmd[0] == "close":
            ok, errors = exchange(socks, CLOSE, time_limit=60, expect_eof=True)
            answer = {"ok": ok, "errors": errors}
        else:  # reset
            reset_all(socks)
            socks = []
            answer = {"ok": 0, "errors": []}
        answer["secs"] = round(time.monotonic() - t0, 1)
        print(json.dumps(answer), flush=True)
    reset_all(socks)


class Workers:
    """CLIENT_WORKERS client processes, driven in step: each command goes to all, then all answers are read."""

    def __init__(self):
        self.procs = [subprocess.Popen(["ip", "netns", "exec", NS_CLIENT, sys.executable, os.path.abspath(__file__),
                                        "--client-worker", str(i)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True) for i in range(CLIENT_WORKERS)]

    def all(self, command):
        """Sends command to every worker; returns (sum of ok, all errors, longest secs)."""
        for p in self.procs:
            p.stdin.write(command + "\n")
            p.stdin.flush()
        answers = []
        for p in self.procs:
            line = p.stdout.readline()  # each command is bounded in time inside the worker
            if not line:
                raise RuntimeError(f"client worker exited on '{command}'")
            answers.append(json.loads(line))
        return (sum(a["ok"] for a in answers), [e for a in answers for e in a["errors"]],
                max(a["secs"] for a in answers))

    def close(self):
        for p in self.procs:
            try:
                p.stdin.close()  # the worker resets its sockets and ends
                p.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                p.kill()


def twenty_thousand(d, rep):
    for ip in CLIENTS[1:]:
        run(["ip", "-n", NS_CLIENT, "addr", "add", f"{ip}/24", "dev", "eth0"], timeout=10)
    out = d.cli(f"lvs:add-service -t {VIP}:{CONN_PORT} -s rr",
                *[f"lvs:add-server -t {VIP}:{CONN_PORT} -r {ip}:{CONN_PORT} -m -w 1" for ip in RS.values()],
                f"lvs:set-timeout 900 {FIN_TIMEOUT} 300", "lvs:list --timeout")
    rep.check("set_timeout", f"Timeout (tcp tcpfin udp): 900 {FIN_TIMEOUT} 300" in out,
              f"lvs:list --timeout after lvs:set-timeout: {out.strip()[-200:]!r}")

    workers = Workers()
    try:
        t0 = time.monotonic()
        n, errors, _ = workers.all(f"open {CONNECTIONS // CLIENT_WORKERS}")
        took = time.monotonic() - t0
        rep.check("connect_20000", n == CONNECTIONS and not errors, f"{n} connected, errors: {errors}",
                  f"{n} connections from {len(CLIENTS)} addresses ({CLIENT_WORKERS} processes) in {took:.1f}s")
        t_open = time.monotonic()
        active, inactive = active_inactive(d.cli("lvs:list -n"), CONN_PORT)
        rep.check("active_conn_20000", active == n == CONNECTIONS and inactive == 0,
                  f"ActiveConn {active}, InActConn {inactive} for {n} open connections",
                  f"ActiveConn {active}, InActConn {inactive}")
        if not n:
            return
        time.sleep(max(0.0, t_open + HOLD - time.monotonic()))
        ok, errs, secs = workers.all("echo")
        rep.check("all_echo_after_60s", ok == n, f"{ok}/{n} echoed: {errs}",
                  f"{ok} echoes {time.monotonic() - t_open:.0f}s after connecting, in {secs:.1f}s")

        # The servers close first: the director sees their FIN and moves each entry to FIN_WAIT (inactive).
        t2 = time.monotonic()
        ok, errs, secs = workers.all("close")
        rep.check("server_close", ok == n, f"{ok}/{n} saw the server's FIN: {errs}",
                  f"{ok} closed by the servers in {secs:.1f}s")
        listing = d.cli("lvs:list -n", f"lvs:list -c -n --limit 0 -t {VIP}:{CONN_PORT}")  # one console session
        active, inactive = active_inactive(listing, CONN_PORT)
        states = table_states(listing)
        rep.check("closed_are_inactive", active == 0 and inactive == n and states.get("FIN_WAIT") == n,
                  f"ActiveConn {active}, InActConn {inactive}, states {states}",
                  f"InActConn {inactive}, states {states}, {time.monotonic() - t2:.1f}s after the close")
        # The director's own account of the timeout, which no machine's speed changes: each FIN_WAIT entry's
        # expiry (the listing's MM:SS column) is at most FIN_TIMEOUT. Then every entry goes, none before
        # FIN_TIMEOUT after the first FIN (the expiry tick is 1 s); how much later is the machine's load.
        expiries = [int(m) * 60 + int(sec) for m, sec in
                    re.findall(r"^TCP\s+(\d+):(\d+)\s+FIN_WAIT\s", listing, re.M)]
        rep.check("fin_wait_expiry_is_the_timeout", len(expiries) == n and max(expiries) <= FIN_TIMEOUT,
                  f"{len(expiries)} FIN_WAIT rows, expiries {sorted(set(expiries))[-5:]} (FIN_WAIT {FIN_TIMEOUT}s)",
                  f"{len(expiries)} FIN_WAIT entries expire in {min(expiries, default=0)}..{max(expiries, default=0)}s")
        gone_at = None
        while time.monotonic() < t2 + FIN_TIMEOUT + 300:
            active, inactive = active_inactive(d.cli("lvs:list -n"), CONN_PORT)
            if active == 0 and inactive == 0:
                gone_at = time.monotonic()
                break
            time.sleep(0.5)
        rep.check("expired_after_fin_timeout", gone_at is not None and gone_at - t2 >= FIN_TIMEOUT - 1,
                  f"InActConn {inactive} left" if gone_at is None
                  else f"gone already {gone_at - t2:.1f}s after the close began (FIN_WAIT {FIN_TIMEOUT}s)",
                  None if gone_at is None
                  else f"table empty {gone_at - t2 - secs:.1f}s after the last FIN (FIN_WAIT {FIN_TIMEOUT}s)")
    finally:
        workers.close()


# ---------------------------------------------------------------- persistence and lvs:sysctl

PERSIST_PORT = 8081


def persistence_and_sysctl(d, rep):
    """-p 300 on an rr service: one client's new connections all go to one real server and its template is
    listed (NONE, client port 0); with expire_quiescent_template set by lvs:sysctl, quiescing that server
    (weight 0) moves the client on."""
    svc = f"-t {VIP}:{PERSIST_PORT}"
    d.cli(f"lvs:add-service {svc} -s rr -p 300", *[f"lvs:add-server {svc} -r {ip}:80 -m -w 1" for ip in RS.values()])
    with netns(NS_CLIENT):
        names = [http_get("/", addr=(VIP, PERSIST_PORT))[1].decode().strip() for _ in range(6)]
    rep.check("persistent_client_keeps_its_server", len(set(names)) == 1 and names[0] in RS,
              f"six connections went to {names}", f"six connections, all to {names[0]}")
    rows = [line.split() for line in d.cli(f"lvs:list -c -n --limit 0 {svc}").splitlines()]
    templates = [r for r in rows if len(r) == 6 and r[2] == "NONE" and r[3] == "10.99.1.2:0"]
    rep.check("template_listed", len(templates) == 1 and templates[0][5] == f"{RS.get(names[0])}:80",
              f"rows {rows[-8:]}", " ".join(templates[0]) if templates else None)

    def get_from(source):
        """One request on a new connection from the client's address `source`; the real server's name."""
        with socket.create_connection((VIP, PERSIST_PORT), timeout=5.0, source_address=(source, 0)) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: vip\r\nConnection: close\r\n\r\n")
            data = b""
            while len(data) < 1 << 16:
                chunk = s.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
        return data.split(b"\r\n\r\n", 1)[-1].decode().strip()

    with netns(NS_CLIENT):
        other = get_from(CLIENTS[1])
    rep.check("other_client_scheduled_elsewhere", other in RS and other != names[0],
              f"{CLIENTS[1]} went to {other}, like {names[0]}", f"{CLIENTS[1]} went to {other}")

    d.cli(f"lvs:edit-server {svc} -r {RS[names[0]]}:80 -m -w 0")
    with netns(NS_CLIENT):
        kept = get_from(CLIENTS[0])
    rep.check("weight0_keeps_template", kept == names[0],
              f"sent to {kept} although its template names {names[0]}", f"still {kept} after weight 0")

    out = d.cli("lvs:sysctl expire_quiescent_template 1", "lvs:sysctl")
    rep.check("sysctl_set", "net.ipv4.vs.expire_quiescent_template = 1" in out, f"lvs:sysctl shows {out!r}")
    with netns(NS_CLIENT):
        moved = get_from(CLIENTS[0])
    rep.check("quiescent_template_expires", moved in RS and moved != names[0],
              f"still sent to {moved} after its weight became 0", f"moved from {names[0]} to {moved}")
    d.cli("lvs:sysctl expire_quiescent_template 0")


# ---------------------------------------------------------------- SYN flood

def sum16(data):
    if len(data) % 2:
        data += b"\0"
    return sum(struct.unpack(f"!{len(data) // 2}H", data))


def checksum(data):
    s = sum16(bytes(data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def flood_frame(dst_mac, src_mac, src, sport, dport, udp):
    """A SYN (or a 16-byte UDP datagram) from address `src` (an int) and port `sport` to VIP:dport."""
    sip, dip = struct.pack("!I", src), socket.inet_aton(VIP)
    proto, l4 = (17, struct.pack("!HHHH", sport, dport, 24, 0) + b"u" * 16) if udp else \
        (6, struct.pack("!HHIIBBHHH", sport, dport, 0x12345678, 0, 5 << 4, 0x02, 64240, 0, 0))
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0 if udp else 0x4000, 64, proto, 0, sip,
                               dip))
    struct.pack_into("!H", ip, 10, checksum(ip))
    if not udp:
        l4 = bytearray(l4)
        struct.pack_into("!H", l4, 16, checksum(sip + dip + struct.pack("!BBH", 0, 6, len(l4)) + bytes(l4)))
    return dst_mac + src_mac + b"\x08\x00" + bytes(ip) + bytes(l4)


def send_flood(n, time_limit, dport, udp=False):
    """n SYNs (or UDP datagrams) to VIP:dport from random addresses of FLOOD_NET and random ports."""
    dst_mac, src_mac = link_mac(NS_DIR, "eth0"), link_mac(NS_CLIENT, "eth0")
    rnd = random.Random(7)
    sent = 0
    deadline = time.monotonic() + time_limit
    with netns(NS_CLIENT):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        try:
            s.bind(("eth0", 0))
            for i in range(n):
                if time.monotonic() > deadline:
                    break
                frame = flood_frame(dst_mac, src_mac, FLOOD_NET | rnd.getrandbits(17), rnd.randrange(1024, 65536),
                                    dport, udp)
                while time.monotonic() <= deadline:
                    try:
                        s.send(frame)
                        sent += 1
                        break
                    except OSError:  # ENOBUFS: the veth's queue is full; back off and send this frame again
                        time.sleep(0.001)
                if i % 1000 == 999:
                    time.sleep(0.06)  # ~12,000 a second: a flood for the table, not a benchmark of the veth
        finally:
            s.close()
    return sent


def heap_used_after_gc():
    """The appliance JVM's used heap in bytes after a full GC (jcmd GC.run, then GC.heap_info)."""
    jcmd = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"), "bin", "jcmd")
    pids = run(["ip", "netns", "pids", NS_DIR], timeout=10).split()
    java = [p for p in pids if "java" in open(f"/proc/{p}/comm").read()]
    if not java:
        raise RuntimeError(f"no java process in {NS_DIR}")
    run([jcmd, java[0], "GC.run"], timeout=60)
    info = run([jcmd, java[0], "GC.heap_info"], timeout=60)
    m = re.search(r"total \d+K, used (\d+)K", info)
    if not m:
        raise RuntimeError(f"no heap use in {info!r}")
    return int(m.group(1)) * 1024


def syn_flood(d, rep):
    d.cli(f"lvs:add-service -t {VIP}:7 -s rr", *[f"lvs:add-server -t {VIP}:7 -r {ip}:7 -m -w 1" for ip in RS.values()],
          f"lvs:add-service -t {VIP}:{PERSIST_FLOOD_PORT} -s rr -p 300",
          *[f"lvs:add-server -t {VIP}:{PERSIST_FLOOD_PORT} -r {ip}:{CONN_PORT} -m -w 1" for ip in RS.values()])
    fleet = EchoFleet(time_limit=FLOOD_TIME + 90)
    fleet.open()
    fleet.start()
    try:
        time.sleep(1.0)
        heap_before = heap_used_after_gc()
        before = parse_counters(d.cli("lvs:counters"))
        t0 = time.monotonic()
        sent = send_flood(FLOOD_SYNS, FLOOD_TIME, PERSIST_FLOOD_PORT)
        t1 = time.monotonic()
        after = parse_counters(d.cli("lvs:counters"))
        heap_after = heap_used_after_gc()
        time.sleep(1.0)
        t2 = time.monotonic()
        gap, who = fleet.max_gap(t0, t2)
        errors = fleet.errors()
        echoes = sum(fleet.echo_counts())
    finally:
        fleet.finish()
    rep.check("flood_sent", sent == FLOOD_SYNS, f"only {sent} of {FLOOD_SYNS} SYNs sent in {FLOOD_TIME}s",
              f"{sent} SYNs from random sources in {t1 - t0:.1f}s")
    rep.check("established_unaffected", not errors and gap <= MAX_STALL,
              f"errors {errors}, longest wait for an echo {gap:.2f}s (connection {who})",
              f"50 connections, {echoes} echoes, longest wait {gap:.2f}s")
    size = after.get("connections", -1)
    templates = after.get("templates", -1)
    evicted = after.get("connections_evicted", 0) - before.get("connections_evicted", 0)
    refused = after.get("connections_refused_table_full", 0) - before.get("connections_refused_table_full", 0)
    rep.check("table_under_cap", 0 < size <= MAX_CONNECTIONS and 0 < templates < size and evicted > 0,
              f"entries {size} with {templates} templates (cap {MAX_CONNECTIONS}), evicted {evicted}, refused {refused}",
              f"table {size} entries of which {templates} templates (cap {MAX_CONNECTIONS}), evicted {evicted}, "
              f"refused {refused}")
    grown = heap_after - heap_before
    rep.check("heap_flat", grown < HEAP_SLACK, f"heap after GC {heap_before >> 20} -> {heap_after >> 20} MiB",
              f"heap after GC {heap_before / 2**20:.1f} -> {heap_after / 2**20:.1f} MiB ({grown / 2**20:+.1f} MiB)")
    ok, why = echo_once(CONN_PORT, b"after the flood\n")
    rep.check("new_connection_after_flood", ok, why)


def echo_once(port, message, timeout=10.0):
    """One new connection to VIP:port from the client namespace, one echoed message: (ok, why). The timeout
    leaves room for SYN retransmits (1 s, 3 s): on a loaded machine a flood costs frames in the capture ring;
    a table that refused the connection would refuse its retransmits too."""
    with netns(NS_CLIENT):
        try:
            with socket.create_connection((VIP, port), timeout=timeout) as s:
                s.sendall(message)
                s.settimeout(timeout)
                answer = s.recv(100)
            return answer == message, f"answer {answer!r}"
        except OSError as e:
            return False, repr(e)


def udp_flood(d, rep):
    """200,000 spoofed datagrams at UDP VIP:7 with the table capped: other services keep taking connections."""
    d.cli(f"lvs:add-service -u {VIP}:7 -s rr", *[f"lvs:add-server -u {VIP}:7 -r {ip}:7 -m -w 1" for ip in RS.values()])
    results = []
    stop = threading.Event()

    def probe():
        while not stop.is_set() and len(results) < 400:
            results.append(echo_once(CONN_PORT, b"during the flood\n"))
            stop.wait(0.3)
    before = parse_counters(d.cli("lvs:counters"))
    t = threading.Thread(target=probe, daemon=True)
    t.start()
    try:
        sent = send_flood(FLOOD_SYNS, 2 * FLOOD_TIME, 7, udp=True)
    finally:
        stop.set()
        t.join(15)
    after = parse_counters(d.cli("lvs:counters"))
    failed = [why for ok, why in results if not ok]
    evicted = after.get("connections_evicted", 0) - before.get("connections_evicted", 0)
    refused = after.get("connections_refused_table_full", 0) - before.get("connections_refused_table_full", 0)
    rep.check("udp_flood_sent", sent == FLOOD_SYNS, f"only {sent} of {FLOOD_SYNS} datagrams sent")
    rep.check("tcp_during_udp_flood", results and not failed and refused == 0
              and after.get("connections", 0) <= MAX_CONNECTIONS,
              f"{len(failed)} of {len(results)} connections failed: {failed[:3]}; entries {after.get('connections')},"
              f" refused for a full table +{refused}",
              f"{len(results)} new TCP connections to VIP:{CONN_PORT} during the flood, all echoed; entries "
              f"{after.get('connections')} (cap {MAX_CONNECTIONS}), evicted +{evicted}")
    ok, why = echo_once(CONN_PORT, b"after the flood\n")
    rep.check("tcp_after_udp_flood", ok, why)


# ---------------------------------------------------------------- main

def echoed_since(fleet, before, deadline):
    """Waits until every connection of the fleet has had an echo since the counts `before`; True if so."""
    while time.monotonic() < deadline:
        if all(a > b for a, b in zip(fleet.echo_counts(), before)) or fleet.errors():
            break
        time.sleep(0.1)
    return all(a > b for a, b in zip(fleet.echo_counts(), before))


def packetio_switch(d, rep):
    """The PacketIo changes under 50 held connections (VIP:7, an echo every 50 ms each): AF_PACKET -> pcap ->
    AF_PACKET, the new one installed before the old one goes. The core keeps its table: no connection breaks,
    each one echoes again after each change."""
    if f"TCP  {VIP}:7 " not in d.cli("lvs:list -n"):
        d.cli(f"lvs:add-service -t {VIP}:7 -s rr", *[f"lvs:add-server -t {VIP}:7 -r {ip}:7 -m -w 1" for ip in RS.values()])
    fleet = EchoFleet(time_limit=240)
    fleet.open()
    fleet.start()
    steps = []
    try:
        if not echoed_since(fleet, [0] * len(fleet.echo_counts()), time.monotonic() + 120):
            raise RuntimeError(f"the 50 connections did not all echo once: {fleet.errors()[:3]}")
        changes_before = karaf_log().count("packet I/O changed to ")
        t0 = time.monotonic()
        for new, old in (("jlvs-pcap", "jlvs-packetio-afpacket"), ("jlvs-packetio-afpacket", "jlvs-pcap")):
            before = fleet.echo_counts()
            d.cli(f"feature:install -r {new}")
            d.cli(f"feature:uninstall -r {old}")
            ok = echoed_since(fleet, before, time.monotonic() + 60)
            steps.append((new, ok))
        t1 = time.monotonic()
        gap, who = fleet.max_gap(t0, t1)
        errors = fleet.errors()
        echoes = sum(fleet.echo_counts())
    finally:
        fleet.finish()
    installed = d.cli("feature:list -i")
    # the core's own account: each new PacketIo took over both links (else a switch could pass untaken)
    changes = re.findall(r"packet I/O changed to (\S+): (\d+) interfaces taken over", karaf_log())[changes_before:]
    rep.check("packetio_switch_taken_over", [(c.rsplit(".", 1)[-1], n) for c, n in changes]
              == [("PcapPacketIo", "2"), ("AfPacketIo", "2")],
              f"karaf.log's 'packet I/O changed' lines since the switch: {changes}",
              "karaf.log: pcap, then AF_PACKET took over eth0 and eth1")
    rep.check("packetio_switch_keeps_connections", not errors and all(ok for _, ok in steps),
              f"errors {errors}, every connection echoed again after the change to: {steps}",
              f"50 connections through AF_PACKET -> pcap -> AF_PACKET: {echoes} echoes, longest wait {gap:.2f}s "
              f"(connection {who})")
    rep.check("packetio_switch_back", re.search(r"^jlvs-packetio-afpacket\s", installed, re.M) is not None
              and re.search(r"^jlvs-pcap\s", installed, re.M) is None,
              "after the switch back feature:list -i shows:\n" + installed)


def write_config():
    """The cap for the appliance under test; director.sh copies lab/director-etc/ into etc/. Returns an undo."""
    existed = os.path.isdir(DIRECTOR_ETC)
    old = open(CFG).read() if os.path.exists(CFG) else None
    os.makedirs(DIRECTOR_ETC, exist_ok=True)
    with open(CFG, "w") as f:
        f.write((old or "") + f"\n# written by lab/e2e_conns.py for its run\nmax_connections = {MAX_CONNECTIONS}\n")

    def undo():
        if old is not None:
            with open(CFG, "w") as f:
                f.write(old)
        else:
            os.remove(CFG)
        if not existed:
            os.rmdir(DIRECTOR_ETC)
    return undo


def main():
    args = suite_args(__doc__, "e2e_conns.py", lambda ap: (
        ap.add_argument("--echo-server", type=int, metavar="PORT", help=argparse.SUPPRESS),
        ap.add_argument("--client-worker", type=int, metavar="INDEX", help=argparse.SUPPRESS)))
    if args.echo_server:
        echo_server(args.echo_server)
        return 0
    if args.client_worker is not None:
        client_worker(args.client_worker)
        return 0
    raise_nofile()
    d = Appliance()
    echo = []

    def start():
        undo = write_config()
        try:
            d.start()
        finally:
            undo()
        echo.extend(start_echo_servers())
    return run_suite(Report("e2e-conns"), d, (twenty_thousand, persistence_and_sysctl, syn_flood, udp_flood, packetio_switch),
                     start=start,
                     teardown=lambda: stop_echo_servers(echo), keep=args.keep)

if __name__ == "__main__":
    sys.exit(main())
