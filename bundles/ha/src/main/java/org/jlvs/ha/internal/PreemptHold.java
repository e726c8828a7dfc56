package org.jlvs.ha.internal;

import java.util.function.Supplier;

import org.jlvs.api.ha.PreemptCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a preemption while a {@link PreemptCondition} is not met (a restarted director whose connection table
 * is not resynced yet), at most {@code maxNanos} from the first held advert; then preempts anyway, once, with a
 * warning. Shared by the instances of the director (the condition is the director's). VRRP thread only.
 */
final class PreemptHold {
    private static final Logger LOG = LoggerFactory.getLogger(PreemptHold.class);
    /** The bound, in seconds, unless the system property {@code jlvs.vrrp.preemptResyncWait} says otherwise. */
    static final long DEFAULT_MAX_SECONDS = 60;
    static final PreemptHold NONE = new PreemptHold(() -> null, 0);

    private final Supplier<PreemptCondition> condition;
    private final long maxNanos;
    private long since = -1;
    private boolean gaveUp;

    PreemptHold(Supplier<PreemptCondition> condition, long maxNanos) {
        this.condition = condition;
        this.maxNanos = maxNanos;
    }

    static long maxNanosFromSystem() {
        return Long.getLong("jlvs.vrrp.preemptResyncWait", DEFAULT_MAX_SECONDS) * 1_000_000_000L;
    }

    /** Whether {@code instance} must not preempt now. */
    boolean holds(String instance, long now) {
        PreemptCondition c = condition.get();
        String waiting;
        try {
            waiting = c == null ? null : c.waitingFor();
        } catch (RuntimeException e) {
            LOG.warn("the preemption condition failed (preempting): {}", e.toString());
            waiting = null;
        }
        if (waiting == null) {
            if (since >= 0) LOG.info("VRRP preemption held {} ms: the condition is met", (now - since) / 1_000_000);
            since = -1;
            gaveUp = false;
            return false;
        }
        if (gaveUp) return false;
        if (since < 0) {
            since = now;
            LOG.info("VRRP instance {} holds its preemption until {} (at most {} s)", instance, waiting,
                    maxNanos / 1_000_000_000L);
        }
        if (now - since >= maxNanos) {
            gaveUp = true;
            LOG.warn("VRRP preemption held {} ms without {}: preempting anyway", (now - since) / 1_000_000, waiting);
            since = -1;
            return false;
        }
        return true;
    }
}
