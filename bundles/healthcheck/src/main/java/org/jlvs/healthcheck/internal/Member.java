package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.CheckResult;
import org.jlvs.api.ServerConfig;

/**
 * A real server the monitor looks after: its checks (none for a server only held out while the sorry server
 * serves), its configuration as the operator set it (to put it back), and where it is now.
 */
final class Member {
    /** Where the real server is in the virtual-server table. */
    enum Placement {
        /** In the table with its weight. */
        IN,
        /** In the table with weight 0 (inhibit_on_failure). */
        INHIBITED,
        /** Not in the table. */
        OUT
    }

    final Pool pool;
    final int address;
    final int port;
    /** The operator's configuration; its weight is the one to restore. */
    ServerConfig config;
    final List<Check> checks = new ArrayList<>();
    Placement placement = Placement.IN;
    boolean inhibitOnFailure;
    String notifyUp;
    String notifyDown;
    /** Weight asked for by a check (misc_dynamic), or NO_WEIGHT. */
    int dynamicWeight = CheckResult.NO_WEIGHT;
    /** The weight the monitor last saw or set in the table while the server was in. */
    int appliedWeight;
    /** The last alive verdict that was acted on. */
    boolean alive = true;
    long aliveSinceMillis;

    Member(Pool pool, ServerConfig config, long nowMillis) {
        this.pool = pool;
        this.address = config.address();
        this.port = config.port();
        this.config = config;
        this.aliveSinceMillis = nowMillis;
    }

    /** All checks pass (keepalived: no failed checker); a server without checks is alive. */
    boolean checksPass() {
        for (Check c : checks) {
            if (!c.up) return false;
        }
        return true;
    }

    int effectiveWeight() {
        return dynamicWeight != CheckResult.NO_WEIGHT ? dynamicWeight : config.weight();
    }

    boolean suspended() {
        for (Check c : checks) {
            if (c.suspended) return true;
        }
        return false;
    }

    String endpoint() { return config.endpoint(); }

    @Override
    public String toString() { return endpoint() + " of " + pool.key; }
}
