package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.LvsException;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual services with ipvsadm's semantics, and the schedulers and forwarders installed now. Changes are
 * serialised on this object; the data path reads only the published {@link ServiceIndex}, each service's
 * immutable real-server list and the forwarder array, without locks.
 */
final class ServiceTable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceTable.class);

    private final Map<ServiceKey, Service> services = new HashMap<>();
    private volatile ServiceIndex index = ServiceIndex.EMPTY;
    private List<org.jlvs.api.MarkRule> markRules = List.of();
    /** Schedulers by name, in registration order: the first one is bound; the next takes over if it leaves. */
    private final Map<String, List<Scheduler>> schedulers = new HashMap<>();
    private final AtomicReferenceArray<Forwarder> forwarders = new AtomicReferenceArray<>(ForwardMethod.values().length);
    private final Consumer<Dest> destAdded;
    private final Consumer<ServiceIndex> indexChanged;

    /**
     * @param destAdded    called for every new real server (the director resolves its next hop)
     * @param indexChanged called with each newly published index (the director announces new VIPs)
     */
    ServiceTable(Consumer<Dest> destAdded, Consumer<ServiceIndex> indexChanged) {
        this.destAdded = destAdded;
        this.indexChanged = indexChanged;
    }

    ServiceIndex index() { return index; }

    Forwarder forwarder(ForwardMethod method) { return forwarders.get(method.ordinal()); }

    // ---- configuration ----

    synchronized void addService(ServiceConfig config) {
        Scheduler scheduler = requireScheduler(config.scheduler());
        if (services.containsKey(config.key())) throw new LvsException("Service already exists: " + config.key());
        Service s = new Service(config);
        s.bind(scheduler);
        services.put(config.key(), s);
        publish();
        LOG.info("added service {} ({})", config.key(), config.scheduler());
    }

    synchronized void editService(ServiceConfig config) {
        Service s = require(config.key());
        String oldName = s.config().scheduler();
        if (!oldName.equals(config.scheduler())) {
            Scheduler scheduler = requireScheduler(config.scheduler());
            s.setConfig(config);
            s.bind(scheduler); // established connections keep their real servers; only new ones see it
        } else {
            s.setConfig(config);
            s.notifyScheduler();
        }
        LOG.info("edited service {} ({})", config.key(), config.scheduler());
    }

    synchronized void deleteService(ServiceKey key) {
        Service s = require(key);
        services.remove(key);
        s.bind(null);
        for (Dest d : s.realServers()) d.deleted = true;
        publish();
        LOG.info("deleted service {}", key);
    }

    synchronized void clear() {
        for (Service s : services.values()) {
            s.bind(null);
            for (Dest d : s.realServers()) d.deleted = true;
        }
        services.clear();
        publish();
        LOG.info("cleared all services");
    }

    synchronized void addServer(ServiceKey key, ServerConfig config) {
        Service s = require(key);
        requireFamily(key, config);
        if (s.find(config) != null) {
            throw new LvsException("Destination already exists: " + config.endpoint() + " in " + key);
        }
        requireForwarder(config.method());
        requireServicePort(key, config);
        requireThresholds(key, config);
        Dest d = new Dest(config);
        destAdded.accept(d);
        s.addDest(d);
        LOG.info("added real server {} to {} ({}, weight {})", config.endpoint(), key, config.method().label(),
                config.weight());
    }

    synchronized void editServer(ServiceKey key, ServerConfig config) {
        Service s = require(key);
        requireFamily(key, config);
        Dest d = s.find(config);
        if (d == null) throw new LvsException("No such destination: " + config.endpoint() + " in " + key);
        // a changed weight or threshold keeps working while the server's forwarder bundle is away (updated or
        // reinstalled): the health monitor quiesces such a server; only a new method needs its forwarder
        if (config.method() != d.config().method()) requireForwarder(config.method());
        requireServicePort(key, config);
        requireThresholds(key, config);
        d.update(config);
        s.notifyScheduler();
        LOG.info("edited real server {} of {} (weight {})", config.endpoint(), key, config.weight());
    }

    /** Removes a real server; its established connections keep it until they end (as IPVS's trash list). */
    synchronized void deleteServer(ServiceKey key, int address, int port) {
        Service s = require(key);
        Dest d = s.find(address, port);
        if (d == null) {
            throw new LvsException("No such destination: " + org.jlvs.api.Ip4.toString(address, port) + " in " + key);
        }
        remove(s, d, key);
    }

    /** Removes an IPv6 real server, as {@link #deleteServer(ServiceKey, int, int)}. */
    synchronized void deleteServer(ServiceKey key, Ip6Address address, int port) {
        Service s = require(key);
        Dest d = s.find6(address, port);
        if (d == null) throw new LvsException("No such destination: " + address.toString(port) + " in " + key);
        remove(s, d, key);
    }

    private static void remove(Service s, Dest d, ServiceKey key) {
        s.removeDest(d);
        d.deleted = true;
        LOG.info("deleted real server {} from {}", d, key);
    }

    /**
     * A service balances to servers of its own family. IPVS mixes families only for tunnels (an IPv4 outer
     * header around an IPv6 packet and the reverse), which jlvs does not support yet.
     */
    private static void requireFamily(ServiceKey key, ServerConfig config) {
        boolean v6 = key.isIpv6();
        if (config.isIpv6() != v6) {
            String family = v6 ? "IPv6" : "IPv4";
            throw new LvsException("real server " + config.endpoint() + " in " + key + ": an " + family
                    + " service takes " + family + " real servers (IPVS mixes families only for tunnels;"
                    + " mixed tunnels are not supported yet)");
        }
    }

    synchronized List<ServiceInfo> list() {
        List<Service> sorted = new ArrayList<>(services.values());
        sorted.sort((a, b) -> a.key().compareTo(b.key()));
        List<ServiceInfo> out = new ArrayList<>(sorted.size());
        for (Service s : sorted) out.add(info(s));
        return out;
    }

    synchronized ServiceInfo get(ServiceKey key) {
        Service s = services.get(key);
        return s == null ? null : info(s);
    }

    synchronized void zero(ServiceKey key) {
        if (key != null) {
            zero(require(key));
        } else {
            for (Service s : services.values()) zero(s);
        }
    }

    private static void zero(Service s) {
        s.stats.zero();
        for (Dest d : s.realServers()) d.stats.zero();
    }

    synchronized List<Service> services() {
        return new ArrayList<>(services.values());
    }

    private static ServiceInfo info(Service s) {
        List<ServerInfo> servers = new ArrayList<>();
        for (Dest d : s.realServers()) {
            servers.add(new ServerInfo(d.config(), d.activeConns(), d.inactiveConns(), d.persistentConns(),
                    d.overloaded(), d.stats.snapshot()));
        }
        return new ServiceInfo(s.config(), s.binding != null && !s.orphaned(), Collections.unmodifiableList(servers),
                s.stats.snapshot());
    }

    private Service require(ServiceKey key) {
        Service s = services.get(key);
        if (s == null) throw new LvsException("No such service: " + key);
        return s;
    }

    private Scheduler requireScheduler(String name) {
        List<Scheduler> list = schedulers.get(name);
        if (list == null || list.isEmpty()) {
            throw new LvsException("unknown scheduler '" + name + "': installed are " + String.join(", ", schedulerNames()));
        }
        return list.get(0);
    }

    private void requireForwarder(ForwardMethod method) {
        if (forwarders.get(method.ordinal()) == null) {
            throw new LvsException("forwarding method " + method.label() + " (" + method.ipvsadmFlag()
                    + ") is not installed: install the jlvs-forward-" + method.id().replace("masq", "nat")
                    .replace("route", "dr").replace("tunnel", "tun") + " feature");
        }
    }

    /**
     * Direct routing and tunnelling deliver the client's packet unchanged, so the real server listens on the
     * service's port: ipvsadm gives such servers the service's port; here a different one is refused.
     */
    private static void requireServicePort(ServiceKey key, ServerConfig config) {
        if (config.method() != ForwardMethod.MASQ && config.port() != key.port()) {
            throw new LvsException("real server " + config.endpoint() + ": with " + config.method().label() + " ("
                    + config.method().ipvsadmFlag() + ") the real server's port must be the service's port "
                    + key.port());
        }
    }

    /**
     * ip_vs_add_dest and ip_vs_edit_dest refuse a lower threshold above the upper one with ERANGE (an upper
     * threshold of 0, "none", included), so every front end (shell, ipvsadm, files, import) gets the refusal.
     */
    private static void requireThresholds(ServiceKey key, ServerConfig config) {
        if (config.lowerThreshold() > config.upperThreshold()) {
            throw new LvsException("real server " + config.endpoint() + " in " + key + ": lower threshold (-y) "
                    + config.lowerThreshold() + " is larger than upper threshold (-x) " + config.upperThreshold());
        }
    }

    /** Replaces the mark rules as a whole, after {@link MarkRules#check} accepted them. */
    synchronized void setMarkRules(List<org.jlvs.api.MarkRule> rules) {
        List<org.jlvs.api.MarkRule> checked = MarkRules.check(rules);
        markRules = checked;
        publish();
        LOG.info("mark rules: {} in force", checked.size());
    }

    synchronized List<org.jlvs.api.MarkRule> markRules() {
        return markRules;
    }

    private void publish() {
        ServiceIndex next = new ServiceIndex(services.values(), markRules);
        index = next;
        indexChanged.accept(next);
    }

    // ---- schedulers and forwarders come and go ----

    synchronized Set<String> schedulerNames() {
        Set<String> names = new TreeSet<>();
        schedulers.forEach((name, list) -> {
            if (!list.isEmpty()) names.add(name);
        });
        return names;
    }

    synchronized void schedulerAdded(String name, Scheduler scheduler) {
        List<Scheduler> list = schedulers.computeIfAbsent(name, n -> new ArrayList<>());
        list.add(scheduler);
        if (list.get(0) != scheduler) return;
        for (Service s : services.values()) {
            if ((s.scheduler == null || s.orphaned()) && s.schedulerName().equals(name)) {
                boolean wasRefusing = s.scheduler == null;
                s.bind(scheduler);
                if (wasRefusing) {
                    LOG.info("scheduler {} is back: service {} accepts new connections again", name, s.key());
                }
            }
        }
    }

    /**
     * A scheduler service left. Services bound to it move to another scheduler of the same name if there is
     * one; otherwise they keep the old binding for {@link #ORPHAN_GRACE_NANOS} (see {@link Service#orphan}).
     */
    synchronized void schedulerRemoved(String name, Scheduler scheduler, long nowNanos) {
        List<Scheduler> list = schedulers.get(name);
        if (list == null || !list.remove(scheduler)) return;
        Scheduler replacement = list.isEmpty() ? null : list.get(0);
        for (Service s : services.values()) {
            if (s.scheduler != scheduler) continue;
            if (replacement != null) s.bind(replacement);
            else s.orphan(nowNanos);
        }
    }

    /** Unbinds the services whose scheduler left and did not come back in time, or was uninstalled. */
    synchronized void dropOrphans(long nowNanos, boolean all) {
        for (Service s : services.values()) {
            if (s.orphaned() && (all || nowNanos - s.orphanedSinceNanos >= ORPHAN_GRACE_NANOS)) {
                String name = s.schedulerName();
                s.bind(null);
                LOG.warn("scheduler {} is gone: new connections to {} are refused until it returns;"
                        + " established connections continue", name, s.key());
            }
        }
    }

    /** How long a departed scheduler's binding keeps serving while an update re-registers it. */
    static final long ORPHAN_GRACE_NANOS = 2_000_000_000L;

    void forwarderAdded(ForwardMethod method, Forwarder forwarder) {
        forwarders.set(method.ordinal(), forwarder);
    }

    void forwarderRemoved(ForwardMethod method, Forwarder forwarder) {
        forwarders.compareAndSet(method.ordinal(), forwarder, null);
    }

    Set<ForwardMethod> forwardMethods() {
        Set<ForwardMethod> set = java.util.EnumSet.noneOf(ForwardMethod.class);
        for (ForwardMethod m : ForwardMethod.values()) {
            if (forwarders.get(m.ordinal()) != null) set.add(m);
        }
        return set;
    }
}
