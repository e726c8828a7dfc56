package org.jlvs.packet;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.jlvs.packet.Captured.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Accessors, checksums and builders against the frames captured on a veth pair (see {@link Captured}). */
class CapturedFramesTest {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final long MAC_A = 0x02000afa0001L;
    private static final long MAC_B = 0x02000afa0002L;
    private static final int ADDR_A = 0x0afa0001; // 10.250.0.1
    private static final int ADDR_B = 0x0afa0002; // 10.250.0.2
    private static final int[] TCP_FRAMES = {TCP_SYN, TCP_SYN_ACK, TCP_ACK, TCP_DATA, TCP_DATA_ACKED, TCP_REPLY_DATA,
        TCP_REPLY_ACKED, TCP_FIN, TCP_FIN_REPLY, TCP_LAST_ACK};
    private static final int[] UDP_FRAMES = {UDP, UDP_ECHO, UDP_CLOSED_PORT, UDP_NO_CHECKSUM_ECHO};
    private static final int[] ICMP_FRAMES = {ECHO_REQUEST, ECHO_REPLY, ICMP_PORT_UNREACH};

    private static int[] transportFrames() {
        int[] all = Arrays.copyOf(TCP_FRAMES, TCP_FRAMES.length + UDP_FRAMES.length);
        System.arraycopy(UDP_FRAMES, 0, all, TCP_FRAMES.length, UDP_FRAMES.length);
        return all;
    }

    @Test
    void arpAccessors() {
        byte[] f = frame(OFFLOAD_ON, ARP_REQUEST);
        assertEquals(Ethernet.BROADCAST, Ethernet.dst(f, 0));
        assertEquals(MAC_A, Ethernet.src(f, 0));
        assertEquals(Ethernet.TYPE_ARP, Ethernet.type(f, 0));
        assertEquals(FrameCheck.OK, FrameCheck.checkArp(f, IP, f.length - IP));
        assertTrue(Arp.isEthernetIpv4(f, IP));
        assertEquals(Arp.REQUEST, Arp.op(f, IP));
        assertEquals(MAC_A, Arp.senderMac(f, IP));
        assertEquals(ADDR_A, Arp.senderIp(f, IP));
        assertEquals(0L, Arp.targetMac(f, IP));
        assertEquals(ADDR_B, Arp.targetIp(f, IP));
        assertFalse(Arp.isGratuitous(f, IP));

        byte[] r = frame(OFFLOAD_ON, ARP_REPLY);
        assertEquals(MAC_A, Ethernet.dst(r, 0));
        assertEquals(MAC_B, Ethernet.src(r, 0));
        assertEquals(FrameCheck.OK, FrameCheck.checkArp(r, IP, r.length - IP));
        assertEquals(Arp.REPLY, Arp.op(r, IP));
        assertEquals(MAC_B, Arp.senderMac(r, IP));
        assertEquals(ADDR_B, Arp.senderIp(r, IP));
        assertEquals(MAC_A, Arp.targetMac(r, IP));
        assertEquals(ADDR_A, Arp.targetIp(r, IP));
    }

    @Test
    void arpWritersReproduceTheKernelsFrames() {
        byte[] request = new byte[Arp.FRAME_LENGTH];
        int length = Arp.writeFrame(request, 0, Ethernet.BROADCAST, MAC_A, Arp.REQUEST, MAC_A, ADDR_A, 0L, ADDR_B);
        assertEquals(42, length);
        assertArrayEquals(frame(OFFLOAD_ON, ARP_REQUEST), request);

        // The responder's path: the received request becomes the reply in place.
        byte[] reply = frame(OFFLOAD_ON, ARP_REQUEST);
        assertEquals(42, Arp.toReplyFrame(reply, 0, MAC_B));
        assertArrayEquals(frame(OFFLOAD_ON, ARP_REPLY), reply);
    }

    @Test
    void ipv4AndIcmpAccessors() {
        byte[] f = frame(OFFLOAD_ON, ECHO_REQUEST);
        assertEquals(MAC_B, Ethernet.dst(f, 0));
        assertEquals(MAC_A, Ethernet.src(f, 0));
        assertEquals(Ethernet.TYPE_IPV4, Ethernet.type(f, 0));
        assertEquals(IP, Ethernet.payloadOffset(f, 0));
        assertEquals(4, Ipv4.version(f, IP));
        assertEquals(20, Ipv4.headerLength(f, IP));
        assertEquals(53, Ipv4.totalLength(f, IP));
        assertEquals(33, Ipv4.payloadLength(f, IP));
        assertEquals(0, Ipv4.tos(f, IP));
        assertEquals(11487, Ipv4.id(f, IP));
        assertTrue(Ipv4.dontFragment(f, IP));
        assertFalse(Ipv4.moreFragments(f, IP));
        assertEquals(0, Ipv4.fragmentOffset(f, IP));
        assertFalse(Ipv4.isFragment(f, IP));
        assertEquals(64, Ipv4.ttl(f, IP));
        assertEquals(Ipv4.PROTO_ICMP, Ipv4.protocol(f, IP));
        assertEquals(0xf7f2, Ipv4.headerChecksum(f, IP));
        assertEquals(ADDR_A, Ipv4.src(f, IP));
        assertEquals(ADDR_B, Ipv4.dst(f, IP));
        int icmp = Ipv4.payloadOffset(f, IP);
        assertEquals(Icmp.ECHO_REQUEST, Icmp.type(f, icmp));
        assertEquals(0, Icmp.code(f, icmp));
        assertEquals(0x51ea, Icmp.checksum(f, icmp));
        assertEquals(19020, Icmp.identifier(f, icmp));
        assertEquals(1, Icmp.sequence(f, icmp));

        byte[] u = frame(OFFLOAD_ON, ICMP_PORT_UNREACH);
        assertEquals(0xc0, Ipv4.tos(u, IP));
        assertEquals(29574, Ipv4.id(u, IP));
        assertFalse(Ipv4.dontFragment(u, IP));
        assertEquals(ADDR_B, Ipv4.src(u, IP));
        icmp = Ipv4.payloadOffset(u, IP);
        assertEquals(Icmp.DEST_UNREACH, Icmp.type(u, icmp));
        assertEquals(Icmp.CODE_PORT_UNREACH, Icmp.code(u, icmp));
        assertEquals(FrameCheck.OK, FrameCheck.checkIcmpError(u, IP));
        int quote = Icmp.quotedOffset(icmp);
        assertEquals(ADDR_A, Ipv4.src(u, quote));
        assertEquals(ADDR_B, Ipv4.dst(u, quote));
        assertEquals(Ipv4.PROTO_UDP, Ipv4.protocol(u, quote));
        assertEquals(40000, Udp.srcPort(u, Ipv4.payloadOffset(u, quote)));
        assertEquals(9998, Udp.dstPort(u, Ipv4.payloadOffset(u, quote)));
        assertEquals(FrameCheck.BAD_L4_HEADER, FrameCheck.checkIcmpError(f, IP), "an echo request is no error");
    }

    @Test
    void tcpAccessors() {
        byte[] syn = frame(OFFLOAD_ON, TCP_SYN);
        int tcp = Ipv4.payloadOffset(syn, IP);
        assertEquals(55676, Ipv4.id(syn, IP));
        assertEquals(60, Ipv4.totalLength(syn, IP));
        assertEquals(Ipv4.PROTO_TCP, Ipv4.protocol(syn, IP));
        assertEquals(41554, Tcp.srcPort(syn, tcp));
        assertEquals(8080, Tcp.dstPort(syn, tcp));
        assertEquals(2118515577L, Integer.toUnsignedLong(Tcp.seq(syn, tcp)));
        assertEquals(0, Tcp.ack(syn, tcp));
        assertEquals(10, Tcp.dataOffset(syn, tcp));
        assertEquals(40, Tcp.headerLength(syn, tcp));
        assertEquals(Tcp.SYN, Tcp.flags(syn, tcp));
        assertEquals(64240, Tcp.window(syn, tcp));
        assertEquals(0x1625, Tcp.checksum(syn, tcp));
        assertEquals(0, Tcp.urgentPointer(syn, tcp));
        assertEquals(1460, Tcp.mss(syn, tcp));

        byte[] synAck = frame(OFFLOAD_ON, TCP_SYN_ACK);
        tcp = Ipv4.payloadOffset(synAck, IP);
        assertEquals(Tcp.SYN | Tcp.ACK, Tcp.flags(synAck, tcp));
        assertTrue(Tcp.hasFlags(synAck, tcp, Tcp.SYN | Tcp.ACK));
        assertEquals(1162093743L, Integer.toUnsignedLong(Tcp.seq(synAck, tcp)));
        assertEquals(2118515578L, Integer.toUnsignedLong(Tcp.ack(synAck, tcp)));
        assertEquals(65160, Tcp.window(synAck, tcp));

        byte[] data = frame(OFFLOAD_ON, TCP_DATA);
        tcp = Ipv4.payloadOffset(data, IP);
        assertEquals(Tcp.PSH | Tcp.ACK, Tcp.flags(data, tcp));
        assertEquals(32, Tcp.headerLength(data, tcp));
        assertEquals(-1, Tcp.mss(data, tcp), "only timestamps");
        int payload = tcp + Tcp.headerLength(data, tcp);
        int payloadLength = Ipv4.totalLength(data, IP) - 20 - 32;
        assertEquals("hello jlvs on\n", new String(data, payload, payloadLength, US_ASCII));

        byte[] fin = frame(OFFLOAD_ON, TCP_FIN);
        assertEquals(Tcp.FIN | Tcp.ACK, Tcp.flags(fin, IP + 20));
    }

    @Test
    void udpAccessors() {
        byte[] f = frame(OFFLOAD_ON, UDP);
        int udp = Ipv4.payloadOffset(f, IP);
        assertEquals(Ipv4.PROTO_UDP, Ipv4.protocol(f, IP));
        assertEquals(45, Ipv4.totalLength(f, IP));
        assertEquals(40000, Udp.srcPort(f, udp));
        assertEquals(9999, Udp.dstPort(f, udp));
        assertEquals(25, Udp.length(f, udp));
        assertEquals(0x1621, Udp.checksum(f, udp));

        byte[] none = frame(OFFLOAD_ON, UDP_NO_CHECKSUM);
        udp = Ipv4.payloadOffset(none, IP);
        assertEquals(40001, Udp.srcPort(none, udp));
        assertEquals(19, Udp.length(none, udp));
        assertEquals(0, Udp.checksum(none, udp));
    }

    @Test
    void everyCapturedFramePassesTheChecks() {
        for (String[] run : new String[][] {OFFLOAD_ON, OFFLOAD_OFF}) {
            for (int i = 0; i < run.length; i++) {
                byte[] f = frame(run, i);
                if (i == ARP_REQUEST || i == ARP_REPLY) {
                    assertEquals(FrameCheck.NOT_IPV4, FrameCheck.checkEthernetIpv4(f, 0, f.length));
                    continue;
                }
                assertEquals(FrameCheck.OK, FrameCheck.checkEthernetIpv4(f, 0, f.length), "frame " + i);
                assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(f, IP, f.length - IP), "frame " + i);
                assertTrue(Ipv4.headerChecksumValid(f, IP));
                assertEquals(Ipv4.headerChecksum(f, IP), Ipv4.computeHeaderChecksum(f, IP));
                assertEquals(Reference.ipHeaderChecksum(f, IP), Ipv4.computeHeaderChecksum(f, IP));
            }
        }
    }

    @Test
    void completeChecksumsVerifyAndAreNotPartial() {
        for (int i : transportFrames()) {
            byte[] f = frame(OFFLOAD_OFF, i);
            int stored = Reference.storedL4Checksum(f, IP);
            assertEquals(stored, Reference.l4Checksum(f, IP), "reference, frame " + i);
            assertEquals(stored, Checksums.l4Checksum(f, IP), "frame " + i);
            assertTrue(Checksums.l4ChecksumValid(f, IP), "frame " + i);
            assertFalse(Checksums.l4ChecksumPartial(f, IP), "frame " + i);
        }
        for (int i : ICMP_FRAMES) {
            for (String[] run : new String[][] {OFFLOAD_ON, OFFLOAD_OFF}) {
                byte[] f = frame(run, i);
                assertEquals(Reference.storedL4Checksum(f, IP), Checksums.l4Checksum(f, IP), "ICMP frame " + i);
                assertTrue(Checksums.l4ChecksumValid(f, IP));
                assertFalse(Checksums.l4ChecksumPartial(f, IP), "ICMP is never offloaded");
            }
        }
        byte[] none = frame(OFFLOAD_OFF, UDP_NO_CHECKSUM);
        assertTrue(Checksums.l4ChecksumValid(none, IP), "UDP without checksum");
        assertFalse(Checksums.l4ChecksumPartial(none, IP));
    }

    @Test
    void partialChecksumsAreRecognisedAndCompleted() {
        for (int[] expected : TCPDUMP_CORRECT_CHECKSUMS) {
            int i = expected[0];
            byte[] f = frame(OFFLOAD_ON, i);
            byte[] original = f.clone();
            assertTrue(Checksums.l4ChecksumPartial(f, IP), "frame " + i);
            assertFalse(Checksums.l4ChecksumValid(f, IP), "frame " + i);
            assertEquals(expected[1], Checksums.l4Checksum(f, IP), "frame " + i);

            Checksums.completeL4Checksum(f, IP);
            assertEquals(expected[1], Reference.storedL4Checksum(f, IP), "tcpdump's value, frame " + i);
            assertEquals(Reference.l4Checksum(original, IP), Reference.storedL4Checksum(f, IP));
            assertTrue(Checksums.l4ChecksumValid(f, IP));
            assertFalse(Checksums.l4ChecksumPartial(f, IP));
            int field = IP + 20 + Checksums.l4ChecksumOffset(Ipv4.protocol(f, IP));
            for (int b = 0; b < f.length; b++) {
                if (b != field && b != field + 1) assertEquals(original[b], f[b], "only the checksum changes");
            }
        }
        // Every TCP and UDP frame of the offload run was partial, apart from the one without checksum.
        assertEquals(TCP_FRAMES.length + UDP_FRAMES.length, TCPDUMP_CORRECT_CHECKSUMS.length);
    }

    @Test
    void completedUdpEqualsTheSameDatagramSentWithoutOffload() {
        // The UDP datagrams of both runs differ only in the IP identification: same ports and payloads.
        for (int i : UDP_FRAMES) {
            byte[] completed = frame(OFFLOAD_ON, i);
            Checksums.completeL4Checksum(completed, IP);
            byte[] software = frame(OFFLOAD_OFF, i);
            assertEquals(Udp.checksum(software, IP + 20), Udp.checksum(completed, IP + 20), "frame " + i);
            int l4 = IP + 20;
            assertArrayEquals(Arrays.copyOfRange(software, l4, software.length),
                    Arrays.copyOfRange(completed, l4, completed.length), "frame " + i);
        }
    }

    @Test
    void portUnreachableIsTheKernelsByteForByte() {
        for (String[] run : new String[][] {OFFLOAD_ON, OFFLOAD_OFF}) {
            byte[] in = frame(run, UDP_CLOSED_PORT);
            byte[] kernel = frame(run, ICMP_PORT_UNREACH);
            byte[] kernelIp = Arrays.copyOfRange(kernel, IP, kernel.length);
            byte[] out = new byte[600];
            int length = Icmp.writeError(in, IP, in.length - IP, out, 10, Icmp.DEST_UNREACH, Icmp.CODE_PORT_UNREACH,
                    0, ADDR_B, Ipv4.id(kernel, IP));
            assertEquals(kernelIp.length, length);
            assertArrayEquals(kernelIp, Arrays.copyOfRange(out, 10, 10 + length));

            // The convenience builder differs only in the identification (0), hence the header checksum.
            out = new byte[600];
            length = Icmp.writeDestUnreachable(in, IP, in.length - IP, out, 0, Icmp.CODE_PORT_UNREACH, ADDR_B, 0);
            assertEquals(0, Ipv4.id(out, 0));
            assertEquals(Reference.ipHeaderChecksum(out, 0), Ipv4.headerChecksum(out, 0));
            Ipv4.setId(out, 0, Ipv4.id(kernel, IP));
            Ipv4.updateHeaderChecksum(out, 0);
            assertArrayEquals(kernelIp, Arrays.copyOf(out, length));
        }
    }

    @Test
    void echoReplyInPlaceMatchesTheKernelsReply() {
        for (String[] run : new String[][] {OFFLOAD_ON, OFFLOAD_OFF}) {
            byte[] f = frame(run, ECHO_REQUEST);
            byte[] kernel = frame(run, ECHO_REPLY);
            assertEquals(53, Icmp.toEchoReply(f, IP));
            assertEquals(Reference.ipHeaderChecksum(f, IP), Ipv4.headerChecksum(f, IP));
            assertEquals(Reference.l4Checksum(f, IP), Icmp.checksum(f, IP + 20));
            assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(f, IP, 53));
            // The kernel picks its own identification and sends replies without DF; we keep the request's.
            assertTrue(Ipv4.dontFragment(f, IP));
            Ipv4.setId(f, IP, Ipv4.id(kernel, IP));
            Ipv4.setDontFragment(f, IP, false);
            Ipv4.updateHeaderChecksum(f, IP);
            assertArrayEquals(Arrays.copyOfRange(kernel, IP, kernel.length), Arrays.copyOfRange(f, IP, f.length));
        }
    }
}
