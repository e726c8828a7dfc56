package org.jlvs.scheduler.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jlvs.api.fake.FakeRealServer;
import org.junit.jupiter.api.Test;

class LeastLoadTest {
    private final FakeRealServer a = FakeRealServer.of("10.0.0.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("10.0.0.2:80", 2);
    private final FakeRealServer c = FakeRealServer.of("10.0.0.3:80", 1);

    @Test
    void tiesKeepTheEarlierServer() {
        // a: 256/1, b: 512/2 -> equal load, a stays.
        a.setConns(1, 0);
        b.setConns(2, 0);
        c.setConns(1, 1);
        assertSame(a, LeastLoad.weightedLeastConnection(List.of(a, b, c)));
        assertSame(b, LeastLoad.weightedLeastConnection(List.of(b, a, c)));
    }

    @Test
    void skipsWeightZeroAndOverloaded() {
        a.setWeight(0);
        b.setOverloaded(true).setConns(0, 0);
        c.setConns(100, 0);
        assertSame(c, LeastLoad.weightedLeastConnection(List.of(a, b, c)));
        c.setOverloaded(true);
        assertNull(LeastLoad.weightedLeastConnection(List.of(a, b, c)));
    }

    @Test
    void localityOverloadNeedsAHalfIdleServer() {
        a.setConns(2, 0); // active 2 > weight 1
        b.setConns(1, 0); // 2*1 < 2 is false
        assertFalse(LeastLoad.localityOverloaded(a, List.of(a, b)));
        b.setConns(0, 0); // 0 < 2
        assertTrue(LeastLoad.localityOverloaded(a, List.of(a, b)));
        a.setConns(1, 0); // 1 > 1 is false
        assertFalse(LeastLoad.localityOverloaded(a, List.of(a, b)));
    }
}
