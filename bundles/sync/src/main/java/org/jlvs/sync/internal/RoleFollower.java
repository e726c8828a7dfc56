package org.jlvs.sync.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.jlvs.api.ha.DirectorRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync daemons' view of the VRRP role: whether the master daemon's instance is MASTER (keepalived's
 * {@code lvs_sync_daemon IF INST}), and whether a preemption must still wait for the backup daemon's full resync.
 * Transitions arrive on the VRRP thread, which must not wait for a daemon to start or stop: they are handed to
 * a thread of this follower's own.
 */
final class RoleFollower {
    private static final Logger LOG = LoggerFactory.getLogger(RoleFollower.class);

    private final Runnable onChange;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jlvs-sync-role");
        t.setDaemon(true);
        return t;
    });
    private final DirectorRole.Listener listener = (instance, from, to) -> changed();
    private volatile DirectorRole role;
    private volatile BackupDaemon backup;
    /** A backup daemon with resync is configured (running or not yet: the core may come later). */
    private volatile boolean resyncExpected;

    RoleFollower(Runnable onChange) {
        this.onChange = onChange;
    }

    void bind(DirectorRole r) {
        role = r;
        r.addListener(listener);
        changed();
    }

    void unbind(DirectorRole r) {
        r.removeListener(listener);
        if (role == r) {
            role = null;
            changed();
        }
    }

    private void changed() {
        try {
            thread.execute(() -> {
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    LOG.warn("the sync daemons could not follow the VRRP role: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Null when a master daemon tied to {@code instance} may run now (no instance named, or it is MASTER); else
     * why it stands by.
     */
    String standby(String instance) {
        if (instance == null || instance.isEmpty()) return null;
        DirectorRole r = role;
        if (r == null) return "standby: no VRRP role (the ha bundle) for instance " + instance;
        for (DirectorRole.Instance i : r.instances()) {
            if (i.name().equals(instance)) {
                return i.state() == DirectorRole.State.MASTER ? null
                        : "standby: VRRP instance " + instance + " is " + i.state();
            }
        }
        return "standby: no VRRP instance " + instance;
    }

    /** The running backup daemon (null: none). */
    void backup(BackupDaemon daemon) {
        backup = daemon;
    }

    /** Whether the configuration has a backup daemon that resyncs. */
    void resyncExpected(boolean expected) {
        resyncExpected = expected;
    }

    /**
     * {@link org.jlvs.api.ha.PreemptCondition#waitingFor}: lock-free, for the VRRP thread. A configured backup
     * daemon that does not run yet (at a restart the core's ConnectionSync may come after the VRRP instances) is
     * waited for too.
     */
    String waitingFor() {
        if (!resyncExpected) return null;
        BackupDaemon b = backup;
        if (b == null) return "the backup sync daemon (not running yet) and its full resync";
        return b.resynced() ? null : "the backup sync daemon's full resync";
    }

    void close() {
        DirectorRole r = role;
        if (r != null) r.removeListener(listener);
        thread.shutdownNow();
    }
}
