package org.jlvs.packet;

import static org.jlvs.packet.Captured6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Icmpv6Test {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final long A_HI = Ipv6Test.A_HI, A_LO = Ipv6Test.A_LO, R_HI = Ipv6Test.R_HI, R_LO = Ipv6Test.R_LO;
    private static final long B_HI = Reference6.hi("fd00:b::1"), B_LO = Reference6.lo("fd00:b::1");

    private static long walk(byte[] f) {
        return FrameCheck6.inspectIpv6(f, IP, f.length - IP);
    }

    /** The kernel's packet from its IPv6 header on, with the flow label it chose replaced by ours. */
    private static byte[] kernelPacket(int index, int flowLabel) {
        byte[] f = frame(index);
        Ipv6.setFlowLabel(f, IP, flowLabel);
        return Arrays.copyOfRange(f, IP, f.length);
    }

    @Test
    void capturedErrorsAndTheirQuotes() {
        byte[] f = frame(PACKET_TOO_BIG);
        long w = walk(f);
        int icmp = Ipv6Headers.l4Offset(w, IP);
        assertEquals(Icmpv6.PACKET_TOO_BIG, Icmpv6.type(f, icmp));
        assertEquals(0, Icmpv6.code(f, icmp));
        assertEquals(1280, Icmpv6.mtu(f, icmp));
        assertEquals(1280, f.length - IP, "the error fills the minimum MTU");
        assertTrue(Icmpv6.isError(Icmpv6.type(f, icmp)));
        long inner = FrameCheck6.inspectIcmpv6Error(f, IP, w);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(inner));
        int quote = Icmpv6.quotedOffset(icmp);
        assertEquals(A_LO, Ipv6.srcLo(f, quote));
        assertEquals(B_HI, Ipv6.dstHi(f, quote));
        assertEquals(Ipv6.NEXT_UDP, Ipv6Headers.protocol(inner));
        assertEquals(40000, Udp.srcPort(f, Ipv6Headers.l4Offset(inner, quote)));
        assertEquals(9999, Udp.dstPort(f, Ipv6Headers.l4Offset(inner, quote)));

        byte[] u = frame(PORT_UNREACH);
        int uIcmp = Ipv6Headers.l4Offset(walk(u), IP);
        assertEquals(Icmpv6.DEST_UNREACH, Icmpv6.type(u, uIcmp));
        assertEquals(Icmpv6.CODE_PORT_UNREACH, Icmpv6.code(u, uIcmp));
        long uInner = FrameCheck6.inspectIcmpv6Error(u, IP, walk(u));
        assertEquals(9998, Udp.dstPort(u, Ipv6Headers.l4Offset(uInner, Icmpv6.quotedOffset(uIcmp))));

        byte[] t = frame(TIME_EXCEEDED);
        int tIcmp = Ipv6Headers.l4Offset(walk(t), IP);
        assertEquals(Icmpv6.TIME_EXCEEDED, Icmpv6.type(t, tIcmp));
        assertEquals(Icmpv6.CODE_HOP_LIMIT_EXCEEDED, Icmpv6.code(t, tIcmp));
        int tQuote = Icmpv6.quotedOffset(tIcmp);
        assertEquals(1, Ipv6.hopLimit(t, tQuote));
        byte[] request = frame(ECHO_HOP_LIMIT_1);
        assertEquals(Icmpv6.identifier(request, IP + 40), Icmpv6.identifier(t, tQuote + 40));
        assertEquals(1, Icmpv6.sequence(t, tQuote + 40));
    }

    @Test
    void packetTooBigIsTheRoutersByteForByte() {
        byte[] in = frame(UDP_TOO_BIG);
        byte[] out = new byte[1400];
        int length = Icmpv6.writePacketTooBig(in, IP, in.length - IP, out, 20, 1280, R_HI, R_LO);
        assertEquals(1280, length);
        byte[] kernel = kernelPacket(PACKET_TOO_BIG, 0);
        assertArrayEquals(kernel, Arrays.copyOfRange(out, 20, 20 + length));
        assertEquals(Icmpv6.MAX_QUOTE_LENGTH, length - 48);
        assertTrue(Checksums6.l4ChecksumValid(out, 20, 60, Ipv6.NEXT_ICMPV6));
        assertEquals(FrameCheck6.OK, FrameCheck6.checkIpv6(out, 20, length));
    }

    @Test
    void timeExceededAndPortUnreachableAreTheKernels() {
        byte[] in = frame(ECHO_HOP_LIMIT_1);
        byte[] out = new byte[1280];
        int length = Icmpv6.writeTimeExceeded(in, IP, in.length - IP, out, 0, Icmpv6.CODE_HOP_LIMIT_EXCEEDED, R_HI, R_LO);
        assertArrayEquals(kernelPacket(TIME_EXCEEDED, 0), Arrays.copyOf(out, length));

        // b got the datagram one hop later, and its error reached this link one hop later still.
        byte[] closed = frame(UDP_CLOSED_PORT);
        Ipv6.setHopLimit(closed, IP, 63);
        length = Icmpv6.writeDestUnreachable(closed, IP, closed.length - IP, out, 0, Icmpv6.CODE_PORT_UNREACH, B_HI, B_LO);
        byte[] kernel = kernelPacket(PORT_UNREACH, 0);
        Ipv6.setHopLimit(kernel, 0, Icmpv6.HOP_LIMIT);
        assertArrayEquals(kernel, Arrays.copyOf(out, length));
    }

    @Test
    void errorsQuoteNoPaddingAndMayOverlapTheirInput() {
        byte[] in = Arrays.copyOf(frame(Captured6.UDP), frame(Captured6.UDP).length + 20); // Ethernet padding
        byte[] out = new byte[200];
        int length = Icmpv6.writeParameterProblem(in, IP, in.length - IP, out, 0, Icmpv6.CODE_ERRONEOUS_HEADER, 4, R_HI, R_LO);
        assertEquals(48 + frame(Captured6.UDP).length - IP, length, "the payload length, not the padding");
        assertEquals(4, Icmpv6.pointer(out, 40));
        assertEquals(Ipv6.NEXT_ICMPV6, Ipv6.nextHeader(out, 0));
        assertEquals(A_LO, Ipv6.dstLo(out, 0));

        // In place: 48 bytes of headroom before the offending packet, the quote does not move.
        byte[] original = frame(Captured6.UDP);
        byte[] buf = new byte[48 + original.length];
        System.arraycopy(original, 0, buf, 48, original.length);
        length = Icmpv6.writeDestUnreachable(buf, 48 + IP, original.length - IP, buf, IP, Icmpv6.CODE_ADMIN_PROHIBITED, R_HI, R_LO);
        byte[] separate = new byte[200];
        Icmpv6.writeDestUnreachable(original, IP, original.length - IP, separate, 0, Icmpv6.CODE_ADMIN_PROHIBITED, R_HI, R_LO);
        assertArrayEquals(Arrays.copyOf(separate, length), Arrays.copyOfRange(buf, IP, IP + length));
        assertEquals(Reference6.l4Checksum(buf, IP, IP + 40, 58), Icmpv6.checksum(buf, IP + 40));
    }

    @Test
    void echoReplyInPlaceIsTheKernelsReply() {
        byte[] f = frame(ECHO_REQUEST);
        long w = walk(f);
        assertEquals(f.length - IP, Icmpv6.toEchoReply(f, IP, w));
        byte[] kernel = kernelPacket(ECHO_REPLY, Ipv6.flowLabel(f, IP));
        assertArrayEquals(kernel, Arrays.copyOfRange(f, IP, f.length));
        assertEquals(Reference6.l4Checksum(f, IP, IP + 40, 58), Icmpv6.checksum(f, IP + 40));
    }

    @Test
    void echoReplyDropsExtensionHeaders() {
        byte[] body = {0x12, 0x34, 0, 1, 'j', 'l', 'v', 's', '6'};
        byte[] p = Build6.ipv6(Ipv6.NEXT_DEST_OPTIONS, Build6.options(Ipv6.NEXT_ICMPV6, 2),
                Build6.icmpv6(Icmpv6.ECHO_REQUEST, 0, body));
        Build6.checksum(p, 0, 56, Ipv6.NEXT_ICMPV6);
        long w = FrameCheck6.inspectIpv6(p, 0, p.length);
        int length = Icmpv6.toEchoReply(p, 0, w);
        assertEquals(40 + 4 + body.length, length);
        assertEquals(Ipv6.NEXT_ICMPV6, Ipv6.nextHeader(p, 0));
        assertEquals(length - 40, Ipv6.payloadLength(p, 0));
        assertEquals(Icmpv6.ECHO_REPLY, Icmpv6.type(p, 40));
        assertEquals(0x1234, Icmpv6.identifier(p, 40));
        assertEquals(R_LO, Ipv6.srcLo(p, 0));
        assertEquals(A_LO, Ipv6.dstLo(p, 0));
        assertTrue(Checksums6.l4ChecksumValid(p, 0, 40, Ipv6.NEXT_ICMPV6));
    }

    @Test
    void echoReplyRefusals() {
        for (int i : new int[] {ECHO_REPLY, Captured6.UDP, FRAG_ECHO_FIRST, FRAG_ECHO_LAST, NS}) {
            byte[] f = frame(i);
            byte[] before = f.clone();
            assertEquals(-1, Icmpv6.toEchoReply(f, IP, walk(f)), "frame " + i);
            assertArrayEquals(before, f);
        }
        byte[] toAll = frame(ECHO_REQUEST);
        Ipv6.setDst(toAll, IP, Ipv6.ALL_NODES_HI, Ipv6.ALL_NODES_LO);
        assertEquals(-1, Icmpv6.toEchoReply(toAll, IP, walk(toAll)), "to a multicast group");
    }

    @Test
    void errorsAllowedAsRfc4443Says() {
        byte[] udp = frame(Captured6.UDP);
        assertTrue(Icmpv6.errorAllowed(udp, IP, walk(udp), Icmpv6.DEST_UNREACH, Icmpv6.CODE_PORT_UNREACH));
        byte[] error = frame(PORT_UNREACH);
        assertFalse(Icmpv6.errorAllowed(error, IP, walk(error), Icmpv6.PACKET_TOO_BIG, 0), "about an error");
        byte[] echo = frame(ECHO_REQUEST);
        assertTrue(Icmpv6.errorAllowed(echo, IP, walk(echo), Icmpv6.PACKET_TOO_BIG, 0), "about an informational message");
        byte[] later = frame(FRAG_ECHO_LAST);
        assertTrue(Icmpv6.errorAllowed(later, IP, walk(later), Icmpv6.TIME_EXCEEDED, 1), "its type is unknown");
        byte[] redirect = frame(ECHO_REQUEST);
        redirect[IP + 40] = (byte) Icmpv6.REDIRECT;
        assertFalse(Icmpv6.errorAllowed(redirect, IP, walk(redirect), Icmpv6.DEST_UNREACH, 0));

        byte[] multicast = frame(Captured6.UDP);
        Ipv6.setDst(multicast, IP, Ipv6.ALL_NODES_HI, Ipv6.ALL_NODES_LO);
        long w = walk(multicast);
        assertFalse(Icmpv6.errorAllowed(multicast, IP, w, Icmpv6.DEST_UNREACH, Icmpv6.CODE_PORT_UNREACH));
        assertFalse(Icmpv6.errorAllowed(multicast, IP, w, Icmpv6.PARAMETER_PROBLEM, Icmpv6.CODE_ERRONEOUS_HEADER));
        assertTrue(Icmpv6.errorAllowed(multicast, IP, w, Icmpv6.PACKET_TOO_BIG, 0));
        assertTrue(Icmpv6.errorAllowed(multicast, IP, w, Icmpv6.PARAMETER_PROBLEM, Icmpv6.CODE_UNRECOGNIZED_OPTION));

        byte[] dad = frame(DAD_NS);
        assertFalse(Icmpv6.errorAllowed(dad, IP, walk(dad), Icmpv6.PACKET_TOO_BIG, 0), "from the unspecified address");
        byte[] fromGroup = frame(Captured6.UDP);
        Ipv6.setSrc(fromGroup, IP, Ipv6.ALL_NODES_HI, 5);
        assertFalse(Icmpv6.errorAllowed(fromGroup, IP, Ipv6Headers.walk(fromGroup, IP, fromGroup.length - IP),
                Icmpv6.PACKET_TOO_BIG, 0), "from a multicast address");
    }

    @Test
    void settersAndTypes() {
        byte[] b = new byte[8];
        Icmpv6.setType(b, 0, Icmpv6.PARAMETER_PROBLEM);
        Icmpv6.setCode(b, 0, Icmpv6.CODE_INCOMPLETE_CHAIN);
        Icmpv6.setChecksum(b, 0, 0xbeef);
        assertEquals(4, Icmpv6.type(b, 0));
        assertEquals(3, Icmpv6.code(b, 0));
        assertEquals(0xbeef, Icmpv6.checksum(b, 0));
        assertTrue(Icmpv6.isError(127));
        assertFalse(Icmpv6.isError(Icmpv6.ECHO_REQUEST));
        assertEquals(1232, Icmpv6.MAX_QUOTE_LENGTH);
    }
}
