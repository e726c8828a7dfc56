package org.jlvs.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.InstallResult;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncEntrySink;
import org.jlvs.api.sync.SyncFeed;
import org.jlvs.packet.Ethernet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
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
 * The director: opens the interfaces, runs the data plane and offers the virtual-server and connection
 * tables as services. Schedulers and forwarders are tracked dynamically (whiteboard), so installing,
 * updating or removing one never restarts this component or touches established connections.
 *
 * <p>Its settings (PID {@value CoreSettings#PID}, {@link Config}) are read when it starts. A later change is
 * checked and logged at once but applied only at the next start (bundle:restart org.jlvs.core, or a restart
 * of jlvs): resizing the connection table or closing an interface would cut connections, and a change of
 * the configuration must never do that behind the operator's back.
 */
@Component(service = {VirtualServerTable.class, ConnectionTable.class, ConnectionSync.class}, configurationPid = CoreSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = Director.Config.class)
public class Director implements VirtualServerTable, ConnectionTable, ConnectionSync {
    private static final Logger LOG = LoggerFactory.getLogger(Director.class);

    @ObjectClassDefinition(name = "jlvs director",
            description = "The data path of jlvs: the interfaces it balances on and the size of its connection"
                    + " table. Read when the director starts; a change is checked and logged at once and applied at"
                    + " the next start (bundle:restart org.jlvs.core), which empties the connection table.")
    public @interface Config {
        @AttributeDefinition(name = "Interfaces",
                description = "The network interfaces the director captures and sends frames on: * = every"
                        + " interface that is up except loopback, none = no capture at all (the tables and"
                        + " commands still work), or interface names separated by commas (eth1,eth2).")
        String interfaces() default CoreSettings.ALL;

        @AttributeDefinition(name = "Maximum connections",
                description = "The most entries (connections and persistence templates) the connection table"
                        + " holds, 1.." + ConnTable.MAX_ENTRIES + ", about 54 bytes of heap each. When it is full a new connection"
                        + " evicts a half-open one, else it is refused. auto = the system property"
                        + " jlvs.connections.max if set, else as many as a quarter of the heap holds at 64 bytes"
                        + " an entry.")
        String max__connections() default CoreSettings.AUTO;
    }

    /** Periodic work and the sends of ARP requests and announcements, on one thread. */
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jlvs-maintenance");
        t.setDaemon(true);
        return t;
    });
    private final DataPlane plane;
    private final SyncSupport sync;
    /**
     * The PacketIo in use (a dynamic reference, so that another one can take over without restarting the
     * director: its connection table survives a change of packet I/O), and each link's receive pipeline.
     */
    private PacketIo packetIo;
    private final Map<Link, PacketPath> paths = new HashMap<>();
    private final Object packetIoLock = new Object();
    private final BundleContext bundleContext;
    /** The settings in use; a later configuration is only checked against them (see the class comment). */
    private final CoreSettings settings;

    /** The interfaces asked for and not in use, with the reason; set whenever a PacketIo is bound. */
    private volatile Map<String, String> dataPathDown = Map.of();
    /** The configured interfaces as the host has them now (a fixed selection in unit tests). */
    private final Supplier<Nic.Selection> interfaces;

    /** An uninstalled bundle may have been a departed scheduler's: refuse its services' new connections now. */
    private final BundleListener uninstalls = this::bundleChanged;

    /** Starts the director: the table sized once here, before any reference is bound, then the interfaces. */
    @Activate
    public Director(BundleContext context, Config config) {
        this(CoreSettings.of(config.interfaces(), config.max__connections(), null), context, null);
        LOG.info("connection table: at most {} entries", settings.maxConnections());
        context.addBundleListener(uninstalls);
        warnIfKernelForwards();
        maintenance.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        maintenance.scheduleAtFixedRate(this::slowTick, 2, 2, TimeUnit.SECONDS);
    }

    /** For unit tests: the tables of a director that opens no interface and runs no periodic work. */
    Director(CoreSettings settings) {
        this(settings, (BundleContext) null, null);
    }

    /** For unit tests: a director that opens these interfaces through {@code packetIo}, without periodic work. */
    Director(CoreSettings settings, PacketIo packetIo, Nic.Selection interfaces) {
        this(settings, (BundleContext) null, () -> interfaces);
        bindPacketIo(packetIo);
    }

    private Director(CoreSettings settings, BundleContext context, Supplier<Nic.Selection> interfaces) {
        this.settings = settings;
        this.bundleContext = context;
        this.interfaces = interfaces != null ? interfaces : () -> Nic.select(settings.names());
        plane = new DataPlane(System::nanoTime, Path.of("/proc/net/route"), Path.of("/proc/net/arp"), maintenance,
                settings.maxConnections());
        sync = new SyncSupport(plane);
    }

    /**
     * Moves the links in use to the PacketIo now bound and opens each usable interface not in use yet (all of
     * them the first time); one that cannot be opened is logged and listed with its reason, and the others are
     * still used. Never throws: without a data path the tables, commands and configuration still work, and
     * lvs:list says why no packet is seen.
     */
    private void useInterfaces(Nic.Selection selection) {
        Map<String, String> down = new LinkedHashMap<>(selection.notUsed());
        down.forEach((name, why) -> LOG.warn("interface {}: {}: not used", name, why));
        Set<String> open = new HashSet<>();
        for (Link link : plane.links()) {
            open.add(link.name);
            String why = reopen(link, packetIo);
            if (why != null) down.put(link.name, why);
        }
        for (Nic nic : selection.usable()) {
            if (open.contains(nic.name())) continue;
            String why = open(nic);
            if (why != null) down.put(nic.name(), why);
        }
        if (plane.links().isEmpty() && !CoreSettings.NONE.equals(settings.interfaces())) {
            LOG.error("the data path is down: no interface in use (interfaces = '{}'): nothing will be balanced; {}",
                    settings.interfaces(), down);
        }
        dataPathDown = Collections.unmodifiableMap(inConfiguredOrder(down));
    }

    /** A changed configuration: bad values are refused (logged), good ones wait for the next start. */
    @Modified
    void modified(Config config) {
        CoreSettings wanted = CoreSettings.of(config.interfaces(), config.max__connections(), settings);
        if (!wanted.interfaces().equals(settings.interfaces())) {
            LOG.warn("{}: {} = {} is applied at the next start of the director (bundle:restart org.jlvs.core);"
                    + " running with {} until then", CoreSettings.PID, CoreSettings.INTERFACES, wanted.interfaces(),
                    settings.interfaces());
        }
        if (wanted.maxConnections() != settings.maxConnections()) {
            LOG.warn("{}: {} = {} is applied at the next start of the director (bundle:restart org.jlvs.core,"
                    + " which empties the connection table); running with {} until then", CoreSettings.PID,
                    CoreSettings.MAX_CONNECTIONS, wanted.maxConnections(), settings.maxConnections());
        }
    }

    private void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UNINSTALLED) plane.services.dropOrphans(System.nanoTime(), true);
    }

    private void tick() {
        try {
            plane.tick();
        } catch (RuntimeException e) {
            LOG.error("maintenance failed", e);
        }
    }

    private void slowTick() {
        try {
            plane.slowTick();
        } catch (RuntimeException e) {
            LOG.error("maintenance failed", e);
        }
    }

    @Deactivate
    void close() {
        if (bundleContext != null) bundleContext.removeBundleListener(uninstalls);
        maintenance.shutdownNow();
        plane.close();
    }

    /** The reasons in the order the configuration names the interfaces (the operator's order). */
    private Map<String, String> inConfiguredOrder(Map<String, String> down) {
        List<String> names = settings.names();
        if (names == null) return down;
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : names) {
            if (down.containsKey(name)) ordered.put(name, down.get(name));
        }
        ordered.putAll(down);
        return ordered;
    }

    /**
     * The first PacketIo opens the interfaces (SCR binds it right after the constructor, before the component
     * is active). A later one (SCR binds the replacement before it unbinds the departing one) takes over each
     * link in turn: the old channel is closed first, so that one receive thread at a time runs the link's
     * pipeline; frames that arrive in between are lost, as on a short link flap, and TCP resends them. It also
     * tries the interfaces the previous one could not open (for example, it had no native library).
     */
    @Reference(name = "packetIo", policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindPacketIo")
    void bindPacketIo(PacketIo io) {
        synchronized (packetIoLock) {
            boolean change = packetIo != null;
            int before = plane.links().size();
            packetIo = io;
            useInterfaces(interfaces.get());
            if (change) {
                LOG.info("packet I/O changed to {}: {} interfaces taken over, {} opened, connections kept",
                        io.getClass().getName(), before, plane.links().size() - before);
            }
        }
    }

    void unbindPacketIo(PacketIo io) {
        synchronized (packetIoLock) {
            if (packetIo == io) packetIo = null; // the last one: SCR deactivates the director next
        }
    }

    /** Moves one link to {@code io}; returns null when it is in use, else why it is not. */
    private String reopen(Link link, PacketIo io) {
        PacketPath path = paths.get(link);
        PacketIo.Channel old = link.channel;
        old.close();
        try {
            link.channel = io.open(link.name, filterFor(link.mac), path);
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.error("cannot reopen interface {} on the new packet I/O: {}", link.name, why);
            // never send through the closed channel (its descriptor may already be another socket's)
            link.channel = new DownChannel(link.name, old.mtu());
            return why;
        }
    }

    private static String filterFor(long mac) {
        String macText = Ethernet.macToString(mac);
        // Only frames for us (and broadcasts), never our own: libpcap's direction filter runs too late. IPv6
        // multicast too: a Neighbour Solicitation for a VIP6 goes to its solicited-node group (33:33:ff:..).
        return "(ether dst " + macText + " or ether broadcast or (ip6 and ether multicast)) and not ether src "
                + macText;
    }

    /** Opens one interface; returns null when it is in use, else why it is not. */
    private String open(Nic nic) {
        String name = nic.name();
        try {
            Neighbours neighbours = plane.newNeighbours(name);
            // The path knows its link from the start (no late attach to check per frame): frames that arrive
            // while the channel opens may only send into the placeholder, as if they came a moment earlier.
            Link link = new Link(name, new DownChannel(name, 0), nic.mac(), nic.address(), nic.prefixLength(),
                    neighbours, nic.address6Hi(), nic.address6Lo(), nic.prefix6(), nic.linkLocalHi(),
                    nic.linkLocalLo());
            PacketPath path = new PacketPath(plane, link);
            link.channel = packetIo.open(name, filterFor(nic.mac()), path);
            paths.put(link, path);
            plane.addLink(link);
            return null;
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: a PacketIo whose native library is missing must not keep the director from starting
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.error("cannot use interface {}: {}", name, why);
            return why;
        }
    }

    private static void warnIfKernelForwards() {
        try {
            String forward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
            if ("1".equals(forward)) {
                LOG.warn("net.ipv4.ip_forward is 1: the kernel will also forward balanced traffic and break it;"
                        + " set it to 0 on the director");
            }
        } catch (IOException e) {
            // not Linux, or no procfs: nothing to check
        }
    }

    // ---- schedulers and forwarders (whiteboard) ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addScheduler(Scheduler scheduler, Map<String, Object> properties) {
        Object name = properties.get(Scheduler.PROPERTY);
        if (name != null) plane.services.schedulerAdded(name.toString(), scheduler);
    }

    void removeScheduler(Scheduler scheduler, Map<String, Object> properties) {
        Object name = properties.get(Scheduler.PROPERTY);
        if (name != null) plane.services.schedulerRemoved(name.toString(), scheduler, System.nanoTime());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addForwarder(Forwarder forwarder) {
        plane.services.forwarderAdded(forwarder.method(), forwarder);
    }

    void removeForwarder(Forwarder forwarder) {
        plane.services.forwarderRemoved(forwarder.method(), forwarder);
    }

    // ---- net.ipv4.vs.* settings (lvs:sysctl) ----

    /** The VRRP role (the ha bundle): while it is bound, instance addresses are served only in MASTER. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDirectorRole(DirectorRole role) {
        plane.role.bind(role);
    }

    void unbindDirectorRole(DirectorRole role) {
        plane.role.unbind(role);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSysctls(SysctlComponent sysctls) {
        plane.sysctls = sysctls.values;
    }

    void unbindSysctls(SysctlComponent sysctls) {
        if (plane.sysctls == sysctls.values) plane.sysctls = new Sysctls();
    }

    // ---- configuration listeners (whiteboard) ----

    /** Told after each configuration change, outside the table's lock (the config bundle persists changes). */
    private final List<VirtualServerListener> listeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(VirtualServerListener listener) {
        listeners.add(listener);
    }

    void removeListener(VirtualServerListener listener) {
        listeners.remove(listener);
    }

    private void changed(ServiceKey key) {
        for (VirtualServerListener listener : listeners) {
            try {
                listener.changed(key);
            } catch (RuntimeException e) {
                // the change itself is applied: a failing listener must not make it look refused
                LOG.warn("configuration listener {} failed on {}", listener, key, e);
            }
        }
    }

    // ---- VirtualServerTable ----

    // Each change tells the listeners once it is applied (a refused change throws first and tells nobody).
    @Override public void addService(ServiceConfig config) { plane.services.addService(config); changed(config.key()); }
    @Override public void editService(ServiceConfig config) { plane.services.editService(config); changed(config.key()); }
    @Override public void deleteService(ServiceKey key) { plane.services.deleteService(key); changed(key); }
    @Override public void clear() { plane.services.clear(); changed(null); }
    @Override public void addServer(ServiceKey service, ServerConfig server) { plane.services.addServer(service, server); changed(service); }
    @Override public void editServer(ServiceKey service, ServerConfig server) { plane.services.editServer(service, server); changed(service); }
    @Override public void deleteServer(ServiceKey service, int address, int port) { plane.services.deleteServer(service, address, port); changed(service); }
    @Override public void deleteServer(ServiceKey service, org.jlvs.api.Ip6Address address, int port) { plane.services.deleteServer(service, address, port); changed(service); }
    @Override public List<ServiceInfo> list() { return plane.services.list(); }
    @Override public ServiceInfo get(ServiceKey key) { return plane.services.get(key); }
    @Override public void zero(ServiceKey key) { plane.services.zero(key); }
    @Override public void setMarkRules(List<org.jlvs.api.MarkRule> rules) { plane.services.setMarkRules(rules); changed(null); }
    @Override public List<org.jlvs.api.MarkRule> markRules() { return plane.services.markRules(); }
    @Override public Set<String> schedulers() { return plane.services.schedulerNames(); }
    @Override public Set<ForwardMethod> forwardMethods() { return plane.services.forwardMethods(); }
    @Override public Map<String, Long> dataPathCounters() { return plane.counters(); }
    @Override public Map<String, String> dataPathDown() { return dataPathDown; }

    // ---- ConnectionTable ----

    @Override public long size() { return plane.conns.size() + plane.conns6.size(); } // templates are entries too, as in IPVS

    /** The connection table's cap, as configured. */
    int maxConnections() { return plane.conns.maxEntries(); }

    /** The settings in use. */
    CoreSettings settings() { return settings; }

    /** The connections and the persistence templates among them, as IPVS lists them. */
    @Override
    public long forEach(Predicate<ConnectionInfo> filter, long limit, Consumer<ConnectionInfo> sink) {
        long passed = plane.conns.forEach(filter, limit, sink);
        return passed + plane.conns6.forEach(filter, limit - passed, sink);
    }

    @Override public int[] timeouts() { return plane.conns.timeouts(); }
    @Override public void setTimeouts(int tcp, int tcpFin, int udp) { plane.conns.setTimeouts(tcp, tcpFin, udp); }

    // ---- ConnectionSync (the sync bundle's master feed and backup installs) ----

    @Override public void attach(SyncFeed feed) { sync.attach(feed); }
    @Override public void detach(SyncFeed feed) { sync.detach(feed); }
    @Override public InstallResult install(SyncEntry e) { return sync.install(e); }
    @Override public long snapshot(SyncEntry into, SyncEntrySink sink) { return sync.snapshot(into, sink); }
    @Override public long entries() { return sync.entries(); }
}
