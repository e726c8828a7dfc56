package org.jlvs.scheduler.sh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.Ip4;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class SourceHashSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 2);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 3);
    private final FakeVirtualService svc = FakeVirtualService.of("sh", a, b, c);
    private final Scheduler.Binding sh = new SourceHashScheduler().bind(svc);

    /** The kernel's bucket without port: hash_32(saddr, 8) = top 8 bits of saddr * 0x61C88647. */
    private static int bucket(long value) {
        return (int) (((value & 0xffffffffL) * 0x61C88647L & 0xffffffffL) >>> 24);
    }

    private RealServer[] buckets() {
        return ((SourceHashBinding) sh).buckets();
    }

    private static Map<RealServer, Integer> count(RealServer[] buckets) {
        Map<RealServer, Integer> m = new HashMap<>();
        for (RealServer s : buckets) m.merge(s, 1, Integer::sum);
        return m;
    }

    @Test
    void weightsFillConsecutiveBucketsProportionally() {
        // Pattern per round: A, B, B, C, C, C. 256 = 42 rounds (252) + A, B, B, C.
        RealServer[] t = buckets();
        List<RealServer> round = List.of(a, b, b, c, c, c);
        for (int i = 0; i < 256; i++) assertSame(round.get(i % 6), t[i], "bucket " + i);
        Map<RealServer, Integer> n = count(t);
        assertEquals(43, n.get(a));
        assertEquals(86, n.get(b));
        assertEquals(127, n.get(c));
    }

    @Test
    void sameClientAlwaysMapsToTheSameServerAsTheKernelHashSays() {
        RealServer[] t = buckets();
        for (int host = 0; host < 500; host++) {
            int client = Ip4.parse("198.51.100.0") + host;
            RealServer expected = t[bucket(client)];
            for (int port = 1000; port < 1010; port++) {
                FakeFlow flow = new FakeFlow(client, port, Ip4.parse("10.0.0.100"), 80);
                assertSame(expected, sh.schedule(flow));
                ((FakeRealServer) expected).addActive(); // load does not move a client
            }
        }
    }

    @Test
    void quiescedServerKeepsItsBucketsAndGivesNullWithoutFallback() {
        b.setWeight(0);
        sh.update();
        FakeFlow flow = clientOf(a);
        // Weight 0 still takes one bucket per round: A, B, C, C, C.
        assertEquals(List.of(a, b, c, c, c), List.of(buckets()).subList(0, 5));
        FakeFlow toB = clientOf(b);
        assertNull(sh.schedule(toB));
        assertSame(a, sh.schedule(flow));
        a.setOverloaded(true);
        assertNull(sh.schedule(flow));
    }

    @Test
    void fallbackProbesForAnAvailableServerDeterministically() {
        svc.setSchedulerFlags(SchedulerFlags.SH_FALLBACK);
        FakeFlow toA = clientOf(a);
        assertSame(a, sh.schedule(toA));
        a.setWeight(0);
        sh.update();
        RealServer replacement = sh.schedule(toA);
        assertNotNull(replacement);
        assertNotSame(a, replacement);
        // The kernel's probe: offsets (o + ihash) & 255 added to the hash again.
        int ihash = bucket(toA.clientAddress());
        RealServer[] t = buckets();
        RealServer expected = null;
        for (int o = 0; o < 256 && expected == null; o++) {
            RealServer d = t[(((o + ihash) & 255) + ihash) & 255];
            if (d.available()) expected = d;
        }
        assertSame(expected, replacement);
        assertSame(replacement, sh.schedule(toA));
        b.setOverloaded(true);
        c.setOverloaded(true);
        assertNull(sh.schedule(toA));
    }

    @Test
    void shPortSpreadsOneClientsPortsAndKeepsEachStable() {
        svc.setSchedulerFlags(SchedulerFlags.SH_PORT);
        int client = Ip4.parse("203.0.113.77");
        Set<RealServer> seen = new HashSet<>();
        RealServer[] t = buckets();
        for (int port = 1024; port < 1100; port++) {
            FakeFlow flow = new FakeFlow(client, port, Ip4.parse("10.0.0.100"), 80);
            RealServer s = sh.schedule(flow);
            assertSame(t[bucket(client + port)], s);
            assertSame(s, sh.schedule(flow));
            seen.add(s);
        }
        assertEquals(3, seen.size());
    }

    @Test
    void weightChangesAndRemovalsRebuildTheTable() {
        a.setWeight(3);
        b.setWeight(3);
        sh.update();
        Map<RealServer, Integer> n = count(buckets());
        // 256 = 28 rounds of 9 (252) + A, A, A, B: 87, 85, 84
        assertEquals(87, n.get(a));
        assertEquals(85, n.get(b));
        assertEquals(84, n.get(c));
        svc.remove(b); // no update(): the new snapshot is noticed on the next lookup
        sh.schedule(FakeFlow.from("203.0.113.1", 1));
        n = count(buckets());
        assertEquals(2, n.size());
        svc.setServers(List.of());
        assertNull(sh.schedule(FakeFlow.from("203.0.113.1", 1)));
    }

    /** Some client address that hashes to a bucket of {@code owner}. */
    private FakeFlow clientOf(RealServer owner) {
        RealServer[] t = buckets();
        for (int host = 1; ; host++) {
            int client = Ip4.parse("198.51.100.0") + host;
            if (t[bucket(client)] == owner) {
                assertTrue(host < 100000);
                return new FakeFlow(client, 5555, Ip4.parse("10.0.0.100"), 80);
            }
        }
    }
}
