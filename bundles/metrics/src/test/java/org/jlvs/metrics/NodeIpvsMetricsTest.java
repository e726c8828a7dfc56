package org.jlvs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.junit.jupiter.api.Test;

/**
 * The table of node_exporter's own IPVS collector test (its /proc/net/ip_vs fixture: 192.168.0.22:3306 with two
 * MySQL backends, 192.168.0.55:3306 with two, 192.168.0.57:3306 with one), fed through jlvs's model; the expected
 * lines are written the way node_exporter writes them (labels sorted by name on the wire).
 */
class NodeIpvsMetricsTest {
    private static ServerInfo server(String rip, int port, int weight, int active, int inactive) {
        return new ServerInfo(new ServerConfig(Ip4.parse(rip), port, ForwardMethod.values()[0], weight, 0, 0),
                active, inactive, 0, false, Stats.ZERO);
    }

    private static ServiceInfo service(String vip, int port, Stats stats, ServerInfo... servers) {
        return new ServiceInfo(new ServiceConfig(new ServiceKey(Protocol.TCP, Ip4.parse(vip), port), "wlc", 0, 0, 0),
                true, List.of(servers), stats);
    }

    private static final List<ServiceInfo> TABLE = List.of(
            service("192.168.0.22", 3306, new Stats(23765872, 187603, 0, 0, 0, 0, 0, 0, 0, 0),
                    server("192.168.82.22", 3306, 100, 248, 2), server("192.168.83.24", 3306, 100, 248, 2)),
            service("192.168.0.55", 3306, Stats.ZERO,
                    server("192.168.50.26", 3306, 0, 0, 0), server("192.168.49.32", 3306, 100, 0, 0)),
            service("192.168.0.57", 3306, Stats.ZERO, server("192.168.50.21", 3306, 100, 1498, 0)));

    /** Re-sorts the labels of a sample line by name, as node_exporter's client_golang writes them. */
    private static String canonical(String line) {
        int open = line.indexOf('{');
        if (open < 0) return line;
        int close = line.indexOf('}');
        Set<String> labels = new TreeSet<>(List.of(line.substring(open + 1, close).split(",")));
        return line.substring(0, open) + "{" + String.join(",", labels) + "}" + line.substring(close + 1);
    }

    @Test
    void backendSeriesMatchNodeExporter() {
        StringBuilder b = new StringBuilder();
        NodeIpvsMetrics.write(TABLE, new PrometheusText(b));
        Set<String> got = new TreeSet<>();
        for (String l : b.toString().split("\n")) if (l.startsWith("node_ipvs_backend")) got.add(canonical(l));
        Set<String> want = new TreeSet<>();
        String[][] rows = {
            {"192.168.0.22", "192.168.82.22", "248", "2", "100"}, {"192.168.0.22", "192.168.83.24", "248", "2", "100"},
            {"192.168.0.55", "192.168.50.26", "0", "0", "0"}, {"192.168.0.55", "192.168.49.32", "0", "0", "100"},
            {"192.168.0.57", "192.168.50.21", "1498", "0", "100"}};
        String[] names = {"active", "inactive"};
        for (String[] r : rows) {
            String labels = "{local_address=\"" + r[0] + "\",local_mark=\"\",local_port=\"3306\",proto=\"TCP\",remote_address=\""
                    + r[1] + "\",remote_port=\"3306\"} ";
            want.add("node_ipvs_backend_connections_" + names[0] + labels + r[2]);
            want.add("node_ipvs_backend_connections_" + names[1] + labels + r[3]);
            want.add("node_ipvs_backend_weight" + labels + r[4]);
        }
        assertEquals(want, got);
    }

    @Test
    void familiesCarryNodeExporterHelpAndType() {
        StringBuilder b = new StringBuilder();
        NodeIpvsMetrics.write(TABLE, new PrometheusText(b));
        String text = b.toString();
        assertTrue(text.contains("# HELP node_ipvs_connections_total The total number of connections made.\n"
                + "# TYPE node_ipvs_connections_total counter\nnode_ipvs_connections_total 23765872\n"), text);
        assertTrue(text.contains("# TYPE node_ipvs_backend_weight gauge\n"), text);
        assertTrue(text.contains("# HELP node_ipvs_backend_connections_active The current active connections by local and remote address.\n"), text);
        assertEquals(8, text.lines().filter(l -> l.startsWith("# TYPE node_ipvs_")).count());
    }

    @Test
    void equalLabelRowsAreSummed() {
        ServiceInfo twice = service("10.0.0.1", 80, Stats.ZERO, server("10.0.1.1", 80, 1, 3, 1), server("10.0.1.1", 80, 2, 4, 1));
        StringBuilder b = new StringBuilder();
        NodeIpvsMetrics.write(List.of(twice), new PrometheusText(b));
        assertTrue(b.toString().contains("remote_port=\"80\",proto=\"TCP\",local_mark=\"\"} 7\n"), b.toString());
    }

    @Test
    void aFirewallMarkServiceIsLabelledAsTheCollectorLabelsOne() {
        // /proc/net/ip_vs's "FWM  00000001 rr" line: the collector gives proto FWM, no address, port 0, the mark
        ServiceInfo fwm = new ServiceInfo(new ServiceConfig(ServiceKey.fwmark(1), "rr", 0, 0, 0), true,
                List.of(server("10.0.1.1", 0, 1, 5, 2)), Stats.ZERO);
        StringBuilder b = new StringBuilder();
        NodeIpvsMetrics.write(List.of(fwm), new PrometheusText(b));
        assertTrue(b.toString().contains("node_ipvs_backend_connections_active{local_address=\"\",local_port=\"0\","
                + "remote_address=\"10.0.1.1\",remote_port=\"0\",proto=\"FWM\",local_mark=\"1\"} 5\n"), b.toString());
    }

    @Test
    void anIpv6ServiceIsLabelledAsTheCollectorLabelsOne() {
        // the collector parses /proc/net/ip_vs's IPv6 addresses and labels them as Go's net.IP prints them
        ServiceKey key = new ServiceKey(Protocol.TCP, Ip6Address.parse("2001:db8::1"), 80);
        ServerInfo rs = new ServerInfo(ServerConfig.of(Ip6Address.parse("2001:db8:2::11"), 8080, ForwardMethod.MASQ, 3),
                4, 1, 0, false, Stats.ZERO);
        ServiceInfo v6 = new ServiceInfo(ServiceConfig.of(key, "rr"), true, List.of(rs), Stats.ZERO);
        StringBuilder b = new StringBuilder();
        NodeIpvsMetrics.write(List.of(v6), new PrometheusText(b));
        assertTrue(b.toString().contains("node_ipvs_backend_connections_active{local_address=\"2001:db8::1\","
                + "local_port=\"80\",remote_address=\"2001:db8:2::11\",remote_port=\"8080\",proto=\"TCP\","
                + "local_mark=\"\"} 4\n"), b.toString());
        StringBuilder own = new StringBuilder();
        JlvsMetrics.writeServices(List.of(v6), new PrometheusText(own));
        assertTrue(own.toString().contains("jlvs_server_weight{proto=\"TCP\",service=\"[2001:db8::1]:80\","
                + "server=\"[2001:db8:2::11]:8080\"} 3\n"), own.toString());
    }

    @Test
    void labelValuesAreEscaped() {
        StringBuilder b = new StringBuilder();
        new PrometheusText(b).sample("x", 1.5, "a", "q\"b\\n\n");
        assertEquals("x{a=\"q\\\"b\\\\n\\n\"} 1.5\n", b.toString());
    }
}
