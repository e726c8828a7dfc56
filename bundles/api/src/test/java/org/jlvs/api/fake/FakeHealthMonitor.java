package org.jlvs.api.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;

/**
 * A HealthMonitor that keeps the checks and quorums it is given, refusing in the monitor's words a type it has no
 * checker for, a duplicate check and the removal of checks a server does not have, and records the calls. Every check reads UP; a test sets what
 * {@link #service} answers in {@link #health}.
 */
public class FakeHealthMonitor implements HealthMonitor {
    public final List<CheckSpec> checks = new ArrayList<>();
    public final Map<ServiceKey, QuorumConfig> quorums = new LinkedHashMap<>();
    /** Each removeChecks call: "TCP 10.0.0.1:80 10.0.1.1:80 http" (type null when all). */
    public final List<String> removed = new ArrayList<>();
    /** Each setQuorum call: "TCP 10.0.0.1:80 " + the config. */
    public final List<String> quorumCalls = new ArrayList<>();
    /** What {@link #service} answers per service; null (not watched) for the others. */
    public final Map<ServiceKey, ServiceHealth> health = new LinkedHashMap<>();
    /** The check types with a checker installed; a test replaces it (a checker bundle starting). */
    public Set<String> types = Set.of("tcp", "http", "ssl", "dns", "misc", "udp", "ping");

    @Override
    public synchronized void addCheck(CheckSpec spec) {
        String type = spec.type();
        if (!types.contains(type)) {
            throw new LvsException("no " + type + " checker is installed (installed: "
                    + (types.isEmpty() ? "none" : String.join(", ", new TreeSet<>(types)))
                    + "): install the jlvs-check-" + (type.equals("ssl") ? "http" : type) + " feature");
        }
        for (CheckSpec c : checks) {
            if (c.service().equals(spec.service()) && c.address() == spec.address() && c.port() == spec.port()
                    && c.type().equals(type)) {
                throw new LvsException("real server " + server(spec.service(), spec.address(), spec.port())
                        + " already has a " + type + " check: remove it first (lvs:check-remove ... --type " + type + ")");
            }
        }
        checks.add(spec);
    }

    @Override
    public synchronized int removeChecks(ServiceKey service, int address, int port, String type) {
        removed.add(service + " " + Ip4.toString(address, port) + " " + type);
        String of = server(service, address, port);
        if (checks.stream().noneMatch(c -> c.service().equals(service) && c.address() == address && c.port() == port)) {
            throw new LvsException("No checks on real server " + of);
        }
        int before = checks.size();
        checks.removeIf(c -> c.service().equals(service) && c.address() == address && c.port() == port
                && (type == null || c.type().equals(type)));
        if (before == checks.size()) throw new LvsException("real server " + of + " has no " + type + " check");
        return before - checks.size();
    }

    private static String server(ServiceKey service, int address, int port) {
        return Ip4.toString(address, port) + " of " + service;
    }

    @Override
    public synchronized List<CheckStatus> checks(ServiceKey service) {
        List<CheckStatus> out = new ArrayList<>();
        for (CheckSpec c : checks) {
            if (service == null || c.service().equals(service)) out.add(new CheckStatus(c, "UP", "", -1, 0, 0, 0, Map.of()));
        }
        return out;
    }

    @Override
    public synchronized void setQuorum(ServiceKey service, QuorumConfig config) {
        quorumCalls.add(service + " " + config);
        quorums.put(service, config);
    }

    @Override
    public synchronized QuorumConfig quorum(ServiceKey service) {
        return quorums.getOrDefault(service, QuorumConfig.DEFAULT);
    }

    @Override
    public synchronized Set<String> checkerTypes() {
        return new TreeSet<>(types);
    }

    @Override
    public synchronized ServiceHealth service(ServiceKey key) {
        return health.get(key);
    }
}
