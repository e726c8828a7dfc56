package org.jlvs.scheduler.lblc.internal;

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
 * IPVS lblc: locality-based least-connection. The configuration {@code org.jlvs.scheduler.lblc} may set
 * {@code expiration} in seconds, the sysctl lblc_expiration (default 86400 = 24 h); services bound afterwards
 * use it.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=lblc",
        configurationPid = "org.jlvs.scheduler.lblc")
@Designate(ocd = LocalityLeastConnectionScheduler.Config.class)
public final class LocalityLeastConnectionScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(LocalityLeastConnectionScheduler.class);
    public static final String EXPIRATION_PROPERTY = "expiration";

    private final LongSupplier clock;
    private volatile long expirationMs;

    // Read as text, so that a bad value is refused here with its name; the metatype says it is an integer.
    @ObjectClassDefinition(name = "jlvs lblc scheduler", description = "Settings of the lblc scheduler.")
    public @interface Config {
        @AttributeDefinition(type = AttributeType.INTEGER, min = "1", description = "Seconds an idle entry of the"
                + " locality table lives (the sysctl lblc_expiration); services bound afterwards use it.")
        String expiration() default "86400";
    }

    @Activate
    public LocalityLeastConnectionScheduler(Config config) {
        this();
        modified(config);
    }

    /** With IPVS's default expiration. */
    public LocalityLeastConnectionScheduler() {
        this(() -> System.nanoTime() / 1_000_000L, LocalityTable.DEFAULT_EXPIRATION_MS);
    }

    /** With a millisecond clock and an expiration of its own (for tests). */
    LocalityLeastConnectionScheduler(LongSupplier clock, long expirationMs) {
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
        LOG.warn("org.jlvs.scheduler.lblc: bad {} '{}' (seconds > 0); keeping {} s", EXPIRATION_PROPERTY, seconds,
                expirationMs / 1000);
    }

    @Override
    public Binding bind(VirtualService service) {
        return new LocalityLeastConnectionBinding(service, clock, expirationMs);
    }

    long expirationMs() {
        return expirationMs;
    }
}
