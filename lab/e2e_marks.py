#!/usr/bin/env python3
"""End-to-end tests of firewall-mark services (ipvsadm -f) in the lab (run as root).

    lab/e2e_marks.py [--tarball F] [--keep]

1. Mark rules `1 tcp VIP 80` and `1 tcp VIP 443` (lvs:mark-add) and the mark service `-f 1 -s rr -p 300` with
   the three real servers without a port (NAT keeps the packet's port) are made with bin/ipvsadm; no service
   names the VIP itself, so the director owns it through the rules. `ipvsadm -L -n` lists `FWM  1 rr persistent
   300` with the servers at port 0, as ipvsadm does; `ipvsadm -S -n` gives the -f rules; lvs:mark-list and the
   Config Admin configuration org.jlvs.marks hold the rules.
2. Persistence across the mark: requests alternating between VIP:80 and VIP:443 (each real server runs a second
   HTTP server on :443, started by this test) all reach one real server; the connection listing has the mark's
   template (`IP`, virtual address 0.0.0.1:0).
3. A port that no rule covers (VIP:8443) is not balanced: the connection is refused.
4. A keepalived.conf with `virtual_server_group RANGE { 10.99.1.120-122 8088 }` and `virtual_server group RANGE`
   (rr, NAT, three real servers on :80) is imported with lvs:import-keepalived --merge: the group is a mark
   service, its range mark rules; requests to each of the three addresses are answered, by all three servers.
5. lvs:save (JSON) carries the rules ("marks").

Prints `PASS name` / `FAIL name: reason` per check and ends with `e2e-marks: N passed, M failed`; exit code 1 on
any failure. The lab is always torn down; every loop is bounded in count and time.
"""
import os
import re
import socket
import subprocess
import sys
import time

LAB = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
import e2e  # noqa: E402  (helpers: run, netns, http_get, Report, run_suite)
from e2e import NS_CLIENT, NS_RS, RS, VIP, netns, run  # noqa: E402
from e2e_config import Director, home, wait_for  # noqa: E402  (bin/ipvsadm, the unpacked distribution)

SECOND_PORT = 443  # plain HTTP on 443: the point is a second port of the same mark, not TLS
UNMARKED_PORT = 8443
GROUP_ADDRESSES = ["10.99.1.120", "10.99.1.121", "10.99.1.122"]
GROUP_PORT = 8088
REQUESTS = 20

SCRIPT = f"""#!/bin/sh
set -e
ipvsadm -C
ipvsadm -A -f 1 -s rr -p 300
for rs in {RS['rs1']} {RS['rs2']} {RS['rs3']}; do
    ipvsadm -a -f 1 -r $rs -m -w 1
done
ipvsadm -L -n
ipvsadm -S -n
"""

KEEPALIVED = f"""! a service over an address range, as keepalived writes it
virtual_server_group RANGE {{
    {GROUP_ADDRESSES[0]}-{GROUP_ADDRESSES[-1].rsplit('.', 1)[1]} {GROUP_PORT}
}}

virtual_server group RANGE {{
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server {RS['rs1']} 80 {{
    }}
    real_server {RS['rs2']} 80 {{
    }}
    real_server {RS['rs3']} 80 {{
    }}
}}
"""


class SecondServers:
    """realserver.py on :443 in each real server's namespace (its UDP and TCP echo on a port of their own)."""

    def __init__(self):
        self.procs = []

    def start(self):
        for i, ns in enumerate(NS_RS, 1):
            self.procs.append(subprocess.Popen(
                ["ip", "netns", "exec", ns, sys.executable, os.path.join(LAB, "realserver.py"), "--name", f"rs{i}",
                 "--http-port", str(SECOND_PORT), "--udp-port", "7443", "--tcp-echo-port", "7443"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for ns in NS_RS:
            wait_for(f"{ns}: a listener on :{SECOND_PORT}", lambda: run(
                ["ip", "netns", "exec", ns, "ss", "-Hltn", f"sport = :{SECOND_PORT}"], timeout=10,
                check=False).strip(), 60, 0.1)

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
        self.procs = []


def dest(endpoint, forward, weight, active=0, inactive=0):
    """ipvsadm 1.31's dest line: "  -> %-28s %-7s %-6d %-10u %-10u"."""
    return "  -> %-28s %-7s %-6d %-10d %-10d\n" % (endpoint, forward, weight, active, inactive)


def backend(addr):
    """GET / on a new connection from the client: the real server's name."""
    with netns(NS_CLIENT):
        status, body = e2e.http_get("/", addr=addr, timeout=10.0)
    if status != 200:
        raise RuntimeError(f"GET {addr}: HTTP {status}")
    return body.decode(errors="replace").strip()


def mark_service(d, rep):
    """1. The rules and the mark service, by the shell and bin/ipvsadm."""
    d.cli(f"lvs:mark-add 1 tcp {VIP} 80", f"lvs:mark-add 1 tcp {VIP} {SECOND_PORT}")
    code, out, err = d.ipvsadm_script(SCRIPT)
    listing = ("FWM  1 rr persistent 300\n" + dest(f"{RS['rs1']}:0", "Masq", 1) + dest(f"{RS['rs2']}:0", "Masq", 1)
               + dest(f"{RS['rs3']}:0", "Masq", 1))
    rules = ("-A -f 1 -s rr -p 300\n" + "".join(f"-a -f 1 -r {RS[r]}:0 -m -w 1\n" for r in ("rs1", "rs2", "rs3")))
    rep.check("ipvsadm_f_listing_as_ipvsadm", code == 0 and listing in out,
              f"exit {code}: {err.strip()}\n--- expected within\n{listing}--- got\n{out}", listing.rstrip())
    rep.check("ipvsadm_f_rules_as_ipvsadm_save", code == 0 and out.endswith(rules), f"--- expected at the end\n{rules}"
              f"--- got\n{out}")
    marks = d.cli("lvs:mark-list --no-format")
    rep.check("mark_list", f"1\ttcp\t{VIP}\t80\n1\ttcp\t{VIP}\t{SECOND_PORT}\n" in marks.replace("\r", ""), marks)
    try:
        config = wait_for("org.jlvs.marks in Config Admin", lambda: (lambda t: t if "rule.2" in t else None)(
            d.cli("config:list '(service.pid=org.jlvs.marks)'")), 60, 1)
        rep.check("marks_in_config_admin", f"rule.1 = 1 tcp {VIP} 80" in config
                  and f"rule.2 = 1 tcp {VIP} {SECOND_PORT}" in config, config)
    except TimeoutError as e:
        rep.fail("marks_in_config_admin", str(e))


def sticky_across_ports(d, rep):
    """2. -p over the mark: one real server for :80 and :443."""
    seen, errors = [], []
    for i in range(REQUESTS):
        port = 80 if i % 2 == 0 else SECOND_PORT
        try:
            seen.append((port, backend((VIP, port))))
        except Exception as e:  # counted; the loop is bounded by REQUESTS
            errors.append(f"request {i} to :{port}: {e!r}")
    names = {name for _, name in seen}
    ports = {port for port, _ in seen}
    rep.check("persistent_across_80_and_443", not errors and len(names) == 1 and ports == {80, SECOND_PORT},
              f"servers {sorted(names)}, errors {errors[:3]}", f"{len(seen)} requests to :80 and :443, all to"
              f" {sorted(names)}")
    conns = d.cli("lvs:connections -n")
    rep.check("mark_template_listed", re.search(r"^IP\s+\S+\s+NONE\s+10\.99\.1\.2:0\s+0\.0\.0\.1:0\s", conns, re.M)
              is not None, conns)


def unmarked_port_refused(d, rep):
    """3. A port no rule covers reaches no service."""
    with netns(NS_CLIENT):
        try:
            with socket.create_connection((VIP, UNMARKED_PORT), timeout=10):
                result = "connected"
        except ConnectionRefusedError:
            result = "refused"
        except OSError as e:
            result = f"{type(e).__name__}: {e}"
    rep.check("unmarked_port_not_balanced", result in ("refused",) or result.startswith("TimeoutError")
              or result.startswith("timeout"), f"VIP:{UNMARKED_PORT}: {result}", result)


def group_import(d, rep):
    """4. virtual_server_group with an address range, imported, answered on every address by every server."""
    top = os.path.join(home(), "data", "tmp", "keepalived-marks")
    os.makedirs(top, exist_ok=True)
    with open(os.path.join(top, "keepalived.conf"), "w") as f:
        f.write(KEEPALIVED)
    out = d.cli("lvs:import-keepalived --merge data/tmp/keepalived-marks/keepalived.conf")
    rep.check("group_imports", "imported 1 virtual servers" in out and "mark rules: 1 added" in out, out.strip())
    marks = d.cli("lvs:mark-list --no-format")
    rep.check("group_range_is_a_mark_rule", f"2\ttcp\t{GROUP_ADDRESSES[0]}-122\t{GROUP_PORT}" in marks, marks)
    counts, errors = {}, []
    for i in range(3 * REQUESTS):
        addr = (GROUP_ADDRESSES[i % 3], GROUP_PORT)
        try:
            name = backend(addr)
            counts.setdefault(addr[0], {}).setdefault(name, 0)
            counts[addr[0]][name] += 1
        except Exception as e:
            errors.append(f"{addr}: {e!r}")
            if len(errors) >= 10:
                break
    everyone = set().union(*[set(c) for c in counts.values()]) if counts else set()
    rep.check("group_range_balances", not errors and set(counts) == set(GROUP_ADDRESSES)
              and everyone == {"rs1", "rs2", "rs3"}, f"counts {counts}, errors {errors[:3]}",
              f"answered on {sorted(counts)} by {sorted(everyone)}")


def saved_with_marks(d, rep):
    """5. lvs:save carries the rules."""
    saved = d.cli("lvs:save")
    rep.check("save_has_marks", '"marks"' in saved and f"1 tcp {VIP} 80" in saved
              and f"2 tcp {GROUP_ADDRESSES[0]}-122 {GROUP_PORT}" in saved, saved[-1500:])


def main():
    args = e2e.suite_args(__doc__, "e2e_marks.py")
    servers = SecondServers()

    def scenarios(d, rep):
        servers.start()
        for sc in (mark_service, sticky_across_ports, unmarked_port_refused, group_import, saved_with_marks):
            try:
                sc(d, rep)
            except Exception as e:
                rep.fail(sc.__name__, f"{type(e).__name__}: {e}")

    return e2e.run_suite(e2e.Report("e2e-marks"), Director(), (scenarios,), teardown=servers.stop,
                         diagnostics=("lvs:list -n", "lvs:mark-list", "lvs:counters"), keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
