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
     * @param address6 an IPv6 real server's address ({@code address} is then its fold), null for IPv4
     */
    record ServerHealth(int address, int port, boolean alive, boolean inTable, boolean sorry, String state,
                        String detail, long sinceMillis, Ip6Address address6) {
        /** An IPv4 real server's health. */
        public ServerHealth(int address, int port, boolean alive, boolean inTable, boolean sorry, String state,
                            String detail, long sinceMillis) {
            this(address, port, alive, inTable, sorry, state, detail, sinceMillis, null);
        }

        /** "10.0.1.1:80" or "[2001:db8::11]:80" */
        public String endpoint() {
            return address6 != null ? address6.toString(port) : Ip4.toString(address, port);
        }

        /** "10.0.1.1" or "2001:db8::11" */
        public String addressText() {
            return address6 != null ? address6.toString() : Ip4.toString(address);
        }
    }
}
