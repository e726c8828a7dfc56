package org.jlvs.core.internal;

import java.util.concurrent.atomic.LongAdder;

import org.jlvs.api.Stats;

/**
 * Counters of a service or real server: connections, packets and bytes in each direction, updated by the
 * receive threads without contention (LongAdder), and their rates from IPVS's 2-second estimator.
 */
final class StatsCounter {
    final LongAdder conns = new LongAdder();
    final LongAdder inPackets = new LongAdder();
    final LongAdder outPackets = new LongAdder();
    final LongAdder inBytes = new LongAdder();
    final LongAdder outBytes = new LongAdder();

    // Estimator state, only touched by the estimator thread (and read by listings).
    private final long[] last = new long[5];
    private final double[] average = new double[5];
    private volatile long[] rates = new long[5];

    void countIn(int bytes) {
        inPackets.increment();
        inBytes.add(bytes);
    }

    void countOut(int bytes) {
        outPackets.increment();
        outBytes.add(bytes);
    }

    /** Called every 2 seconds: avg = avg * 3/4 + rate / 4 (ip_vs_est.c). */
    void estimate(double seconds) {
        long[] now = {conns.sum(), inPackets.sum(), outPackets.sum(), inBytes.sum(), outBytes.sum()};
        long[] newRates = new long[5];
        for (int i = 0; i < 5; i++) {
            double rate = Math.max(0, now[i] - last[i]) / seconds;
            average[i] = average[i] * 0.75 + rate * 0.25;
            newRates[i] = Math.round(average[i]);
            last[i] = now[i];
        }
        rates = newRates;
    }

    Stats snapshot() {
        long[] r = rates;
        return new Stats(conns.sum(), inPackets.sum(), outPackets.sum(), inBytes.sum(), outBytes.sum(),
                r[0], r[1], r[2], r[3], r[4]);
    }

    void zero() {
        conns.reset();
        inPackets.reset();
        outPackets.reset();
        inBytes.reset();
        outBytes.reset();
        java.util.Arrays.fill(last, 0);
        java.util.Arrays.fill(average, 0);
        rates = new long[5];
    }
}
