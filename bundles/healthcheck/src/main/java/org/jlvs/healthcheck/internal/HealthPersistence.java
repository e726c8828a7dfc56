package org.jlvs.healthcheck.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jlvs.api.HealthMonitor;
import org.jlvs.api.VirtualServerTable;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's checks and quorum settings in the configuration {@value HealthState#PID}
 * (etc/org.jlvs.health.cfg): read at start, written through {@link HealthSync} after every {@link #changed()}.
 * The writes run on a thread of their own, so that no lock of the monitor or the table is held across them;
 * changes that arrive while one is queued are written together.
 */
final class HealthPersistence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthPersistence.class);
    /** How long stored checks wait at start for their services, servers and checkers. */
    static final long RESTORE_WINDOW_MILLIS = 120_000;
    private static final String FILENAME = "felix.fileinstall.filename";

    private final HealthSync sync;
    private final HealthMonitor monitor;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean queued = new AtomicBoolean();

    /** @param etc Karaf's etc/ (the file is created there so that fileinstall keeps it), or null */
    HealthPersistence(ConfigurationAdmin configAdmin, File etc, VirtualServerTable table, HealthMonitor monitor) {
        this.sync = new HealthSync(new AdminStore(configAdmin, etc), table, RESTORE_WINDOW_MILLIS);
        this.monitor = monitor;
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jlvs-health-persistence");
            t.setDaemon(true);
            return t;
        });
        changed(); // reads the stored entries and gives the monitor those it can take now
        // when the window closes, what could not be restored is dropped and the state written, change or not
        worker.schedule(this::changed, RESTORE_WINDOW_MILLIS + 1_000, TimeUnit.MILLISECONDS);
    }

    /**
     * Something the stored state depends on changed: a check or quorum setting, the checkers, the table. Returns
     * at once; the store is compared and written on the persistence thread.
     */
    void changed() {
        if (!queued.compareAndSet(false, true)) return;
        try {
            worker.execute(this::tick);
        } catch (RejectedExecutionException e) { // closing: nothing more is written
            queued.set(false);
        }
    }

    private void tick() {
        queued.set(false);
        try {
            sync.tick(monitor, System.currentTimeMillis());
        } catch (Exception | LinkageError e) { // the next change tries again
            LOG.warn("health settings not saved or restored: {}", e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** The configuration through Config Admin, its file written first so that fileinstall keeps it in etc/. */
    private static final class AdminStore implements HealthSync.Store {
        private final ConfigurationAdmin configAdmin;
        private final File etc;

        AdminStore(ConfigurationAdmin configAdmin, File etc) {
            this.configAdmin = configAdmin;
            this.etc = etc;
        }

        @Override
        public Map<String, String> load() throws Exception {
            Map<String, String> props = new LinkedHashMap<>();
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + HealthState.PID + ")");
            if (found == null || found[0].getProperties() == null) return props;
            Dictionary<String, Object> d = found[0].getProperties();
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                if (!ignored(k)) props.put(k, String.valueOf(d.get(k)));
            }
            return props;
        }

        /** Config Admin's and fileinstall's own keys. */
        private static boolean ignored(String key) {
            return key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
                    || key.startsWith(".");
        }

        @Override
        public void save(Map<String, String> props) throws Exception {
            Configuration config = configAdmin.getConfiguration(HealthState.PID, "?");
            Hashtable<String, Object> d = new Hashtable<>(props);
            Dictionary<String, Object> old = config.getProperties();
            Object fileName = old == null ? null : old.get(FILENAME);
            if (fileName == null && etc != null) {
                File file = new File(etc, HealthState.PID + ".cfg");
                if (!file.exists()) {
                    File tmp = new File(etc, HealthState.PID + ".cfg.tmp");
                    Files.writeString(tmp.toPath(), "# jlvs health checks and quorum settings (lvs:check-add options),"
                            + " written by jlvs-healthcheck when they change.\n");
                    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                fileName = file.toURI().toString();
            }
            if (fileName != null) d.put(FILENAME, fileName);
            config.update(d);
        }
    }
}
