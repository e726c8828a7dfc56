package org.jlvs.ha.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Valid adverts handed from an instance's receive thread (the one producer) to the VRRP thread (the one
 * consumer), packed in longs so that nothing is allocated per advert: source address (32 bits), priority (8),
 * Max Adver Int (12), with the time it was received (so that timers start from the advert, not from when the
 * VRRP thread got to it), and for an IPv6 instance the advert's 128-bit source beside it. A full ring refuses
 * the advert (the caller counts it).
 */
final class AdvertRing {
    private static final int SIZE = 256;
    private static final int MASK = SIZE - 1;
    private final long[] slots = new long[SIZE];
    private final long[] times = new long[SIZE];
    private final long[] sourcesHi = new long[SIZE];
    private final long[] sourcesLo = new long[SIZE];
    private long polledTime;
    private long polledHi;
    private long polledLo;
    private final AtomicLong head = new AtomicLong(); // next to read
    private final AtomicLong tail = new AtomicLong(); // next to write

    static long pack(int source, int priority, int maxAdverInt) {
        return (source & 0xffff_ffffL) | ((long) (priority & 0xff) << 32) | ((long) (maxAdverInt & 0xfff) << 40);
    }

    static int source(long entry) {
        return (int) entry;
    }

    static int priority(long entry) {
        return (int) (entry >>> 32) & 0xff;
    }

    static int maxAdverInt(long entry) {
        return (int) (entry >>> 40) & 0xfff;
    }

    /** Producer side. */
    boolean offer(long entry, long receivedNanos) {
        return offer(entry, receivedNanos, 0, 0);
    }

    /** Producer side, with the IPv6 source of the advert. */
    boolean offer(long entry, long receivedNanos, long sourceHi, long sourceLo) {
        long t = tail.get();
        if (t - head.get() >= SIZE) return false;
        sourcesHi[(int) (t & MASK)] = sourceHi;
        sourcesLo[(int) (t & MASK)] = sourceLo;
        slots[(int) (t & MASK)] = entry;
        times[(int) (t & MASK)] = receivedNanos;
        tail.lazySet(t + 1); // publishes the slot
        return true;
    }

    /** Consumer side: the next entry, or -1 when empty (a packed entry is never negative). */
    long poll() {
        long h = head.get();
        if (h >= tail.get()) return -1;
        long entry = slots[(int) (h & MASK)];
        polledTime = times[(int) (h & MASK)];
        polledHi = sourcesHi[(int) (h & MASK)];
        polledLo = sourcesLo[(int) (h & MASK)];
        head.lazySet(h + 1);
        return entry;
    }

    /** Consumer side: when the entry {@link #poll} returned last was received. */
    long polledTime() {
        return polledTime;
    }

    /** Consumer side: the IPv6 source of that entry (0, 0 for IPv4). */
    long polledHi() {
        return polledHi;
    }

    long polledLo() {
        return polledLo;
    }
}
