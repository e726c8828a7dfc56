package org.jlvs.ipvsadm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.api.VirtualServerTable;

/**
 * A VirtualServerTable in maps with the core's refusals, that logs every change it applied ("add-service TCP
 * 10.0.0.1:80", "edit-server TCP 10.0.0.1:80 10.0.0.2:80") and tells its listeners as the core does.
 */
public class FakeTable implements VirtualServerTable {
    public final Map<ServiceKey, ServiceConfig> services = new TreeMap<>();
    public final Map<ServiceKey, List<ServerConfig>> servers = new TreeMap<>();
    public final Map<ServiceKey, Stats> stats = new TreeMap<>();
    /** Per real server (by "a.b.c.d:port"): counters and {active, inactive, persistent} connection counts. */
    public final Map<String, Stats> serverStats = new TreeMap<>();
    public final Map<String, int[]> serverConns = new TreeMap<>();
    public final Set<String> schedulers = new TreeSet<>(Set.of("rr", "wlc", "wrr", "sh", "mh", "lc"));
    public final Set<ForwardMethod> methods = EnumSet.allOf(ForwardMethod.class);
    public final List<String> log = new ArrayList<>();
    public final List<VirtualServerListener> listeners = new ArrayList<>();
    /** When set, this change is refused (to test undoing). */
    String refuse;

    @Override
    public synchronized void addService(ServiceConfig config) {
        if (services.containsKey(config.key())) throw new LvsException("Service already exists: " + config.key());
        if (!schedulers.contains(config.scheduler())) throw new LvsException("unknown scheduler " + config.scheduler());
        change("add-service " + config.key());
        services.put(config.key(), config);
        servers.put(config.key(), new ArrayList<>());
        tell(config.key());
    }

    @Override
    public synchronized void editService(ServiceConfig config) {
        need(config.key());
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
        if (find(service, server.address(), server.port()) >= 0) throw new LvsException("Destination already exists");
        if (!methods.contains(server.method())) throw new LvsException("no forwarder " + server.method());
        change("add-server " + service + " " + server.endpoint());
        servers.get(service).add(server);
        tell(service);
    }

    @Override
    public synchronized void editServer(ServiceKey service, ServerConfig server) {
        need(service);
        int i = find(service, server.address(), server.port());
        if (i < 0) throw new LvsException("No such destination");
        change("edit-server " + service + " " + server.endpoint());
        servers.get(service).set(i, server);
        tell(service);
    }

    @Override
    public synchronized void deleteServer(ServiceKey service, int address, int port) {
        need(service);
        int i = find(service, address, port);
        if (i < 0) throw new LvsException("No such destination");
        change("delete-server " + service + " " + servers.get(service).get(i).endpoint());
        servers.get(service).remove(i);
        tell(service);
    }

    private void change(String what) {
        if (what.equals(refuse)) throw new LvsException("refused: " + what);
        log.add(what);
    }

    private void tell(ServiceKey key) {
        for (VirtualServerListener l : listeners) l.changed(key);
    }

    private void need(ServiceKey key) {
        if (!services.containsKey(key)) throw new LvsException("No such service: " + key);
    }

    private int find(ServiceKey key, int address, int port) {
        List<ServerConfig> list = servers.get(key);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).address() == address && list.get(i).port() == port) return i;
        }
        return -1;
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
        return new ServiceInfo(config, true, list, stats.getOrDefault(key, Stats.ZERO));
    }

    @Override
    public synchronized void zero(ServiceKey key) {
        log.add("zero " + (key == null ? "all" : key));
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
    public Map<String, Long> dataPathCounters() {
        return new LinkedHashMap<>();
    }
}
