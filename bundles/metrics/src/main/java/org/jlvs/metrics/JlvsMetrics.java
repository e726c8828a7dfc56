package org.jlvs.metrics;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.Stats;

/** The jlvs_* series: per service and per real server stats and rates, checks, table size, data path counters. */
public final class JlvsMetrics {
    private JlvsMetrics() {}

    private static final String[] STAT_NAMES = {"connections_total", "in_packets_total", "out_packets_total",
        "in_bytes_total", "out_bytes_total"};
    private static final String[] RATE_NAMES = {"connections_per_second", "in_packets_per_second",
        "out_packets_per_second", "in_bytes_per_second", "out_bytes_per_second"};

    public static void writeServices(List<ServiceInfo> services, PrometheusText out) {
        for (int i = 0; i < STAT_NAMES.length; i++) {
            String svc = "jlvs_service_" + STAT_NAMES[i];
            out.family(svc, "counter", "Per virtual service: " + STAT_NAMES[i].replace('_', ' ') + ".");
            for (ServiceInfo s : services) out.sample(svc, stat(s.stats(), i), serviceLabels(s));
            String srv = "jlvs_server_" + STAT_NAMES[i];
            out.family(srv, "counter", "Per real server: " + STAT_NAMES[i].replace('_', ' ') + ".");
            for (ServiceInfo s : services)
                for (ServerInfo r : s.servers()) out.sample(srv, stat(r.stats(), i), serverLabels(s, r));
        }
        for (int i = 0; i < RATE_NAMES.length; i++) {
            String svc = "jlvs_service_" + RATE_NAMES[i];
            out.family(svc, "gauge", "Per virtual service: " + RATE_NAMES[i].replace('_', ' ') + " (estimator).");
            for (ServiceInfo s : services) out.sample(svc, stat(s.stats(), i + 5), serviceLabels(s));
            String srv = "jlvs_server_" + RATE_NAMES[i];
            out.family(srv, "gauge", "Per real server: " + RATE_NAMES[i].replace('_', ' ') + " (estimator).");
            for (ServiceInfo s : services)
                for (ServerInfo r : s.servers()) out.sample(srv, stat(r.stats(), i + 5), serverLabels(s, r));
        }
        out.family("jlvs_server_connections_active", "gauge", "Active connections per real server.");
        for (ServiceInfo s : services)
            for (ServerInfo r : s.servers()) out.sample("jlvs_server_connections_active", r.activeConns(), serverLabels(s, r));
        out.family("jlvs_server_weight", "gauge", "Configured weight per real server (0 = quiesced).");
        for (ServiceInfo s : services)
            for (ServerInfo r : s.servers()) out.sample("jlvs_server_weight", r.config().weight(), serverLabels(s, r));
    }

    /** jlvs_check_up: 1 while a check's state is UP. */
    public static void writeChecks(List<CheckStatus> checks, PrometheusText out) {
        out.family("jlvs_check_up", "gauge", "1 while the health check reports the real server up, else 0.");
        for (CheckStatus c : checks) {
            out.sample("jlvs_check_up", "UP".equalsIgnoreCase(c.state()) ? 1 : 0,
                    "service", c.spec().service().toString(), "server", c.spec().server(),
                    "check", c.spec().type());
        }
    }

    public static void writeTable(long entries, PrometheusText out) {
        out.family("jlvs_connection_table_entries", "gauge", "Entries in the connection table.")
                .sample("jlvs_connection_table_entries", entries);
    }

    /** Per real server the health monitor's word (UP, DOWN, SORRY, SUSPENDED) as 1 while alive. */
    public static void writeHealth(List<HealthStatus.ServiceHealth> services, PrometheusText out) {
        out.family("jlvs_server_up", "gauge", "1 while the health monitor finds the real server alive (all its checks pass), else 0.");
        out.family("jlvs_server_in_table", "gauge", "1 while the real server is in the virtual-server table (inhibited: with weight 0).");
        for (HealthStatus.ServiceHealth s : services) {
            String proto = s.key().protocol().label();
            String service = Endpoints.service(s.key());
            for (HealthStatus.ServerHealth r : s.servers()) {
                String server = r.endpoint();
                out.sample("jlvs_server_up", r.alive() ? 1 : 0, "proto", proto, "service", service, "server", server, "state", r.state());
            }
        }
        for (HealthStatus.ServiceHealth s : services) {
            String proto = s.key().protocol().label();
            String service = Endpoints.service(s.key());
            for (HealthStatus.ServerHealth r : s.servers()) {
                out.sample("jlvs_server_in_table", r.inTable() ? 1 : 0, "proto", proto, "service", service,
                        "server", r.endpoint());
            }
        }
    }

    /**
     * The data path's counters: the connection table's (entries, templates, cap, created, expired, evicted,
     * refused), PacketIo's frames per interface (link_IF_received|sent|dropped), and the rest, drops by reason
     * among them, as one labelled series.
     */
    public static void writeCounters(Map<String, Long> counters, PrometheusText out) {
        gauge(out, counters, "templates", "jlvs_connection_table_templates", "Persistence templates in the connection table.");
        gauge(out, counters, "connections_max", "jlvs_connection_table_max_entries", "The connection table's cap (max_connections).");
        counter(out, counters, "connections_created", "jlvs_connection_table_created_total", "Connection entries created.");
        counter(out, counters, "connections_expired", "jlvs_connection_table_expired_total", "Connection entries expired.");
        counter(out, counters, "connections_evicted", "jlvs_connection_table_evicted_total", "Entries evicted from a full table (half-open, one-packet UDP, idle templates).");
        counter(out, counters, "connections_refused_table_full", "jlvs_connection_table_refused_total", "New connections refused: table full and nothing to evict.");
        out.family("jlvs_interface_frames_total", "counter", "PacketIo frames per interface: received, sent, dropped (by the capture).");
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            String[] link = link(e.getKey());
            if (link != null) out.sample("jlvs_interface_frames_total", e.getValue(), "interface", link[0], "direction", link[1]);
        }
        out.family("jlvs_datapath_events_total", "counter", "Data path counters by name (drops by reason among them).");
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (link(e.getKey()) == null && !e.getKey().equals("connections_max") && !e.getKey().equals("templates")
                    && !e.getKey().equals("connections")) {
                out.sample("jlvs_datapath_events_total", e.getValue(), "counter", e.getKey());
            }
        }
    }

    /**
     * jlvs_interface_up{interface}: 1 for each interface the data path uses (those with PacketIo counters), 0
     * for each one it was asked to use and could not open, with the reason as a label. The director opens its
     * interfaces once at its start, so the reason does not change while the series lives, and an alert on
     * {@code jlvs_interface_up == 0} carries it without a join.
     */
    public static void writeInterfaces(Map<String, Long> counters, Map<String, String> down, PrometheusText out) {
        out.family("jlvs_interface_up", "gauge", "1 while the data path uses the interface, 0 when it could not open it (reason label).");
        Set<String> used = new LinkedHashSet<>();
        for (String name : counters.keySet()) {
            String[] link = link(name);
            if (link != null) used.add(link[0]);
        }
        for (String i : used) if (!down.containsKey(i)) out.sample("jlvs_interface_up", 1, "interface", i);
        for (Map.Entry<String, String> e : down.entrySet())
            out.sample("jlvs_interface_up", 0, "interface", e.getKey(), "reason", e.getValue());
    }

    /** "link_eth0_received" → {eth0, received}; null for other names. */
    static String[] link(String name) {
        if (!name.startsWith("link_")) return null;
        int cut = name.lastIndexOf('_');
        if (cut <= 5) return null;
        String what = name.substring(cut + 1);
        if (!what.equals("received") && !what.equals("sent") && !what.equals("dropped")) return null;
        return new String[] {name.substring(5, cut), what};
    }

    private static void gauge(PrometheusText out, Map<String, Long> counters, String key, String name, String help) {
        Long v = counters.get(key);
        if (v != null) out.family(name, "gauge", help).sample(name, v);
    }

    private static void counter(PrometheusText out, Map<String, Long> counters, String key, String name, String help) {
        Long v = counters.get(key);
        if (v != null) out.family(name, "counter", help).sample(name, v);
    }

    private static String[] serviceLabels(ServiceInfo s) {
        return new String[] {"proto", s.config().key().protocol().label(),
            "service", Endpoints.service(s.config().key())};
    }

    private static String[] serverLabels(ServiceInfo s, ServerInfo r) {
        return new String[] {"proto", s.config().key().protocol().label(),
            "service", Endpoints.service(s.config().key()),
            "server", r.config().endpoint()};
    }

    private static long stat(Stats s, int i) {
        switch (i) {
            case 0: return s.conns();
            case 1: return s.inPackets();
            case 2: return s.outPackets();
            case 3: return s.inBytes();
            case 4: return s.outBytes();
            case 5: return s.cps();
            case 6: return s.inPps();
            case 7: return s.outPps();
            case 8: return s.inBps();
            default: return s.outBps();
        }
    }
}
