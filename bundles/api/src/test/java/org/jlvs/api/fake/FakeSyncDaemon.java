package org.jlvs.api.fake;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;

/**
 * Sync daemons in memory, as the sync bundle runs them: a start replaces the daemon of its role, a stop says
 * whether one ran, and the status of a running daemon is "running" with the counters and last resync a test
 * sets per role (none by default).
 */
public class FakeSyncDaemon implements SyncDaemon {
    /** The settings of each running daemon. */
    public final Map<Role, SyncSettings> running = new EnumMap<>(Role.class);
    public final Map<Role, Map<String, Long>> counters = new EnumMap<>(Role.class);
    public final Map<Role, SyncStatus.ResyncReport> resyncs = new EnumMap<>(Role.class);

    @Override
    public synchronized void start(Role role, SyncSettings settings) {
        running.put(role, settings);
    }

    @Override
    public synchronized boolean stop(Role role) {
        return running.remove(role) != null;
    }

    @Override
    public synchronized SyncStatus status(Role role) {
        SyncSettings s = running.get(role);
        return s == null ? null : new SyncStatus(role, s, "running", counters.getOrDefault(role, Map.of()), resyncs.get(role));
    }

    @Override
    public synchronized Map<String, Long> counters() {
        Map<String, Long> all = new LinkedHashMap<>();
        for (Role r : Role.values()) counters.getOrDefault(r, Map.of()).forEach((k, v) -> all.put(r.label() + "_" + k, v));
        return all;
    }
}
