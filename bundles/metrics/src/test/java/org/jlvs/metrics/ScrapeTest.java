package org.jlvs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jlvs.api.ConnectionTable;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.ha.DirectorRole;
import org.junit.jupiter.api.Test;

/**
 * A whole scrape as the servlet writes it, with every optional part present: the interfaces' up series, and
 * the Grafana dashboard of the repository uses no series the endpoint does not export.
 */
class ScrapeTest {
    private static final String DOWN_REASON = "libpcap cannot be loaded (apt-get install -y libpcap0.8)";

    /** A proxy of {@code type} whose methods answer from {@code answers} by name (null, 0 or false otherwise). */
    @SuppressWarnings("unchecked")
    static <T> T fake(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(ScrapeTest.class.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (answers.containsKey(m.getName())) return answers.get(m.getName());
            if (m.getReturnType() == long.class) return 0L;
            if (m.getReturnType() == int.class) return 0;
            if (m.getReturnType() == boolean.class) return false;
            if (m.getReturnType() == List.class) return List.of();
            return null;
        });
    }

    static String scrape() {
        ServerInfo rs = new ServerInfo(new ServerConfig(Ip4.parse("10.99.2.11"), 8000, ForwardMethod.values()[0], 1, 0, 0),
                2, 1, 0, false, new Stats(10, 20, 20, 3000, 4000, 1, 2, 2, 300, 400));
        ServiceInfo svc = new ServiceInfo(new ServiceConfig(new ServiceKey(Protocol.TCP, Ip4.parse("10.99.1.100"), 8000), "rr", 0, 0, 0),
                true, List.of(rs), new Stats(10, 20, 20, 3000, 4000, 1, 2, 2, 300, 400));
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("connections", 3L);
        counters.put("connections_max", 1000L);
        counters.put("templates", 0L);
        counters.put("link_eth0_received", 100L);
        counters.put("link_eth0_sent", 90L);
        counters.put("link_eth0_dropped", 0L);
        counters.put("link_eth1_received", 50L);
        counters.put("dropped_no_route", 4L);
        Map<String, String> down = new LinkedHashMap<>();
        down.put("eth2", DOWN_REASON);
        down.put("nosuch0", "no such interface");
        VirtualServerTable table = fake(VirtualServerTable.class,
                Map.of("list", List.of(svc), "dataPathCounters", counters, "dataPathDown", down));
        HealthMonitor health = fake(HealthMonitor.class, Map.of());
        ConnectionTable connections = fake(ConnectionTable.class, Map.of("size", 3L));
        DirectorRole role = fake(DirectorRole.class, Map.of("instances", List.of(VrrpSyncMetricsTest.instance())));
        return Scrape.of(table, health, connections, role,
                VrrpSyncMetricsTest.daemon(null, VrrpSyncMetricsTest.backup()));
    }

    @Test
    void interfacesInUseAreUpAndTheOthersDownWithTheirReason() {
        String t = scrape();
        assertTrue(t.contains("# TYPE jlvs_interface_up gauge\n"), t);
        assertTrue(t.contains("jlvs_interface_up{interface=\"eth0\"} 1\n"), t);
        assertTrue(t.contains("jlvs_interface_up{interface=\"eth1\"} 1\n"), t);
        assertTrue(t.contains("jlvs_interface_up{interface=\"eth2\",reason=\"" + DOWN_REASON + "\"} 0\n"), t);
        assertTrue(t.contains("jlvs_interface_up{interface=\"nosuch0\",reason=\"no such interface\"} 0\n"), t);
        assertEquals(4, t.lines().filter(l -> l.startsWith("jlvs_interface_up{")).count(), t);
    }

    @Test
    void anInterfaceBothCountedAndDownIsListedOnceAsDown() {
        StringBuilder b = new StringBuilder();
        JlvsMetrics.writeInterfaces(Map.of("link_eth0_received", 1L), Map.of("eth0", "closed"), new PrometheusText(b));
        assertEquals(List.of("jlvs_interface_up{interface=\"eth0\",reason=\"closed\"} 0"),
                b.toString().lines().filter(l -> !l.startsWith("#")).toList());
    }

    private static final Pattern EXPR = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SERIES = Pattern.compile("\\b(?:node_ipvs|jlvs|keepalived)_[a-z0-9_]+\\b");

    @Test
    void theGrafanaDashboardUsesOnlySeriesTheEndpointExports() throws Exception {
        String json = Files.readString(Path.of("grafana", "jlvs-dashboard.json"));
        Set<String> used = new TreeSet<>();
        Matcher m = EXPR.matcher(json);
        int expressions = 0;
        while (m.find()) {
            expressions++;
            Matcher s = SERIES.matcher(m.group(1));
            while (s.find()) used.add(s.group());
        }
        Set<String> exported = new TreeSet<>();
        for (String line : scrape().lines().toList()) {
            if (line.startsWith("# TYPE ")) exported.add(line.split(" ")[2]);
        }
        assertTrue(expressions >= 10 && used.size() >= 10, "expressions " + expressions + ", series " + used);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "series the dashboard uses and /metrics does not export");
    }
}
