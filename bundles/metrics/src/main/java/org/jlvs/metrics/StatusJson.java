package org.jlvs.metrics;

import static org.jlvs.ipvsadm.ListJson.str;

import java.util.List;
import java.util.Map;

import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;

/**
 * The /api/v1 documents the shell has no --json for: a connection summary (jlvs-connection-summary) and the
 * health of the real servers (jlvs-health), version 1 each, one line, in the style of ListJson. The summary is built from the listing and the counters, never by walking the
 * connection table, so that a dashboard polling every second costs the data path nothing.
 */
public final class StatusJson {
    private StatusJson() {}

    /**
     * {"format":"jlvs-connection-summary","version":1,"entries":N,"templates":T,"max_entries":M,"active":A,
     * "inactive":I,"persistent":P,"evicted":E,"refused_table_full":R,"services":[{protocol,address,port,active,
     * inactive,persistent}]}; a figure the core does not report is null.
     */
    public static String connections(List<ServiceInfo> services, Map<String, Long> counters) {
        long active = 0, inactive = 0, persistent = 0;
        StringBuilder per = new StringBuilder();
        for (ServiceInfo s : services) {
            long a = 0, i = 0, p = 0;
            for (ServerInfo r : s.servers()) {
                a += Integer.toUnsignedLong(r.activeConns());
                i += Integer.toUnsignedLong(r.inactiveConns());
                p += Integer.toUnsignedLong(r.persistentConns());
            }
            active += a;
            inactive += i;
            persistent += p;
            per.append(per.length() > 0 ? "," : "").append("{\"protocol\":")
                    .append(str(s.config().key().protocol().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"address\":").append(str(s.config().key().addressText()))
                    .append(",\"port\":").append(s.config().key().port())
                    .append(",\"active\":").append(a).append(",\"inactive\":").append(i)
                    .append(",\"persistent\":").append(p).append('}');
        }
        return "{\"format\":\"jlvs-connection-summary\",\"version\":1,\"entries\":" + counters.get("connections")
                + ",\"templates\":" + counters.get("templates") + ",\"max_entries\":" + counters.get("connections_max")
                + ",\"active\":" + active + ",\"inactive\":" + inactive + ",\"persistent\":" + persistent
                + ",\"evicted\":" + counters.get("connections_evicted")
                + ",\"refused_table_full\":" + counters.get("connections_refused_table_full")
                + ",\"services\":[" + per + "]}\n";
    }

    /**
     * {"format":"jlvs-health","version":1,"installed":bool,"services":[{protocol,address,port,quorum_up,live_weight,
     * servers:[{address,port,state,alive,in_table,sorry,detail,since_ms}]}],"checks":[{service,server,type,state,
     * last_result,latency_ms,failures,since_ms,attempts}]}
     */
    public static String health(List<HealthStatus.ServiceHealth> services, List<CheckStatus> checks, boolean installed) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-health\",\"version\":1,\"installed\":")
                .append(installed).append(",\"services\":[");
        for (int n = 0; n < services.size(); n++) {
            HealthStatus.ServiceHealth s = services.get(n);
            b.append(n > 0 ? "," : "").append("{\"protocol\":")
                    .append(str(s.key().protocol().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"address\":").append(str(s.key().addressText()))
                    .append(",\"port\":").append(s.key().port())
                    .append(",\"quorum_up\":").append(s.quorumUp()).append(",\"live_weight\":").append(s.liveWeight())
                    .append(",\"servers\":[");
            for (int k = 0; k < s.servers().size(); k++) {
                HealthStatus.ServerHealth r = s.servers().get(k);
                b.append(k > 0 ? "," : "").append("{\"address\":").append(str(r.addressText()))
                        .append(",\"port\":").append(r.port()).append(",\"state\":").append(str(r.state()))
                        .append(",\"alive\":").append(r.alive()).append(",\"in_table\":").append(r.inTable())
                        .append(",\"sorry\":").append(r.sorry()).append(",\"detail\":").append(str(r.detail()))
                        .append(",\"since_ms\":").append(r.sinceMillis()).append('}');
            }
            b.append("]}");
        }
        b.append("],\"checks\":[");
        for (int n = 0; n < checks.size(); n++) {
            CheckStatus c = checks.get(n);
            b.append(n > 0 ? "," : "").append("{\"service\":").append(str(c.spec().service().toString()))
                    .append(",\"server\":").append(str(c.spec().server()))
                    .append(",\"type\":").append(str(c.spec().type())).append(",\"state\":").append(str(c.state()))
                    .append(",\"last_result\":").append(str(c.lastResult()))
                    .append(",\"latency_ms\":").append(c.lastLatencyNanos() < 0 ? "null"
                            : String.format(java.util.Locale.ROOT, "%.3f", c.lastLatencyNanos() / 1e6))
                    .append(",\"failures\":").append(c.consecutiveFailures())
                    .append(",\"since_ms\":").append(c.stateSinceMillis())
                    .append(",\"attempts\":").append(c.attempts()).append('}');
        }
        return b.append("]}\n").toString();
    }
}
