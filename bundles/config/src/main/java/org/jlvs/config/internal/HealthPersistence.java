package org.jlvs.config.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.HealthMonitor;
import org.jlvs.api.VirtualServerTable;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists the health monitor's checks and quorum settings in the configuration {@value HealthState#PID}
 * (etc/org.jlvs.health.cfg), every 2 s through {@link HealthSync}. The monitor is optional: without
 * jlvs-healthcheck nothing is read or written.
 */
@Component(immediate = true)
public class HealthPersistence {
    private static final Logger LOG = LoggerFactory.getLogger(HealthPersistence.class);
    static final long POLL_SECONDS = 2;
    /** How long stored checks wait at boot for their services, servers and checkers. */
    static final long RESTORE_WINDOW_MILLIS = 120_000;

    @Reference
    private VirtualServerTable table;

    @Reference
    private ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthMonitor monitor;

    private ScheduledExecutorService worker;

    @Activate
    void activate() {
        String etc = System.getProperty("karaf.etc");
        HealthSync sync = new HealthSync(new AdminStore(etc == null ? null : new File(etc)), table, RESTORE_WINDOW_MILLIS);
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jlvs-health-persistence");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(() -> {
            try {
                sync.tick(monitor, System.currentTimeMillis());
            } catch (Exception | LinkageError e) { // keep polling: the next tick may succeed
                LOG.warn("health settings not saved or restored: {}", e.toString());
            }
        }, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** The configuration through Config Admin, its file written first so that fileinstall keeps it in etc/. */
    private final class AdminStore implements HealthSync.Store {
        private final File etc;

        AdminStore(File etc) {
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
                if (!ServiceProperties.ignored(k)) props.put(k, String.valueOf(d.get(k)));
            }
            return props;
        }

        @Override
        public void save(Map<String, String> props) throws Exception {
            Configuration config = configAdmin.getConfiguration(HealthState.PID, "?");
            Hashtable<String, Object> d = new Hashtable<>(props);
            Dictionary<String, Object> old = config.getProperties();
            Object fileName = old == null ? null : old.get(ConfigBinding.FILENAME);
            if (fileName == null && etc != null) {
                File file = new File(etc, HealthState.PID + ".cfg");
                if (!file.exists()) {
                    File tmp = new File(etc, HealthState.PID + ".cfg.tmp");
                    Files.writeString(tmp.toPath(), "# jlvs health checks and quorum settings (lvs:check-add options),"
                            + " written by jlvs when they change.\n");
                    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                fileName = file.toURI().toString();
            }
            if (fileName != null) d.put(ConfigBinding.FILENAME, fileName);
            config.update(d);
        }
    }
}
