package org.jlvs.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** What the health monitor knows of a virtual service's real servers, read-only (for listings). */
@ProviderType
public interface HealthStatus {
    /** The health of a service's watched real servers, or null when the monitor does not watch the service. */
    ServiceHealth service(ServiceKey key);

    /**
     * @param quorumUp   whether the service has quorum
     * @param liveWeight the weights of its live real servers, summed
     * @param servers    every real server the monitor watches, including those it took out of the table
     */
    record ServiceHealth(ServiceKey key, QuorumConfig quorum, boolean quorumUp, long liveWeight,
                         List<ServerHealth> servers) {
    }

    /**
     * @param alive   all its checks pass (the sorry server: always true)
     * @param inTable whether it is in the virtual-server table now (an inhibited server is, with weight 0)
     * @param state   the word for listings: UP, DOWN, SORRY, SUSPENDED (checker missing, last state kept)
     * @param detail  what the monitor did about it ("removed", "weight 0", "held out: quorum lost", "")
     */
    record ServerHealth(int address, int port, boolean alive, boolean inTable, boolean sorry, String state,
                        String detail, long sinceMillis) {
    }
}
