package org.jlvs.ipvsadm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;

/**
 * One virtual service as configured: its settings and its real servers, without counters. The servers keep
 * the table's order (the order they were added, which decides a scheduler's ties); two definitions are the
 * same configuration when they hold the same servers in any order ({@link #sameAs}).
 */
public record ServiceDef(ServiceConfig config, List<ServerConfig> servers) {
    public ServiceDef {
        if (config == null) throw new IllegalArgumentException("missing service");
        servers = List.copyOf(servers);
        Map<String, ServerConfig> seen = new HashMap<>();
        for (ServerConfig s : servers) {
            if (seen.put(s.endpoint(), s) != null) {
                throw new IllegalArgumentException("real server " + s.endpoint() + " is given twice in " + config.key());
            }
        }
    }

    public static ServiceDef of(ServiceConfig config) {
        return new ServiceDef(config, List.of());
    }

    public static ServiceDef of(ServiceInfo info) {
        List<ServerConfig> servers = new ArrayList<>(info.servers().size());
        for (ServerInfo s : info.servers()) servers.add(s.config());
        return new ServiceDef(info.config(), servers);
    }

    /** The table's services by key, in ipvsadm's order. */
    public static TreeMap<ServiceKey, ServiceDef> of(Collection<ServiceInfo> infos) {
        TreeMap<ServiceKey, ServiceDef> model = new TreeMap<>();
        for (ServiceInfo info : infos) model.put(info.config().key(), of(info));
        return model;
    }

    public ServiceKey key() { return config.key(); }

    /** The IPv4 real server at that address and port, or null. */
    public ServerConfig server(int address, int port) {
        for (ServerConfig s : servers) {
            if (!s.isIpv6() && s.address() == address && s.port() == port) return s;
        }
        return null;
    }

    /** The real server at {@code probe}'s address and port (either family), or null. */
    public ServerConfig server(ServerConfig probe) {
        for (ServerConfig s : servers) {
            if (s.sameEndpoint(probe)) return s;
        }
        return null;
    }

    /** Same settings and the same real servers with the same settings, in whatever order. */
    public boolean sameAs(ServiceDef other) {
        if (other == null || !config.equals(other.config) || servers.size() != other.servers.size()) return false;
        for (ServerConfig s : servers) {
            if (!sameServer(s, other.server(s))) return false;
        }
        return true;
    }

    /**
     * The same real server settings. The tunnel settings of a server that is not tunnelled do not count: the
     * table keeps them (for a later -i) but they do nothing, and ipvsadm's options cannot even state them.
     */
    public static boolean sameServer(ServerConfig a, ServerConfig b) {
        if (a == null || b == null) return a == b;
        if (a.equals(b)) return true;
        return a.method() != ForwardMethod.TUNNEL && a.method() == b.method() && a.sameEndpoint(b) && a.weight() == b.weight() && a.upperThreshold() == b.upperThreshold()
                && a.lowerThreshold() == b.lowerThreshold();
    }

    public ServiceDef withConfig(ServiceConfig newConfig) {
        return new ServiceDef(newConfig, servers);
    }

    /** With {@code server} added at the end, or replacing the one at its address and port in place. */
    public ServiceDef withServer(ServerConfig server) {
        List<ServerConfig> list = new ArrayList<>(servers);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).sameEndpoint(server)) {
                list.set(i, server);
                return new ServiceDef(config, list);
            }
        }
        list.add(server);
        return new ServiceDef(config, list);
    }

    /** Without the IPv4 real server at that address and port. */
    public ServiceDef withoutServer(int address, int port) {
        List<ServerConfig> list = new ArrayList<>(servers);
        list.removeIf(s -> !s.isIpv6() && s.address() == address && s.port() == port);
        return new ServiceDef(config, list);
    }

    /** Without the real server at {@code probe}'s address and port (either family). */
    public ServiceDef withoutServer(ServerConfig probe) {
        List<ServerConfig> list = new ArrayList<>(servers);
        list.removeIf(s -> s.sameEndpoint(probe));
        return new ServiceDef(config, list);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(config.key().toString()).append(' ').append(config.scheduler());
        for (ServerConfig s : servers) out.append(' ').append(s.endpoint());
        return out.toString();
    }
}
