package org.jlvs.packet;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 advert against one keepalived 2.2.7 sent (captured on a Linux bridge: VRID 51, priority 150,
 * advert_int 1, VIP 2001:db8:99:4::100, from fe80::f439:9dff:fe08:f9c8; the ha bundle's golden/README.md).
 */
class Vrrp6Test {
    static final String KEEPALIVED_150 = "333300000012f6399d08f9c886dd6c034caf001870fffe80000000000000f4399dfffe08f9c8"
            + "ff02000000000000000000000000001231339601006480e720010db8009900040000000000000100";
    private static final int IP = Ethernet.HEADER_LENGTH, VRRP = IP + Ipv6.HEADER_LENGTH;
    private static final long SRC_HI = 0xfe80_0000_0000_0000L, SRC_LO = 0xf439_9dff_fe08_f9c8L;
    private static final long VIP_HI = 0x2001_0db8_0099_0004L, VIP_LO = 0x100L;

    @Test
    void decodesKeepalivedsAdvert() {
        byte[] f = HexFormat.of().parseHex(KEEPALIVED_150);
        assertEquals(Vrrp.VERSION, Vrrp.version(f, VRRP));
        assertEquals(Vrrp.TYPE_ADVERTISEMENT, Vrrp.type(f, VRRP));
        assertEquals(51, Vrrp.vrid(f, VRRP));
        assertEquals(150, Vrrp.priority(f, VRRP));
        assertEquals(1, Vrrp.addressCount(f, VRRP));
        assertEquals(100, Vrrp.maxAdverInt(f, VRRP));
        assertEquals(VIP_HI, Vrrp6.addressHi(f, VRRP, 0));
        assertEquals(VIP_LO, Vrrp6.addressLo(f, VRRP, 0));
        assertEquals(Vrrp6.length(1), Ipv6.payloadLength(f, IP));
        assertEquals(Vrrp6.HOP_LIMIT, Ipv6.hopLimit(f, IP));
        assertEquals(Vrrp6.GROUP_MAC, Ethernet.dst(f, 0));
        assertEquals(Vrrp6.GROUP_LO, Ipv6.dstLo(f, IP));
        assertTrue(Vrrp6.checksumValid(f, IP, VRRP, 24));
        assertEquals(0x80e7, Vrrp.checksum(f, VRRP));
        f[VRRP + 2] ^= 1;
        assertFalse(Vrrp6.checksumValid(f, IP, VRRP, 24));
    }

    @Test
    void writesKeepalivedsMessage() {
        byte[] f = HexFormat.of().parseHex(KEEPALIVED_150);
        byte[] out = new byte[24];
        int n = Vrrp6.writeAdvertisement(out, 0, 51, 150, 100, new long[] {VIP_HI}, new long[] {VIP_LO}, 1,
                SRC_HI, SRC_LO, Vrrp6.GROUP_HI, Vrrp6.GROUP_LO);
        assertEquals(24, n);
        assertArrayEquals(java.util.Arrays.copyOfRange(f, VRRP, VRRP + 24), out);
        Vrrp6.setPriority(out, 0, 0, SRC_HI, SRC_LO, Vrrp6.GROUP_HI, Vrrp6.GROUP_LO);
        assertEquals(0x16e8, Vrrp.checksum(out, 0)); // keepalived's priority-0 advert
    }

    @Test
    void virtualMacIsTheIpv6One() {
        assertEquals(0x0000_5e00_0233L, Vrrp6.virtualMac(51));
        assertEquals(0x0000_5e00_0133L, Vrrp.virtualMac(51));
    }
}
