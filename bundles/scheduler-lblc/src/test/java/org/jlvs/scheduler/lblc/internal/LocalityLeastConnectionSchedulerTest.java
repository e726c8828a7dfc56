package org.jlvs.scheduler.lblc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.jlvs.api.Ip4;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.jlvs.scheduler.support.LocalityTable;
import org.junit.jupiter.api.Test;

class LocalityLeastConnectionSchedulerTest {
    private static final long HOUR = 3_600_000L;

    private long now = 1_000_000L;
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 4);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 4);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 4);
    private final FakeVirtualService svc = FakeVirtualService.of("lblc", a, b, c);
    private final LocalityLeastConnectionBinding lblc = (LocalityLeastConnectionBinding)
            new LocalityLeastConnectionScheduler(() -> now, LocalityTable.DEFAULT_EXPIRATION_MS).bind(svc);

    /** A flow from some client to destination {@code daddr} (the VIP of a fwmark-style service). */
    private static FakeFlow to(String daddr) {
        return new FakeFlow(Ip4.parse("203.0.113.5"), 40000, Ip4.parse(daddr), 80);
    }

    @Test
    void firstFlowIsPlacedByWlcAndTheDestinationStaysThere() {
        a.setConns(1, 0);
        assertSame(b, lblc.schedule(to("10.0.0.1"))); // wlc: b and c idle, b first
        b.setConns(3, 50);                            // now the most loaded, but 3 <= weight 4
        assertSame(b, lblc.schedule(to("10.0.0.1")));
        assertSame(c, lblc.schedule(to("10.0.0.2"))); // another destination: wlc again
        assertEquals(2, lblc.cacheSize());
    }

    @Test
    void busyCachedServerMovesOnlyWhenAnotherIsUnderHalfItsWeight() {
        assertSame(a, lblc.schedule(to("10.0.0.1")));
        a.setActive(5);  // 5 > weight 4
        b.setActive(2);  // 2*2 < 4 is false
        c.setActive(3);
        assertSame(a, lblc.schedule(to("10.0.0.1")), "nobody is under half its weight");
        c.setActive(1);  // 2*1 < 4: a counts as overloaded now; wlc picks c (256/4 < 512/4)
        assertSame(c, lblc.schedule(to("10.0.0.1")));
        a.setActive(0);
        assertSame(c, lblc.schedule(to("10.0.0.1")), "the cache now says c");
    }

    @Test
    void quiescedOverloadedOrDeletedCachedServerIsReplaced() {
        assertSame(a, lblc.schedule(to("10.0.0.1")));
        a.setWeight(0);
        assertSame(b, lblc.schedule(to("10.0.0.1")));
        b.setOverloaded(true);
        assertSame(a.setWeight(4), lblc.schedule(to("10.0.0.1")));
        svc.remove(a);
        lblc.update();
        assertSame(c, lblc.schedule(to("10.0.0.1")));
        // An edit that publishes a new object for c keeps the entry on c.
        FakeRealServer c2 = FakeRealServer.of("192.168.1.3:80", 4).setActive(100);
        svc.replace(c, c2);
        assertSame(c2, lblc.schedule(to("10.0.0.1")));
    }

    @Test
    void nullWhenNoServerIsAvailable() {
        a.setWeight(0);
        b.setWeight(0);
        c.setOverloaded(true);
        assertNull(lblc.schedule(to("10.0.0.1")));
        assertEquals(0, lblc.cacheSize());
        svc.setServers(List.of());
        assertNull(lblc.schedule(to("10.0.0.1")));
    }

    @Test
    void entriesIdleFor24HoursExpire() {
        assertSame(a, lblc.schedule(to("10.0.0.1")));
        a.setConns(2, 0); // wlc would now pick b, the cache keeps a
        now += 23 * HOUR;
        assertSame(a, lblc.schedule(to("10.0.0.1"))); // used: idle time starts again
        now += 23 * HOUR;
        assertSame(b, lblc.schedule(to("10.0.0.2")));
        assertSame(a, lblc.schedule(to("10.0.0.1")));
        now += 24 * HOUR + 31 * 60_000L; // idle past 24 h, and a full check has run since
        assertSame(b, lblc.schedule(to("10.0.0.1")), "expired: placed by wlc again");
        assertEquals(1, lblc.cacheSize());
    }

    @Test
    void expirationIsConfigurable() {
        LocalityLeastConnectionScheduler s = new LocalityLeastConnectionScheduler(() -> now, 1000);
        s.configure("600");
        assertEquals(600_000L, s.expirationMs());
        s.configure("-1");
        assertEquals(600_000L, s.expirationMs());
        LocalityLeastConnectionBinding shortLived = (LocalityLeastConnectionBinding) s.bind(svc);
        assertSame(a, shortLived.schedule(to("10.0.0.1")));
        a.setConns(2, 0);
        now += 10 * 60_000L + 31 * 60_000L;
        assertSame(b, shortLived.schedule(to("10.0.0.1")));
    }
}
