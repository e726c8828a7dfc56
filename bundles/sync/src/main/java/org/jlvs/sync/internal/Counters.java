package org.jlvs.sync.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A daemon's counters, named by an enum: written by its own threads (uncontended), read by the shell and the
 * metrics at any time.
 */
final class Counters<K extends Enum<K>> {
    private final K[] keys;
    private final AtomicLongArray values;

    Counters(Class<K> type) {
        this.keys = type.getEnumConstants();
        this.values = new AtomicLongArray(keys.length);
    }

    void increment(K key) {
        values.incrementAndGet(key.ordinal());
    }

    void add(K key, long n) {
        values.addAndGet(key.ordinal(), n);
    }

    void set(K key, long value) {
        values.set(key.ordinal(), value);
    }

    long get(K key) {
        return values.get(key.ordinal());
    }

    /** name (the enum constant in lower case) → value, in the enum's order. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (K k : keys) out.put(k.name().toLowerCase(java.util.Locale.ROOT), values.get(k.ordinal()));
        return out;
    }
}
