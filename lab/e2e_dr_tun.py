#!/usr/bin/env python3
"""End-to-end tests of direct routing (-g) and tunnelling (-i, IPIP and GUE) in the routed lab (run as root).

    lab/e2e_dr_tun.py [--tarball F] [--keep]

`lab/lab.sh up routed` puts a router between the client and the server LAN, where the director and the real
servers share one LAN; each real server holds the VIP 10.99.2.100 on lo and runs tools/tunnel-endpoint (the
lab's kernel has no ipip/fou). The appliance boots once; the scenarios reconfigure it:

 1. DR: 1,000 HTTP requests on new connections all succeed, rr spreads them 333 ± 5, and a capture on the
    director's interface sees the requests but no reply packet (the replies go straight to the router).
    A 10 MiB download arrives intact.
 2. TUN with IPIP, then with GUE (--tun-type gue --tun-port 6080): the same, plus `lvs:list --tun-info`.
    A DF packet too big for the tunnel gets ICMP fragmentation-needed from the VIP with MTU 1480 (IPIP) or
    1468 (GUE), and the connection then succeeds with smaller segments; a too-big packet without DF is sent in
    fragments that the real server reassembles.
 3. One service with a NAT, a DR and a TUN real server: 900 new connections, 300 ± 5 each; on the director,
    reply packets are seen for exactly the NAT connections. Three 10 MiB downloads (one per method) intact.

Prints `PASS name` / `FAIL name: reason` per check and ends with `e2e-dr-tun: N passed, M failed`; exits
non-zero on any failure; always tears the lab down. Every loop is bounded in count and time.
"""
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import (CLIENT_IP, NS_CLIENT, NS_DIR, NS_ROUTER, NS_RS, Appliance, Report, netns, run_suite, suite_args,  # noqa: E402
                 parse_counters, parse_stats, pseudo_random_bytes, run, scenario)

VIP = "10.99.2.100"
PORT = 80
GUE_PORT = 6080
RS = {"rs1": "10.99.2.11", "rs2": "10.99.2.12", "rs3": "10.99.2.13"}
SERVICE = f"-t {VIP}:{PORT}"
DOWNLOAD = 10 * 1024 * 1024
IP_MTU = 14  # socket option (linux/in.h); not every Python names it
# Each scenario connects from its own client address: after a few thousand connections the client's kernel
# reuses source ports, and a port that an earlier scenario used may still have its entry on the director (IPVS
# keeps the entries of a deleted service until they expire, and a new SYN on one in FIN_WAIT follows it).
SOURCES = {"dr": "10.99.1.11", "ipip": "10.99.1.12", "gue": "10.99.1.13", "mixed": "10.99.1.14",
           "mtu_dr": "10.99.1.15", "mtu_ipip": "10.99.1.16"}
SMALL_MTU = 1400  # the router's client-side MTU in small_client_mtu
source = {"address": CLIENT_IP}
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
IP_BIND_ADDRESS_NO_PORT = 24
# the dual-stack routed lab (lab.sh): the VIP6 on each real server's lo and tunnel endpoint
VIP6 = "2001:db8:99:2::100"
RS6 = {"rs1": "2001:db8:99:2::11", "rs2": "2001:db8:99:2::12", "rs3": "2001:db8:99:2::13"}
SERVICE6 = f"-t '[{VIP6}]:{PORT}'"  # quoted: Karaf's console reads a bare [..] as a list
SOURCES6 = {"dr6": "2001:db8:99:1::21", "ipip6": "2001:db8:99:1::22", "gue6": "2001:db8:99:1::23",
            "mtu_dr6": "2001:db8:99:1::24", "mtu_ipip6": "2001:db8:99:1::25"}


# ---------------------------------------------------------------- traffic

def get(path, timeout=5.0, pad=0, df=True):
    """One HTTP GET to VIP:80 on a new connection (Connection: close), from the calling thread's namespace.
    `pad` adds a header of that many bytes (a request larger than one segment); df=False clears DF on the
    connection's packets. Returns (status, body, local port, path MTU the socket saw)."""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        if not df:
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
        # the port is then chosen at connect() as without bind(): per destination, not at random
        s.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
        s.bind((source["address"], 0))
        s.connect((VIP, PORT))
        port = s.getsockname()[1]
        extra = f"X-Pad: {'p' * pad}\r\n" if pad else ""
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {VIP}\r\n{extra}Connection: close\r\n\r\n".encode())
        chunks = []
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"GET {path}: no end after {timeout}s")
            d = s.recv(1 << 18)
            if not d:
                break
            chunks.append(d)
        mtu = s.getsockopt(socket.IPPROTO_IP, IP_MTU) if df else None
    data = b"".join(chunks)
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        raise RuntimeError(f"GET {path}: incomplete response ({len(data)} bytes)")
    lines = head.decode("latin-1").split("\r\n")
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length" and int(v) != len(body):
            raise RuntimeError(f"GET {path}: body {len(body)} bytes, Content-Length {int(v)}")
    return int(lines[0].split()[1]), body, port, mtu


def requests(n, time_limit):
    """n GET / on new connections. Returns ({server: count}, {client port: server}, errors)."""
    counts, served, errors = {}, {}, []
    deadline = time.monotonic() + time_limit
    with netns(NS_CLIENT):
        for i in range(n):
            if time.monotonic() > deadline:
                errors.append(f"time limit {time_limit}s reached after {i} requests")
                break
            try:
                status, body, port, _ = get("/")
                name = body.decode(errors="replace").strip() if status == 200 else f"HTTP{status}"
                counts[name] = counts.get(name, 0) + 1
                served[port] = name
            except Exception as e:  # counted; the loop stays bounded by n and time
                errors.append(f"request {i}: {e!r}")
                if len(errors) >= 20:
                    errors.append("stopped after 20 errors")
                    break
    return counts, served, errors


DIRECTOR_IP = "10.99.2.1"  # the director's own address in the routed lab: the capture's fence goes there
FENCE_PORT = 9  # discard


class Capture:
    """tcpdump on the director's interface for the service's TCP packets (requests and replies), and for the
    fence: a UDP datagram from the client to the director's own address, sent after the traffic. It takes the
    traffic's path (client, router, director), so once it is in the file every earlier packet is too."""

    def __init__(self):
        self.file = tempfile.NamedTemporaryFile(prefix="jlvs-dr-tun-", suffix=".pcap", delete=False).name
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", NS_DIR, "tcpdump", "-i", "eth0", "-nn", "--immediate-mode", "-U", "-B", "16384", "-s", "96", "-w", self.file,
             f"(host {VIP} and tcp port {PORT}) or (udp and dst host {DIRECTOR_IP} and dst port {FENCE_PORT})"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # tcpdump says "listening on" once its filter is in place
            line = self.proc.stderr.readline()
            if "listening on" in line or not line:
                break
        return self

    def fence(self, timeout=120):
        """Sends the fence and waits until the capture holds it (packet-buffered file: -U)."""
        deadline = time.monotonic() + timeout
        with netns(NS_CLIENT), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            while time.monotonic() < deadline:
                s.sendto(b"fence", (DIRECTOR_IP, FENCE_PORT))
                out = run(["tcpdump", "-nn", "-r", self.file, f"udp and dst port {FENCE_PORT}"], timeout=60, check=False)
                if f"> {DIRECTOR_IP}.{FENCE_PORT}:" in out:
                    return
                time.sleep(0.2)
        raise RuntimeError(f"the capture's fence did not arrive within {timeout} s")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=5)
        m = re.search(r"(\d+) packets? dropped by kernel", err or "")
        self.dropped = int(m.group(1)) if m else None

    def packets(self):
        """(requests, {client port: reply packets}) seen; requests counts the director's own sends too."""
        out = run(["tcpdump", "-nn", "-r", self.file], timeout=60, check=False)
        os.unlink(self.file)
        req, replies = 0, {}
        for line in out.splitlines():
            m = re.search(r" IP (\S+) > (\S+?):", line)
            if not m:
                continue
            src, dst = m.groups()
            if src == f"{VIP}.{PORT}":
                port = int(dst.rsplit(".", 1)[1])
                replies[port] = replies.get(port, 0) + 1
            elif dst == f"{VIP}.{PORT}":
                req += 1
        return req, replies


# ---------------------------------------------------------------- checks

def configure(d, rep, name, servers, want):
    """Replaces the service: lvs:add-service -s rr and one lvs:add-server per (ip, options). The scenario's
    connections come from its own client address from now on."""
    source["address"] = SOURCES[name]
    existing = d.cli("lvs:list -n")
    cmds = [f"lvs:delete-service {SERVICE}"] if re.search(rf"TCP\s+{re.escape(VIP)}:{PORT}\b", existing) else []
    cmds.append(f"lvs:add-service {SERVICE} -s rr")
    cmds += [f"lvs:add-server {SERVICE} -r {ip}:{PORT} {opts} -w 1" for ip, opts in servers]
    d.cli(*cmds)
    text = d.cli("lvs:list -n --tun-info")
    missing = [w for w in want if not re.search(w, text)]
    rep.check(f"{name}_configured", not missing, f"lvs:list -n --tun-info lacks {missing}:\n{text}",
              " | ".join(line.strip() for line in text.splitlines() if "->" in line and "Remote" not in line))


def spread_and_no_replies(d, rep, name, n=1000, time_limit=120):
    """n new connections: all served, rr 1/3 each, stats match, and the director sees no reply."""
    before = parse_stats(d.cli("lvs:list -n --stats"))
    t0 = time.monotonic()
    with Capture() as cap:
        counts, _, errors = requests(n, time_limit)
        cap.fence()
    took = time.monotonic() - t0
    seen_requests, replies = cap.packets()
    ok = sum(v for k, v in counts.items() if k in RS)
    rep.check(f"{name}_{n}_new_connections", ok == n and not errors,
              f"{ok}/{n} succeeded; counts {counts}; errors {errors[:5]}",
              f"{n} requests in {took:.1f}s ({n / took:.0f} conn/s); by server {dict(sorted(counts.items()))}")
    each = n / len(RS)
    bad = {k: counts.get(k, 0) for k in RS if abs(counts.get(k, 0) - each) > 5}
    rep.check(f"{name}_round_robin", not bad, f"out of {each:.0f}±5: {bad} (all {counts})")
    rep.check(f"{name}_no_reply_through_director", seen_requests >= n and not replies and cap.dropped == 0,
              f"capture on {NS_DIR} eth0: {seen_requests} request packets, reply packets for "
              f"{len(replies)} connections ({sum(replies.values())} packets), {cap.dropped} dropped by the kernel",
              f"director saw {seen_requests} request packets and 0 reply packets")
    after = parse_stats(d.cli("lvs:list -n --stats"))
    key = f"TCP {VIP}:{PORT}"
    mismatch = {}
    for rs, ip in RS.items():
        dst = f"{ip}:{PORT}"
        old = before.get(key, {}).get("servers", {}).get(dst, (0,) * 5)
        new = after.get(key, {}).get("servers", {}).get(dst)
        delta = None if new is None else new[0] - old[0]
        if delta != counts.get(rs, 0):
            mismatch[dst] = f"conns +{delta}, served {counts.get(rs, 0)}"
    rep.check(f"{name}_stats_match", not mismatch, f"per real server: {mismatch}")


def download(rep, name):
    want = hashlib.sha256(pseudo_random_bytes(DOWNLOAD)).hexdigest()
    with netns(NS_CLIENT):
        t0 = time.monotonic()
        status, body, _, _ = get(f"/bytes/{DOWNLOAD}", timeout=60)
        took = time.monotonic() - t0
    got = hashlib.sha256(body).hexdigest()
    rep.check(f"{name}_download_10mb_intact", status == 200 and len(body) == DOWNLOAD and got == want,
              f"status {status}, {len(body)} bytes, sha256 {got[:16]} != {want[:16]}",
              f"10 MiB in {took:.2f}s ({DOWNLOAD * 8 / took / 1e6:.0f} Mbit/s)")


def frag_needed(d, rep, name, mtu):
    """A request whose first segment fills the client's 1500-byte MTU, with DF: the tunnel cannot carry it, so
    the client must get ICMP fragmentation-needed from the VIP advertising `mtu`, lower its path MTU and succeed."""
    run(["ip", "-n", NS_CLIENT, "route", "flush", "cache"], timeout=10)
    before = parse_counters(d.cli("lvs:counters"))
    icmps = []
    with netns(NS_CLIENT):
        icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        try:
            icmp.settimeout(0.2)
            status, body, _, path_mtu = get("/", timeout=10, pad=3000)
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                try:
                    data, src = icmp.recvfrom(2048)
                except socket.timeout:
                    break
                ihl = (data[0] & 0x0F) * 4
                icmps.append((src[0], data[ihl], data[ihl + 1], int.from_bytes(data[ihl + 6:ihl + 8], "big")))
        finally:
            icmp.close()
    wanted = [i for i in icmps if i[1:3] == (3, 4)]
    rep.check(f"{name}_df_too_big_gets_frag_needed", wanted and all(i == (VIP, 3, 4, mtu) for i in wanted),
              f"ICMP seen by the client (source, type, code, mtu): {icmps}",
              f"ICMP from {VIP}: type 3 code 4, next-hop MTU {mtu}")
    rep.check(f"{name}_request_then_fits", status == 200 and body.strip().decode() in RS and path_mtu == mtu,
              f"status {status}, body {body[:20]!r}, socket path MTU {path_mtu}",
              f"the client lowered its path MTU to {path_mtu} and was served by {body.strip().decode()}")
    after = parse_counters(d.cli("lvs:counters"))
    sent = after.get("frag_needed_sent", 0) - before.get("frag_needed_sent", 0)
    rep.check(f"{name}_frag_needed_counted", sent >= 1, f"frag_needed_sent +{sent}")


def fragments_without_df(d, rep, name):
    """The same large request with DF clear: the director sends the tunnel packet in fragments, the real
    server's kernel reassembles them before the tunnel endpoint decapsulates."""
    run(["ip", "-n", NS_CLIENT, "route", "flush", "cache"], timeout=10)
    before = parse_counters(d.cli("lvs:counters"))
    with netns(NS_CLIENT):
        status, body, _, _ = get("/", timeout=10, pad=3000, df=False)
    after = parse_counters(d.cli("lvs:counters"))
    frags = after.get("fragments_sent", 0) - before.get("fragments_sent", 0)
    rep.check(f"{name}_no_df_too_big_fragmented", status == 200 and body.strip().decode() in RS and frags >= 2,
              f"status {status}, body {body[:20]!r}, fragments_sent +{frags}",
              f"served by {body.strip().decode()}; fragments_sent +{frags}")


def get6(source6, path, timeout=10.0):
    """One HTTP GET to [VIP6]:80 from `source6` on a new connection: (status, body)."""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.bind((source6, 0))
        s.connect((VIP6, PORT))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: [{VIP6}]\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"GET {path}: no end after {timeout}s")
            data = s.recv(1 << 18)
            if not data:
                break
            chunks.append(data)
    head, sep, body = b"".join(chunks).partition(b"\r\n\r\n")
    if not sep:
        raise RuntimeError(f"GET {path}: incomplete response")
    return int(head.split()[1]), body


def over_ipv6(d, rep, name, opts, want_method):
    """The routed service again on the VIP6, with IPv6 real servers: rr spread of 300 new connections, the
    servers' replies straight to the client (their source is the VIP6), and a 10 MiB download."""
    existing = d.cli("lvs:list -n")
    cmds = [f"lvs:delete-service {SERVICE6}"] if f"[{VIP6}]:{PORT}" in existing else []
    cmds.append(f"lvs:add-service {SERVICE6} -s rr")
    cmds += [f"lvs:add-server {SERVICE6} -r '[{ip}]:{PORT}' {opts} -w 1" for ip in RS6.values()]
    d.cli(*cmds)
    text = d.cli("lvs:list -n")
    missing = [ip for ip in RS6.values() if not re.search(rf"->\s+\[{re.escape(ip)}\]:{PORT}\s+{want_method}\s", text)]
    rep.check(f"{name}_configured", not missing, f"lvs:list -n lacks {missing}:\n{text}")
    counts, errors = {}, []
    with netns(NS_CLIENT):
        for i in range(300):
            try:
                status, body = get6(SOURCES6[name], "/")
                key = body.decode(errors="replace").strip() if status == 200 else f"HTTP{status}"
                counts[key] = counts.get(key, 0) + 1
            except Exception as e:  # counted; bounded by the count and by 20 errors
                errors.append(f"request {i}: {e!r}")
                if len(errors) >= 20:
                    break
        size = DOWNLOAD
        want = hashlib.sha256(pseudo_random_bytes(size)).hexdigest()
        try:
            status, body = get6(SOURCES6[name], f"/bytes/{size}", timeout=60)
            got = hashlib.sha256(body).hexdigest() if status == 200 else None
        except Exception as e:
            got = repr(e)
    # ±5 as for IPv4: a client port reused while its entry is in FIN_WAIT follows that entry's server
    rep.check(f"{name}_300_spread", not errors and all(abs(counts.get(k, 0) - 100) <= 5 for k in RS),
              f"counts {counts}; errors {errors[:5]}", f"by server {dict(sorted(counts.items()))}")
    rep.check(f"{name}_download_10mb_intact", got == want, f"download: {got}")


@scenario
def ipv6_methods(d, rep):
    for address in SOURCES6.values():
        run(["ip", "-n", NS_CLIENT, "-6", "addr", "add", f"{address}/64", "dev", "eth0", "nodad"], timeout=10)
    over_ipv6(d, rep, "dr6", "-g", "Route")
    over_ipv6(d, rep, "ipip6", "-i", "Tunnel")
    over_ipv6(d, rep, "gue6", f"-i --tun-type gue --tun-port {GUE_PORT}", "Tunnel")
    # The router's client-side MTU at 1400: its Packet Too Big about the servers' 1500-byte replies goes to the
    # VIP6, i.e. to the director, which passes it on to the connection's real server (DR: to its MAC; TUN: in
    # the tunnel); IPv6 routers never fragment, so without it the download stalls.
    run(["ip", "-n", NS_ROUTER, "link", "set", "eth0", "mtu", str(SMALL_MTU)], timeout=10)
    try:
        for name, opts, method in (("mtu_dr6", "-g", "Route"), ("mtu_ipip6", "-i", "Tunnel")):
            for ns in NS_RS:
                run(["ip", "-n", ns, "-6", "route", "flush", "cache"], timeout=10)
            before = parse_counters(d.cli("lvs:counters"))
            over_ipv6(d, rep, name, opts, method)
            after = parse_counters(d.cli("lvs:counters"))
            forwarded = sum(after.get(k, 0) - before.get(k, 0) for k in ("icmp_errors_forwarded", "icmp6_errors_forwarded"))
            rep.check(f"{name}_packet_too_big_forwarded", forwarded >= 1,
                      f"ICMP errors forwarded +{forwarded} (counters {after})",
                      f"ICMP errors forwarded +{forwarded}: the router's Packet Too Big reached the real server")
    finally:
        run(["ip", "-n", NS_ROUTER, "link", "set", "eth0", "mtu", "1500"], timeout=10)


# ---------------------------------------------------------------- scenarios

@scenario
def direct_routing(d, rep):
    configure(d, rep, "dr", [(ip, "-g") for ip in RS.values()],
              [rf"->\s+{re.escape(ip)}:{PORT}\s+Route\s+n/a\s+1\b" for ip in RS.values()])
    spread_and_no_replies(d, rep, "dr")
    download(rep, "dr")


@scenario
def tunnel_ipip(d, rep):
    configure(d, rep, "ipip", [(ip, "-i") for ip in RS.values()],
              [rf"->\s+{re.escape(ip)}:{PORT}\s+Tunnel\s+ipip\s+1\b" for ip in RS.values()])
    spread_and_no_replies(d, rep, "ipip")
    download(rep, "ipip")
    frag_needed(d, rep, "ipip", 1480)
    fragments_without_df(d, rep, "ipip")


@scenario
def tunnel_gue(d, rep):
    configure(d, rep, "gue", [(ip, f"-i --tun-type gue --tun-port {GUE_PORT}") for ip in RS.values()],
              [rf"->\s+{re.escape(ip)}:{PORT}\s+Tunnel\s+gue:{GUE_PORT}:-c\s+1\b" for ip in RS.values()])
    spread_and_no_replies(d, rep, "gue")
    download(rep, "gue")
    frag_needed(d, rep, "gue", 1468)
    fragments_without_df(d, rep, "gue")


@scenario
def mixed_methods(d, rep):
    configure(d, rep, "mixed", [(RS["rs1"], "-m"), (RS["rs2"], "-g"), (RS["rs3"], "-i")],
              [rf"->\s+{re.escape(RS['rs1'])}:{PORT}\s+Masq\b", rf"->\s+{re.escape(RS['rs2'])}:{PORT}\s+Route\b",
               rf"->\s+{re.escape(RS['rs3'])}:{PORT}\s+Tunnel\s+ipip\b"])
    n = 900
    with Capture() as cap:
        counts, served, errors = requests(n, 120)
        cap.fence()
    _, replies = cap.packets()
    ok = sum(v for k, v in counts.items() if k in RS)
    rep.check("mixed_900_new_connections", ok == n and not errors, f"{ok}/{n}; {counts}; {errors[:5]}",
              f"by server {dict(sorted(counts.items()))}")
    bad = {k: counts.get(k, 0) for k in RS if abs(counts.get(k, 0) - 300) > 5}
    rep.check("mixed_300_each", not bad, f"out of 300±5: {bad} (all {counts})")
    nat_ports = {p for p, name in served.items() if name == "rs1"}
    rep.check("mixed_only_nat_replies_through_director", set(replies) == nat_ports and nat_ports,
              f"replies seen for {len(replies)} connections, NAT (rs1) served {len(nat_ports)}; "
              f"replies of DR/TUN connections: {len(set(replies) - nat_ports)}; capture dropped {cap.dropped}; "
              f"NAT connections without replies (index in order): "
              f"{[i for i, p in enumerate(served) if p in nat_ports - set(replies)]}",
              f"reply packets seen for exactly the {len(nat_ports)} NAT connections")

    before = parse_stats(d.cli("lvs:list -n --stats"))
    for _ in range(3):  # rr: one download per method
        download(rep, "mixed")
    after = parse_stats(d.cli("lvs:list -n --stats"))
    key = f"TCP {VIP}:{PORT}"
    deltas = {dst: after[key]["servers"][dst][0] - before[key]["servers"][dst][0] for dst in after[key]["servers"]}
    nat_out = after[key]["servers"][f"{RS['rs1']}:{PORT}"][2] - before[key]["servers"][f"{RS['rs1']}:{PORT}"][2]
    rep.check("mixed_one_download_per_method", set(deltas.values()) == {1} and nat_out >= DOWNLOAD // 1500,
              f"connections per server {deltas}; NAT out packets +{nat_out}",
              f"NAT, DR and TUN one download each; the NAT one passed the director ({nat_out} packets out)")


@scenario
def small_client_mtu(d, rep):
    """The router's client-side MTU at 1400: the real servers' 1500-byte replies (DF, from the VIP) make the
    router send "fragmentation needed" to the VIP, i.e. to the director. The director passes it on to the
    connection's real server (DR: to its MAC; TUN: in the tunnel), whose kernel lowers its path MTU, and a
    10 MiB download through DR and through TUN completes."""
    run(["ip", "-n", NS_ROUTER, "link", "set", "eth0", "mtu", str(SMALL_MTU)], timeout=10)
    try:
        for name, opts in (("mtu_dr", "-g"), ("mtu_ipip", "-i")):
            configure(d, rep, name, [(ip, opts) for ip in RS.values()], [])
            for ns in NS_RS:
                run(["ip", "-n", ns, "route", "flush", "cache"], timeout=10)
            before = parse_counters(d.cli("lvs:counters"))
            download(rep, name)
            after = parse_counters(d.cli("lvs:counters"))
            forwarded = after.get("icmp_errors_forwarded", 0) - before.get("icmp_errors_forwarded", 0)
            rep.check(f"{name}_frag_needed_forwarded", forwarded >= 1,
                      f"icmp_errors_forwarded +{forwarded} (counters {after})",
                      f"icmp_errors_forwarded +{forwarded}: the router's frag-needed reached the real server")
    finally:
        run(["ip", "-n", NS_ROUTER, "link", "set", "eth0", "mtu", "1500"], timeout=10)


@scenario
def kernel_state(d, rep):
    addrs = run(["ip", "-n", NS_DIR, "addr"], timeout=10)
    fwd = run(["ip", "netns", "exec", NS_DIR, "sysctl", "-n", "net.ipv4.ip_forward"], timeout=10).strip()
    rep.check("director_kernel_untouched", VIP not in addrs and fwd == "0", f"ip_forward={fwd}; addresses:\n{addrs}")


# ---------------------------------------------------------------- main

def sends_visible_to_tcpdump():
    """The mixed-methods check counts the director's own sends with tcpdump on its interface: the AF_PACKET
    PacketIo's queueing-discipline bypass hides them from every tap, so this run sends through the qdisc
    (director.sh copies lab/director-etc/ into etc/). Returns an undo."""
    etc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "director-etc")
    cfg = os.path.join(etc, "org.jlvs.packetio.afpacket.cfg")
    existed = os.path.isdir(etc)
    os.makedirs(etc, exist_ok=True)
    with open(cfg, "w") as f:
        f.write("# written by lab/e2e_dr_tun.py for its run: tcpdump sees the director's sends\nqdisc_bypass = false\n")

    def undo():
        os.remove(cfg)
        if not existed:
            os.rmdir(etc)
    return undo


def main():
    args = suite_args(__doc__, "e2e_dr_tun.py")
    d = Appliance()

    def start():
        for address in SOURCES.values():
            run(["ip", "-n", NS_CLIENT, "addr", "add", f"{address}/24", "dev", "eth0"], timeout=10)
        undo = sends_visible_to_tcpdump()
        try:
            d.start()
        finally:
            undo()
    return run_suite(Report("e2e-dr-tun"), d, (direct_routing, tunnel_ipip, tunnel_gue, mixed_methods, small_client_mtu,
                                                ipv6_methods, kernel_state),
                     lab=("up", "routed"), start=start, diagnostics=("lvs:counters",), keep=args.keep)

if __name__ == "__main__":
    sys.exit(main())
