#!/usr/bin/env python3
"""A real server for the jlvs lab (python3 standard library only).

HTTP/1.1 on port 80 (keep-alive and `Connection: close`):
  GET /           -> body "<name>\n"
  GET /bytes/<n>  -> n deterministic pseudo-random bytes (see pseudo_random_bytes), so a client can verify
                     a download by checksum without the server telling it anything.
UDP echo on port 7: every datagram is sent back to its sender unchanged.
TCP echo on port 7: every byte received on a connection is sent back on it, until the client closes (long-lived
connections for the hot-swap tests).
"""
import argparse
import http.server
import os
import random
import socket
import socketserver
import sys
import threading

MAX_BYTES = 128 * 1024 * 1024  # e2e_failover downloads 100 MiB
CHUNK = 256 * 1024


def iter_pseudo_random_bytes(n):
    """The same n bytes everywhere, in CHUNK-sized pieces: Mersenne Twister seeded per chunk index with a
    fixed value, so a server streams without holding n bytes and a client recomputes the expectation."""
    index = 0
    left = n
    while left > 0:
        chunk = random.Random(0x6A6C7673 + index).randbytes(CHUNK)
        yield chunk[:left]
        left -= len(chunk)
        index += 1


def pseudo_random_bytes(n):
    return b"".join(iter_pseudo_random_bytes(n))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says Connection: close
    server_version = "jlvs-realserver"

    def log_message(self, fmt, *args):  # quiet: thousands of requests per test
        pass

    def do_GET(self):
        if self.path == "/":
            self._send(200, (self.server.rs_name + "\n").encode())
        elif self.path.startswith("/bytes/"):
            try:
                n = int(self.path[len("/bytes/"):])
            except ValueError:
                n = -1
            if n < 0 or n > MAX_BYTES:
                self._send(400, b"bad length\n")
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for piece in iter_pseudo_random_bytes(n):
                self.wfile.write(piece)
        else:
            self._send(404, b"not found\n")

    def _send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512


class V6Only:
    """Mixed into a server class: an IPv6-only socket beside the IPv4 one on the same port."""
    address_family = socket.AF_INET6

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        super().server_bind()


class Server6(V6Only, Server):
    pass


def udp_echo(port, family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", port))
    while True:
        data, peer = s.recvfrom(65535)
        try:
            s.sendto(data, peer)
        except OSError:
            pass


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(data)
        except OSError:  # reset by the peer: the connection is over
            pass


class EchoServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512


class EchoServer6(V6Only, EchoServer):
    pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--http-port", type=int, default=80)
    p.add_argument("--udp-port", type=int, default=7)
    p.add_argument("--tcp-echo-port", type=int, default=7)
    a = p.parse_args()
    threading.Thread(target=udp_echo, args=(a.udp_port,), daemon=True).start()
    echo = EchoServer(("0.0.0.0", a.tcp_echo_port), EchoHandler)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    if socket.has_ipv6 and os.path.exists("/proc/net/if_inet6"):  # the same services over IPv6 (dual-stack lab)
        threading.Thread(target=udp_echo, args=(a.udp_port, socket.AF_INET6), daemon=True).start()
        echo6 = EchoServer6(("::", a.tcp_echo_port), EchoHandler)
        threading.Thread(target=echo6.serve_forever, daemon=True).start()
        srv6 = Server6(("::", a.http_port), Handler)
        srv6.rs_name = a.name
        threading.Thread(target=srv6.serve_forever, daemon=True).start()
    srv = Server(("0.0.0.0", a.http_port), Handler)
    srv.rs_name = a.name
    print(f"{a.name}: http :{a.http_port}, udp echo :{a.udp_port}, tcp echo :{a.tcp_echo_port}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
