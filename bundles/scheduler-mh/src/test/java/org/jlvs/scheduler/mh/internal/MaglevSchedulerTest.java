package org.jlvs.scheduler.mh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.jlvs.api.Ip4;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.fake.FakeFlow;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.junit.jupiter.api.Test;

class MaglevSchedulerTest {
    private static final int FLOWS = 200_000;

    private static List<FakeRealServer> servers(int n, int weight) {
        List<FakeRealServer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(new FakeRealServer(Ip4.parse("192.168.0.0") + 1 + i, 80, weight));
        return list;
    }

    private static MaglevBinding bind(FakeVirtualService svc, int size) {
        return (MaglevBinding) new MaglevScheduler(size).bind(svc);
    }

    private static Map<RealServer, Integer> slotCounts(MaglevBinding mh) {
        Map<RealServer, Integer> m = new IdentityHashMap<>();
        for (RealServer s : mh.lookup()) m.merge(s, 1, Integer::sum);
        return m;
    }

    /** Random client addresses, the same for every run. */
    private static int[] clients() {
        SplittableRandom rnd = new SplittableRandom(42);
        int[] c = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++) c[i] = rnd.nextInt();
        return c;
    }

    /** Fraction of flows whose server changes when one of n servers is removed. */
    private static double remapFraction(int n, int size) {
        List<FakeRealServer> list = servers(n, 1);
        FakeVirtualService svc = FakeVirtualService.of("mh", list.toArray(new RealServer[0]));
        MaglevBinding mh = bind(svc, size);
        int[] clients = clients();
        FakeFlow flow = FakeFlow.from("0.0.0.0", 0);
        RealServer[] before = new RealServer[FLOWS];
        for (int i = 0; i < FLOWS; i++) before[i] = mh.schedule(flow.setClient(clients[i], 1234));
        svc.remove(list.get(n / 2));
        mh.update();
        int moved = 0;
        for (int i = 0; i < FLOWS; i++) {
            if (mh.schedule(flow.setClient(clients[i], 1234)) != before[i]) moved++;
        }
        double fraction = (double) moved / FLOWS;
        System.out.printf("mh remap: N=%d M=%d removing 1 server moved %.4f of flows (1/N = %.4f, ratio %.2f)%n",
                n, size, fraction, 1.0 / n, fraction * n);
        return fraction;
    }

    @Test
    void removingOneOfTenServersRemapsAtMostOneAndAHalfShares() {
        double f = remapFraction(10, 4093);
        assertTrue(f >= 0.9 / 10, "at least the removed server's flows move: " + f);
        assertTrue(f <= 1.5 / 10, "remapped " + f);
    }

    /**
     * Maglev's extra disruption grows with N / M: measured with these fixed flows, removing 1 of 100 servers
     * moves 3.78 shares at M = 4093, 1.58 at 65521 and 1.31 at 131071 (a plain Maglev with another hash
     * gives the same picture), so the 1.5 / N bound needs the largest table at N = 100. The looser bounds
     * guard against regressions.
     */
    @Test
    void removingOneOfAHundredServersNeedsTheLargestTableForOneAndAHalfShares() {
        double f = remapFraction(100, 4093);
        assertTrue(f >= 0.9 / 100, "at least the removed server's flows move: " + f);
        assertTrue(f <= 4.5 / 100, "remapped " + f);
        double big = remapFraction(100, 65521);
        assertTrue(big <= 2.0 / 100, "remapped " + big);
        double largest = remapFraction(100, 131071);
        assertTrue(largest <= 1.5 / 100, "remapped " + largest);
    }

    @Test
    void equalWeightsGetSlotCountsWithinOnePercentOfTheTable() {
        for (int n : new int[] {3, 10, 100}) {
            FakeVirtualService svc = FakeVirtualService.of("mh", servers(n, 5).toArray(new RealServer[0]));
            MaglevBinding mh = bind(svc, 4093);
            Map<RealServer, Integer> counts = slotCounts(mh);
            assertEquals(n, counts.size());
            int min = counts.values().stream().mapToInt(Integer::intValue).min().getAsInt();
            int max = counts.values().stream().mapToInt(Integer::intValue).max().getAsInt();
            assertTrue(max - min <= 4093 / 100, "n=" + n + " min " + min + " max " + max);
            assertEquals(4093, counts.values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void slotsFollowTheWeightsWithGcdAndShift() {
        List<FakeRealServer> list = servers(2, 1);
        list.get(1).setWeight(2);
        FakeVirtualService svc = FakeVirtualService.of("mh", list.toArray(new RealServer[0]));
        MaglevBinding mh = bind(svc, 4093);
        Map<RealServer, Integer> c = slotCounts(mh);
        assertEquals(1364, c.get(list.get(0)), 2); // 1 turn against 2 turns: a third of 4093
        // 1:1000 -> gcd 1, rshift = fls(1000) - 6 = 4: turns 1 (0 is raised to 1) and 1000 >> 4 = 62.
        list.get(1).setWeight(1000);
        mh.update();
        c = slotCounts(mh);
        assertEquals(4093 / 63, c.get(list.get(0)), 2);
        // Same ratio whatever the common factor: 10:20 behaves as 1:2.
        list.get(0).setWeight(10);
        list.get(1).setWeight(20);
        mh.update();
        assertEquals(1364, slotCounts(mh).get(list.get(0)), 2);
    }

    @Test
    void quiescedServerKeepsItsSlotsAndItsFlowsGetNull() {
        List<FakeRealServer> list = servers(5, 1);
        FakeVirtualService svc = FakeVirtualService.of("mh", list.toArray(new RealServer[0]));
        MaglevBinding mh = bind(svc, 4093);
        RealServer[] before = mh.lookup();
        FakeRealServer quiesced = list.get(2);
        quiesced.setWeight(0); // last weight stays 1
        mh.update();
        RealServer[] after = mh.lookup();
        for (int i = 0; i < before.length; i++) assertSame(before[i], after[i], "slot " + i);

        int[] clients = clients();
        FakeFlow flow = FakeFlow.from("0.0.0.0", 0);
        int nulls = 0;
        for (int i = 0; i < 20_000; i++) {
            flow.setClient(clients[i], 999);
            RealServer owner = after[mh.slot(clients[i], 0, 0)];
            RealServer got = mh.schedule(flow);
            if (owner == quiesced) {
                assertNull(got);
                nulls++;
            } else {
                assertSame(owner, got);
            }
        }
        assertTrue(nulls > 20_000 / 5 / 2, "a fifth of the flows belong to the quiesced server: " + nulls);

        // mh-fallback: the same flows go to the first available server along the kernel's probes.
        svc.setSchedulerFlags(SchedulerFlags.MH_FALLBACK);
        for (int i = 0; i < 20_000; i++) {
            flow.setClient(clients[i], 999);
            int ihash = mh.slot(clients[i], 0, 0);
            RealServer got = mh.schedule(flow);
            assertNotNull(got);
            assertNotSame(quiesced, got);
            if (after[ihash] == quiesced) {
                RealServer expected = null;
                for (int o = 0; expected == null; o++) {
                    RealServer d = after[mh.slot(clients[i], 0, (o + ihash) % 4093)];
                    if (d.available()) expected = d;
                }
                assertSame(expected, got);
            } else {
                assertSame(after[ihash], got);
            }
        }

        // Back to its weight: it serves its own flows again, the table never changed.
        quiesced.setWeight(1);
        mh.update();
        svc.setSchedulerFlags(0);
        for (int i = 0; i < 2000; i++) {
            assertSame(after[mh.slot(clients[i], 0, 0)], mh.schedule(flow.setClient(clients[i], 1)));
        }
    }

    @Test
    void overloadedServerBehavesLikeAQuiescedOne() {
        List<FakeRealServer> list = servers(3, 1);
        FakeVirtualService svc = FakeVirtualService.of("mh", list.toArray(new RealServer[0]));
        MaglevBinding mh = bind(svc, 251);
        FakeFlow flow = FakeFlow.from("203.0.113.1", 1);
        FakeRealServer owner = (FakeRealServer) mh.schedule(flow);
        owner.setOverloaded(true);
        assertNull(mh.schedule(flow));
        svc.setSchedulerFlags(SchedulerFlags.MH_FALLBACK);
        RealServer other = mh.schedule(flow);
        assertNotNull(other);
        assertNotSame(owner, other);
        for (FakeRealServer s : list) s.setOverloaded(true);
        assertNull(mh.schedule(flow));
    }

    @Test
    void serverAddedWithWeightZeroGetsNoSlots() {
        List<FakeRealServer> list = servers(3, 1);
        FakeVirtualService svc = FakeVirtualService.of("mh", list.toArray(new RealServer[0]));
        MaglevBinding mh = bind(svc, 4093);
        FakeRealServer idle = new FakeRealServer(Ip4.parse("192.168.9.9"), 80, 0);
        svc.add(idle);
        mh.update();
        assertNull(slotCounts(mh).get(idle));
        svc.setServers(List.of(idle));
        mh.update();
        assertNull(mh.schedule(FakeFlow.from("203.0.113.1", 1)), "no server ever had a weight");
        svc.setServers(List.of());
        assertNull(mh.schedule(FakeFlow.from("203.0.113.1", 1)));
    }

    @Test
    void sameClientSameServerAndMhPortSpreadsPorts() {
        List<FakeRealServer> list = servers(8, 1);
        FakeVirtualService svc = FakeVirtualService.of("mh", list.toArray(new RealServer[0]));
        MaglevBinding mh = bind(svc, 4093);
        FakeFlow flow = FakeFlow.from("203.0.113.50", 0);
        RealServer first = mh.schedule(flow.setClient(flow.clientAddress(), 1000));
        for (int port = 1001; port < 1200; port++) {
            assertSame(first, mh.schedule(flow.setClient(flow.clientAddress(), port)));
        }
        svc.setSchedulerFlags(SchedulerFlags.MH_PORT);
        Set<RealServer> seen = new HashSet<>();
        Map<Integer, RealServer> byPort = new HashMap<>();
        for (int port = 1000; port < 1200; port++) {
            RealServer s = mh.schedule(flow.setClient(flow.clientAddress(), port));
            seen.add(s);
            byPort.put(port, s);
        }
        assertEquals(8, seen.size());
        byPort.forEach((port, s) -> assertSame(s, mh.schedule(flow.setClient(flow.clientAddress(), port))));
    }

    @Test
    void tableSizeIsOneOfTheKernelPrimes() {
        assertEquals(4093, new MaglevScheduler().tableSize());
        assertThrows(IllegalArgumentException.class, () -> new MaglevScheduler(4096));
        MaglevScheduler s = new MaglevScheduler();
        s.configure("65521");
        assertEquals(65521, s.tableSize());
        FakeVirtualService svc = FakeVirtualService.of("mh", servers(2, 1).toArray(new RealServer[0]));
        assertEquals(65521, ((MaglevBinding) s.bind(svc)).size());
        s.configure("1000");
        assertEquals(65521, s.tableSize(), "a bad value keeps the current size");
        MaglevScheduler fresh = new MaglevScheduler();
        fresh.configure("1000");
        assertEquals(4093, fresh.tableSize());
    }
}
