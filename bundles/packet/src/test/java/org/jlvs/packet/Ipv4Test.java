package org.jlvs.packet;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class Ipv4Test {
    @Test
    void writeHeaderSetsEveryFieldAndAValidChecksum() {
        byte[] b = new byte[30];
        Ipv4.writeHeader(b, 5, 0xb8, 1500, 0xbeef, true, 63, Ipv4.PROTO_IPIP, 0xc0a80001, 0xfffffffe);
        assertEquals(4, Ipv4.version(b, 5));
        assertEquals(20, Ipv4.headerLength(b, 5));
        assertEquals(0xb8, Ipv4.tos(b, 5));
        assertEquals(1500, Ipv4.totalLength(b, 5));
        assertEquals(1480, Ipv4.payloadLength(b, 5));
        assertEquals(25, Ipv4.payloadOffset(b, 5));
        assertEquals(0xbeef, Ipv4.id(b, 5));
        assertTrue(Ipv4.dontFragment(b, 5));
        assertFalse(Ipv4.isFragment(b, 5));
        assertEquals(63, Ipv4.ttl(b, 5));
        assertEquals(Ipv4.PROTO_IPIP, Ipv4.protocol(b, 5));
        assertEquals(0xc0a80001, Ipv4.src(b, 5));
        assertEquals(0xfffffffe, Ipv4.dst(b, 5));
        assertEquals(Reference.ipHeaderChecksum(b, 5), Ipv4.headerChecksum(b, 5));
        assertTrue(Ipv4.headerChecksumValid(b, 5));
        Ipv4.writeHeader(b, 5, 0, 20, 0, false, 1, 0, 0, 0);
        assertFalse(Ipv4.dontFragment(b, 5));
        assertEquals(Reference.ipHeaderChecksum(b, 5), Ipv4.headerChecksum(b, 5));
    }

    @Test
    void fragmentFlags() {
        byte[] b = new byte[20];
        Ipv4.writeHeader(b, 0, 0, 20, 1, false, 64, Ipv4.PROTO_UDP, 1, 2);
        Bytes.put16(b, 6, 0x2000 | 185); // MF, offset 185 * 8
        assertTrue(Ipv4.moreFragments(b, 0));
        assertEquals(1480, Ipv4.fragmentOffset(b, 0));
        assertTrue(Ipv4.isFragment(b, 0));
        Ipv4.setDontFragment(b, 0, true);
        assertEquals(0x6000 | 185, Bytes.u16(b, 6));
        Ipv4.setDontFragment(b, 0, false);
        Bytes.put16(b, 6, 185); // last fragment: offset only
        assertTrue(Ipv4.isFragment(b, 0));
        Bytes.put16(b, 6, 0x4000);
        assertFalse(Ipv4.isFragment(b, 0));
    }

    @Test
    void decrementTtlKeepsTheChecksumRight() {
        byte[] b = new byte[20];
        for (int ttl = 2; ttl < 256; ttl++) {
            Ipv4.writeHeader(b, 0, ttl, 20 + ttl, ttl * 7, ttl % 2 == 0, ttl, Ipv4.PROTO_TCP, ttl * 0x01010101, -ttl);
            assertEquals(ttl - 1, Ipv4.decrementTtl(b, 0));
            assertEquals(ttl - 1, Ipv4.ttl(b, 0));
            assertEquals(Reference.ipHeaderChecksum(b, 0), Ipv4.headerChecksum(b, 0), "ttl " + ttl);
        }
        Ipv4.writeHeader(b, 0, 0, 20, 0, true, 1, Ipv4.PROTO_TCP, 1, 2);
        byte[] copy = b.clone();
        assertEquals(0, Ipv4.decrementTtl(b, 0));
        assertArrayEquals(copy, b);
    }

    @Test
    void rawAddressSettersLeaveTheChecksum() {
        byte[] b = new byte[20];
        Ipv4.writeHeader(b, 0, 0, 20, 0, true, 64, Ipv4.PROTO_TCP, 1, 2);
        int checksum = Ipv4.headerChecksum(b, 0);
        Ipv4.setSrc(b, 0, 3);
        Ipv4.setDst(b, 0, 4);
        assertEquals(checksum, Ipv4.headerChecksum(b, 0));
        assertFalse(Ipv4.headerChecksumValid(b, 0));
        Ipv4.updateHeaderChecksum(b, 0);
        assertTrue(Ipv4.headerChecksumValid(b, 0));
    }
}
