package org.jlvs.api.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded queue between the packet path and the master's sync thread: preallocated slots of ints, many
 * producers (the receive threads), one consumer (the sync thread). {@link #offer} never blocks, never locks
 * and never allocates: when the queue is full the update is dropped and counted ({@link #dropped}), and the
 * packet goes on. A later packet of the same connection sends it again, as the rule allows.
 *
 * <p>The slots are claimed by a compare-and-set on the tail and published by a per-slot sequence number
 * (D. Vyukov's bounded queue), so a consumer never reads a slot half written.
 */
public final class SyncQueue {
    private static final int PROTOCOL = 0, FLAGS = 1, STATE = 2, PORTS = 3, DEST_PORT = 4, FWMARK = 5, TIMEOUT = 6,
            CLIENT = 7, VIRTUAL = 8, DEST = 9, SEQ = 10; // SEQ: has-seq flag, then six sequence ints
    private static final int INTS = 17;
    /** Largest queue: 2^20 slots (68 MiB of ints at most, far beyond any sensible setting). */
    public static final int MAX_CAPACITY = 1 << 20;

    private final int mask;
    private final int[] data;
    private final AtomicLongArray sequence;
    private final AtomicLong tail = new AtomicLong();
    /** Only the consumer writes it; volatile so that {@link #size} from other threads is current. */
    private volatile long head;
    private final LongAdder dropped = new LongAdder();

    /** @param capacity slots, a power of two, 2..{@value #MAX_CAPACITY} */
    public SyncQueue(int capacity) {
        if (capacity < 2 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("queue capacity must be a power of two, 2.." + MAX_CAPACITY + ": "
                    + capacity);
        }
        this.mask = capacity - 1;
        this.data = new int[capacity * INTS];
        this.sequence = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) sequence.set(i, i);
    }

    public int capacity() {
        return mask + 1;
    }

    /**
     * Puts a copy of {@code e}'s fields (PE data excepted: jlvs has no persistence engines) in the queue.
     *
     * @return false if the queue was full: the update is dropped and counted
     */
    public boolean offer(SyncEntry e) {
        long pos;
        int slot;
        for (;;) {
            pos = tail.get();
            slot = (int) pos & mask;
            long dif = sequence.get(slot) - pos;
            if (dif == 0) {
                if (tail.compareAndSet(pos, pos + 1)) break;
            } else if (dif < 0) {
                dropped.increment();
                return false;
            } // else another producer took this slot: read the tail again
        }
        int b = slot * INTS;
        int[] d = data;
        d[b + PROTOCOL] = e.protocol;
        d[b + FLAGS] = e.flags;
        d[b + STATE] = e.state;
        d[b + PORTS] = (e.clientPort << 16) | (e.virtualPort & 0xffff);
        d[b + DEST_PORT] = e.destPort;
        d[b + FWMARK] = e.fwmark;
        d[b + TIMEOUT] = e.timeout;
        d[b + CLIENT] = e.clientAddress;
        d[b + VIRTUAL] = e.virtualAddress;
        d[b + DEST] = e.destAddress;
        d[b + SEQ] = e.hasSeq ? 1 : 0;
        if (e.hasSeq) {
            d[b + SEQ + 1] = e.inSeqInit;
            d[b + SEQ + 2] = e.inSeqDelta;
            d[b + SEQ + 3] = e.inSeqPreviousDelta;
            d[b + SEQ + 4] = e.outSeqInit;
            d[b + SEQ + 5] = e.outSeqDelta;
            d[b + SEQ + 6] = e.outSeqPreviousDelta;
        }
        sequence.lazySet(slot, pos + 1); // publishes the writes above (release)
        return true;
    }

    /**
     * Takes up to {@code max} entries out, in order, filling {@code into} for each and handing it to
     * {@code sink}. Only one thread may drain a queue.
     *
     * @return how many were taken
     */
    public int drain(SyncEntry into, SyncEntrySink sink, int max) {
        int n = 0;
        long pos = head;
        int[] d = data;
        while (n < max) {
            int slot = (int) pos & mask;
            if (sequence.get(slot) != pos + 1) break; // empty, or its producer has not finished writing
            int b = slot * INTS;
            into.set(d[b + PROTOCOL], d[b + FLAGS], d[b + STATE], d[b + CLIENT], d[b + PORTS] >>> 16,
                    d[b + VIRTUAL], d[b + PORTS] & 0xffff, d[b + DEST], d[b + DEST_PORT], d[b + FWMARK],
                    d[b + TIMEOUT]);
            if (d[b + SEQ] != 0) {
                into.hasSeq = true;
                into.inSeqInit = d[b + SEQ + 1];
                into.inSeqDelta = d[b + SEQ + 2];
                into.inSeqPreviousDelta = d[b + SEQ + 3];
                into.outSeqInit = d[b + SEQ + 4];
                into.outSeqDelta = d[b + SEQ + 5];
                into.outSeqPreviousDelta = d[b + SEQ + 6];
            }
            sequence.lazySet(slot, pos + mask + 1); // the slot is free for the producer one lap later
            pos++;
            head = pos;
            n++;
            sink.accept(into);
        }
        return n;
    }

    /** Entries waiting now (a snapshot, for the metrics). */
    public int size() {
        long s = tail.get() - head;
        return (int) Math.max(0, Math.min(s, capacity()));
    }

    /** Updates dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }
}
