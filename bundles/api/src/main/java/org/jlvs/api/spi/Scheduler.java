package org.jlvs.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A scheduling rule (rr, wlc, ...), registered as an OSGi service with the property
 * {@code lvs.scheduler=<name>}. The data path binds it to each virtual service that names it and asks the
 * binding for a real server for every new connection. Established connections never ask again, so a
 * scheduler can come and go under traffic.
 */
@ConsumerType
public interface Scheduler {
    /** Service property carrying the scheduler's name as ipvsadm's -s takes it. */
    String PROPERTY = "lvs.scheduler";

    /** The per-service state of this scheduler (cursor, hash table, cache) for one virtual service. */
    Binding bind(VirtualService service);

    /** One scheduler bound to one virtual service. */
    @ConsumerType
    interface Binding {
        /**
         * Picks the real server for a new flow, or null when none is available. May be called from several
         * receive threads at once; only new connections get here, so a short lock is acceptable.
         */
        RealServer schedule(Flow flow);

        /** The service's real servers or their weights changed: rebuild derived state. */
        default void update() {}

        /** The service stops using this scheduler. */
        default void unbind() {}
    }
}
