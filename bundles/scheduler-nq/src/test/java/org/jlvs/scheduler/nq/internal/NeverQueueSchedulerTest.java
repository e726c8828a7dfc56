package org.jlvs.scheduler.nq.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class NeverQueueSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 10);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 1);
    private final FakeVirtualService svc = FakeVirtualService.of("nq", a, b, c);
    private final Scheduler.Binding nq = new NeverQueueScheduler().bind(svc);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    @Test
    void firstIdleServerWinsWhateverTheWeights() {
        a.setConns(1, 0);
        b.setConns(1, 0);
        c.setConns(0, 500); // idle: no active connection, inactive ones do not count
        assertSame(c, nq.schedule(flow));
        a.setActive(0);
        assertSame(a, nq.schedule(flow)); // list order among idle servers, though b weighs more
    }

    @Test
    void withoutIdleServersFallsBackToShortestExpectedDelay() {
        a.setActive(1);  // 2/1
        b.setActive(15); // 16/10
        c.setActive(2);  // 3/1
        assertSame(b, nq.schedule(flow));
        b.setActive(19); // 20/10 = 2: tie with a, a is earlier
        assertSame(a, nq.schedule(flow));
    }

    @Test
    void idleButQuiescedOrOverloadedServersAreSkipped() {
        a.setWeight(0);
        b.setOverloaded(true);
        c.setActive(3);
        assertSame(c, nq.schedule(flow));
        c.setOverloaded(true);
        assertNull(nq.schedule(flow));
    }
}
