package org.jlvs.api.sync;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The sync daemons of this director (ipvsadm --start-daemon / --stop-daemon / -L --daemon), offered by the sync
 * bundle. A master and a backup may run at the same time, as in IPVS; each start replaces a running daemon of
 * the same role. Starting and stopping persist the settings (the daemons come back after a restart).
 */
@ProviderType
public interface SyncDaemon {
    enum Role {
        MASTER, BACKUP;

        /** "master", "backup" as ipvsadm names them. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Starts (or restarts with new settings) the daemon of {@code role}.
     *
     * @throws IllegalArgumentException when the settings cannot work here (no such interface, no IPv4 address
     *                                  on it), naming what is wrong; a running daemon of that role stays then
     * @throws IllegalStateException    when the core offers no {@link ConnectionSync}
     */
    void start(Role role, SyncSettings settings);

    /** Stops the daemon of {@code role}; false if none ran. */
    boolean stop(Role role);

    /**
     * The daemon of {@code role}, or null if none is configured. A configured daemon that could not start (no such
     * interface, no core support) is reported with a state "not running: why" and no counters.
     */
    SyncStatus status(Role role);

    /**
     * Every counter of both daemons, name → value in a stable order, for the metrics (names as in
     * {@link SyncStatus#counters()}, prefixed "master_" or "backup_"; zero for a daemon that does not run).
     */
    Map<String, Long> counters();
}
