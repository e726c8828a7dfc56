package org.jlvs.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;

/** A HealthMonitor that keeps the checks and quorums it is given, refusing the types it has no checker for. */
public class FakeMonitor implements HealthMonitor {
    public final List<CheckSpec> checks = new ArrayList<>();
    public final Map<ServiceKey, QuorumConfig> quorums = new LinkedHashMap<>();
    public Set<String> types = Set.of("tcp", "http", "ssl", "dns", "misc", "udp", "ping");

    @Override
    public void addCheck(CheckSpec spec) {
        if (!types.contains(spec.type())) throw new IllegalArgumentException("no " + spec.type() + " checker is installed");
        for (CheckSpec c : checks) {
            if (c.service().equals(spec.service()) && c.address() == spec.address() && c.port() == spec.port()
                    && c.type().equals(spec.type())) {
                throw new IllegalArgumentException("duplicate check " + spec);
            }
        }
        checks.add(spec);
    }

    @Override
    public int removeChecks(ServiceKey service, int address, int port, String type) {
        int before = checks.size();
        checks.removeIf(c -> c.service().equals(service) && c.address() == address && c.port() == port
                && (type == null || c.type().equals(type)));
        return before - checks.size();
    }

    @Override
    public List<CheckStatus> checks(ServiceKey service) {
        List<CheckStatus> out = new ArrayList<>();
        for (CheckSpec c : checks) {
            if (service == null || c.service().equals(service)) out.add(new CheckStatus(c, "UP", "", -1, 0, 0, 0, Map.of()));
        }
        return out;
    }

    @Override
    public void setQuorum(ServiceKey service, QuorumConfig config) { quorums.put(service, config); }

    @Override
    public QuorumConfig quorum(ServiceKey service) { return quorums.getOrDefault(service, QuorumConfig.DEFAULT); }

    @Override
    public Set<String> checkerTypes() { return types; }

    @Override
    public ServiceHealth service(ServiceKey key) { return null; }
}
