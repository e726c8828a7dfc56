package org.jlvs.shell.internal.commands;

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
import org.jlvs.api.VirtualServerTable;

/** A VirtualServerTable kept in maps, with ipvsadm's refusals, counting the changes it applied. */
public class FakeTable implements VirtualServerTable {
    public final Map<ServiceKey, ServiceConfig> services = new TreeMap<>();
    public final Map<ServiceKey, List<ServerConfig>> servers = new TreeMap<>();
    public final Set<String> schedulers = new TreeSet<>(Set.of("rr", "wlc"));
    public final Set<ForwardMethod> methods = EnumSet.of(ForwardMethod.MASQ);
    public final Map<String, Long> counters = new LinkedHashMap<>();
    public final Map<String, String> down = new LinkedHashMap<>();
    public int changes;
    public ServiceKey zeroed;

    @Override
    public void addService(ServiceConfig config) {
        if (services.containsKey(config.key())) throw new LvsException("Service already exists");
        services.put(config.key(), config);
        servers.put(config.key(), new ArrayList<>());
        changes++;
    }

    @Override
    public void editService(ServiceConfig config) {
        need(config.key());
        services.put(config.key(), config);
        changes++;
    }

    @Override
    public void deleteService(ServiceKey key) {
        need(key);
        services.remove(key);
        servers.remove(key);
        changes++;
    }

    @Override
    public void clear() {
        services.clear();
        servers.clear();
        changes++;
    }

    @Override
    public void addServer(ServiceKey service, ServerConfig server) {
        need(service);
        if (find(service, server.address(), server.port()) >= 0) throw new LvsException("Destination already exists");
        servers.get(service).add(server);
        changes++;
    }

    @Override
    public void editServer(ServiceKey service, ServerConfig server) {
        need(service);
        int i = find(service, server.address(), server.port());
        if (i < 0) throw new LvsException("No such destination");
        servers.get(service).set(i, server);
        changes++;
    }

    @Override
    public void deleteServer(ServiceKey service, int address, int port) {
        need(service);
        int i = find(service, address, port);
        if (i < 0) throw new LvsException("No such destination");
        servers.get(service).remove(i);
        changes++;
    }

    @Override
    public List<ServiceInfo> list() {
        List<ServiceInfo> all = new ArrayList<>();
        for (ServiceKey key : services.keySet()) all.add(get(key));
        return all;
    }

    @Override
    public ServiceInfo get(ServiceKey key) {
        ServiceConfig config = services.get(key);
        if (config == null) return null;
        List<ServerInfo> infos = new ArrayList<>();
        for (ServerConfig s : servers.get(key)) infos.add(new ServerInfo(s, 0, 0, 0, false, Stats.ZERO));
        return new ServiceInfo(config, schedulers.contains(config.scheduler()), infos, Stats.ZERO);
    }

    @Override
    public void zero(ServiceKey key) {
        zeroed = key;
        changes++;
    }

    @Override
    public Set<String> schedulers() { return schedulers; }

    @Override
    public Set<ForwardMethod> forwardMethods() { return methods; }

    @Override
    public Map<String, Long> dataPathCounters() { return counters; }

    @Override
    public Map<String, String> dataPathDown() { return down; }

    public ServerConfig server(ServiceKey key, int index) {
        return servers.get(key).get(index);
    }

    private void need(ServiceKey key) {
        if (!services.containsKey(key)) throw new LvsException("No such service");
    }

    private int find(ServiceKey service, int address, int port) {
        List<ServerConfig> list = servers.get(service);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).address() == address && list.get(i).port() == port) return i;
        }
        return -1;
    }
}
