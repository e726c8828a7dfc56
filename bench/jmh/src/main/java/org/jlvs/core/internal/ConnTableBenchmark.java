package org.jlvs.core.internal;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups, packets (lookup + state and expiry update), inserts and expiries of the jlvs connection table at
 * 1 M and 10 M entries, beside a HashMap and a ConcurrentHashMap holding the same connections as objects.
 * One thread. bench/conntable.sh prints the results as a table with the ratios.
 *
 * <ul>
 *   <li>lookup, packet: a table of {@code size} ESTABLISHED connections, looked up in a scattered order
 *       (operations per second).</li>
 *   <li>insert: {@code size} new connections into an empty table, one shot per iteration (time per shot;
 *       inserts per second = size / time).</li>
 *   <li>expire: {@code size} connections created evenly over 64 s, each with the 3-second timeout of a new
 *       entry; each shot moves the clock one second on and expires what is due, 1/64 of the table
 *       (expiries per second = size / 64 / time). The maps sweep all their entries, as the skeleton did;
 *       the timer wheel visits only the due ones.</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ConnTableBenchmark {
    /** Multiplying by this prime modulo the size visits every connection once, scattered. */
    private static final long STRIDE = 2_654_435_761L;
    /** Spread of the creation times in the expiry benchmark: 512 ticks of 1/8 s. */
    static final int SPREAD_TICKS = 512;

    @State(Scope.Thread)
    public static class Filled {
        @Param({"1000000", "10000000"})
        int size;
        @Param({"jlvs", "HashMap", "ConcurrentHashMap"})
        String impl;
        ConnSubject subject;
        private long cursor;

        @Setup(Level.Trial)
        public void fill() {
            subject = ConnSubject.of(impl, size);
            for (int i = 0; i < size; i++) subject.insert(i, TcpStates.ESTABLISHED);
        }

        int next() {
            if (++cursor == size) cursor = 0;
            return (int) (cursor * STRIDE % size);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean lookup(Filled f) {
        return f.subject.lookup(f.next());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean packet(Filled f) {
        return f.subject.packet(f.next());
    }

    @State(Scope.Thread)
    public static class Empty {
        @Param({"1000000", "10000000"})
        int size;
        @Param({"jlvs", "HashMap", "ConcurrentHashMap"})
        String impl;
        ConnSubject subject;

        @Setup(Level.Iteration)
        public void create() {
            subject = null;
            System.gc(); // the previous shot's table goes now, not during the next shot
            subject = ConnSubject.of(impl, size);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long insert(Empty e) {
        ConnSubject s = e.subject;
        for (int i = 0; i < e.size; i++) s.insert(i, TcpStates.NONE);
        return s.size();
    }

    @State(Scope.Thread)
    public static class Expiring {
        @Param({"1000000", "10000000"})
        int size;
        @Param({"jlvs", "HashMap", "ConcurrentHashMap"})
        String impl;
        ConnSubject subject;

        @Setup(Level.Trial)
        public void fill() {
            subject = ConnSubject.of(impl, size);
            for (int i = 0; i < size; i++) {
                subject.now = (i % SPREAD_TICKS) * ConnTable.TICK_NANOS;
                subject.insert(i, TcpStates.NONE);
            }
            // Expiries are at ticks 24..535; each shot adds 8 ticks: the first expires ticks 24..31.
            subject.now = 23 * ConnTable.TICK_NANOS;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 10)
    @Measurement(iterations = 20)
    public int expire(Expiring x) {
        x.subject.now += ConnSubject.SECOND;
        return x.subject.expire();
    }
}
