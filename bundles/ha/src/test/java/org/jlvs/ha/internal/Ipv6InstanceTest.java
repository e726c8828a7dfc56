package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.ha.DirectorRole.State;
import org.junit.jupiter.api.Test;

/** An IPv6 instance: its configuration, its elections by link-local address, NAs on takeover, mayServe6. */
class Ipv6InstanceTest {
    private static final long DOWN_100 = 3 * S + 156 * S / 256;

    private static void refused(String key, String reason, Object... kv) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config6(kv));
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void theFirstAddressGivesTheFamily() {
        InstanceConfig c = config6();
        assertTrue(c.ipv6());
        assertEquals(0, c.addresses().length);
        assertArrayEquals(new Ip6Address[] {VIP6}, c.addresses6());
        assertEquals(1, c.addressCount());
        assertNull(c.sourceAddress6());
        assertFalse(config().ipv6());
        assertEquals(0, config().addresses6().length);
        assertEquals(LL_A6, config6("mcast_src_ip", "fe80::a").sourceAddress6());
    }

    @Test
    void mixingFamiliesAndIpv4OnlySettingsAreRefused() {
        refused("virtual_ipaddress", "10.214.1.100 is IPv4 but the instance is IPv6 (its first address 2001:db8:99:4::100)",
                "virtual_ipaddress", "2001:db8:99:4::100 10.214.1.100");
        refused("virtual_ipaddress", "2001:db8::1/64 is IPv6 but the instance is IPv4",
                "virtual_ipaddress", "10.214.1.100/24, 2001:db8::1/64");
        refused("virtual_ipaddress", "listed twice", "virtual_ipaddress", "2001:db8::1 2001:db8:0::1");
        refused("virtual_ipaddress", "bad prefix", "virtual_ipaddress", "2001:db8::1/129");
        refused("virtual_ipaddress", "at most 90", "virtual_ipaddress", many(91));
        assertEquals(90, config6("virtual_ipaddress", many(90)).addressCount());
        refused("unicast_peer", "IPv6", "unicast_peer", "10.214.1.3");
        refused("checksum", "IPv4 only", "checksum", "message-only");
        refused("mcast_src_ip", "not link-local", "mcast_src_ip", "2001:db8:99:4::1");
    }

    private static String many(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) sb.append("2001:db8::").append(Integer.toHexString(i)).append(' ');
        return sb.toString();
    }

    @Test
    void aVridIsUniquePerFamily() {
        Lab lab = new Lab();
        lab.add(config());
        lab.add(config6("name", "VI_6")); // the same VRID 51 on vA: IPv4 and IPv6 are apart (RFC 5798 §5.2.3)
        assertEquals(2, lab.engine.instances().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lab.add(config6("name", "VI_7", "virtual_ipaddress", "2001:db8::7")));
        assertEquals("virtual_router_id: 51 on vA is taken by instance VI_6", e.getMessage());
    }

    @Test
    void backupTakesOverWithAdvertAndTwoBurstsOfNeighbourAdvertisements() {
        Lab lab = new Lab();
        lab.add(config6("priority", "100"));
        assertEquals(State.BACKUP, lab.state("VI_1"));
        lab.runTo(DOWN_100);
        assertEquals(State.MASTER, lab.state("VI_1"));
        FakeWire w = lab.wire("VI_1");
        assertEquals(1, w.adverts);
        lab.runTo(DOWN_100 + 5 * S);
        assertEquals(2, w.garpBursts.size());
        assertEquals(5, w.garpBursts.get(1)[1]);
        Counters c = lab.engine.instance("VI_1").counters;
        assertEquals(10, c.get(Counter.NEIGHBOUR_ADVERTS_SENT));
        assertEquals(0, c.get(Counter.GRATUITOUS_ARPS_SENT));
        DirectorRole.Instance snapshot = lab.engine.instance("VI_1").snapshot();
        assertEquals(List.of(VIP6), snapshot.addresses6());
        assertEquals(List.of(), snapshot.addresses());
        assertEquals(LL_A6, snapshot.masterAddress6());
    }

    @Test
    void aHigherPriorityKeepsUsBackupAndIsTheMaster() {
        Lab lab = new Lab();
        lab.add(config6("priority", "100"));
        for (int i = 0; i < 10; i++) {
            assertEquals(AdvertFilter.OK, lab.advert6("VI_1", LL_K6, 150, 100));
            lab.runTo(lab.now() + S);
        }
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(LL_K6, lab.engine.instance("VI_1").masterAddress6());
        lab.runTo(lab.now() + DOWN_100);
        assertEquals(State.MASTER, lab.state("VI_1"));
    }

    @Test
    void equalPrioritiesAreDecidedByTheLinkLocalAddress() {
        Lab lab = new Lab();
        lab.add(config6("priority", "100", "state", "master"));
        assertEquals(State.MASTER, lab.state("VI_1"));
        // fe80::9 < fe80::a (ours): we stay master and answer at once
        int before = lab.wire("VI_1").adverts;
        lab.advert6("VI_1", Ip6Address.parse("fe80::9"), 100, 100);
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertEquals(before + 1, lab.wire("VI_1").adverts);
        // fe80::f439:... > fe80::a: the low halves compare unsigned (0xf4... is negative as a long)
        lab.advert6("VI_1", LL_K6, 100, 100);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(LL_K6, lab.engine.instance("VI_1").masterAddress6());
    }

    @Test
    void mayServe6FollowsTheInstanceAndAllocatesNothing() {
        Lab lab = new Lab();
        lab.add(config6("priority", "100", "virtual_ipaddress", "2001:db8:99:4::100 2001:db8:99:4::101"));
        lab.add(config("name", "VI_4", "virtual_router_id", "52", "state", "master"));
        Ip6Address unmanaged = Ip6Address.parse("2001:db8:99:4::50");
        assertTrue(lab.engine.mayServe6(unmanaged.hi(), unmanaged.lo()));
        assertFalse(lab.engine.mayServe6(VIP6.hi(), VIP6.lo()));
        assertFalse(lab.engine.mayServe6(VIP6.hi(), 0x101));
        assertTrue(lab.engine.mayServe(VIP)); // the IPv4 instance is MASTER; the tables are apart
        lab.runTo(DOWN_100);
        assertTrue(lab.engine.mayServe6(VIP6.hi(), VIP6.lo()));
        lab.advert6("VI_1", LL_K6, 200, 100);
        assertFalse(lab.engine.mayServe6(VIP6.hi(), VIP6.lo()));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        boolean served = false;
        long allocated = 0;
        for (int round = 0; round < 3; round++) { // the last round is measured, after the JIT had two
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 20_000; i++) served |= lab.engine.mayServe6(VIP6.hi(), VIP6.lo() + (i & 3));
            allocated = mx.getThreadAllocatedBytes(thread) - before;
        }
        assertTrue(served); // ::102 and ::103 are not managed
        // zero per call: a one-off few hundred bytes (the JVM's own bookkeeping on a loaded machine, seen once in
        // CI: 664 bytes) must not fail the test, an allocation per call (>= 16 bytes each) always does
        assertEquals(0, allocated / 20_000, allocated + " bytes over 20,000 calls");
        lab.engine.removeNow("VI_1");
        assertTrue(lab.engine.mayServe6(VIP6.hi(), VIP6.lo()));
    }
}
