package org.jlvs.packet;

import static org.jlvs.packet.Captured.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IcmpTest {
    private static final int VIP = 0x0afa000a;

    /** Checks an error packet at off against the offending packet, with checksums from the reference. */
    private static void assertError(byte[] out, int off, int length, byte[] in, int inOff, int quoted, int type,
            int code, int rest) {
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(out, off, length));
        assertEquals(20 + 8 + quoted, length);
        assertEquals(length, Ipv4.totalLength(out, off));
        assertEquals(Reference.ipHeaderChecksum(out, off), Ipv4.headerChecksum(out, off));
        assertEquals(Ipv4.PROTO_ICMP, Ipv4.protocol(out, off));
        assertEquals(64, Ipv4.ttl(out, off));
        assertFalse(Ipv4.dontFragment(out, off));
        assertEquals(0xc0 | (Ipv4.tos(in, inOff) & 0x1e), Ipv4.tos(out, off));
        assertEquals(VIP, Ipv4.src(out, off));
        assertEquals(Ipv4.src(in, inOff), Ipv4.dst(out, off));
        int icmp = off + 20;
        assertEquals(type, Icmp.type(out, icmp));
        assertEquals(code, Icmp.code(out, icmp));
        assertEquals(rest, Icmp.restOfHeader(out, icmp));
        assertEquals(Reference.l4Checksum(out, off), Icmp.checksum(out, icmp));
        assertTrue(Checksums.l4ChecksumValid(out, off));
        assertArrayEquals(Arrays.copyOfRange(in, inOff, inOff + quoted),
                Arrays.copyOfRange(out, icmp + 8, icmp + 8 + quoted));
        assertEquals(FrameCheck.OK, FrameCheck.checkIcmpError(out, off));
    }

    @Test
    void fragmentationNeededCarriesTheMtu() {
        byte[] in = frame(OFFLOAD_OFF, TCP_DATA);
        byte[] out = new byte[200];
        int length = Icmp.writeDestUnreachable(in, 14, in.length - 14, out, 3, Icmp.CODE_FRAG_NEEDED, VIP, 1480);
        assertError(out, 3, length, in, 14, in.length - 14, Icmp.DEST_UNREACH, Icmp.CODE_FRAG_NEEDED, 1480);
        assertEquals(1480, Icmp.nextHopMtu(out, 23));

        // Other codes ignore the MTU argument.
        length = Icmp.writeDestUnreachable(in, 14, in.length - 14, out, 0, Icmp.CODE_PORT_UNREACH, VIP, 1480);
        assertEquals(0, Icmp.restOfHeader(out, 20));
    }

    @Test
    void theQuoteStopsAt576BytesAndAtTheTotalLength() {
        Random random = new Random(9);
        byte[] big = new byte[14 + 1500];
        random.nextBytes(big);
        Ipv4.writeHeader(big, 14, 0x2f, 1500, 5, true, 60, Ipv4.PROTO_UDP, 0x01020304, VIP);
        byte[] out = new byte[700];
        int length = Icmp.writeDestUnreachable(big, 14, 1500, out, 0, Icmp.CODE_PORT_UNREACH, VIP, 0);
        assertEquals(576, length);
        assertError(out, 0, length, big, 14, Icmp.MAX_QUOTE_LENGTH, Icmp.DEST_UNREACH, Icmp.CODE_PORT_UNREACH, 0);

        // Ethernet padding after the total length is not quoted.
        byte[] padded = Arrays.copyOf(frame(OFFLOAD_OFF, UDP_NO_CHECKSUM), 60);
        length = Icmp.writeDestUnreachable(padded, 14, 46, out, 0, Icmp.CODE_PORT_UNREACH, VIP, 0);
        assertError(out, 0, length, padded, 14, 39, Icmp.DEST_UNREACH, Icmp.CODE_PORT_UNREACH, 0);
    }

    @Test
    void anErrorCanBeBuiltInPlaceInTheHeadroom() {
        byte[] in = frame(OFFLOAD_OFF, UDP_CLOSED_PORT);
        byte[] separate = new byte[100];
        int expected = Icmp.writeTimeExceeded(in, 14, in.length - 14, separate, 0, VIP);

        byte[] frame = new byte[64 + in.length];
        System.arraycopy(in, 0, frame, 64, in.length);
        int length = Icmp.writeTimeExceeded(frame, 64 + 14, in.length - 14, frame, 64 + 14 - 28, VIP);
        assertEquals(expected, length);
        int out = 64 + 14 - 28;
        assertArrayEquals(Arrays.copyOf(separate, expected), Arrays.copyOfRange(frame, out, out + length));
        assertError(separate, 0, expected, in, 14, in.length - 14, Icmp.TIME_EXCEEDED, Icmp.CODE_TTL_EXCEEDED, 0);
    }

    @Test
    void echoReplyDropsIpOptions() {
        byte[] request = frame(OFFLOAD_OFF, ECHO_REQUEST);
        int icmpLength = Ipv4.payloadLength(request, 14);
        // Re-build the request with 8 bytes of options (record route, 7 bytes, then end of list).
        byte[] f = new byte[14 + 28 + icmpLength];
        System.arraycopy(request, 0, f, 0, 34);
        byte[] options = {7, 7, 4, 0, 0, 0, 0, 0};
        System.arraycopy(options, 0, f, 34, 8);
        System.arraycopy(request, 34, f, 42, icmpLength);
        f[14] = 0x47;
        Ipv4.setTotalLength(f, 14, 28 + icmpLength);
        Ipv4.updateHeaderChecksum(f, 14);
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(f, 14, f.length - 14));

        int length = Icmp.toEchoReply(f, 14);
        assertEquals(20 + icmpLength, length);
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(f, 14, length));
        assertEquals(20, Ipv4.headerLength(f, 14));
        assertEquals(Ipv4.dst(request, 14), Ipv4.src(f, 14));
        assertEquals(Ipv4.src(request, 14), Ipv4.dst(f, 14));
        assertEquals(Icmp.ECHO_REPLY, Icmp.type(f, 34));
        assertEquals(Reference.ipHeaderChecksum(f, 14), Ipv4.headerChecksum(f, 14));
        assertEquals(Reference.l4Checksum(f, 14), Icmp.checksum(f, 34));
        assertArrayEquals(Arrays.copyOfRange(request, 34 + 4, request.length),
                Arrays.copyOfRange(f, 34 + 4, 34 + icmpLength), "identifier, sequence and data echoed");
    }

    @Test
    void onlyEchoRequestsAreAnswered() {
        for (int i : new int[] {ECHO_REPLY, ICMP_PORT_UNREACH, UDP}) {
            byte[] f = frame(OFFLOAD_OFF, i);
            byte[] copy = f.clone();
            assertEquals(-1, Icmp.toEchoReply(f, 14));
            assertArrayEquals(copy, f);
        }
    }

    @Test
    void errorsAreNotSentAboutErrorsBroadcastsOrFragments() {
        assertTrue(Icmp.errorAllowed(frame(OFFLOAD_OFF, UDP_CLOSED_PORT), 14));
        assertTrue(Icmp.errorAllowed(frame(OFFLOAD_OFF, ECHO_REQUEST), 14));
        assertFalse(Icmp.errorAllowed(frame(OFFLOAD_OFF, ICMP_PORT_UNREACH), 14));

        byte[] f = frame(OFFLOAD_OFF, UDP);
        Ipv4.setDst(f, 14, 0xffffffff);
        assertFalse(Icmp.errorAllowed(f, 14), "limited broadcast");
        Ipv4.setDst(f, 14, 0xe0000001);
        assertFalse(Icmp.errorAllowed(f, 14), "multicast destination");
        f = frame(OFFLOAD_OFF, UDP);
        Ipv4.setSrc(f, 14, 0);
        assertFalse(Icmp.errorAllowed(f, 14), "unspecified source");
        Ipv4.setSrc(f, 14, 0x7f000001);
        assertFalse(Icmp.errorAllowed(f, 14), "loopback source");
        Ipv4.setSrc(f, 14, 0xf0000001);
        assertFalse(Icmp.errorAllowed(f, 14), "class E source");
        f = frame(OFFLOAD_OFF, UDP);
        Bytes.put16(f, 14 + 6, 0x0010); // fragment offset 128
        assertFalse(Icmp.errorAllowed(f, 14), "non-initial fragment");
        Bytes.put16(f, 14 + 6, 0x2000); // first fragment
        assertTrue(Icmp.errorAllowed(f, 14));
        assertTrue(Icmp.isError(Icmp.SOURCE_QUENCH));
        assertFalse(Icmp.isError(Icmp.ECHO_REQUEST));
    }
}
