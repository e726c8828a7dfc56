package org.jlvs.packet;

import static org.jlvs.packet.Build6.*;
import static org.jlvs.packet.Captured6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameCheck6Test {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final int TCP = Ipv6.NEXT_TCP, UDP = Ipv6.NEXT_UDP, ICMP6 = Ipv6.NEXT_ICMPV6, FRAG = Ipv6.NEXT_FRAGMENT;

    private static int check(byte[] p) {
        return FrameCheck6.checkIpv6(p, 0, p.length);
    }

    @Test
    void everyCapturedFramePasses() {
        for (int i = 0; i < FRAMES.length; i++) {
            byte[] f = frame(i);
            long w = FrameCheck6.inspectEthernetIpv6(f, 0, f.length);
            boolean fragment = i == FRAG_ECHO_FIRST || i == FRAG_ECHO_LAST || i == FRAG_REPLY_FIRST
                    || i == FRAG_REPLY_LAST || i == UDP_FRAG_FIRST || i == UDP_FRAG_LAST;
            assertEquals(fragment ? FrameCheck6.FRAGMENT : FrameCheck6.OK, Ipv6Headers.reason(w), "frame " + i);
            assertEquals(Ipv6Headers.reason(w), FrameCheck6.checkEthernetIpv6(f, 0, f.length));
            assertEquals(Ipv6Headers.reason(w), FrameCheck6.checkIpv6(f, IP, f.length - IP));
            assertEquals(w, FrameCheck6.inspectIpv6(f, IP, f.length - IP), "the same walk");
        }
        for (int i : new int[] {PACKET_TOO_BIG, PORT_UNREACH, TIME_EXCEEDED}) {
            byte[] f = frame(i);
            assertEquals(FrameCheck6.OK, FrameCheck6.checkIcmpv6Error(f, IP, FrameCheck6.inspectIpv6(f, IP, f.length - IP)));
        }
    }

    @Test
    void eachReasonOfThePacketCheck() {
        assertEquals(FrameCheck6.OK, check(ipv6(UDP, udp(3))));
        assertEquals(FrameCheck6.TRUNCATED, FrameCheck6.checkIpv6(ipv6(UDP, udp(3)), 0, 39));
        byte[] v = ipv6(UDP, udp(3));
        v[0] = 0x40;
        assertEquals(FrameCheck6.BAD_VERSION, check(v));
        assertEquals(FrameCheck6.PAYLOAD_BEYOND_FRAME, FrameCheck6.checkIpv6(ipv6(UDP, udp(3)), 0, 50));
        assertEquals(FrameCheck6.EXTENSION_TRUNCATED, check(ipv6(Ipv6.NEXT_DEST_OPTIONS, new byte[4])));
        assertEquals(FrameCheck6.HOP_BY_HOP_NOT_FIRST,
                check(ipv6(Ipv6.NEXT_DEST_OPTIONS, options(0, 1), options(UDP, 1), udp(0))));
        byte[] source = ipv6(UDP, udp(3));
        source[8] = (byte) 0xff;
        assertEquals(FrameCheck6.BAD_SOURCE, check(source));
        byte[] unspecified = ipv6(UDP, udp(3));
        Arrays.fill(unspecified, 8, 24, (byte) 0);
        assertEquals(FrameCheck6.OK, check(unspecified), "DAD and MLD come from ::");

        assertEquals(FrameCheck6.OK, check(ipv6(TCP, tcp(0))));
        assertEquals(FrameCheck6.L4_TRUNCATED, check(ipv6(TCP, Arrays.copyOf(tcp(0), 19))));
        byte[] tcp = ipv6(TCP, tcp(8));
        tcp[52] = 0x40;
        assertEquals(FrameCheck6.BAD_L4_HEADER, check(tcp), "data offset 4");
        tcp[52] = 0x70;
        assertEquals(FrameCheck6.OK, check(tcp), "options in the 28 bytes");
        tcp[52] = (byte) 0x80;
        assertEquals(FrameCheck6.L4_TRUNCATED, check(tcp), "32 bytes of header in 28");
        assertEquals(FrameCheck6.L4_TRUNCATED, check(ipv6(UDP, new byte[7])));
        byte[] udp = ipv6(UDP, udp(3));
        udp[45] = 10;
        assertEquals(FrameCheck6.BAD_L4_HEADER, check(udp), "UDP length below the payload");
        udp[45] = 12;
        assertEquals(FrameCheck6.BAD_L4_HEADER, check(udp), "beyond");
        assertEquals(FrameCheck6.L4_TRUNCATED, check(ipv6(ICMP6, new byte[7])));
        assertEquals(FrameCheck6.OK, check(ipv6(ICMP6, new byte[8])));
        assertEquals(FrameCheck6.OK, check(ipv6(Ipv6.NEXT_ESP, new byte[3])), "other protocols unchecked");
    }

    @Test
    void fragments() {
        byte[] firstUdp = udp(8);
        firstUdp[5] = 100; // the whole datagram's length
        assertEquals(FrameCheck6.FRAGMENT, check(ipv6(FRAG, fragment(UDP, 0, true, 9), firstUdp)), "first");
        assertEquals(FrameCheck6.BAD_L4_HEADER, check(ipv6(FRAG, fragment(UDP, 0, true, 9), udp(8))),
                "a first fragment holding all the bytes its UDP length names");
        assertEquals(FrameCheck6.FRAGMENT, check(ipv6(FRAG, fragment(TCP, 0, true, 9), tcp(4))));
        assertEquals(FrameCheck6.INCOMPLETE_CHAIN, check(ipv6(FRAG, fragment(TCP, 0, true, 9), new byte[16])),
                "16 bytes of a TCP header");
        assertEquals(FrameCheck6.FRAGMENT, check(ipv6(FRAG, fragment(TCP, 8, false, 9), new byte[3])), "later");
        assertEquals(FrameCheck6.OK, check(ipv6(FRAG, fragment(UDP, 0, false, 9), udp(3))), "atomic");
        assertEquals(FrameCheck6.BAD_FRAGMENT, check(ipv6(FRAG, fragment(UDP, 0, true, 9), udp(3))));
    }

    @Test
    void ethernetFramesPaddingAndHeadroom() {
        byte[] f = ethernet(ipv6(Ipv6.NEXT_NONE));
        assertEquals(54, f.length);
        byte[] padded = Arrays.copyOf(f, 60);
        assertEquals(FrameCheck6.OK, FrameCheck6.checkEthernetIpv6(padded, 0, 60));
        byte[] headroom = new byte[64 + 60];
        System.arraycopy(padded, 0, headroom, 64, 60);
        assertEquals(FrameCheck6.OK, FrameCheck6.checkEthernetIpv6(headroom, 64, 60));
        assertEquals(IP + 64 + 40, Ipv6Headers.l4Offset(FrameCheck6.inspectEthernetIpv6(headroom, 64, 60), 64 + IP));
        assertEquals(FrameCheck6.TRUNCATED, FrameCheck6.checkEthernetIpv6(headroom, 64, 13));
        assertEquals(FrameCheck6.TRUNCATED, FrameCheck6.checkEthernetIpv6(headroom, 64, 53));
        assertEquals(FrameCheck6.NOT_IPV6, FrameCheck6.checkEthernetIpv6(Captured.frame(Captured.OFFLOAD_OFF,
                Captured.UDP), 0, 45 + 14));
        assertEquals(FrameCheck6.TRUNCATED, FrameCheck6.checkEthernetIpv6(null, 0, 60));
        assertEquals(FrameCheck6.TRUNCATED, FrameCheck6.checkEthernetIpv6(f, -1, 60));
        assertEquals(FrameCheck6.TRUNCATED, FrameCheck6.checkEthernetIpv6(f, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(FrameCheck6.TRUNCATED, FrameCheck6.checkIpv6(new byte[0], 0, 0));
        assertEquals(FrameCheck6.OK, FrameCheck6.checkEthernetIpv6(f, 0, Integer.MAX_VALUE));
    }

    private static int checkError(byte[] p) {
        return FrameCheck6.checkIcmpv6Error(p, 0, FrameCheck6.inspectIpv6(p, 0, p.length));
    }

    private static byte[] error(byte[] quote) {
        return ipv6(ICMP6, icmpv6(Icmpv6.DEST_UNREACH, Icmpv6.CODE_PORT_UNREACH, concat(new byte[4], quote)));
    }

    @Test
    void icmpv6ErrorQuotes() {
        byte[] inner = ipv6(Ipv6.NEXT_DEST_OPTIONS, options(UDP, 1), udp(200));
        assertEquals(FrameCheck6.OK, checkError(error(inner)));
        assertEquals(FrameCheck6.OK, checkError(error(Arrays.copyOf(inner, 56))), "chain and 8 bytes");
        long w = FrameCheck6.inspectIcmpv6Error(error(inner), 0, FrameCheck6.inspectIpv6(error(inner), 0, 500));
        assertEquals(48, Ipv6Headers.chainLength(w));
        assertEquals(UDP, Ipv6Headers.protocol(w));
        assertEquals(FrameCheck6.QUOTE_TRUNCATED, checkError(error(Arrays.copyOf(inner, 55))), "7 bytes of UDP");
        assertEquals(FrameCheck6.QUOTE_TRUNCATED, checkError(error(Arrays.copyOf(inner, 44))), "in the options");
        assertEquals(FrameCheck6.QUOTE_TRUNCATED, checkError(error(Arrays.copyOf(inner, 39))), "in the fixed header");
        assertEquals(FrameCheck6.QUOTE_TRUNCATED, checkError(error(new byte[0])));
        byte[] v4 = inner.clone();
        v4[0] = 0x45;
        assertEquals(FrameCheck6.BAD_QUOTE, checkError(error(v4)));
        assertEquals(FrameCheck6.BAD_QUOTE, checkError(error(ipv6(Ipv6.NEXT_DEST_OPTIONS, options(0, 1), options(UDP, 1), udp(0)))));
        assertEquals(FrameCheck6.OK, checkError(error(ipv6(FRAG, fragment(UDP, 64, false, 1), new byte[2]))),
                "a later fragment quoted: no ports to find");
        assertEquals(FrameCheck6.NOT_ICMPV6_ERROR, checkError(ipv6(UDP, udp(60))));
        assertEquals(FrameCheck6.NOT_ICMPV6_ERROR, checkError(ipv6(ICMP6, icmpv6(Icmpv6.ECHO_REQUEST, 0, new byte[60]))));
        assertEquals(FrameCheck6.NOT_ICMPV6_ERROR, FrameCheck6.checkIcmpv6Error(error(inner), 0,
                FrameCheck6.inspectIpv6(error(inner), 0, 20)), "a packet that did not pass");
    }

    @Test
    void reasonsHaveNames() {
        assertEquals("ok", FrameCheck6.reason(FrameCheck6.OK));
        assertEquals("payload length beyond the frame", FrameCheck6.reason(FrameCheck6.PAYLOAD_BEYOND_FRAME));
        assertEquals("not neighbour discovery", FrameCheck6.reason(FrameCheck6.NOT_ND));
        assertEquals("unknown (29)", FrameCheck6.reason(29));
        assertEquals("unknown (-1)", FrameCheck6.reason(-1));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int code = FrameCheck6.OK; code <= FrameCheck6.NOT_ND; code++) {
            assertFalse(FrameCheck6.reason(code).startsWith("unknown"), "code " + code);
            assertTrue(names.add(FrameCheck6.reason(code)), "one name per code: " + code);
        }
    }
}
