package org.jlvs.scheduler.lblcr.internal;

import java.util.function.LongSupplier;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.LocalityTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
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
@Designate(ocd = ReplicatedLocalityScheduler.Config.class)
public final class ReplicatedLocalityScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedLocalityScheduler.class);
    public static final String EXPIRATION_PROPERTY = "expiration";

    private final LongSupplier clock;
    private volatile long expirationMs;

    // Read as text, so that a bad value is refused here with its name; the metatype says it is an integer.
    @ObjectClassDefinition(name = "jlvs lblcr scheduler", description = "Settings of the lblcr scheduler.")
    public @interface Config {
        @AttributeDefinition(type = AttributeType.INTEGER, min = "1", description = "Seconds an idle entry lives,"
                + " and a set of several servers stays unchanged before its most loaded member is dropped (the"
                + " sysctl lblcr_expiration); services bound afterwards use it.")
        String expiration() default "86400";
    }

    @Activate
    public ReplicatedLocalityScheduler(Config config) {
        this();
        modified(config);
    }

    /** With IPVS's default expiration. */
    public ReplicatedLocalityScheduler() {
        this(() -> System.nanoTime() / 1_000_000L, LocalityTable.DEFAULT_EXPIRATION_MS);
    }

    /** With a millisecond clock and an expiration of its own (for tests). */
    ReplicatedLocalityScheduler(LongSupplier clock, long expirationMs) {
        this.clock = clock;
        this.expirationMs = expirationMs;
    }

    /** A new expiration applies to the services bound afterwards; a bad one is refused and the current kept. */
    @Modified
    void modified(Config config) {
        configure(config.expiration());
    }

    void configure(String seconds) {
        long ms = LocalityTable.expirationMs(seconds);
        if (ms > 0) {
            expirationMs = ms;
            return;
        }
        LOG.warn("org.jlvs.scheduler.lblcr: bad {} '{}' (seconds > 0); keeping {} s", EXPIRATION_PROPERTY, seconds,
                expirationMs / 1000);
    }

    @Override
    public Binding bind(VirtualService service) {
        return new ReplicatedLocalityBinding(service, clock, expirationMs);
    }

    long expirationMs() {
        return expirationMs;
    }
}
