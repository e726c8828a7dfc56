#!/usr/bin/env python3
"""Writes Captured.java (the test fixture) from DIR/on.pcap and DIR/off.pcap made by capture-frames.sh."""
import re, struct, subprocess, sys, textwrap

NAMES = ["ARP_REQUEST", "ARP_REPLY", "ECHO_REQUEST", "ECHO_REPLY", "TCP_SYN", "TCP_SYN_ACK", "TCP_ACK", "TCP_DATA",
         "TCP_DATA_ACKED", "TCP_REPLY_DATA", "TCP_REPLY_ACKED", "TCP_FIN", "TCP_FIN_REPLY", "TCP_LAST_ACK", "UDP",
         "UDP_ECHO", "UDP_CLOSED_PORT", "ICMP_PORT_UNREACH", "UDP_NO_CHECKSUM", "UDP_NO_CHECKSUM_ECHO"]

def frames(path):
    d = open(path, "rb").read()
    assert struct.unpack("<I", d[:4])[0] == 0xa1b2c3d4, "expects a little-endian microsecond pcap"
    p, out = 24, []
    while p < len(d):
        _, _, incl, orig = struct.unpack("<IIII", d[p:p + 16]); p += 16
        assert incl == orig, "truncated capture"
        out.append(d[p:p + incl]); p += incl
    return out

def summaries(path):
    text = subprocess.run(["tcpdump", "-nn", "-vv", "-r", path], capture_output=True, text=True).stdout
    recs = []
    for line in text.splitlines():
        if re.match(r"^\d\d:\d\d", line): recs.append(re.sub(r"^\S+ ", "", line))
        else: recs[-1] += " " + line.strip()
    return recs

def main(directory):
    o = ["package org.jlvs.packet;", "",
         "/**",
         " * Frames captured on a veth pair by src/test/capture/capture-frames.sh: 10.250.0.1 (02:00:0a:fa:00:01, veth va)",
         " * does ARP, a ping, a TCP exchange with 10.250.0.2:8080 (02:00:0a:fa:00:02, vb), a UDP echo to :9999, a UDP",
         " * datagram to the closed port 9998 (answered by the kernel's ICMP port unreachable) and a UDP datagram without",
         " * checksum (SO_NO_CHECK). tcpdump ran on vb, so both directions were seen. Twice: with TX checksum offload on",
         " * (TCP/UDP checksums are Linux's CHECKSUM_PARTIAL values) and off (complete checksums). The comments are",
         " * tcpdump -vv's reading of each frame. Regenerate with src/test/capture/to-java.py.",
         " */",
         "final class Captured {",
         "    private Captured() {}", ""]
    o += ["    static final int %s = %d;" % (n, i) for i, n in enumerate(NAMES)]
    o.append("")
    correct = {}
    for run, title in (("on", "OFFLOAD_ON"), ("off", "OFFLOAD_OFF")):
        doc = "on: TCP/UDP checksums partial" if run == "on" else "off: all checksums complete"
        o.append("    /** TX checksum offload %s. */" % doc)
        o.append("    static final String[] %s = {" % title)
        fr, sm = frames("%s/%s.pcap" % (directory, run)), summaries("%s/%s.pcap" % (directory, run))
        assert len(fr) == len(NAMES) == len(sm), "unexpected frames: %d" % len(fr)
        for i, (f, s) in enumerate(zip(fr, sm)):
            m = re.search(r"(?:incorrect -> |cksum 0x[0-9a-f]+ -> )(0x[0-9a-f]{4})", s)
            if run == "on" and m and NAMES[i] != "ICMP_PORT_UNREACH":  # that one names its quote's checksum
                correct[i] = m.group(1)
            for k, line in enumerate(textwrap.wrap("%s: %s" % (NAMES[i], s), 104)):
                o.append("        // " + ("" if k == 0 else "    ") + line)
            h = f.hex()
            o.append("        " + "\n            + ".join('"%s"' % h[j:j + 96] for j in range(0, len(h), 96)) + ",")
        o.append("    };")
        o.append("")
    o.append("    /** The correct checksums tcpdump computed for the partial ones of OFFLOAD_ON (index, checksum). */")
    o.append("    static final int[][] TCPDUMP_CORRECT_CHECKSUMS = {")
    o += ["        {%s, %s}," % (NAMES[i], c) for i, c in sorted(correct.items())]
    o.append("    };")
    o.append("""
    static byte[] frame(String[] run, int index) {
        return hex(run[index]);
    }

    static byte[] hex(String text) {
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}""")
    print("\n".join(o))

if __name__ == "__main__":
    main(sys.argv[1])
