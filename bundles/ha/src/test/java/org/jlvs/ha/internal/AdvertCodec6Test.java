package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Consumer;

import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ndp;
import org.jlvs.packet.Vrrp;
import org.jlvs.packet.Vrrp6;
import org.junit.jupiter.api.Test;

/**
 * keepalived 2.2.7's IPv6 frames (test resources golden/*.hex, captured as golden/README.md says): decoded,
 * accepted, and rebuilt byte for byte from the same settings, the flow label aside (the kernel's automatic one;
 * jlvs sends 0).
 */
class AdvertCodec6Test {
    private static final int IP = AdvertFrames6.IP, V = AdvertFrames6.VRRP;
    private static final int ADVERT_LENGTH = 14 + 40 + 24;

    /** The golden frame with its flow label zeroed: what jlvs sends for the same settings. */
    private static String withoutFlowLabel(String name) {
        byte[] f = golden(name);
        assertEquals(0x34caf, Ipv6.flowLabel(f, IP), name);
        Ipv6.setFlowLabel(f, IP, 0);
        return hex(f, f.length);
    }

    private static String build(InstanceConfig config, int priority) {
        AdvertFrames6 frames = new AdvertFrames6(config, LL_K6.hi(), LL_K6.lo(), MAC_K6);
        frames.prepare(priority);
        return hex(frames.advert(), frames.advertLength());
    }

    @Test
    void goldenAdvertsDecode() {
        byte[] a = golden("vrrpv3_ipv6_adv_keepalived_prio150_ifmac");
        assertEquals(ADVERT_LENGTH, a.length);
        assertEquals(Ethernet.TYPE_IPV6, Ethernet.type(a, 0));
        assertEquals(Vrrp6.GROUP_MAC, Ethernet.dst(a, 0));
        assertEquals(Vrrp.PROTO_VRRP, Ipv6.nextHeader(a, IP));
        assertEquals(255, Ipv6.hopLimit(a, IP));
        assertEquals(0xc0, Ipv6.trafficClass(a, IP));
        assertEquals(LL_K6.hi(), Ipv6.srcHi(a, IP));
        assertEquals(LL_K6.lo(), Ipv6.srcLo(a, IP));
        assertEquals(Vrrp.VERSION, Vrrp.version(a, V));
        assertEquals(51, Vrrp.vrid(a, V));
        assertEquals(150, Vrrp.priority(a, V));
        assertEquals(1, Vrrp.addressCount(a, V));
        assertEquals(100, Vrrp.maxAdverInt(a, V));
        assertEquals(VIP6.hi(), Vrrp6.addressHi(a, V, 0));
        assertEquals(VIP6.lo(), Vrrp6.addressLo(a, V, 0));
        assertEquals(0x80e7, Vrrp.checksum(a, V));
        assertEquals(0, Vrrp.priority(golden("vrrpv3_ipv6_adv_keepalived_prio0_shutdown"), V));
        assertEquals(0x16e8, Vrrp.checksum(golden("vrrpv3_ipv6_adv_keepalived_prio0_shutdown"), V));
        assertEquals(Vrrp6.virtualMac(51), Ethernet.src(golden("vrrpv3_ipv6_adv_keepalived_prio150_use_vmac"), 0));
        assertEquals(0x00005e000233L, Vrrp6.virtualMac(51));
    }

    @Test
    void encoderReproducesKeepalivedsAdverts() {
        assertEquals(withoutFlowLabel("vrrpv3_ipv6_adv_keepalived_prio150_ifmac"), build(config6(), 150));
        assertEquals(withoutFlowLabel("vrrpv3_ipv6_adv_keepalived_prio150_use_vmac"),
                build(config6("use_vmac", "true"), 150));
        assertEquals(withoutFlowLabel("vrrpv3_ipv6_adv_keepalived_prio0_shutdown"), build(config6(), 0));
    }

    @Test
    void encoderReproducesKeepalivedsNeighbourAdvertisements() {
        AdvertFrames6 ifmac = new AdvertFrames6(config6(), LL_K6.hi(), LL_K6.lo(), MAC_K6);
        assertEquals(1, ifmac.neighbourAdvertCount());
        int n = Ndp.ADVERTISEMENT_FRAME_LENGTH;
        assertEquals(hex(golden("na_keepalived_ifmac"), n), hex(ifmac.neighbourAdverts(), n));
        AdvertFrames6 vmac = new AdvertFrames6(config6("use_vmac", "yes"), LL_K6.hi(), LL_K6.lo(), MAC_K6);
        assertEquals(hex(golden("na_keepalived_use_vmac"), n), hex(vmac.neighbourAdverts(), n));
    }

    @Test
    void twoAddressesTakeSixteenBytesEach() {
        InstanceConfig c = config6("virtual_ipaddress", "2001:db8:99:4::100 2001:db8:99:4::101");
        AdvertFrames6 f = new AdvertFrames6(c, LL_A6.hi(), LL_A6.lo(), MAC_A);
        f.prepare(100);
        assertEquals(14 + 40 + 8 + 32, f.advertLength());
        assertEquals(40, Ipv6.payloadLength(f.advert(), IP));
        assertEquals(0x101, Vrrp6.addressLo(f.advert(), V, 1));
        assertTrue(Vrrp6.checksumValid(f.advert(), IP, V, 40));
        assertEquals(2, f.neighbourAdvertCount());
        assertEquals(0x101, Ndp.targetLo(f.neighbourAdverts(), Ndp.ADVERTISEMENT_FRAME_LENGTH + 54));
    }

    // ------------------------------------------------------------------ the receive checks

    private static final class Receiver {
        final Counters counters = new Counters();
        final AdvertRing ring = new AdvertRing();
        int wakeups;
        final AdvertFilter6 filter = new AdvertFilter6(config6("priority", "100"), LL_A6.hi(), LL_A6.lo(), counters,
                ring, () -> wakeups++, new ManualClock());
    }

    private static byte[] keepalived(Consumer<byte[]> change) {
        byte[] f = golden("vrrpv3_ipv6_adv_keepalived_prio150_ifmac");
        change.accept(f);
        return f;
    }

    /** Puts a valid checksum back after a change, so that the check under test is the one that fails. */
    private static void fixChecksum(byte[] f) {
        f[V + 6] = 0;
        f[V + 7] = 0;
        int length = Ipv6.payloadLength(f, IP);
        long s = org.jlvs.packet.Checksums6.pseudoHeaderSum(f, IP, Vrrp.PROTO_VRRP, length);
        int c = Checksums.finish(Checksums.sum(f, V, length, s));
        f[V + 6] = (byte) (c >>> 8);
        f[V + 7] = (byte) c;
    }

    @Test
    void keepalivedsAdvertIsAcceptedWithItsSource() {
        Receiver r = new Receiver();
        byte[] f = golden("vrrpv3_ipv6_adv_keepalived_prio150_ifmac");
        r.filter.onFrame(f, f.length);
        assertEquals(1, r.wakeups);
        assertEquals(1, r.counters.get(Counter.ADVERTISEMENTS_RECEIVED));
        long entry = r.ring.poll();
        assertEquals(150, AdvertRing.priority(entry));
        assertEquals(100, AdvertRing.maxAdverInt(entry));
        assertEquals(LL_K6.hi(), r.ring.polledHi());
        assertEquals(LL_K6.lo(), r.ring.polledLo());
        byte[] zero = golden("vrrpv3_ipv6_adv_keepalived_prio0_shutdown");
        assertEquals(AdvertFilter.OK, r.filter.check(zero, zero.length));
        assertEquals(1, r.counters.get(Counter.PRIORITY_ZERO_RECEIVED));
    }

    @Test
    void eachFaultIsCountedAndDropped() {
        Object[][] cases = {
            {Counter.IP_TTL_ERRORS, (Consumer<byte[]>) f -> Ipv6.setHopLimit(f, IP, 64)},
            {Counter.CHECKSUM_ERRORS, (Consumer<byte[]>) f -> f[V + 7] ^= 0x5a},
            {Counter.VERSION_ERRORS, (Consumer<byte[]>) f -> { f[V] = 0x21; fixChecksum(f); }},
            {Counter.INVALID_TYPE_RECEIVED, (Consumer<byte[]>) f -> { f[V] = 0x32; fixChecksum(f); }},
            {Counter.VRID_ERRORS, (Consumer<byte[]>) f -> { f[V + 1] = 52; fixChecksum(f); }},
            {Counter.ADDRESS_LIST_ERRORS, (Consumer<byte[]>) f -> { f[V + 8 + 15] = 0x01; fixChecksum(f); }},
            {Counter.ADDRESS_LIST_ERRORS, (Consumer<byte[]>) f -> { f[V + 3] = 2; fixChecksum(f); }},
            {Counter.PACKET_LENGTH_ERRORS, (Consumer<byte[]>) f -> Ipv6.setPayloadLength(f, IP, 40)},
            {Counter.ADVERTISEMENTS_INTERVAL_ERRORS, (Consumer<byte[]>) f -> { f[V + 4] = 0; f[V + 5] = 0; fixChecksum(f); }},
            // a global source: RFC 5798 §5.1.2.2 wants the link-local one
            {Counter.IP_HEADER_ERRORS, (Consumer<byte[]>) f -> { Ipv6.setSrc(f, IP, VIP6.hi(), 2); fixChecksum(f); }},
        };
        for (Object[] c : cases) {
            Receiver r = new Receiver();
            @SuppressWarnings("unchecked")
            byte[] f = keepalived((Consumer<byte[]>) c[1]);
            assertEquals(AdvertFilter.REJECTED, r.filter.check(f, f.length), c[0].toString());
            assertEquals(1, r.counters.get((Counter) c[0]), c[0].toString());
            assertEquals(-1, r.ring.poll(), c[0].toString());
        }
    }

    @Test
    void ownAdvertsAndOtherFramesAreNotCounted() {
        Receiver r = new Receiver();
        AdvertFrames6 own = new AdvertFrames6(config6("priority", "100"), LL_A6.hi(), LL_A6.lo(), MAC_A);
        own.prepare(100);
        assertEquals(AdvertFilter.OWN, r.filter.check(own.advert(), own.advertLength()));
        byte[] na = golden("na_keepalived_ifmac");
        assertEquals(AdvertFilter.NOT_VRRP, r.filter.check(na, na.length));
        byte[] v4 = golden("vrrpv3_adv_keepalived_A_prio150_ifmac");
        assertEquals(AdvertFilter.NOT_VRRP, r.filter.check(v4, v4.length));
        byte[] cut = golden("vrrpv3_ipv6_adv_keepalived_prio150_ifmac");
        assertEquals(AdvertFilter.REJECTED, r.filter.check(cut, cut.length - 1)); // payload beyond the frame
        assertEquals(1, r.counters.get(Counter.PACKET_LENGTH_ERRORS));
        assertEquals(0, r.counters.get(Counter.ADVERTISEMENTS_RECEIVED));
    }
}
