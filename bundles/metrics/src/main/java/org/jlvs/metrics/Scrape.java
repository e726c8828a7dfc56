package org.jlvs.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jlvs.api.CheckStatus;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.sync.SyncDaemon;

/** One scrape of /metrics from the services the endpoint has now; health, table, role and sync may be null. */
final class Scrape {
    private Scrape() {}

    static String of(VirtualServerTable table, HealthMonitor health, ConnectionTable connections, DirectorRole role,
                     SyncDaemon sync) {
        List<ServiceInfo> services = table.list();
        StringBuilder b = new StringBuilder(4096);
        PrometheusText out = new PrometheusText(b);
        NodeIpvsMetrics.write(services, out);
        JlvsMetrics.writeServices(services, out);
        if (health != null) {
            List<CheckStatus> checks = new ArrayList<>();
            for (ServiceInfo s : services) checks.addAll(health.checks(s.config().key()));
            JlvsMetrics.writeChecks(checks, out);
            JlvsMetrics.writeHealth(serviceHealth(health, services), out);
        }
        if (connections != null) JlvsMetrics.writeTable(connections.size(), out);
        Map<String, Long> counters = table.dataPathCounters();
        JlvsMetrics.writeCounters(counters, out);
        JlvsMetrics.writeInterfaces(counters, table.dataPathDown(), out);
        VrrpMetrics.write(role == null ? null : role.instances(), out);
        SyncMetrics.write(sync, out);
        return b.toString();
    }

    static List<HealthStatus.ServiceHealth> serviceHealth(HealthMonitor h, List<ServiceInfo> services) {
        List<HealthStatus.ServiceHealth> out = new ArrayList<>();
        for (ServiceInfo s : services) {
            HealthStatus.ServiceHealth sh = h.service(s.config().key());
            if (sh != null) out.add(sh);
        }
        return out;
    }
}
