package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jlvs.api.HealthMonitor;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.VirtualServerTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jlvs.ipvsadm.ConfigException;

/**
 * Keeps the health monitor's checks and quorum settings in a store ({@link HealthState}'s properties). Ticked on
 * every change that matters ({@link HealthPersistence}): a check or quorum setting changed, a checker arrived,
 * the table changed. When a monitor appears (at start) the stored entries are given to it, each as soon as its
 * service is in the table and its checker installed; nothing is written until they all hold or
 * {@code restoreWindowMillis} has passed (then the ones left are dropped, with a warning). After that, every
 * tick writes the monitor's state when it differs from the store's. While running the store is written, not read.
 */
final class HealthSync {
    private static final Logger LOG = LoggerFactory.getLogger(HealthSync.class);

    interface Store {
        Map<String, String> load() throws Exception;

        void save(Map<String, String> props) throws Exception;
    }

    private final Store store;
    private final VirtualServerTable table;
    private final long restoreWindowMillis;
    private HealthMonitor bound;
    private List<HealthState.Entry> pending = List.of();
    private long restoreSince;

    HealthSync(Store store, VirtualServerTable table, long restoreWindowMillis) {
        this.store = store;
        this.table = table;
        this.restoreWindowMillis = restoreWindowMillis;
    }

    /** One poll; {@code monitor} null while there is none (then nothing is read or written). */
    void tick(HealthMonitor monitor, long nowMillis) throws Exception {
        if (monitor == null) {
            bound = null;
            return;
        }
        if (monitor != bound) {
            pending = new ArrayList<>();
            for (Map.Entry<String, String> e : new TreeMap<>(store.load()).entrySet()) {
                try { // one by one: a bad entry is dropped (and overwritten), not the others with it
                    pending.addAll(HealthState.parse(Map.of(e.getKey(), e.getValue())));
                } catch (ConfigException ex) {
                    LOG.warn("stored health setting dropped: {}", ex.getMessage());
                }
            }
            restoreSince = nowMillis;
            bound = monitor;
        }
        List<ServiceInfo> services = table.list();
        if (!pending.isEmpty()) {
            List<String> reasons = new ArrayList<>();
            pending.removeIf(e -> {
                try {
                    return HealthState.apply(monitor, e, services);
                } catch (RuntimeException ex) { // refused now: its checker may not be installed yet
                    reasons.add(e.key() + ": " + ex.getMessage());
                    return false;
                }
            });
            if (!pending.isEmpty() && nowMillis - restoreSince < restoreWindowMillis) return;
            for (HealthState.Entry e : pending) {
                LOG.warn("stored health setting {} was not restored (its service or server is not in the table, or it"
                        + " was refused: {}); it is dropped", e.key(), reasons);
            }
            pending = List.of();
        }
        // compared with the store, not a copy: what is there is what counts (fileinstall may have rewritten it)
        Map<String, String> now = HealthState.properties(monitor, services);
        if (!now.equals(store.load())) store.save(now);
    }
}
