package org.jlvs.scheduler.sed.internal;

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

class ShortestExpectedDelaySchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 3);
    private final FakeVirtualService svc = FakeVirtualService.of("sed", a, b);
    private final Scheduler.Binding sed = new ShortestExpectedDelayScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    @Test
    void idleServersAreRankedByWeight() {
        // (0+1)/1 vs (0+1)/3: b, unlike wlc which would take a on the 0/1 vs 0/3 tie.
        assertSame(b, sed.schedule(flow));
    }

    @Test
    void inactiveConnectionsAreIgnored() {
        a.setConns(0, 0);
        b.setConns(2, 1000);  // 3/3 = 1 vs a 1/1 = 1: tie keeps a
        assertSame(a, sed.schedule(flow));
        b.setActive(1);       // 2/3 < 1
        assertSame(b, sed.schedule(flow));
    }

    @Test
    void scriptedSequence() {
        List<RealServer> order = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            FakeRealServer s = (FakeRealServer) sed.schedule(flow);
            s.addActive();
            order.add(s);
        }
        // a: 1/1, 2/1 ...; b: 1/3, 2/3, 3/3 (tie with a's 1/1 -> a), 4/3 ...
        assertEquals(List.of(b, b, a, b, b, b, a, b), order);
    }

    @Test
    void skipsWeightZeroAndOverloaded() {
        b.setWeight(0);
        a.setConns(50, 0);
        assertSame(a, sed.schedule(flow));
        a.setOverloaded(true);
        assertNull(sed.schedule(flow));
    }
}
