#!/usr/bin/env python3
"""The traffic of lab/e2e_failover.py, run inside the client namespace: N long-lived keep-alive HTTP connections
to VIP:80 (each sends `GET /` and reads the answer, over and over, a short pause between) and optionally one
download of /bytes/<n> read at a bounded rate, so that it spans a failover.

Prints `ready` once every connection answered once and the download started; answers each line `progress` on stdin
with one line `progress {"answered": [per connection], "download": bytes, "download_done": bool, "failed": connections with an error, "ports": [client ports]}`; runs until a line `stop` arrives on stdin
(or --max-seconds), lets the download finish (bounded by --max-seconds), and prints one JSON line: requests
answered, resets, other errors, the longest stall of each connection (the gap between two answers) and of the
download (the gap between two reads), and whether the download's bytes are the expected ones (SHA-256).
"""
import argparse
import hashlib
import json
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realserver  # noqa: E402  (the deterministic bytes)

STOP = threading.Event()


def read_response(s, buf):
    """Reads one HTTP/1.1 response with Content-Length from s; returns (status, body, rest of buf)."""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError("closed by the peer")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length":
            length = int(v.strip())
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise EOFError("closed by the peer in a body")
        rest += chunk
    return status, rest[:length], rest[length:]


class KeepAlive(threading.Thread):
    def __init__(self, vip, pause, timeout, src):
        super().__init__(daemon=True)
        self.vip, self.pause, self.timeout, self.src = vip, pause, timeout, src
        self.answered = 0
        self.stall = 0.0
        self.error = None
        self.port = None
        self.first = threading.Event()

    def run(self):
        try:
            s = socket.create_connection((self.vip, 80), timeout=self.timeout,
                                         source_address=(self.src, 0) if self.src else None)
        except OSError as e:
            self.error = f"connect: {e}"
            self.first.set()
            return
        self.port = s.getsockname()[1]
        buf = b""
        last = time.monotonic()
        try:
            while not STOP.is_set():
                s.sendall(b"GET / HTTP/1.1\r\nHost: vip\r\n\r\n")
                status, body, buf = read_response(s, buf)
                now = time.monotonic()
                if status != 200 or not body.startswith(b"rs"):
                    self.error = f"answer {status} {body[:20]!r}"
                    return
                self.stall = max(self.stall, now - last)
                last = now
                self.answered += 1
                self.first.set()
                time.sleep(self.pause)
        except ConnectionResetError:
            self.error = "reset"
        except socket.timeout:
            self.error = f"no answer within {self.timeout} s"
        except (OSError, EOFError, ValueError) as e:
            self.error = f"{type(e).__name__}: {e}"
        finally:
            self.first.set()
            s.close()


class Download(threading.Thread):
    def __init__(self, vip, size, rate, timeout):
        super().__init__(daemon=True)
        self.vip, self.size, self.rate, self.timeout = vip, size, rate, timeout
        self.received = 0
        self.stall = 0.0
        self.error = None
        self.port = None
        self.intact = False
        self.started = threading.Event()

    def run(self):
        sha = hashlib.sha256()
        try:
            with socket.create_connection((self.vip, 80), timeout=self.timeout) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 256 * 1024)
                self.port = s.getsockname()[1]
                s.sendall(f"GET /bytes/{self.size} HTTP/1.1\r\nHost: vip\r\nConnection: close\r\n\r\n".encode())
                buf = b""
                while b"\r\n\r\n" not in buf:
                    chunk = s.recv(65536)
                    if not chunk:
                        raise EOFError("closed before the headers")
                    buf += chunk
                head, _, body = buf.partition(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise EOFError(f"answered {head[:40]!r}")
                sha.update(body)
                self.received = len(body)
                self.started.set()
                t0 = last = time.monotonic()
                while self.received < self.size:
                    chunk = s.recv(65536)
                    now = time.monotonic()
                    if not chunk:
                        raise EOFError(f"closed after {self.received} bytes")
                    self.stall = max(self.stall, now - last)
                    last = now
                    sha.update(chunk)
                    self.received += len(chunk)
                    ahead = self.received / self.rate - (now - t0)  # the bounded rate: sleep off any advance
                    if ahead > 0:
                        time.sleep(min(ahead, 0.5))
            want = hashlib.sha256()
            for piece in realserver.iter_pseudo_random_bytes(self.size):
                want.update(piece)
            self.intact = self.received == self.size and want.digest() == sha.digest()
        except ConnectionResetError:
            self.error = "reset"
        except socket.timeout:
            self.error = f"no data within {self.timeout} s"
        except (OSError, EOFError) as e:
            self.error = f"{type(e).__name__}: {e}"
        finally:
            self.started.set()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vip", required=True)
    ap.add_argument("--conns", type=int, default=50)
    ap.add_argument("--download", type=int, default=0, help="bytes to download (0: none)")
    ap.add_argument("--rate", type=float, default=6 * 1024 * 1024, help="the download's bytes per second at most")
    ap.add_argument("--pause", type=float, default=0.1, help="seconds between two requests of a connection")
    ap.add_argument("--timeout", type=float, default=30.0, help="a connection's longest wait for an answer")
    ap.add_argument("--max-seconds", type=float, default=240.0)
    args = ap.parse_args()
    t0 = time.monotonic()
    conns = [KeepAlive(args.vip, args.pause, args.timeout, None) for _ in range(args.conns)]
    for c in conns:
        c.start()
        time.sleep(0.01)  # no SYN burst
    for c in conns:
        c.first.wait(args.timeout)
    dl = Download(args.vip, args.download, args.rate, args.timeout) if args.download else None
    if dl:
        dl.start()
        dl.started.wait(args.timeout)
    problems = [c.error for c in conns if not c.answered] + ([dl.error] if dl and dl.error else [])
    print("ready" if not problems else f"not ready: {problems[:3]}", flush=True)
    def commands():
        # `progress` prints each connection's answers so far and the download's bytes; `stop` (or EOF) stops
        for line in sys.stdin:
            if line.strip() != "progress":
                break
            print("progress " + json.dumps({"answered": [c.answered for c in conns],
                                            "download": dl.received if dl else None,
                                            "download_done": bool(dl and dl.received >= dl.size),
                                            "failed": sum(1 for c in conns if c.error) + (1 if dl and dl.error else 0),
                                            "ports": [c.port for c in conns] + ([dl.port] if dl else [])}),
                  flush=True)
        STOP.set()

    stopper = threading.Thread(target=commands, daemon=True)
    stopper.start()
    STOP.wait(max(0.0, args.max_seconds - (time.monotonic() - t0)))
    STOP.set()
    for c in conns:
        c.join(args.timeout + 5)
    if dl:
        dl.join(max(1.0, args.max_seconds - (time.monotonic() - t0)))
    errors = [c.error for c in conns if c.error]
    out = {
        "conns": len(conns),
        "answered": sum(c.answered for c in conns),
        "resets": sum(1 for e in errors if e == "reset") + (1 if dl and dl.error == "reset" else 0),
        "errors": errors[:10],
        "conn_stall_max": max((c.stall for c in conns), default=0.0),
        "download": None if not dl else {"size": dl.size, "received": dl.received, "intact": dl.intact,
                                          "stall_max": dl.stall, "error": dl.error},
    }
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
