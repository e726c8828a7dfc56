#!/usr/bin/env python3
"""End-to-end tests of the fourteen schedulers and of swapping them under traffic (python3 stdlib; run as root).

    lab/e2e_schedulers.py     brings the lab up, starts the built appliance once, runs the scenarios, tears down

1. One service per scheduler (VIP:8100.. -> rs1..rs3:80): each serves 300 new HTTP connections (wrr: 600) from
   six client addresses without a failure; wrr with weights 1:2:3 spreads them 100:200:300 (+-5 %); sh (and mh,
   whose key is also the source address) keep every connection of one client on one real server.
2. Each rule with real traffic (VIP:8200..; keep-alive GETs held open are active connections): lc, wlc, sed and
   nq after connections were held on one server (the others at weight 0) and the weights changed, against every
   outcome the kernel's rule allows (all tie-breaks), in two setups where the four rules differ; fo sends all
   to the heaviest server; ovf fills rs1 up to -x 2, then rs2 (-w 2) and rs3 (-w 1) while their active
   connections do not exceed their weight, then refuses; dh maps each of two VIPs to the server of its
   hash_32 bucket; lblc and lblcr keep the VIP on the server it was first given (rs1 quiesced then) for ten
   more held connections, although rs1 is back and idle.
3. Hot swap: 50 long-lived TCP connections through VIP:7 (rr -> the real servers' TCP echo) exchange a message
   every 50 ms while
     (1) the rr bundle is updated (bundle:update ID): new connections keep succeeding;
     (2) rr is uninstalled and reinstalled (feature:uninstall -r / feature:install -r): meanwhile new connections
         are refused at once (ICMP port unreachable), counted (dropped_no_scheduler) and logged once, and are
         accepted again right after the reinstall;
     (3) the service is switched to wlc (lvs:edit-service -s): new connections keep succeeding.
   None of the 50 connections may be reset or go without an echo for more than 1 s; no other jlvs bundle changes
   id or state and the capture channels are not reopened (the data plane did not restart).

Prints `PASS name` / `FAIL name: reason` per check, details on indented lines, then
`e2e-schedulers: N passed, M failed`; exits non-zero on any failure. Every loop is bounded in count and time and
every socket has a timeout.
"""
import glob
import os
import re
import selectors
import socket
import struct
import sys
import threading
import time

LAB = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
from e2e import (NS_CLIENT, RS, VIP, Appliance, Report, netns, run_suite, suite_args,  # noqa: E402
                 parse_counters, reset_all, run)

# Every scheduler IPVS defines, one service each on VIP:SCHED_BASE_PORT+i.
SCHEDULERS = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"]
SCHED_BASE_PORT = 8100
WRR_WEIGHTS = {"rs1": 1, "rs2": 2, "rs3": 3}
NEW_CONNECTIONS = 300
WRR_CONNECTIONS = 600
# The lab's client address and five more on the same interface: "clients" for the source-hash checks.
CLIENTS = ["10.99.1.2"] + [f"10.99.1.{i}" for i in range(3, 8)]

ECHO_PORT = 7              # realserver.py's TCP echo
LONG_LIVED = 50
ECHO_INTERVAL = 0.05       # each long-lived connection sends one message every 50 ms
MAX_STALL = 1.0            # the longest gap between two echoes a connection may see
PROBE_INTERVAL = 0.002     # new connections during a swap step: back to back, so a gap of a few ms is seen
SWAP_SCHEDULER = "rr"
SWITCH_TO = "wlc"


def svc(port):
    return f"-t {VIP}:{port}"


def karaf_log():
    files = glob.glob(os.path.join(LAB, ".work", "director", "jlvs-*", "data", "log", "karaf.log"))
    if not files:
        return ""
    with open(files[0], errors="replace") as f:
        return f.read()


# ---------------------------------------------------------------- new connections

def get_name(port, source, timeout=5.0):
    """GET / on a new connection from `source` to VIP:port; returns the real server's name."""
    deadline = time.monotonic() + timeout
    with socket.create_connection((VIP, port), timeout=timeout, source_address=(source, 0)) as s:
        s.sendall(f"GET / HTTP/1.1\r\nHost: {VIP}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no end of response after {timeout}s")
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1] if head.startswith(b"HTTP/") else b"?"
    if status != b"200":
        raise RuntimeError(f"HTTP status {status.decode(errors='replace')}")
    return body.decode(errors="replace").strip()


def spread(port, n, time_limit):
    """n new connections to VIP:port, connection i from CLIENTS[i % 6]. Returns ({server: count},
    {client: {server: count}}, errors)."""
    counts, by_client, errors = {}, {}, []
    deadline = time.monotonic() + time_limit
    with netns(NS_CLIENT):
        for i in range(n):
            if time.monotonic() > deadline:
                errors.append(f"time limit {time_limit}s reached after {i} connections")
                break
            client = CLIENTS[i % len(CLIENTS)]
            try:
                name = get_name(port, client)
            except Exception as e:  # counted; the loop stays bounded by n, time and the error count
                errors.append(f"connection {i} from {client}: {e!r}")
                if len(errors) >= 10:
                    errors.append("stopped after 10 errors")
                    break
                continue
            counts[name] = counts.get(name, 0) + 1
            per = by_client.setdefault(client, {})
            per[name] = per.get(name, 0) + 1
    return counts, by_client, errors


def echo_once(timeout=2.0, source=None):
    """One new connection to VIP:7 (from `source` if given) that must echo a message. Returns (outcome, seconds)."""
    t0 = time.monotonic()
    try:
        with socket.create_connection((VIP, ECHO_PORT), timeout=timeout,
                                      source_address=(source, 0) if source else None) as s:
            s.sendall(b"probe\n")
            got = b""
            while len(got) < 6:
                chunk = s.recv(64)
                if not chunk:
                    break
                got += chunk
        outcome = "ok" if got == b"probe\n" else f"echo {got!r}"
    except ConnectionRefusedError:
        outcome = "refused"
    except socket.timeout:
        outcome = "timeout"
    except OSError as e:
        outcome = f"error {e!r}"
    return outcome, time.monotonic() - t0


class Prober:
    """New connections to VIP:7 every PROBE_INTERVAL from a thread in the client namespace, while a step runs."""

    def __init__(self, time_limit=60):
        self.results = []  # (start, outcome, seconds)
        self.stop = threading.Event()
        self.time_limit = time_limit
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        deadline = time.monotonic() + self.time_limit
        with netns(NS_CLIENT):
            while not self.stop.is_set() and time.monotonic() < deadline:
                start = time.monotonic()
                outcome, took = echo_once()
                self.results.append((start, outcome, took))
                self.stop.wait(PROBE_INTERVAL)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(5)

    def failures(self):
        return [(round(t, 3), o) for t, o, _ in self.results if o != "ok"]


# ---------------------------------------------------------------- long-lived connections

class Conn:
    def __init__(self, index, sock):
        self.index, self.sock = index, sock
        self.seq = 0
        self.expect = None          # the message in flight
        self.buf = b""
        self.next_send = 0.0
        self.echoes = []            # monotonic time of every echo received
        self.error = None


class EchoFleet:
    """LONG_LIVED connections to VIP:7, each sending a numbered message every ECHO_INTERVAL and checking its echo,
    driven by one selector thread. Records the time of every echo, so the longest gap of any time window can be
    computed afterwards."""

    def __init__(self, time_limit=300):
        self.conns = []
        self.sel = selectors.DefaultSelector()
        self.stop = threading.Event()
        self.time_limit = time_limit
        self.thread = threading.Thread(target=self._run, daemon=True)

    def open(self):
        with netns(NS_CLIENT):  # the sockets stay in the client namespace; the thread need not be there
            for i in range(LONG_LIVED):
                s = socket.create_connection((VIP, ECHO_PORT), timeout=3.0)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                s.setblocking(False)
                c = Conn(i, s)
                self.conns.append(c)
                self.sel.register(s, selectors.EVENT_READ, c)

    def start(self):
        self.thread.start()

    def _run(self):
        deadline = time.monotonic() + self.time_limit
        while not self.stop.is_set() and time.monotonic() < deadline:
            now = time.monotonic()
            for c in self.conns:
                if c.error is None and c.expect is None and now >= c.next_send:
                    msg = f"{c.index:02d} {c.seq:08d}\n".encode()
                    try:
                        if c.sock.send(msg) != len(msg):
                            self._fail(c, "short send")
                            continue
                    except OSError as e:
                        self._fail(c, f"send: {e!r}")
                        continue
                    c.expect = msg
            for key, _ in self.sel.select(timeout=0.005):
                self._receive(key.data)

    def _receive(self, c):
        try:
            data = c.sock.recv(4096)
        except BlockingIOError:
            return
        except OSError as e:
            self._fail(c, f"recv: {e!r}")
            return
        if not data:
            self._fail(c, "closed by the peer")
            return
        c.buf += data
        if c.expect is None:
            self._fail(c, f"unexpected data {c.buf!r}")
            return
        if len(c.buf) < len(c.expect):
            return  # the rest of the echo is still on its way
        if c.buf != c.expect:
            self._fail(c, f"echo {c.buf!r} for {c.expect!r}")
            return
        t = time.monotonic()
        c.echoes.append(t)
        c.seq += 1
        c.expect, c.buf = None, b""
        c.next_send = t + ECHO_INTERVAL

    def _fail(self, c, why):
        c.error = why
        try:
            self.sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass

    def finish(self):
        self.stop.set()
        self.thread.join(5)
        for c in self.conns:
            try:
                c.sock.close()
            except OSError:
                pass
        self.sel.close()

    def max_gap(self, t0, t1):
        """The longest time any connection went without an echo within [t0, t1] (a gap still open at t1 counts up
        to t1), and the index of that connection."""
        worst, who = 0.0, None
        for c in self.conns:
            times = [t for t in c.echoes if t <= t1]
            prev = max([t for t in times if t < t0], default=None)
            for t in (t for t in times if t >= t0):
                if prev is not None and t - prev > worst:
                    worst, who = t - prev, c.index
                prev = t
            if prev is not None and t1 - prev > worst:
                worst, who = t1 - prev, c.index
        return worst, who

    def errors(self):
        return {c.index: c.error for c in self.conns if c.error}

    def echo_counts(self):
        return [len(c.echoes) for c in self.conns]


# ---------------------------------------------------------------- parsing console output

def scheduler_rows(text):
    """lvs:schedulers --no-format: {name: (bundle id, version, [services])} for the rows of the scheduler table
    (tab-separated), and the lines of the section listing the services whose scheduler is not installed."""
    rows, waiting, in_waiting = {}, [], False
    for line in text.splitlines():
        if line.startswith("Services whose scheduler is not installed"):
            in_waiting = True
            continue
        if in_waiting:
            if line.startswith("Real servers whose") or not line.strip():
                in_waiting = False
            else:
                waiting.append(line.strip())
            continue
        parts = line.rstrip("\r").split("\t", 3)
        if len(parts) == 4 and parts[1].isdigit() and parts[0] in SCHEDULERS:
            rows.setdefault(parts[0], (int(parts[1]), parts[2], [] if parts[3].startswith("-") else parts[3].split(", ")))
    return rows, waiting


def jlvs_bundles(text):
    """bundle:list -s -t 0: {symbolic name: (id, state)} of the org.jlvs bundles."""
    out = {}
    for line in text.splitlines():
        cells = [c.strip() for c in re.split(r"[│|\t]", line)]
        if len(cells) >= 5 and cells[0].isdigit() and cells[-1].startswith("org.jlvs."):
            out[cells[-1]] = (int(cells[0]), cells[1])
    return out


def service_lines(text):
    """lvs:list -n: {port: scheduler} of the TCP services on the VIP."""
    return {int(m.group(1)): m.group(2)
            for m in re.finditer(rf"^TCP\s+{re.escape(VIP)}:(\d+)\s+(\S+)", text, re.M)}


# ---------------------------------------------------------------- scenarios

def configure(d, rep):
    cmds = []
    for i, name in enumerate(SCHEDULERS):
        port = SCHED_BASE_PORT + i
        cmds.append(f"lvs:add-service {svc(port)} -s {name}")
        for rs, ip in RS.items():
            weight = WRR_WEIGHTS[rs] if name == "wrr" else 1
            cmds.append(f"lvs:add-server {svc(port)} -r {ip}:80 -m -w {weight}")
    cmds.append(f"lvs:add-service {svc(ECHO_PORT)} -s {SWAP_SCHEDULER}")
    cmds += [f"lvs:add-server {svc(ECHO_PORT)} -r {ip}:{ECHO_PORT} -m -w 1" for ip in RS.values()]
    cmds.append("lvs:list -n")
    listed = service_lines(d.cli(*cmds))
    want = {SCHED_BASE_PORT + i: name for i, name in enumerate(SCHEDULERS)}
    want[ECHO_PORT] = SWAP_SCHEDULER
    wrong = {p: (s, listed.get(p)) for p, s in want.items() if listed.get(p) != s}
    rep.check("configure_15_services", not wrong, f"lvs:list -n differs (want, listed): {wrong}")
    for ip in CLIENTS[1:]:
        run(["ip", "-n", NS_CLIENT, "addr", "add", f"{ip}/24", "dev", "eth0"], timeout=10)


def every_scheduler(d, rep):
    for i, name in enumerate(SCHEDULERS):
        port = SCHED_BASE_PORT + i
        n = WRR_CONNECTIONS if name == "wrr" else NEW_CONNECTIONS
        t0 = time.monotonic()
        counts, by_client, errors = spread(port, n, time_limit=60)
        took = time.monotonic() - t0
        served = sum(v for k, v in counts.items() if k in RS)
        rep.check(f"{name}_{n}_new_connections", served == n and not errors,
                  f"{served}/{n} served; errors {errors[:3]}",
                  f"{name}: {n} in {took:.1f}s, by server {dict(sorted(counts.items()))}")
        if name == "wrr":
            want = {rs: WRR_CONNECTIONS * w // sum(WRR_WEIGHTS.values()) for rs, w in WRR_WEIGHTS.items()}
            off = {rs: counts.get(rs, 0) for rs, w in want.items() if abs(counts.get(rs, 0) - w) > 0.05 * w}
            rep.check("wrr_weights_1_2_3", not off, f"want {want} +-5 %, got {dict(sorted(counts.items()))}")
        if name in ("sh", "mh"):  # both hash the source address
            split = {c: per for c, per in by_client.items() if len(per) != 1}
            pinned = {c: next(iter(per)) for c, per in sorted(by_client.items()) if len(per) == 1}
            rep.check(f"{name}_one_server_per_client", not split and len(by_client) == len(CLIENTS),
                      f"clients spread over several servers: {split} (seen {len(by_client)} clients)",
                      f"{name}: client -> server {pinned}")


def hot_swap(d, rep):
    log_opened_before = karaf_log().count("opened eth")
    before = d.cli("lvs:schedulers --no-format", "bundle:list -s -t 0")
    rows, _ = scheduler_rows(before)
    bundles_before = jlvs_bundles(before)
    if SWAP_SCHEDULER not in rows:
        rep.fail("swap_find_bundle", f"lvs:schedulers lists no {SWAP_SCHEDULER}:\n{before}")
        return
    rr_id = rows[SWAP_SCHEDULER][0]
    on_rr = f"TCP {VIP}:{ECHO_PORT}"
    listed_ok = (bundles_before.get(f"org.jlvs.scheduler.{SWAP_SCHEDULER}", (None,))[0] == rr_id
                 and on_rr in rows[SWAP_SCHEDULER][2] and len(rows) == len(SCHEDULERS))
    rep.check("schedulers_lists_bundle_ids", listed_ok,
              f"lvs:schedulers and bundle:list disagree or lack {on_rr}:\n{before}",
              f"{SWAP_SCHEDULER} is bundle {rr_id}; {len(rows)} schedulers listed")

    fleet = EchoFleet()
    fleet.open()
    fleet.start()
    try:
        time.sleep(1.0)
        ok0, _ = fleet.max_gap(time.monotonic() - 1.0, time.monotonic())
        steps = {}

        # (1) bundle:update of the active scheduler's bundle
        t0 = time.monotonic()
        with Prober() as probes:
            after_update = d.cli(f"bundle:update {rr_id}", "lvs:schedulers --no-format")
            time.sleep(1.0)
        t1 = time.monotonic()
        steps["update"] = (t0, t1)
        rows, _ = scheduler_rows(after_update)
        rep.check("update_keeps_bundle_id_and_binding",
                  rows.get(SWAP_SCHEDULER, (None, None, []))[0] == rr_id and on_rr in rows[SWAP_SCHEDULER][2],
                  f"after bundle:update {rr_id}: {rows.get(SWAP_SCHEDULER)}")
        fails = probes.failures()
        span = (fails[-1][0] - fails[0][0]) * 1000 if fails else 0
        rep.check("update_new_connections_succeed", probes.results and not fails,
                  f"{len(fails)} of {len(probes.results)} failed within {span:.0f} ms: {fails[:5]}",
                  f"{len(probes.results)} new connections during bundle:update, all served")

        # (2) uninstall, refusals, reinstall
        t0 = time.monotonic()
        logged_before = karaf_log().count(f"service {on_rr}: scheduler {SWAP_SCHEDULER} is not installed")
        gone = d.cli(f"feature:uninstall -r jlvs-scheduler-{SWAP_SCHEDULER}", "lvs:counters")
        dropped_before = parse_counters(gone).get("dropped_no_scheduler")
        refusals = []
        with netns(NS_CLIENT):
            for i in range(20):
                # from the six client addresses: port unreachables are rate-limited per client as by the
                # kernel (a burst of 6, then one a second), and 20 from one would wait for SYN retransmits
                refusals.append(echo_once(timeout=10.0, source=CLIENTS[i % len(CLIENTS)]))
                time.sleep(0.05)
        absent = d.cli("lvs:counters", "lvs:schedulers --no-format", f"feature:install -r jlvs-scheduler-{SWAP_SCHEDULER}")
        installed_at = time.monotonic()
        # outcomes, not durations: a connection ends "refused" only through the director's port unreachable
        slow = [(o, round(s, 3)) for o, s in refusals if o != "refused"]
        rep.check("uninstalled_new_connections_refused", not slow,
                  f"not refused: {slow}",
                  f"20 refused, slowest after {max(s for _, s in refusals) * 1000:.0f} ms")
        dropped_after = parse_counters(absent).get("dropped_no_scheduler")
        rep.check("uninstalled_refusals_counted",
                  dropped_before is not None and dropped_after == dropped_before + len(refusals),
                  f"dropped_no_scheduler {dropped_before} -> {dropped_after}, {len(refusals)} refused",
                  f"dropped_no_scheduler {dropped_before} -> {dropped_after}")
        rows, waiting = scheduler_rows(absent)
        rep.check("uninstalled_listed_as_waiting",
                  SWAP_SCHEDULER not in rows and f"TCP  {VIP}:{ECHO_PORT} {SWAP_SCHEDULER}" in waiting,
                  f"lvs:schedulers while {SWAP_SCHEDULER} is gone:\n{absent}")
        first_ok, back = None, []
        with netns(NS_CLIENT):
            while time.monotonic() - installed_at < 10:
                outcome, _ = echo_once()
                if outcome == "ok":
                    first_ok = time.monotonic() - installed_at
                    break
                time.sleep(0.05)
            if first_ok is not None:
                back = [echo_once()[0] for _ in range(20)]
        rep.check("reinstalled_new_connections_accepted",
                  first_ok is not None and first_ok < 2.0 and back.count("ok") == 20,
                  f"first success {first_ok} s after feature:install returned, then {back}",
                  f"first new connection served {first_ok * 1000 if first_ok else 0:.0f} ms after feature:install"
                  " returned, then 20 of 20")
        logged = karaf_log().count(f"service {on_rr}: scheduler {SWAP_SCHEDULER} is not installed") - logged_before
        rep.check("uninstalled_logged_once", logged == 1, f"{logged} log lines for {len(refusals)} refusals")
        t1 = time.monotonic()
        steps["uninstall+install"] = (t0, t1)

        # (3) switch the service to another scheduler
        t0 = time.monotonic()
        with Prober() as probes:
            switched = d.cli(f"lvs:edit-service {svc(ECHO_PORT)} -s {SWITCH_TO}", "lvs:list -n", "lvs:schedulers --no-format")
            time.sleep(1.0)
        t1 = time.monotonic()
        steps["edit-service"] = (t0, t1)
        rows, _ = scheduler_rows(switched)
        rep.check("switched_scheduler", service_lines(switched).get(ECHO_PORT) == SWITCH_TO
                  and on_rr in rows.get(SWITCH_TO, (0, "", []))[2],
                  f"after lvs:edit-service -s {SWITCH_TO}:\n{switched}")
        fails = probes.failures()
        rep.check("switch_new_connections_succeed", probes.results and not fails,
                  f"{len(fails)} of {len(probes.results)} failed: {fails[:5]}",
                  f"{len(probes.results)} new connections during edit-service, all served")
        time.sleep(0.5)
        end = time.monotonic()
    finally:
        fleet.finish()

    errors = fleet.errors()
    counts = fleet.echo_counts()
    rep.check("long_lived_none_reset", not errors, f"{len(errors)} connections failed: {dict(list(errors.items())[:5])}",
              f"{LONG_LIVED} connections, {min(counts)}..{max(counts)} echoes each, none reset")
    for step, (t0, t1) in steps.items():
        gap, who = fleet.max_gap(t0, t1)
        rep.check(f"long_lived_max_stall_{step}", gap <= MAX_STALL,
                  f"connection {who} waited {gap:.3f}s for an echo (limit {MAX_STALL}s)",
                  f"{step}: longest gap between echoes {gap * 1000:.0f} ms (steady state {ok0 * 1000:.0f} ms),"
                  f" step took {t1 - t0:.1f}s")
    gap, who = fleet.max_gap(steps["update"][0], end)
    rep.check("long_lived_max_stall_overall", gap <= MAX_STALL, f"connection {who} waited {gap:.3f}s",
              f"longest gap over all steps {gap * 1000:.0f} ms")

    after = d.cli("bundle:list -s -t 0")
    bundles_after = jlvs_bundles(after)
    rr_name = f"org.jlvs.scheduler.{SWAP_SCHEDULER}"
    changed = {n: (b, bundles_after.get(n)) for n, b in bundles_before.items()
               if n != rr_name and bundles_after.get(n) != b}
    rep.check("data_plane_bundles_untouched", len(bundles_before) >= 20 and not changed
              and all(state == "Active" for _, state in bundles_after.values()),
              f"changed (before, after): {changed}; after: {bundles_after}",
              f"{len(bundles_before) - 1} other jlvs bundles kept id and state; {SWAP_SCHEDULER} is now bundle"
              f" {bundles_after.get(rr_name, ('?',))[0]}")
    opened = karaf_log().count("opened eth")
    rep.check("capture_not_reopened", log_opened_before > 0 and opened == log_opened_before,
              f"'opened eth' lines in karaf.log: {log_opened_before} before, {opened} after")


# ---------------------------------------------------------------- each scheduler's rule, with real traffic

RULE_BASE_PORT = 8200
VIP2 = None  # chosen in scheduler_rules: a second virtual address whose dh bucket names another server


def hold(port, source, vip=VIP, timeout=5.0):
    """A keep-alive GET / to vip:port from `source`, answered and kept open (ESTABLISHED: an active connection
    for the schedulers). Returns (socket, the real server's name); raises ConnectionRefusedError if refused."""
    s = socket.create_connection((vip, port), timeout=timeout, source_address=(source, 0))
    try:
        s.sendall(f"GET / HTTP/1.1\r\nHost: {vip}\r\n\r\n".encode())
        data = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < content_length(data):
            if time.monotonic() > deadline:
                raise TimeoutError("no whole answer")
            chunk = s.recv(4096)
            if not chunk:
                raise RuntimeError(f"closed after {data!r}")
            data += chunk
        return s, data.partition(b"\r\n\r\n")[2].decode().strip()
    except BaseException:
        s.close()
        raise


def content_length(data):
    m = re.search(rb"(?i)content-length:\s*(\d+)", data)
    return int(m.group(1)) if m else 0


def possible_outcomes(rule, weights, active, n):
    """Every way IPVS's rule can spread n new (held) connections over the servers, given their weights and
    active connections, over all tie-breaks (the kernel keeps the first of equals in its list order, which
    the check leaves open): lc = least (active << 8) + inactive; wlc = that / weight; sed = (active + 1) /
    weight; nq = an idle server first, else sed. Servers of weight 0 are skipped."""
    from fractions import Fraction
    states = {(0,) * len(weights)}
    for _ in range(n):
        following = set()
        for st in states:
            a = [active[i] + st[i] for i in range(len(weights))]
            cand = [i for i, w in enumerate(weights) if w > 0]
            r = rule
            if r == "nq":
                idle = [i for i in cand if a[i] == 0]
                if idle:
                    for i in idle:
                        following.add(tuple(v + (j == i) for j, v in enumerate(st)))
                    continue
                r = "sed"
            key = {"lc": lambda i: Fraction(a[i] << 8), "wlc": lambda i: Fraction(a[i] << 8, weights[i]),
                   "sed": lambda i: Fraction(a[i] + 1, weights[i])}[r]
            low = min(key(i) for i in cand)
            for i in cand:
                if key(i) == low:
                    following.add(tuple(v + (j == i) for j, v in enumerate(st)))
        states = following
    return states


def dh_server(vip):
    """jlvs's dh (ip_vs_dh.c): bucket hash_32(vip, 8) of 256, filled with the servers in turn (order added)."""
    a = struct.unpack("!I", socket.inet_aton(vip))[0]
    bucket = ((a * 0x61C88647) & 0xFFFFFFFF) >> 24
    return list(RS)[bucket % len(RS)]


def scheduler_rules(d, rep):
    global VIP2
    names = list(RS)
    VIP2 = next(f"10.99.1.{i}" for i in range(101, 120) if dh_server(f"10.99.1.{i}") != dh_server(VIP))
    held = []
    try:
        # lc, wlc, sed, nq: connections held on one server (the others at weight 0), then other weights and more
        # held connections; two setups whose allowed outcomes differ for every pair of the four rules
        setups = ((0, "rs1", 6, [1, 1, 2], 12), (10, "rs2", 3, [1, 8, 2], 5))
        for k, rule in enumerate(("lc", "wlc", "sed", "nq")):
            for offset, loaded, pre, weights, n in setups:
                port = RULE_BASE_PORT + offset + k
                d.cli(f"lvs:add-service {svc(port)} -s {rule}",
                      *[f"lvs:add-server {svc(port)} -r {ip}:80 -m -w {1 if rs == loaded else 0}"
                        for rs, ip in RS.items()])
                with netns(NS_CLIENT):
                    first = [hold(port, CLIENTS[j % len(CLIENTS)]) for j in range(pre)]
                held += [sock for sock, _ in first]
                d.cli(*[f"lvs:edit-server {svc(port)} -r {RS[rs]}:80 -m -w {w}" for rs, w in zip(names, weights)])
                with netns(NS_CLIENT):
                    more = [hold(port, CLIENTS[j % len(CLIENTS)]) for j in range(n)]
                held += [sock for sock, _ in more]
                got = tuple(sum(1 for _, name in more if name == rs) for rs in names)
                want = possible_outcomes(rule, weights, [pre if rs == loaded else 0 for rs in names], n)
                rep.check(f"{rule}_rule_{loaded}_{pre}_held",
                          all(name == loaded for _, name in first) and got in want,
                          f"preload {[name for _, name in first]}; then rs1/rs2/rs3 got {got}, the rule allows "
                          f"{sorted(want)}",
                          f"{rule}: {pre} held on {loaded}, then weights {weights}: the next {n} went {got} "
                          f"(the rule allows {sorted(want)})")
                reset_all(held)
                held = []

        port = RULE_BASE_PORT + 4  # fo: every new connection to the heaviest available server
        d.cli(f"lvs:add-service {svc(port)} -s fo",
              *[f"lvs:add-server {svc(port)} -r {ip}:80 -m -w {w}" for ip, w in zip(RS.values(), (1, 3, 2))])
        counts, _, errors = spread(port, 30, time_limit=60)
        rep.check("fo_all_to_the_heaviest", counts == {"rs2": 30} and not errors, f"{counts}, errors {errors[:3]}",
                  "fo: 30 of 30 to rs2 (weight 3 of 1/3/2)")

        port = RULE_BASE_PORT + 5  # ovf: highest weight until its active > weight; rs1 overloaded by -x 2
        d.cli(f"lvs:add-service {svc(port)} -s ovf", f"lvs:add-server {svc(port)} -r {RS['rs1']}:80 -m -w 3 -x 2",
              f"lvs:add-server {svc(port)} -r {RS['rs2']}:80 -m -w 2", f"lvs:add-server {svc(port)} -r {RS['rs3']}:80 -m -w 1")
        order = []
        with netns(NS_CLIENT):
            for j in range(8):
                try:
                    sock, name = hold(port, CLIENTS[0])
                    held.append(sock)
                    order.append(name)
                except ConnectionRefusedError:
                    order.append("refused")
        want = ["rs1", "rs1", "rs2", "rs2", "rs2", "rs3", "rs3", "refused"]
        rep.check("ovf_overflows_past_x_and_weights", order == want, f"held connections went {order}, want {want}",
                  f"ovf (rs1 -w 3 -x 2, rs2 -w 2, rs3 -w 1): {order}")
        reset_all(held)
        held = []

        port = RULE_BASE_PORT + 6  # dh: a fixed server per destination address, whatever the load
        d.cli(*[c for vip in (VIP, VIP2) for c in
                [f"lvs:add-service -t {vip}:{port} -s dh"] +
                [f"lvs:add-server -t {vip}:{port} -r {ip}:80 -m -w 1" for ip in RS.values()]])
        seen = {}
        with netns(NS_CLIENT):
            for vip in (VIP, VIP2):
                for j in range(12):
                    sock, name = hold(port, CLIENTS[j % len(CLIENTS)], vip=vip)
                    held.append(sock)
                    seen.setdefault(vip, set()).add(name)
        want = {VIP: {dh_server(VIP)}, VIP2: {dh_server(VIP2)}}
        rep.check("dh_fixed_mapping_per_destination", seen == want, f"servers by VIP {seen}, want {want}",
                  f"dh: 12 held connections each: {VIP} -> {dh_server(VIP)}, {VIP2} -> {dh_server(VIP2)}")
        reset_all(held)
        held = []

        # lblc, lblcr: the destination (the VIP) keeps the server it was given while others have fewer
        # connections (weights 100: no overload); rs1 is quiesced for the first connection only, so a
        # scheduler that takes the first or the least loaded server would pick rs1 afterwards
        for k, rule in enumerate(("lblc", "lblcr")):
            port = RULE_BASE_PORT + 7 + k
            d.cli(f"lvs:add-service {svc(port)} -s {rule}",
                  *[f"lvs:add-server {svc(port)} -r {ip}:80 -m -w {0 if rs == 'rs1' else 100}" for rs, ip in RS.items()])
            with netns(NS_CLIENT):
                sock, given = hold(port, CLIENTS[0])
                held.append(sock)
            d.cli(f"lvs:edit-server {svc(port)} -r {RS['rs1']}:80 -m -w 100")
            with netns(NS_CLIENT):
                more = [hold(port, CLIENTS[j % len(CLIENTS)]) for j in range(10)]
            held += [sock for sock, _ in more]
            went = sorted({name for _, name in more})
            rep.check(f"{rule}_locality", given != "rs1" and went == [given],
                      f"the VIP was given {given}; with rs1 back (and idle) the next 10 went to {went}",
                      f"{rule}: the VIP was given {given}; 10 held connections later, all still on {given}")
            reset_all(held)
            held = []
    finally:
        reset_all(held)


# ---------------------------------------------------------------- main

def main():
    args = suite_args(__doc__, "e2e_schedulers.py")
    return run_suite(Report("e2e-schedulers"), Appliance(), (configure, every_scheduler, scheduler_rules, hot_swap),
                     keep=args.keep)

if __name__ == "__main__":
    sys.exit(main())
