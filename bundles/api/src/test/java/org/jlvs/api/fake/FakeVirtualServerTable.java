package org.jlvs.api.fake;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.LvsException;
import org.jlvs.api.MarkRule;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.api.VirtualServerTable;

/**
 * A VirtualServerTable kept in maps with the core's refusals in the core's words (duplicate or missing service
 * or destination, unknown scheduler, no forwarder for the method, a DR/TUN server on another port, -y above -x),
 * that keeps the mark rules, tells its listeners as the core does and records what it applied. A refused change
 * changes nothing and is not recorded. The schedulers and forwarding methods "installed" are the public sets a
 * test may change ({@link #installOnly}).
 */
public class FakeVirtualServerTable implements VirtualServerTable {
    public final Map<ServiceKey, ServiceConfig> services = new TreeMap<>();
    /** Each service's real servers in the order they were added; an edit keeps the place. */
    public final Map<ServiceKey, List<ServerConfig>> servers = new TreeMap<>();
    public final Map<ServiceKey, Stats> stats = new TreeMap<>();
    /** Per real server (by "a.b.c.d:port" or "[v6]:port"): counters and {active, inactive, persistent} connection counts. */
    public final Map<String, Stats> serverStats = new TreeMap<>();
    public final Map<String, int[]> serverConns = new TreeMap<>();
    public final Set<String> schedulers = new TreeSet<>(Set.of("rr", "wlc", "wrr", "sh", "mh", "lc"));
    public final Set<ForwardMethod> methods = EnumSet.allOf(ForwardMethod.class);
    public final Map<String, Long> counters = new LinkedHashMap<>();
    public final Map<String, String> down = new LinkedHashMap<>();
    public final List<VirtualServerListener> listeners = new ArrayList<>();
    /** Every change applied, in order: "add-service TCP 10.0.0.1:80", "edit-server TCP 10.0.0.1:80 10.0.0.2:80", "zero all". */
    public final List<String> log = new ArrayList<>();
    /** The real-server changes applied, with the weight: "add 10.0.1.1:8080 w1", "edit 10.0.1.1:8080 w0", "delete 10.0.1.1:8080". */
    public final List<String> changes = new ArrayList<>();
    /** The service last zeroed (null: all). */
    public ServiceKey zeroed;
    /** When set, the change with this log text is refused (to test undoing). */
    public String refuse;
    private List<MarkRule> markRules = List.of();
    private static final Map<ForwardMethod, String> FORWARD_FEATURES = Map.of(
            ForwardMethod.MASQ, "nat", ForwardMethod.ROUTE, "dr", ForwardMethod.TUNNEL, "tun");

    /** Leaves only these schedulers and forwarding methods installed (as a director with just those bundles). */
    public synchronized FakeVirtualServerTable installOnly(Set<String> schedulerNames, ForwardMethod... forwardMethods) {
        schedulers.clear();
        schedulers.addAll(schedulerNames);
        methods.clear();
        methods.addAll(List.of(forwardMethods));
        return this;
    }

    /** How many changes were applied (zeroing counts). */
    public synchronized int changeCount() {
        return log.size();
    }

    @Override
    public synchronized void addService(ServiceConfig config) {
        requireScheduler(config.scheduler());
        if (services.containsKey(config.key())) throw new LvsException("Service already exists: " + config.key());
        change("add-service " + config.key());
        services.put(config.key(), config);
        servers.put(config.key(), new ArrayList<>());
        tell(config.key());
    }

    @Override
    public synchronized void editService(ServiceConfig config) {
        ServiceConfig old = need(config.key());
        if (!old.scheduler().equals(config.scheduler())) requireScheduler(config.scheduler());
        change("edit-service " + config.key());
        services.put(config.key(), config);
        tell(config.key());
    }

    @Override
    public synchronized void deleteService(ServiceKey key) {
        need(key);
        change("delete-service " + key);
        services.remove(key);
        servers.remove(key);
        tell(key);
    }

    @Override
    public synchronized void clear() {
        change("clear");
        services.clear();
        servers.clear();
        tell(null);
    }

    @Override
    public synchronized void addServer(ServiceKey service, ServerConfig server) {
        need(service);
        requireFamily(service, server);
        if (find(service, server) >= 0) {
            throw new LvsException("Destination already exists: " + server.endpoint() + " in " + service);
        }
        requireServer(service, server, null);
        change("add-server " + service + " " + server.endpoint());
        servers.get(service).add(server);
        changes.add("add " + server.endpoint() + " w" + server.weight());
        tell(service);
    }

    @Override
    public synchronized void editServer(ServiceKey service, ServerConfig server) {
        need(service);
        requireFamily(service, server);
        int i = find(service, server);
        if (i < 0) throw new LvsException("No such destination: " + server.endpoint() + " in " + service);
        requireServer(service, server, servers.get(service).get(i).method());
        change("edit-server " + service + " " + server.endpoint());
        servers.get(service).set(i, server);
        changes.add("edit " + server.endpoint() + " w" + server.weight());
        tell(service);
    }

    @Override
    public synchronized void deleteServer(ServiceKey service, int address, int port) {
        need(service);
        int i = find(service, address, port);
        if (i < 0) throw new LvsException("No such destination: " + Ip4.toString(address, port) + " in " + service);
        delete(service, i);
    }

    @Override
    public synchronized void deleteServer(ServiceKey service, Ip6Address address, int port) {
        need(service);
        int i = find(service, address, port);
        if (i < 0) throw new LvsException("No such destination: " + address.toString(port) + " in " + service);
        delete(service, i);
    }

    private void delete(ServiceKey service, int i) {
        ServerConfig old = servers.get(service).get(i);
        change("delete-server " + service + " " + old.endpoint());
        servers.get(service).remove(i);
        changes.add("delete " + old.endpoint());
        tell(service);
    }

    /** The real server's configuration in the table, or null. */
    public synchronized ServerConfig server(ServiceKey key, int address, int port) {
        int i = servers.containsKey(key) ? find(key, address, port) : -1;
        return i < 0 ? null : servers.get(key).get(i);
    }

    /** The IPv6 real server's configuration in the table, or null. */
    public synchronized ServerConfig server(ServiceKey key, Ip6Address address, int port) {
        int i = servers.containsKey(key) ? find(key, address, port) : -1;
        return i < 0 ? null : servers.get(key).get(i);
    }

    /** The service's index-th real server, in the order they were added. */
    public synchronized ServerConfig server(ServiceKey key, int index) {
        return servers.get(key).get(index);
    }

    @Override
    public synchronized List<ServiceInfo> list() {
        List<ServiceInfo> out = new ArrayList<>();
        for (ServiceKey key : services.keySet()) out.add(get(key));
        return out;
    }

    @Override
    public synchronized ServiceInfo get(ServiceKey key) {
        ServiceConfig config = services.get(key);
        if (config == null) return null;
        List<ServerInfo> list = new ArrayList<>();
        for (ServerConfig s : servers.get(key)) {
            int[] c = serverConns.getOrDefault(s.endpoint(), new int[3]);
            list.add(new ServerInfo(s, c[0], c[1], c[2], false, serverStats.getOrDefault(s.endpoint(), Stats.ZERO)));
        }
        return new ServiceInfo(config, schedulers.contains(config.scheduler()), list, stats.getOrDefault(key, Stats.ZERO));
    }

    @Override
    public synchronized void zero(ServiceKey key) {
        if (key != null) need(key);
        log.add("zero " + (key == null ? "all" : key));
        zeroed = key;
    }

    @Override
    public synchronized Set<String> schedulers() {
        return new TreeSet<>(schedulers);
    }

    @Override
    public synchronized Set<ForwardMethod> forwardMethods() {
        return EnumSet.copyOf(methods);
    }

    @Override
    public synchronized Map<String, Long> dataPathCounters() {
        return new LinkedHashMap<>(counters);
    }

    @Override
    public synchronized Map<String, String> dataPathDown() {
        return new LinkedHashMap<>(down);
    }

    private void change(String what) {
        if (what.equals(refuse)) throw new LvsException("refused: " + what);
        log.add(what);
    }

    private void tell(ServiceKey key) {
        for (VirtualServerListener l : listeners) l.changed(key);
    }

    @Override
    public synchronized void setMarkRules(List<MarkRule> rules) {
        change("mark-rules " + rules.size());
        markRules = List.copyOf(rules);
    }

    @Override
    public synchronized List<MarkRule> markRules() {
        return markRules;
    }

    private ServiceConfig need(ServiceKey key) {
        ServiceConfig config = services.get(key);
        if (config == null) throw new LvsException("No such service: " + key);
        return config;
    }

    private void requireScheduler(String name) {
        if (!schedulers.contains(name)) {
            throw new LvsException("unknown scheduler '" + name + "': installed are " + String.join(", ", schedulers));
        }
    }

    /** The core's checks of a real server: its forwarder installed, the service's port for DR and TUN, -y <= -x. */
    /** As the core: the method must be installed, unless an edit keeps {@code kept}, the server's method. */
    private void requireServer(ServiceKey key, ServerConfig config, ForwardMethod kept) {
        ForwardMethod m = config.method();
        if (m != kept && !methods.contains(m)) {
            throw new LvsException("forwarding method " + m.label() + " (" + m.ipvsadmFlag() + ") is not installed:"
                    + " install the jlvs-forward-" + FORWARD_FEATURES.get(m) + " feature");
        }
        if (m != ForwardMethod.MASQ && config.port() != key.port()) {
            throw new LvsException("real server " + config.endpoint() + ": with " + m.label() + " (" + m.ipvsadmFlag()
                    + ") the real server's port must be the service's port " + key.port());
        }
        if (config.lowerThreshold() > config.upperThreshold()) {
            throw new LvsException("real server " + config.endpoint() + " in " + key + ": lower threshold (-y) "
                    + config.lowerThreshold() + " is larger than upper threshold (-x) " + config.upperThreshold());
        }
    }

    /** As the core: a service's real servers are of its family (an IPv6 server's fold is no IPv4 address). */
    private static void requireFamily(ServiceKey key, ServerConfig server) {
        if (key.isIpv6() && !server.isIpv6()) throw new LvsException("an IPv6 service takes IPv6 real servers");
        if (!key.isIpv6() && server.isIpv6()) throw new LvsException("an IPv4 service takes IPv4 real servers");
    }

    private int find(ServiceKey key, ServerConfig server) {
        return server.isIpv6() ? find(key, server.address6(), server.port()) : find(key, server.address(), server.port());
    }

    /** An IPv4 real server by address and port (an IPv6 server's fold never matches). */
    private int find(ServiceKey key, int address, int port) {
        List<ServerConfig> list = servers.get(key);
        for (int i = 0; i < list.size(); i++) {
            ServerConfig s = list.get(i);
            if (!s.isIpv6() && s.address() == address && s.port() == port) return i;
        }
        return -1;
    }

    /** An IPv6 real server by its address and port. */
    private int find(ServiceKey key, Ip6Address address, int port) {
        List<ServerConfig> list = servers.get(key);
        for (int i = 0; i < list.size(); i++) {
            ServerConfig s = list.get(i);
            if (address.equals(s.address6()) && s.port() == port) return i;
        }
        return -1;
    }
}
