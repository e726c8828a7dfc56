package org.jlvs.sync.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncQueue;
import org.jlvs.api.sync.SyncRule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Entries per second through the sync codec (a full 1472-byte datagram of 40 IPv4 entries encoded, or decoded with
 * every receive check), the packet path's part (the sending rule per packet, a queue offer), and the master's
 * drain of the queue into datagrams. Run by bench/sync-codec.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SyncCodecBenchmark {
    static final int PER_DATAGRAM = 40;

    private final SyncEncoder encoder = new SyncEncoder(1472, true);
    private final SyncDecoder decoder = new SyncDecoder();
    private final SyncEntry[] entries = new SyncEntry[PER_DATAGRAM];
    private final SyncQueue queue = new SyncQueue(4096);
    private ByteBuffer datagram;
    private Blackhole sink;
    private final SyncDecoder.Listener listener = new SyncDecoder.Listener() {
        @Override
        public void entry(SyncEntry e, int version) {
            sink.consume(e.clientPort);
        }

        @Override
        public void skipped(SyncDecoder.Skip why) {
            sink.consume(why);
        }
    };
    private final SyncEntry drained = new SyncEntry();
    private MasterSender sender;
    private int packet;

    @Setup
    public void setup(Blackhole bh) {
        sink = bh;
        for (int i = 0; i < PER_DATAGRAM; i++) {
            entries[i] = new SyncEntry().set(6, IpvsConn.F_MASQ, IpvsConn.TCP_ESTABLISHED, 0x0ad60200 + i, 40000 + i,
                    0x0ad60164, 80, 0x0ad6030b, 8080, 0, 900);
        }
        encoder.reset(1);
        for (SyncEntry e : entries) encoder.add(e);
        ByteBuffer d = encoder.datagram();
        datagram = ByteBuffer.allocate(d.remaining());
        datagram.put(d).flip();
        sender = new MasterSender(queue, 1472, 1, b -> bh.consume(b.remaining()), new Counters<>(MasterSender.Counter.class), true);
    }

    @Benchmark
    @OperationsPerInvocation(PER_DATAGRAM)
    public int encode() {
        encoder.reset(1);
        for (SyncEntry e : entries) encoder.add(e);
        return encoder.size();
    }

    @Benchmark
    @OperationsPerInvocation(PER_DATAGRAM)
    public SyncDecoder.Verdict decode() {
        datagram.position(0);
        return decoder.decode(datagram, 0, listener);
    }

    /** The packet path's cost per packet with a master running: the rule on the entry's ints. */
    @Benchmark
    public long rule() {
        int p = ++packet;
        return SyncRule.DEFAULT.check(0, 6, IpvsConn.TCP_ESTABLISHED, IpvsConn.TCP_ESTABLISHED, false, p, p << 2, 900_000, p);
    }

    /** One offer by the packet path and the master's drain into datagrams (40 per batch). */
    @Benchmark
    @OperationsPerInvocation(PER_DATAGRAM)
    public int offerAndSend() {
        for (SyncEntry e : entries) queue.offer(e);
        return sender.pump(0);
    }
}
