"""What the lab suites use to read an appliance's metrics endpoint (python3 stdlib; run as root).

The endpoint of feature jlvs-metrics listens on 127.0.0.1:8181 of the appliance's namespace; these helpers read
it there with curl, parse the Prometheus text, run `promtool check metrics` and load the dashboard in headless
Chromium. Every call is bounded in time.
"""
import json
import os
import re
import subprocess
import time

ENDPOINT = "http://127.0.0.1:8181"
_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def fetch(ns, path, timeout=20, retry_for=60):
    """GET ENDPOINT + path in namespace ns; the body. A failure (no answer, an HTTP error) is tried again for
    up to retry_for seconds, then raised: Pax Web restarts its server once, about a second after
    feature:install jlvs-metrics, when it applies the feature's org.ops4j.pax.web configuration."""
    deadline = time.monotonic() + retry_for
    while True:
        p = subprocess.run(["ip", "netns", "exec", ns, "curl", "-sS", "--fail", "--max-time", str(timeout), ENDPOINT + path],
                           capture_output=True, text=True, timeout=timeout + 10)
        if p.returncode == 0:
            return p.stdout
        if time.monotonic() > deadline:
            raise RuntimeError(f"curl {path} in {ns}: {p.stderr.strip()}")
        time.sleep(0.5)


def install(cli, ns, timeout=180):
    """feature:install jlvs-metrics through cli(command) and waits until /metrics answers in ns: its text."""
    cli("feature:install jlvs-metrics")
    return wait_answering(ns, timeout)


def wait_answering(ns, timeout=180):
    """Waits (bounded) until /metrics answers in ns; its text, or raises."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            return fetch(ns, "/metrics", retry_for=0)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            last = e
        time.sleep(1)
    raise RuntimeError(f"/metrics did not answer in {ns} within {timeout}s: {last}")


def samples(text):
    """[(name, {label: value}, value)] of a Prometheus text scrape."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if m:
            labels = {k: v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
                      for k, v in _LABEL.findall(m.group(2) or "")}
            out.append((m.group(1), labels, float(m.group(3))))
    return out


def matching(text, name, **labels):
    """The samples of series `name` whose labels include `labels`: [(labels, value)]."""
    return [(l, v) for n, l, v in samples(text) if n == name and all(l.get(k) == want for k, want in labels.items())]


def one(text, name, **labels):
    """(labels, value) of the only sample of `name` with `labels`, or (None, None) when there is not exactly one."""
    found = matching(text, name, **labels)
    return found[0] if len(found) == 1 else (None, None)


def promtool(text):
    """(accepted, promtool's output) for a scrape."""
    p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    return p.returncode == 0, (p.stdout + p.stderr).strip()


def api(ns, doc):
    """The JSON document /api/v1/<doc>."""
    return json.loads(fetch(ns, f"/api/v1/{doc}"))


def dashboard_dom(ns, profile_dir, timeout=120):
    """The dashboard's DOM after headless Chromium has run its scripts for a few seconds of virtual time."""
    os.makedirs(profile_dir, exist_ok=True)
    p = subprocess.run(["ip", "netns", "exec", ns, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", f"--user-data-dir={profile_dir}", "--virtual-time-budget=4000",
                        "--dump-dom", ENDPOINT + "/"], capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"chromium: {p.stderr.strip()[-500:]}")
    return p.stdout


def dashboard_rows_until(ns, profile_dir, cls, done, timeout=120):
    """The dashboard's rows of class cls once done(rows) holds, or those of the last look at the deadline: the
    page's first poll can come after Chromium's dump (a slow director), or Pax Web restarts once right after the
    install; an outcome to wait for, not a state to sample once."""
    deadline = time.monotonic() + timeout
    while True:
        rows = dom_rows(dashboard_dom(ns, profile_dir), cls)
        if done(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(1)


def dom_rows(dom, cls):
    """The attributes data-* of each <tr class="cls" ...> of a dashboard DOM: [{name: value}]."""
    rows = []
    for m in re.finditer(r'<tr class="' + re.escape(cls) + r'"([^>]*)>', dom):
        rows.append(dict(re.findall(r'data-([a-z-]+)="([^"]*)"', m.group(1))))
    return rows
