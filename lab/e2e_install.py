#!/usr/bin/env python3
"""The installed service in the lab (run as root): bin/contrib/install-service and scripts without capabilities.

    lab/e2e_install.py [--tarball F] [--keep]

1. The distribution is unpacked into a fresh folder under /tmp and installed with
   `bin/contrib/install-service --no-systemctl --user <prefix>-svc --unit-dir ...` (a user of its own, removed
   afterwards). No file under bin/, lib/ or system/ (nor the folder itself, nor anything but etc/, data/,
   deploy/, instances/, karaf.pid and lock) is owned by or writable for the service user; `find -writable` runs
   as that user, so groups and modes are what the kernel says.
2. The appliance starts as the unit runs it: `bin/karaf daemon` as the service user with CAP_NET_RAW and
   CAP_NET_ADMIN only (ambient, bounding set of those two, no_new_privs), in the director's namespace. Root's
   bin/client logs in with the console user that the service user's first start wrote; traffic is balanced;
   root's bin/ipvsadm works (-R and -L -n) without writing into the service user's folders.
3. A MISC_CHECK script and a notify_up script record /proc/self/status: CapEff, CapPrm, CapInh and CapAmb are
   all zeros, NoNewPrivs is 1, and they run as the service user.

Prints `PASS name` / `FAIL name: reason` per check and ends with `e2e-install: N passed, M failed`; exit code 1
on any failure. The lab, the folder and the user are always removed; every wait is bounded.
"""
import glob
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time

LAB = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(LAB)
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
import e2e  # noqa: E402
from e2e import NS_DIR, NS_PREFIX, RS, VIP, run  # noqa: E402

USER = f"{NS_PREFIX}-svc"
NET_CAPS = (1 << 13) | (1 << 12)  # CAP_NET_RAW, CAP_NET_ADMIN
SERVICE_PATHS = ("etc", "data", "deploy", "instances", "karaf.pid", "lock")
ZERO = "0000000000000000"
ROUTE_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def wait_for(what, condition, timeout, step=1.0):
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


def proc_status(text):
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


class Installed(e2e.Appliance):
    """The distribution installed by install-service, run as the unit runs it; root operates it."""

    def __init__(self):
        self.base = None
        self.home = None
        self.created_user = False
        self.karaf = None

    def as_user(self, *cmd, caps=False):
        c = ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--init-groups"]
        if caps:
            nc = "+net_raw,+net_admin"
            c += [f"--inh-caps={nc}", f"--ambient-caps={nc}", f"--bounding-set=-all,{nc}", "--no-new-privs"]
        return c + list(cmd)

    def start(self):
        tarball = os.environ.get("DIRECTOR_TARBALL") or max(
            glob.glob(os.path.join(ROOT, "karaf-distribution", "target", "jlvs-*.tar.gz")), key=os.path.getmtime)
        self.base = tempfile.mkdtemp(prefix="jlvs-install.", dir="/tmp")
        os.chmod(self.base, 0o755)
        run(["tar", "-xzf", tarball, "-C", self.base])
        self.home = glob.glob(os.path.join(self.base, "jlvs-*"))[0]
        try:
            pwd.getpwnam(USER)
            raise RuntimeError(f"user {USER} exists already (a leftover?): remove it with userdel {USER}")
        except KeyError:
            pass
        self.created_user = True
        out = run([os.path.join(self.home, "bin", "contrib", "install-service"), "--no-systemctl", "--user", USER,
                   "--unit-dir", os.path.join(self.base, "unit")], timeout=120)
        print(f"    {out.strip()}", flush=True)
        # the unit's ExecStart, User and capabilities; Karaf in the foreground, as systemd runs it
        env = dict(os.environ, JAVA_HOME=java_home())
        log = open(os.path.join(self.base, "karaf-daemon.out"), "w")
        self.karaf = subprocess.Popen(["ip", "netns", "exec", NS_DIR, *self.as_user(
            os.path.join(self.home, "bin", "karaf"), "daemon", caps=True)], cwd=self.home, env=env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for("the console answers root's bin/client", lambda: "IP Virtual Server" in self.cli("lvs:list -n"), 180, 2)

    def stop(self):
        if self.karaf and self.karaf.poll() is None:
            subprocess.run(["ip", "netns", "exec", NS_DIR, *self.as_user(os.path.join(self.home, "bin", "karaf"), "stop")],
                           capture_output=True, timeout=60, env=dict(os.environ, JAVA_HOME=java_home()))
            try:
                self.karaf.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.karaf.pid, 9)
                self.karaf.wait(10)
        if self.created_user:
            subprocess.run(["userdel", USER], capture_output=True, timeout=60)
            subprocess.run(["groupdel", USER], capture_output=True, timeout=60)
        if self.base:
            shutil.rmtree(self.base, ignore_errors=True)

    def log_tail(self):
        f = os.path.join(self.home or "/nonexistent", "data", "log", "karaf.log")
        return run(["tail", "-n", "60", f], check=False)

    def cli(self, *commands):
        p = subprocess.run(["ip", "netns", "exec", NS_DIR, os.path.join(self.home, "bin", "client"), "-r", "1", "-d", "1",
                            "-b"], input="\n".join(commands) + "\n", capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, JAVA_HOME=java_home()))
        out = ROUTE_RE.sub("", p.stdout + p.stderr)
        if p.returncode != 0 or re.search(r"^(Error executing command|Command not found|Failed to get the session|"
                                          r"Unable to connect|Error: )", out, re.M):
            raise RuntimeError(f"console: {out.strip()[-600:]}")
        return out

    def ipvsadm(self, *args, stdin=None):
        p = subprocess.run(["ip", "netns", "exec", NS_DIR, os.path.join(self.home, "bin", "ipvsadm"), *args],
                           input=stdin, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, JAVA_HOME=java_home()))
        return p.returncode, p.stdout, p.stderr

    def java_status(self):
        for pid in run(["ip", "netns", "pids", NS_DIR]).split():
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() != "java":
                        continue
                with open(f"/proc/{pid}/status") as f:
                    return proc_status(f.read())
            except OSError:
                continue
        raise RuntimeError("no java process in the director's namespace")


def java_home():
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    if os.path.isdir("/usr/lib/jvm/java-17-openjdk-amd64"):
        return "/usr/lib/jvm/java-17-openjdk-amd64"
    java = os.path.realpath(shutil.which("java"))
    return os.path.dirname(os.path.dirname(java))


# ---------------------------------------------------------------- scenarios

def layout(d, rep):
    h = d.home
    uid = pwd.getpwnam(USER).pw_uid
    root_part = [os.path.join(h, p) for p in os.listdir(h) if p not in SERVICE_PATHS]
    rep.check("root_part_exists", all(os.path.exists(os.path.join(h, p)) for p in ("bin", "lib", "system")),
              f"{sorted(os.listdir(h))}")
    owned = run(["find", h, *root_part, "-maxdepth", "0", "-user", USER]) + \
        run(["find", *root_part, "-user", USER])
    rep.check("root_part_not_owned_by_service_user", owned.strip() == "", f"owned by {USER}:\n{owned[:1500]}",
              f"no file under {', '.join(sorted(os.path.basename(p) for p in root_part))} belongs to {USER}")
    # as the service user: what the kernel lets it write (modes, groups)
    writable = run(d.as_user("find", h, "-maxdepth", "0", "-writable")) + \
        run(d.as_user("find", *root_part, "-writable"))
    rep.check("root_part_not_writable_by_service_user", writable.strip() == "", f"writable for {USER}:\n{writable[:1500]}",
              f"{USER} can write none of them, nor the folder itself")
    bad = [p for p in SERVICE_PATHS if os.lstat(os.path.join(h, p)).st_uid != uid]
    rep.check("service_part_owned_by_service_user", not bad, f"not owned by {USER}: {bad}",
              f"{USER} owns {', '.join(SERVICE_PATHS)}")
    with open(os.path.join(d.base, "unit", "jlvs.service")) as f:
        unit = f.read()
    want = [f"User={USER}", f"ExecStart={h}/bin/karaf daemon",
            f"ReadWritePaths={h}/etc {h}/data {h}/deploy {h}/instances -{h}/karaf.pid -{h}/lock",
            "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN"]
    rep.check("unit_written", all(line in unit.splitlines() for line in want), f"missing in the unit: "
              f"{[w for w in want if w not in unit.splitlines()]}")
    # a folder above that others may write is refused (they could swap the installation)
    loose = tempfile.mkdtemp(prefix="jlvs-loose.", dir="/tmp")
    try:
        os.chmod(loose, 0o777)
        run(["tar", "-xzf", glob.glob(os.path.join(ROOT, "karaf-distribution", "target", "jlvs-*.tar.gz"))[0]
             if not os.environ.get("DIRECTOR_TARBALL") else os.environ["DIRECTOR_TARBALL"], "-C", loose])
        other = glob.glob(os.path.join(loose, "jlvs-*"))[0]
        p = subprocess.run([os.path.join(other, "bin", "contrib", "install-service"), "--no-systemctl", "--user", USER,
                            "--unit-dir", os.path.join(loose, "unit")], capture_output=True, text=True, timeout=60)
        rep.check("writable_ancestor_refused", p.returncode == 1 and "is writable by group or others" in p.stderr
                  and not os.path.exists(os.path.join(loose, "unit")), f"exit {p.returncode}: {p.stderr.strip()}",
                  p.stderr.strip())
    finally:
        shutil.rmtree(loose, ignore_errors=True)


def runs_as_the_unit(d, rep):
    s = d.java_status()
    uid, caps = s["Uid"].split()[0], int(s["CapEff"].strip(), 16)
    rep.check("appliance_runs_as_service_user_with_two_capabilities",
              uid == str(pwd.getpwnam(USER).pw_uid) and caps == NET_CAPS, f"uid {uid}, CapEff {caps:#x}",
              f"{USER} (uid {uid}), CapEff {caps:#x} (CAP_NET_ADMIN, CAP_NET_RAW)")
    users = os.path.join(d.home, "etc", "users.properties")
    st = os.stat(users)
    rep.check("console_user_written_by_the_service", st.st_uid == pwd.getpwnam(USER).pw_uid and st.st_mode & 0o077 == 0,
              f"owner {st.st_uid}, mode {st.st_mode & 0o777:o}", f"etc/users.properties: {USER}'s, mode {st.st_mode & 0o777:o}")
    d.cli(f"lvs:add-service -t {VIP}:80 -s rr", *[f"lvs:add-server -t {VIP}:80 -r {ip}:80 -m -w 1" for ip in RS.values()])
    counts, errors = e2e.count_backends(30, time_limit=120)
    rep.check("traffic_through_the_installed_service", sum(counts.get(k, 0) for k in RS) == 30 and not errors,
              f"{counts} {errors[:3]}", f"by server {dict(sorted(counts.items()))}")
    rc, out, err = d.ipvsadm("-R", stdin=f"-A -t {VIP}:8090 -s wlc\n-a -t {VIP}:8090 -r {RS['rs1']}:80 -m -w 2\n")
    rc2, listing, err2 = d.ipvsadm("-L", "-n")
    rep.check("root_ipvsadm_restore_and_list", rc == 0 and rc2 == 0 and f"TCP  {VIP}:8090 wlc" in listing
              and f"-> {RS['rs1']}:80" in listing, f"-R exit {rc} {err.strip()}; -L exit {rc2} {err2.strip()}\n{listing}")
    leftovers = [f for f in os.listdir(os.path.join(d.home, "data", "tmp")) if f.startswith("ipvsadm")]
    rep.check("root_ipvsadm_writes_nothing_in_data", not leftovers, f"data/tmp: {leftovers}")


def scripts_hold_no_capabilities(d, rep):
    # a script in a root-owned folder; it writes where the service user may write
    script = os.path.join(d.base, "record-status.sh")
    with open(script, "w") as f:
        f.write("#!/bin/sh\ngrep -E '^(Uid|Cap|NoNewPrivs)' /proc/self/status > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"\n")
    os.chmod(script, 0o755)
    misc_out = os.path.join(d.home, "data", "tmp", "misc.status")
    notify_out = os.path.join(d.home, "data", "tmp", "notify.status")
    svc = f"-t {VIP}:80"
    d.cli(f'lvs:check-add {svc} -r {RS["rs1"]}:80 --type misc --delay-loop 1 --warmup 0 --misc-path "{script} {misc_out}"',
          f'lvs:check-add {svc} -r {RS["rs2"]}:80 --type tcp --delay-loop 1 --warmup 0 --connect-timeout 5 --alpha'
          f' --notify-up "{script} {notify_out}"')
    uid = str(pwd.getpwnam(USER).pw_uid)
    for name, path in (("misc_check", misc_out), ("notify_up", notify_out)):
        try:
            wait_for(f"the {name} script ran", lambda: os.path.exists(path), 120)
        except TimeoutError as e:
            rep.fail(f"{name}_script_holds_no_capabilities", str(e))
            continue
        with open(path) as f:
            s = {k: v.strip() for k, v in proc_status(f.read()).items()}
        sets = {k: s.get(k) for k in ("CapInh", "CapPrm", "CapEff", "CapAmb")}
        rep.check(f"{name}_script_holds_no_capabilities", all(v == ZERO for v in sets.values()) and s.get("NoNewPrivs") == "1"
                  and s.get("Uid", "").split()[0] == uid, f"{s}",
                  f"uid {uid}; CapEff {s['CapEff']}, CapPrm {s['CapPrm']}, CapInh {s['CapInh']}, CapAmb {s['CapAmb']}, "
                  f"NoNewPrivs 1; CapBnd {s.get('CapBnd')} (the appliance lacks CAP_SETPCAP to empty it; no_new_privs "
                  f"keeps anything from being gained)")


def main():
    args = e2e.suite_args(__doc__, "e2e_install.py")
    d = Installed()
    return e2e.run_suite(e2e.Report("e2e-install"), d, (layout, runs_as_the_unit, scripts_hold_no_capabilities),
                         keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
