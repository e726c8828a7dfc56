package org.jlvs.packet;

import static org.jlvs.packet.Captured6.DAD_NS;
import static org.jlvs.packet.Captured6.ECHO_REQUEST;
import static org.jlvs.packet.Captured6.NS;
import static org.jlvs.packet.Captured6.TCP_ACK;
import static org.jlvs.packet.Captured6.TCP_DATA;
import static org.jlvs.packet.Captured6.TCP_REPLY_DATA;
import static org.jlvs.packet.Captured6.TCP_SYN;
import static org.jlvs.packet.Captured6.TCP_SYN_ACK;
import static org.jlvs.packet.Captured6.UDP;
import static org.jlvs.packet.Captured6.UDP_DSTOPTS;
import static org.jlvs.packet.Captured6.UDP_ECHO;
import static org.jlvs.packet.Captured6.UDP_HOPOPTS;
import static org.jlvs.packet.Captured6.UDP_PARTIAL;
import static org.jlvs.packet.Captured6.UDP_TOO_BIG;
import static org.jlvs.packet.Captured6.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What the IPv6 writers produce, read back by Wireshark (Debian's tshark, installed by lab/setup-host.sh) with
 * its checksum validation on: the Neighbour Advertisements answering a captured NS and a DAD probe, an unsolicited
 * NA, an echo reply, a Packet Too Big, captured TCP and UDP frames after both addresses were rewritten (with and
 * without extension headers), and a partial checksum completed. Every frame must be one that tshark decodes as
 * intended, with the checksum written "good" and none "bad". The unit tests check the same frames against the
 * implementation's own arithmetic; this one checks them against an independent decoder.
 */
class TsharkWritten6Test {
    private static final long DIRECTOR_MAC = 0x020000000a02L;
    private static final long VIP_MAC = 0x0200000000c1L;
    private static final long VIP_HI = 0x20010db800000000L;

    /** The fields tshark prints per frame, in this order, then the Info column. */
    private static final int TCP = 0, UDP_CHECKSUM = 1, ICMPV6 = 2;
    /** Wireshark's checksum status values (proto_checksum_enum_e). */
    private static final String BAD = "0", GOOD = "1";

    /**
     * A written frame, the checksum of it that must be good ({@link #TCP}, {@link #UDP_CHECKSUM} or
     * {@link #ICMPV6}) and what tshark's Info column must say of it.
     */
    private record Written(byte[] frame, int length, int checksum, String info) {}

    @Test
    void tsharkReadsEveryWrittenFrameWithGoodChecksums() throws Exception {
        List<Written> written = write();
        Path pcap = Files.createTempFile("jlvs-written6", ".pcap");
        try {
            Files.write(pcap, pcap(written));
            Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-o", "tcp.check_checksum:TRUE",
                    "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|", "-e", "tcp.checksum.status",
                    "-e", "udp.checksum.status", "-e", "icmpv6.checksum.status", "-e", "_ws.col.Info")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark did not finish");
            assertEquals(0, p.exitValue(), "tshark -r failed (is it installed? lab/setup-host.sh installs it)");
            String[] lines = out.split("\n");
            assertEquals(written.size(), lines.length, "one line per written frame:\n" + out);
            for (int i = 0; i < lines.length; i++) {
                String[] f = lines[i].split("\\|", -1);
                assertEquals(4, f.length, lines[i]);
                // The written checksum must be good; an ICMPv6 error also shows the quoted, truncated datagram's,
                // which tshark cannot verify (2): none may be bad.
                Written w = written.get(i);
                assertEquals(GOOD, f[w.checksum()].split(",")[0], "frame " + i + " (" + w.info() + "): " + lines[i]);
                for (int k = 0; k < 3; k++) {
                    for (String status : f[k].split(",")) {
                        assertTrue(!status.equals(BAD), "frame " + i + " (" + w.info() + "): " + lines[i]);
                    }
                }
                assertTrue(f[3].contains(written.get(i).info()), "frame " + i + ": expected \""
                        + written.get(i).info() + "\", tshark says: " + f[3]);
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
    }

    private static List<Written> write() {
        List<Written> out = new ArrayList<>();
        byte[] ns = frame(NS);
        Ndp.toAdvertisementFrame(ns, 0, FrameCheck6.inspectIpv6(ns, 14, ns.length - 14), DIRECTOR_MAC, true);
        out.add(new Written(ns, 86, ICMPV6, "Neighbor Advertisement"));
        byte[] dad = frame(DAD_NS);
        Ndp.toAdvertisementFrame(dad, 0, FrameCheck6.inspectIpv6(dad, 14, dad.length - 14), VIP_MAC, false);
        out.add(new Written(dad, 86, ICMPV6, "Neighbor Advertisement"));
        byte[] unsolicited = new byte[86];
        Ndp.writeUnsolicitedAdvertisementFrame(unsolicited, 0, VIP_MAC, VIP_HI, 0x80L, false);
        out.add(new Written(unsolicited, 86, ICMPV6, "Neighbor Advertisement 2001:db8::80"));

        byte[] echo = frame(ECHO_REQUEST);
        int n = Icmpv6.toEchoReply(echo, 14, FrameCheck6.inspectIpv6(echo, 14, echo.length - 14));
        out.add(new Written(echo, 14 + n, ICMPV6, "Echo (ping) reply"));
        byte[] big = frame(UDP_TOO_BIG);
        byte[] ptb = new byte[1400];
        System.arraycopy(big, 0, ptb, 0, 14);
        n = Icmpv6.writePacketTooBig(big, 14, big.length - 14, ptb, 14, 1280, VIP_HI, 1L);
        out.add(new Written(ptb, 14 + n, ICMPV6, "Packet Too Big"));

        for (int i : new int[] {TCP_SYN, TCP_SYN_ACK, TCP_ACK, TCP_DATA, TCP_REPLY_DATA, UDP, UDP_ECHO, UDP_DSTOPTS,
                UDP_HOPOPTS}) {
            boolean tcp = i == TCP_SYN || i == TCP_SYN_ACK || i == TCP_ACK || i == TCP_DATA || i == TCP_REPLY_DATA;
            byte[] f = frame(i);
            long w = FrameCheck6.inspectIpv6(f, 14, f.length - 14);
            Checksums6.rewriteAddress(f, 14, w, Ipv6.DST_OFFSET, 0x20010db800000001L, 0x1234L);
            Checksums6.rewriteAddress(f, 14, w, Ipv6.SRC_OFFSET, 0xfd00000000000099L, 0xabcdL);
            out.add(new Written(f, f.length, tcp ? TCP : UDP_CHECKSUM, ""));
        }
        byte[] partial = frame(UDP_PARTIAL);
        Checksums6.completeL4Checksum(partial, 14, 54, 17);
        out.add(new Written(partial, partial.length, UDP_CHECKSUM, ""));
        return out;
    }

    /** A classic little-endian pcap file of Ethernet frames. */
    private static byte[] pcap(List<Written> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le32(out, 0xa1b2c3d4);
        le16(out, 2);
        le16(out, 4);
        le32(out, 0);
        le32(out, 0);
        le32(out, 65535);
        le32(out, 1);
        for (Written w : frames) {
            le32(out, 0);
            le32(out, 0);
            le32(out, w.length());
            le32(out, w.length());
            out.write(w.frame(), 0, w.length());
        }
        return out.toByteArray();
    }

    private static void le32(ByteArrayOutputStream o, int v) {
        le16(o, v);
        le16(o, v >>> 16);
    }

    private static void le16(ByteArrayOutputStream o, int v) {
        o.write(v);
        o.write(v >>> 8);
    }
}
