package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/** The IPv6 connection table against a map of what it should hold, its cap, and its memory per entry. */
class Conn6TableTest {
    private static final Ip6Address VIP6 = Ip6Address.parse("2001:db8:99:1::100");
    private static final long CLIENT_HI = Ip6Address.parse("2001:db8:1::").hi();
    private final Service service = new Service(ServiceConfig.of(new ServiceKey(Protocol.TCP, VIP6, 80), "rr"));
    private final Dest[] dests = new Dest[4];

    Conn6TableTest() {
        for (int i = 0; i < dests.length; i++) {
            dests[i] = new Dest(ServerConfig.of(new Ip6Address(Ip6Address.parse("2001:db8:99:2::").hi(), 0x11 + i),
                    8080, ForwardMethod.MASQ, 1));
        }
    }

    private static Conn6Table table(int cap, long[] now) {
        return new Conn6Table(() -> now[0], cap, (protocol, state) -> protocol == 6 ? TcpStates.DEFAULT_TIMEOUTS[state]
                : TcpStates.UDP_TIMEOUT);
    }

    @Test
    void findsBothSidesThroughGrowthAndRandomRemovals() {
        long[] now = {0};
        Conn6Table t = table(5000, now);
        Random random = new Random(3);
        Map<Integer, Integer> model = new HashMap<>(); // client id -> dest index
        Conn6 c = new Conn6();
        for (int round = 0; round < 40_000; round++) {
            int id = random.nextInt(6000);
            int d = id & 3;
            long lo = 0x1000L + id;
            int cport = 1024 + id % 50_000;
            if (model.containsKey(id)) {
                assertTrue(t.findByClient(6, CLIENT_HI, lo, cport, VIP6.hi(), VIP6.lo(), 80, c));
                assertEquals(dests[model.get(id)], c.dest);
                if (random.nextBoolean()) {
                    t.remove(c);
                    model.remove(id);
                }
            } else {
                c.set(6, CLIENT_HI, lo, cport, VIP6.hi(), VIP6.lo(), 80, dests[d], service, null, 0x02L);
                boolean added = t.add(c);
                assertEquals(model.size() < 5000, added);
                if (added) {
                    assertTrue(c.created);
                    model.put(id, d);
                }
            }
        }
        assertEquals(model.size(), t.size());
        Conn6 found = new Conn6();
        for (int id = 0; id < 6000; id++) {
            long lo = 0x1000L + id;
            int cport = 1024 + id % 50_000;
            Dest d = dests[id & 3];
            boolean client = t.findByClient(6, CLIENT_HI, lo, cport, VIP6.hi(), VIP6.lo(), 80, found);
            boolean server = t.findByServer(6, d.address6().hi(), d.address6().lo(), 8080, CLIENT_HI, lo, cport, found);
            assertEquals(model.containsKey(id), client, "client side of " + id);
            assertEquals(model.containsKey(id), server, "server side of " + id);
        }
        int inactive = 0;
        for (Dest d : dests) inactive += d.inactiveConns();
        assertEquals(model.size(), inactive, "every entry counts on its server");
        List<org.jlvs.api.ConnectionInfo> listed = new ArrayList<>();
        assertEquals(model.size(), t.forEach(null, Long.MAX_VALUE, listed::add));
        assertEquals(2, t.forEach(null, 2, x -> { }), "the limit holds");

        now[0] += 4_000_000_000L; // past NEW_CONN_TIMEOUT: entries never updated expire
        assertEquals(model.size(), t.expire());
        assertEquals(0, t.size());
        for (Dest d : dests) assertEquals(0, d.inactiveConns());
    }

    @Test
    void theSameFlowTwiceIsOneEntry() {
        Conn6Table t = table(4, new long[1]);
        Conn6 a = new Conn6();
        a.set(17, CLIENT_HI, 1, 5353, VIP6.hi(), VIP6.lo(), 53, dests[0], service, null, 2);
        assertTrue(t.add(a) && a.created);
        Conn6 b = new Conn6();
        b.set(17, CLIENT_HI, 1, 5353, VIP6.hi(), VIP6.lo(), 53, dests[1], service, null, 2);
        assertTrue(t.add(b));
        assertFalse(b.created, "another thread's entry is found");
        assertEquals(dests[0], b.dest);
        assertEquals(1, t.size());
        assertFalse(t.findByClient(6, CLIENT_HI, 1, 5353, VIP6.hi(), VIP6.lo(), 53, b), "the protocol is in the key");
    }

    /**
     * The memory of an IPv6 entry, measured as ConnTableMemoryTest does (heap used after a full GC around a
     * table of a million NAT entries); printed, and bounded loosely (the IPv4 entry is 44 bytes). The size can be
     * raised for a measurement: -Djlvs.conn6.memoryEntries=10000000 (about 1 GiB of heap).
     */
    @Test
    void aMillionIpv6ConnectionsMemoryPerEntry() {
        int n = Integer.getInteger("jlvs.conn6.memoryEntries", 1_000_000);
        long before = ConnTableMemoryTest.usedAfterGc();
        Conn6Table t = table(n, new long[1]);
        Conn6 c = new Conn6();
        for (int i = 0; i < n; i++) {
            c.set(6, CLIENT_HI, 0x1000L + i / 60_000, 1024 + i % 60_000, VIP6.hi(), VIP6.lo(), 80, dests[i & 3],
                    service, null, 0x020000000000L + i);
            if (!t.add(c)) throw new IllegalStateException("table full at " + i);
        }
        long after = ConnTableMemoryTest.usedAfterGc();
        assertEquals(n, t.size());
        double perEntry = (after - before) / (double) n;
        System.out.printf("IPv6 connection table: %d entries, %.1f bytes per entry%n", n, perEntry);
        assertTrue(perEntry <= 128, perEntry + " bytes per entry");
        assertTrue(perEntry >= 60, "the measurement saw the table: " + perEntry);
        Reference.reachabilityFence(t);
    }
}
