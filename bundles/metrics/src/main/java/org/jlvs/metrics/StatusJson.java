package org.jlvs.metrics;

import static org.jlvs.ipvsadm.ListJson.str;

import java.util.List;
import java.util.Map;

import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncStatus;

/**
 * The /api/v1 documents the shell has no --json for: the sync daemons (jlvs-sync), a connection summary
 * (jlvs-connection-summary) and the health of the real servers (jlvs-health), version 1 each, one line, in the
 * style of the shell's ListJson. The summary is built from the listing and the counters, never by walking the
 * connection table, so that a dashboard polling every second costs the data path nothing.
 */
public final class StatusJson {
    private StatusJson() {}

    /** {"format":"jlvs-sync","version":1,"installed":bool,"daemons":[{role, state, settings, counters, last_resync}]} */
    public static String sync(SyncDaemon daemon) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-sync\",\"version\":1,\"installed\":")
                .append(daemon != null).append(",\"daemons\":[");
        if (daemon != null) {
            boolean first = true;
            for (SyncDaemon.Role r : SyncDaemon.Role.values()) {
                SyncStatus s = daemon.status(r);
                if (s == null) continue;
                b.append(first ? "" : ",");
                first = false;
                b.append("{\"role\":").append(str(r.label())).append(",\"state\":").append(str(s.state()))
                        .append(",\"description\":").append(str(s.describe()))
                        .append(",\"settings\":{\"mcast_interface\":").append(str(s.settings().mcastInterface()))
                        .append(",\"syncid\":").append(s.settings().syncId())
                        .append(",\"group\":").append(str(s.settings().group()))
                        .append(",\"port\":").append(s.settings().port())
                        .append(",\"ttl\":").append(s.settings().ttl())
                        .append(",\"maxlen\":").append(s.settings().maxLen()).append("},\"counters\":");
                counters(b, s.counters());
                SyncStatus.ResyncReport rr = s.lastResync();
                b.append(",\"last_resync\":");
                if (rr == null) b.append("null");
                else b.append("{\"peer\":").append(str(rr.peer())).append(",\"started_ms\":").append(rr.startedMillis())
                        .append(",\"duration_ms\":").append(rr.durationMillis()).append(",\"entries\":").append(rr.entries())
                        .append(",\"result\":").append(str(rr.result())).append('}');
                b.append('}');
            }
        }
        return b.append("]}\n").toString();
    }

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
                    .append(",\"address\":").append(str(Ip4.toString(s.config().key().address())))
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
                    .append(",\"address\":").append(str(Ip4.toString(s.key().address())))
                    .append(",\"port\":").append(s.key().port())
                    .append(",\"quorum_up\":").append(s.quorumUp()).append(",\"live_weight\":").append(s.liveWeight())
                    .append(",\"servers\":[");
            for (int k = 0; k < s.servers().size(); k++) {
                HealthStatus.ServerHealth r = s.servers().get(k);
                b.append(k > 0 ? "," : "").append("{\"address\":").append(str(Ip4.toString(r.address())))
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
                    .append(",\"server\":").append(str(Ip4.toString(c.spec().address(), c.spec().port())))
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

    private static void counters(StringBuilder b, Map<String, Long> counters) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            b.append(first ? "" : ",").append(str(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        b.append('}');
    }
}
