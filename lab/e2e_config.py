#!/usr/bin/env python3
"""End-to-end tests of jlvs's persistent configuration and ipvsadm compatibility in the lab (run as root).

    lab/e2e_config.py [--tarball F] [--keep]

1. A shell script written for ipvsadm (services, real servers, a refused command tested by its exit status,
   then -L -n and -S -n) runs unchanged against the distribution's bin/ipvsadm (first in its PATH) and prints
   what ipvsadm prints, byte for byte.
2. The services it made are in etc/org.jlvs.service-*.cfg.
3. A client holds 20 TCP connections through the VIP while a second service is added by writing a file into
   etc/ and the weights of the first service (and of the UDP one) are changed by lvs:restore of an edited
   lvs:save: none of the 20 connections breaks or moves to another real server.
4. The appliance is stopped and started again (bin/stop, bin/start, same folder), the second time as the
   systemd unit bin/contrib/jlvs.service runs it (not root; CAP_NET_RAW and CAP_NET_ADMIN only): every service
   comes back from etc/ as it was (lvs:save and ipvsadm -S -n compared), every file is applied, and traffic
   flows through both services.
5. `max_connections = abc` is written into etc/org.jlvs.core.cfg while requests flow through the VIP: the log
   names the key and the value, every request succeeds and held connections are not cut (the director is not
   restarted: its settings wait for its next start).
6. `bin/ipvsadm -R` restores a rules file as `ipvsadm -S` without -n writes it: service names (http, www,
   http-alt, domain from /etc/services) and a real server's host name (from the director namespace's hosts
   file, /etc/netns/<ns>/hosts, written for this suite); `bin/ipvsadm -L -n` lists them numerically and
   traffic flows through the restored service.
7. A keepalived.conf written as keepalived users write them (a Latin-1 comment, `include` of a relative glob,
   `lb_kind dr`, `persistence_timeout 0`, a fwmark service, `lvs_sync_daemon eth1 id 9` in global_defs) is
   imported with lvs:import-keepalived --merge: its services are in the table as keepalived would make them
   (NAT; the fwmark service as -f 5, listed with the note that its mark rules are for lvs:mark-add),
   each ignored line is listed with FILE:LINE, and `lvs:list --daemon` shows the master and backup sync daemons
   on eth1 with syncid 9.

Prints `PASS name` / `FAIL name: reason` per check and ends with `e2e-config: N passed, M failed`; exit code 1
on any failure. The lab is always torn down; every loop is bounded in count and time.
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
import e2e  # noqa: E402  (helpers: run, netns, http_get, Report, Appliance)
from e2e import NS_CLIENT, NS_DIR, RS, VIP, netns, run  # noqa: E402

HELD = 20
# The restart runs the appliance as bin/contrib/jlvs.service does: as a user that is not root (a uid with no
# account is enough) with CAP_NET_RAW (13) and CAP_NET_ADMIN (12) only.
SERVICE_UID = 64123
NET_CAPS = (1 << 13) | (1 << 12)
WEB_PORT = 80
NEW_PORT = 8081  # the service added by a file: to the real servers' port 80
UDP_PORT = 7
KA_PORT = 8090  # the service of the imported keepalived.conf

# An ipvsadm script as an LVS director would run it; `ipvsadm` is whatever the PATH finds first.
SCRIPT = f"""#!/bin/sh
set -e
VIP={VIP}
ipvsadm -C
ipvsadm -A -t $VIP:{WEB_PORT} -s rr
for rs in {RS['rs1']} {RS['rs2']} {RS['rs3']}; do
    ipvsadm -a -t $VIP:{WEB_PORT} -r $rs:{WEB_PORT} -m -w 1
done
ipvsadm -A -t $VIP:{WEB_PORT} -s rr 2>&1 || echo "refused as expected"
ipvsadm -A -u $VIP:{UDP_PORT} -s wlc
ipvsadm -a -u $VIP:{UDP_PORT} -r {RS['rs1']}:{UDP_PORT} -m -w 2
ipvsadm -a -u $VIP:{UDP_PORT} -r {RS['rs2']} -m
ipvsadm -L -n
ipvsadm -S -n
"""


def dest(endpoint, forward, weight, active=0, inactive=0):
    """ipvsadm 1.31's dest line: "  -> %-28s %-7s %-6d %-10u %-10u"."""
    return "  -> %-28s %-7s %-6d %-10d %-10d\n" % (endpoint, forward, weight, active, inactive)


EXPECTED_SCRIPT_OUTPUT = (
    "Service already exists\n"
    "refused as expected\n"
    "IP Virtual Server version 1.2.1 (size=4096)\n"
    "Prot LocalAddress:Port Scheduler Flags\n"
    "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
    f"TCP  {VIP}:{WEB_PORT} rr\n"
    + "".join(dest(f"{ip}:{WEB_PORT}", "Masq", 1) for ip in RS.values())
    + f"UDP  {VIP}:{UDP_PORT} wlc\n"
    + dest(f"{RS['rs1']}:{UDP_PORT}", "Masq", 2)
    + dest(f"{RS['rs2']}:{UDP_PORT}", "Masq", 1)
    + f"-A -t {VIP}:{WEB_PORT} -s rr\n"
    + "".join(f"-a -t {VIP}:{WEB_PORT} -r {ip}:{WEB_PORT} -m -w 1\n" for ip in RS.values())
    + f"-A -u {VIP}:{UDP_PORT} -s wlc\n"
    + f"-a -u {VIP}:{UDP_PORT} -r {RS['rs1']}:{UDP_PORT} -m -w 2\n"
    + f"-a -u {VIP}:{UDP_PORT} -r {RS['rs2']}:{UDP_PORT} -m -w 1\n")


def home():
    homes = glob.glob(os.path.join(LAB, ".work", "director", "jlvs-*"))
    if len(homes) != 1:
        raise RuntimeError(f"expected one unpacked distribution, found {homes}")
    return homes[0]


def etc_file(name):
    return os.path.join(home(), "etc", f"org.jlvs.service-{name}.cfg")


def wait_for(what, condition, timeout=30.0, step=0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
            if last:
                return last
        except Exception as e:  # keep trying until the deadline
            last = e
        time.sleep(step)
    raise TimeoutError(f"{what}: not within {timeout:.0f}s (last: {last!r})")


def read_properties(path):
    props = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(("#", "!")) and "=" in line:
                k, _, v = line.partition("=")
                props[k.strip()] = v.strip()
    return props


# ---------------------------------------------------------------- held connections

class HeldConnection:
    """A keep-alive HTTP/1.1 connection from the client namespace, asked again and again."""

    def __init__(self, port):
        with netns(NS_CLIENT):
            self.sock = socket.create_connection((VIP, port), timeout=5.0)
        self.buf = b""
        self.server = None

    def ask(self):
        """One GET / on this connection; returns the body ("rsN")."""
        self.sock.sendall(f"GET / HTTP/1.1\r\nHost: {VIP}\r\n\r\n".encode())
        deadline = time.monotonic() + 5.0
        while b"\r\n\r\n" not in self.buf:
            if time.monotonic() > deadline:
                raise TimeoutError("no response head")
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed by the peer")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if lines[0].split()[1] != "200":
            raise RuntimeError(f"status {lines[0]}")
        length = next(int(v) for k, _, v in (l.partition(":") for l in lines[1:]) if k.strip().lower() == "content-length")
        while len(rest) < length:
            if time.monotonic() > deadline:
                raise TimeoutError("no response body")
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed by the peer")
            rest += chunk
        body, self.buf = rest[:length], rest[length:]
        return body.decode().strip()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def ask_all(conns):
    """Asks each held connection once; returns (answers, errors)."""
    answers, errors = [], []
    for i, c in enumerate(conns):
        try:
            answers.append(c.ask())
        except Exception as e:
            answers.append(None)
            errors.append(f"connection {i}: {e!r}")
    return answers, errors


# ---------------------------------------------------------------- the appliance

class Director(e2e.Appliance):
    """The appliance of e2e.py, plus bin/ipvsadm, a restart in place and file access."""

    def ipvsadm_script(self, script):
        path = os.path.join(LAB, ".work", "ipvsadm-script.sh")
        with open(path, "w") as f:
            f.write(script)
        env = dict(os.environ, PATH=os.path.join(home(), "bin") + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
        p = subprocess.run(["ip", "netns", "exec", NS_DIR, "sh", path], capture_output=True, text=True,
                           timeout=240, env=env)
        return p.returncode, p.stdout, p.stderr

    def restart(self):
        """bin/stop, then bin/start in the same folder (etc/ and data/ kept) as bin/contrib/jlvs.service runs it:
        an unprivileged user owning the folder, with CAP_NET_RAW and CAP_NET_ADMIN only; then waits for the
        console."""
        h = home()
        subprocess.run(["ip", "netns", "exec", NS_DIR, os.path.join(h, "bin", "stop")], capture_output=True, timeout=60)
        wait_for("the appliance stopped", lambda: not run(["ip", "netns", "pids", NS_DIR], check=False).strip(), 60)
        run(["chown", "-R", f"{SERVICE_UID}:{SERVICE_UID}", h])
        env = dict(os.environ, KARAF_REDIRECT=os.path.join(h, "data", "log", "console-restart.out"))
        java = os.path.realpath(subprocess.run(["sh", "-c", "command -v java"], capture_output=True, text=True).stdout.strip())
        env.setdefault("JAVA_HOME", os.path.dirname(os.path.dirname(java)))
        caps = "+net_raw,+net_admin"
        subprocess.run(["ip", "netns", "exec", NS_DIR, "setpriv", f"--reuid={SERVICE_UID}", f"--regid={SERVICE_UID}",
                        "--clear-groups", f"--inh-caps={caps}", f"--ambient-caps={caps}",
                        f"--bounding-set=-all,{caps}", "--no-new-privs", os.path.join(h, "bin", "start")],
                       env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=True)
        wait_for("the console answers after the restart", lambda: "IP Virtual Server" in self.cli("lvs:list -n"), 120, 2)

    def java_capabilities(self):
        """The user and effective capabilities of the appliance's JVM (from /proc)."""
        pid = run(["ip", "netns", "pids", NS_DIR]).split()[0]
        with open(f"/proc/{pid}/status") as f:
            status = dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
        return status["Uid"].split()[0], int(status["CapEff"], 16)


# ---------------------------------------------------------------- scenarios

def scenarios(d, rep):
    # 1. an ipvsadm script, unchanged
    rc, out, err = d.ipvsadm_script(SCRIPT)
    rep.check("ipvsadm_script_runs", rc == 0, f"exit {rc}; stderr: {err.strip()[-500:]}")
    rep.check("ipvsadm_script_listing_is_ipvsadms", out == EXPECTED_SCRIPT_OUTPUT,
              f"\n--- expected\n{EXPECTED_SCRIPT_OUTPUT}--- got\n{out}")
    rep.check("ipvsadm_nothing_else_on_stderr", err == "", f"stderr: {err!r}")

    # 2. written to etc/
    web_cfg, udp_cfg = etc_file(f"tcp-{VIP}-{WEB_PORT}"), etc_file(f"udp-{VIP}-{UDP_PORT}")
    want = {"service": f"-t {VIP}:{WEB_PORT} -s rr", "server.3": f"-r {RS['rs3']}:{WEB_PORT} -m -w 1"}
    try:
        props = wait_for("the files are written", lambda: os.path.exists(udp_cfg) and read_properties(web_cfg), 20)
        rep.check("services_written_to_etc", all(props.get(k) == v for k, v in want.items()),
                  f"{web_cfg}: {props}")
    except TimeoutError as e:
        rep.fail("services_written_to_etc", str(e))

    # 3. 20 connections held while the configuration changes
    conns = []
    try:
        for _ in range(HELD):
            conns.append(HeldConnection(WEB_PORT))
        first, errors = ask_all(conns)
        rep.check("held_connections_open", not errors and all(a in RS for a in first),
                  f"{errors[:3]} answers {first}", f"{HELD} connections, served by {sorted(set(first))}")

        # a second service, added by writing its file
        new_cfg = etc_file("lab-new")
        with open(new_cfg + ".tmp", "w") as f:
            f.write(f"service = -t {VIP}:{NEW_PORT} -s rr\nserver.1 = -r {RS['rs1']}:80 -m -w 1\n"
                    f"server.2 = -r {RS['rs2']}:80 -m -w 1\n")
        os.rename(new_cfg + ".tmp", new_cfg)
        wait_for("the new service from the file", lambda: f"TCP  {VIP}:{NEW_PORT} rr" in d.cli("lvs:list -n"), 30)
        with netns(NS_CLIENT):
            status, body = e2e.http_get("/", addr=(VIP, NEW_PORT))
        rep.check("service_added_by_file_serves", status == 200 and body.decode().strip() in ("rs1", "rs2"),
                  f"GET through {NEW_PORT}: {status} {body[:40]!r}")

        # new weights for the first (and the UDP) service, by lvs:restore of an edited lvs:save
        d.cli("lvs:save data/tmp/e2e-before.json")
        with open(os.path.join(home(), "data", "tmp", "e2e-before.json")) as f:
            doc = json.load(f)
        weights = {RS["rs1"]: 3, RS["rs2"]: 2, RS["rs3"]: 1}
        for svc in doc["services"]:
            if svc["port"] in (WEB_PORT, UDP_PORT):
                for s in svc["servers"]:
                    s["weight"] = weights[s["address"]]
        with open(os.path.join(home(), "data", "tmp", "e2e-weights.json"), "w") as f:
            json.dump(doc, f, indent=1)
        out = d.cli("lvs:restore data/tmp/e2e-weights.json")
        rep.check("restore_changes_two_services", "0 added, 2 changed, 0 deleted, 1 unchanged" in out, out.strip())
        listing = d.cli("lvs:list -n")
        listed = {ip: re.search(rf"-> {re.escape(ip)}:{WEB_PORT}\s+Masq\s+(\d+)\s", listing) for ip in RS.values()}
        rep.check("restored_weights_listed", all(m and int(m.group(1)) == weights[ip] for ip, m in listed.items()),
                  listing)
        try:
            props = wait_for("the weights persisted", lambda: read_properties(web_cfg).get("server.1", "").endswith("-w 3")
                             and read_properties(web_cfg), 20)
            rep.ok("restored_weights_persisted", f"{os.path.basename(web_cfg)}: {props.get('server.1')}")
        except TimeoutError as e:
            rep.fail("restored_weights_persisted", str(e))

        # none of the 20 broke or moved
        again, errors = ask_all(conns)
        moved = [i for i, (a, b) in enumerate(zip(first, again)) if a != b]
        rep.check("held_connections_survive", not errors and not moved,
                  f"errors {errors[:3]}; moved {moved}", f"{HELD} connections still served, each by the same real server")
    finally:
        for c in conns:
            c.close()

    # the console from elsewhere: an SSH key in etc/keys.properties, no password (OPERATING.md); here from the
    # director's own loopback, where an operator arrives with ssh -J through the host
    key = os.path.join(LAB, ".work", "operator-key")
    for f in (key, key + ".pub"):
        if os.path.exists(f):
            os.remove(f)
    run(["ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-C", "operator", "-f", key])
    with open(key + ".pub") as f:
        blob = f.read().split()[1]
    with open(os.path.join(home(), "etc", "keys.properties"), "a") as f:
        f.write(f"\noperator = {blob},_g_:admingroup\n")
    p = subprocess.run(["ip", "netns", "exec", NS_DIR, "ssh", "-i", key, "-p", "8101", "-o", "BatchMode=yes",
                        "-o", "PasswordAuthentication=no", "-o", "StrictHostKeyChecking=no",
                        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "operator@127.0.0.1",
                        "lvs:ipvsadm -S -n"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    expected_rules = d.cli("lvs:ipvsadm -S -n")
    rep.check("console_by_ssh_key", p.returncode == 0 and p.stdout.replace("\r", "").strip() == expected_rules.strip(),
              f"exit {p.returncode}: {p.stdout[-300:]!r} {p.stderr[-300:]!r}")

    # 4. a restart brings everything back from etc/
    saved = d.cli("lvs:save")
    rules = d.cli("lvs:ipvsadm -S -n")
    d.restart()
    try:
        after = wait_for("the services are back", lambda: (lambda s: s if s == saved else None)(d.cli("lvs:save")), 30, 1)
        rep.ok("restart_restores_every_service", f"{len(json.loads(after)['services'])} services, as saved")
    except TimeoutError:
        rep.fail("restart_restores_every_service", f"\n--- before\n{saved}--- after\n{d.cli('lvs:save')}")
    uid, caps = d.java_capabilities()
    rep.check("restart_runs_unprivileged_with_two_capabilities", uid == str(SERVICE_UID) and caps == NET_CAPS,
              f"uid {uid}, CapEff {caps:#x}", f"uid {uid}, CapEff {caps:#x} (CAP_NET_ADMIN, CAP_NET_RAW)")
    rep.check("restart_same_ipvsadm_rules", d.cli("lvs:ipvsadm -S -n") == rules, rules)
    status = d.cli("lvs:config-status --no-format").strip().splitlines()
    rep.check("restart_every_file_applied", len(status) == 3 and all(l.split("\t")[1] == "applied" for l in status),
              "\n".join(status))
    counts, errors = e2e.count_backends(30, time_limit=30)
    rep.check("traffic_after_restart", sum(counts.get(k, 0) for k in RS) == 30 and not errors,
              f"{counts} {errors[:3]}", f"by server {dict(sorted(counts.items()))}")
    with netns(NS_CLIENT):
        status, body = e2e.http_get("/", addr=(VIP, NEW_PORT))
    rep.check("file_service_after_restart", status == 200, f"GET through {NEW_PORT}: {status}")


def refused_max_connections(d, rep):
    """5. A bad max_connections, written while requests flow: refused in the log, no request lost."""
    cfg = os.path.join(home(), "etc", "org.jlvs.core.cfg")
    with open(cfg) as f:
        original = f.read()
    log = os.path.join(home(), "data", "log", "karaf.log")
    refusal = "org.jlvs.core: bad max_connections 'abc'"

    def refusals():
        with open(log, errors="replace") as f:
            return [line.rstrip("\n") for line in f if refusal in line]

    seen = len(refusals())
    held = []
    statuses, errors, logged = [], [], []
    try:
        for _ in range(5):
            held.append(HeldConnection(WEB_PORT))
        first, held_errors = ask_all(held)
        with open(cfg + ".tmp", "w") as f:
            f.write(original + "\n# written by lab/e2e_config.py\nmax_connections = abc\n")
        os.rename(cfg + ".tmp", cfg)
        # Requests on new connections until the refusal is logged, then 20 more: bounded by count and time.
        # File install and Config Admin deliver the change asynchronously, so on a fast machine hundreds of
        # requests go by before the line is logged; the bound on count is only there to keep the loop finite.
        deadline = time.monotonic() + 60
        after = None
        with netns(NS_CLIENT):
            for i in range(100_000):
                if time.monotonic() > deadline or (after is not None and i >= after + 20):
                    break
                try:
                    statuses.append(e2e.http_get("/", addr=(VIP, WEB_PORT))[0])
                except Exception as e:  # counted; the loop stays bounded
                    errors.append(f"request {i}: {e!r}")
                if after is None and len(refusals()) > seen:
                    after = i
        logged = refusals()[seen:]
        again, held_errors_after = ask_all(held)
    finally:
        for c in held:
            c.close()
        with open(cfg + ".tmp", "w") as f:
            f.write(original)
        os.rename(cfg + ".tmp", cfg)
    rep.check("bad_max_connections_logged_with_key_and_value",
              bool(logged) and "keeping max_connections = " in logged[0],
              f"no new karaf.log line with {refusal!r} within 60 s", logged[0] if logged else None)
    rep.check("requests_succeed_while_max_connections_is_refused",
              bool(statuses) and all(s == 200 for s in statuses) and not errors,
              f"{len(errors)} errors {errors[:3]}; statuses {sorted(set(statuses))}",
              f"{len(statuses)} requests, all 200")
    rep.check("held_connections_survive_the_refused_value",
              not held_errors and not held_errors_after and first == again,
              f"errors {held_errors[:2]} {held_errors_after[:2]}; before {first} after {again}",
              f"{len(held)} keep-alive connections, each still served by the same real server")


# The director namespace's own hosts file: `ip netns exec` binds /etc/netns/<ns>/hosts over /etc/hosts for
# what it starts, so the appliance resolves the real servers' names as a director's resolver would.
NETNS_ETC = os.path.join("/etc/netns", NS_DIR)
RS_NAME = f"{e2e.NS_PREFIX}-web1"


def write_hosts():
    os.makedirs(NETNS_ETC, exist_ok=True)
    with open(os.path.join(NETNS_ETC, "hosts"), "w") as f:
        f.write(f"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n{RS['rs1']}\t{RS_NAME}\n")


def remove_hosts():
    try:
        os.remove(os.path.join(NETNS_ETC, "hosts"))
        os.rmdir(NETNS_ETC)
    except OSError:
        pass


def restore_with_names(d, rep):
    """6. ipvsadm -R with host and service names, as ipvsadm -S without -n writes them."""
    rules = (f"-A -t {VIP}:http-alt -s rr\n"
             f"-a -t {VIP}:http-alt -r {RS_NAME}:http -m -w 1\n"
             f"-a -t {VIP}:webcache -r {RS['rs2']}:www -m -w 2\n"
             f"-A -u {VIP}:domain -s wlc\n"
             f"-a -u {VIP}:domain -r {RS_NAME}:domain -m -w 1\n")
    env = dict(os.environ, PATH=os.path.join(home(), "bin") + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
    p = subprocess.run(["ip", "netns", "exec", NS_DIR, os.path.join(home(), "bin", "ipvsadm"), "-R"], input=rules,
                       capture_output=True, text=True, timeout=240, env=env)
    rep.check("ipvsadm_restore_with_names", p.returncode == 0 and p.stderr == "",
              f"exit {p.returncode}: {p.stderr.strip()[-500:]}\n{rules}")
    p = subprocess.run(["ip", "netns", "exec", NS_DIR, os.path.join(home(), "bin", "ipvsadm"), "-L", "-n"],
                       capture_output=True, text=True, timeout=240, env=env)
    listing = p.stdout
    want = [f"TCP  {VIP}:8080 rr\n" + dest(f"{RS['rs1']}:80", "Masq", 1) + dest(f"{RS['rs2']}:80", "Masq", 2),
            f"UDP  {VIP}:53 wlc\n" + dest(f"{RS['rs1']}:53", "Masq", 1)]
    rep.check("ipvsadm_listing_of_named_rules_is_numeric", p.returncode == 0 and all(w in listing for w in want),
              f"exit {p.returncode}: {p.stderr.strip()}\n--- expected within\n{''.join(want)}--- got\n{listing}",
              "".join(want).rstrip().replace("\n", "\n    "))
    with netns(NS_CLIENT):
        status, body = e2e.http_get("/", addr=(VIP, 8080))
    rep.check("restored_named_service_serves", status == 200 and body.decode().strip() in ("rs1", "rs2"),
              f"GET through 8080: {status} {body[:40]!r}")


def keepalived_import(d, rep):
    """7. A keepalived.conf with includes and keepalived's lenient lines, and its lvs_sync_daemon."""
    top = os.path.join(home(), "data", "tmp", "keepalived")
    os.makedirs(os.path.join(top, "conf.d"), exist_ok=True)
    with open(os.path.join(top, "keepalived.conf"), "wb") as f:
        f.write("! Configuration du r\u00e9partiteur (Latin-1)\nglobal_defs {\n   lvs_sync_daemon eth1 id 9\n}\n"
                "include conf.d/*.conf\n".encode("latin-1"))
    with open(os.path.join(top, "conf.d", "web.conf"), "w") as f:
        f.write(f"virtual_server {VIP} {KA_PORT} {{\n    lb_algo rr\n    lb_kind dr\n    persistence_timeout 0\n"
                f"    protocol TCP\n    real_server {RS['rs1']} 80 {{\n        weight 2\n    }}\n}}\n"
                "virtual_server fwmark 5 {\n    real_server 10.99.2.12 80 {\n    }\n}\n")
    out = d.cli("lvs:import-keepalived --merge data/tmp/keepalived/keepalived.conf")
    rep.check("keepalived_import_runs", f"imported 2 virtual servers" in out and "Input length" not in out, out.strip())
    listed = d.cli("lvs:list -n")
    rep.check("keepalived_import_service_as_keepalived_makes_it",
              re.search(rf"TCP  {re.escape(VIP)}:{KA_PORT} rr\s*\n\s*-> {re.escape(RS['rs1'])}:80\s+Masq\s+2\s", listed)
              is not None, listed)
    wanted = ["conf.d/web.conf:3: ", "lb_kind dr", "conf.d/web.conf:4: ", "persistence_timeout 0",
              "conf.d/web.conf:10: virtual_server fwmark 5"]
    rep.check("keepalived_import_lists_lines_with_file", all(w in out for w in wanted), out.strip())
    try:
        daemons = wait_for("the sync daemons from lvs_sync_daemon",
                           lambda: (lambda t: t if "master sync daemon (mcast=eth1, syncid=9" in t
                                    and "backup sync daemon (mcast=eth1, syncid=9" in t else None)(
                               d.cli("lvs:list --daemon")), 30, 1)
        rep.ok("keepalived_import_sync_daemons_listed", daemons.strip())
    except TimeoutError:
        rep.fail("keepalived_import_sync_daemons_listed", d.cli("lvs:list --daemon"))
    d.cli("lvs:sync stop master", "lvs:sync stop backup")


# ---------------------------------------------------------------- main

def main():
    args = e2e.suite_args(__doc__, "e2e_config.py")
    write_hosts()
    return e2e.run_suite(e2e.Report("e2e-config"), Director(),
                         (scenarios, refused_max_connections, restore_with_names, keepalived_import),
                         teardown=remove_hosts, keep=args.keep)

if __name__ == "__main__":
    sys.exit(main())
