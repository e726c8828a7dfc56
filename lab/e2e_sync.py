#!/usr/bin/env python3
"""End-to-end tests of connection sync between two appliances (python3 stdlib; run as root).

    lab/e2e_sync.py      `lab.sh up pair`, the built appliance started in jlvs-dir (A, the master daemon on eth0,
                         sync id 7) and in jlvs-dirb (B, the backup daemon on eth0, resync from 10.99.1.1), the
                         same services on both, the scenarios, teardown

The client's neighbour entry for the VIP is pinned to A's MAC (both appliances answer ARP for it), so A carries
the traffic and B only learns. Services on both: TCP VIP:7070 rr (the epoll echo servers of e2e_conns.py),
UDP VIP:7 (realserver.py's echo), TCP VIP:7071 -p 300 (persistent, to the same echo servers), TCP VIP:7 (the
real servers' TCP echo, for the feature removal).

1. 2,000 NAT connections to VIP:7070 opened and held, each exchanging one message (its third packet from the
   client: IPVS's sync_threshold): all 2,000 appear in B's `lvs:list -c -n` with the same client, VIP, real
   server and ESTABLISHED state as in A's. The time from the last echo to the first listing of B that has them
   all is printed (the goal is 2 s; it includes a console round trip, also printed), and from tcpdump on B's
   eth0 the time of the last sync datagram after the last echo; the bound on arrival is generous.
2. One of them closed by the client: A's entry leaves ESTABLISHED (IPVS's INPUT fin: CLOSE_WAIT) and B's entry
   reaches the same state.
3. A UDP flow (3 datagrams) and a persistent connection: B lists the UDP entry and the template (client port 0)
   with the timeouts A has for them (300 s each, minus the time passed), within a few seconds. A persistent
   firewall-mark service over two ports (-f 3 -p 300): a connection to it and its template (protocol IP, the
   mark for the virtual address, as IPVS makes it) reach B with the mark, bound to A's real server.
4. B restarted (bin/stop, bin/start of the same home: services and etc/org.jlvs.sync.cfg kept) while A holds the
   connections, which stay idle (so no multicast carries them): B has all of them again from its full resync.
   Printed: from bin/start to the listing that has them all, and the resync's own report from B's log.
5. `feature:uninstall jlvs-sync` on A under 50 held echo connections (VIP:7, one message each 50 ms): none
   breaks, and they go on after `feature:install jlvs-sync`; the longest echo gap is printed.
Metrics (feature jlvs-metrics on both, installed after the configuration): jlvs_sync_daemon_up is 1 for A's
master and B's backup; over scenario 1, the growth of A's jlvs_sync_datagrams_sent_total, of B's
jlvs_sync_datagrams_received_total and the sync datagrams tcpdump saw on B's wire are one number, and A's
entries sent equal B's entries received and installed (at least the 2,000); promtool accepts both scrapes;
after B's restart its last-resync series and A's resyncs served are the resync B's log reports; the
dashboards show A's master and B's backup daemon running.

Prints `PASS name` / `FAIL name: reason` per check, details on indented lines, then `e2e-sync: N passed,
M failed`; exits non-zero on any failure. Every loop is bounded in count and time and every socket has a timeout.
"""
import glob
import json
import os
import re
import socket
import subprocess
import sys
import time

LAB = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
from e2e import NS_CLIENT, NS_PREFIX, RS, VIP, Appliance, Report, link_mac, netns, run, run_suite, suite_args  # noqa: E402
from e2e_conns import (CONN_PORT, exchange, open_connections, raise_nofile, start_echo_servers,  # noqa: E402
                       stop_echo_servers)
from e2e_schedulers import EchoFleet  # noqa: E402
import metrics_lab  # noqa: E402

NS_DIRB = f"{NS_PREFIX}-dirb"
NS_DIR = f"{NS_PREFIX}-dir"
CONNECTIONS = 2_000
PERSIST_PORT = 7071
UDP_PORT = 7
SYNC_ID = 7
ARRIVAL_BOUND = 60        # seconds: the generous bound on arrival; the figure is what is reported
RESYNC_BOUND = 120
CLOSING = {"CLOSE_WAIT", "TIME_WAIT", "CLOSE", "FIN_WAIT", "LAST_ACK"}


class Director(Appliance):
    """One of the pair: DIRECTOR=a|b for lab/director.sh."""

    def __init__(self, which):
        self.which = which
        self.name = f"appliance {which}"

    def _env(self):
        return dict(os.environ, DIRECTOR=self.which)

    def _sh(self, *args, input=None, timeout=90):
        p = subprocess.run(["bash", os.path.join(LAB, "director.sh"), *args], input=input, capture_output=True,
                           text=True, timeout=timeout, env=self._env())
        if p.returncode != 0:
            raise RuntimeError(f"director.sh {' '.join(args)} ({self.which}) failed:\n" + (p.stdout + p.stderr)[-3000:])
        return p.stdout

    def start(self):
        self._sh("start", timeout=int(os.environ.get("DIRECTOR_WAIT", "300")) + 100)

    def restart(self):
        self._sh("restart", timeout=int(os.environ.get("DIRECTOR_WAIT", "300")) + 100)

    def stop(self):
        subprocess.run(["bash", os.path.join(LAB, "director.sh"), "stop"], capture_output=True, timeout=60,
                       env=self._env())

    def log_tail(self, n=60):
        return self._sh("log", str(n), timeout=10)

    def cli(self, *commands):
        return self._sh("cli", input="\n".join(commands) + "\n")


class Pair:
    """What run_suite drives: A is the director of record; B is started and stopped with it."""
    name = "appliance pair"

    def __init__(self):
        self.a, self.b = Director("a"), Director("b")
        self.echo = []

    def start(self):
        self.a.start()
        self.b.start()

    def stop(self):
        stop_echo_servers(self.echo)
        self.b.stop()
        self.a.stop()

    def cli(self, *commands):
        return self.a.cli(*commands) + "\n---- B\n" + self.b.cli(*commands)

    def log_tail(self):
        return self.a.log_tail() + "\n---- B\n" + self.b.log_tail()


def connections(text):
    """lvs:list -c -n: {(proto, client, virtual): (state, destination, expire seconds)}."""
    out = {}
    for line in text.splitlines():
        p = line.split()
        if len(p) == 6 and p[0] in ("TCP", "UDP") and re.fullmatch(r"\d+:\d\d", p[1]):
            m, s = p[1].split(":")
            out[(p[0], p[3], p[4])] = (p[2], p[5], int(m) * 60 + int(s))
    return out


def timed_listing(d):
    t = time.monotonic()
    listing = connections(d.cli("lvs:list -c -n --limit 0"))
    return listing, time.monotonic() - t


def wait_for(d, want, bound):
    """Polls d's table until want(listing) is true or bound seconds pass: (elapsed at the listing that had it or
    None, last listing, longest console round trip)."""
    t0 = time.monotonic()
    longest, listing = 0.0, {}
    for _ in range(1000):
        listing, took = timed_listing(d)
        longest = max(longest, took)
        if want(listing):
            return time.monotonic() - t0, listing, longest
        if time.monotonic() - t0 > bound:
            break
        time.sleep(0.2)
    return None, listing, longest


# ---------------------------------------------------------------- scenarios

STATE = {}


def configure(pair, rep):
    services = [
        f"lvs:add-service -t {VIP}:{CONN_PORT} -s rr",
        f"lvs:add-service -t {VIP}:{PERSIST_PORT} -s rr -p 300",
        f"lvs:add-service -u {VIP}:{UDP_PORT} -s rr",
        f"lvs:add-service -t {VIP}:{UDP_PORT} -s rr",
    ]
    for ip in RS.values():
        services += [f"lvs:add-server -t {VIP}:{CONN_PORT} -r {ip}:{CONN_PORT} -m",
                     f"lvs:add-server -t {VIP}:{PERSIST_PORT} -r {ip}:{CONN_PORT} -m",
                     f"lvs:add-server -u {VIP}:{UDP_PORT} -r {ip}:{UDP_PORT} -m",
                     f"lvs:add-server -t {VIP}:{UDP_PORT} -r {ip}:{UDP_PORT} -m"]
    pair.a.cli(*services, "config:edit org.jlvs.sync", "config:property-set master.enabled true",
               "config:property-set master.interface eth0", f"config:property-set master.syncid {SYNC_ID}",
               "config:update")
    pair.b.cli(*services, "config:edit org.jlvs.sync", "config:property-set backup.enabled true",
               "config:property-set backup.interface eth0", f"config:property-set backup.syncid {SYNC_ID}",
               "config:property-set resync.peer 10.99.1.1", "config:update")
    for d, line in ((pair.a, "master sync daemon (mcast=eth0, syncid=7"), (pair.b, "backup sync daemon (mcast=eth0, syncid=7")):
        listing = ""
        for _ in range(30):  # Config Admin delivers the change asynchronously
            listing = d.cli("lvs:list --daemon")
            if line in listing:
                break
            time.sleep(1)
        else:
            raise RuntimeError(f"{d.name}: lvs:list --daemon shows {listing!r}")
    mac = ":".join(f"{x:02x}" for x in link_mac(NS_DIR, "eth0"))
    run(["ip", "-n", NS_CLIENT, "neigh", "replace", VIP, "lladdr", mac, "dev", "eth0", "nud", "permanent"])
    pair.echo = start_echo_servers()
    raise_nofile()
    rep.ok("configure", f"services on A and B, master on A's eth0, backup on B's eth0, VIP pinned to A ({mac})")


def start_capture():
    """tcpdump on B's eth0 of the sync datagrams, with epoch timestamps (the clock time.time() reads)."""
    p = subprocess.Popen(["ip", "netns", "exec", NS_DIRB, "tcpdump", "-i", "eth0", "-n", "-tt", "-l", "-c", "100000",
                          "udp", "port", "8848"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()  # "listening on ..." once it captures (after its filter is set); "" if it died
    if "listening on" not in line:
        line += p.stderr.readline()
    if "listening on" not in line:
        p.kill()
        raise RuntimeError(f"tcpdump on B did not start: {line!r}")
    return p


def stop_capture(p):
    """The capture's datagram timestamps (epoch seconds)."""
    p.terminate()
    try:
        out, _ = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    return [float(line.split()[0]) for line in out.splitlines() if re.match(r"^\d+\.\d+ IP ", line)]


# ---------------------------------------------------------------- metrics (feature jlvs-metrics on A and B)

def sync_value(text, series, role):
    return metrics_lab.one(text, series, role=role)[1]


def metrics_installed(pair, rep):
    a = metrics_lab.install(pair.a.cli, NS_DIR)
    b = metrics_lab.install(pair.b.cli, NS_DIRB)
    up = (sync_value(a, "jlvs_sync_daemon_up", "master"), sync_value(a, "jlvs_sync_daemon_up", "backup"),
          sync_value(b, "jlvs_sync_daemon_up", "backup"), sync_value(b, "jlvs_sync_daemon_up", "master"))
    rep.check("metrics: jlvs_sync_daemon_up is 1 for A's master and B's backup, absent for the roles not configured",
              up == (1, None, 1, None), f"A master/backup, B backup/master: {up}")
    docs = {name: [(x["role"], x["state"]) for x in metrics_lab.api(ns, "sync")["daemons"]] for name, ns in (("A", NS_DIR), ("B", NS_DIRB))}
    want = {"A": [("master", "running")], "B": [("backup", "running")]}
    rows = {}
    for name, ns in (("A", NS_DIR), ("B", NS_DIRB)):
        def pairs(found):
            return [(r.get("role"), r.get("state")) for r in found]
        found = metrics_lab.dashboard_rows_until(ns, os.path.join(LAB, ".work", f"chromium-profile-{name}"), "sync",
                                                 lambda found, name=name: pairs(found) == want[name])
        rows[name] = pairs(found)
    rep.check("metrics: /api/v1/sync and the dashboard show A's master and B's backup daemon running",
              docs == want and rows == want, f"/api/v1/sync {docs}, dashboard rows {rows}",
              f"/api/v1/sync and the dashboard's sync rows: {rows}")


SENT = ("jlvs_sync_datagrams_sent_total", "jlvs_sync_entries_sent_total")
RECEIVED = ("jlvs_sync_datagrams_received_total", "jlvs_sync_entries_received_total", "jlvs_sync_entries_installed_total")


def sync_scrapes():
    """A's master and B's backup counters now: {series: value}, and the two texts."""
    a, b = metrics_lab.fetch(NS_DIR, "/metrics"), metrics_lab.fetch(NS_DIRB, "/metrics")
    values = {s: sync_value(a, s, "master") for s in SENT}
    values.update({s: sync_value(b, s, "backup") for s in RECEIVED})
    values["dropped"] = sum(v for _, v in metrics_lab.matching(b, "jlvs_sync_dropped_total", role="backup"))
    return values, a, b


def sync_metrics_count_the_2000(pair, rep):
    before, after, wire = STATE.get("sync_before"), STATE.get("sync_after"), STATE.get("wire_datagrams")
    if not before or not after:
        rep.fail("metrics: the sync series count what was sent and received", "no scrapes (scenario 1 failed)")
        return
    d = {k: after[k] - before[k] for k in before}
    ok = (d["jlvs_sync_datagrams_sent_total"] == wire == d["jlvs_sync_datagrams_received_total"] > 0
          and d["jlvs_sync_entries_sent_total"] == d["jlvs_sync_entries_received_total"]
          == d["jlvs_sync_entries_installed_total"] >= CONNECTIONS and d["dropped"] == 0)
    rep.check("metrics: the sync series count what was sent and received", ok,
              f"growth over the 2,000: {d}; datagrams on B's wire {wire}",
              f"datagrams: A sent {d['jlvs_sync_datagrams_sent_total']:.0f}, B's wire {wire}, B received "
              f"{d['jlvs_sync_datagrams_received_total']:.0f}; entries: A sent {d['jlvs_sync_entries_sent_total']:.0f}, "
              f"B received {d['jlvs_sync_entries_received_total']:.0f}, installed {d['jlvs_sync_entries_installed_total']:.0f}")
    for name, text in (("A", STATE["scrape_a"]), ("B", STATE["scrape_b"])):
        ok, out = metrics_lab.promtool(text)
        rep.check(f"metrics: promtool accepts {name}'s scrape with the sync series", ok, out[-800:],
                  f"{len(text.splitlines())} lines")


def two_thousand(pair, rep):
    capture = start_capture()
    STATE["sync_before"] = sync_scrapes()[0]
    with netns(NS_CLIENT):
        socks, errors = open_connections(CONNECTIONS, ["10.99.1.2"], 120)
    STATE["socks"] = socks
    if errors or len(socks) != CONNECTIONS:
        rep.fail("2000 connections", f"{len(socks)} connected, errors {errors[:3]}")
        return
    ok, errors = exchange(socks, b"hello\n", 60)
    t_echo = time.monotonic()
    t_echo_epoch = time.time()
    if ok != CONNECTIONS:
        rep.fail("2000 connections", f"{ok} echoed, errors {errors[:3]}")
        return
    ports = {f"10.99.1.2:{s.getsockname()[1]}" for s in socks}
    STATE["ports"] = ports
    virtual = f"{VIP}:{CONN_PORT}"

    def all_there(listing):
        return sum(1 for p in ports if listing.get(("TCP", p, virtual), ("",))[0] == "ESTABLISHED") == CONNECTIONS

    elapsed, on_b, longest = wait_for(pair.b, all_there, ARRIVAL_BOUND)
    arrival = time.monotonic() - t_echo if elapsed is not None else None
    STATE["sync_after"], STATE["scrape_a"], STATE["scrape_b"] = sync_scrapes()  # before the capture ends
    stamps = stop_capture(capture)
    STATE["wire_datagrams"] = len(stamps)
    wire = (f"; on B's wire: {len(stamps)} sync datagrams, the last {max(stamps) - t_echo_epoch:+.3f}s after the last"
            f" echo" if stamps else "; tcpdump saw no datagram")
    on_a = connections(pair.a.cli("lvs:list -c -n --limit 0"))
    have = sum(1 for p in ports if ("TCP", p, virtual) in on_b)
    if arrival is None:
        rep.fail("2000 connections arrive on the backup", f"{have} of {CONNECTIONS} on B after {ARRIVAL_BOUND}s")
        return
    mismatched = [p for p in ports if on_a.get(("TCP", p, virtual), ("", ""))[:2] != on_b.get(("TCP", p, virtual))[:2]]
    # The 2 s of the acceptance is when the entries reach B, read from B's wire: the master sends a full
    # datagram at once and a partly filled one within IPVS's 2 s flush time. B's listing is printed too, but
    # it includes console round trips, which depend on the machine's load.
    late = max(stamps) - t_echo_epoch if stamps else None
    rep.check("2000 connections arrive on the backup", not mismatched and late is not None and late <= 2.0,
              f"{len(mismatched)} differ from A, e.g. {mismatched[:2]}; last sync datagram on B's wire "
              f"{'never' if late is None else f'{late:+.3f}s after the last echo'} (bound 2 s)",
              f"all {CONNECTIONS} ESTABLISHED on B with A's client, VIP and real server {arrival:.2f}s after the "
              f"last echo (a console round trip took up to {longest:.2f}s of it){wire}")
    STATE["arrival"] = arrival
    origin_listing(pair, rep, ports, virtual)


def json_listing(d, command):
    """A --json listing read from a file the console writes (Gogo's '>' redirection): with thousands of entries it is one
    line of hundreds of KB, which the console's ssh session once broke apart (a parse error at character
    163,841); the file holds it whole."""
    homes = glob.glob(os.path.join(LAB, ".work", "director" if d.which == "a" else "director-b", "jlvs-*"))
    if not homes:
        raise RuntimeError(f"no unpacked distribution for {d.name}")
    path = os.path.join(homes[0], "data", "tmp", "listing.json")
    if os.path.exists(path):
        os.remove(path)
    d.cli(f"{command} > {path}")
    with open(path) as f:
        return json.loads(f.read())


def origin_listing(pair, rep, ports, virtual):
    """B shows the learnt entries as SYNC (as /proc/net/ip_vs_conn_sync does), A its own as LOCAL, in the
    --origin column and in the JSON listing's origin field."""
    def origins(d):
        out = {}
        for line in d.cli("lvs:list -c -n --origin --limit 0").splitlines():
            p = line.split()
            if len(p) == 7 and p[0] == "TCP" and p[4] == virtual:
                out[p[3]] = p[6]
        return out
    on_a, on_b = origins(pair.a), origins(pair.b)
    js = json_listing(pair.b, f"lvs:list -c -n --json --limit 0 -t {virtual}")
    json_b = {c["client"]: c.get("origin") for c in js["connections"]}
    wrong = [p for p in ports if on_a.get(p) != "LOCAL" or on_b.get(p) != "SYNC" or json_b.get(p) != "sync"]
    rep.check("synced entries are marked SYNC on the backup, LOCAL on the master", not wrong,
              f"{len(wrong)} wrong, e.g. {[(p, on_a.get(p), on_b.get(p), json_b.get(p)) for p in wrong[:2]]}",
              f"{len(ports)} entries: LOCAL on A, SYNC on B (--origin), \"origin\":\"sync\" in B's JSON")


def closed_connection(pair, rep):
    socks = STATE.get("socks")
    if not socks:
        rep.fail("a closed connection", "no connections (scenario 1 failed)")
        return
    s = socks.pop()
    port = f"10.99.1.2:{s.getsockname()[1]}"
    s.shutdown(socket.SHUT_WR)  # the client's FIN
    key = ("TCP", port, f"{VIP}:{CONN_PORT}")
    took, on_a, _ = wait_for(pair.a, lambda l: l.get(key, ("",))[0] in CLOSING, 30)
    if took is None:
        rep.fail("a closed connection", f"A's entry is {on_a.get(key)}")
        return
    state_a = on_a[key][0]
    took, on_b, _ = wait_for(pair.b, lambda l: l.get(key, ("",))[0] in CLOSING, 30)
    rep.check("a connection closed on A reaches its closing state on B", took is not None,
              f"B's entry is {on_b.get(key)} (A: {state_a})", f"A {state_a}, B {on_b.get(key, ('?',))[0]}")
    s.close()


def udp_and_template(pair, rep):
    with netns(NS_CLIENT):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(3)
        u.bind(("10.99.1.2", 0))
        for i in range(3):
            u.sendto(b"sync %d" % i, (VIP, UDP_PORT))
            u.recvfrom(100)
        t = socket.create_connection((VIP, PERSIST_PORT), timeout=5)
    STATE["persistent"] = t
    t.sendall(b"one\n")
    t.recv(100)
    t.sendall(b"two\n")
    t.recv(100)
    udp_key = ("UDP", f"10.99.1.2:{u.getsockname()[1]}", f"{VIP}:{UDP_PORT}")
    template_key = ("TCP", "10.99.1.2:0", f"{VIP}:{PERSIST_PORT}")  # -M 255.255.255.255
    took, on_b, _ = wait_for(pair.b, lambda l: udp_key in l and template_key in l, 30)
    on_a = connections(pair.a.cli("lvs:list -c -n --limit 0"))
    u.close()
    if took is None:
        rep.fail("UDP entries and templates", f"on B: UDP {on_b.get(udp_key)}, template {on_b.get(template_key)}")
        return
    problems = []
    for name, key in (("UDP", udp_key), ("template", template_key)):
        a, b = on_a.get(key), on_b[key]
        if a is None or a[1] != b[1] or abs(a[2] - b[2]) > 15 or not 240 <= b[2] <= 300:
            problems.append(f"{name}: A {a}, B {b}")
    rep.check("UDP entries and templates arrive with their timeouts", not problems, "; ".join(problems),
              f"UDP expire A {on_a[udp_key][2]}s / B {on_b[udp_key][2]}s, template A {on_a[template_key][2]}s / "
              f"B {on_b[template_key][2]}s, seen on B after {took:.2f}s")


MARK = 3
MARK_PORTS = (7074, 7075)


def mark_service(pair, rep):
    """A persistent mark service over two ports (-f 3 -p 300, servers :CONN_PORT): A's connection to the first
    port and its template (IP, the mark for the virtual address) reach B with the mark, bound to B's mark service
    and to A's real server."""
    commands = [f"lvs:mark-add {MARK} tcp {VIP} {port}" for port in MARK_PORTS]
    commands.append(f"lvs:add-service -f {MARK} -s rr -p 300")
    commands += [f"lvs:add-server -f {MARK} -r {ip}:{CONN_PORT} -m" for ip in RS.values()]
    pair.a.cli(*commands)
    pair.b.cli(*commands)
    with netns(NS_CLIENT):
        t = socket.create_connection((VIP, MARK_PORTS[0]), timeout=5)
    STATE["marked"] = t
    for message in (b"one\n", b"two\n"):
        t.sendall(message)
        t.recv(100)
    client = f"10.99.1.2:{t.getsockname()[1]}"
    key = ("TCP", client, f"{VIP}:{MARK_PORTS[0]}")

    def template(d):
        m = re.search(rf"^IP\s+\S+\s+NONE\s+10\.99\.1\.2:0\s+0\.0\.0\.{MARK}:0\s+(\S+)", d.cli("lvs:connections -n --limit 0"),
                      re.M)
        return m.group(1) if m else None
    took, on_b, _ = wait_for(pair.b, lambda l: key in l, 30)
    on_a = connections(pair.a.cli("lvs:list -c -n --limit 0"))
    t_a, t_b = template(pair.a), template(pair.b)
    a, b = on_a.get(key), on_b.get(key)
    rep.check("a mark service's connection and template reach B with A's real server",
              took is not None and a is not None and a[:2] == b[:2] and t_a is not None and t_b == t_a
              and b[1].startswith(t_a.split(":")[0] + ":"),
              f"connection A {a}, B {b}; template A {t_a}, B {t_b}",
              f"connection {b[0] if b else '?'} to {b[1] if b else '?'} on both, template (IP 0.0.0.{MARK}:0) to "
              f"{t_b} on both, on B after {took if took is None else f'{took:.2f}'}s")


def resync_after_restart(pair, rep):
    ports = STATE.get("ports")
    if not ports:
        rep.fail("full resync", "no connections (scenario 1 failed)")
        return
    on_a = connections(pair.a.cli("lvs:list -c -n --limit 0"))
    virtual = f"{VIP}:{CONN_PORT}"
    held = {k for k, v in on_a.items() if k[2] == virtual and v[0] == "ESTABLISHED"}
    served_before = metrics_lab.fetch(NS_DIR, "/metrics")
    t0 = time.monotonic()
    pair.b.restart()
    ready = time.monotonic() - t0
    took, on_b, longest = wait_for(pair.b, lambda l: held <= set(l), RESYNC_BOUND)
    log = pair.b.log_tail(400)
    reports = re.findall(r"resync from \S+: \d+ entries in \d+ ms[^\n]*", log)
    if took is None:
        rep.fail("full resync after a restart", f"{len(held & set(on_b))} of {len(held)} on B; {reports[-1:]}")
        return
    # The 5 s of the acceptance is the resync's own duration, from B's report (its daemon asks as soon as it
    # starts); the time to B's listing is printed, but it includes the boot and console round trips.
    m = re.search(r"(\d+) entries in (\d+) ms", reports[-1]) if reports else None
    rep.check("full resync after a restart", m is not None and int(m.group(1)) >= len(held) and int(m.group(2)) <= 5000,
              f"B's resync report: {reports[-1] if reports else 'none'} ({len(held)} held)",
              f"all {len(held)} held connections on B {ready + took:.2f}s after bin/start ({took:.2f}s after its "
              f"console answered; a console round trip took up to {longest:.2f}s); B's log: {reports[-1]}")
    if m:
        resync_metrics(rep, served_before, int(m.group(1)), log)


def resync_attempts(log):
    """How many times B asked A for its table in its last resync: B asks again (up to a few times, a second
    apart) while its own services are not loaded yet and it had to refuse the entries ("...; again in N ms")."""
    lines = re.findall(r"resync from \S+: [^\n]*", log)
    attempts = 1
    for line in reversed(lines[:-1]):
        if "again in" not in line:
            break
        attempts += 1
    return attempts


def resync_metrics(rep, served_before, entries, log):
    """B's resync series and A's resyncs served: B completed one resync of `entries` entries; A served each of
    B's attempts, streaming its whole table (those `entries`) each time."""
    attempts = resync_attempts(log)
    b = metrics_lab.wait_answering(NS_DIRB)
    a = metrics_lab.fetch(NS_DIR, "/metrics")
    got = (sync_value(b, "jlvs_sync_resyncs_total", "backup"), sync_value(b, "jlvs_sync_last_resync_entries", "backup"),
           sync_value(a, "jlvs_sync_resyncs_served_total", "master") - sync_value(served_before, "jlvs_sync_resyncs_served_total", "master"),
           sync_value(a, "jlvs_sync_resync_entries_sent_total", "master")
           - sync_value(served_before, "jlvs_sync_resync_entries_sent_total", "master"))
    rep.check("metrics: the resync series are the resync of B's log", got == (1, entries, attempts, attempts * entries),
              f"B resyncs / last entries, A served / entries streamed: {got}; B's log: {attempts} attempts, {entries} entries",
              f"B: 1 resync of {entries} entries after {attempts} attempts (its log); A: {got[2]:.0f} served, "
              f"{got[3]:.0f} entries streamed")


def until(what, condition, timeout=120):
    """Polls condition() (bounded by timeout) until it is true; returns whether it became true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    print(f"    {what}: not within {timeout}s", flush=True)
    return False


def feature_removal(pair, rep):
    fleet = EchoFleet(time_limit=600)
    with netns(NS_CLIENT):
        fleet.open()
    fleet.start()
    daemon = "master sync daemon (mcast=eth0, syncid=7"
    try:
        until("every held connection echoing", lambda: all(n > 0 for n in fleet.echo_counts()))
        t0 = time.monotonic()
        pair.a.cli("feature:uninstall jlvs-sync")
        gone = until("jlvs-sync uninstalled", lambda: "jlvs-sync" not in pair.a.cli("feature:list -i"))
        pair.a.cli("feature:install jlvs-sync")
        back = until("jlvs-sync installed and A's master daemon running again",
                     lambda: "jlvs-sync" in pair.a.cli("feature:list -i") and daemon in pair.a.cli("lvs:list --daemon"))
        t1 = time.monotonic()
        counts_before = fleet.echo_counts()
        until("every held connection echoing after the reinstall",
              lambda: all(y > x for x, y in zip(counts_before, fleet.echo_counts())) or fleet.errors())
        counts_after = fleet.echo_counts()
        gap, who = fleet.max_gap(t0, t1)
        errors = fleet.errors()
    finally:
        fleet.finish()
    stalled = [i for i, (x, y) in enumerate(zip(counts_before, counts_after)) if y <= x]
    rep.check("feature:uninstall jlvs-sync under 50 held connections", gone and not errors and not stalled,
              f"uninstalled {gone}, errors {dict(list(errors.items())[:3])}, stalled after reinstall {stalled[:5]}",
              f"none broke; longest echo gap {gap:.3f}s (connection {who}); reinstalled")
    on = pair.a.cli("feature:list -i")
    rep.check("jlvs-sync reinstalled", "jlvs-sync" in on and back, f"listed {'jlvs-sync' in on}, master daemon back {back}")


def main():
    args = suite_args(__doc__, "e2e_sync.py")
    pair = Pair()
    return run_suite(Report("e2e-sync"), pair,
                     (configure, metrics_installed, two_thousand, sync_metrics_count_the_2000, closed_connection, udp_and_template, mark_service,
                      resync_after_restart,
                      feature_removal),
                     lab=("up", "pair"), diagnostics=("lvs:list -n", "lvs:counters"), keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
