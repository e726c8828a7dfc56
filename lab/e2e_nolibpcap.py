#!/usr/bin/env python3
"""The appliance on a host where libpcap cannot be loaded (run as root).

    lab/e2e_nolibpcap.py [--tarball F] [--keep]

The distribution is unpacked into lab/.work/director (etc/org.jlvs.core.cfg: interfaces = eth0,eth1,nosuch0)
and started with bin/start inside the lab's director namespace and a mount namespace of its own
(`unshare -m`, private) in which every /usr/lib/x86_64-linux-gnu/libpcap.so* is bound over by an empty file:
the JVM finds the library in the loader's cache and cannot load it, as on a host without libpcap0.8.

1. bin/start prints the warning with the install command (apt-get install -y libpcap0.8).
2. The director is active without a data path: the lvs:* commands answer, lvs:list and lvs:counters say
   "data path down on IF: REASON" for eth0 and eth1 (libpcap cannot be loaded, with the install command) and
   for nosuch0 (no such interface); their --json forms carry the same in "dataPathDown"; karaf.log names it.
3. Tables, commands and configuration work: a service added by lvs:add-service is listed and written to
   etc/org.jlvs.service-*.cfg.
4. feature:install jlvs-metrics: /metrics has jlvs_interface_up 0 for eth0, eth1 and nosuch0, each with the
   reason lvs:list gives as its label, and no interface at 1; promtool accepts the scrape.

Prints `PASS name` / `FAIL name: reason` per check and ends with `e2e-nolibpcap: N passed, M failed`; exit
code 1 on any failure. The lab is always torn down (the mount namespace ends with the appliance's processes);
every wait is bounded.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import time

LAB = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(LAB)
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
import e2e  # noqa: E402
import metrics_lab  # noqa: E402
from e2e import NS_DIR, RS, VIP  # noqa: E402

DEST = os.path.join(LAB, ".work", "director")  # where lab/director.sh finds it (cli, log, stop)
INTERFACES = ("eth0", "eth1", "nosuch0")
INSTALL = "apt-get install -y libpcap0.8"
NO_LIBPCAP = "libpcap cannot be loaded"
# In the appliance's own mount namespace: each libpcap file (a symlink's target too) bound over by an empty
# file, checked, then bin/start. unshare's default propagation is private: nothing reaches the host.
START = """set -e
empty="$1"; shift
for f in /usr/lib/x86_64-linux-gnu/libpcap.so*; do mount --bind "$empty" "$f"; done
for f in /usr/lib/x86_64-linux-gnu/libpcap.so*; do [ ! -s "$f" ] || { echo "still loadable: $f" >&2; exit 3; }; done
exec "$@"
"""


def wait_for(what, condition, timeout, step=2.0):
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


class WithoutLibpcap(e2e.Appliance):
    """The appliance of lab/director.sh, started by bin/start where libpcap cannot be loaded."""

    def __init__(self):
        self.home = None
        self.start_output = ""

    def start(self):
        tarball = os.environ.get("DIRECTOR_TARBALL") or max(
            glob.glob(os.path.join(ROOT, "karaf-distribution", "target", "jlvs-*.tar.gz")), key=os.path.getmtime)
        self.stop()
        shutil.rmtree(DEST, ignore_errors=True)
        os.makedirs(DEST)
        e2e.run(["tar", "-xzf", tarball, "-C", DEST])
        self.home = glob.glob(os.path.join(DEST, "jlvs-*"))[0]
        with open(os.path.join(self.home, "etc", "org.jlvs.core.cfg"), "a") as f:
            f.write(f"\n# lab/e2e_nolibpcap.py\ninterfaces = {','.join(INTERFACES)}\n")
        empty = os.path.join(DEST, "empty")
        open(empty, "w").close()
        env = dict(os.environ, KARAF_REDIRECT=os.path.join(DEST, "console.out"))
        env.setdefault("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
        p = subprocess.run(["ip", "netns", "exec", NS_DIR, "unshare", "-m", "sh", "-c", START, "start", empty,
                            os.path.join(self.home, "bin", "start")], env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120)
        self.start_output = p.stdout + p.stderr
        if p.returncode != 0:
            raise RuntimeError(f"bin/start failed ({p.returncode}): {self.start_output.strip()[-1500:]}")
        print(f"    bin/start: {self.start_output.strip()}", flush=True)
        wait_for("the console answers lvs:list -n", lambda: "IP Virtual Server" in self.cli("lvs:list -n"),
                 int(os.environ.get("DIRECTOR_WAIT", "300")))


def down_lines(text):
    return {line.split(":", 1)[0][len("data path down on "):]: line.split(":", 1)[1].strip()
            for line in text.splitlines() if line.startswith("data path down on ")}


def json_line(text):
    return json.loads(next(line for line in text.splitlines() if line.startswith("{")))


def reasons_ok(down):
    """eth0 and eth1: libpcap with the install command; nosuch0: no such interface."""
    return (all(NO_LIBPCAP in down.get(i, "") and INSTALL in down.get(i, "") for i in INTERFACES[:2])
            and down.get("nosuch0") == "no such interface")


# ---------------------------------------------------------------- scenarios

def warned_at_start(d, rep):
    rep.check("bin_start_warns_with_the_install_command", NO_LIBPCAP in d.start_output and INSTALL in d.start_output,
              f"bin/start printed: {d.start_output!r}", d.start_output.strip())


def data_path_down_said(d, rep):
    listing = d.cli("lvs:list -n")
    down = down_lines(listing)
    rep.check("lvs_list_says_data_path_down_per_interface", reasons_ok(down) and listing.startswith("IP Virtual Server"),
              listing, "\n      ".join(line for line in listing.splitlines() if line.startswith("data path down")))
    counters = d.cli("lvs:counters")
    rep.check("lvs_counters_says_data_path_down_per_interface", reasons_ok(down_lines(counters))
              and "connections" in e2e.parse_counters(counters), counters)
    for command in ("lvs:list --json", "lvs:counters --json"):
        out = d.cli(command)
        try:
            doc = json_line(out)
            down = {e["interface"]: e["reason"] for e in doc.get("dataPathDown", [])}
        except Exception as e:  # reported as the failure
            down, out = {}, f"{out} ({e!r})"
        rep.check(command.replace("lvs:", "").replace(" --", "_").replace(" ", "_") + "_has_dataPathDown",
                  reasons_ok(down) and list(down) == list(INTERFACES), out)
    log = os.path.join(d.home, "data", "log", "karaf.log")
    with open(log, errors="replace") as f:
        lines = [l.strip() for l in f if "cannot use interface eth0" in l and NO_LIBPCAP in l]
    rep.check("karaf_log_names_the_reason", bool(lines), f"no line in {log}", lines[0][-200:] if lines else None)


def tables_and_configuration_work(d, rep):
    d.cli(f"lvs:add-service -t {VIP}:80 -s rr", f"lvs:add-server -t {VIP}:80 -r {RS['rs1']}:80 -m -w 1")
    listing = d.cli("lvs:list -n")
    rep.check("service_added_and_listed", f"TCP  {VIP}:80 rr" in listing and f"-> {RS['rs1']}:80" in listing, listing)
    cfg = os.path.join(d.home, "etc", f"org.jlvs.service-tcp-{VIP}-80.cfg")
    try:
        wait_for("the service's file", lambda: os.path.exists(cfg) and "server.1" in open(cfg).read(), 60, 1)
        rep.ok("service_written_to_etc", os.path.basename(cfg))
    except TimeoutError as e:
        rep.fail("service_written_to_etc", str(e))


def interfaces_down_in_metrics(d, rep):
    down = down_lines(d.cli("lvs:list -n"))
    text = metrics_lab.install(d.cli, NS_DIR)
    series = {l.get("interface"): (v, l.get("reason")) for l, v in metrics_lab.matching(text, "jlvs_interface_up")}
    want = {i: (0.0, down.get(i)) for i in INTERFACES}
    rep.check("metrics_jlvs_interface_up_is_0_with_the_reason", reasons_ok(down) and series == want,
              f"jlvs_interface_up {series}, lvs:list {down}",
              "; ".join(f"{i} 0 ({r})" for i, (_, r) in series.items()))
    ok, out = metrics_lab.promtool(text)
    rep.check("metrics_promtool_accepts_the_scrape", ok, out[-800:], f"{len(text.splitlines())} lines")


def main():
    args = e2e.suite_args(__doc__, "e2e_nolibpcap.py")
    return e2e.run_suite(e2e.Report("e2e-nolibpcap"), WithoutLibpcap(),
                         (warned_at_start, data_path_down_said, tables_and_configuration_work,
                          interfaces_down_in_metrics), keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
