#!/usr/bin/env python3
"""End-to-end tests of the metrics endpoint and the live dashboard in the lab (python3 stdlib; run as root).

    lab/e2e_metrics.py    brings the lab up, starts the built appliance once, runs the scenarios, tears down

Service VIP:8000 (rr) with the three real servers (realserver.py on :8000, started by this test), a tcp check
each (delay_loop 1 s, connect_timeout 1 s, retry 1, delay_before_retry 1 s). Then:

1. feature:install jlvs-metrics; /metrics answers on 127.0.0.1:8181 in the director's namespace.
2. `promtool check metrics` accepts the scrape (taken while traffic runs).
3. A real Prometheus (started in the director's namespace on 127.0.0.1:9090, temporary config and data dir,
   scrape interval 1 s) scrapes the appliance: with N connections held open through the VIP and the client
   loop paused, sum(node_ipvs_backend_connections_active) from its query API equals the ActiveConn total of
   lvs:list -n read just before and just after.
4. Headless Chromium loads the dashboard while a client loop makes new connections: a screenshot is kept
   (lab/.work/metrics-dashboard.png), and the DOM shows the three real servers with non-zero rates.
5. rs3's server stops: the dashboard shows rs3 DOWN within the health check's bound (plus Chromium's start).
6. Nothing listens on a non-loopback address in the director's namespace (ss -ltnp), Prometheus included.
7. Pax Web told to listen on 10.99.1.1 as well, with HTTPS on 8443 from a keystore keytool makes here: over
   HTTPS (curl --cacert with that certificate) the client's request without credentials gets 401, with the
   console user's generated password 200 and with a wrong one 401 (HTTP Basic against the JAAS realm karaf); a
   user with role jlvs-metrics gets 200, one with role viewer only 403; plain HTTP on 10.99.1.1:8181 gets 403
   even with the right password; loopback stays open; after 5 wrong passwords the right one gets 429; told
   back to 127.0.0.1 without HTTPS, nothing listens off loopback again.
   Every interface of the namespace is in jlvs_interface_up with 1.

Prints `PASS name` / `FAIL name: reason`, then `e2e-metrics: N passed, M failed`; exits non-zero on any
failure. Every loop is bounded in count and time, every socket has a timeout, the lab is always torn down.
"""
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

LAB = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
from e2e import NS_CLIENT, NS_DIR, RS, VIP, Appliance, Report, http_get, netns, run, run_suite, suite_args  # noqa: E402
from e2e_health import PORT, Servers  # noqa: E402
import metrics_lab  # noqa: E402

WORK = os.path.join(LAB, ".work")
METRICS = "http://127.0.0.1:8181"
PROM = "127.0.0.1:9090"
SVC = f"-t {VIP}:{PORT}"
CHECK = "--type tcp --delay-loop 1 --connect-timeout 1 --retry 1 --delay-before-retry 1 --warmup 0"
REMOVAL_BOUND = 1 + (1 + 1) * (1 + 1)  # delay_loop + (retry + 1) x (connect_timeout + delay_before_retry)
HELD = 12  # connections held open for the ActiveConn comparison
SCREENSHOT = os.path.join(WORK, "metrics-dashboard.png")


def in_dir(*cmd, timeout=60, check=True):
    return run(["ip", "netns", "exec", NS_DIR, *cmd], timeout=timeout, check=check)


def fetch(url, timeout=20):
    """GET in the director's namespace (curl: the appliance's HTTP binding is the namespace's loopback)."""
    return in_dir("curl", "-sS", "--fail", "--max-time", str(timeout), url, timeout=timeout + 10)


def wait_for(fn, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = fn()
        except Exception:  # retried until the deadline
            last = None
        if last:
            return last
        time.sleep(interval)
    return last


class Churn(threading.Thread):
    """New connections through VIP:PORT, about 25 a second, pausable; bounded in time and count."""

    def __init__(self, limit_s=300):
        super().__init__(daemon=True)
        self.stop_event, self.running = threading.Event(), threading.Event()
        self.running.set()
        self.limit_s, self.done, self.errors = limit_s, 0, 0

    def run(self):
        deadline = time.monotonic() + self.limit_s
        with netns(NS_CLIENT):
            while not self.stop_event.is_set() and time.monotonic() < deadline and self.done < 20000:
                if not self.running.wait(0.2):
                    continue
                try:
                    http_get("/", addr=(VIP, PORT), timeout=2.0)
                    self.done += 1
                except Exception:  # counted: the loop goes on
                    self.errors += 1
                time.sleep(0.04)

    def finish(self):
        self.stop_event.set()
        self.running.set()
        if self.is_alive():
            self.join(10)


def hold_connections(n):
    """n established connections through the VIP, idle (each is one ActiveConn of its real server)."""
    socks = []
    with netns(NS_CLIENT):
        for _ in range(n):
            socks.append(socket.create_connection((VIP, PORT), timeout=5))
    return socks


def active_total(d):
    """Sum of ActiveConn over the real servers of lvs:list -n (a watched server's line ends with its health)."""
    total = 0
    for line in d.cli("lvs:list -n").splitlines():
        parts = line.split()
        # "-> RIP:PORT Forward Weight ActiveConn InActConn [Health]"
        if len(parts) >= 6 and parts[0] == "->" and re.fullmatch(r"\d+", parts[4]):
            total += int(parts[4])
    return total


def prom_query(expr):
    out = in_dir("curl", "-sS", "--fail", "--max-time", "10", f"http://{PROM}/api/v1/query?query="
                 + urllib.parse.quote(expr), timeout=20)
    doc = json.loads(out)
    result = doc["data"]["result"]
    return float(result[0]["value"][1]) if result else None


class Prometheus:
    """A Prometheus server in the director's namespace, on loopback, with a temporary config and data dir."""

    def __init__(self):
        self.dir = os.path.join(WORK, "prometheus")
        self.proc = None

    def start(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "data"))
        config = os.path.join(self.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: jlvs\n    static_configs:\n      - targets: ['127.0.0.1:8181']\n")
        self.log = open(os.path.join(self.dir, "prometheus.log"), "w")
        self.proc = subprocess.Popen(["ip", "netns", "exec", NS_DIR, "prometheus", f"--config.file={config}",
                                      f"--storage.tsdb.path={self.dir}/data", f"--web.listen-address={PROM}"],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def chromium(*args, timeout=120):
    profile = os.path.join(WORK, "chromium-profile")
    os.makedirs(profile, exist_ok=True)
    return in_dir("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  f"--user-data-dir={profile}", "--virtual-time-budget=4000", *args, f"{METRICS}/", timeout=timeout)


def dashboard_rows():
    """The real-server rows of the dashboard's DOM: server → {state, cps, bps, ...}."""
    dom = metrics_lab.dashboard_dom(NS_DIR, os.path.join(WORK, "chromium-profile"))
    return {a.get("server"): a for a in metrics_lab.dom_rows(dom, "server")}


def non_loopback_listeners():
    bad = []
    for line in in_dir("ss", "-Hltnp").splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        local = parts[3]
        addr = local.rsplit(":", 1)[0].strip("[]")
        if not (addr.startswith("127.") or addr == "::1" or addr.startswith("::ffff:127.")):
            bad.append(line.strip())
    return bad


# ---------------------------------------------------------------- scenarios

def scenarios(d, rep, servers, prom, churn):
    for name in RS:
        servers.start(name)
    d.cli(f"lvs:add-service {SVC} -s rr", *[f"lvs:add-server {SVC} -r {ip}:{PORT} -m -w 1" for ip in RS.values()],
          *[f"lvs:check-add {SVC} -r {ip}:{PORT} {CHECK}" for ip in RS.values()])
    ups = wait_for(lambda: len(re.findall(r"\btcp\s+UP\b", d.cli(f"lvs:checks --no-format {SVC}"))) == 3, 20, 1)
    rep.check("configure_three_checks_up", ups, d.cli(f"lvs:checks --no-format {SVC}"))

    t0 = time.monotonic()
    d.cli("feature:install jlvs-metrics")
    text = wait_for(lambda: fetch(f"{METRICS}/metrics"), 180, 2)
    if not rep.check("metrics_installed_and_answering", bool(text) and "node_ipvs_backend_connections_active" in text,
                     "no /metrics on 127.0.0.1:8181", f"/metrics answers {time.monotonic() - t0:.0f}s after feature:install"):
        return
    # jlvs-ha is not booted; jlvs-sync is, with no daemon configured: no keepalived_* at all, no jlvs_sync_* sample.
    samples = [l for l in text.splitlines() if not l.startswith("#")]
    rep.check("no_vrrp_or_sync_samples_without_ha_and_daemons",
              not any(l.startswith(("keepalived_", "jlvs_sync_")) for l in samples) and "keepalived_up" not in text,
              "keepalived_* or jlvs_sync_* samples without jlvs-ha / a sync daemon")

    interfaces_up(rep, text)

    churn.start()
    wait_for(lambda: churn.done > 100, 60, 0.5)
    scrape = fetch(f"{METRICS}/metrics")
    path = os.path.join(WORK, "metrics-scrape.prom")
    with open(path, "w") as f:
        f.write(scrape)
    p = subprocess.run(["promtool", "check", "metrics"], input=scrape, capture_output=True, text=True, timeout=60)
    rep.check("promtool_check_metrics", p.returncode == 0, (p.stdout + p.stderr)[-1500:],
              f"{len(scrape.splitlines())} lines accepted (kept in {os.path.relpath(path, os.path.dirname(LAB))})")
    for doc in ("services", "counters", "vrrp", "sync", "connections", "health", "dashboard"):
        try:
            j = json.loads(fetch(f"{METRICS}/api/v1/{doc}"))
            rep.check(f"api_v1_{doc}_json", isinstance(j, dict), "not a JSON object")
        except Exception as e:
            rep.fail(f"api_v1_{doc}_json", repr(e))

    # The dashboard while traffic runs.
    t_screen = time.monotonic()
    if os.path.exists(SCREENSHOT):
        os.remove(SCREENSHOT)
    chromium(f"--screenshot={SCREENSHOT}", "--window-size=1280,1400")
    rep.check("dashboard_screenshot", os.path.exists(SCREENSHOT) and os.path.getsize(SCREENSHOT) > 10000,
              "no screenshot", f"{os.path.relpath(SCREENSHOT, os.path.dirname(LAB))}, {os.path.getsize(SCREENSHOT) if os.path.exists(SCREENSHOT) else 0} bytes, "
              f"{time.monotonic() - t_screen:.0f}s")

    def three_with_rates():
        rows = dashboard_rows()
        want = [f"{ip}:{PORT}" for ip in RS.values()]
        good = all(w in rows and rows[w].get("state") == "UP" and float(rows[w].get("cps") or 0) > 0
                   and float(rows[w].get("bps") or 0) > 0 for w in want)
        three_with_rates.last = rows
        return rows if good else None
    three_with_rates.last = None
    rows = wait_for(three_with_rates, 90, 1)
    rep.check("dashboard_three_servers_with_rates", bool(rows), f"rows: {three_with_rates.last}",
              "; ".join(f"{k} {v.get('state')} {v.get('cps')} conn/s {v.get('bps')} B/s" for k, v in sorted((rows or {}).items())))

    # Prometheus against lvs:list, with HELD connections open and the churn paused.
    prom.start()
    up = wait_for(lambda: prom_query('up{job="jlvs"}') == 1, 90, 1)
    rep.check("prometheus_scrapes_appliance", bool(up), f"up != 1: {open(os.path.join(prom.dir, 'prometheus.log')).read()[-800:]}")
    churn.running.clear()
    held = hold_connections(HELD)
    try:
        def same():
            before = active_total(d)
            time.sleep(2.5)  # at least two scrapes
            p = prom_query("sum(node_ipvs_backend_connections_active)")
            after = active_total(d)
            same.last = (before, p, after)
            return before == after == HELD and p is not None and int(p) == before
        same.last = None
        ok = wait_for(same, 90, 1)
        rep.check("prometheus_active_equals_lvs_list", ok, f"lvs:list before/prometheus/after = {same.last}, held {HELD}",
                  f"sum(node_ipvs_backend_connections_active) = {same.last[1]:.0f}, ActiveConn total = {same.last[0]}"
                  if same.last else None)
    finally:
        for s in held:
            s.close()
        churn.running.set()

    # rs3 stops: the dashboard shows it DOWN.
    t_stop = time.monotonic()
    servers.stop("rs3")
    rs3 = f"{RS['rs3']}:{PORT}"

    def rs3_down():
        rows = dashboard_rows()
        return rows if rows.get(rs3, {}).get("state") == "DOWN" else None
    rows = wait_for(rs3_down, REMOVAL_BOUND + 60, 0.2)
    took = time.monotonic() - t_stop
    rep.check("dashboard_shows_stopped_server_down", bool(rows), f"rs3 not DOWN {took:.0f}s after the stop",
              f"rs3 DOWN on the dashboard {took:.1f}s after its server stopped (check bound {REMOVAL_BOUND}s, "
              "plus one Chromium load of a few seconds)")

    bad = non_loopback_listeners()
    rep.check("nothing_listens_on_non_loopback", not bad, "; ".join(bad),
              f"{len(in_dir('ss', '-Hltn').splitlines())} listeners, all on loopback (console, HTTP, Prometheus)")

    lan_binding_with_tls(d, rep)


TLS_DIR = os.path.join(WORK, "metrics-tls")
LAN = "10.99.1.1"
HTTPS = f"https://{LAN}:8443/metrics"
FAILURES, LOCKOUT = 5, 600  # the lockout is longer than this suite runs: the throttle check reads no clock


def keystore(home):
    """A key and self-signed certificate for LAN (and 127.0.0.1), made with keytool as the README says, into
    the appliance's etc/; the certificate in PEM for curl --cacert. (keystore path, password, PEM path)"""
    shutil.rmtree(TLS_DIR, ignore_errors=True)
    os.makedirs(TLS_DIR)
    keytool = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64"), "bin", "keytool")
    store, pem = os.path.join(home, "etc", "jlvs-metrics.p12"), os.path.join(TLS_DIR, "jlvs-metrics.pem")
    secret = os.urandom(12).hex()
    if os.path.exists(store):
        os.remove(store)
    env = dict(os.environ, JLVS_TLS_SECRET=secret)
    for cmd in (["-genkeypair", "-alias", "jlvs-metrics", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                 "-dname", f"CN={LAN}", "-ext", f"SAN=ip:{LAN},ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store,
                 "-storepass:env", "JLVS_TLS_SECRET"],
                ["-exportcert", "-rfc", "-alias", "jlvs-metrics", "-keystore", store, "-storepass:env", "JLVS_TLS_SECRET",
                 "-file", pem]):
        subprocess.run([keytool, *cmd], env=env, check=True, capture_output=True, timeout=60)
    os.chmod(store, 0o600)
    return store, secret, pem


def from_client(url, user=None, secret=None, cacert=None):
    """(HTTP status, Retry-After) of a GET from the client's namespace; curl reads credentials from stdin."""
    config = f'user = "{user}:{secret}"\n' if user else ""
    cmd = ["ip", "netns", "exec", NS_CLIENT, "curl", "-s", "-K", "-", "-o", "/dev/null", "-D", "-", "-w", "%{http_code}",
           "--max-time", "10"]
    if cacert:
        cmd += ["--cacert", cacert]
    p = subprocess.run(cmd + [url], input=config, capture_output=True, text=True, timeout=30)
    out = p.stdout.strip()
    m = re.search(r"(?im)^retry-after:\s*(\d+)", out)
    return out[-3:], (m.group(1) if m else None)


def lan_binding_with_tls(d, rep):
    """Pax Web told to listen on LAN too, with HTTPS on 8443 from a keystore made here: off loopback only
    HTTPS is served, a login needs a user with role admin or jlvs-metrics, and wrong passwords lock the
    client's address out; then back to loopback only."""
    home = glob.glob(os.path.join(LAB, ".work", "director", "jlvs-*"))[0]
    store, secret, pem = keystore(home)
    users = {"prom": os.urandom(9).hex(), "peek": os.urandom(9).hex()}
    d.cli("jaas:realm-manage --realm karaf", f"jaas:user-add prom {users['prom']}", "jaas:role-add prom jlvs-metrics",
          f"jaas:user-add peek {users['peek']}", "jaas:role-add peek viewer", "jaas:update")
    d.cli("config:edit org.jlvs.metrics", f"config:property-set login_failures {FAILURES}",
          f"config:property-set login_lockout_seconds {LOCKOUT}", "config:update")
    d.cli("config:edit org.ops4j.pax.web",
          "config:property-set org.osgi.service.http.secure.enabled true",
          "config:property-set org.osgi.service.http.port.secure 8443",
          f"config:property-set org.ops4j.pax.web.ssl.keystore {store}",
          "config:property-set org.ops4j.pax.web.ssl.keystore.type PKCS12",
          f"config:property-set org.ops4j.pax.web.ssl.keystore.password {secret}",
          f"config:property-set org.ops4j.pax.web.ssl.key.password {secret}",
          f"config:property-set org.ops4j.pax.web.listening.addresses 127.0.0.1,{LAN}", "config:update")
    code = wait_for(lambda: (lambda c: c if c not in ("", "000") else None)(from_client(HTTPS, cacert=pem)[0]), 120, 1)
    rep.check("non_loopback_binding_needs_login", code == "401", f"HTTPS {code} from {LAN}:8443 without credentials",
              f"HTTPS 401 on {LAN}:8443 without credentials; the certificate checked with curl --cacert (keytool's)")
    # The console's user, which bin/setenv generated with a random password at the first start (role admin),
    # logs in through the JAAS realm; a wrong password does not.
    user, password = console_user()
    good, wrong = from_client(HTTPS, user, password, pem)[0], from_client(HTTPS, user, password + "x", pem)[0]
    rep.check("non_loopback_binding_logs_in_through_jaas", good == "200" and wrong == "401",
              f"HTTPS {good} with the console user's password, {wrong} with a wrong one",
              f"HTTPS 200 as '{user}' (the generated console user, role admin), 401 with a wrong password")
    prom, peek = from_client(HTTPS, "prom", users["prom"], pem)[0], from_client(HTTPS, "peek", users["peek"], pem)[0]
    rep.check("non_loopback_login_needs_role_admin_or_jlvs_metrics", prom == "200" and peek == "403",
              f"HTTPS {prom} for a user with role jlvs-metrics, {peek} for one with role viewer only",
              "role jlvs-metrics only: 200; role viewer only: 403")
    plain = from_client(f"http://{LAN}:8181/metrics", user, password)[0]
    rep.check("plain_http_off_loopback_is_refused", plain == "403", f"plain HTTP on {LAN}:8181 with good credentials: {plain}",
              f"plain HTTP on {LAN}:8181: 403 even with the right password (only HTTPS off loopback)")
    loop = wait_for(lambda: fetch(f"{METRICS}/api/v1/counters"), 30, 1)
    rep.check("loopback_stays_open_with_lan_binding", bool(loop), "127.0.0.1:8181 did not answer")
    # The good logins above forgot the earlier wrong password: FAILURES wrong ones in a row lock the client's
    # address out, and then the right password is refused too.
    after = [from_client(HTTPS, "prom", users["prom"] + "x", pem)[0] for _ in range(FAILURES)]
    locked, retry = from_client(HTTPS, "prom", users["prom"], pem)
    still = fetch(f"{METRICS}/api/v1/counters")
    rep.check("failed_logins_lock_the_address_out", after == ["401"] * FAILURES and locked == "429"
              and retry is not None and 0 < int(retry) <= LOCKOUT + 1 and bool(still),
              f"wrong passwords: {after}; then the right one: {locked} (Retry-After {retry}); loopback {bool(still)}",
              f"after {FAILURES} wrong passwords the right one gets 429 (Retry-After {retry} s); loopback still open")
    d.cli("config:edit org.ops4j.pax.web", "config:property-set org.osgi.service.http.secure.enabled false",
          "config:property-set org.ops4j.pax.web.listening.addresses 127.0.0.1", "config:update")
    gone = wait_for(lambda: not non_loopback_listeners(), 90, 1)
    rep.check("back_to_loopback_only", gone, "; ".join(non_loopback_listeners()))


def interfaces_up(rep, text):
    """jlvs_interface_up: 1 for each interface of the namespace that is up (the lab's default, interfaces = *),
    no other; each as `ip link` names it."""
    links = set()
    for line in in_dir("ip", "-o", "link", "show", "up").splitlines():
        name = line.split(":")[1].strip().split("@")[0]
        if name != "lo":
            links.add(name)
    series = {l.get("interface"): (v, l.get("reason")) for l, v in metrics_lab.matching(text, "jlvs_interface_up")}
    rep.check("jlvs_interface_up_is_1_for_each_interface", bool(links) and series == {i: (1.0, None) for i in links},
              f"jlvs_interface_up {series}, interfaces up {sorted(links)}", f"jlvs_interface_up 1 for {sorted(series)}")


def console_user():
    """The first user of the director's etc/users.properties (bin/setenv writes one at the first start)."""
    homes = glob.glob(os.path.join(LAB, ".work", "director", "jlvs-*"))
    with open(os.path.join(homes[0], "etc", "users.properties")) as f:
        for line in f:
            line = line.strip()
            if line and line[0] not in "#!_" and "=" in line:
                name, value = line.split("=", 1)
                return name.strip(), value.split(",")[0].strip()
    raise RuntimeError("no user in etc/users.properties")


def main():
    args = suite_args(__doc__, "e2e_metrics.py")
    servers, prom, churn = Servers(), Prometheus(), Churn()

    def suite(d, rep):
        scenarios(d, rep, servers, prom, churn)

    def teardown():
        churn.finish()
        prom.stop()
        servers.stop_all()

    return run_suite(Report("e2e-metrics"), Appliance(), (suite,), teardown=teardown,
                     diagnostics=(f"lvs:list -n", f"lvs:checks {SVC}"), keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
