package org.jlvs.metrics;

import java.util.Map;

import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncStatus;

/**
 * Connection sync under {@code jlvs_sync_*}: per daemon (label {@code role}) whether it runs, datagrams, entries
 * and bytes sent or received, drops by reason (one family, label {@code reason}), full resyncs, the backup's lag
 * and the last resync. Counters the daemon adds later and this table does not know go to
 * {@code jlvs_sync_events_total{role,counter}}, so nothing is lost.
 */
public final class SyncMetrics {
    private SyncMetrics() {}

    /** Daemon counter → series name; the reason of a drop is in {@link #DROPS}. */
    private static final String[][] COUNTERS = {
        {"datagrams_sent", "jlvs_sync_datagrams_sent_total", "Sync datagrams sent by the master daemon."},
        {"entries_sent", "jlvs_sync_entries_sent_total", "Connection entries sent by the master daemon."},
        {"bytes_sent", "jlvs_sync_bytes_sent_total", "Bytes of sync datagrams sent."},
        {"send_errors", "jlvs_sync_send_errors_total", "Sync datagrams the master could not send."},
        {"resyncs_served", "jlvs_sync_resyncs_served_total", "Full resyncs the master served to a backup."},
        {"resync_entries_sent", "jlvs_sync_resync_entries_sent_total", "Entries streamed in full resyncs."},
        {"datagrams_received", "jlvs_sync_datagrams_received_total", "Sync datagrams received by the backup daemon."},
        {"entries_received", "jlvs_sync_entries_received_total", "Connection entries received by the backup daemon."},
        {"entries_installed", "jlvs_sync_entries_installed_total", "Received entries installed in the connection table."},
        {"resyncs", "jlvs_sync_resyncs_total", "Full resyncs the backup completed."},
        {"resync_failures", "jlvs_sync_resync_failures_total", "Full resyncs that failed."},
    };

    /** Daemon counter → drop reason. */
    private static final String[][] DROPS = {
        {"queue_full", "queue_full"}, {"resyncs_refused", "resync_refused"}, {"dropped_syncid", "syncid"},
        {"dropped_invalid", "invalid_datagram"}, {"entries_invalid", "invalid_entry"},
        {"dropped_unknown_service", "unknown_service"}, {"dropped_unknown_server", "unknown_server"},
        {"dropped_table_full", "table_full"},
    };

    /** Writes nothing when the sync bundle is absent ({@code daemon} null). */
    public static void write(SyncDaemon daemon, PrometheusText out) {
        if (daemon == null) return;
        SyncStatus[] status = new SyncStatus[SyncDaemon.Role.values().length];
        for (SyncDaemon.Role r : SyncDaemon.Role.values()) status[r.ordinal()] = daemon.status(r);
        out.family("jlvs_sync_daemon_up", "gauge", "1 while the sync daemon of the role runs, 0 when configured but not running.");
        for (SyncStatus s : status) {
            if (s != null) out.sample("jlvs_sync_daemon_up", "running".equals(s.state()) ? 1 : 0, "role", s.role().label());
        }
        for (String[] c : COUNTERS) {
            out.family(c[1], "counter", c[2]);
            for (SyncStatus s : status) {
                Long v = s == null ? null : s.counters().get(c[0]);
                if (v != null) out.sample(c[1], v, "role", s.role().label());
            }
        }
        out.family("jlvs_sync_dropped_total", "counter", "Sync updates, datagrams or entries dropped, by reason.");
        for (SyncStatus s : status) {
            if (s == null) continue;
            for (String[] d : DROPS) {
                Long v = s.counters().get(d[0]);
                if (v != null) out.sample("jlvs_sync_dropped_total", v, "role", s.role().label(), "reason", d[1]);
            }
        }
        out.family("jlvs_sync_queue_depth", "gauge", "Updates waiting in the master's sync queue.");
        out.family("jlvs_sync_lag_seconds", "gauge", "Time since the backup's last valid sync datagram (absent before the first).");
        for (SyncStatus s : status) {
            if (s == null) continue;
            Long depth = s.counters().get("queue_depth");
            if (depth != null) out.sample("jlvs_sync_queue_depth", depth, "role", s.role().label());
            Long lag = s.counters().get("lag_millis");
            if (lag != null && lag >= 0) out.sample("jlvs_sync_lag_seconds", lag / 1000.0, "role", s.role().label());
        }
        out.family("jlvs_sync_last_resync_entries", "gauge", "Entries of the last full resync (served or received).");
        out.family("jlvs_sync_last_resync_duration_seconds", "gauge", "Duration of the last full resync.");
        out.family("jlvs_sync_last_resync_timestamp_seconds", "gauge", "Start of the last full resync (Unix time).");
        for (SyncStatus s : status) {
            if (s == null || s.lastResync() == null) continue;
            String role = s.role().label();
            out.sample("jlvs_sync_last_resync_entries", s.lastResync().entries(), "role", role);
            out.sample("jlvs_sync_last_resync_duration_seconds", s.lastResync().durationMillis() / 1000.0, "role", role);
            out.sample("jlvs_sync_last_resync_timestamp_seconds", s.lastResync().startedMillis() / 1000.0, "role", role);
        }
        out.family("jlvs_sync_events_total", "counter", "Sync daemon counters without a series of their own.");
        for (SyncStatus s : status) {
            if (s == null) continue;
            for (Map.Entry<String, Long> e : s.counters().entrySet()) {
                if (!known(e.getKey())) out.sample("jlvs_sync_events_total", e.getValue(), "role", s.role().label(), "counter", e.getKey());
            }
        }
    }

    private static boolean known(String name) {
        if (name.equals("queue_depth") || name.equals("lag_millis")) return true;
        for (String[] c : COUNTERS) if (c[0].equals(name)) return true;
        for (String[] d : DROPS) if (d[0].equals(name)) return true;
        return false;
    }
}
