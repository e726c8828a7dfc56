package org.jlvs.packet;

import static org.jlvs.packet.Build6.*;
import static org.jlvs.packet.Captured6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv6HeadersTest {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final int UDP = Ipv6.NEXT_UDP, DO = Ipv6.NEXT_DEST_OPTIONS, HBH = Ipv6.NEXT_HOP_BY_HOP,
            FRAG = Ipv6.NEXT_FRAGMENT, RT = Ipv6.NEXT_ROUTING;

    private static long walk(byte[] p) {
        return Ipv6Headers.walk(p, 0, p.length);
    }

    private static int reason(byte[] p) {
        return Ipv6Headers.reason(walk(p));
    }

    @Test
    void capturedPacketsWithoutExtensionHeaders() {
        for (int i : new int[] {ECHO_REQUEST, TCP_SYN, Captured6.UDP, PORT_UNREACH, NS}) {
            byte[] f = frame(i);
            long w = Ipv6Headers.walk(f, IP, f.length - IP);
            assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w), "frame " + i);
            assertEquals(Ipv6.nextHeader(f, IP), Ipv6Headers.protocol(w));
            assertEquals(40, Ipv6Headers.chainLength(w));
            assertEquals(IP + 40, Ipv6Headers.l4Offset(w, IP));
            assertEquals(0, Ipv6Headers.flags(w));
            assertEquals(0, Ipv6Headers.headerCount(w));
            assertEquals(-1, Ipv6Headers.fragmentHeaderOffset(w, IP));
            assertFalse(Ipv6Headers.isFragment(w));
            assertTrue(Ipv6Headers.hasUpperLayerHeader(w));
        }
    }

    @Test
    void capturedFragmentsAreReportedNotReassembled() {
        byte[] first = frame(FRAG_ECHO_FIRST);
        long w = Ipv6Headers.walk(first, IP, first.length - IP);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w));
        assertEquals(Ipv6.NEXT_ICMPV6, Ipv6Headers.protocol(w), "the first fragment holds the echo header");
        assertEquals(48, Ipv6Headers.chainLength(w));
        assertEquals(Ipv6Headers.FRAGMENT_HEADER | Ipv6Headers.FRAGMENT, Ipv6Headers.flags(w));
        assertEquals(1, Ipv6Headers.headerCount(w));
        assertTrue(Ipv6Headers.isFragment(w));
        assertTrue(Ipv6Headers.hasUpperLayerHeader(w));
        int fh = Ipv6Headers.fragmentHeaderOffset(w, IP);
        assertEquals(IP + 40, fh);
        assertEquals(0, Ipv6Headers.fragmentOffset(first, fh));
        assertTrue(Ipv6Headers.moreFragments(first, fh));
        assertEquals(0xc5892625, Ipv6Headers.fragmentId(first, fh));
        assertEquals(Icmpv6.ECHO_REQUEST, Icmpv6.type(first, Ipv6Headers.l4Offset(w, IP)));

        byte[] last = frame(FRAG_ECHO_LAST);
        w = Ipv6Headers.walk(last, IP, last.length - IP);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w));
        assertEquals(Ipv6.NEXT_ICMPV6, Ipv6Headers.protocol(w), "the Fragment header's Next Header");
        assertEquals(48, Ipv6Headers.chainLength(w));
        assertFalse(Ipv6Headers.hasUpperLayerHeader(w));
        assertEquals(Ipv6Headers.FRAGMENT_HEADER | Ipv6Headers.FRAGMENT | Ipv6Headers.LATER_FRAGMENT, Ipv6Headers.flags(w));
        fh = Ipv6Headers.fragmentHeaderOffset(w, IP);
        assertEquals(1448, Ipv6Headers.fragmentOffset(last, fh));
        assertFalse(Ipv6Headers.moreFragments(last, fh));
        assertEquals(0xc5892625, Ipv6Headers.fragmentId(last, fh));

        byte[] udpFirst = frame(UDP_FRAG_FIRST);
        w = Ipv6Headers.walk(udpFirst, IP, udpFirst.length - IP);
        assertEquals(UDP, Ipv6Headers.protocol(w));
        assertEquals(1232, udpFirst.length - IP - 48, "fragments of the 1,280-byte path MTU");
        assertEquals(9999, Udp.dstPort(udpFirst, Ipv6Headers.l4Offset(w, IP)));
        assertEquals(1408, Udp.length(udpFirst, Ipv6Headers.l4Offset(w, IP)), "the whole datagram's length");
    }

    @Test
    void capturedOptionsHeaders() {
        byte[] d = frame(UDP_DSTOPTS);
        long w = Ipv6Headers.walk(d, IP, d.length - IP);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w));
        assertEquals(UDP, Ipv6Headers.protocol(w));
        assertEquals(48, Ipv6Headers.chainLength(w));
        assertEquals(Ipv6Headers.DEST_OPTIONS, Ipv6Headers.flags(w));
        assertEquals(9999, Udp.dstPort(d, Ipv6Headers.l4Offset(w, IP)));

        byte[] h = frame(UDP_HOPOPTS);
        w = Ipv6Headers.walk(h, IP, h.length - IP);
        assertEquals(UDP, Ipv6Headers.protocol(w));
        assertEquals(Ipv6Headers.HOP_BY_HOP, Ipv6Headers.flags(w));

        byte[] mld = frame(MLD_REPORT); // hop-by-hop with a router alert option
        w = Ipv6Headers.walk(mld, IP, mld.length - IP);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w));
        assertEquals(Ipv6.NEXT_ICMPV6, Ipv6Headers.protocol(w));
        assertEquals(143, Icmpv6.type(mld, Ipv6Headers.l4Offset(w, IP)), "MLDv2 report");
    }

    @Test
    void fullChainInAnyOrderWithinTheLimit() {
        byte[] p = ipv6(HBH, options(DO, 1), options(RT, 2), routing(FRAG, 0), fragment(Ipv6.NEXT_AH, 0, false, 7),
                ah(DO), options(UDP, 1), udp(3));
        long w = walk(p);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w));
        assertEquals(UDP, Ipv6Headers.protocol(w));
        assertEquals(40 + 8 + 16 + 24 + 8 + 16 + 8, Ipv6Headers.chainLength(w));
        assertEquals(6, Ipv6Headers.headerCount(w));
        assertEquals(Ipv6Headers.HOP_BY_HOP | Ipv6Headers.DEST_OPTIONS | Ipv6Headers.ROUTING
                | Ipv6Headers.FRAGMENT_HEADER | Ipv6Headers.AH, Ipv6Headers.flags(w));
        assertFalse(Ipv6Headers.isFragment(w), "an atomic fragment is a whole packet");
        assertEquals(40 + 8 + 16 + 24, Ipv6Headers.fragmentHeaderOffset(w, 0));
        assertEquals(7, Ipv6Headers.fragmentId(p, Ipv6Headers.fragmentHeaderOffset(w, 0)));

        assertEquals(Ipv6Headers.ROUTING | Ipv6Headers.ROUTING_TRANSIT, Ipv6Headers.flags(walk(ipv6(RT, routing(UDP, 1), udp(0)))));
        // Repeats are accepted (RFC 8200 4.1) up to MAX_HEADERS.
        byte[][] eight = new byte[Ipv6Headers.MAX_HEADERS][];
        for (int i = 0; i < eight.length; i++) eight[i] = options(i == eight.length - 1 ? UDP : DO, 1);
        long atLimit = walk(ipv6(DO, concat(eight), udp(0)));
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(atLimit));
        assertEquals(Ipv6Headers.MAX_HEADERS, Ipv6Headers.headerCount(atLimit));
        byte[][] nine = Arrays.copyOf(eight, 9);
        nine[7] = options(DO, 1);
        nine[8] = options(UDP, 1);
        long over = walk(ipv6(DO, concat(nine), udp(0)));
        assertEquals(FrameCheck6.TOO_MANY_HEADERS, Ipv6Headers.reason(over));
        assertEquals(40 + 8 * 8, Ipv6Headers.chainLength(over), "points at the ninth header");
    }

    @Test
    void stopsAtEspNoNextHeaderAndUnknownProtocols() {
        for (int next : new int[] {Ipv6.NEXT_ESP, Ipv6.NEXT_NONE, Ipv6.NEXT_IPV6, Ipv6.NEXT_IPIP, 135, 253}) {
            long w = walk(ipv6(DO, options(next, 1), new byte[16]));
            assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w));
            assertEquals(next, Ipv6Headers.protocol(w));
            assertEquals(48, Ipv6Headers.chainLength(w));
        }
        long empty = walk(ipv6(Ipv6.NEXT_NONE));
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(empty));
        assertEquals(40, Ipv6Headers.chainLength(empty));
    }

    @Test
    void eachMalformation() {
        byte[] good = ipv6(UDP, udp(4));
        assertEquals(FrameCheck6.OK, reason(good));
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(Ipv6Headers.walk(Arrays.copyOf(good, good.length + 9), 0,
                good.length + 9)), "padding after the payload");
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walk(good, 0, 39)));
        byte[] v4 = good.clone();
        v4[0] = 0x45;
        assertEquals(FrameCheck6.BAD_VERSION, reason(v4));
        long beyond = Ipv6Headers.walk(good, 0, good.length - 1);
        assertEquals(FrameCheck6.PAYLOAD_BEYOND_FRAME, Ipv6Headers.reason(beyond));
        assertEquals(Ipv6.PAYLOAD_LENGTH_OFFSET, Ipv6Headers.chainLength(beyond));

        long cut = walk(ipv6(DO, Arrays.copyOf(options(UDP, 2), 12)));
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED, Ipv6Headers.reason(cut));
        assertEquals(41, Ipv6Headers.chainLength(cut), "points at the header's length");
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED, reason(ipv6(DO, new byte[7])), "under 8 bytes");
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED, reason(ipv6(Ipv6.NEXT_AH, Arrays.copyOf(ah(UDP), 12))));
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED, reason(ipv6(FRAG, new byte[7])));
        byte[] jumbo = ipv6(HBH, options(UDP, 1), udp(0));
        jumbo[4] = 0;
        jumbo[5] = 0; // payload length 0: a jumbogram (RFC 2675), which Ethernet cannot carry
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED, reason(jumbo));

        long late = walk(ipv6(DO, options(HBH, 1), options(UDP, 1), udp(0)));
        assertEquals(FrameCheck6.HOP_BY_HOP_NOT_FIRST, Ipv6Headers.reason(late));
        assertEquals(40, Ipv6Headers.chainLength(late), "the Next Header field naming it (Parameter Problem code 1)");
        assertEquals(HBH, Ipv6Headers.protocol(late));

        assertEquals(FrameCheck6.REPEATED_HEADER, reason(ipv6(FRAG, fragment(FRAG, 0, false, 1), fragment(UDP, 0, false, 1),
                udp(0))));

        byte[] badPad = options(UDP, 1);
        badPad[3] = 5; // PadN of 7 bytes in a 6-byte space
        long bad = walk(ipv6(DO, badPad, udp(0)));
        assertEquals(FrameCheck6.BAD_OPTIONS, Ipv6Headers.reason(bad));
        assertEquals(42, Ipv6Headers.chainLength(bad));
        byte[] pad1 = new byte[8];
        pad1[0] = (byte) UDP;
        assertEquals(FrameCheck6.OK, reason(ipv6(DO, pad1, udp(0))), "six Pad1 options");
        pad1[7] = 1; // an option type in the last byte, no room for its length
        assertEquals(FrameCheck6.BAD_OPTIONS, reason(ipv6(DO, pad1, udp(0))));

        assertEquals(FrameCheck6.BAD_FRAGMENT, reason(ipv6(FRAG, fragment(UDP, 0, true, 1), udp(7))), "15 bytes with M");
        assertEquals(FrameCheck6.OK, reason(ipv6(FRAG, fragment(UDP, 0, true, 1), udp(8))));
        assertEquals(FrameCheck6.OK, reason(ipv6(FRAG, fragment(UDP, 8, false, 1), new byte[7])), "the last may be odd");
        assertEquals(FrameCheck6.BAD_FRAGMENT, reason(ipv6(FRAG, fragment(UDP, 65528, false, 1), new byte[8])));
        assertEquals(FrameCheck6.OK, reason(ipv6(FRAG, fragment(UDP, 65528, false, 1), new byte[7])));

        long incomplete = walk(ipv6(FRAG, fragment(DO, 0, true, 1), Arrays.copyOf(options(UDP, 3), 16)));
        assertEquals(FrameCheck6.INCOMPLETE_CHAIN, Ipv6Headers.reason(incomplete));
        long later = walk(ipv6(FRAG, fragment(DO, 16, true, 1), new byte[16]));
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(later), "a later fragment's bytes are not headers");
        assertEquals(DO, Ipv6Headers.protocol(later));
    }

    @Test
    void quotedWalkToleratesTheEndOfTheQuote() {
        byte[] p = ipv6(DO, options(UDP, 1), udp(100));
        byte[] quote = Arrays.copyOf(p, 40 + 8 + 8);
        assertEquals(FrameCheck6.PAYLOAD_BEYOND_FRAME, Ipv6Headers.reason(Ipv6Headers.walk(quote, 0, quote.length)));
        long w = Ipv6Headers.walkQuoted(quote, 0, quote.length);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w));
        assertEquals(48, Ipv6Headers.chainLength(w));
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED,
                Ipv6Headers.reason(Ipv6Headers.walkQuoted(Arrays.copyOf(p, 44), 0, 44)));
        byte[] fragment = Arrays.copyOf(ipv6(FRAG, fragment(DO, 0, true, 1), options(UDP, 2), udp(64)), 52);
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walkQuoted(fragment, 0, 52)),
                "a cut quote, not an incomplete chain");
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walkQuoted(p, 0, 39)));
        byte[] v4 = p.clone();
        v4[0] = 0x40;
        assertEquals(FrameCheck6.BAD_VERSION, Ipv6Headers.reason(Ipv6Headers.walkQuoted(v4, 0, v4.length)));
    }

    @Test
    void oddArgumentsAreTruncatedNotExceptions() {
        byte[] p = ipv6(UDP, udp(0));
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walk(null, 0, 100)));
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walk(p, -1, 100)));
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walk(p, Integer.MIN_VALUE, 100)));
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walk(p, p.length, 100)));
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walk(p, Integer.MAX_VALUE, Integer.MAX_VALUE)));
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walk(p, 0, -5)));
        assertEquals(FrameCheck6.TRUNCATED, Ipv6Headers.reason(Ipv6Headers.walkQuoted(null, 0, 100)));
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(Ipv6Headers.walk(p, 0, Integer.MAX_VALUE)));
    }

    @Test
    void fragmentHeaderWriterAndAccessors() {
        byte[] b = new byte[8];
        Ipv6Headers.writeFragmentHeader(b, 0, UDP, 1448, true, 0xdeadbeef);
        assertArrayEquals(fragment(UDP, 1448, true, 0xdeadbeef), b);
        assertEquals(UDP, Ipv6Headers.nextHeader(b, 0));
        assertEquals(1448, Ipv6Headers.fragmentOffset(b, 0));
        assertTrue(Ipv6Headers.moreFragments(b, 0));
        assertEquals(0xdeadbeef, Ipv6Headers.fragmentId(b, 0));
        byte[] r = routing(UDP, 3);
        assertEquals(4, Ipv6Headers.routingType(r, 0));
        assertEquals(3, Ipv6Headers.segmentsLeft(r, 0));
    }
}
