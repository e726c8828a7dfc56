package org.jlvs.scheduler.ovf.internal;

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

class OverflowSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 2);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 3);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 3);
    private final FakeVirtualService svc = FakeVirtualService.of("ovf", a, b, c);
    private final Scheduler.Binding ovf = new OverflowScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    @Test
    void fillsTheHighestWeightThenOverflows() {
        // b takes active 0..3 (it is full only above its weight), then c, then a, then nothing.
        List<RealServer> order = new ArrayList<>();
        RealServer s;
        while ((s = ovf.schedule(flow)) != null) {
            ((FakeRealServer) s).addActive();
            order.add(s);
        }
        assertEquals(List.of(b, b, b, b, c, c, c, c, a, a, a), order);
        assertNull(ovf.schedule(flow));
        b.setActive(3); // a connection closed: b has room again and comes first
        assertSame(b, ovf.schedule(flow));
    }

    @Test
    void inactiveConnectionsDoNotFillAServer() {
        b.setConns(0, 1000);
        assertSame(b, ovf.schedule(flow));
    }

    @Test
    void skipsWeightZeroAndOverloaded() {
        b.setWeight(0);
        c.setOverloaded(true);
        assertSame(a, ovf.schedule(flow));
    }
}
