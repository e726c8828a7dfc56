package org.jlvs.scheduler.twos.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class TwoChoicesSchedulerTest {
    private static final int PICKS = 200_000;

    private final FakeRealServer a = FakeRealServer.of("192.168.1.1:80", 10);
    private final FakeRealServer b = FakeRealServer.of("192.168.1.2:80", 20);
    private final FakeRealServer c = FakeRealServer.of("192.168.1.3:80", 30);
    private final FakeVirtualService svc = FakeVirtualService.of("twos", a, b, c);
    private final FakeFlow flow = FakeFlow.from("203.0.113.5", 40000);

    private Scheduler.Binding seeded(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return new TwoChoicesScheduler(() -> rnd).bind(svc);
    }

    private Map<RealServer, Integer> run(Scheduler.Binding twos, int picks) {
        Map<RealServer, Integer> m = new HashMap<>();
        for (int i = 0; i < picks; i++) m.merge(twos.schedule(flow), 1, Integer::sum);
        return m;
    }

    private static void assertShare(double expected, Integer count, String what) {
        double share = count == null ? 0 : (double) count / PICKS;
        assertEquals(expected, share, 0.01, what + " share " + share);
    }

    @Test
    void idleServersAreChosenInProportionToTheirWeights() {
        // All overheads 0: the first draw always wins. Shares (w + 1 for the first) / (W + 1) = 11:20:30 / 61.
        Map<RealServer, Integer> n = run(seeded(1), PICKS);
        assertShare(11.0 / 61, n.get(a), "a");
        assertShare(20.0 / 61, n.get(b), "b");
        assertShare(30.0 / 61, n.get(c), "c");
    }

    @Test
    void theLessLoadedOfTheTwoDrawsWins() {
        a.setWeight(1);
        b.setWeight(1);
        c.setWeight(1);
        // Draws over 0..3: a gets {0, 1}, b {2}, c {3}. A busy a only wins when both draws are a: 1/4.
        a.setConns(10, 0);
        Map<RealServer, Integer> n = run(seeded(2), PICKS);
        assertShare(0.25, n.get(a), "a");
        assertShare(0.375, n.get(b), "b");
        assertShare(0.375, n.get(c), "c");
    }

    @Test
    void tieKeepsTheFirstDraw() {
        a.setConns(1, 0);
        b.setConns(2, 0); // 512/20 vs a 256/10: equal
        c.setOverloaded(true);
        // a:b draws as 11:20 of 31; equal loads, so the first draw decides: shares stay 11/31 and 20/31.
        Map<RealServer, Integer> n = run(seeded(3), PICKS);
        assertShare(11.0 / 31, n.get(a), "a");
        assertShare(20.0 / 31, n.get(b), "b");
        assertNull(n.get(c));
    }

    @Test
    void skipsWeightZeroAndOverloadedAndGivesNullWhenNothingIsLeft() {
        a.setWeight(0);
        b.setOverloaded(true);
        Scheduler.Binding twos = seeded(4);
        for (int i = 0; i < 1000; i++) assertSame(c, twos.schedule(flow));
        c.setWeight(0);
        assertNull(twos.schedule(flow));
        svc.setServers(List.of());
        assertNull(twos.schedule(flow));
    }

    @Test
    void sameSeedSameSequence() {
        Scheduler.Binding x = seeded(99);
        Scheduler.Binding y = seeded(99);
        List<RealServer> xs = new ArrayList<>();
        List<RealServer> ys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            xs.add(x.schedule(flow));
            ys.add(y.schedule(flow));
        }
        assertEquals(xs, ys);
    }

    @Test
    void defaultRandomSourceWorksFromManyThreads() throws InterruptedException {
        Scheduler.Binding twos = new TwoChoicesScheduler().bind(svc);
        List<Thread> threads = new ArrayList<>();
        int[] nulls = new int[1];
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                FakeFlow f = FakeFlow.from("203.0.113.9", 1);
                for (int i = 0; i < 10_000; i++) {
                    if (twos.schedule(f) == null) {
                        synchronized (nulls) {
                            nulls[0]++;
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertEquals(0, nulls[0]);
    }
}
