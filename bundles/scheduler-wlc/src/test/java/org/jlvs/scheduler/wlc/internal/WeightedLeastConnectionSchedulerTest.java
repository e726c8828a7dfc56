package org.jlvs.scheduler.wlc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class WeightedLeastConnectionSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 2);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 3);
    private final FakeVirtualService svc = FakeVirtualService.of("wlc", a, b, c);
    private final Scheduler.Binding wlc = new WeightedLeastConnectionScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    @Test
    void allIdleTieKeepsTheFirstServer() {
        assertSame(a, wlc.schedule(flow));
    }

    @Test
    void picksTheLeastOverheadPerWeight() {
        // overheads: a 256 (256/1), b 256+10 (133/w), c 3*256 (256/w) -> b
        a.setConns(1, 0);
        b.setConns(1, 10);
        c.setConns(3, 0);
        assertSame(b, wlc.schedule(flow));
        // An inactive connection weighs 1/256 of an active one: b 2*256+10 = 522/2 = 261 and
        // a 256+1 = 257 lose to c 768/3 = 256.
        a.setConns(1, 1);
        b.setConns(2, 10);
        assertSame(c, wlc.schedule(flow));
    }

    @Test
    void exactTieKeepsTheEarlierServer() {
        // a: 256/1, b: 512/2, c: 768/3 -> all 256: a stays.
        a.setConns(1, 0);
        b.setConns(2, 0);
        c.setConns(3, 0);
        assertSame(a, wlc.schedule(flow));
        a.setInactive(1); // a: 257/1 is now worse than b's 256
        assertSame(b, wlc.schedule(flow));
    }

    @Test
    void skipsWeightZeroAndOverloadedEvenWhenIdle() {
        a.setWeight(0);
        b.setOverloaded(true);
        c.setConns(50, 50);
        assertSame(c, wlc.schedule(flow));
        c.setWeight(0);
        assertNull(wlc.schedule(flow));
        svc.setServers(List.of());
        assertNull(wlc.schedule(flow));
    }

    @Test
    void largeCountsCompareIn64Bits() {
        // 2^23 active connections * 256 * weight 65535 overflows 32 bits.
        c.setWeight(0);
        a.setWeight(65535).setConns(1 << 23, 0);
        b.setWeight(65535).setConns((1 << 23) - 1, 0);
        assertSame(b, wlc.schedule(flow));
    }

    @Test
    void scriptedLoadFollowsTheWeights() {
        // Every pick opens an active connection: 60 picks fill 1:2:3 exactly as 10:20:30.
        List<RealServer> order = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            FakeRealServer s = (FakeRealServer) wlc.schedule(flow);
            s.addActive();
            order.add(s);
        }
        assertEquals(10, a.activeConns());
        assertEquals(20, b.activeConns());
        assertEquals(30, c.activeConns());
        // The first picks, by the rule: a(0/1) tie -> a; then b,c at 0 -> b; c -> c; then b(256/2) vs c(0) ...
        assertEquals(List.of(a, b, c, c, b, c), order.subList(0, 6));
    }

    @Test
    void serversAddedLaterAreConsidered() {
        a.setConns(5, 0);
        b.setConns(5, 0);
        c.setConns(5, 0);
        FakeRealServer d = FakeRealServer.of("192.168.1.4:80", 1);
        svc.add(d);
        assertSame(d, wlc.schedule(flow));
    }
}
