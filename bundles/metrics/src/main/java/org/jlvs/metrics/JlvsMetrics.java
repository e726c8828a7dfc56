package org.jlvs.metrics;

import java.util.List;
import java.util.Map;

import org.jlvs.api.CheckStatus;
import org.jlvs.api.Ip4;
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
                    "service", c.spec().service().toString(), "server", Ip4.toString(c.spec().address(), c.spec().port()),
                    "check", c.spec().type());
        }
    }

    public static void writeTable(long entries, PrometheusText out) {
        out.family("jlvs_connection_table_entries", "gauge", "Entries in the connection table.")
                .sample("jlvs_connection_table_entries", entries);
    }

    /** The data path's counters (drops by reason among them), one labelled series. */
    public static void writeCounters(Map<String, Long> counters, PrometheusText out) {
        out.family("jlvs_datapath_events_total", "counter", "Data path counters by name (drops by reason among them).");
        for (Map.Entry<String, Long> e : counters.entrySet())
            out.sample("jlvs_datapath_events_total", e.getValue(), "counter", e.getKey());
    }

    private static String[] serviceLabels(ServiceInfo s) {
        return new String[] {"proto", s.config().key().protocol().label(),
            "service", Ip4.toString(s.config().key().address(), s.config().key().port())};
    }

    private static String[] serverLabels(ServiceInfo s, ServerInfo r) {
        return new String[] {"proto", s.config().key().protocol().label(),
            "service", Ip4.toString(s.config().key().address(), s.config().key().port()),
            "server", Ip4.toString(r.config().address(), r.config().port())};
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
