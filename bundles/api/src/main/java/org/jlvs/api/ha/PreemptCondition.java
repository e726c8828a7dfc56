package org.jlvs.api.ha;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a director must have before it takes the master role from a live master of lower priority (preemption):
 * typically the full resync of its connection table, so that the connections the current master holds survive
 * the move back. Offered by the sync bundle, consulted by the ha bundle.
 *
 * <p>Rules: only preemption waits; a backup whose master went silent takes over at once (waiting would only
 * lengthen the outage). The wait is bounded by the ha bundle, which then preempts anyway and says so. Called on
 * the VRRP thread at each advert of the lower-priority master: it must not block.
 */
@ConsumerType
public interface PreemptCondition {
    /** Null when this director may preempt now; else what it still waits for (shown in logs and by the shell). */
    String waitingFor();
}
