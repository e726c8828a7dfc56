package org.jlvs.packet;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    @Test
    void sumMatchesTheReferenceForEveryLengthAndAlignment() {
        Random random = new Random(1);
        byte[] buf = new byte[300];
        for (int round = 0; round < 40; round++) {
            random.nextBytes(buf);
            if (round % 4 == 0) Arrays.fill(buf, (byte) 0xff); // worst case for carries
            for (int off = 0; off < 9; off++) {
                for (int len = 0; len <= 70; len++) {
                    byte[] part = Arrays.copyOfRange(buf, off, off + len);
                    assertEquals(Reference.checksum(part), Checksums.finish(Checksums.sum(buf, off, len, 0)),
                            "off " + off + " len " + len);
                }
            }
            int len = 200 + random.nextInt(100);
            assertEquals(Reference.checksum(Arrays.copyOf(buf, len)), Checksums.finish(Checksums.sum(buf, 0, len, 0)));
        }
    }

    @Test
    void sumContinuesFromAnInitialValueAcrossEvenSplits() {
        Random random = new Random(2);
        byte[] buf = new byte[101];
        random.nextBytes(buf);
        long whole = Checksums.sum(buf, 0, buf.length, 0);
        for (int split = 0; split <= buf.length; split += 2) {
            long parts = Checksums.sum(buf, split, buf.length - split, Checksums.sum(buf, 0, split, 0));
            assertEquals(Checksums.fold(whole), Checksums.fold(parts));
        }
    }

    @Test
    void foldKeepsEndAroundCarries() {
        assertEquals(0, Checksums.fold(0));
        assertEquals(0xffff, Checksums.fold(0xffff));
        assertEquals(1, Checksums.fold(0x10000));
        assertEquals(0xffff, Checksums.fold(0xfffe_0001L)); // 0xfffe + 0x0001
        assertEquals(0xffff, Checksums.fold(0xffff_ffff_ffffL));
        assertEquals(0xffff, Checksums.fold(-1L));
        assertEquals(1, Checksums.fold(0xffff_ffff_0001_0000L)); // needs all four carry steps
        assertEquals(0x0000, Checksums.finish(0xffff));
        assertEquals(0xffff, Checksums.finish(0));
        assertEquals(0x1234, Checksums.fold(0x1233_0001L));
    }

    @Test
    void pseudoHeaderSumOfTheCapturedSynIsItsPartialChecksum() {
        // 10.250.0.1 -> 10.250.0.2, TCP, 40 bytes: Linux stored 0x1625 in the SYN's checksum field.
        assertEquals(0x1625, Checksums.fold(Checksums.pseudoHeaderSum(0x0afa0001, 0x0afa0002, 6, 40)));
        // High addresses must not sign-extend.
        long s = Checksums.pseudoHeaderSum(0xffffffff, 0xc0a80001, 17, 8);
        assertEquals(0xffffL * 2 + 0xc0a8 + 1 + 17 + 8, s);
    }

    @Test
    void rfc1624Example() {
        // RFC 1624 section 4: HC 0xdd2f, m 0x5555 -> m' 0x3285 gives 0x0000 with eqn. 3.
        assertEquals(0x0000, Checksums.update16(0xdd2f, 0x5555, 0x3285));
    }

    @Test
    void incrementalUpdatesEqualRecomputation() {
        Random random = new Random(3);
        byte[] data = new byte[64];
        for (int round = 0; round < 100_000; round++) {
            random.nextBytes(data);
            if (round % 10 == 0) Arrays.fill(data, 0, 32, (byte) 0); // near-zero sums reach the edge values
            int before = Checksums.finish(Checksums.sum(data, 0, data.length, 0));
            int at = 2 * random.nextInt(30);
            if (random.nextBoolean()) {
                int old = Bytes.u16(data, at);
                int now = round % 7 == 0 ? (~old & 0xffff) : random.nextInt(0x10000);
                Bytes.put16(data, at, now);
                assertEquals(Checksums.finish(Checksums.sum(data, 0, data.length, 0)),
                        Checksums.update16(before, old, now), "round " + round);
            } else {
                int old = Bytes.i32(data, at);
                int now = round % 7 == 0 ? 0 : random.nextInt();
                Bytes.put32(data, at, now);
                assertEquals(Checksums.finish(Checksums.sum(data, 0, data.length, 0)),
                        Checksums.update32(before, old, now), "round " + round);
            }
        }
    }

    @Test
    void l4ChecksumOfRandomPacketsMatchesTheReference() {
        Random random = new Random(4);
        for (int round = 0; round < 5_000; round++) {
            byte[] f = Reference.randomFrame(random, random.nextBoolean(), 1500, random.nextInt(3) * 7);
            assertEquals(Reference.storedL4Checksum(f, 14), Checksums.l4Checksum(f, 14));
            assertTrue(Checksums.l4ChecksumValid(f, 14));
            assertEquals(Reference.ipHeaderChecksum(f, 14), Ipv4.computeHeaderChecksum(f, 14));
            // Whatever the field holds, both compute the same correct value.
            int l4 = 14 + Ipv4.headerLength(f, 14);
            f[l4 + random.nextInt(Ipv4.payloadLength(f, 14))] ^= (byte) (1 + random.nextInt(255));
            assertEquals(Reference.l4Checksum(f, 14), Checksums.l4Checksum(f, 14));
            Checksums.completeL4Checksum(f, 14);
            assertTrue(Checksums.l4ChecksumValid(f, 14));
        }
    }

    @Test
    void aCorruptedByteMakesTheChecksumInvalid() {
        Random random = new Random(5);
        for (int round = 0; round < 2_000; round++) {
            byte[] f = Reference.randomFrame(random, random.nextBoolean(), 200, 0);
            int l4 = 14 + Ipv4.headerLength(f, 14);
            if (Ipv4.protocol(f, 14) == Ipv4.PROTO_UDP && Udp.checksum(f, l4) == 0) continue;
            int at = l4 + random.nextInt(f.length - l4);
            int old = f[at] & 0xff;
            int now = old ^ (1 + random.nextInt(255));
            // 0x00 <-> 0xff in the same byte column is the one change a one's-complement sum cannot see.
            if ((old == 0 && now == 0xff) || (old == 0xff && now == 0)) continue;
            f[at] = (byte) now;
            assertFalse(Checksums.l4ChecksumValid(f, 14), "round " + round);
        }
    }

    @Test
    void udpChecksumComputingToZeroIsSentAsAllOnes() {
        byte[] f = frameWhoseChecksumComputesToZero(Ipv4.PROTO_UDP);
        assertEquals(0xffff, Checksums.l4Checksum(f, 14));
        Checksums.completeL4Checksum(f, 14);
        assertEquals(0xffff, Udp.checksum(f, 34));
        assertTrue(Checksums.l4ChecksumValid(f, 14));
        assertEquals(0xffff, Reference.l4Checksum(f, 14));
    }

    @Test
    void tcpChecksumComputingToZeroStaysZero() {
        byte[] f = frameWhoseChecksumComputesToZero(Ipv4.PROTO_TCP);
        Tcp.setChecksum(f, 34, 0x1234);
        assertEquals(0, Checksums.l4Checksum(f, 14));
        Checksums.completeL4Checksum(f, 14);
        assertEquals(0, Tcp.checksum(f, 34));
        assertTrue(Checksums.l4ChecksumValid(f, 14));
        Tcp.setChecksum(f, 34, 0xffff); // the other one's-complement zero also sums correctly
        assertTrue(Checksums.l4ChecksumValid(f, 14));
    }

    @Test
    void otherProtocolsHaveNoL4Checksum() {
        byte[] f = new byte[60];
        Ipv4.writeHeader(f, 0, 0, 40, 1, true, 64, Ipv4.PROTO_IPIP, 1, 2);
        assertEquals(-1, Checksums.l4Checksum(f, 0));
        assertFalse(Checksums.l4ChecksumValid(f, 0));
        assertFalse(Checksums.l4ChecksumPartial(f, 0));
        byte[] copy = f.clone();
        Checksums.completeL4Checksum(f, 0);
        assertArrayEquals(copy, f);
        assertEquals(-1, Checksums.l4ChecksumOffset(Ipv4.PROTO_IPIP));
    }

    /**
     * A UDP or TCP packet (checksum field 0) at offset 14 whose last payload word is chosen so that the correct
     * checksum computes to 0.
     */
    static byte[] frameWhoseChecksumComputesToZero(int protocol) {
        int l4Length = protocol == Ipv4.PROTO_UDP ? 10 : 22;
        byte[] f = new byte[14 + 20 + l4Length];
        Ipv4.writeHeader(f, 14, 0, 20 + l4Length, 7, true, 64, protocol, 0x0afa0001, 0x0afa0002);
        if (protocol == Ipv4.PROTO_UDP) {
            Udp.writeHeader(f, 34, 40000, 9999, l4Length);
        } else {
            Tcp.setSrcPort(f, 34, 40000);
            Tcp.setDstPort(f, 34, 8080);
            Tcp.setDataOffset(f, 34, 5);
            Tcp.setFlags(f, 34, Tcp.ACK);
        }
        // Sum without the last word, then pick the word that brings the folded sum to 0xffff (checksum 0).
        long pseudo = Checksums.pseudoHeaderSum(0x0afa0001, 0x0afa0002, protocol, l4Length);
        int partial = Checksums.fold(Checksums.sum(f, 34, l4Length - 2, pseudo));
        Bytes.put16(f, f.length - 2, 0xffff - partial);
        return f;
    }
}
