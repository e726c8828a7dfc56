package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.Map;

import org.jlvs.api.CheckResult;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@value Monitor#SWEEP_MILLIS} ms, compares the table with what the monitor believes and follows the
 * operator's changes: deleted services and servers, re-added servers, edited weights. Takes the monitor's lock.
 */
final class Sweep {
    /** The monitor's logger: its parts log as one. */
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final Object lock;
    private final Timers timers;
    private final VirtualServerTable table;
    private final Map<ServiceKey, Pool> pools;
    private final Placement placement;
    private final Quorum quorum;
    private Timers.Cancellable next;
    private boolean closed;

    Sweep(Object lock, Timers timers, VirtualServerTable table, Map<ServiceKey, Pool> pools, Placement placement,
          Quorum quorum) {
        this.lock = lock;
        this.timers = timers;
        this.table = table;
        this.pools = pools;
        this.placement = placement;
        this.quorum = quorum;
    }

    void start() {
        synchronized (lock) {
            next = timers.schedule(this::run, Timers.nanos(Monitor.SWEEP_MILLIS));
        }
    }

    void close() {
        synchronized (lock) {
            closed = true;
            if (next != null) next.cancel();
        }
    }

    private void run() {
        synchronized (lock) {
            if (closed) return;
            try {
                for (Pool pool : new ArrayList<>(pools.values())) follow(pool);
            } finally {
                next = timers.schedule(this::run, Timers.nanos(Monitor.SWEEP_MILLIS));
            }
        }
    }

    private void follow(Pool pool) {
        ServiceInfo info = table.get(pool.key);
        if (info == null) {
            LOG.warn("service {} was deleted: its checks are removed", pool.key);
            placement.dropPool(pool);
            return;
        }
        for (Member m : new ArrayList<>(pool.members.values())) {
            ServerInfo s = Monitor.find(info, m.address, m.port);
            if (s == null && m.placement != Member.Placement.OUT) {
                LOG.warn("real server {} was deleted by the operator: its checks are removed", m);
                placement.forget(m);
            } else if (s != null && m.placement == Member.Placement.OUT) {
                m.config = s.config();
                m.placement = Member.Placement.IN;
                m.appliedWeight = s.config().weight();
                placement.place(m); // re-added by the operator: the monitor's verdict still applies
            } else if (s != null && m.placement == Member.Placement.IN && m.dynamicWeight == CheckResult.NO_WEIGHT
                    && s.config().weight() != m.appliedWeight) {
                m.config = s.config(); // the operator edited the weight: it is the one to restore
                m.appliedWeight = s.config().weight();
            }
        }
        if (pools.get(pool.key) == pool) quorum.evaluate(pool, "table changed");
    }
}
