package org.jlvs.ha.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** An instance's counters: written by its receive thread and the VRRP thread without locks or allocation. */
final class Counters {
    private static final Counter[] ALL = Counter.values();
    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    void inc(Counter counter) {
        values.incrementAndGet(counter.ordinal());
    }

    void add(Counter counter, long n) {
        values.addAndGet(counter.ordinal(), n);
    }

    long get(Counter counter) {
        return values.get(counter.ordinal());
    }

    Map<String, Long> toMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Counter c : ALL) out.put(c.key, values.get(c.ordinal()));
        return out;
    }
}
