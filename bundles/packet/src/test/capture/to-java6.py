#!/usr/bin/env python3
"""Writes Captured6.java (the IPv6 test fixture) from the v6.pcap made by capture-frames6.sh.

Each frame is picked by what tshark reads in it (not by its position, which depends on the kernel's timers).
tshark validates every TCP, UDP and ICMPv6 checksum; its verdict goes into the comment and into
TSHARK_CHECKSUM_GOOD. The correct checksum of the one partial (offloaded) frame is computed here, in Python."""
import importlib.util, os, struct, subprocess, sys, textwrap

# The pcap reader of to-java.py (the IPv4 fixture's converter).
_spec = importlib.util.spec_from_file_location("to_java", os.path.join(os.path.dirname(__file__), "to-java.py"))
_to_java = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_to_java)
frames = _to_java.frames

A, R, B = "fd00:a::1", "fd00:a::2", "fd00:b::1"
# name, predicate over (src, dst, next header, info); the first matching frame is taken.
PICK = [
    ("MLD_REPORT", lambda s, d, n, i: "Multicast Listener Report" in i and n == "0"),
    ("DAD_NS", lambda s, d, n, i: s == "::" and i == "Neighbor Solicitation for " + A),
    ("UNSOLICITED_NA", lambda s, d, n, i: s == A and d == "ff02::1" and "is at 02:00:00:00:0a:01" in i),
    ("ROUTER_SOLICITATION", lambda s, d, n, i: i.startswith("Router Solicitation")),
    ("NS", lambda s, d, n, i: s == A and i.startswith("Neighbor Solicitation for " + R)),
    ("NA", lambda s, d, n, i: s == R and i.startswith("Neighbor Advertisement " + R)),
    ("ECHO_REQUEST", lambda s, d, n, i: d == R and n == "58" and "Echo (ping) request" in i),
    ("ECHO_REPLY", lambda s, d, n, i: s == R and n == "58" and "Echo (ping) reply" in i),
    ("FRAG_ECHO_FIRST", lambda s, d, n, i: d == R and n == "44" and "Echo (ping) request" in i),
    ("FRAG_ECHO_LAST", lambda s, d, n, i: d == R and n == "44" and "IPv6 fragment (off=1448" in i),
    ("FRAG_REPLY_FIRST", lambda s, d, n, i: s == R and n == "44" and "Echo (ping) reply" in i),
    ("FRAG_REPLY_LAST", lambda s, d, n, i: s == R and n == "44" and "IPv6 fragment (off=1448" in i),
    ("ECHO_HOP_LIMIT_1", lambda s, d, n, i: d == B and "hop limit=1" in i),
    ("TIME_EXCEEDED", lambda s, d, n, i: i.startswith("Time Exceeded")),
    ("TCP_SYN", lambda s, d, n, i: "[SYN]" in i),
    ("TCP_SYN_ACK", lambda s, d, n, i: "[SYN, ACK]" in i),
    ("TCP_ACK", lambda s, d, n, i: s == A and "[ACK] Seq=1 Ack=1 " in i),
    ("TCP_DATA", lambda s, d, n, i: s == A and "[PSH, ACK]" in i),
    ("TCP_REPLY_DATA", lambda s, d, n, i: s == B and "[PSH, ACK]" in i),
    ("TCP_FIN_B", lambda s, d, n, i: s == B and "[FIN, ACK]" in i),
    ("TCP_FIN_A", lambda s, d, n, i: s == A and "[FIN, ACK]" in i),
    ("TCP_LAST_ACK", lambda s, d, n, i: s == A and "[ACK] Seq=14" in i),
    ("UDP", lambda s, d, n, i: s == A and n == "17" and "40000 → 9999 Len=17" in i),
    ("UDP_ECHO", lambda s, d, n, i: s == B and "9999 → 40000 Len=22" in i),
    ("UDP_CLOSED_PORT", lambda s, d, n, i: "40000 → 9998" in i),
    ("PORT_UNREACH", lambda s, d, n, i: "Port unreachable" in i),
    ("UDP_TOO_BIG", lambda s, d, n, i: n == "17" and "40000 → 9999 Len=1400" in i),
    ("PACKET_TOO_BIG", lambda s, d, n, i: i == "Packet Too Big"),
    ("UDP_FRAG_FIRST", lambda s, d, n, i: n == "44" and "40000 → 9999 Len=1400" in i),
    ("UDP_FRAG_LAST", lambda s, d, n, i: n == "44" and "IPv6 fragment (off=1232" in i),
    ("UDP_DSTOPTS", lambda s, d, n, i: n == "60"),
    ("UDP_HOPOPTS", lambda s, d, n, i: s == A and n == "0" and "40000 → 9999" in i),
    ("UNSOLICITED_NA_NEW_MAC", lambda s, d, n, i: s == A and d == "ff02::1" and "is at 02:00:00:00:0a:03" in i),
    ("UDP_PARTIAL", lambda s, d, n, i: "40001 → 9999" in i),
]

def dissect(path):
    cmd = ["tshark", "-r", path, "-o", "ipv6.defragment:FALSE", "-o", "tcp.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=\t", "-e", "ipv6.src", "-e", "ipv6.dst",
           "-e", "ipv6.nxt", "-e", "tcp.checksum.status", "-e", "udp.checksum.status", "-e", "icmpv6.checksum.status",
           "-e", "_ws.col.Info"]
    rows = []
    for line in subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines():
        src, dst, nxt, t, u, i, info = line.split("\t")
        # The first value of each field is the outer packet's (ICMPv6 errors also show their quote's).
        first = lambda v: v.split(",")[0]
        status = first(i) or first(t) or first(u)
        rows.append((first(src), first(dst), first(nxt), status, info))
    return rows

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def udp_checksum(f):
    ip = f[14:]
    plen = struct.unpack("!H", ip[4:6])[0]
    udp = bytearray(ip[40:40 + plen]); udp[6:8] = b"\0\0"
    c = csum(ip[8:40] + struct.pack("!I", plen) + b"\0\0\0\x11" + bytes(udp))
    return c or 0xffff

def main(path):
    fr, rows = frames(path), dissect(path)
    assert len(fr) == len(rows)
    chosen = []
    for name, pred in PICK:
        k = next((k for k, (s, d, n, _, i) in enumerate(rows) if pred(s, d, n, i)), None)
        assert k is not None, "no frame for " + name
        chosen.append((name, k))
    o = ["package org.jlvs.packet;", "",
         "/**",
         " * IPv6 frames captured by src/test/capture/capture-frames6.sh on the link between fd00:a::1 (02:00:00:00:0a:01,",
         " * later 02:00:00:00:0a:03) and the router fd00:a::2 (02:00:00:00:0a:02), which forwards to fd00:b::1 over a",
         " * 1280-byte MTU link: DAD, MLD, Neighbour Discovery, pings (one fragmented, one with hop limit 1), TCP and UDP",
         " * with fd00:b::1 (a port unreachable, a Packet Too Big, fragments, destination options and hop-by-hop",
         " * headers), an unsolicited NA, and one UDP datagram with TX checksum offload on (a partial checksum). TX",
         " * offload was off for all the others. The comments are tshark's reading of each frame, with its verdict on",
         " * the TCP/UDP/ICMPv6 checksum. Regenerate with src/test/capture/to-java6.py.",
         " */",
         "final class Captured6 {",
         "    private Captured6() {}", ""]
    o += ["    static final int %s = %d;" % (n, j) for j, (n, _) in enumerate(chosen)]
    o += ["", "    static final String[] FRAMES = {"]
    good = []
    verdict = {"0": "bad", "1": "good", "2": "unverified", "": "none"}
    for name, k in chosen:
        s, d, n, st, info = rows[k]
        if st == "1": good.append(name)
        for m, line in enumerate(textwrap.wrap("%s: %s > %s: %s; checksum %s" % (name, s, d, info, verdict[st]), 104)):
            o.append("        // " + ("" if m == 0 else "    ") + line)
        h = fr[k].hex()
        o.append("        " + "\n            + ".join('"%s"' % h[j:j + 96] for j in range(0, len(h), 96)) + ",")
    o += ["    };", "",
          "    /** The frames whose TCP, UDP or ICMPv6 checksum tshark found correct. */",
          "    static final int[] TSHARK_CHECKSUM_GOOD = {"]
    o += ["        " + l for l in textwrap.wrap(", ".join(good) + ",", 104)]
    o += ["    };", "",
          "    /** The correct UDP checksum of UDP_PARTIAL, computed by to-java6.py in Python. */",
          "    static final int UDP_PARTIAL_CORRECT_CHECKSUM = 0x%04x;" % udp_checksum(fr[dict(chosen)["UDP_PARTIAL"]]),
          """
    static byte[] frame(int index) {
        return Captured.hex(FRAMES[index]);
    }
}"""]
    print("\n".join(o))

if __name__ == "__main__":
    main(sys.argv[1])
