package org.jlvs.config.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.HealthStatus;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.config.ConfigStatus;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.NotInstalledException;
import org.jlvs.ipvsadm.ServiceDef;
import org.jlvs.ipvsadm.TableUpdate;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the virtual services and their Config Admin factory configurations ({@value ServiceProperties#FACTORY_PID},
 * one per service; Karaf keeps them as {@code etc/org.jlvs.service-NAME.cfg} and reloads a file an operator
 * edits) in step, both ways:
 * <ul>
 * <li>a configuration that appears or changes is applied to its service alone, with the fewest changes
 *     ({@link TableUpdate}): a file saved unchanged touches nothing, a new weight edits one real server. One
 *     that does not parse or validate is refused with its file, key and reason (logged, and shown by
 *     lvs:config-status), and the service keeps running as it was; one that names a scheduler or forwarder not
 *     installed (yet: at boot the bundles start in any order) waits and is retried;</li>
 * <li>a service changed from the console (the table tells its {@link VirtualServerListener}s) is written to its
 *     configuration (a new one for a new service, with its file), or its configuration deleted with it.</li>
 * </ul>
 * Both directions run on one thread of their own, read the current state when they run and act only on a
 * difference. A configuration written here from the table is remembered, so that its own event, which may
 * come back after the table changed again, is not mistaken for an edit and applied back over that change.
 */
@Component(service = {ConfigurationListener.class, ConfigStatus.class}, immediate = true,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class ConfigBinding implements VirtualServerListener, ConfigurationListener, ConfigStatus {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigBinding.class);
    /** How many earlier writes of one configuration are remembered (see {@link Tracked#earlier}). */
    static final int MAX_EARLIER_WRITES = 8;
    /** How long an earlier write can come back (fileinstall reads its directory every second or two). */
    static final long EARLIER_WRITE_MILLIS = 10_000;

    /** Where Felix fileinstall records the file of a configuration it reads and writes back. */
    static final String FILENAME = "felix.fileinstall.filename";
    static final long RETRY_SECONDS = 2;
    private static final int WARN_AFTER_RETRIES = 15;
    /** A deleted configuration's name is not reused this soon (fileinstall may still be deleting its file). */
    private static final long REUSE_AFTER_MILLIS = 10_000;

    @Reference
    private VirtualServerTable table;

    private volatile ServiceRegistration<VirtualServerListener> listenerRegistration;

    @Reference
    private ConfigurationAdmin configAdmin;

    /**
     * The health monitor's view, when it runs: what it did to real servers (took out, set to weight 0, put the
     * sorry server in) is the monitor's state, not the operator's configuration, and is not written.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HealthStatus health;

    private volatile ScheduledExecutorService worker;
    private File etc;
    private Path home;

    // ---- owned by the worker thread ----
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final Map<ServiceKey, String> owners = new HashMap<>();
    private final Map<String, Long> deletedNames = new HashMap<>();
    private ScheduledFuture<?> retry;

    /** One factory configuration, as last seen. */
    private static final class Tracked {
        final String pid;
        String source;
        /** The service it names (from its 'service' key even when the rest is refused), or null. */
        ServiceKey key;
        /** What it says, when it parses; null when refused. */
        ServiceDef content;
        /** What it last put into the table; null if never: that service keeps running while it is refused. */
        ServiceDef applied;
        /** What this binding last wrote into it (from the table): its own change coming back, not an edit. */
        ServiceDef written;
        /**
         * The writes before {@link #written}, with when they were replaced (a few: a burst of console changes).
         * Felix fileinstall can put one of them back into Config Admin after a later one, even after the later
         * one's own return (it reads back the file it wrote): an old state of the table, not an operator's edit.
         */
        final ArrayDeque<ServiceDef> earlier = new ArrayDeque<>();
        final ArrayDeque<Long> replacedAt = new ArrayDeque<>();

        void wrote(ServiceDef def) {
            if (written != null) {
                earlier.addLast(written);
                replacedAt.addLast(System.currentTimeMillis());
                if (earlier.size() > MAX_EARLIER_WRITES) {
                    earlier.removeFirst();
                    replacedAt.removeFirst();
                }
            }
            written = def;
        }

        /** Whether {@code content} is one of the writes replaced in the last {@link #EARLIER_WRITE_MILLIS}. */
        boolean wroteEarlier(ServiceDef content) {
            long now = System.currentTimeMillis();
            java.util.Iterator<Long> at = replacedAt.iterator();
            for (ServiceDef d : earlier) {
                if (now - at.next() <= EARLIER_WRITE_MILLIS && d.sameAs(content)) return true;
            }
            return false;
        }

        void forgetEarlier() {
            earlier.clear();
            replacedAt.clear();
        }
        State state = State.APPLIED;
        String reason;
        /** Retries while pending with the same reason. */
        int waits;

        Tracked(String pid) {
            this.pid = pid;
        }
    }

    public ConfigBinding() {
    }

    /** For tests: without DS. */
    ConfigBinding(VirtualServerTable table, ConfigurationAdmin configAdmin, File etc, Path home) {
        this.table = table;
        this.configAdmin = configAdmin;
        start(etc, home);
    }

    @Activate
    void activate(BundleContext context) {
        String etcProperty = System.getProperty("karaf.etc");
        String homeProperty = System.getProperty("karaf.home");
        start(etcProperty == null ? null : new File(etcProperty), homeProperty == null ? null : Path.of(homeProperty));
        // Registered by hand once active, not as a DS service: the director (which provides the table this
        // component needs) binds its listeners while it activates, and getting this component then would
        // be a cycle that SCR resolves by leaving it out for good: console changes would never be persisted.
        listenerRegistration = context.registerService(VirtualServerListener.class, this, null);
    }

    private void start(File etcDir, Path homeDir) {
        this.etc = canonical(etcDir);
        this.home = homeDir == null ? null : canonical(homeDir.toFile()).toPath();
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jlvs-config");
            t.setDaemon(true);
            return t;
        });
        submit(this::loadAll);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        ServiceRegistration<VirtualServerListener> registration = listenerRegistration;
        listenerRegistration = null;
        if (registration != null) registration.unregister();
        ScheduledExecutorService w = worker;
        worker = null;
        if (w != null) {
            w.shutdownNow();
            w.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static File canonical(File file) {
        if (file == null) return null;
        try {
            return file.getCanonicalFile();
        } catch (IOException e) {
            return file.getAbsoluteFile();
        }
    }

    // ---- events (any thread) ----

    @Override
    public void changed(ServiceKey key) {
        submit(() -> {
            if (key == null) persistAll();
            else persist(key);
        });
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (ServiceProperties.FACTORY_PID.equals(event.getFactoryPid())) submit(() -> reconcile(event.getPid()));
    }

    private void submit(Runnable task) {
        ScheduledExecutorService w = worker;
        if (w == null) return; // not active (yet): activation reads everything anyway
        try {
            w.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("configuration work failed", e);
        }
    }

    @Override
    public List<Entry> entries() {
        ScheduledExecutorService w = worker;
        if (w == null) return List.of();
        try {
            return w.submit(() -> {
                List<Entry> list = new ArrayList<>();
                for (Tracked t : tracked.values()) {
                    list.add(new Entry(t.source, t.pid, t.key == null ? null : t.key.toString(), t.state, t.reason));
                }
                list.sort(Comparator.comparing(Entry::source));
                return list;
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the configuration thread does not answer: " + e, e);
        }
    }

    // ---- configurations -> table ----

    /** At start: every configuration is applied, then services that have none (made while stopped) get one. */
    private void loadAll() {
        for (Configuration c : list("(service.factoryPid=" + ServiceProperties.FACTORY_PID + ")")) reconcile(c.getPid());
        for (ServiceInfo info : table.list()) {
            if (!owners.containsKey(info.config().key())) persist(info.config().key());
        }
    }

    /** Brings the service of one configuration in line with what the configuration says now. */
    private void reconcile(String pid) {
        Configuration config = find(pid);
        Tracked t = tracked.get(pid);
        if (config == null) {
            if (t == null) return;
            tracked.remove(pid);
            releaseAll(t);
            if (t.applied != null && table.get(t.applied.key()) != null) {
                try {
                    TableUpdate.apply(table, Map.of(), Set.of(t.applied.key()));
                    LOG.info("{} was removed: deleted service {}", t.source, t.applied.key());
                } catch (LvsException | IllegalArgumentException e) {
                    LOG.error("{} was removed, but service {} could not be deleted: {}", t.source, t.applied.key(),
                            e.getMessage());
                }
            }
            return;
        }
        Map<String, Object> props = properties(config);
        if (t == null) {
            t = new Tracked(pid);
            tracked.put(pid, t);
        }
        t.source = source(props, pid);
        ServiceDef content;
        try {
            content = ServiceProperties.parse(props);
        } catch (ConfigException e) {
            claim(t, ServiceProperties.keyOf(props));
            refuse(t, e.getMessage());
            return;
        }
        String owner = owners.get(content.key());
        if (owner != null && !owner.equals(pid)) {
            Tracked other = tracked.get(owner);
            refuse(t, "service " + content.key() + " is already configured in "
                    + (other == null ? owner : other.source));
            return;
        }
        claim(t, content.key());
        if (t.written != null && t.written.sameAs(content)) {
            // what was written here from the table comes back: the table may have moved on since (a later
            // change is queued to be written), so it must not be applied back
            t.content = content;
            return;
        }
        if (t.wroteEarlier(content)) {
            // an older write of ours came back after a later one: write what the table holds again
            LOG.info("{}: an earlier write came back after a later one; the table's state is written again", t.source);
            t.content = content;
            ServiceKey key = content.key();
            submit(() -> persist(key));
            return;
        }
        t.written = null;
        t.forgetEarlier();
        t.content = content;
        Set<ServiceKey> scope = t.applied == null || t.applied.key().equals(content.key())
                ? Set.of(content.key()) : Set.of(content.key(), t.applied.key());
        TableUpdate.Plan plan;
        try {
            plan = TableUpdate.apply(table, Map.of(content.key(), content), scope);
        } catch (NotInstalledException e) {
            pending(t, e.getMessage());
            return;
        } catch (LvsException | IllegalArgumentException e) {
            refuse(t, e.getMessage());
            return;
        }
        boolean wasRefused = t.state != State.APPLIED;
        if (t.applied != null && !t.applied.key().equals(content.key())) release(t.applied.key(), pid); // it moved
        t.applied = content;
        t.state = State.APPLIED;
        t.reason = null;
        if (!plan.isEmpty()) {
            LOG.info("{}: applied to {} ({})", t.source, content.key(), describe(plan));
        } else if (wasRefused) {
            LOG.info("{}: accepted again, {} runs as it says", t.source, content.key());
        }
    }

    /** The configuration names this service: it owns it (and no longer the one it named before). */
    private void claim(Tracked t, ServiceKey key) {
        if (Objects.equals(t.key, key)) return;
        ServiceKey old = t.key;
        if (key != null) {
            String owner = owners.get(key);
            if (owner != null && !owner.equals(t.pid)) return; // another file has it: refused by the caller
            owners.put(key, t.pid);
        }
        t.key = key;
        // the service it made keeps its owner until something else is applied for it
        if (old != null && (t.applied == null || !t.applied.key().equals(old))) release(old, t.pid);
    }

    private void releaseAll(Tracked t) {
        release(t.key, t.pid);
        if (t.applied != null) release(t.applied.key(), t.pid);
    }

    private void release(ServiceKey key, String pid) {
        if (key != null && pid.equals(owners.get(key))) owners.remove(key);
    }

    private void refuse(Tracked t, String reason) {
        t.content = null;
        if (t.state == State.REJECTED && reason.equals(t.reason)) return;
        t.state = State.REJECTED;
        t.reason = reason;
        LOG.error("{} is refused: {}; {}", t.source, reason, t.applied != null
                ? t.applied.key() + " keeps running as it was" : "nothing was applied");
    }

    private void pending(Tracked t, String reason) {
        // at boot the scheduler and forwarder bundles start in any order: a short wait is normal, a long one is not
        if (t.state != State.PENDING || !reason.equals(t.reason)) {
            LOG.info("{} waits: {} (tried again every {} s)", t.source, reason, RETRY_SECONDS);
            t.waits = 0;
        } else if (++t.waits == WARN_AFTER_RETRIES) {
            LOG.warn("{} still waits after {} s: {}", t.source, WARN_AFTER_RETRIES * RETRY_SECONDS, reason);
        }
        t.state = State.PENDING;
        t.reason = reason;
        if (retry == null) retry = worker.schedule(() -> guarded(this::retryPending), RETRY_SECONDS, TimeUnit.SECONDS);
    }

    private void retryPending() {
        retry = null;
        for (Tracked t : new ArrayList<>(tracked.values())) {
            if (t.state == State.PENDING) reconcile(t.pid);
        }
    }

    private static String describe(TableUpdate.Plan plan) {
        List<String> changes = new ArrayList<>();
        for (TableUpdate.Op op : plan.ops()) changes.add(op.describe());
        return String.join("; ", changes);
    }

    // ---- table -> configurations ----

    /** Writes what the table holds for this service to its configuration (or deletes the configuration). */
    private void persist(ServiceKey key) {
        ServiceInfo info = table.get(key);
        String pid = owners.get(key);
        Tracked t = pid == null ? null : tracked.get(pid);
        try {
            if (info == null) {
                // only a configuration whose service was running goes; a waiting one has not been applied yet
                if (t != null && t.applied != null && t.applied.key().equals(key)) delete(t);
                return;
            }
            ServiceDef now = operatorView(ServiceDef.of(info), t == null ? null : t.content);
            if (t == null) {
                create(now);
            } else if (t.state != State.APPLIED || t.content == null || !t.content.sameAs(now)) {
                update(t, now);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("could not write the configuration of {}: {}", key, e.toString());
        }
    }

    /**
     * The table's definition without what the health monitor did: a real server it took out of the table or
     * holds at weight 0 keeps its stored settings (keepalived's configuration keeps a failed server too, and
     * after a restart it is checked again instead of being lost), and the sorry server it put in is not a real
     * server of the configuration.
     */
    private ServiceDef operatorView(ServiceDef table, ServiceDef stored) {
        HealthStatus h = health;
        HealthStatus.ServiceHealth service = h == null ? null : h.service(table.key());
        if (service == null) return table;
        ServiceDef out = table;
        for (HealthStatus.ServerHealth s : service.servers()) {
            ServerConfig kept = stored == null ? null : stored.server(s.address(), s.port());
            if (s.sorry()) {
                if (kept == null && out.server(s.address(), s.port()) != null) out = out.withoutServer(s.address(), s.port());
            } else if ((!s.alive() || !s.inTable()) && kept != null) {
                out = out.withServer(kept);
            }
        }
        return out;
    }

    private void persistAll() {
        for (Tracked t : new ArrayList<>(tracked.values())) {
            if (t.applied != null && table.get(t.applied.key()) == null) persist(t.applied.key());
        }
        for (ServiceInfo info : table.list()) persist(info.config().key());
    }

    private void create(ServiceDef def) throws IOException {
        String base = ServiceProperties.name(def.key());
        String name = base;
        long now = System.currentTimeMillis();
        deletedNames.values().removeIf(at -> now - at > REUSE_AFTER_MILLIS);
        for (int n = 2; tracked.containsKey(pidOf(name)) || find(pidOf(name)) != null
                || deletedNames.containsKey(name) || (etc != null && file(name).exists()); n++) {
            name = base + "-" + n;
        }
        Hashtable<String, Object> props = new Hashtable<>(ServiceProperties.toProperties(def));
        if (etc != null) {
            // the file first (as Karaf's config:edit does): fileinstall writes later changes back only to a file
            // that exists, and removes it with the configuration
            File file = file(name);
            writeAtomically(file.toPath(), ServiceProperties.fileText(def));
            props.put(FILENAME, file.toURI().toString());
        }
        Configuration config = configAdmin.getFactoryConfiguration(ServiceProperties.FACTORY_PID, name, "?");
        Tracked t = new Tracked(config.getPid());
        t.source = source(props, config.getPid());
        t.key = def.key();
        t.content = def;
        t.applied = def;
        t.wrote(def);
        tracked.put(t.pid, t);
        owners.put(def.key(), t.pid);
        try {
            config.update(props); // its event is handled after this task and recognised as written here
        } catch (IOException | RuntimeException e) {
            tracked.remove(t.pid);
            owners.remove(def.key());
            throw e;
        }
        LOG.info("{} was added: wrote {}", def.key(), t.source);
    }

    private void update(Tracked t, ServiceDef def) throws IOException {
        Configuration config = find(t.pid);
        if (config == null) {
            tracked.remove(t.pid);
            releaseAll(t);
            create(def);
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>(ServiceProperties.toProperties(def));
        Object file = config.getProperties().get(FILENAME);
        if (file != null) props.put(FILENAME, file);
        if (t.state != State.APPLIED) {
            LOG.warn("{} was {} ({}); {} was changed from the console: the file now holds the running configuration",
                    t.source, t.state.name().toLowerCase(), t.reason, def.key());
        }
        claim(t, def.key());
        t.content = def;
        t.applied = def;
        t.wrote(def);
        t.state = State.APPLIED;
        t.reason = null;
        config.update(props);
        LOG.info("{} was changed: wrote {}", def.key(), t.source);
    }

    private void delete(Tracked t) throws IOException {
        Configuration config = find(t.pid);
        String fileName = config == null ? null : (String) config.getProperties().get(FILENAME);
        tracked.remove(t.pid);
        releaseAll(t);
        String pidName = t.pid.startsWith(ServiceProperties.FACTORY_PID + "~")
                ? t.pid.substring(ServiceProperties.FACTORY_PID.length() + 1) : t.pid;
        deletedNames.put(pidName, System.currentTimeMillis());
        if (config != null) {
            try {
                config.delete();
            } catch (IllegalStateException e) {
                // deleted meanwhile
            }
        }
        // fileinstall deletes a file it knows; make sure it is gone, or the next start would bring the service back
        if (fileName != null) Files.deleteIfExists(Path.of(URI.create(fileName)));
        LOG.info("{} was deleted: removed {}", t.applied.key(), t.source);
    }

    // ---- Config Admin and files ----

    private String pidOf(String name) {
        return ServiceProperties.FACTORY_PID + "~" + name;
    }

    private File file(String name) {
        return new File(etc, ServiceProperties.FACTORY_PID + "-" + name + ".cfg");
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        // a name fileinstall does not watch (it reads *.cfg), moved into place at once
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Configuration find(String pid) {
        List<Configuration> found = list("(service.pid=" + escape(pid) + ")");
        return found.isEmpty() ? null : found.get(0);
    }

    private List<Configuration> list(String filter) {
        try {
            Configuration[] configs = configAdmin.listConfigurations(filter);
            return configs == null ? List.of() : List.of(configs);
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot list configurations " + filter + ": " + e, e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    private static Map<String, Object> properties(Configuration config) {
        Dictionary<String, Object> dict = config.getProperties();
        if (dict == null) return Collections.emptyMap();
        Map<String, Object> map = new LinkedHashMap<>();
        for (Enumeration<String> keys = dict.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            map.put(key, dict.get(key));
        }
        return map;
    }

    /** "etc/org.jlvs.service-web.cfg" (relative to the Karaf home), the file's path, or the PID. */
    private String source(Map<String, ?> props, String pid) {
        Object name = props.get(FILENAME);
        if (name == null) return "configuration " + pid;
        try {
            Path path = Path.of(URI.create(name.toString()));
            return home != null && path.startsWith(home) ? home.relativize(path).toString() : path.toString();
        } catch (IllegalArgumentException e) {
            return name.toString();
        }
    }
}
