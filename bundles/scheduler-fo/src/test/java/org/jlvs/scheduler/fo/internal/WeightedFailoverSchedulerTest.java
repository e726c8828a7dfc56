package org.jlvs.scheduler.fo.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class WeightedFailoverSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 5);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 10);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 10);
    private final FakeVirtualService svc = FakeVirtualService.of("fo", a, b, c);
    private final Scheduler.Binding fo = new WeightedFailoverScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    @Test
    void highestWeightFirstOnTiesRegardlessOfLoad() {
        b.setConns(1000, 1000);
        assertSame(b, fo.schedule(flow));
        assertSame(b, fo.schedule(flow));
    }

    @Test
    void failsOverDownTheWeights() {
        b.setOverloaded(true);
        assertSame(c, fo.schedule(flow));
        c.setWeight(0);
        assertSame(a, fo.schedule(flow));
        a.setOverloaded(true);
        assertNull(fo.schedule(flow));
        b.setOverloaded(false);
        assertSame(b, fo.schedule(flow));
    }
}
