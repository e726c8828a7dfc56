package org.jlvs.healthcheck.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;

/** A virtual service the monitor looks after: its members, quorum state and sorry server. */
final class Pool {
    final ServiceKey key;
    /** By (address, port) packed in a long. */
    final Map<Long, Member> members = new LinkedHashMap<>();
    QuorumConfig quorum = QuorumConfig.DEFAULT;
    /** Whether the quorum was set explicitly (the pool stays while it has no checks). */
    boolean quorumSet;
    boolean quorumUp = true;
    long quorumSinceMillis;
    /** The sorry server this monitor put in the table, or null. */
    SorryServer sorryIn;

    /** @param added whether the monitor added it (false: the operator had it in the table already) */
    record SorryServer(int address, int port, boolean added) {}

    Pool(ServiceKey key, long nowMillis) {
        this.key = key;
        this.quorumSinceMillis = nowMillis;
    }

    static long id(int address, int port) {
        return ((address & 0xffffffffL) << 16) | (port & 0xffff);
    }

    Member member(int address, int port) {
        return members.get(id(address, port));
    }

    boolean hasChecks() {
        for (Member m : members.values()) {
            if (!m.checks.isEmpty()) return true;
        }
        return false;
    }
}
