package org.jlvs.packet;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EthernetTest {
    @Test
    void macTextRoundTrips() {
        assertEquals(0x02000afa0001L, Ethernet.parseMac("02:00:0a:fa:00:01"));
        assertEquals(0x02000afa0001L, Ethernet.parseMac("02-00-0A-FA-00-01"));
        assertEquals(0x02000afa0001L, Ethernet.parseMac("2:0:a:fa:0:1"));
        assertEquals("02:00:0a:fa:00:01", Ethernet.macToString(0x02000afa0001L));
        assertEquals("ff:ff:ff:ff:ff:ff", Ethernet.macToString(Ethernet.BROADCAST));
        assertEquals("00:00:00:00:00:00", Ethernet.macToString(0));
        assertEquals(Ethernet.BROADCAST, Ethernet.parseMac(Ethernet.macToString(Ethernet.BROADCAST)));
    }

    @Test
    void badMacTextIsRefused() {
        for (String bad : new String[] {"", "02:00:0a:fa:00", "02:00:0a:fa:00:01:02", "02:00:0a:fa:00:0g",
            "002:00:0a:fa:00:01", "02::0a:fa:00:01", "02:00:0a:fa:00:01:", "０2:00:0a:fa:00:01"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ethernet.parseMac(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void macBytesRoundTrip() {
        byte[] six = Ethernet.macBytes(0x8a1b2c3d4e5fL);
        assertArrayEquals(new byte[] {(byte) 0x8a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f}, six);
        assertEquals(0x8a1b2c3d4e5fL, Ethernet.mac(six));
        assertThrows(IllegalArgumentException.class, () -> Ethernet.mac(new byte[5]));
        assertTrue(Ethernet.isMulticast(Ethernet.BROADCAST));
        assertTrue(Ethernet.isMulticast(0x01005e000001L));
        assertFalse(Ethernet.isMulticast(0x02000afa0001L));
    }

    @Test
    void headerWritesAndReads() {
        byte[] f = new byte[20];
        Ethernet.writeHeader(f, 2, 0xffeeddccbbaaL, 0x0a0b0c0d0e0fL, Ethernet.TYPE_IPV4);
        assertEquals(0xffeeddccbbaaL, Ethernet.dst(f, 2));
        assertEquals(0x0a0b0c0d0e0fL, Ethernet.src(f, 2));
        assertEquals(Ethernet.TYPE_IPV4, Ethernet.type(f, 2));
        assertEquals(0, f[0]);
        assertEquals((byte) 0xff, f[2]);
        assertEquals(0x08, f[14]);
        assertEquals(2 + 14, Ethernet.payloadOffset(f, 2));
        assertEquals(Ethernet.TYPE_IPV4, Ethernet.payloadType(f, 2));
        Ethernet.setDst(f, 2, 1);
        Ethernet.setSrc(f, 2, 2);
        Ethernet.setType(f, 2, Ethernet.TYPE_ARP);
        assertEquals(1, Ethernet.dst(f, 2));
        assertEquals(2, Ethernet.src(f, 2));
        assertEquals(Ethernet.TYPE_ARP, Ethernet.type(f, 2));
    }

    @Test
    void vlanTagIsLookedThrough() {
        byte[] f = new byte[18];
        Ethernet.writeHeader(f, 0, 1, 2, Ethernet.TYPE_VLAN);
        Bytes.put16(f, 14, 0x2064); // priority 1, VLAN 100
        Bytes.put16(f, 16, Ethernet.TYPE_ARP);
        assertEquals(18, Ethernet.payloadOffset(f, 0));
        assertEquals(Ethernet.TYPE_ARP, Ethernet.payloadType(f, 0));
        assertEquals(100, Ethernet.vlanId(f, 0));
    }
}
