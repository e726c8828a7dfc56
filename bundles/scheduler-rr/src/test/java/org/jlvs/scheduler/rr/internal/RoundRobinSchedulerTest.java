package org.jlvs.scheduler.rr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class RoundRobinSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 5);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 1);
    private final FakeRealServer d = FakeRealServer.of("192.168.1.4:80", 1);
    private final FakeVirtualService svc = FakeVirtualService.of("rr", a, b, c);
    private final Scheduler.Binding rr = new RoundRobinScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    private List<RealServer> picks(int n) {
        List<RealServer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(rr.schedule(flow));
        return out;
    }

    @Test
    void rotatesInListOrderIgnoringWeightsAndLoad() {
        b.setConns(100, 100);
        assertEquals(List.of(a, b, c, a, b, c, a), picks(7));
    }

    @Test
    void skipsWeightZeroAndOverloadedServers() {
        b.setWeight(0);
        assertEquals(List.of(a, c, a, c), picks(4));
        b.setWeight(2);
        c.setOverloaded(true);
        assertEquals(List.of(a, b, a, b), picks(4));
    }

    @Test
    void nullWhenNothingIsAvailableThenResumesAfterTheCursor() {
        assertEquals(List.of(a, b), picks(2));
        a.setWeight(0);
        b.setOverloaded(true);
        c.setWeight(0);
        assertNull(rr.schedule(flow));
        assertNull(rr.schedule(flow));
        a.setWeight(1);
        b.setOverloaded(false);
        c.setWeight(1);
        assertEquals(List.of(c, a, b), picks(3)); // the cursor stayed on b
    }

    @Test
    void secondPassWrapsToTheHeadAndChecksTheCursorServerLast() {
        assertEquals(List.of(a, b, c), picks(3)); // cursor on c, the last server
        b.setWeight(0);
        c.setWeight(0);
        assertSame(a, rr.schedule(flow));          // wrapped to the head
        assertSame(a, rr.schedule(flow));          // only the cursor's own server is left: picked again
        a.setWeight(0);
        assertNull(rr.schedule(flow));
    }

    @Test
    void emptyServiceGivesNull() {
        svc.setServers(List.of());
        assertNull(rr.schedule(flow));
    }

    @Test
    void deletingTheCursorServerContinuesWithTheNextOne() {
        assertEquals(List.of(a, b), picks(2));
        svc.remove(b);                            // cursor falls back to a, as ip_vs_rr_del_dest
        rr.update();
        assertEquals(List.of(c, a, c), picks(3));
        svc.remove(a);                            // the cursor is on c, which stays
        assertEquals(List.of(c, c), picks(2));
    }

    @Test
    void deletingTheFirstServerUnderTheCursorRestartsAtTheHead() {
        assertSame(a, rr.schedule(flow));
        svc.remove(a);                            // no server before a: the cursor goes to the head
        assertEquals(List.of(b, c, b), picks(3));
    }

    @Test
    void addedServersJoinAtTheEndAndEditsKeepThePosition() {
        assertEquals(List.of(a, b), picks(2));
        svc.add(d);
        assertEquals(List.of(c, d, a), picks(3));
        // An edit may publish a new object for the same server: the rotation goes on after it.
        FakeRealServer a2 = FakeRealServer.of("192.168.1.1:80", 3);
        svc.replace(a, a2);
        rr.update();
        assertEquals(List.of(b, c, d, a2), picks(4));
    }

    @Test
    void concurrentPicksStayExactlyRoundRobin() throws InterruptedException {
        Map<RealServer, AtomicInteger> counts = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                FakeFlow f = FakeFlow.from("203.0.113.9", 1);
                for (int i = 0; i < 9000; i++) {
                    counts.computeIfAbsent(rr.schedule(f), k -> new AtomicInteger()).incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertEquals(12000, counts.get(a).get());
        assertEquals(12000, counts.get(b).get());
        assertEquals(12000, counts.get(c).get());
    }
}
