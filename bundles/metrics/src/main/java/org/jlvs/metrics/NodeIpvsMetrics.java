package org.jlvs.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.Stats;

/**
 * node_exporter's IPVS collector, fed from the virtual server table instead of /proc/net/ip_vs: the same eight
 * series with the same names, types, help texts and backend labels (local_address, local_port, remote_address,
 * remote_port, proto, local_mark), so that dashboards written for node_exporter work unchanged. As in the
 * collector, backend rows with equal label values are summed, and the totals are the sum over the services.
 */
public final class NodeIpvsMetrics {
    private NodeIpvsMetrics() {}

    public static void write(List<ServiceInfo> services, PrometheusText out) {
        long conns = 0, inPk = 0, outPk = 0, inB = 0, outB = 0;
        Map<List<String>, long[]> backends = new LinkedHashMap<>();
        for (ServiceInfo s : services) {
            Stats st = s.stats();
            conns += st.conns();
            inPk += st.inPackets();
            outPk += st.outPackets();
            inB += st.inBytes();
            outB += st.outBytes();
            // a firewall-mark service as the collector shows one: proto FWM, no local address, port 0, the mark
            boolean fwmark = s.config().key().isFwmark();
            String localAddress = fwmark ? "" : s.config().key().addressText();
            String localPort = fwmark ? "0" : Integer.toString(s.config().key().port());
            String proto = fwmark ? "FWM" : s.config().key().protocol().label();
            String localMark = fwmark ? Integer.toString(s.config().key().fwmark()) : "";
            for (ServerInfo r : s.servers()) {
                List<String> key = List.of(localAddress, localPort, r.config().addressText(),
                        Integer.toString(r.config().port()), proto, localMark);
                long[] v = backends.computeIfAbsent(key, k -> new long[3]);
                v[0] += r.activeConns();
                v[1] += r.inactiveConns();
                v[2] += r.config().weight();
            }
        }
        total(out, "node_ipvs_connections_total", "The total number of connections made.", conns);
        total(out, "node_ipvs_incoming_packets_total", "The total number of incoming packets.", inPk);
        total(out, "node_ipvs_outgoing_packets_total", "The total number of outgoing packets.", outPk);
        total(out, "node_ipvs_incoming_bytes_total", "The total amount of incoming data.", inB);
        total(out, "node_ipvs_outgoing_bytes_total", "The total amount of outgoing data.", outB);
        backend(out, backends, 0, "node_ipvs_backend_connections_active",
                "The current active connections by local and remote address.");
        backend(out, backends, 1, "node_ipvs_backend_connections_inactive",
                "The current inactive connections by local and remote address.");
        backend(out, backends, 2, "node_ipvs_backend_weight", "The current backend weight by local and remote address.");
    }

    private static void total(PrometheusText out, String name, String help, long value) {
        out.family(name, "counter", help).sample(name, value);
    }

    private static void backend(PrometheusText out, Map<List<String>, long[]> rows, int column, String name, String help) {
        out.family(name, "gauge", help);
        for (Map.Entry<List<String>, long[]> e : rows.entrySet()) {
            List<String> k = e.getKey();
            out.sample(name, e.getValue()[column], "local_address", k.get(0), "local_port", k.get(1),
                    "remote_address", k.get(2), "remote_port", k.get(3), "proto", k.get(4), "local_mark", k.get(5));
        }
    }
}
