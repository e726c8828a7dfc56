package org.jlvs.sync.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.ha.PreemptCondition;
import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncRule;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync daemons as an OSGi service ({@link SyncDaemon}), configured by Config Admin PID {@value #PID}
 * (etc/org.jlvs.sync.cfg): which daemons run with which settings, IPVS's sending sysctls and the resync. Starting
 * or stopping a daemon through the service writes the configuration, so the daemons come back after a restart;
 * editing the file applies it. A bad value is refused with its key and reason, and the running daemon stays.
 *
 * <p>With {@code master.instance} (keepalived's {@code lvs_sync_daemon IF INST}) the master daemon runs only
 * while that VRRP instance is MASTER; the backup daemon always runs. As a {@link PreemptCondition} it holds a
 * restarted director's preemption until the backup daemon's first full resync is complete.
 *
 * <p>The core's {@link ConnectionSync} is optional: without it (a core that does not offer sync) no daemon can
 * run and their state says so; when it appears the component restarts with it.
 */
@Component(service = {SyncDaemon.class, PreemptCondition.class}, immediate = true, configurationPid = SyncComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SyncComponent.Config.class)
public final class SyncComponent implements SyncDaemon, PreemptCondition {
    static final String PID = "org.jlvs.sync";
    private static final Logger LOG = LoggerFactory.getLogger(SyncComponent.class);

    @ObjectClassDefinition(name = "jlvs connection sync",
            description = "IPVS sync daemons (master, backup) and the full resync between jlvs directors")
    public @interface Config {
        @AttributeDefinition(description = "Run the master daemon (ipvsadm --start-daemon master)")
        boolean master_enabled() default false;
        @AttributeDefinition(description = "Interface whose own IPv4 address the master sends from (--mcast-interface)")
        String master_interface() default "";
        @AttributeDefinition(description = "Sync id 0..255 (--syncid)")
        int master_syncid() default 0;
        @AttributeDefinition(description = "Multicast group (--mcast-group)")
        String master_group() default SyncSettings.DEFAULT_GROUP;
        @AttributeDefinition(description = "UDP port (--mcast-port)")
        int master_port() default SyncSettings.DEFAULT_PORT;
        @AttributeDefinition(description = "Multicast TTL (--mcast-ttl)")
        int master_ttl() default SyncSettings.DEFAULT_TTL;
        @AttributeDefinition(description = "Largest datagram payload in bytes (--sync-maxlen)")
        int master_maxlen() default SyncSettings.DEFAULT_MAXLEN;

        @AttributeDefinition(description = "keepalived's lvs_sync_daemon IF INST: the master daemon runs only while"
                + " this VRRP instance is MASTER (empty: whenever it is enabled)")
        String master_instance() default "";

        @AttributeDefinition(description = "Run the backup daemon (ipvsadm --start-daemon backup)")
        boolean backup_enabled() default false;
        @AttributeDefinition(description = "Interface on which the backup joins the group")
        String backup_interface() default "";
        @AttributeDefinition(description = "Sync id 0..255; 0 takes every id")
        int backup_syncid() default 0;
        String backup_group() default SyncSettings.DEFAULT_GROUP;
        int backup_port() default SyncSettings.DEFAULT_PORT;
        int backup_ttl() default SyncSettings.DEFAULT_TTL;
        int backup_maxlen() default SyncSettings.DEFAULT_MAXLEN;

        @AttributeDefinition(description = "sync_threshold: the packet count at which a connection is sent")
        int sync__threshold() default 3;
        @AttributeDefinition(description = "sync_period: resend every this many packets (0: once)")
        int sync__period() default 50;
        @AttributeDefinition(description = "sync_refresh_period in seconds (0: off)")
        int sync__refresh__period() default 0;
        @AttributeDefinition(description = "sync_retries 0..3 (with sync_refresh_period)")
        int sync__retries() default 0;
        @AttributeDefinition(description = "sync_persist_mode: send only the templates of persistent services")
        boolean sync__persist__mode() default false;
        @AttributeDefinition(description = "Updates the packet path may queue for the master (a power of two); more are dropped and counted")
        int queue_capacity() default 16384;

        @AttributeDefinition(description = "Full resync between jlvs directors (a master serves it, a backup asks for it)")
        boolean resync_enabled() default true;
        @AttributeDefinition(description = "TCP port of the master's resync server")
        int resync_port() default ResyncSettings.DEFAULT_PORT;
        @AttributeDefinition(description = "Backup: the master to resync from at start (empty: the first master heard)")
        String resync_peer() default "";
        @AttributeDefinition(description = "Networks a resync peer must be in, comma-separated CIDR (empty: the sync interface's network)")
        String resync_allow() default "";
        @AttributeDefinition(description = "Most entries a backup takes from one resync")
        long resync_max_entries() default 10_000_000L;
        @AttributeDefinition(description = "Longest a resync may take, in seconds")
        int resync_timeout() default 120;
    }

    private final ConnectionSync table;
    private final ConfigurationAdmin configAdmin;
    private final LongSupplier clock;
    private final Map<Role, Object> daemons = new LinkedHashMap<>();
    /** The settings that apply now (the last configuration accepted). */
    private Settings current;

    /** Everything a configuration says, checked. */
    record Settings(SyncSettings master, SyncSettings backup, SyncRule rule, int queueCapacity, ResyncSettings resync,
                    String masterInstance) {
        /** Whether a running master may keep running under {@code o}'s sending settings. */
        boolean sameSending(Settings o) {
            return rule.equals(o.rule) && queueCapacity == o.queueCapacity && resync.equals(o.resync);
        }
    }

    /** The master daemon's link to the VRRP role, and the resync condition offered to preemption. */
    private final RoleFollower follower = new RoleFollower(this::roleChanged);

    /** A configured daemon that could not start, and why. */
    private record Problem(SyncSettings settings, String reason) {
    }

    private final Map<Role, Problem> problems = new LinkedHashMap<>();

    @Activate
    public SyncComponent(@Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY) ConnectionSync table,
                         @Reference ConfigurationAdmin configAdmin, Config config) {
        this(table, configAdmin, config, SyncComponent::millis);
    }

    /** For tests: a clock in milliseconds. */
    SyncComponent(ConnectionSync table, ConfigurationAdmin configAdmin, Config config, LongSupplier clock) {
        this.table = table;
        this.configAdmin = configAdmin;
        this.clock = clock;
        modified(config);
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Applies an edited configuration: starts, restarts or stops what changed. */
    @Modified
    synchronized void modified(Config config) {
        Settings next;
        try {
            next = parse(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{}: configuration refused, the daemons keep their settings: {}", PID, e.getMessage());
            return;
        }
        Settings previous = current;
        current = next;
        follower.resyncExpected(next.backup() != null && next.resync().enabled());
        reconcile(Role.MASTER, next.master(), previous == null || !next.sameSending(previous));
        reconcile(Role.BACKUP, next.backup(), previous == null || !next.resync().equals(previous.resync()));
    }

    private void reconcile(Role role, SyncSettings wanted, boolean othersChanged) {
        Object running = daemons.get(role);
        SyncSettings have = settingsOf(running);
        if (wanted == null) {
            problems.remove(role);
            if (running != null) stopDaemon(role);
            return;
        }
        String standby = role == Role.MASTER ? follower.standby(current.masterInstance()) : null;
        if (standby != null) { // lvs_sync_daemon: only the instance's master sends
            if (running != null) stopDaemon(role);
            problems.put(role, new Problem(wanted, standby));
            return;
        }
        if (wanted.equals(have) && !othersChanged) return;
        try {
            startDaemon(role, wanted);
        } catch (IllegalArgumentException | IllegalStateException e) {
            problems.put(role, new Problem(wanted, e.getMessage()));
            LOG.error("{} sync daemon ({}) cannot start: {}", role.label(), wanted.describe(), e.getMessage());
        }
    }

    static Settings parse(Config c) {
        SyncSettings master = c.master_enabled() ? settings("master", c.master_interface(), c.master_syncid(),
                c.master_group(), c.master_port(), c.master_ttl(), c.master_maxlen()) : null;
        SyncSettings backup = c.backup_enabled() ? settings("backup", c.backup_interface(), c.backup_syncid(),
                c.backup_group(), c.backup_port(), c.backup_ttl(), c.backup_maxlen()) : null;
        SyncRule rule = new SyncRule(c.sync__threshold(), c.sync__period(), c.sync__refresh__period(), c.sync__retries(),
                c.sync__persist__mode());
        int capacity = c.queue_capacity();
        if (capacity < 2 || capacity > org.jlvs.api.sync.SyncQueue.MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("queue.capacity: must be a power of two, 2.."
                    + org.jlvs.api.sync.SyncQueue.MAX_CAPACITY + ": " + capacity);
        }
        InetAddress peer = null;
        if (!c.resync_peer().isBlank()) {
            try {
                peer = InetAddress.getByName(org.jlvs.api.Ip4.toString(org.jlvs.api.Ip4.parse(c.resync_peer().strip())));
            } catch (IllegalArgumentException | UnknownHostException e) {
                throw new IllegalArgumentException("resync.peer: not an IPv4 address: " + c.resync_peer());
            }
        }
        java.util.List<Cidr> allow;
        try {
            allow = Cidr.parseList(c.resync_allow());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resync.allow: " + e.getMessage());
        }
        if (c.resync_timeout() < 1) throw new IllegalArgumentException("resync.timeout: must be at least 1 s");
        ResyncSettings resync = new ResyncSettings(c.resync_enabled(), c.resync_port(), peer, allow,
                c.resync_max_entries(), c.resync_timeout() * 1000L);
        return new Settings(master, backup, rule, capacity, resync, c.master_instance().strip());
    }

    private static SyncSettings settings(String role, String nif, int syncId, String group, int port, int ttl, int maxLen) {
        try {
            return new SyncSettings(nif, syncId, group, port, ttl, maxLen);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + "." + e.getMessage());
        }
    }

    private static SyncSettings settingsOf(Object daemon) {
        if (daemon instanceof MasterDaemon m) return m.settings();
        if (daemon instanceof BackupDaemon b) return b.settings();
        return null;
    }

    /**
     * Replaces the role's daemon. The interface is checked before the running daemon stops, so that a wrong name
     * leaves it running; the old one then stops before the new one binds (the same group, port and resync port).
     */
    private void startDaemon(Role role, SyncSettings s) {
        if (table == null) {
            throw new IllegalStateException("the core offers no connection sync (no ConnectionSync service)");
        }
        LocalInterface.of(s.mcastInterface());
        stopDaemon(role);
        Settings cfg = current;
        Object fresh = role == Role.MASTER
                ? new MasterDaemon(s, cfg.rule(), cfg.queueCapacity(), cfg.resync(), table, clock)
                : new BackupDaemon(s, cfg.resync(), table, clock);
        daemons.put(role, fresh);
        if (fresh instanceof BackupDaemon b) follower.backup(b);
        problems.remove(role);
    }

    /** The VRRP role changed (on the role follower's thread): the master daemon follows its instance. */
    private synchronized void roleChanged() {
        Settings s = current;
        if (s != null && s.master() != null && !s.masterInstance().isEmpty()) reconcile(Role.MASTER, s.master(), false);
    }

    private void stopDaemon(Role role) {
        Object d = daemons.remove(role);
        if (d instanceof BackupDaemon) follower.backup(null);
        if (d instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("{} sync daemon did not stop cleanly: {}", role.label(), e.getMessage());
            }
        }
    }

    // ---- SyncDaemon ----

    @Override
    public synchronized void start(Role role, SyncSettings settings) {
        String standby = role == Role.MASTER ? follower.standby(current.masterInstance()) : null;
        if (standby != null) {
            LocalInterface.of(settings.mcastInterface());
            stopDaemon(role);
            problems.put(role, new Problem(settings, standby));
        } else {
            startDaemon(role, settings);
        }
        persist(role, settings);
    }

    /** The VRRP role, when the ha bundle runs (keepalived's lvs_sync_daemon ... INST needs it). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDirectorRole(DirectorRole role) {
        follower.bind(role);
    }

    void unbindDirectorRole(DirectorRole role) {
        follower.unbind(role);
    }

    @Override
    public String waitingFor() {
        return follower.waitingFor();
    }

    @Override
    public synchronized boolean stop(Role role) {
        boolean ran = daemons.containsKey(role);
        problems.remove(role);
        stopDaemon(role);
        persist(role, null);
        return ran;
    }

    @Override
    public synchronized SyncStatus status(Role role) {
        Object d = daemons.get(role);
        if (d instanceof MasterDaemon m) return m.status();
        if (d instanceof BackupDaemon b) return b.status();
        Problem p = problems.get(role);
        return p == null ? null : new SyncStatus(role, p.settings(), "not running: " + p.reason(), Map.of(), null);
    }

    @Override
    public synchronized Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            SyncStatus s = status(role);
            if (s != null) s.counters().forEach((k, v) -> out.put(role.label() + "_" + k, v));
        }
        return out;
    }

    /** Writes the role's settings (or its absence) into etc/org.jlvs.sync.cfg, keeping every other key. */
    private void persist(Role role, SyncSettings s) {
        if (configAdmin == null) return;
        try {
            Configuration c = configAdmin.getConfiguration(PID, "?");
            Dictionary<String, Object> props = c.getProperties();
            if (props == null) props = new Hashtable<>();
            String p = role.label() + ".";
            props.put(p + "enabled", s != null);
            if (s != null) {
                props.put(p + "interface", s.mcastInterface());
                props.put(p + "syncid", s.syncId());
                props.put(p + "group", s.group());
                props.put(p + "port", s.port());
                props.put(p + "ttl", s.ttl());
                props.put(p + "maxlen", s.maxLen());
            }
            c.update(props);
        } catch (IOException e) {
            LOG.warn("{}: the {} daemon's settings could not be saved: {}", PID, role.label(), e.getMessage());
        }
    }

    @Deactivate
    synchronized void close() {
        follower.close();
        for (Role role : Role.values()) stopDaemon(role);
    }
}
