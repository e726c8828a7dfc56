#!/usr/bin/env python3
"""End-to-end tests of the health monitor (keepalived's checkers) in the lab (python3 stdlib; run as root).

    lab/e2e_health.py     brings the lab up, starts the built appliance once, runs the scenarios, tears down

Each real server runs a second HTTP server on :8000 that this test starts and stops (realserver.py), rs1 also a
"sorry" server on :8001. Service VIP:8000 (rr) has the three as real servers, each with an HTTP check
(delay_loop 1 s, connect_timeout 1 s, retry 1, delay_before_retry 1 s, no warmup). A client loop opens a new
connection per request through the VIP all along (about 30 a second).

1. removal: rs2's HTTP server stops. The monitor removes it (its DOWN log line; the time after the stop is
   printed next to keepalived's delay_loop + (retry + 1) x (connect_timeout + delay_before_retry) = 5 s, and
   waited for up to a generous minute more: on a shared machine the checks run late, and their timing is the
   unit tests' job, on a controlled clock), and from then on every request succeeds (the next 30 requests).
2. return: rs2's server starts again: it is back (UP log line, the time printed next to two delay_loops) and
   serves requests.
3. inhibit_on_failure: rs3's check is re-added with --inhibit-on-failure, a keep-alive connection is opened to
   rs3 through the VIP, then rs3 drops the director's checks (nftables, source 10.99.2.1 only): rs3 gets weight
   0 and DOWN in lvs:list, its established connection stays in the connection table and still answers, new
   connections go to rs1 and rs2 only; when the filter is lifted rs3 returns to weight 1.
4. sorry server: lvs:edit-service --sorry-server 10.99.2.11:8001; all three servers stop: the service switches
   to the sorry server (every request answered "sorry"); they start again: back to rs1..rs3, the sorry server
   leaves the table.
5. hot swap: the http checker's feature is uninstalled (-r): the checks are SUSPENDED and lvs:list does not
   change for 4 s (no flap) even though rs1 stops meanwhile; reinstalled, the checks resume and rs1 goes DOWN.
6. IPv6 (run between 2 and 3): the same three servers checked over IPv6 behind the VIP6 ([VIP6]:8000,
   HTTP checks of [RIP6]:8000); rs2's server stops: the monitor takes [rs2]:8000 out of the IPv6 service and
   30 requests over IPv6 are all answered by rs1/rs3; it starts again: back in the IPv6 service.

Prints `PASS name` / `FAIL name: reason` per check, then `e2e-health: N passed, M failed`; exits non-zero on
any failure. Every loop is bounded in count and time, every socket has a timeout, the lab is always torn down.
"""
import datetime
import glob
import os
import re
import socket
import subprocess
import sys
import threading
import time

LAB = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
from e2e import NS_CLIENT, NS_RS, RS, RS6, VIP, VIP6, Appliance, Report, http_get, netns, run, run_suite, suite_args  # noqa: E402

PORT = 8000
SORRY_PORT = 8001
NS_OF = {f"rs{i}": NS_RS[i - 1] for i in (1, 2, 3)}
DIRECTOR_SERVER_IP = "10.99.2.1"
# delay_loop + (retry + 1) x (connect_timeout + delay_before_retry)
REMOVAL_BOUND = 1 + (1 + 1) * (1 + 1)
RETURN_BOUND = 2 * 1
CHECK_OPTIONS = "--type http --path / --status-code 200 --delay-loop 1 --connect-timeout 1 --retry 1 --delay-before-retry 1 --warmup 0"
SVC = f"-t {VIP}:{PORT}"


class Servers:
    """The :8000 HTTP servers (and the :8001 sorry server) in the real servers' namespaces, started and stopped
    by the test."""

    def __init__(self):
        self.procs = {}

    def start(self, name, port=PORT, label=None):
        label = label or name
        key = (name, port)
        if key in self.procs and self.procs[key].poll() is None:
            return
        udp = 7100 + (port - PORT) * 10 + int(name[-1])
        self.procs[key] = subprocess.Popen(
            ["ip", "netns", "exec", NS_OF[name], sys.executable, os.path.join(LAB, "realserver.py"), "--name", label,
             "--http-port", str(port), "--udp-port", str(udp), "--tcp-echo-port", str(udp)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60  # generous: the machine is shared
        while time.monotonic() < deadline:
            out = run(["ip", "netns", "exec", NS_OF[name], "ss", "-Hltn", f"sport = :{port}"], timeout=10, check=False)
            if out.strip():
                return
            time.sleep(0.05)
        raise RuntimeError(f"{name}: nothing listens on :{port}")

    def stop(self, name, port=PORT):
        p = self.procs.pop((name, port), None)
        if p and p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)

    def stop_all(self):
        for name, port in list(self.procs):
            self.stop(name, port)


class ClientLoop(threading.Thread):
    """New connections through VIP:PORT, one after the other (20 ms apart), each recorded as
    (wall time, who answered or None, error)."""

    def __init__(self, limit_s=900):
        super().__init__(daemon=True)
        self.records = []
        self.stop_event = threading.Event()
        self.limit_s = limit_s

    def run(self):
        deadline = time.monotonic() + self.limit_s
        with netns(NS_CLIENT):
            while not self.stop_event.is_set() and time.monotonic() < deadline and len(self.records) < 50000:
                t = time.time()
                try:
                    status, body = http_get("/", addr=(VIP, PORT), timeout=2.0)
                    self.records.append((t, body.decode(errors="replace").strip() if status == 200 else f"HTTP{status}", None))
                except Exception as e:  # counted: the loop goes on
                    self.records.append((t, None, repr(e)))
                time.sleep(0.02)

    def since(self, t0, t1=None):
        return [r for r in list(self.records) if r[0] >= t0 and (t1 is None or r[0] < t1)]

    def finish(self):
        self.stop_event.set()
        self.join(10)


def karaf_log_path():
    paths = glob.glob(os.path.join(LAB, ".work", "director", "jlvs-*", "data", "log", "karaf.log"))
    if not paths:
        raise RuntimeError("no karaf.log")
    return paths[0]


LOG_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})[,.](\d{3})")


def log_event_time(pattern, after, timeout):
    """Waits up to `timeout` s for a karaf.log line matching `pattern` logged at or after wall time `after`;
    returns its time (from the log's own timestamp) or None."""
    rx = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(karaf_log_path(), errors="replace") as f:
            for line in f:
                if not rx.search(line):
                    continue
                m = LOG_TIME.match(line)
                if not m:
                    continue
                t = datetime.datetime.strptime(f"{m.group(1)} {m.group(2)}", "%Y-%m-%d %H:%M:%S").timestamp() + int(m.group(3)) / 1000
                if t >= after - 0.001:
                    return t
        time.sleep(0.2)
    return None


def down_line(name):
    return rf"real server {re.escape(RS[name])}:{PORT} of TCP {re.escape(VIP)}:{PORT} is DOWN"


def up_line(name):
    return rf"real server {re.escape(RS[name])}:{PORT} of TCP {re.escape(VIP)}:{PORT} is UP"


def listing(d):
    return d.cli(f"lvs:list -n {SVC}")


def dest_line(text, name, port=PORT):
    for line in text.splitlines():
        if re.match(rf"\s+->\s+{re.escape(RS[name])}:{port}\s", line):
            return line
    return None


def members(text):
    """The real servers of a listing with their weights: what a flap would change."""
    return sorted(re.findall(r"->\s+(\S+)\s+\S+\s+(\d+)\s", text))


# How long an outcome is waited for beyond its nominal time: generous, the machine is shared.
SLACK = 60
# Requests after an event that a check looks at: an outcome (a count), not a window of wall-clock time.
SAMPLE = 30


def wait_requests(client, t0, n=SAMPLE, timeout=120):
    """The first n requests the client loop started at or after t0, once there are n (fewer at the deadline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = client.since(t0)
        if len(got) >= n:
            return got[:n]
        time.sleep(0.2)
    return client.since(t0)


def wait_for(fn, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    return last


# ---------------------------------------------------------------- scenarios

def configure(d, rep, servers):
    for name in RS:
        servers.start(name)
    servers.start("rs1", SORRY_PORT, "sorry")
    cmds = [f"lvs:add-service {SVC} -s rr"]
    cmds += [f"lvs:add-server {SVC} -r {ip}:{PORT} -m -w 1" for ip in RS.values()]
    cmds += [f"lvs:check-add {SVC} -r {ip}:{PORT} {CHECK_OPTIONS}" for ip in RS.values()]
    d.cli(*cmds)
    text = wait_for(lambda: (lambda t: t if len(re.findall(r"\shttp\s+UP\s+UP\s", t)) == 3 else None)(d.cli(f"lvs:checks --no-format {SVC}")), 15 + SLACK, 1)
    rep.check("configure_three_checks_up", bool(text), f"lvs:checks: {d.cli(f'lvs:checks --no-format {SVC}')}",
              "3 http checks UP")


def removal_and_return(d, rep, servers, client):
    time.sleep(2)
    t_stop = time.time()
    servers.stop("rs2")
    t_down = log_event_time(down_line("rs2"), t_stop, REMOVAL_BOUND + SLACK)
    if t_down is None:
        rep.fail("removed", f"no DOWN line for rs2 within {REMOVAL_BOUND + SLACK}s")
        return
    took = t_down - t_stop
    rep.ok("removed", f"rs2 removed {took:.2f}s after its server stopped (keepalived's nominal {REMOVAL_BOUND}s)")
    text = listing(d)
    rep.check("removed_shown_in_list", dest_line(text, "rs2") is None and re.search(rf"--\s+{re.escape(RS['rs2'])}:{PORT}\s+DOWN", text),
              f"lvs:list:\n{text}")
    after = wait_requests(client, t_down + 0.2)
    failed = [r for r in after if r[1] is None]
    before = [r for r in client.since(t_stop, t_down) if r[1] is None]
    rep.check("every_request_succeeds_after_removal", after and not failed and all(r[1] in ("rs1", "rs3") for r in after),
              f"{len(failed)} of {len(after)} failed after the removal: {failed[:3]}",
              f"{len(after)} requests after the removal, all answered by rs1/rs3 ({len(before)} failed before it)")
    t_start = time.time()
    servers.start("rs2")
    t_up = log_event_time(up_line("rs2"), t_start, RETURN_BOUND + SLACK)
    if t_up is None:
        rep.fail("back", f"no UP line for rs2 within {RETURN_BOUND + SLACK}s")
        return
    rep.ok("back", f"rs2 back {t_up - t_start:.2f}s after its server started (two delay_loops: {RETURN_BOUND}s)")
    served = wait_for(lambda: [r for r in client.since(t_up + 0.2) if r[1] == "rs2"], 120) or []
    rep.check("returned_server_serves", len(served) > 0, "rs2 got no request after its return",
              f"rs2 served {len(served)} requests after its return")


SVC6 = f"-t '[{VIP6}]:{PORT}'"  # quoted: Karaf's console reads a bare [..] as a list


def ipv6_dest(text, name):
    return re.search(rf"->\s+\[{re.escape(RS6[name])}\]:{PORT}\s", text) is not None


def ipv6_removal_and_return(d, rep, servers, client):
    """HTTP checks over IPv6 take an IPv6 real server out of its service and put it back."""
    cmds = [f"lvs:add-service {SVC6} -s rr"]
    cmds += [f"lvs:add-server {SVC6} -r '[{ip}]:{PORT}' -m -w 1" for ip in RS6.values()]
    cmds += [f"lvs:check-add {SVC6} -r '[{ip}]:{PORT}' {CHECK_OPTIONS}" for ip in RS6.values()]
    d.cli(*cmds)
    up = wait_for(lambda: (lambda t: t if len(re.findall(r"\shttp\s+UP\s+UP\s", t)) == 3 else None)(
        d.cli(f"lvs:checks --no-format {SVC6}")), 15 + SLACK, 1)
    rep.check("ipv6_three_checks_up", bool(up), f"lvs:checks: {d.cli(f'lvs:checks --no-format {SVC6}')}",
              "3 http checks of IPv6 real servers UP")
    servers.stop("rs2")
    gone = wait_for(lambda: not ipv6_dest(d.cli(f"lvs:list -n {SVC6}"), "rs2"), REMOVAL_BOUND + SLACK)
    rep.check("ipv6_removed", gone, f"[{RS6['rs2']}]:{PORT} still listed: {d.cli(f'lvs:list -n {SVC6}')}",
              f"[{RS6['rs2']}]:{PORT} taken out of the IPv6 service")
    answered, errors = {}, []
    with netns(NS_CLIENT):
        for i in range(SAMPLE):
            try:
                status, body = http_get("/", addr=(VIP6, PORT), timeout=5.0)
                who = body.decode(errors="replace").strip() if status == 200 else f"HTTP{status}"
                answered[who] = answered.get(who, 0) + 1
            except Exception as e:  # counted; bounded by SAMPLE
                errors.append(repr(e))
    rep.check("ipv6_every_request_succeeds_after_removal", not errors and set(answered) <= {"rs1", "rs3"},
              f"answered {answered}, errors {errors[:3]}", f"{SAMPLE} requests over IPv6: {answered}")
    servers.start("rs2")
    back = wait_for(lambda: ipv6_dest(d.cli(f"lvs:list -n {SVC6}"), "rs2"), RETURN_BOUND + SLACK)
    rep.check("ipv6_back", back, f"[{RS6['rs2']}]:{PORT} not back: {d.cli(f'lvs:list -n {SVC6}')}",
              f"[{RS6['rs2']}]:{PORT} back in the IPv6 service")
    # the IPv4 checks of rs2 saw the same stop: wait until rs2 serves the IPv4 service again
    wait_for(lambda: dest_line(listing(d), "rs2") is not None, RETURN_BOUND + SLACK)


def keepalive_connection_to(name, tries=9):
    """A keep-alive HTTP connection through the VIP that landed on `name` (rr: one of a few tries)."""
    with netns(NS_CLIENT):
        for _ in range(tries):
            s = socket.create_connection((VIP, PORT), timeout=3)
            who = request_on(s)
            if who == name:
                return s
            s.close()
    raise RuntimeError(f"no connection landed on {name}")


def request_on(s):
    s.sendall(f"GET / HTTP/1.1\r\nHost: {VIP}\r\n\r\n".encode())
    data = b""
    deadline = time.monotonic() + 3
    while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < int(re.search(rb"Content-Length: (\d+)", data).group(1)):
        if time.monotonic() > deadline:
            raise TimeoutError("no full response")
        chunk = s.recv(4096)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data.partition(b"\r\n\r\n")[2].decode().strip()


NFT_TABLE = "jlvs_e2e_health"


def block_checks(name, on):
    ns = NS_OF[name]
    if on:
        rules = (f"table ip {NFT_TABLE} {{\n  chain checks {{\n    type filter hook input priority 0; policy accept;\n"
                 f"    ip saddr {DIRECTOR_SERVER_IP} tcp dport {PORT} drop\n  }}\n}}\n")
        run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=rules, timeout=10)
    else:
        run(["ip", "netns", "exec", ns, "nft", "delete", "table", "ip", NFT_TABLE], timeout=10, check=False)


def inhibit(d, rep, servers, client):
    d.cli(f"lvs:check-remove {SVC} -r {RS['rs3']}:{PORT}",
          f"lvs:check-add {SVC} -r {RS['rs3']}:{PORT} {CHECK_OPTIONS} --inhibit-on-failure")
    time.sleep(1.5)
    conn = keepalive_connection_to("rs3")
    try:
        t_block = time.time()
        block_checks("rs3", True)
        t_down = log_event_time(down_line("rs3"), t_block, REMOVAL_BOUND + SLACK)
        rep.check("inhibit_down", t_down is not None, f"no DOWN line for rs3 within {REMOVAL_BOUND + SLACK}s",
                  f"rs3 inhibited {t_down - t_block:.2f}s after its checks were blocked" if t_down else None)
        text = listing(d)
        line = dest_line(text, "rs3")
        rep.check("inhibit_weight_zero_in_table", line is not None and re.search(r"Masq\s+0\s", line) and line.rstrip().endswith("DOWN"),
                  f"rs3 line: {line!r}\n{text}", line.strip() if line else None)
        # every entry (the default is the first 1000): the client loop leaves about 30 TIME_WAIT entries a second
        conns = d.cli(f"lvs:list -c --limit 0 {SVC}")
        est = [l for l in conns.splitlines() if "ESTABLISHED" in l and f"{RS['rs3']}:{PORT}" in l]
        rep.check("inhibit_established_connection_stays", len(est) >= 1,
                  f"no ESTABLISHED entry to rs3 among {len(conns.splitlines())} lines:\n{conns[-3000:]}",
                  est[0].strip() if est else None)
        with netns(NS_CLIENT):
            who = request_on(conn)
        rep.check("inhibit_established_connection_works", who == "rs3", f"answer {who!r} on the kept connection")
        new = wait_requests(client, time.time())
        rep.check("inhibit_new_connections_elsewhere", new and all(r[1] in ("rs1", "rs2") for r in new),
                  f"new connections: {sorted(set(str(r[1]) for r in new))}", f"{len(new)} new connections to rs1/rs2 only")
    finally:
        block_checks("rs3", False)
        conn.close()
    line = wait_for(lambda: (lambda l: l if l and re.search(r"Masq\s+1\s", l) else None)(dest_line(listing(d), "rs3")), 10 + SLACK, 1)
    rep.check("inhibit_weight_restored", bool(line), "rs3 did not return to weight 1", line.strip() if line else None)


def sorry_server(d, rep, servers, client):
    d.cli(f"lvs:edit-service {SVC} --sorry-server {RS['rs1']}:{SORRY_PORT}")
    t_stop = time.time()
    for name in RS:
        servers.stop(name)
    sorry_line = wait_for(lambda: (lambda t: t if re.search(rf"->\s+{re.escape(RS['rs1'])}:{SORRY_PORT}\s.*SORRY", t) else None)(listing(d)),
                          REMOVAL_BOUND + SLACK, 1)
    rep.check("sorry_server_in_when_all_down", bool(sorry_line), f"no sorry server in lvs:list:\n{listing(d)}")
    time.sleep(1)
    answers = wait_requests(client, time.time())
    rep.check("sorry_server_answers", answers and all(r[1] == "sorry" for r in answers),
              f"answers {sorted(set(str(r[1]) for r in answers))}", f"{len(answers)} requests answered by the sorry server")
    t_start = time.time()
    for name in RS:
        servers.start(name)
    back = wait_for(lambda: (lambda t: t if not re.search(rf":{SORRY_PORT}\s", t) and all(dest_line(t, n) for n in RS) else None)(listing(d)),
                    RETURN_BOUND + SLACK, 1)
    rep.check("sorry_server_out_when_back", bool(back), f"lvs:list:\n{listing(d)}",
              f"rs1..rs3 back and the sorry server out {time.time() - t_start:.1f}s after the restart")
    time.sleep(2)
    after = wait_requests(client, time.time())
    rep.check("real_servers_answer_again", after and all(r[1] in RS for r in after),
              f"answers {sorted(set(str(r[1]) for r in after))}")


def hot_swap(d, rep, servers, client):
    d.cli(f"lvs:edit-service {SVC} --sorry-server none")
    before = listing(d)
    d.cli("feature:uninstall -r jlvs-check-http")
    checks = d.cli(f"lvs:checks --no-format {SVC}")
    rep.check("hot_swap_checks_suspended", len(re.findall(r"\shttp\s+SUSPENDED\s", checks)) == 3, f"lvs:checks:\n{checks}")
    servers.stop("rs1")
    time.sleep(4)
    during = listing(d)
    rep.check("hot_swap_no_flap", members(during) == members(before),
              f"real servers or weights changed without a checker:\n{before}\n---\n{during}",
              f"for 4 s without a checker (rs1 stopped meanwhile) the service kept {members(during)}")
    t_install = time.time()
    d.cli("feature:install -r jlvs-check-http")
    t_down = log_event_time(down_line("rs1"), t_install, 15 + SLACK)
    rep.check("hot_swap_checks_resume", t_down is not None, "rs1 not seen DOWN after the checker came back",
              f"rs1 DOWN {t_down - t_install:.1f}s after the reinstall" if t_down else None)
    servers.start("rs1")


# ---------------------------------------------------------------- main

def main():
    args = suite_args(__doc__, "e2e_health.py")
    servers = Servers()
    client = []

    def health_scenarios(d, rep):
        configure(d, rep, servers)
        client.append(ClientLoop())
        client[0].start()
        for sc in (removal_and_return, ipv6_removal_and_return, inhibit, sorry_server, hot_swap):
            try:
                sc(d, rep, servers, client[0])
            except Exception as e:
                rep.fail(sc.__name__, f"{type(e).__name__}: {e}")

    def teardown():
        if client:
            client[0].finish()
        servers.stop_all()
    return run_suite(Report("e2e-health"), Appliance(), (health_scenarios,), teardown=teardown,
                     diagnostics=(f"lvs:checks -v {SVC}",), keep=args.keep)

if __name__ == "__main__":
    sys.exit(main())
