#!/usr/bin/env python3
"""Health-check benchmark: 2,000 real servers checked every second by check-tcp and check-http (run as root).

    bench/healthcheck-bench.py [--servers 2000] [--seconds 30]

The lab comes up and the appliance starts in jlvs-dir. nginx listens there on 0.0.0.0:8081, so every loopback
address 127.1.x.y:8081 of the namespace is a "real server". One service gets the N real servers, each a TCP
check and an HTTP check (delay_loop 1 s, connect_timeout 2 s, warmup 1 s): 2 N checks a second. After a warm-up
the appliance's CPU (user + system time of its JVM, from /proc) is measured over --seconds, beside the same
measurement of the idle appliance before the checks were added, and the monitor's own statistics of the check
schedule are printed (lvs:checks --intervals): the time between two starts of a check (ideally delay_loop plus
the check's duration) and how late each attempt started against its plan.

Prints the figures and writes them to lab/.work/bench/healthcheck-result.txt. Always tears down.
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(ROOT, "lab")
sys.dont_write_bytecode = True
sys.path.insert(0, LAB)
from e2e import VIP, Appliance, run  # noqa: E402

NS_DIR = os.environ.get("LAB_NS_PREFIX", "jlvs") + "-dir"
PORT = 8081
WORK = os.path.join(LAB, ".work", "bench-health")


def addresses(n):
    return [f"127.1.{i // 250}.{i % 250 + 1}" for i in range(n)]


def start_nginx():
    os.makedirs(os.path.join(WORK, "www"), exist_ok=True)
    os.makedirs(os.path.join(WORK, "tmp"), exist_ok=True)
    with open(os.path.join(WORK, "www", "index.html"), "w") as f:
        f.write("ok\n")
    conf = os.path.join(WORK, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""user root;
worker_processes 1;
pid {WORK}/nginx.pid;
error_log {WORK}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {WORK}/tmp/body; proxy_temp_path {WORK}/tmp/proxy; fastcgi_temp_path {WORK}/tmp/fastcgi;
    uwsgi_temp_path {WORK}/tmp/uwsgi; scgi_temp_path {WORK}/tmp/scgi;
    server {{ listen {PORT} backlog=8192; root {WORK}/www; index index.html; }}
}}
""")
    run(["ip", "netns", "exec", NS_DIR, "sysctl", "-qw", "net.core.somaxconn=8192", "net.ipv4.tcp_tw_reuse=1",
         "net.ipv4.ip_local_port_range=1024 65535"], timeout=10)
    run(["ip", "netns", "exec", NS_DIR, "nginx", "-p", WORK, "-c", conf, "-e", os.path.join(WORK, "error.log")], timeout=20)


def karaf_pid():
    pids = run(["ip", "netns", "pids", NS_DIR], timeout=10).split()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        if "java" in cmd and "karaf" in cmd:
            return int(pid)
    raise RuntimeError("no Karaf JVM in jlvs-dir")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure(pid, seconds):
    c0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - c0) / (time.monotonic() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=30)
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("healthcheck-bench.py: run as root", file=sys.stderr)
        return 2
    d = Appliance()
    out = []

    def say(line):
        print(line, flush=True)
        out.append(line)

    try:
        run(["bash", os.path.join(LAB, "lab.sh"), "up"], timeout=120)
        d.start()
        start_nginx()
        pid = karaf_pid()
        time.sleep(5)
        idle = measure(pid, 10)
        say(f"idle appliance: {idle * 100:.1f}% of one core")
        svc = f"-t {VIP}:{PORT}"
        rs = addresses(a.servers)
        cmds = [f"lvs:add-service {svc} -s rr"] + [f"lvs:add-server {svc} -r {ip}:{PORT} -m -w 1" for ip in rs]
        t0 = time.monotonic()
        for i in range(0, len(cmds), 500):
            d.cli(*cmds[i:i + 500])
        opts = "--delay-loop 1 --connect-timeout 2 --retry 1 --delay-before-retry 1 --warmup 1"
        checks = [f"lvs:check-add {svc} -r {ip}:{PORT} --type tcp {opts}" for ip in rs]
        checks += [f"lvs:check-add {svc} -r {ip}:{PORT} --type http --path / {opts}" for ip in rs]
        for i in range(0, len(checks), 500):
            d.cli(*checks[i:i + 500])
        say(f"configured {a.servers} real servers and {len(checks)} checks in {time.monotonic() - t0:.0f}s")
        time.sleep(10)
        d.cli("lvs:checks --intervals --reset")
        busy = measure(pid, a.seconds)
        listing = d.cli(f"lvs:checks {svc}")
        up = len(re.findall(r"\s(?:tcp|http)\s+UP\s", listing))
        down = len(re.findall(r"\s(?:tcp|http)\s+DOWN\s", listing))
        say(f"{len(checks)} checks every 1 s: appliance CPU {busy * 100:.1f}% of one core "
            f"({(busy - idle) * 100:.1f}% above idle) over {a.seconds}s")
        say(f"checks UP {up}, DOWN {down}")
        for line in d.cli("lvs:checks --intervals").splitlines():
            if line.strip():
                say(line.strip())
    finally:
        try:
            d.stop()
        finally:
            subprocess.run(["bash", os.path.join(LAB, "lab.sh"), "down"], capture_output=True, timeout=120)
    os.makedirs(os.path.join(LAB, ".work", "bench"), exist_ok=True)
    with open(os.path.join(LAB, ".work", "bench", "healthcheck-result.txt"), "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
