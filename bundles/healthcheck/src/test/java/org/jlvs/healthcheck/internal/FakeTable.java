package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.jlvs.api.VirtualServerTable;

/** The virtual-server table with ipvsadm's refusals, in memory, counting the changes made to it. */
final class FakeTable implements VirtualServerTable {
    final Map<ServiceKey, ServiceConfig> services = new TreeMap<>();
    final Map<ServiceKey, Map<Long, ServerConfig>> servers = new TreeMap<>();
    final List<String> changes = new ArrayList<>();

    private static long id(int a, int p) { return ((a & 0xffffffffL) << 16) | p; }

    @Override
    public void addService(ServiceConfig config) {
        if (services.containsKey(config.key())) throw new LvsException("Service already exists");
        services.put(config.key(), config);
        servers.put(config.key(), new LinkedHashMap<>());
    }

    @Override public void editService(ServiceConfig config) { require(config.key()); services.put(config.key(), config); }

    @Override
    public void deleteService(ServiceKey key) {
        require(key);
        services.remove(key);
        servers.remove(key);
    }

    @Override public void clear() { services.clear(); servers.clear(); }

    @Override
    public void addServer(ServiceKey service, ServerConfig server) {
        Map<Long, ServerConfig> m = require(service);
        if (m.containsKey(id(server.address(), server.port()))) throw new LvsException("Destination already exists");
        m.put(id(server.address(), server.port()), server);
        changes.add("add " + server.endpoint() + " w" + server.weight());
    }

    @Override
    public void editServer(ServiceKey service, ServerConfig server) {
        Map<Long, ServerConfig> m = require(service);
        if (!m.containsKey(id(server.address(), server.port()))) throw new LvsException("No such destination");
        m.put(id(server.address(), server.port()), server);
        changes.add("edit " + server.endpoint() + " w" + server.weight());
    }

    @Override
    public void deleteServer(ServiceKey service, int address, int port) {
        Map<Long, ServerConfig> m = require(service);
        ServerConfig old = m.remove(id(address, port));
        if (old == null) throw new LvsException("No such destination");
        changes.add("delete " + old.endpoint());
    }

    private Map<Long, ServerConfig> require(ServiceKey key) {
        Map<Long, ServerConfig> m = servers.get(key);
        if (m == null) throw new LvsException("No such service");
        return m;
    }

    @Override
    public List<ServiceInfo> list() {
        List<ServiceInfo> out = new ArrayList<>();
        for (ServiceKey k : services.keySet()) out.add(get(k));
        return out;
    }

    @Override
    public ServiceInfo get(ServiceKey key) {
        ServiceConfig c = services.get(key);
        if (c == null) return null;
        List<ServerInfo> list = new ArrayList<>();
        for (ServerConfig s : servers.get(key).values()) list.add(new ServerInfo(s, 0, 0, 0, false, Stats.ZERO));
        return new ServiceInfo(c, true, list, Stats.ZERO);
    }

    /** The server's configuration in the table, or null. */
    ServerConfig server(ServiceKey key, int address, int port) {
        Map<Long, ServerConfig> m = servers.get(key);
        return m == null ? null : m.get(id(address, port));
    }

    @Override public void zero(ServiceKey key) {}
    @Override public Set<String> schedulers() { return Set.of("rr"); }
    @Override public Set<ForwardMethod> forwardMethods() { return Set.of(ForwardMethod.MASQ); }
    @Override public Map<String, Long> dataPathCounters() { return Map.of(); }
}
