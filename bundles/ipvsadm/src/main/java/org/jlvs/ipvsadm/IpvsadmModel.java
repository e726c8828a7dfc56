package org.jlvs.ipvsadm;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;

/**
 * The changing ipvsadm commands (-A -E -D -C -a -e -d) played on a copy of the configuration, with the
 * kernel's refusals in libipvs's words ("Service already exists", "No such destination", ...). A script or a
 * restore file is played here completely before the table sees any of it, so it applies all or nothing; the
 * services it touched are then brought to their final state by {@link TableUpdate}, which leaves services that
 * end as they began alone, even across a -C.
 */
public final class IpvsadmModel {
    private final TreeMap<ServiceKey, ServiceDef> services;
    private final Set<ServiceKey> touched = new TreeSet<>();
    private final Set<String> schedulers;
    private final Set<ForwardMethod> methods;

    /**
     * @param start      the configuration to start from (copied)
     * @param schedulers the schedulers installed, for -A and -E
     * @param methods    the forwarding methods installed, for -a and -e
     */
    public IpvsadmModel(Map<ServiceKey, ServiceDef> start, Set<String> schedulers, Set<ForwardMethod> methods) {
        this.services = new TreeMap<>(start);
        this.schedulers = schedulers;
        this.methods = methods;
    }

    /** Plays one changing command; throws LvsException (the kernel's answer) or IllegalArgumentException. */
    public void apply(IpvsadmArgs a) {
        switch (a.cmd()) {
            case ADD -> {
                ServiceConfig config = a.serviceConfig();
                if (services.containsKey(config.key())) throw new LvsException("Service already exists");
                requireScheduler(config.scheduler());
                put(ServiceDef.of(config));
            }
            case EDIT -> {
                ServiceConfig config = a.serviceConfig();
                ServiceDef current = services.get(config.key());
                if (current == null) throw new LvsException("No such service");
                requireScheduler(config.scheduler());
                put(current.withConfig(config));
            }
            case DEL -> {
                if (services.remove(a.service()) == null) throw new LvsException("No such service");
                touched.add(a.service());
            }
            case FLUSH -> {
                touched.addAll(services.keySet());
                services.clear();
            }
            case ADDDEST -> {
                ServiceDef current = services.get(a.service());
                if (current == null) throw new LvsException("Service not defined");
                ServerConfig server = a.serverConfig();
                requireFamily(current.key(), server);
                if (current.server(server) != null) throw new LvsException("Destination already exists");
                requireForwarder(server.method());
                put(current.withServer(server));
            }
            case EDITDEST -> {
                ServiceDef current = services.get(a.service());
                if (current == null) throw new LvsException("Service not defined");
                ServerConfig server = a.serverConfig();
                requireFamily(current.key(), server);
                if (current.server(server) == null) throw new LvsException("No such destination");
                requireForwarder(server.method());
                put(current.withServer(server));
            }
            case DELDEST -> {
                ServiceDef current = services.get(a.service());
                if (current == null) throw new LvsException("Service not defined");
                ServerConfig server = a.serverConfig();
                if (current.server(server) == null) throw new LvsException("No such destination");
                put(current.withoutServer(server));
            }
            default -> throw new IllegalArgumentException("not a changing command: " + a.cmd());
        }
    }

    private void put(ServiceDef def) {
        services.put(def.key(), def);
        touched.add(def.key());
    }

    /** As the core: a service's real servers are of its family (LvsException in the core's words). */
    public static void requireFamily(ServiceKey service, ServerConfig server) {
        if (service.isIpv6() && !server.isIpv6()) throw new LvsException("an IPv6 service takes IPv6 real servers");
        if (!service.isIpv6() && server.isIpv6()) throw new LvsException("an IPv4 service takes IPv4 real servers");
    }

    private void requireScheduler(String name) {
        if (schedulers.contains(name)) return;
        try {
            IpvsadmOptions.requireScheduler(schedulers, name);
        } catch (IllegalArgumentException e) {
            throw new NotInstalledException("Scheduler or persistence engine not found (" + e.getMessage() + ")");
        }
    }

    private void requireForwarder(ForwardMethod method) {
        try {
            IpvsadmOptions.requireForwarder(methods, method);
        } catch (IllegalArgumentException e) {
            throw new NotInstalledException(e.getMessage());
        }
    }

    /** The configuration after the commands played so far. */
    public Map<ServiceKey, ServiceDef> services() {
        return services;
    }

    /** The services a command added, changed or deleted (a -C touches every service there was). */
    public Set<ServiceKey> touched() {
        return touched;
    }
}
