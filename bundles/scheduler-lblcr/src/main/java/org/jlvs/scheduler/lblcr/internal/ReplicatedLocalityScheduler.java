package org.jlvs.scheduler.lblcr.internal;

import java.util.Map;
import java.util.function.LongSupplier;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.LocalityTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPVS lblcr: locality-based least-connection with replication. The configuration
 * {@code org.jlvs.scheduler.lblcr} may set {@code expiration} in seconds, the sysctl lblcr_expiration
 * (default 86400 = 24 h): how long an idle entry lives, and how long a set of several servers stays unchanged
 * before its most loaded member is dropped. Services bound afterwards use it.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=lblcr",
        configurationPid = "org.jlvs.scheduler.lblcr")
public final class ReplicatedLocalityScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedLocalityScheduler.class);
    public static final String EXPIRATION_PROPERTY = "expiration";

    private final LongSupplier clock;
    private volatile long expirationMs;

    public ReplicatedLocalityScheduler() {
        this(() -> System.nanoTime() / 1_000_000L, LocalityTable.DEFAULT_EXPIRATION_MS);
    }

    /** With a millisecond clock and an expiration of its own (for tests). */
    ReplicatedLocalityScheduler(LongSupplier clock, long expirationMs) {
        this.clock = clock;
        this.expirationMs = expirationMs;
    }

    @Activate
    void activate(Map<String, ?> config) {
        Object value = config.get(EXPIRATION_PROPERTY);
        if (value == null) return;
        long ms = LocalityTable.expirationMs(value);
        if (ms > 0) {
            expirationMs = ms;
            return;
        }
        LOG.warn("bad lblcr {} '{}' (seconds > 0); keeping {} s", EXPIRATION_PROPERTY, value, expirationMs / 1000);
    }

    @Override
    public Binding bind(VirtualService service) {
        return new ReplicatedLocalityBinding(service, clock, expirationMs);
    }

    long expirationMs() {
        return expirationMs;
    }
}
