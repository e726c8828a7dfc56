package org.jlvs.healthcheck.internal;

/**
 * How regular the schedule is: the time between the starts of consecutive attempts of a check (after a
 * delay_loop wait), and how late each attempt started compared with its plan, as 1 ms histograms.
 * Updated on the monitor thread; read under the monitor's lock.
 */
final class IntervalStats {
    private static final int BUCKETS = 60_001; // 0..60 s by the millisecond, the last one open-ended
    private final long[] intervals = new long[BUCKETS];
    private final long[] lateness = new long[BUCKETS];
    private long intervalCount;
    private long latenessCount;

    void interval(long nanos) {
        intervals[bucket(nanos)]++;
        intervalCount++;
    }

    void lateness(long nanos) {
        lateness[bucket(nanos)]++;
        latenessCount++;
    }

    private static int bucket(long nanos) {
        long ms = Math.max(0, nanos / 1_000_000);
        return (int) Math.min(BUCKETS - 1, ms);
    }

    void reset() {
        java.util.Arrays.fill(intervals, 0);
        java.util.Arrays.fill(lateness, 0);
        intervalCount = 0;
        latenessCount = 0;
    }

    /** Two lines: count, min, p50, p90, p99, max of each, in milliseconds. */
    String summary() {
        return "intervals (ms): " + line(intervals, intervalCount) + "\n"
                + "lateness  (ms): " + line(lateness, latenessCount) + "\n";
    }

    private static String line(long[] h, long count) {
        if (count == 0) return "none yet";
        return String.format("n=%d min=%d p50=%d p90=%d p99=%d p99.9=%d max=%d", count, first(h), quantile(h, count, 0.5),
                quantile(h, count, 0.9), quantile(h, count, 0.99), quantile(h, count, 0.999), last(h));
    }

    private static int first(long[] h) {
        for (int i = 0; i < h.length; i++) if (h[i] > 0) return i;
        return 0;
    }

    private static int last(long[] h) {
        for (int i = h.length - 1; i >= 0; i--) if (h[i] > 0) return i;
        return 0;
    }

    private static int quantile(long[] h, long count, double q) {
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < h.length; i++) {
            seen += h[i];
            if (seen >= rank) return i;
        }
        return h.length - 1;
    }
}
