package org.jlvs.scheduler.lc.internal;

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

class LeastConnectionSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 100);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 1);
    private final FakeVirtualService svc = FakeVirtualService.of("lc", a, b, c);
    private final Scheduler.Binding lc = new LeastConnectionScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    @Test
    void leastOverheadWinsWhateverTheWeight() {
        a.setConns(1, 0);   // 256
        b.setConns(2, 0);   // 512 despite weight 100
        c.setConns(0, 255); // 255
        assertSame(c, lc.schedule(flow));
        c.setInactive(256); // 256: tie with a, a is earlier
        assertSame(a, lc.schedule(flow));
    }

    @Test
    void activeCountsAs256Inactive() {
        a.setConns(1, 0);
        b.setConns(0, 257);
        c.setConns(1, 1);
        assertSame(a, lc.schedule(flow));
    }

    @Test
    void skipsWeightZeroAndOverloaded() {
        a.setWeight(0);
        b.setOverloaded(true);
        c.setConns(10, 10);
        assertSame(c, lc.schedule(flow));
        c.setWeight(0);
        assertNull(lc.schedule(flow));
    }

    @Test
    void scriptedConnectionsSpreadEvenly() {
        List<RealServer> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            FakeRealServer s = (FakeRealServer) lc.schedule(flow);
            s.addActive();
            order.add(s);
        }
        assertEquals(List.of(a, b, c, a, b, c), order);
    }
}
