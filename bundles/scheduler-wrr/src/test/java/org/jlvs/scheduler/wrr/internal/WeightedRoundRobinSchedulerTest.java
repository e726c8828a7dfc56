package org.jlvs.scheduler.wrr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 2);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 3);
    private final FakeVirtualService svc = FakeVirtualService.of("wrr", a, b, c);
    private final Scheduler.Binding wrr = new WeightedRoundRobinScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    private List<RealServer> picks(int n) {
        List<RealServer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(wrr.schedule(flow));
        return out;
    }

    private static Map<RealServer, Integer> count(List<RealServer> picks) {
        Map<RealServer, Integer> m = new HashMap<>();
        for (RealServer s : picks) m.merge(s, 1, Integer::sum);
        return m;
    }

    @Test
    void weights123Over600PicksGiveExactly100To300InTheKernelsOrder() {
        List<RealServer> all = picks(600);
        Map<RealServer, Integer> n = count(all);
        assertEquals(100, n.get(a));
        assertEquals(200, n.get(b));
        assertEquals(300, n.get(c));
        // cw = 3: C; cw = 2: B C; cw = 1: A B C; then again.
        List<RealServer> cycle = List.of(c, b, c, a, b, c);
        for (int i = 0; i < 600; i++) assertSame(cycle.get(i % 6), all.get(i), "pick " + i);
    }

    @Test
    void commonDivisorStepsTheSameWay() {
        a.setWeight(2);
        b.setWeight(4);
        c.setWeight(6);
        Scheduler.Binding fresh = new WeightedRoundRobinScheduler().bind(svc);
        // di = 2, mw = 6 - 1 = 5: cw = 5 -> C; 3 -> B C; 1 -> A B C.
        List<RealServer> out = new ArrayList<>();
        for (int i = 0; i < 9; i++) out.add(fresh.schedule(flow));
        assertEquals(List.of(c, b, c, a, b, c, c, b, c), out);
    }

    @Test
    void weightChangeRestartsAtTheHeadWithCwOnTheNewGrid() {
        // Before: 1:2:3 with cw = 3. After 2:4:6: di = 2, mw = 5, cw = (3 / 2) * 2 + 1 = 3 (dest_changed).
        a.setWeight(2);
        b.setWeight(4);
        c.setWeight(6);
        wrr.update();
        assertEquals(List.of(b, c, a, b, c, c, b, c, a), picks(9));
    }

    @Test
    void skipsOverloadedServers() {
        c.setOverloaded(true);
        // cw = 3: nobody; cw = 2: B; cw = 1: A B; (C is skipped every time)
        assertEquals(List.of(b, a, b, b, a, b), picks(6));
    }

    @Test
    void weightZeroGetsNothingAndAllZeroGivesNull() {
        b.setWeight(0);
        wrr.update();
        Map<RealServer, Integer> n = count(picks(400));
        assertEquals(100, n.get(a));
        assertEquals(300, n.get(c));
        assertEquals(null, n.get(b));
        a.setWeight(0);
        c.setWeight(0);
        wrr.update();
        assertNull(wrr.schedule(flow));
    }

    @Test
    void allOverloadedGivesNullAndRecovers() {
        assertEquals(List.of(c, b), picks(2)); // cursor in the middle of the list
        a.setOverloaded(true);
        b.setOverloaded(true);
        c.setOverloaded(true);
        assertNull(wrr.schedule(flow));
        assertNull(wrr.schedule(flow));
        b.setOverloaded(false);
        assertSame(b, wrr.schedule(flow));
        assertSame(b, wrr.schedule(flow));
    }

    @Test
    void weightChangeKeepsExactProportionsOverEachCycle() {
        picks(4); // somewhere inside a cycle
        a.setWeight(3);
        wrr.update();
        List<RealServer> after = picks(800);
        for (int start = 0; start + 8 <= 800; start += 8) {
            Map<RealServer, Integer> n = count(after.subList(start, start + 8));
            assertEquals(3, n.get(a), "window " + start);
            assertEquals(2, n.get(b), "window " + start);
            assertEquals(3, n.get(c), "window " + start);
        }
    }

    @Test
    void addedAndRemovedServersAreTakenIntoAccount() {
        FakeRealServer d = FakeRealServer.of("192.168.1.4:80", 6);
        svc.add(d); // no update() call: the new snapshot is noticed by itself
        Map<RealServer, Integer> n = count(picks(1200));
        assertEquals(100, n.get(a));
        assertEquals(200, n.get(b));
        assertEquals(300, n.get(c));
        assertEquals(600, n.get(d));
        svc.remove(d);
        wrr.update();
        n = count(picks(600));
        assertEquals(100, n.get(a));
        assertEquals(null, n.get(d));
    }

    @Test
    void emptyServiceGivesNull() {
        svc.setServers(List.of());
        wrr.update();
        assertNull(wrr.schedule(flow));
    }
}
