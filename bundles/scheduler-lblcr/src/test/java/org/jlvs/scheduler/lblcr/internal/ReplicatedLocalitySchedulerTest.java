package org.jlvs.scheduler.lblcr.internal;

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

class ReplicatedLocalitySchedulerTest {
    private static final long HOUR = 3_600_000L;

    private long now = 5_000_000L;
    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 4);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 4);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 4);
    private final FakeVirtualService svc = FakeVirtualService.of("lblcr", a, b, c);
    private final ReplicatedLocalityBinding lblcr = (ReplicatedLocalityBinding)
            new ReplicatedLocalityScheduler(() -> now, LocalityTable.DEFAULT_EXPIRATION_MS).bind(svc);
    private final FakeFlow flow = new FakeFlow(Ip4.parse("203.0.113.5"), 40000, Ip4.parse("10.0.0.1"), 80);
    private final int daddr = Ip4.parse("10.0.0.1");

    @Test
    void setGrowsWhenItsBestMemberIsBusyAndThenSharesTheLoad() {
        assertSame(a, lblcr.schedule(flow));
        assertEquals(List.of(a), lblcr.members(daddr));
        a.setActive(5); // > weight 4 while b and c are idle: replicate
        assertSame(b, lblcr.schedule(flow));
        assertEquals(List.of(b, a), lblcr.members(daddr));
        // Least loaded member of {b, a}: b (0) then, once b is busier than a, a.
        assertSame(b, lblcr.schedule(flow));
        b.setActive(6);
        a.setActive(4); // a: 4 <= 4, not "overloaded"
        assertSame(a, lblcr.schedule(flow));
        assertEquals(List.of(b, a), lblcr.members(daddr), "the set did not change");
    }

    @Test
    void tieBetweenMembersKeepsTheNewestFirst() {
        assertSame(a, lblcr.schedule(flow));
        a.setActive(5);
        assertSame(b, lblcr.schedule(flow));
        a.setActive(1);
        b.setActive(1);
        assertSame(b, lblcr.schedule(flow)); // list order of the set: b was added in front
    }

    @Test
    void quiescedOrOverloadedMembersAreSkipped() {
        assertSame(a, lblcr.schedule(flow));
        a.setActive(5);
        assertSame(b, lblcr.schedule(flow)); // {b, a}
        b.setWeight(0);
        a.setActive(0);
        assertSame(a, lblcr.schedule(flow));
        a.setOverloaded(true);
        assertSame(c, lblcr.schedule(flow)); // no usable member: wlc, c joins
        assertEquals(List.of(c, b, a), lblcr.members(daddr));
        c.setOverloaded(true);
        assertNull(lblcr.schedule(flow));
    }

    @Test
    void unchangedSetOfSeveralDropsItsMostLoadedMemberAfterTheExpiration() {
        assertSame(a, lblcr.schedule(flow));
        a.setActive(5);
        assertSame(b, lblcr.schedule(flow)); // {b, a}, last modified now
        a.setActive(3);
        b.setActive(1);
        now += 12 * HOUR; // used, so the entry itself does not expire; the set is unchanged
        assertSame(b, lblcr.schedule(flow));
        now += 12 * HOUR; // not yet *after* lastmod + 24 h
        assertSame(b, lblcr.schedule(flow));
        assertEquals(List.of(b, a), lblcr.members(daddr));
        now += 1;
        assertSame(b, lblcr.schedule(flow));
        assertEquals(List.of(b), lblcr.members(daddr), "a, the most loaded, was dropped");
        now += 23 * HOUR;
        assertSame(b, lblcr.schedule(flow));
        now += 23 * HOUR; // unchanged for 46 h, but a single member is never dropped
        assertSame(b, lblcr.schedule(flow));
        assertEquals(List.of(b), lblcr.members(daddr));
    }

    @Test
    void deletedServersLeaveTheSets() {
        assertSame(a, lblcr.schedule(flow));
        a.setActive(5);
        assertSame(b, lblcr.schedule(flow));
        svc.remove(b);
        lblcr.update();
        assertEquals(List.of(a), lblcr.members(daddr));
        svc.remove(a);
        assertSame(c, lblcr.schedule(flow)); // the emptied entry was dropped: placed by wlc
        assertEquals(List.of(c), lblcr.members(daddr));
    }

    @Test
    void idleEntriesExpire() {
        assertSame(a, lblcr.schedule(flow));
        a.setConns(1, 0);
        now += 24 * HOUR + 31 * 60_000L;
        FakeFlow other = new FakeFlow(Ip4.parse("203.0.113.5"), 1, Ip4.parse("10.0.0.2"), 80);
        assertSame(b, lblcr.schedule(other)); // triggers the periodic checks
        assertEquals(List.of(), lblcr.members(daddr));
    }

    @Test
    void expirationIsConfigurableAndABadValueKeepsTheCurrentOne() {
        ReplicatedLocalityScheduler s = new ReplicatedLocalityScheduler(() -> now, 1000);
        s.configure("600");
        assertEquals(600_000L, s.expirationMs());
        s.configure("abc");
        s.configure("0");
        assertEquals(600_000L, s.expirationMs());
        assertEquals(LocalityTable.DEFAULT_EXPIRATION_MS, new ReplicatedLocalityScheduler().expirationMs());
    }
}
