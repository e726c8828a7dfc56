package org.jlvs.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed logins per client address: after {@code maxFailures} wrong logins, each less than {@code lockoutNanos}
 * after the one before, the address is refused until {@code lockoutNanos} have passed since its last failure.
 * A good login forgets the address. At most {@code capacity} addresses are remembered (the least recently seen
 * is forgotten first), so a flood from many addresses cannot grow the map without bound.
 */
final class LoginThrottle {
    private static final class Failures {
        int count;
        long lastNanos;
    }

    private final LongSupplier nanos;
    private final int maxFailures;
    private final long lockoutNanos;
    private final Map<String, Failures> byAddress;

    LoginThrottle(LongSupplier nanos, int maxFailures, long lockoutNanos, int capacity) {
        this.nanos = nanos;
        this.maxFailures = maxFailures;
        this.lockoutNanos = lockoutNanos;
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Nanoseconds until {@code address} may try again; 0 when it may try now. */
    synchronized long refusedForNanos(String address) {
        Failures f = byAddress.get(address);
        if (f == null) return 0;
        long since = nanos.getAsLong() - f.lastNanos;
        if (since >= lockoutNanos) {
            byAddress.remove(address);
            return 0;
        }
        return f.count >= maxFailures ? lockoutNanos - since : 0;
    }

    synchronized void failed(String address) {
        long now = nanos.getAsLong();
        Failures f = byAddress.computeIfAbsent(address, a -> new Failures());
        if (f.count > 0 && now - f.lastNanos >= lockoutNanos) f.count = 0;
        f.count++;
        f.lastNanos = now;
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }
}
