package org.jlvs.api.sync;

import java.util.Map;

/**
 * A running sync daemon: its settings, what it is doing, its counters and its last full resync.
 *
 * @param role     master or backup
 * @param settings as started
 * @param state    "running", or what stops it from working (e.g. "no IPv4 address on eth1", "socket error: ...")
 * @param counters name → value in a stable order. Master: {@code datagrams_sent}, {@code entries_sent},
 *                 {@code bytes_sent}, {@code send_errors}, {@code queue_full} (updates dropped by the packet
 *                 path), {@code queue_depth}, {@code resyncs_served}, {@code resync_entries_sent},
 *                 {@code resyncs_refused}. Backup: {@code datagrams_received}, {@code entries_received},
 *                 {@code entries_installed}, {@code dropped_syncid}, {@code dropped_invalid} (datagrams),
 *                 {@code entries_invalid}, {@code dropped_unknown_service}, {@code dropped_unknown_server},
 *                 {@code dropped_table_full}, {@code resyncs}, {@code resync_failures},
 *                 {@code lag_millis} (since the last valid datagram; -1 before the first)
 * @param lastResync the last full resync (served by a master, received by a backup), or null
 */
public record SyncStatus(SyncDaemon.Role role, SyncSettings settings, String state, Map<String, Long> counters,
                         ResyncReport lastResync) {
    public SyncStatus {
        counters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
    }

    /** ipvsadm -L --daemon: "master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)". */
    public String describe() {
        return role.label() + " sync daemon (" + settings.describe() + ")";
    }

    /**
     * One full resync.
     *
     * @param peer           the other director's address
     * @param startedMillis  wall-clock start (epoch milliseconds)
     * @param durationMillis how long it took
     * @param entries        entries streamed (master) or installed (backup)
     * @param result         "complete", or why it stopped
     */
    public record ResyncReport(String peer, long startedMillis, long durationMillis, long entries, String result) {
    }
}
