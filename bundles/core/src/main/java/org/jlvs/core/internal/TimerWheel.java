package org.jlvs.core.internal;

import static org.jlvs.core.internal.ConnSlab.FILED;
import static org.jlvs.core.internal.ConnSlab.NEXT;
import static org.jlvs.core.internal.ConnSlab.PREV;

/**
 * The connection entries' expiry: a hashed timer wheel of {@value #BUCKETS} buckets of one tick each (1/8 s,
 * so one turn is 1024 s), each a circular doubly-linked list through the entries' PREV/NEXT fields with a
 * sentinel per bucket (negative ids). No timer or task per connection.
 *
 * <p>An entry is filed at a tick no later than its expiry. A packet that pushes the expiry later only
 * rewrites the expiry (no wheel work per packet); when the maintenance thread reaches the bucket it finds
 * the entry not due and files it again. An expiry moved earlier (a state with a shorter timeout) is filed
 * again at once. Expiries beyond one turn are filed at the end of the window and filed again from there.
 *
 * <p>Locking: an entry is only filed or unfiled under its segment lock (held by the caller); the lists are
 * changed under the bucket's lock stripe, always taken after a segment lock, never before one.
 */
final class TimerWheel {
    static final int BUCKETS = 8192, MASK = BUCKETS - 1;
    private static final int LOCK_STRIPES = 256;

    private final ConnSlab slab;
    private final int[] sentinelPrev = new int[BUCKETS];
    private final int[] sentinelNext = new int[BUCKETS];
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** The last tick whose bucket the maintenance thread has started; nothing is filed at or before it. */
    private volatile int processed;

    TimerWheel(ConnSlab slab, int startTick) {
        this.slab = slab;
        this.processed = startTick - 1;
        for (int b = 0; b < BUCKETS; b++) {
            sentinelPrev[b] = sentinel(b);
            sentinelNext[b] = sentinel(b);
        }
        for (int i = 0; i < LOCK_STRIPES; i++) locks[i] = new Object();
    }

    int processed() {
        return processed;
    }

    /** The maintenance thread starts tick {@code t}: later filings go to later buckets. */
    void start(int t) {
        processed = t;
    }

    Object lock(int bucket) {
        return locks[bucket & (LOCK_STRIPES - 1)];
    }

    /**
     * Files entry {@code slot} (in no list now) in the bucket of tick {@code due}, or of the nearest tick the
     * window allows (after the tick in progress, less than one turn ahead).
     */
    void add(int slot, int due) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        for (;;) {
            int at = due;
            int p = processed;
            if (at - p <= 0) at = p + 1;
            else if (at - p >= BUCKETS) at = p + BUCKETS - 1;
            int bucket = at & MASK;
            synchronized (lock(bucket)) {
                if (at - processed <= 0) continue; // the maintenance thread reached it meanwhile: file later
                e[b + FILED] = at;
                int tail = prev(sentinel(bucket));
                setNext(tail, slot);
                e[b + PREV] = tail;
                e[b + NEXT] = sentinel(bucket);
                sentinelPrev[bucket] = slot;
                return;
            }
        }
    }

    /** Takes entry {@code slot} out of its bucket. */
    void remove(int slot) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        synchronized (lock(e[b + FILED] & MASK)) {
            unlink(e, b);
        }
    }

    /** The first entry of {@code bucket}, or -1; the caller holds {@link #lock}. */
    int first(int bucket) {
        int n = sentinelNext[bucket];
        return n < 0 ? -1 : n;
    }

    private void unlink(int[] e, int b) {
        int prev = e[b + PREV];
        int next = e[b + NEXT];
        setNext(prev, next);
        setPrev(next, prev);
    }

    private static int sentinel(int bucket) {
        return -1 - bucket;
    }

    private int prev(int id) {
        return id < 0 ? sentinelPrev[-1 - id] : slab.chunk(id)[ConnSlab.base(id) + PREV];
    }

    private void setPrev(int id, int value) {
        if (id < 0) sentinelPrev[-1 - id] = value;
        else slab.chunk(id)[ConnSlab.base(id) + PREV] = value;
    }

    private void setNext(int id, int value) {
        if (id < 0) sentinelNext[-1 - id] = value;
        else slab.chunk(id)[ConnSlab.base(id) + NEXT] = value;
    }
}
