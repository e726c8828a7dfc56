package org.jlvs.scheduler.dh.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.jlvs.api.Ip4;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class DestinationHashSchedulerTest {
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 7);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 1);
    private final FakeVirtualService svc = FakeVirtualService.of("dh", a, b, c);
    private final Scheduler.Binding dh = new DestinationHashScheduler().bind(svc);

    /** The kernel's bucket: hash_32(daddr, 8) = top 8 bits of daddr * 0x61C88647. */
    private static int bucket(int daddr) {
        return (int) (((daddr & 0xffffffffL) * 0x61C88647L & 0xffffffffL) >>> 24);
    }

    private static FakeFlow toDestination(String daddr, String client) {
        return new FakeFlow(Ip4.parse(client), 40000, Ip4.parse(daddr), 80);
    }

    @Test
    void bucketsAreFilledRoundRobinIgnoringWeights() {
        RealServer[] buckets = ((DestinationHashBinding) dh).buckets();
        for (int i = 0; i < 256; i++) assertSame(List.of(a, b, c).get(i % 3), buckets[i], "bucket " + i);
    }

    @Test
    void destinationAddressDecidesWhateverTheClientAndLoad() {
        List<RealServer> order = List.of(a, b, c);
        for (int host = 1; host < 200; host++) {
            String daddr = "10.1.0." + host;
            RealServer expected = order.get(bucket(Ip4.parse(daddr)) % 3);
            assertSame(expected, dh.schedule(toDestination(daddr, "203.0.113.5")), daddr);
            b.setConns(host, host); // load does not matter
            assertSame(expected, dh.schedule(toDestination(daddr, "198.51.100." + host)), daddr);
        }
    }

    @Test
    void unavailableBucketServerGivesNullWithoutFallback() {
        FakeFlow flow = toDestination("10.0.0.100", "203.0.113.5");
        RealServer owner = dh.schedule(flow);
        ((FakeRealServer) owner).setOverloaded(true);
        assertNull(dh.schedule(flow));
        ((FakeRealServer) owner).setOverloaded(false).setWeight(0);
        assertNull(dh.schedule(flow));
        ((FakeRealServer) owner).setWeight(1);
        assertSame(owner, dh.schedule(flow));
    }

    @Test
    void serverListChangesRebuildTheTable() {
        svc.remove(b);
        dh.update();
        RealServer[] buckets = ((DestinationHashBinding) dh).buckets();
        for (int i = 0; i < 256; i++) assertSame(List.of(a, c).get(i % 2), buckets[i]);
        svc.setServers(List.of());
        assertNull(dh.schedule(toDestination("10.0.0.100", "203.0.113.5")));
    }
}
