package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Vrrp;
import org.junit.jupiter.api.Test;

/** keepalived 2.2.7's own frames (test resources golden/*.hex): decoded, accepted, and rebuilt byte for byte. */
class AdvertCodecTest {
    private static final int V = AdvertFrames.VRRP;

    private static String build(InstanceConfig config, int source, long mac, int ipId, int priority) {
        AdvertFrames frames = new AdvertFrames(config, source, mac);
        for (int i = 0; i < ipId; i++) frames.nextId();
        frames.prepare(priority, Vrrp.GROUP, Vrrp.GROUP_MAC);
        return hex(frames.advert(), frames.advertLength());
    }

    @Test
    void goldenAdvertsDecode() {
        byte[] a = golden("vrrpv3_adv_keepalived_A_prio150_ifmac");
        assertEquals(46, a.length);
        assertEquals(Vrrp.VERSION, Vrrp.version(a, V));
        assertEquals(Vrrp.TYPE_ADVERTISEMENT, Vrrp.type(a, V));
        assertEquals(51, Vrrp.vrid(a, V));
        assertEquals(150, Vrrp.priority(a, V));
        assertEquals(1, Vrrp.addressCount(a, V));
        assertEquals(100, Vrrp.maxAdverInt(a, V));
        assertEquals(VIP, Vrrp.address(a, V, 0));
        assertEquals(255, Ipv4.ttl(a, AdvertFrames.IP));
        assertEquals(0x3fc6, Vrrp.checksum(a, V));
        assertEquals(100, Vrrp.priority(golden("vrrpv3_adv_keepalived_B_prio100_ifmac"), V));
        assertEquals(0, Vrrp.priority(golden("vrrpv3_adv_keepalived_A_prio0_shutdown"), V));
        assertEquals(Vrrp.virtualMac(51), Ethernet.src(golden("vrrpv3_adv_keepalived_A_prio150_use_vmac"), 0));
    }

    @Test
    void encoderReproducesKeepalivedsAdverts() {
        assertEquals(hex(golden("vrrpv3_adv_keepalived_A_prio150_ifmac"), 46), build(config(), A, MAC_A, 1, 150));
        assertEquals(hex(golden("vrrpv3_adv_keepalived_A_prio150_use_vmac"), 46),
                build(config("use_vmac", "true"), A, MAC_A, 1, 150));
        assertEquals(hex(golden("vrrpv3_adv_keepalived_B_prio100_ifmac"), 46),
                build(config("priority", "100"), B, MAC_B, 1, 100));
        // the seventh advert of A, at its stop: priority 0
        assertEquals(hex(golden("vrrpv3_adv_keepalived_A_prio0_shutdown"), 46), build(config(), A, MAC_A, 7, 0));
    }

    @Test
    void encoderReproducesKeepalivedsGratuitousArps() {
        AdvertFrames ifmac = new AdvertFrames(config(), A, MAC_A);
        assertEquals(1, ifmac.garpCount());
        assertEquals(hex(golden("garp_keepalived_A_ifmac"), 42), hex(ifmac.garps(), 42));
        AdvertFrames vmac = new AdvertFrames(config("use_vmac", "yes"), A, MAC_A);
        assertEquals(hex(golden("garp_keepalived_A_use_vmac"), 42), hex(vmac.garps(), 42));
    }

    @Test
    void bothChecksumForms() {
        int[][] cases = {{0x3fc6, 0x2c2d}, {0x71c5, 0x5e2d}, {0xd5c6, 0xc22d}};
        String[] files = {"vrrpv3_adv_keepalived_A_prio150_ifmac", "vrrpv3_adv_keepalived_B_prio100_ifmac",
            "vrrpv3_adv_keepalived_A_prio0_shutdown"};
        for (int i = 0; i < files.length; i++) {
            byte[] f = golden(files[i]);
            int src = Ipv4.src(f, AdvertFrames.IP);
            assertEquals(cases[i][0], Vrrp.computeChecksum(f, V, 12, true, src, Vrrp.GROUP), files[i]);
            assertEquals(cases[i][1], Vrrp.computeChecksum(f, V, 12, false, src, Vrrp.GROUP), files[i]);
            assertTrue(Vrrp.checksumValid(f, V, 12, true, src, Vrrp.GROUP));
            assertFalse(Vrrp.checksumValid(f, V, 12, false, src, Vrrp.GROUP));
        }
        AdvertFrames rfc9568 = new AdvertFrames(config("checksum", "message-only"), A, MAC_A);
        rfc9568.nextId();
        rfc9568.prepare(150, Vrrp.GROUP, Vrrp.GROUP_MAC);
        assertEquals(0x2c2d, Vrrp.checksum(rfc9568.advert(), V));
        rfc9568.prepare(0, Vrrp.GROUP, Vrrp.GROUP_MAC);
        assertEquals(0xc22d, Vrrp.checksum(rfc9568.advert(), V));
    }

    @Test
    void unicastChecksumCoversThePeersAddress() {
        AdvertFrames frames = new AdvertFrames(config("unicast_peer", "10.214.1.3"), A, MAC_A);
        frames.nextId();
        frames.prepare(150, B, MAC_B);
        byte[] f = frames.advert();
        assertEquals(B, Ipv4.dst(f, AdvertFrames.IP));
        assertEquals(MAC_B, Ethernet.dst(f, 0));
        assertTrue(Ipv4.headerChecksumValid(f, AdvertFrames.IP));
        assertTrue(Vrrp.checksumValid(f, V, 12, true, A, B));
        assertFalse(Vrrp.checksumValid(f, V, 12, true, A, Vrrp.GROUP));
    }

    private static int check(InstanceConfig config, byte[] frame, Counters counters, AdvertRing ring) {
        return new AdvertFilter(config, B, counters, ring, () -> { }, null, System::nanoTime).check(frame, frame.length);
    }

    @Test
    void filterAcceptsKeepalivedsAdvertAndQueuesIt() {
        Counters counters = new Counters();
        AdvertRing ring = new AdvertRing();
        byte[] a = golden("vrrpv3_adv_keepalived_A_prio150_ifmac");
        assertEquals(AdvertFilter.OK, check(config("priority", "100"), a, counters, ring));
        long entry = ring.poll();
        assertEquals(A, AdvertRing.source(entry));
        assertEquals(150, AdvertRing.priority(entry));
        assertEquals(100, AdvertRing.maxAdverInt(entry));
        assertEquals(1, counters.get(Counter.ADVERTISEMENTS_RECEIVED));
        assertEquals(AdvertFilter.OK, check(config(), golden("vrrpv3_adv_keepalived_A_prio0_shutdown"), counters, ring));
        assertEquals(1, counters.get(Counter.PRIORITY_ZERO_RECEIVED));
        // our own advert seen again: neither counted nor queued
        assertEquals(AdvertFilter.OWN, check(config(), golden("vrrpv3_adv_keepalived_B_prio100_ifmac"), counters, ring));
    }

    @Test
    void checksumFormIsAcceptedOnlyWhenConfigured() {
        byte[] rfc9568 = golden("vrrpv3_adv_keepalived_A_prio150_ifmac");
        int sum = Vrrp.computeChecksum(rfc9568, V, 12, false, A, Vrrp.GROUP);
        rfc9568[V + 6] = (byte) (sum >>> 8);
        rfc9568[V + 7] = (byte) sum;
        byte[] rfc5798 = golden("vrrpv3_adv_keepalived_A_prio150_ifmac");
        Counters c = new Counters();
        assertEquals(AdvertFilter.REJECTED, check(config(), rfc9568, c, new AdvertRing()));
        assertEquals(1, c.get(Counter.CHECKSUM_ERRORS));
        assertEquals(AdvertFilter.REJECTED, check(config("checksum", "message-only"), rfc5798, c, new AdvertRing()));
        assertEquals(AdvertFilter.OK, check(config("checksum", "message-only"), rfc9568, c, new AdvertRing()));
        assertEquals(AdvertFilter.OK, check(config("checksum_accept", "both"), rfc9568, c, new AdvertRing()));
        assertEquals(AdvertFilter.OK, check(config("checksum_accept", "both"), rfc5798, c, new AdvertRing()));
        assertEquals(2, c.get(Counter.CHECKSUM_ERRORS));
    }
}
