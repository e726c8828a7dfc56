#!/usr/bin/env python3
"""End-to-end tests of the jlvs appliance in the network-namespace lab (python3 stdlib; run as root).

    lab/e2e.py              brings the lab up, starts the built appliance in jlvs-dir, runs the scenarios
    lab/e2e.py --standin    the same scenarios against the kernel's nftables DNAT in jlvs-dir (validates the lab
                            and the tests themselves; appliance-only checks are skipped)

Prints `PASS name` / `FAIL name: reason` per check (`SKIP name: reason` for the stand-in), details on indented
lines, then `e2e: N passed, M failed` (`, K skipped` when some were skipped). Exits non-zero on any failure.
The lab is always torn down (try/finally, SIGTERM/SIGHUP handled); every loop is bounded in count and time and
every socket has a timeout.
"""
import argparse
import ctypes
import hashlib
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import time
from contextlib import contextmanager

LAB = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(LAB)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, LAB)
from realserver import pseudo_random_bytes  # noqa: E402  (the generator the real servers use)

# LAB_NS_PREFIX (default jlvs) names the namespaces, as in lab.sh.
NS_PREFIX = os.environ.get("LAB_NS_PREFIX", "jlvs")
NS_CLIENT = f"{NS_PREFIX}-client"
NS_DIR = f"{NS_PREFIX}-dir"
NS_ROUTER = f"{NS_PREFIX}-router"
NS_RS = [f"{NS_PREFIX}-rs{i}" for i in (1, 2, 3)]
VIP = "10.99.1.100"
CLIENT_IP = "10.99.1.2"
RS = {"rs1": "10.99.2.11", "rs2": "10.99.2.12", "rs3": "10.99.2.13"}
HTTP_PORT = 80
UDP_PORT = 7
REFUSED_PORT = 81  # a service with no real server
UDP_REFUSED_PORT = 82  # a UDP service with no real server (icmp_rate_limit)
BIG_DATAGRAM = 3000
# the dual-stack lab (lab.sh): the same services over IPv6
VIP6 = "2001:db8:99:1::100"
RS6 = {"rs1": "2001:db8:99:2::11", "rs2": "2001:db8:99:2::12", "rs3": "2001:db8:99:2::13"}
PERSIST6_PORT = 8081
CLONE_NEWNET = 0x40000000


# ---------------------------------------------------------------- helpers

def run(cmd, timeout=60, input=None, check=True):
    """Runs a command (list), returns its stdout; raises with the output on failure."""
    p = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {(p.stdout + p.stderr).strip()[-800:]}")
    return p.stdout


_libc = ctypes.CDLL(None, use_errno=True)


@contextmanager
def netns(name):
    """Moves the calling thread into a named network namespace; sockets made inside stay there."""
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open(f"/var/run/netns/{name}", os.O_RDONLY)
    try:
        if _libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {name}")
        try:
            yield
        finally:
            if _libc.setns(own, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(target)
        os.close(own)


def link_mac(ns, dev):
    info = json.loads(run(["ip", "-n", ns, "-j", "link", "show", dev]))
    return bytes.fromhex(info[0]["address"].replace(":", ""))


def http_get(path="/", addr=(VIP, HTTP_PORT), timeout=5.0):
    """One request on a new connection (Connection: close). Returns (status, body)."""
    deadline = time.monotonic() + timeout
    with socket.create_connection(addr, timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {addr[0]}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"GET {path}: no end after {timeout}s")
            d = s.recv(1 << 18)
            if not d:
                break
            chunks.append(d)
    data = b"".join(chunks)
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        raise RuntimeError(f"GET {path}: incomplete response ({len(data)} bytes)")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length" and int(v) != len(body):
            raise RuntimeError(f"GET {path}: body {len(body)} bytes, Content-Length {int(v)}")
    return status, body


def count_backends(n, time_limit, addr=(VIP, HTTP_PORT)):
    """n GET / on new connections from the client. Returns (counts by body, errors list)."""
    counts, errors = {}, []
    deadline = time.monotonic() + time_limit
    with netns(NS_CLIENT):
        for i in range(n):
            if time.monotonic() > deadline:
                errors.append(f"time limit {time_limit}s reached after {i} requests")
                break
            try:
                status, body = http_get("/", addr=addr, timeout=5.0)
                name = body.decode(errors="replace").strip() if status == 200 else f"HTTP{status}"
                counts[name] = counts.get(name, 0) + 1
            except Exception as e:  # counted, the loop goes on (bounded by n and time)
                errors.append(f"request {i}: {e!r}")
                if len(errors) >= 20:
                    errors.append("stopped after 20 errors")
                    break
    return counts, errors


def parse_num(tok):
    """ipvsadm prints numbers >= 1e8 as e.g. 1234M unless --exact."""
    mult = {"K": 1000, "M": 1000 ** 2, "G": 1000 ** 3, "T": 1000 ** 4}
    if tok and tok[-1] in mult:
        return int(tok[:-1]) * mult[tok[-1]]
    return int(tok)


def parse_stats(text):
    """Parses `lvs:list -n --stats` (ipvsadm layout) into {"TCP 10.99.1.100:80": {"total": (...),
    "servers": {"10.99.2.11:80": (conns, inpkts, outpkts, inbytes, outbytes)}}}."""
    services, current = {}, None
    svc_re = re.compile(r"^(TCP|UDP|SCTP|FWM)\s+(\S+)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s*$")
    dst_re = re.compile(r"^\s+->\s+(\S+)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s+(\d+[KMGT]?)\s*$")
    for line in text.splitlines():
        m = svc_re.match(line)
        if m:
            current = f"{m.group(1)} {m.group(2)}"
            services[current] = {"total": tuple(parse_num(x) for x in m.groups()[2:]), "servers": {}}
            continue
        m = dst_re.match(line)
        if m and current:
            services[current]["servers"][m.group(1)] = tuple(parse_num(x) for x in m.groups()[1:])
    return services


def parse_counters(text):
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and re.fullmatch(r"-?\d+", parts[1]):
            out[parts[0]] = int(parts[1])
    return out


# ---------------------------------------------------------------- directors

class Appliance:
    """The built Karaf distribution, driven through lab/director.sh and its console."""
    name = "appliance"
    standin = False

    def start(self):
        p = subprocess.run(["bash", os.path.join(LAB, "director.sh"), "start"], capture_output=True, text=True,
                           timeout=int(os.environ.get("DIRECTOR_WAIT", "300")) + 100)
        if p.returncode != 0:
            raise RuntimeError("director.sh start failed:\n" + (p.stdout + p.stderr)[-3000:])

    def stop(self):
        subprocess.run(["bash", os.path.join(LAB, "director.sh"), "stop"], capture_output=True, timeout=60)

    def log_tail(self):
        return run(["bash", os.path.join(LAB, "director.sh"), "log", "60"], check=False, timeout=10)

    def cli(self, *commands):
        return run(["bash", os.path.join(LAB, "director.sh"), "cli"], input="\n".join(commands) + "\n", timeout=90)

    @staticmethod
    def _svc(proto, port):
        return f"-{'t' if proto == 'tcp' else 'u'} {VIP}:{port}"

    def _add_service(self, proto, port):
        return f"lvs:add-service {self._svc(proto, port)} -s rr"

    def _add_server(self, proto, port, rs_ip, rs_port):
        return f"lvs:add-server {self._svc(proto, port)} -r {rs_ip}:{rs_port} -m -w 1"

    def configure(self, services, servers):
        """One console session for the whole configuration (each client call starts a JVM)."""
        self.cli(*[self._add_service(*s) for s in services], *[self._add_server(*r) for r in servers])

    def delete_server(self, proto, port, rs_ip, rs_port):
        self.cli(f"lvs:delete-server {self._svc(proto, port)} -r {rs_ip}:{rs_port}")

    def listing(self):
        return self.cli("lvs:list -n")

    def stats(self):
        return parse_stats(self.cli("lvs:list -n --stats"))

    def counters(self):
        return parse_counters(self.cli("lvs:counters"))


class NftStandIn:
    """The kernel's nftables DNAT in jlvs-dir (ip_forward=1, numgen round robin), standing in for the appliance
    so the lab and the tests can be validated before the appliance exists. The client gets a static ARP entry
    for the VIP, since nobody answers ARP for it."""
    name = "nft stand-in"
    standin = True
    TABLE = "jlvs_standin"

    def __init__(self):
        self.services = {}  # (proto, port) -> [(ip, port)]

    def start(self):
        # icmp_ratelimit=0: the kernel's per-peer limit (1/s) would otherwise delay the port-unreachable answer
        run(["ip", "netns", "exec", NS_DIR, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.icmp_ratelimit=0"])
        mac = link_mac(NS_DIR, "eth0").hex(":")
        run(["ip", "-n", NS_CLIENT, "neigh", "replace", VIP, "lladdr", mac, "dev", "eth0", "nud", "permanent"])
        self._apply()

    def stop(self):
        subprocess.run(["ip", "netns", "exec", NS_DIR, "nft", "delete", "table", "ip", self.TABLE], capture_output=True, timeout=10)
        subprocess.run(["ip", "netns", "exec", NS_DIR, "sysctl", "-qw", "net.ipv4.ip_forward=0", "net.ipv4.icmp_ratelimit=1000"],
                       capture_output=True, timeout=10)
        subprocess.run(["ip", "-n", NS_CLIENT, "neigh", "del", VIP, "dev", "eth0"], capture_output=True, timeout=10)

    def log_tail(self):
        return run(["ip", "netns", "exec", NS_DIR, "nft", "list", "ruleset"], check=False, timeout=10)

    def _apply(self):
        pre, fwd = [], []
        for (proto, port), servers in sorted(self.services.items()):
            match = f"ip daddr {VIP} {proto} dport {port}"
            if not servers:
                fwd.append(f"{match} reject with icmp type port-unreachable")
                continue
            entries = ", ".join(f"{i} : {ip} . {p}" for i, (ip, p) in enumerate(servers))
            pre.append(f"{match} dnat ip addr . port to numgen inc mod {len(servers)} map {{ {entries} }}")
        # ICMP echo to the VIP is answered by the first real server, translated back by conntrack
        first = next((s[0][0] for s in self.services.values() if s), None)
        if first:
            pre.append(f"ip daddr {VIP} icmp type echo-request dnat to {first}")
        rules = (f"table ip {self.TABLE} {{}}\ndelete table ip {self.TABLE}\n"
                 f"table ip {self.TABLE} {{\n"
                 f"  chain vs_pre {{ type nat hook prerouting priority dstnat; policy accept;\n    "
                 + "\n    ".join(pre) + "\n  }\n"
                 f"  chain vs_fwd {{ type filter hook forward priority filter; policy accept;\n    "
                 + "\n    ".join(fwd) + "\n  }\n}\n")
        run(["ip", "netns", "exec", NS_DIR, "nft", "-f", "-"], input=rules, timeout=10)

    def configure(self, services, servers):
        for proto, port in services:
            self.services.setdefault((proto, port), [])
        for proto, port, rs_ip, rs_port in servers:
            self.services[(proto, port)].append((rs_ip, rs_port))
        self._apply()

    def delete_server(self, proto, port, rs_ip, rs_port):
        self.services[(proto, port)].remove((rs_ip, rs_port))
        self._apply()

    def listing(self):
        return None

    def stats(self):
        return None

    def counters(self):
        return None


# ---------------------------------------------------------------- results

class Report:
    """PASS/FAIL lines and the closing `<title>: N passed, M failed` line that CI reads."""
    def __init__(self, title="e2e"):
        self.title = title
        self.passed = self.failed = self.skipped = 0

    def ok(self, name, detail=None):
        self.passed += 1
        print(f"PASS {name}", flush=True)
        if detail:
            print(f"    {detail}", flush=True)

    def fail(self, name, reason):
        self.failed += 1
        print(f"FAIL {name}: {reason}", flush=True)

    def skip(self, name, reason):
        self.skipped += 1
        print(f"SKIP {name}: {reason}", flush=True)

    def check(self, name, cond, reason, detail=None):
        if cond:
            self.ok(name, detail)
        else:
            self.fail(name, reason)
        return cond

    def summary(self):
        line = f"{self.title}: {self.passed} passed, {self.failed} failed"
        if self.skipped:
            line += f", {self.skipped} skipped"
        print(line, flush=True)


def scenario(fn):
    """Runs one scenario; an exception fails it without stopping the others."""
    def wrapper(d, rep):
        try:
            fn(d, rep)
        except Exception as e:
            rep.fail(fn.__name__, f"{type(e).__name__}: {e}")
    wrapper.__name__ = fn.__name__
    return wrapper


# ---------------------------------------------------------------- scenarios

@scenario
def configure(d, rep):
    services = [("tcp", HTTP_PORT), ("udp", UDP_PORT), ("tcp", REFUSED_PORT)]  # no real server for the last
    servers = [(proto, port, ip, port) for proto, port in services[:2] for ip in RS.values()]
    d.configure(services, servers)
    text = d.listing()
    if text is None:
        rep.ok("configure")
        return
    want = [rf"TCP\s+{re.escape(VIP)}:{HTTP_PORT}\s+rr", rf"UDP\s+{re.escape(VIP)}:{UDP_PORT}\s+rr"]
    want += [rf"->\s+{re.escape(ip)}:{HTTP_PORT}\s+Masq\s+1\b" for ip in RS.values()]
    missing = [w for w in want if not re.search(w, text)]
    rep.check("configure", not missing, f"lvs:list -n lacks {missing}:\n{text}")


def kernel_state(d, rep, when):
    addrs = run(["ip", "-n", NS_DIR, "addr"], timeout=10)
    rep.check(f"no_vip_on_director_{when}", VIP not in addrs, f"{VIP} is configured in {NS_DIR}:\n{addrs}")
    fwd = run(["ip", "netns", "exec", NS_DIR, "sysctl", "-n", "net.ipv4.ip_forward"], timeout=10).strip()
    if d.standin:
        rep.skip(f"ip_forward_off_{when}", f"the stand-in needs ip_forward=1 (is {fwd})")
    else:
        rep.check(f"ip_forward_off_{when}", fwd == "0", f"ip_forward={fwd} in {NS_DIR}")


@scenario
def kernel_state_before(d, rep):
    kernel_state(d, rep, "before")


@scenario
def json_listings(d, rep):
    """--json on the listings gives JSON a machine can read, with the same numbers."""
    if not hasattr(d, "cli"):
        rep.skip("json_listings", "no console on the stand-in")
        return
    try:
        listing = json.loads(d.cli("lvs:list -n --json"))
        counters = json.loads(d.cli("lvs:counters --json"))
        web = [s for s in listing["services"] if s["protocol"] == "tcp" and s["port"] == HTTP_PORT
               and s["address"] == VIP]
        ok = (listing["format"] == "jlvs-list" and len(web) == 1 and web[0]["stats"]["conns"] > 0
              and counters.get("frames_in", 0) > 0)
        rep.check("json_listings", ok, f"unexpected JSON: {listing} {counters}",
                  f"{len(listing['services'])} services, {web[0]['stats']['conns'] if web else 0} TCP conns")
    except (ValueError, KeyError) as e:
        rep.check("json_listings", False, f"not JSON: {e}")


@scenario
def kernel_state_after(d, rep):
    kernel_state(d, rep, "after")


@scenario
def tcp_round_robin(d, rep):
    n = 1000
    before = d.stats()
    t0 = time.monotonic()
    counts, errors = count_backends(n, time_limit=120)
    took = time.monotonic() - t0
    ok_total = sum(v for k, v in counts.items() if k in RS)
    rep.check("tcp_1000_new_connections", ok_total == n and not errors,
              f"{ok_total}/{n} succeeded; counts {counts}; errors {errors[:5]}",
              f"{n} requests in {took:.2f}s ({n / took:.0f} conn/s); by server {dict(sorted(counts.items()))}")
    bad = {k: counts.get(k, 0) for k in RS if abs(counts.get(k, 0) - 333) > 5}
    rep.check("tcp_round_robin_333_each", not bad, f"out of 333±5: {bad} (all {counts})")
    if before is None:
        rep.skip("tcp_stats_match", "no lvs:list --stats on the stand-in")
        return
    after = d.stats()
    key = f"TCP {VIP}:{HTTP_PORT}"
    if key not in after:
        rep.fail("tcp_stats_match", f"no {key} in lvs:list -n --stats: {after}")
        return
    mismatch = {}
    for name, ip in RS.items():
        dst = f"{ip}:{HTTP_PORT}"
        old = before.get(key, {}).get("servers", {}).get(dst, (0,) * 5)
        new = after[key]["servers"].get(dst)
        delta = None if new is None else new[0] - old[0]
        if delta != counts.get(name, 0):
            mismatch[dst] = f"conns +{delta}, served {counts.get(name, 0)}"
    rep.check("tcp_stats_match", not mismatch, f"per real server: {mismatch}",
              f"stats {key}: {after[key]}")


@scenario
def download_10mb(d, rep):
    n = 10 * 1024 * 1024
    want = hashlib.sha256(pseudo_random_bytes(n)).hexdigest()
    with netns(NS_CLIENT):
        t0 = time.monotonic()
        status, body = http_get(f"/bytes/{n}", timeout=60)
        took = time.monotonic() - t0
    got = hashlib.sha256(body).hexdigest()
    rep.check("download_10mb_intact", status == 200 and len(body) == n and got == want,
              f"status {status}, {len(body)} bytes, sha256 {got[:16]} != {want[:16]}",
              f"10 MiB in {took:.2f}s ({n * 8 / took / 1e6:.0f} Mbit/s)")


@scenario
def udp_echo(d, rep):
    sockets, per_socket = 10, 100
    lost, wrong_src, wrong_data, sources = 0, 0, 0, set()
    deadline = time.monotonic() + 60
    with netns(NS_CLIENT):
        socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(sockets)]
        try:
            for s in socks:
                s.settimeout(1.0)
            for i in range(per_socket):
                for j, s in enumerate(socks):
                    if time.monotonic() > deadline or lost > 20:
                        raise RuntimeError(f"stopped: {lost} lost so far, time left {deadline - time.monotonic():.0f}s")
                    payload = f"jlvs {j} {i} ".encode().ljust(64, b".")
                    s.sendto(payload, (VIP, UDP_PORT))
                    try:
                        data, src = s.recvfrom(2048)
                    except socket.timeout:
                        lost += 1
                        continue
                    sources.add(src)
                    wrong_src += src != (VIP, UDP_PORT)
                    wrong_data += data != payload
        finally:
            for s in socks:
                s.close()
    total = sockets * per_socket
    rep.check("udp_1000_echoed", lost == 0 and wrong_data == 0,
              f"{lost} of {total} lost, {wrong_data} with other data")
    rep.check("udp_replies_from_vip", wrong_src == 0 and sources,
              f"{wrong_src} replies from other sources: {sorted(sources)}")


@scenario
def icmp_echo(d, rep):
    p = subprocess.run(["ip", "netns", "exec", NS_CLIENT, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", VIP],
                       capture_output=True, text=True, timeout=20)
    summary = [line for line in p.stdout.splitlines() if "packets transmitted" in line]
    rep.check("icmp_echo_vip", p.returncode == 0, f"ping exited {p.returncode}: {p.stdout.strip()[-300:]}",
              summary[0] if summary else None)


@scenario
def ipv6_configure(d, rep):
    """The same NAT services on the IPv6 VIP, written as ipvsadm writes IPv6: [address]:port."""
    if d.standin:
        rep.skip("ipv6_configure", "IPv6 is tested on the appliance only")
        return
    # quoted: Karaf's console reads a bare [..] as a list
    d.cli(f"lvs:add-service -t '[{VIP6}]:{HTTP_PORT}' -s rr", f"lvs:add-service -u '[{VIP6}]:{UDP_PORT}' -s rr",
          *[f"lvs:add-server -t '[{VIP6}]:{HTTP_PORT}' -r '[{ip}]:{HTTP_PORT}' -m -w 1" for ip in RS6.values()],
          *[f"lvs:add-server -u '[{VIP6}]:{UDP_PORT}' -r '[{ip}]:{UDP_PORT}' -m -w 1" for ip in RS6.values()])
    text = d.listing()
    want = [rf"TCP\s+\[{re.escape(VIP6)}\]:{HTTP_PORT}\s+rr", rf"UDP\s+\[{re.escape(VIP6)}\]:{UDP_PORT}\s+rr"]
    want += [rf"->\s+\[{re.escape(ip)}\]:{HTTP_PORT}\s+Masq\s+1\b" for ip in RS6.values()]
    missing = [w for w in want if not re.search(w, text)]
    rep.check("ipv6_configure", not missing, f"lvs:list -n lacks {missing}:\n{text}")


@scenario
def ipv6_vip_answers(d, rep):
    """The VIP6 is on no interface: the appliance answers the client's Neighbour Solicitation and its ping6."""
    if d.standin:
        rep.skip("ipv6_ping_vip", "IPv6 is tested on the appliance only")
        return
    p = subprocess.run(["ip", "netns", "exec", NS_CLIENT, "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                        VIP6], capture_output=True, text=True, timeout=20)
    summary = [line for line in p.stdout.splitlines() if "packets transmitted" in line]
    rep.check("ipv6_ping_vip", p.returncode == 0, f"ping -6 exited {p.returncode}: {p.stdout.strip()[-300:]}",
              summary[0] if summary else None)
    neigh = run(["ip", "-n", NS_CLIENT, "-6", "neigh", "show", VIP6], timeout=10)
    mac = link_mac(NS_DIR, "eth0").hex(":")
    rep.check("ipv6_neighbour_solicitation_answered", mac in neigh.lower(),
              f"the client's neighbour entry for {VIP6} is {neigh.strip()!r}, not the director's {mac}",
              f"client: {neigh.strip()}")
    addrs = run(["ip", "-n", NS_DIR, "-6", "addr"], timeout=10)
    rep.check("ipv6_no_vip_on_director", VIP6 not in addrs, f"{VIP6} is configured in {NS_DIR}:\n{addrs}")


@scenario
def ipv6_nat(d, rep):
    """NAT over IPv6: round robin spread and counts, a 10 MiB download, UDP echo from the VIP6."""
    if d.standin:
        rep.skip("ipv6_tcp_round_robin", "IPv6 is tested on the appliance only")
        return
    n = 300
    counts, errors = count_backends(n, time_limit=120, addr=(VIP6, HTTP_PORT))
    bad = {k: counts.get(k, 0) for k in RS if counts.get(k, 0) != n // 3}
    rep.check("ipv6_tcp_round_robin", not errors and not bad, f"counts {counts}; errors {errors[:5]}",
              f"{n} requests over IPv6; by server {dict(sorted(counts.items()))}")
    stats = d.stats()
    key = f"TCP [{VIP6}]:{HTTP_PORT}"
    served = {ip: stats.get(key, {}).get("servers", {}).get(f"[{ip}]:{HTTP_PORT}", (0,))[0] for ip in RS6.values()}
    rep.check("ipv6_stats_match", all(v == n // 3 for v in served.values()), f"conns per server {served}: {stats}")
    size = 10 * 1024 * 1024
    want = hashlib.sha256(pseudo_random_bytes(size)).hexdigest()
    with netns(NS_CLIENT):
        t0 = time.monotonic()
        status, body = http_get(f"/bytes/{size}", addr=(VIP6, HTTP_PORT), timeout=60)
        took = time.monotonic() - t0
    got = hashlib.sha256(body).hexdigest()
    rep.check("ipv6_download_10mb_intact", status == 200 and len(body) == size and got == want,
              f"status {status}, {len(body)} bytes, sha256 {got[:16]} != {want[:16]}",
              f"10 MiB over IPv6 in {took:.2f}s")
    lost, wrong = 0, 0
    with netns(NS_CLIENT):
        socks = [socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) for _ in range(3)]
        try:
            for s in socks:
                s.settimeout(1.0)
            for i in range(100):
                for j, s in enumerate(socks):
                    payload = f"jlvs6 {j} {i} ".encode().ljust(64, b".")
                    s.sendto(payload, (VIP6, UDP_PORT))
                    try:
                        data, src = s.recvfrom(2048)
                    except socket.timeout:
                        lost += 1
                        if lost > 20:
                            raise RuntimeError(f"{lost} datagrams lost")
                        continue
                    wrong += data != payload or src[:2] != (VIP6, UDP_PORT)
        finally:
            for s in socks:
                s.close()
    rep.check("ipv6_udp_300_echoed_from_vip", lost == 0 and wrong == 0, f"{lost} of 300 lost, {wrong} wrong")
    # persistence by the client's /64 (-M 64): six connections, one real server; the template is listed
    d.cli(f"lvs:add-service -t '[{VIP6}]:{PERSIST6_PORT}' -s rr -M 64 -p 300",
          *[f"lvs:add-server -t '[{VIP6}]:{PERSIST6_PORT}' -r '[{ip}]:{HTTP_PORT}' -m -w 1" for ip in RS6.values()])
    got = count_backends(6, time_limit=60, addr=(VIP6, PERSIST6_PORT))[0]
    conns = d.cli(f"lvs:connections -t '[{VIP6}]:{PERSIST6_PORT}'")
    template = [line for line in conns.splitlines() if "NONE" in line and f"[{VIP6}]:{PERSIST6_PORT}" in line]
    rep.check("ipv6_persistent_client_keeps_its_server", len(got) == 1 and sum(got.values()) == 6 and template,
              f"served by {got}; templates {template} in:\n{conns}",
              f"six connections, all to {list(got)}; template {template[0].split() if template else None}")


@scenario
def refused_without_server(d, rep):
    with netns(NS_CLIENT):
        t0 = time.monotonic()
        try:
            # long enough for SYN retransmits: only an ICMP port unreachable (or a reset) ends it "refused"
            with socket.create_connection((VIP, REFUSED_PORT), timeout=10.0):
                outcome = "connected"
        except ConnectionRefusedError:
            outcome = "refused"
        except socket.timeout:
            outcome = "timed out"
        except OSError as e:
            outcome = f"error {e!r}"
        took = time.monotonic() - t0
    rep.check("tcp_refused_without_real_server", outcome == "refused",
              f"{outcome} after {took:.2f}s", f"refused after {took * 1000:.0f} ms")


def malformed_frames(count, dst_mac, src_mac, seed=7):
    """Yields `count` malformed IPv4 frames addressed to the VIP (several kinds, deterministic)."""
    rnd = random.Random(seed)
    eth = dst_mac + src_mac + b"\x08\x00"
    src_ip, dst_ip = socket.inet_aton(CLIENT_IP), socket.inet_aton(VIP)

    def csum(b):
        if len(b) % 2:
            b += b"\0"
        s = sum(struct.unpack(f"!{len(b) // 2}H", b))
        s = (s >> 16) + (s & 0xFFFF)
        s += s >> 16
        return (~s) & 0xFFFF

    def iphdr(total, proto=6, ver_ihl=0x45, extra=b""):
        h = struct.pack("!BBHHHBBH4s4s", ver_ihl, 0, total, rnd.getrandbits(16), 0x4000, 64, proto, 0, src_ip, dst_ip) + extra
        return h[:10] + struct.pack("!H", csum(h)) + h[12:]

    def tcp(doff, flags=0x02, size=20):
        t = struct.pack("!HHIIBBHHH", rnd.randint(1024, 65535), HTTP_PORT, rnd.getrandbits(32), 0, doff << 4, flags, 65535, 0, 0)
        return (t + bytes(size))[:size]

    kinds = [
        lambda: bytes([0x45]) + bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 18))),  # truncated IP header
        lambda: iphdr(40, ver_ihl=0x40 | rnd.randint(0, 4)) + tcp(5),                            # IHL < 5
        lambda: iphdr(44, ver_ihl=0x4F) + tcp(5, size=4),                                        # IHL beyond packet
        lambda: iphdr(rnd.randint(100, 1500)) + tcp(5),                                          # total length > frame
        lambda: iphdr(rnd.randint(0, 19)) + tcp(5),                                              # total length < header
        lambda: bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 80))),                    # random bytes
        lambda: iphdr(40) + tcp(rnd.choice([0, 1, 2, 3, 4])),                                     # TCP data offset < 5
        lambda: iphdr(40) + tcp(rnd.choice([6, 10, 15])),                                        # TCP data offset > segment
        lambda: iphdr(28) + tcp(5, size=8),                                                      # TCP header truncated
        lambda: iphdr(28, proto=17) + struct.pack("!HHHH", rnd.randint(1024, 65535), UDP_PORT,
                                                  rnd.choice([0, 4, 200]), 0),                   # UDP length wrong
        lambda: iphdr(24, proto=17) + b"\x00\x07\x00",                                           # UDP header truncated
        lambda: iphdr(40, ver_ihl=0x65) + tcp(5),                                                # version 6 in an IPv4 frame
    ]
    for i in range(count):
        yield eth + kinds[i % len(kinds)]()


@scenario
def malformed_flood(d, rep):
    n, time_limit = 20000, 30
    before = d.counters()
    dst_mac, src_mac = link_mac(NS_DIR, "eth0"), link_mac(NS_CLIENT, "eth0")
    frames = list(malformed_frames(n, dst_mac, src_mac))
    sent = 0
    deadline = time.monotonic() + time_limit
    with netns(NS_CLIENT):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        try:
            s.settimeout(1.0)
            s.bind(("eth0", 0))
            for i, f in enumerate(frames):
                if time.monotonic() > deadline:
                    break
                try:
                    s.send(f)
                    sent += 1
                except OSError:  # ENOBUFS under pressure: back off briefly, the loop stays bounded
                    time.sleep(0.001)
                if i % 500 == 499:
                    time.sleep(0.002)  # let the receiver drain; the flood is about content, not rate
        finally:
            s.close()
    rep.check("malformed_flood_sent", sent >= n * 0.95, f"only {sent} of {n} frames sent",
              f"{sent} malformed frames sent")
    time.sleep(0.5)
    counts, errors = count_backends(30, time_limit=30)
    ok = sum(v for k, v in counts.items() if k in RS)
    rep.check("forwarding_after_flood", ok == 30 and not errors, f"{ok}/30 requests succeeded: {errors[:3]}")
    if before is None:
        rep.skip("dropped_malformed_grew", "no lvs:counters on the stand-in")
        return
    after = d.counters()
    grown = after.get("dropped_malformed", 0) - before.get("dropped_malformed", 0)
    frames_in = after.get("frames_in", 0) - before.get("frames_in", 0)
    changed = {k: v - before.get(k, 0) for k, v in sorted(after.items()) if v != before.get(k, 0)}
    rep.check("dropped_malformed_grew", "dropped_malformed" in after and grown >= 0.9 * sent,
              f"dropped_malformed {before.get('dropped_malformed')} -> {after.get('dropped_malformed')}",
              f"dropped_malformed +{grown}, frames_in +{frames_in}; counters that moved: {changed}")
    rep.check("no_exception_in_flood", after.get("exceptions", -1) == 0,
              f"exceptions {after.get('exceptions')}: a decoder threw (see karaf.log)", "exceptions 0")


def reset_all(socks):
    """Closes with RST (SO_LINGER 0): no FIN_WAIT or TIME_WAIT sockets left in the client namespace."""
    for s in socks:
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        except OSError:
            pass


def ip_checksum(header):
    s = sum(struct.unpack(f"!{len(header) // 2}H", header))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return (~s) & 0xFFFF


def udp_frame(dst_mac, src_mac, src_ip, dst_ip, sport, dport, payload=b"x" * 16):
    """An Ethernet/IPv4/UDP frame (UDP checksum 0: none) from any source address, for an AF_PACKET socket."""
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(payload), 0, 0, 64, 17, 0, socket.inet_aton(src_ip),
                    socket.inet_aton(dst_ip))
    h = h[:10] + struct.pack("!H", ip_checksum(h)) + h[12:]
    return dst_mac + src_mac + b"\x08\x00" + h + struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


@scenario
def fragmented_udp_echo(d, rep):
    """A 3,000-byte datagram (fragmented by the client's kernel for the 1500-byte MTU) is reassembled by the
    director, forwarded (in fragments again) to a real server, and its echo comes back the same way."""
    before = d.counters()
    payload = bytes(pseudo_random_bytes(BIG_DATAGRAM))
    with netns(NS_CLIENT):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(3.0)
            data, src = None, None
            for _ in range(3):  # a datagram may be lost; the check is that one comes back whole
                s.sendto(payload, (VIP, UDP_PORT))
                try:
                    data, src = s.recvfrom(65535)
                    break
                except socket.timeout:
                    continue
        finally:
            s.close()
    rep.check("udp_3000_bytes_echoed", data == payload and src == (VIP, UDP_PORT),
              f"answer {None if data is None else len(data)} bytes from {src}", f"{len(payload)} bytes back from {src}")
    if before is None:
        rep.skip("udp_3000_reassembled", "no lvs:counters on the stand-in")
        return
    after = d.counters()
    done = after.get("fragments_reassembled", 0) - before.get("fragments_reassembled", 0)
    rep.check("udp_3000_reassembled", done >= 2, f"fragments_reassembled +{done}",
              f"fragments_reassembled +{done} (request and echo), fragments_in "
              f"+{after.get('fragments_in', 0) - before.get('fragments_in', 0)}")


@scenario
def icmp_rate_limit(d, rep):
    """10,000 datagrams from one source in about a second to a UDP service without real servers get at most
    the kernel's rate limit of port unreachables (a burst of 6, then one a second); datagrams from
    255.255.255.255, 224.0.0.1 and 0.0.0.0 get none."""
    if d.counters() is None:
        rep.skip("icmp_rate_limited", "the stand-in has no such service")
        return
    d.cli(f"lvs:add-service -u {VIP}:{UDP_REFUSED_PORT} -s rr")
    n, replies = 10_000, 0
    with netns(NS_CLIENT):
        icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            icmp.setblocking(False)
            t0 = time.monotonic()
            for i in range(n):
                u.sendto(b"anyone?", (VIP, UDP_REFUSED_PORT))
                if i % 1000 == 999:
                    time.sleep(max(0.0, t0 + (i + 1) / n - time.monotonic()))  # about 10,000 in one second
            sent_in = time.monotonic() - t0
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                try:
                    pkt, src = icmp.recvfrom(2048)
                except BlockingIOError:
                    time.sleep(0.05)
                    continue
                ihl = (pkt[0] & 0x0F) * 4
                if src[0] == VIP and pkt[ihl] == 3 and pkt[ihl + 1] == 3:
                    replies += 1
        finally:
            u.close()
            icmp.close()
    limit = 6 + int(sent_in + 2.0) + 1  # the burst, then one a second while sending and waiting
    rep.check("icmp_rate_limited", 1 <= replies <= limit, f"{replies} port unreachables for {n} datagrams in "
              f"{sent_in:.2f}s (at most {limit})", f"{replies} port unreachables for {n} datagrams in {sent_in:.2f}s")
    before = d.counters()
    dst_mac, src_mac = link_mac(NS_DIR, "eth0"), link_mac(NS_CLIENT, "eth0")
    with netns(NS_CLIENT):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        try:
            s.bind(("eth0", 0))
            for source in ("255.255.255.255", "224.0.0.1", "0.0.0.0"):
                for i in range(100):
                    s.send(udp_frame(dst_mac, src_mac, source, VIP, 5000 + i, UDP_REFUSED_PORT))
        finally:
            s.close()
    # an outcome, not a pause: until the director has seen all 300 (or a generous minute went by)
    deadline = time.monotonic() + 60
    while True:
        after = d.counters()
        unreach = after.get("port_unreachable_sent", 0) - before.get("port_unreachable_sent", 0)
        martian = after.get("dropped_martian", 0) - before.get("dropped_martian", 0)
        if martian >= 300 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    rep.check("no_icmp_to_broadcast_multicast_zero", unreach == 0 and martian == 300,
              f"port_unreachable_sent +{unreach}, dropped_martian +{martian} for 300 datagrams",
              f"300 datagrams from 255.255.255.255, 224.0.0.1, 0.0.0.0: no ICMP, dropped_martian +{martian}")
    d.cli(f"lvs:delete-service -u {VIP}:{UDP_REFUSED_PORT}")


@scenario
def delete_server(d, rep):
    d.delete_server("tcp", HTTP_PORT, RS["rs3"], HTTP_PORT)
    counts, errors = count_backends(100, time_limit=60)
    ok = sum(v for k, v in counts.items() if k in RS)
    rep.check("after_delete_all_succeed", ok == 100 and not errors, f"{ok}/100: {errors[:3]}")
    rep.check("after_delete_only_two_servers", counts.get("rs3", 0) == 0 and counts.get("rs1", 0) > 0 and counts.get("rs2", 0) > 0,
              f"served by {counts}", f"served by {dict(sorted(counts.items()))}")


# ---------------------------------------------------------------- main

class Interrupted(BaseException):
    pass


def on_signal(signum, frame):
    raise Interrupted(f"signal {signum}")


def suite_args(doc, prog, extra=None):
    """The command line every lab suite shares (--tarball, --keep); refuses to run without root."""
    ap = argparse.ArgumentParser(prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarball", help="the distribution to test (default: newest karaf-distribution/target/jlvs-*.tar.gz)")
    ap.add_argument("--keep", action="store_true", help="debugging only: leave the lab and director running")
    if extra:
        extra(ap)
    args = ap.parse_args()
    if os.geteuid() != 0:
        print(f"{prog}: run as root", file=sys.stderr)
        sys.exit(2)
    if args.tarball:
        os.environ["DIRECTOR_TARBALL"] = os.path.abspath(args.tarball)
    return args


def run_suite(rep, d, scenarios, lab=("up",), start=None, teardown=None, diagnostics=(), keep=False):
    """The frame of every lab suite: the lab up, the appliance started (`start`, default d.start), each
    scenario(d, rep) run with an exception failing only that scenario, the director's state printed when
    something failed, and a teardown that a second signal cannot cut short. Returns the exit code."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    t_start = time.monotonic()
    try:
        try:
            run(["bash", os.path.join(LAB, "lab.sh"), *lab], timeout=180)
            (start or d.start)()
        except Exception as e:
            rep.fail("start", str(e))
        else:
            rep.ok("start", f"lab and appliance up after {time.monotonic() - t_start:.0f}s")
            for sc in scenarios:
                name = getattr(sc, "__name__", "scenario")
                t = time.monotonic()
                try:
                    sc(d, rep)
                except Exception as e:
                    rep.fail(name, f"{type(e).__name__}: {e}")
                print(f"    {name}: {time.monotonic() - t:.0f}s", flush=True)
            if rep.failed:
                print("---- director diagnostics", flush=True)
                try:
                    for command in diagnostics:
                        print(d.cli(command), flush=True)
                    print(d.log_tail(), flush=True)
                except Exception as e:
                    print(f"(none: {e})")
    except (Interrupted, KeyboardInterrupt) as e:
        rep.fail("interrupted", str(e) or "SIGINT")
    finally:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        if teardown:
            try:
                teardown()
            except Exception as e:
                print(f"teardown: {e}", file=sys.stderr)
        if not keep:
            try:
                d.stop()
            except Exception as e:
                print(f"teardown: director stop: {e}", file=sys.stderr)
            try:
                subprocess.run(["bash", os.path.join(LAB, "lab.sh"), "down"], capture_output=True, timeout=120)
            except Exception as e:
                print(f"teardown: lab down: {e}", file=sys.stderr)
        print(f"    total {time.monotonic() - t_start:.0f}s", flush=True)
        rep.summary()
    return 1 if rep.failed else 0


def main():
    args = suite_args(__doc__, "e2e.py", lambda ap: ap.add_argument(
        "--standin", action="store_true", help="test the kernel's nftables DNAT instead of the appliance"))
    d = NftStandIn() if args.standin else Appliance()
    print(f"e2e against the {d.name}", flush=True)
    return run_suite(Report(), d, (configure, kernel_state_before, tcp_round_robin, download_10mb, udp_echo,
                                   fragmented_udp_echo, icmp_echo, ipv6_configure, ipv6_vip_answers, ipv6_nat,
                                   refused_without_server, icmp_rate_limit,
                                   malformed_flood, delete_server,
                                   json_listings, kernel_state_after), keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
