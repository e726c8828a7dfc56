#!/usr/bin/env python3
"""Director failover against a real keepalived (Debian's keepalived 2.2.7, only a vrrp_instance block) in the
`lab.sh up vrrp` topology: the jlvs distribution with feature jlvs-ha in jlvs-dir, keepalived in jlvs-ka, one VRRP
instance (VI_1, VRID 51, VIP 10.99.4.100, adverts every 1 s). tcpdump on the bridge records every advert and
gratuitous ARP; every duration below is taken from those capture timestamps.

  1. jlvs 150 master, keepalived 100 backup: jlvs's adverts are well-formed (TTL 255, checksum over the
     pseudo-header, the interface MAC, 224.0.0.18) and it sent 5 + 5 gratuitous ARPs 5 s apart; a flood of
     2,000 forged adverts of priority 254 (bad checksum, TTL, VRID, address list; to jlvs's MAC only) changes no
     state and each fault is counted;
  2. kill -9 of jlvs's JVM: keepalived's first advert 3.61 s +- 0.1 s after jlvs's last;
  3. jlvs restarted (bin/start): it takes the role back; keepalived sends nothing after jlvs's first advert;
  4. bin/stop of jlvs: keepalived master 0.61 s +- 0.1 s after jlvs's priority-0 advert;
  5-8. the same the other way: keepalived 150 master, jlvs 100 backup; kill -9 of keepalived (3.61 s), keepalived
     restarted takes the role back, SIGTERM of keepalived (0.61 s);
  9. split brain: VRRP cut on the bridge (nftables), both become master; restored, one master remains within one
     advert interval;
  10-12. IPv6 (RFC 5798 over IPv6): keepalived restarted with an IPv6 instance only (VI_6, VRID 51, VIP6
     2001:db8:99:4::100), jlvs given one too (etc/org.jlvs.vrrp.instance-VI_6.cfg, priority 150, taken up
     live): jlvs's IPv6 adverts from its link-local address to ff02::12 are VRRP v3 to tshark with a good
     checksum and no expert warning, and keepalived at 100 stays backup; kill -9 of jlvs: keepalived's first
     IPv6 advert Master_Down (3.61 s +- 0.1 s) after jlvs's last; jlvs restarted takes the role back and sends
     5 unsolicited Neighbour Advertisements for the VIP6 (well-formed to tshark: Override, its MAC);
  13. keepalived's log has no line rejecting an advert.
  Metrics (feature jlvs-metrics, installed while jlvs is master, before the flood): the keepalived exporter's
  series show the real state at three points: master (keepalived_vrrp_state 2, promtool accepts the scrape,
  adverts sent between two scrapes equal to jlvs's adverts in the capture between them; after the flood the
  fault counters equal lvs:vrrp's), backup behind keepalived after the restart (state 1, nothing
  sent, adverts received between two scrapes equal to keepalived's in the capture; the dashboard's VRRP row
  says BACKUP), and master again after keepalived's kill -9 (state 2, become_master 1; the dashboard says MASTER).

Prints PASS/FAIL per check and `e2e-ha: N passed, M failed`. About 2.5 minutes (three starts of the appliance).
"""
import glob
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time

LAB = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
import e2e  # noqa: E402  (run, Report, Appliance, suite_args, run_suite)
import metrics_lab  # noqa: E402
from e2e import run  # noqa: E402

P = e2e.NS_PREFIX
VIP6 = "2001:db8:99:4::100"
NS_DIR, NS_KA, NS_SW = f"{P}-dir", f"{P}-ka", f"{P}-sw"
WORK = os.path.join(LAB, ".work", "ha")
J_IP, K_IP, VIP = "10.99.4.1", "10.99.4.2", "10.99.4.100"
VRID = 51
MASTER_DOWN_100 = 3 + 156 / 256  # 3 x 1 s + skew of priority 100: 3.609 s
SKEW_100 = 156 / 256
TOLERANCE = 0.1
REJECTIONS = re.compile(r"(?i)invalid|mismatch|not present|too short|wrong")


# ---------------------------------------------------------------- the capture

class Capture:
    """tcpdump on the bridge (every port's frames), read back as adverts and ARPs with their timestamps."""
    def __init__(self):
        self.path = os.path.join(WORK, "vrrp.pcap")
        self.proc = None

    def start(self):
        # libpcap's "vrrp" is IPv4's protocol 112 only; the IPv6 adverts and the Neighbour Advertisements beside it
        self.proc = subprocess.Popen(["ip", "netns", "exec", NS_SW, "tcpdump", "-Z", "root", "-i", "brv", "-U", "-n",
                                      "-w", self.path, "vrrp or arp or ip6 proto 112 or icmp6[0] == 136"], stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(WORK, "tcpdump.log"), "w"))
        log = os.path.join(WORK, "tcpdump.log")
        deadline = time.monotonic() + 120
        # tcpdump says "listening on" once it captures (its filter set), then writes the file's header
        while time.monotonic() < deadline and not ("listening on" in open(log).read()
                                                   and os.path.exists(self.path) and os.path.getsize(self.path) >= 24):
            time.sleep(0.1)

    def stop(self):
        end(self.proc)

    def packets(self):
        """[(time, dict)] for every VRRP advert and ARP frame captured so far."""
        out = []
        with open(self.path, "rb") as f:
            data = f.read()
        if len(data) < 24:
            return out
        endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
        nano = data[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
        off = 24
        while off + 16 <= len(data):
            sec, frac, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
            frame = data[off + 16:off + 16 + incl]
            off += 16 + incl
            if len(frame) < incl:
                break  # a record still being written
            t = sec + frac / (1e9 if nano else 1e6)
            p = decode(frame)
            if p:
                out.append((t, p))
        return out

    def adverts(self, src=None, after=0.0, before=float("inf")):
        return [(t, p) for t, p in self.packets() if p["kind"] in ("vrrp", "vrrp6") and (src is None or p["src"] == src)
                and after < t < before]

    def neighbour_adverts(self, sender_mac, after=0.0):
        return [(t, p) for t, p in self.packets() if p["kind"] == "na" and p["eth_src"] == sender_mac and t > after]

    def garps(self, sender_mac, after=0.0):
        return [(t, p) for t, p in self.packets() if p["kind"] == "arp" and p["garp"] and p["eth_src"] == sender_mac
                and t > after]


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def ip4(b):
    return ".".join(str(x) for x in b)


def decode(frame):
    if len(frame) < 14:
        return None
    eth_dst, eth_src, etype = frame[0:6].hex(":"), frame[6:12].hex(":"), struct.unpack("!H", frame[12:14])[0]
    if etype == 0x0806 and len(frame) >= 42:
        op = struct.unpack("!H", frame[20:22])[0]
        return {"kind": "arp", "eth_src": eth_src, "op": op, "sender": ip4(frame[28:32]), "target": ip4(frame[38:42]),
                "garp": frame[28:32] == frame[38:42]}
    if etype == 0x86dd:
        return decode6(frame, eth_src, eth_dst)
    if etype != 0x0800 or len(frame) < 34 or frame[23] != 112:
        return None
    ihl = (frame[14] & 0x0f) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    v = frame[14 + ihl:14 + total]
    if len(v) < 8:
        return None
    src, dst = frame[26:30], frame[30:34]
    pseudo = src + dst + bytes([0, 112]) + struct.pack("!H", len(v))
    return {"kind": "vrrp", "eth_src": eth_src, "eth_dst": eth_dst, "src": ip4(src), "dst": ip4(dst),
            "ttl": frame[22], "version": v[0] >> 4, "type": v[0] & 0x0f, "vrid": v[1], "prio": v[2], "count": v[3],
            "interval": struct.unpack("!H", v[4:6])[0] & 0x0fff, "addresses": [ip4(v[8 + 4 * i:12 + 4 * i]) for i in range(v[3])],
            "checksum_pseudo_ok": csum(pseudo + v) == 0xffff}


def ip6(b):
    return socket.inet_ntop(socket.AF_INET6, bytes(b))


def decode6(frame, eth_src, eth_dst):
    """An IPv6 VRRP advert (kind vrrp6) or Neighbour Advertisement (kind na), without extension headers."""
    if len(frame) < 54:
        return None
    nh, hop = frame[20], frame[21]
    src, dst, payload = frame[22:38], frame[38:54], frame[54:54 + struct.unpack("!H", frame[18:20])[0]]
    if nh == 58 and len(payload) >= 24 and payload[0] == 136:
        return {"kind": "na", "eth_src": eth_src, "src": ip6(src), "dst": ip6(dst), "hop": hop,
                "target": ip6(payload[8:24]), "flags": payload[4]}
    if nh != 112 or len(payload) < 8:
        return None
    v = payload
    pseudo = src + dst + struct.pack("!IxxxB", len(v), 112)
    return {"kind": "vrrp6", "eth_src": eth_src, "eth_dst": eth_dst, "src": ip6(src), "dst": ip6(dst), "ttl": hop,
            "version": v[0] >> 4, "type": v[0] & 0x0f, "vrid": v[1], "prio": v[2], "count": v[3],
            "interval": struct.unpack("!H", v[4:6])[0] & 0x0fff,
            "addresses": [ip6(v[8 + 16 * i:24 + 16 * i]) for i in range(v[3])], "checksum_pseudo_ok": csum(pseudo + v) == 0xffff}


def end(proc):
    """Ends a process this suite started: TERM, then KILL after 15 s."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for(what, pred, timeout):
    """Polls pred() (bounded by timeout); returns its first true value, raises naming what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.2)
    raise RuntimeError(f"{what}: not within {timeout} s")


# ---------------------------------------------------------------- the two routers

class Keepalived:
    """keepalived in jlvs-ka with only a vrrp_instance block, its own pid files, one log for all its runs."""
    def __init__(self):
        self.log = os.path.join(WORK, "keepalived.log")
        self.proc = None
        self.runs = 0

    def start(self, priority, ipv6=False):
        self.runs += 1
        self.ipv6 = ipv6
        conf = os.path.join(WORK, f"keepalived-{self.runs}.conf")
        name, vip = ("VI_6", f"{VIP6}/64") if ipv6 else ("VI_1", f"{VIP}/24")
        with open(conf, "w") as f:
            f.write(f"""global_defs {{
    router_id {P}-ka
    vrrp_version 3
    script_user root
    enable_script_security
}}
vrrp_instance {name} {{
    state BACKUP
    interface eth0
    virtual_router_id {VRID}
    priority {priority}
    advert_int 1
    virtual_ipaddress {{
        {vip} dev eth0
    }}
}}
""")
        pids = {k: os.path.join(WORK, f"{k}.pid") for k in ("keepalived", "vrrp", "checkers", "bfd")}
        for p in pids.values():
            if os.path.exists(p):
                os.unlink(p)
        with open(self.log, "a") as log:
            log.write(f"==== run {self.runs}: {name} priority {priority}\n")
            log.flush()
            self.proc = subprocess.Popen(["ip", "netns", "exec", NS_KA, "keepalived", "-n", "-l", "-D", "-G", "-P",
                                          "-f", conf, "-p", pids["keepalived"], "-r", pids["vrrp"],
                                          "-c", pids["checkers"], "-b", pids["bfd"]],
                                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_for("keepalived's VRRP child", lambda: os.path.exists(pids["vrrp"]) and open(pids["vrrp"]).read().strip(), 30)

    def vrrp_pid(self):
        with open(os.path.join(WORK, "vrrp.pid")) as f:
            return int(f.read().strip())

    def kill9(self):
        """A hard failure: the VRRP child first, then the parent, so that no priority-0 advert leaves."""
        os.kill(self.vrrp_pid(), signal.SIGKILL)
        self.proc.kill()
        self.proc.wait(10)
        # a killed keepalived leaves its VIP behind; a dead node would not answer for it
        run(["ip", "-n", NS_KA, "addr", "del", f"{VIP}/24", "dev", "eth0"], check=False)
        run(["ip", "-n", NS_KA, "addr", "del", f"{VIP6}/64", "dev", "eth0"], check=False)

    def term(self):
        self.proc.terminate()
        self.proc.wait(30)

    def stop(self):
        end(self.proc)

    def log_text(self):
        try:
            with open(self.log) as f:
                return f.read()
        except OSError:
            return ""


class Jlvs(e2e.Appliance):
    """The distribution in jlvs-dir with feature jlvs-ha and etc/org.jlvs.vrrp.instance-VI_1.cfg."""
    def home(self):
        homes = glob.glob(os.path.join(LAB, ".work", "director", "jlvs-*"))
        if not homes:
            raise RuntimeError("no unpacked distribution")
        return homes[0]

    def write_instance(self, priority):
        with open(os.path.join(self.home(), "etc", "org.jlvs.vrrp.instance-VI_1.cfg"), "w") as f:
            f.write(f"name = VI_1\ninterface = eth0\nvirtual_router_id = {VRID}\npriority = {priority}\n"
                    f"advert_int = 1\nvirtual_ipaddress = {VIP}/24\n")

    def write_instance6(self, priority):
        with open(os.path.join(self.home(), "etc", "org.jlvs.vrrp.instance-VI_6.cfg"), "w") as f:
            f.write(f"name = VI_6\ninterface = eth0\nvirtual_router_id = {VRID}\npriority = {priority}\n"
                    f"advert_int = 1\nvirtual_ipaddress = {VIP6}/64\n")

    def karaf_log(self):
        try:
            with open(os.path.join(self.home(), "data", "log", "karaf.log")) as f:
                return f.read()
        except OSError:
            return ""

    def pids(self):
        return run(["ip", "netns", "pids", NS_DIR], check=False).split()

    def kill9(self):
        for pid in self.pids():
            os.kill(int(pid), signal.SIGKILL)
        wait_for("jlvs gone after kill -9", lambda: not self.pids(), 30)

    def bin_stop(self):
        run(["ip", "netns", "exec", NS_DIR, os.path.join(self.home(), "bin", "stop")], check=False, timeout=60)
        wait_for("jlvs gone after bin/stop", lambda: not self.pids(), 90)

    def bin_start(self):
        """A restart of the same installation: the feature and the configuration are still there."""
        starts = self.karaf_log().count("VRRP instance VI_1 (VRID")
        subprocess.run(["ip", "netns", "exec", NS_DIR, "env", f"KARAF_REDIRECT={os.path.join(LAB, '.work', 'director', 'console.out')}",
                        os.path.join(self.home(), "bin", "start")], stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        wait_for("the VRRP instance after bin/start", lambda: self.karaf_log().count("VRRP instance VI_1 (VRID") > starts, 180)


# ---------------------------------------------------------------- scenarios

K = Keepalived()
CAP = Capture()
STATE = {}


def mac_of(ns):
    return e2e.link_mac(ns, "eth0").hex(":")


def takeover(rep, name, last_from, first_from, after, expected, cause):
    """The time from `last_from`'s last advert (of priority > 0, or its priority-0 one) to `first_from`'s first."""
    first = wait_for(f"{name}: an advert from {first_from}", lambda: CAP.adverts(first_from, after=after), 20)[0][0]
    time.sleep(0.5)
    last = [t for t, p in CAP.adverts(last_from, after=after - 5, before=first)]
    if not last:
        rep.fail(name, f"no advert of {last_from} before {first_from}'s first")
        return None
    dt = first - last[-1]
    rep.check(name, abs(dt - expected) <= TOLERANCE,
              f"{dt:.4f} s from {last_from}'s last advert to {first_from}'s first (expected {expected:.3f} +- {TOLERANCE})",
              f"{cause}: {dt:.4f} s (expected {expected:.3f} s)")
    STATE.setdefault("measured", []).append((name, dt))
    return first


@e2e.scenario
def jlvs_master_keepalived_backup(d, rep):
    d.write_instance(150)
    core_starts = d.karaf_log().count("connection table: at most")  # logged when the core's director activates
    d.cli("feature:install jlvs-ha")
    wait_for("jlvs master", lambda: "VRRP instance VI_1 BACKUP -> MASTER" in d.karaf_log(), 60)
    rep.check("installing jlvs-ha leaves the data plane running", core_starts == 1
              and d.karaf_log().count("connection table: at most") == 1,
              f"the core activated {d.karaf_log().count('connection table: at most')} times")
    K.start(100)
    time.sleep(4)  # longer than keepalived's Master_Down: it would have taken over by now if it did not hear us
    t = time.time()
    ka = CAP.adverts(K_IP, after=t - 3)
    ours = CAP.adverts(J_IP, after=t - 3)
    rep.check("keepalived stays backup behind jlvs", not ka and len(ours) >= 2,
              f"{len(ka)} keepalived adverts and {len(ours)} of jlvs in the last 3 s")
    jmac = mac_of(NS_DIR)
    bad = [p for _, p in ours if not (p["ttl"] == 255 and p["checksum_pseudo_ok"] and p["dst"] == "224.0.0.18"
                                       and p["eth_dst"] == "01:00:5e:00:00:12" and p["eth_src"] == jmac and p["version"] == 3
                                       and p["type"] == 1 and p["vrid"] == VRID and p["prio"] == 150 and p["interval"] == 100
                                       and p["addresses"] == [VIP])]
    rep.check("jlvs adverts are keepalived's format", not bad, f"unexpected adverts: {bad[:2]}",
              f"TTL 255, pseudo-header checksum, from {jmac} to 224.0.0.18, VRID 51, priority 150, 1 s, {VIP}")
    first = CAP.adverts(J_IP)[0][0]
    time.sleep(max(0.0, first + 6.5 - time.time()))  # the second burst is due 5 s after the first
    garps = [t for t, p in CAP.garps(jmac) if p["sender"] == VIP]
    burst1 = [t for t in garps if t - first < 1]
    burst2 = [t for t in garps if 4 < t - first < 7]
    rep.check("jlvs sends 5 + 5 gratuitous ARPs on becoming master", len(burst1) == 5 and len(burst2) == 5,
              f"{len(burst1)} then {len(burst2)} GARPs",
              f"first burst {1000 * (burst1[0] - first):.2f} ms after the advert, second {burst2[0] - burst1[0]:.3f} s later"
              if burst1 and burst2 else None)
    periods = [b[0] - a[0] for a, b in zip(ours, ours[1:])]
    print(f"    advert period: {min(periods):.4f}..{max(periods):.4f} s" if periods else "", flush=True)


FLOOD_EACH = 500  # forged adverts per fault


def forged_advert(fault, jmac, kmac):
    """An Ethernet frame with a VRRPv3 advert of priority 254 from keepalived's address (it would take the master
    role from jlvs's 150 if accepted), to jlvs's MAC only, so that keepalived never sees it; with one fault."""
    vrid, ttl, addresses = VRID, 255, [VIP]
    if fault == "vrid":
        vrid = VRID + 1
    elif fault == "ttl":
        ttl = 64
    elif fault == "addresses":
        addresses = ["10.99.4.99"]
    body = bytes([0x31, vrid, 254, len(addresses)]) + struct.pack("!HH", 100, 0) + b"".join(
        bytes(int(x) for x in a.split(".")) for a in addresses)
    src, dst = bytes(int(x) for x in K_IP.split(".")), bytes([224, 0, 0, 18])
    c = 0xffff - csum(src + dst + bytes([0, 112]) + struct.pack("!H", len(body)) + body)
    if fault == "checksum":
        c ^= 0x5a5a
    body = body[:6] + struct.pack("!H", c) + body[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0xc0, 20 + len(body), 0, 0, ttl, 112, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", 0xffff - csum(ip)) + ip[12:]
    return bytes.fromhex(jmac.replace(":", "")) + bytes.fromhex(kmac.replace(":", "")) + b"\x08\x00" + ip + body


def vrrp_counters(d):
    doc = json.loads(next(l for l in d.cli("lvs:vrrp --json").splitlines() if l.startswith("{")))
    i = doc["instances"][0]
    return i["state"], i["counters"]


@e2e.scenario
def invalid_advert_flood(d, rep):
    """jlvs master (150): 4 x 500 forged adverts of priority 254, each with one fault (checksum, TTL, VRID, address
    list): jlvs stays master and sends on, and each fault is counted."""
    jmac, kmac = mac_of(NS_DIR), mac_of(NS_KA)
    state0, before = vrrp_counters(d)
    faults = {"checksum": "checksum_errors", "ttl": "ip_ttl_errors", "vrid": "vrid_errors",
              "addresses": "address_list_errors"}
    frames = b"".join(forged_advert(f, jmac, kmac) for f in faults for _ in range(FLOOD_EACH))
    size = len(forged_advert("ttl", jmac, kmac))
    sender = ("import socket, sys\ns = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\ns.bind(('eth0', 0))\n"
              f"data = sys.stdin.buffer.read()\nfor i in range(0, len(data), {size}):\n    s.send(data[i:i + {size}])\n")
    t = time.time()
    subprocess.run(["ip", "netns", "exec", NS_KA, sys.executable, "-c", sender], input=frames, check=True, timeout=120)

    def counted():
        state, after = vrrp_counters(d)
        return all(after.get(k, 0) - before.get(k, 0) >= FLOOD_EACH for k in faults.values()) and (state, after)
    state, after = wait_for("the forged adverts counted", counted, 60)
    time.sleep(3)  # more than an advert interval: a forged advert that was taken would show as a step down
    state, after = vrrp_counters(d)
    ours = CAP.adverts(J_IP, after=t + 0.5)
    deltas = {k: after.get(k, 0) - before.get(k, 0) for k in faults.values()}
    rep.check("a flood of invalid adverts changes no state and is counted",
              state0 == state == "MASTER" and after.get("become_master") == before.get("become_master")
              and len(ours) >= 1 and all(v >= FLOOD_EACH for v in deltas.values()),
              f"state {state0} -> {state}, become_master {before.get('become_master')} -> {after.get('become_master')}, "
              f"jlvs adverts since {len(ours)}, counted {deltas}",
              f"{4 * FLOOD_EACH} forged adverts of priority 254: still MASTER, counted {deltas}")


@e2e.scenario
def kill9_of_jlvs(d, rep):
    t = time.time()
    d.kill9()
    takeover(rep, "kill -9 of jlvs: keepalived takes over after Master_Down", J_IP, K_IP, t - 1.5, MASTER_DOWN_100,
             "jlvs's last advert -> keepalived's first")


# ---------------------------------------------------------------- metrics (feature jlvs-metrics)

def vrrp_json(d):
    return json.loads(next(l for l in d.cli("lvs:vrrp --json").splitlines() if l.startswith("{")))["instances"][0]


def state_series(text):
    """(value, labels) of keepalived_vrrp_state for VI_1's VIP."""
    labels, value = metrics_lab.one(text, "keepalived_vrrp_state", iname="VI_1", intf="eth0", vrid=str(VRID), ip_address=VIP)
    return value, labels


def counter(text, name):
    """(value, state label) of the keepalived exporter's counter `name` for VI_1."""
    labels, value = metrics_lab.one(text, name, iname="VI_1", intf="eth0", vrid=str(VRID))
    return value, (labels or {}).get("state")


def delta_against_capture(series, src, adverts=3):
    """The change of counter `series` between two scrapes, and the adverts of `src` the capture has between
    them: (delta, inner, outer), inner counting those between the end of the first scrape and the start of the
    second, outer those between the start of the first and the end of the second. A right counter has
    inner <= delta <= outer."""
    t0s = time.time()
    s1 = metrics_lab.fetch(NS_DIR, "/metrics")
    t0e = time.time()
    wait_for(f"{adverts} adverts of {src}", lambda: len(CAP.adverts(src, after=t0e)) >= adverts, 30)
    t1s = time.time()
    s2 = metrics_lab.fetch(NS_DIR, "/metrics")
    t1e = time.time()
    wait_for(f"an advert of {src} after the second scrape (the capture is written up to it)",
             lambda: CAP.adverts(src, after=t1e), 30)
    inner = len(CAP.adverts(src, after=t0e, before=t1s))
    outer = len(CAP.adverts(src, after=t0s, before=t1e))
    return counter(s2, series)[0] - counter(s1, series)[0], inner, outer


def scrape_accepted(rep, name, text):
    ok, out = metrics_lab.promtool(text)
    rep.check(name, ok, out[-800:], f"{len(text.splitlines())} lines")


@e2e.scenario
def metrics_while_master(d, rep):
    """jlvs-metrics installed on the master before the flood: it leaves VRRP running, its state is MASTER, and
    the adverts it counts as sent are the capture's. (Before the flood, so that the scenario before the kill -9
    does not end right after an advert, as this one does: a kill in the same instant as keepalived reading the
    advert delays keepalived on a loaded machine.)"""
    starts = d.karaf_log().count("VRRP instance VI_1 (VRID")
    t0 = time.monotonic()
    text = metrics_lab.install(d.cli, NS_DIR)
    print(f"    /metrics answers {time.monotonic() - t0:.0f}s after feature:install jlvs-metrics", flush=True)
    scrape_accepted(rep, "metrics: promtool accepts the scrape with the keepalived series", text)
    i = vrrp_json(d)
    value, labels = state_series(text)
    become = counter(text, "keepalived_become_master_total")
    rep.check("metrics: keepalived_vrrp_state is MASTER; installing the feature left VRRP running",
              value == 2 and i["state"] == "MASTER" and metrics_lab.one(text, "keepalived_up")[1] == 1
              and become == (1, "MASTER") and i["counters"]["become_master"] == 1
              and d.karaf_log().count("VRRP instance VI_1 (VRID") == starts,
              f"state {value} {labels}, lvs:vrrp {i['state']}, become_master {become} / {i['counters']['become_master']}",
              f"keepalived_vrrp_state{{ip_address=\"{VIP}\"}} 2, keepalived_up 1, become_master 1")
    delta, inner, outer = delta_against_capture("keepalived_advertisements_sent_total", J_IP)
    rep.check("metrics: adverts sent between two scrapes are jlvs's adverts in the capture", inner <= delta <= outer and inner >= 3,
              f"keepalived_advertisements_sent_total grew by {delta}, the capture has {inner}..{outer} adverts of jlvs",
              f"grew by {delta:.0f}; the capture has {inner}..{outer} between the scrapes")
    api = metrics_lab.api(NS_DIR, "vrrp")["instances"]
    rep.check("metrics: /api/v1/vrrp says MASTER", [x["state"] for x in api] == ["MASTER"], f"/api/v1/vrrp: {api}")


@e2e.scenario
def metrics_count_the_flood(d, rep):
    """After the flood: the exporter's fault counters and jlvs's own are lvs:vrrp's, at least the flood's."""
    text = metrics_lab.fetch(NS_DIR, "/metrics")
    i = vrrp_json(d)
    faults = {"keepalived_ip_ttl_errors_total": "ip_ttl_errors", "keepalived_address_list_errors_total": "address_list_errors"}
    exporter = {series: counter(text, series) for series in faults}
    own = {c: metrics_lab.one(text, "jlvs_vrrp_events_total", iname="VI_1", counter=c)[1]
           for c in ("checksum_errors", "vrid_errors")}
    ok = (state_series(text)[0] == 2
          and all(exporter[s] == (i["counters"][c], "MASTER") and i["counters"][c] >= FLOOD_EACH for s, c in faults.items())
          and all(own[c] == i["counters"][c] >= FLOOD_EACH for c in own))
    rep.check("metrics: after the flood the fault counters are lvs:vrrp's", ok,
              f"exporter {exporter}, own {own}, lvs:vrrp {i['counters']}",
              ", ".join(f"{s} {v[0]:.0f}" for s, v in exporter.items()) + f", jlvs_vrrp_events_total {own}")


def dashboard_vrrp_state(rep, name, want):
    # The profile is not in WORK: main() deletes WORK's files at the start.
    rows = metrics_lab.dashboard_rows_until(NS_DIR, os.path.join(LAB, ".work", "chromium-profile-ha"), "vrrp",
                                            lambda rows: [(r.get("instance"), r.get("state")) for r in rows]
                                            == [("VI_1", want)])
    rep.check(name, [(r.get("instance"), r.get("state")) for r in rows] == [("VI_1", want)], f"VRRP rows of the dashboard: {rows}",
              f"the dashboard's VRRP row: VI_1 {want}")


@e2e.scenario
def metrics_while_backup(d, rep):
    """jlvs restarted at 100 behind keepalived's 150: the feature came back with it; its series say BACKUP."""
    text = metrics_lab.wait_answering(NS_DIR)
    value, labels = state_series(text)
    sent, received = counter(text, "keepalived_advertisements_sent_total"), counter(text, "keepalived_become_master_total")
    rep.check("metrics after the restart behind keepalived: keepalived_vrrp_state is BACKUP, nothing sent",
              value == 1 and sent == (0, "BACKUP") and received == (0, "BACKUP") and vrrp_json(d)["state"] == "BACKUP",
              f"state {value} {labels}, adverts sent {sent}, become_master {received}",
              "keepalived_vrrp_state 1, advertisements_sent 0, become_master 0 (this JVM was never master)")
    delta, inner, outer = delta_against_capture("keepalived_advertisements_received_total", K_IP)
    rep.check("metrics: adverts received between two scrapes are keepalived's adverts in the capture",
              inner <= delta <= outer and inner >= 3,
              f"keepalived_advertisements_received_total grew by {delta}, the capture has {inner}..{outer} of keepalived",
              f"grew by {delta:.0f}; the capture has {inner}..{outer} between the scrapes")
    dashboard_vrrp_state(rep, "metrics: the dashboard shows VRRP BACKUP", "BACKUP")


@e2e.scenario
def metrics_after_takeover(d, rep):
    """keepalived killed: jlvs took over, once."""
    text = metrics_lab.fetch(NS_DIR, "/metrics")
    value, labels = state_series(text)
    become = counter(text, "keepalived_become_master_total")
    release = counter(text, "keepalived_release_master_total")
    rep.check("metrics after keepalived's kill -9: keepalived_vrrp_state is MASTER, become_master 1",
              value == 2 and become == (1, "MASTER") and release == (0, "MASTER"),
              f"state {value} {labels}, become_master {become}, release_master {release}",
              "keepalived_vrrp_state 2, become_master 1, release_master 0")
    dashboard_vrrp_state(rep, "metrics: the dashboard shows VRRP MASTER after the takeover", "MASTER")


def preempts_back(rep, name, restart, back_ip, back, other_ip, other):
    """`restart()` brings the higher priority back: it takes the role, and `other` sends nothing after its first advert."""
    t = time.time()
    restart()
    first = wait_for(f"{back}'s first advert after its restart",
                     lambda: [x for x in CAP.adverts(back_ip, after=t) if x[1]["prio"] == 150], 180)[0][0]
    time.sleep(3)
    later = CAP.adverts(other_ip, after=first + 0.05)
    rep.check(f"{name}: {back} takes the role back; {other} stops at its first advert", not later,
              f"{other} sent {len(later)} adverts after {back}'s first")


@e2e.scenario
def jlvs_preempts_when_back(d, rep):
    preempts_back(rep, "jlvs restarted", d.bin_start, J_IP, "jlvs", K_IP, "keepalived")
    rep.check("keepalived logged its yielding", "Entering BACKUP STATE" in K.log_text().split("==== run")[-1],
              "no 'Entering BACKUP STATE' in keepalived's log")


def graceful_takeover(rep, name, stop, stopping, stopping_ip, taking_ip, taking):
    """`stop()` makes `stopping_ip` send priority 0; `taking_ip` must advertise its skew time (0.609 s) later."""
    t = time.time()
    stop()
    zero = wait_for(f"{stopping}'s priority-0 advert",
                    lambda: [x for x in CAP.adverts(stopping_ip, after=t) if x[1]["prio"] == 0], 20)[0][0]
    first = wait_for(f"{taking}'s advert", lambda: CAP.adverts(taking_ip, after=zero), 20)[0][0]
    dt = first - zero
    rep.check(f"{name}: {taking} takes over after its skew", abs(dt - SKEW_100) <= TOLERANCE,
              f"{dt:.4f} s from {stopping}'s priority-0 advert to {taking}'s first (expected 0.61 +- {TOLERANCE})",
              f"priority-0 advert -> {taking}'s first: {dt:.4f} s")
    STATE.setdefault("measured", []).append((name, dt))


@e2e.scenario
def bin_stop_of_jlvs(d, rep):
    graceful_takeover(rep, "bin/stop of jlvs", d.bin_stop, "jlvs", J_IP, K_IP, "keepalived")


@e2e.scenario
def keepalived_master_jlvs_backup(d, rep):
    t = time.time()
    K.term()
    run(["ip", "-n", NS_KA, "addr", "del", f"{VIP}/24", "dev", "eth0"], check=False)
    d.write_instance(100)
    K.start(150)
    wait_for("keepalived master", lambda: CAP.adverts(K_IP, after=t + 1), 30)
    d.bin_start()
    time.sleep(5)
    t2 = time.time()
    ours = CAP.adverts(J_IP, after=t2 - 4)
    ka = CAP.adverts(K_IP, after=t2 - 4)
    rep.check("jlvs stays backup behind keepalived", not ours and len(ka) >= 3,
              f"jlvs sent {len(ours)} adverts, keepalived {len(ka)} in the last 4 s")


@e2e.scenario
def kill9_of_keepalived(d, rep):
    t = time.time()
    K.kill9()
    takeover(rep, "kill -9 of keepalived: jlvs takes over after Master_Down", K_IP, J_IP, t - 1.5, MASTER_DOWN_100,
             "keepalived's last advert -> jlvs's first")


@e2e.scenario
def keepalived_preempts_when_back(d, rep):
    preempts_back(rep, "keepalived restarted", lambda: K.start(150), K_IP, "keepalived", J_IP, "jlvs")


@e2e.scenario
def sigterm_of_keepalived(d, rep):
    graceful_takeover(rep, "SIGTERM of keepalived", K.term, "keepalived", K_IP, J_IP, "jlvs")


@e2e.scenario
def split_brain_heals(d, rep):
    t = time.time()
    K.start(150)
    first = wait_for("keepalived master again", lambda: CAP.adverts(K_IP, after=t), 30)[0][0]
    time.sleep(2)
    cut = time.time()
    run(["ip", "netns", "exec", NS_SW, "nft", "-f", "-"], input="table bridge jlvsvrrp {\n chain cut {\n"
        "  type filter hook forward priority 0; policy accept;\n  ip protocol 112 drop\n }\n}\n")
    try:
        wait_for("both master", lambda: len(CAP.adverts(J_IP, after=cut)) >= 3 and len(CAP.adverts(K_IP, after=cut)) >= 3, 20)
    finally:
        run(["ip", "netns", "exec", NS_SW, "nft", "delete", "table", "bridge", "jlvsvrrp"], check=False)
    restored = time.time()
    rep.ok("with VRRP cut between them both become master",
           f"jlvs's first advert {CAP.adverts(J_IP, after=cut)[0][0] - cut:.2f} s after the cut")
    time.sleep(4)
    k_first = CAP.adverts(K_IP, after=restored)
    j_after = CAP.adverts(J_IP, after=restored)
    if not k_first:
        rep.fail("split brain heals", "no keepalived advert after the link came back")
        return
    # jlvs yields at the first advert of keepalived it hears; every advert of jlvs after that would be a second master
    late = [t for t, _ in j_after if t > k_first[0][0] + 0.05]
    heal = max([k_first[0][0]] + [t for t, _ in j_after]) - restored
    rep.check("split brain heals to one master within one advert interval", not late and heal <= 1.0 + TOLERANCE,
              f"jlvs adverts after keepalived's: {len(late)}; one master {heal:.3f} s after the link came back",
              f"one master {heal:.3f} s after the link came back (jlvs sent {len(j_after)} adverts meanwhile)")


# ---------------------------------------------------------------- IPv6 (an IPv6 instance on both)

def link_local(ns):
    info = json.loads(run(["ip", "-n", ns, "-j", "-6", "addr", "show", "dev", "eth0", "scope", "link"]))
    return next(a["local"] for i in info for a in i.get("addr_info", []) if a.get("family") == "inet6")


def tshark(display_filter, *fields):
    """The capture so far as tshark decodes it: one tuple of `fields` per frame that matches."""
    out = run(["tshark", "-r", CAP.path, "-Y", display_filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
              + [x for f in fields for x in ("-e", f)], check=False)
    return [tuple(line.split("\t")) for line in out.splitlines() if line.strip()]


def well_formed_to_tshark(rep, name, display_filter, fields, want):
    """Every frame matching display_filter decodes to `want` in `fields`, with no expert info (malformed, bad
    checksum) on it."""
    rows = tshark(display_filter, *fields, "_ws.expert.severity", "_ws.malformed")
    bad = [r for r in rows if tuple(r[:len(fields)]) != want or any(r[len(fields):])]
    rep.check(name, rows and not bad, f"{len(rows)} frames, unexpected: {bad[:3]}",
              f"{len(rows)} frames: {dict(zip(fields, want))}, no expert info")


@e2e.scenario
def ipv6_jlvs_master_keepalived_backup(d, rep):
    """keepalived restarted with only VI_6 at 100; jlvs given VI_6 at 150 beside its VI_1."""
    STATE["j_ll"], STATE["k_ll"] = link_local(NS_DIR), link_local(NS_KA)
    j_ll, k_ll = STATE["j_ll"], STATE["k_ll"]
    K.term()
    run(["ip", "-n", NS_KA, "addr", "del", f"{VIP}/24", "dev", "eth0"], check=False)
    d.write_instance6(150)  # file install takes it up while the appliance runs
    wait_for("jlvs VI_6 master", lambda: "VRRP instance VI_6 BACKUP -> MASTER" in d.karaf_log(), 60)
    K.start(100, ipv6=True)
    time.sleep(4)  # longer than keepalived's Master_Down: it would have taken over by now if it did not hear us
    t = time.time()
    ka, ours = CAP.adverts(k_ll, after=t - 3), CAP.adverts(j_ll, after=t - 3)
    rep.check("IPv6: keepalived stays backup behind jlvs", not ka and len(ours) >= 2,
              f"{len(ka)} keepalived IPv6 adverts and {len(ours)} of jlvs in the last 3 s")
    jmac = mac_of(NS_DIR)
    bad = [p for _, p in ours if not (p["ttl"] == 255 and p["checksum_pseudo_ok"] and p["dst"] == "ff02::12"
                                       and p["eth_dst"] == "33:33:00:00:00:12" and p["eth_src"] == jmac and p["version"] == 3
                                       and p["type"] == 1 and p["vrid"] == VRID and p["prio"] == 150 and p["interval"] == 100
                                       and p["addresses"] == [VIP6])]
    rep.check("IPv6: jlvs adverts are keepalived's format", not bad, f"unexpected adverts: {bad[:2]}",
              f"hop limit 255, checksum over the IPv6 pseudo-header, from {j_ll} ({jmac}) to ff02::12, VRID 51, 150, {VIP6}")
    well_formed_to_tshark(rep, "IPv6: tshark decodes jlvs's adverts as VRRP v3 with a good checksum",
                          f"vrrp && ipv6.src == {j_ll}", ("vrrp.version", "vrrp.type", "vrrp.checksum.status", "ipv6.hlim"),
                          ("3", "1", "1", "255"))


@e2e.scenario
def ipv6_kill9_of_jlvs(d, rep):
    t = time.time()
    d.kill9()
    takeover(rep, "IPv6: kill -9 of jlvs: keepalived takes over after Master_Down", STATE["j_ll"], STATE["k_ll"], t - 1.5,
             MASTER_DOWN_100, "jlvs's last IPv6 advert -> keepalived's first")


@e2e.scenario
def ipv6_jlvs_preempts_and_announces_when_back(d, rep):
    j_ll, k_ll, jmac = STATE["j_ll"], STATE["k_ll"], mac_of(NS_DIR)
    t = time.time()
    preempts_back(rep, "IPv6: jlvs restarted", d.bin_start, j_ll, "jlvs", k_ll, "keepalived")
    first = [x for x in CAP.adverts(j_ll, after=t) if x[1]["prio"] == 150][0][0]
    time.sleep(max(0.0, first + 6.5 - time.time()))  # the second burst is due 5 s after the first
    nas = [(x, p) for x, p in CAP.neighbour_adverts(jmac, after=t) if p["target"] == VIP6]
    burst1 = [x for x, _ in nas if x - first < 1]
    burst2 = [x for x, _ in nas if 4 < x - first < 7]
    odd = [p for _, p in nas if not (p["src"] == VIP6 and p["dst"] == "ff02::1" and p["hop"] == 255 and p["flags"] == 0x20)]
    rep.check("IPv6: jlvs sends 5 + 5 unsolicited Neighbour Advertisements for the VIP6 on taking over",
              len(burst1) == 5 and len(burst2) == 5 and not odd, f"{len(burst1)} then {len(burst2)} NAs, unexpected {odd[:2]}",
              f"from {VIP6} to ff02::1, Override; first burst {1000 * (burst1[0] - first):.2f} ms after the advert, "
              f"second {burst2[0] - burst1[0]:.3f} s later" if burst1 and burst2 else None)
    well_formed_to_tshark(rep, "IPv6: tshark decodes jlvs's Neighbour Advertisements with a good checksum",
                          f"icmpv6.type == 136 && eth.src == {jmac} && frame.time_epoch > {t}",
                          ("icmpv6.checksum.status", "icmpv6.nd.na.target_address", "icmpv6.nd.na.flag.o",
                           "icmpv6.nd.na.flag.r", "icmpv6.nd.na.flag.s", "icmpv6.opt.linkaddr"),
                          ("1", VIP6, "1", "0", "0", jmac))


@e2e.scenario
def keepalived_rejected_nothing(d, rep):
    lines = [l for l in K.log_text().splitlines() if REJECTIONS.search(l)]
    rep.check("keepalived's log has no line rejecting an advert", not lines, "; ".join(lines[:5]),
              f"{K.runs} keepalived runs, {len(K.log_text().splitlines())} log lines")
    measured = STATE.get("measured", [])
    for name, dt in measured:
        print(f"    measured: {name}: {dt:.4f} s", flush=True)


def main():
    args = e2e.suite_args(__doc__, "e2e_ha.py")
    os.makedirs(WORK, exist_ok=True)
    for f in glob.glob(os.path.join(WORK, "*")):
        os.unlink(f)
    d = Jlvs()

    def start():
        d.start()
        CAP.start()

    def teardown():
        K.stop()
        CAP.stop()

    scenarios = (jlvs_master_keepalived_backup, metrics_while_master, invalid_advert_flood, metrics_count_the_flood,
                 kill9_of_jlvs, jlvs_preempts_when_back, bin_stop_of_jlvs, keepalived_master_jlvs_backup,
                 metrics_while_backup, kill9_of_keepalived, metrics_after_takeover, keepalived_preempts_when_back,
                 sigterm_of_keepalived, split_brain_heals, ipv6_jlvs_master_keepalived_backup, ipv6_kill9_of_jlvs,
                 ipv6_jlvs_preempts_and_announces_when_back, keepalived_rejected_nothing)
    return e2e.run_suite(e2e.Report("e2e-ha"), d, scenarios,
                         lab=("up", "vrrp"), start=start, teardown=teardown, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
