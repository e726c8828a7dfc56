package org.jlvs.packet;

import static org.jlvs.packet.Captured6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Checksums6Test {
    private static final int IP = Ethernet.HEADER_LENGTH;

    private static long walk(byte[] f) {
        return FrameCheck6.inspectIpv6(f, IP, f.length - IP);
    }

    private static int stored(byte[] f, long w) {
        return Bytes.u16(f, Ipv6Headers.l4Offset(w, IP) + Checksums6.l4ChecksumOffset(Ipv6Headers.protocol(w)));
    }

    @Test
    void everyChecksumTsharkFoundGoodVerifiesAndRecomputes() {
        for (int i : TSHARK_CHECKSUM_GOOD) {
            byte[] f = frame(i);
            long w = walk(f);
            assertEquals(FrameCheck6.OK, Ipv6Headers.reason(w), "frame " + i);
            int l4 = Ipv6Headers.l4Offset(w, IP);
            int protocol = Ipv6Headers.protocol(w);
            assertTrue(Checksums6.l4ChecksumValid(f, IP, l4, protocol), "frame " + i);
            assertEquals(stored(f, w), Checksums6.l4Checksum(f, IP, l4, protocol), "frame " + i);
            assertEquals(stored(f, w), Reference6.l4Checksum(f, IP, l4, protocol), "reference, frame " + i);
            assertFalse(Checksums6.l4ChecksumPartial(f, IP, l4, protocol), "frame " + i);
        }
        assertEquals(FRAMES.length - 7, TSHARK_CHECKSUM_GOOD.length,
                "all but the 6 fragments (tshark cannot verify them alone) and the partial one");
    }

    @Test
    void thePartialChecksumIsRecognisedAndCompletedToPythonsValue() {
        byte[] f = frame(UDP_PARTIAL);
        byte[] original = f.clone();
        long w = walk(f);
        int l4 = Ipv6Headers.l4Offset(w, IP);
        assertTrue(Checksums6.l4ChecksumPartial(f, IP, l4, Ipv6.NEXT_UDP));
        assertFalse(Checksums6.l4ChecksumValid(f, IP, l4, Ipv6.NEXT_UDP));
        assertEquals(UDP_PARTIAL_CORRECT_CHECKSUM, Checksums6.l4Checksum(f, IP, l4, Ipv6.NEXT_UDP));
        Checksums6.completeL4Checksum(f, IP, l4, Ipv6.NEXT_UDP);
        assertEquals(UDP_PARTIAL_CORRECT_CHECKSUM, Udp.checksum(f, l4));
        assertTrue(Checksums6.l4ChecksumValid(f, IP, l4, Ipv6.NEXT_UDP));
        assertFalse(Checksums6.l4ChecksumPartial(f, IP, l4, Ipv6.NEXT_UDP));
        for (int b = 0; b < f.length; b++) {
            if (b != l4 + 6 && b != l4 + 7) assertEquals(original[b], f[b], "only the checksum changes");
        }
    }

    @Test
    void udpChecksumZeroIsInvalidAndAComputedZeroIsSentAsFfff() {
        byte[] f = frame(Captured6.UDP);
        int l4 = IP + 40;
        Udp.setChecksum(f, l4, 0);
        assertFalse(Checksums6.l4ChecksumValid(f, IP, l4, Ipv6.NEXT_UDP), "RFC 8200 8.1");

        byte[] p = Build6.ipv6(Ipv6.NEXT_UDP, Build6.udp(2));
        int c = Reference6.l4Checksum(p, 0, 40, Ipv6.NEXT_UDP);
        Bytes.put16(p, 48, c); // the payload word that makes the sum come out 0
        assertEquals(0xffff, Reference6.l4Checksum(p, 0, 40, Ipv6.NEXT_UDP));
        assertEquals(0xffff, Checksums6.l4Checksum(p, 0, 40, Ipv6.NEXT_UDP));
        Checksums6.completeL4Checksum(p, 0, 40, Ipv6.NEXT_UDP);
        assertEquals(0xffff, Udp.checksum(p, 40));
        assertTrue(Checksums6.l4ChecksumValid(p, 0, 40, Ipv6.NEXT_UDP));
    }

    @Test
    void otherProtocolsHaveNoChecksumHere() {
        byte[] p = Build6.ipv6(Ipv6.NEXT_ESP, new byte[16]);
        assertEquals(-1, Checksums6.l4ChecksumOffset(Ipv6.NEXT_ESP));
        assertEquals(-1, Checksums6.l4Checksum(p, 0, 40, Ipv6.NEXT_ESP));
        assertFalse(Checksums6.l4ChecksumValid(p, 0, 40, Ipv6.NEXT_ESP));
        assertFalse(Checksums6.l4ChecksumPartial(p, 0, 40, Ipv6.NEXT_ICMPV6), "ICMPv6 is never offloaded");
        byte[] before = p.clone();
        Checksums6.completeL4Checksum(p, 0, 40, Ipv6.NEXT_ESP);
        assertArrayEquals(before, p);
        assertEquals(16, Checksums6.l4ChecksumOffset(Ipv6.NEXT_TCP));
        assertEquals(6, Checksums6.l4ChecksumOffset(Ipv6.NEXT_UDP));
        assertEquals(2, Checksums6.l4ChecksumOffset(Ipv6.NEXT_ICMPV6));
    }

    @Test
    void pseudoHeaderFromLongsEqualsFromThePacket() {
        Random random = new Random(8200);
        byte[] p = Build6.ipv6(Ipv6.NEXT_TCP, Build6.tcp(0));
        for (int i = 0; i < 1000; i++) {
            long sh = random.nextLong(), sl = random.nextLong(), dh = random.nextLong(), dl = random.nextLong();
            Ipv6.setSrc(p, 0, sh, sl);
            Ipv6.setDst(p, 0, dh, dl);
            int length = random.nextInt(70000);
            assertEquals(Checksums.fold(Checksums6.pseudoHeaderSum(p, 0, 6, length)),
                    Checksums.fold(Checksums6.pseudoHeaderSum(sh, sl, dh, dl, 6, length)));
        }
    }

    @Test
    void rewritingAnAddressKeepsEveryChecksumRight() {
        Random random = new Random(1624);
        for (int round = 0; round < 20; round++) {
            for (int i : TSHARK_CHECKSUM_GOOD) {
                byte[] f = frame(i);
                long w = walk(f);
                int field = random.nextBoolean() ? Ipv6.SRC_OFFSET : Ipv6.DST_OFFSET;
                long hi = random.nextLong(), lo = random.nextLong();
                Checksums6.rewriteAddress(f, IP, w, field, hi, lo);
                assertTrue(Ipv6.addressEquals(f, IP + field, hi, lo));
                int l4 = Ipv6Headers.l4Offset(w, IP);
                int protocol = Ipv6Headers.protocol(w);
                assertTrue(Checksums6.l4ChecksumValid(f, IP, l4, protocol), "frame " + i);
                assertEquals(Reference6.l4Checksum(f, IP, l4, protocol), stored(f, w), "frame " + i);
            }
        }
    }

    @Test
    void rewritingAFragmentOrAChecksumlessUdpDatagram() {
        byte[] later = frame(FRAG_ECHO_LAST);
        byte[] before = later.clone();
        long w = walk(later);
        assertEquals(FrameCheck6.FRAGMENT, Ipv6Headers.reason(w));
        Checksums6.rewriteAddress(later, IP, w, Ipv6.DST_OFFSET, 1, 2);
        for (int b = 0; b < later.length; b++) {
            if (b < IP + 24 || b >= IP + 40) assertEquals(before[b], later[b], "only the address, no checksum in it");
        }
        // The first fragment's checksum covers the whole datagram: after a rewrite of both fragments the
        // reassembled datagram still verifies. Checked on the sum: the update is the same as for a whole packet.
        byte[] first = frame(UDP_FRAG_FIRST);
        long wf = walk(first);
        int old = Udp.checksum(first, Ipv6Headers.l4Offset(wf, IP));
        Checksums6.rewriteAddress(first, IP, wf, Ipv6.SRC_OFFSET, 5, 6);
        long delta = Checksums6.addressDelta(Ipv6.srcHi(frame(UDP_FRAG_FIRST), IP), Ipv6.srcLo(frame(UDP_FRAG_FIRST), IP), 5, 6);
        assertEquals(Checksums.apply(old, delta), Udp.checksum(first, Ipv6Headers.l4Offset(wf, IP)));

        byte[] none = frame(Captured6.UDP);
        Udp.setChecksum(none, IP + 40, 0);
        Checksums6.rewriteAddress(none, IP, walk(none), Ipv6.DST_OFFSET, 7, 8);
        assertEquals(0, Udp.checksum(none, IP + 40), "0 stays 0");
    }
}
