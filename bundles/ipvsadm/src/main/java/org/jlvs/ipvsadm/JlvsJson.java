package org.jlvs.ipvsadm;

import static org.jlvs.ipvsadm.ListJson.str;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.MarkRule;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.config.ConfigStatus;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncStatus;

/**
 * The JSON of jlvs's own listings (those with no ipvsadm equivalent), beside {@link ListJson} and written with
 * its strings and counters: formats jlvs-checks, jlvs-checkers, jlvs-config-status, jlvs-schedulers, jlvs-marks
 * and jlvs-sync, version 1 each, one line. The shell's --json and the metrics endpoint's /api/v1 print these.
 */
public final class JlvsJson {
    private JlvsJson() {}

    /** {"format":"jlvs-checks","version":1,"checks":[{...}]}: every field of the table, and the settings in effect. */
    public static String checks(List<CheckStatus> checks, HealthStatus health) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-checks\",\"version\":1,\"checks\":[");
        for (int i = 0; i < checks.size(); i++) {
            CheckStatus c = checks.get(i);
            CheckSpec s = c.spec();
            b.append(i > 0 ? "," : "").append("{\"service\":").append(str(s.service().toString()))
                    .append(",\"server\":").append(str(Ip4.toString(s.address(), s.port())))
                    .append(",\"type\":").append(str(s.type()))
                    .append(",\"state\":").append(str(c.state()))
                    .append(",\"serverState\":").append(str(serverState(health.service(s.service()), s.address(), s.port())))
                    .append(",\"lastLatencyMicros\":").append(c.lastLatencyNanos() < 0 ? -1 : c.lastLatencyNanos() / 1000)
                    .append(",\"consecutiveFailures\":").append(c.consecutiveFailures())
                    .append(",\"stateSinceMillis\":").append(c.stateSinceMillis())
                    .append(",\"attempts\":").append(c.attempts())
                    .append(",\"lastResult\":").append(str(c.lastResult()))
                    .append(",\"settings\":{");
            boolean[] first = {true};
            c.effective().forEach((k, v) -> {
                b.append(first[0] ? "" : ",").append(str(k)).append(':').append(str(v));
                first[0] = false;
            });
            b.append("}}");
        }
        return b.append("]}\n").toString();
    }

    /**
     * The state of a real server as lvs:checks shows it: UP, DOWN, ... with "/w0" while it stays in the table at
     * weight 0 and "/out" while it is out of the table; "-" when the service is not watched.
     */
    public static String serverState(HealthStatus.ServiceHealth sh, int address, int port) {
        if (sh == null) return "-";
        for (HealthStatus.ServerHealth s : sh.servers()) {
            if (s.address() == address && s.port() == port && !s.sorry()) {
                return s.inTable() ? (s.detail().isEmpty() ? s.state() : s.state() + "/w0") : s.state() + "/out";
            }
        }
        return "-";
    }

    /** {"format":"jlvs-checkers","version":1,"checkers":["http",...]} */
    public static String checkers(Collection<String> types) {
        return "{\"format\":\"jlvs-checkers\",\"version\":1,\"checkers\":[" + strings(types) + "]}\n";
    }

    /** {"format":"jlvs-config-status","version":1,"configurations":[{"source":..,"pid":..,"service":..,"state":..,"reason":..}]} */
    public static String configStatus(List<ConfigStatus.Entry> entries) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-config-status\",\"version\":1,\"configurations\":[");
        for (int i = 0; i < entries.size(); i++) {
            ConfigStatus.Entry e = entries.get(i);
            b.append(i > 0 ? "," : "").append("{\"source\":").append(str(e.source()))
                    .append(",\"pid\":").append(str(e.pid()))
                    .append(",\"service\":").append(str(e.service()))
                    .append(",\"state\":").append(str(e.state().name()))
                    .append(",\"reason\":").append(str(e.reason())).append('}');
        }
        return b.append("]}\n").toString();
    }

    /** The order lvs:schedulers lists registrations in: by name, then the one registered first. */
    public static final Comparator<SchedulerBundle> SCHEDULER_ORDER =
            Comparator.comparing(SchedulerBundle::name).thenComparingLong(SchedulerBundle::serviceId);

    /**
     * {"format":"jlvs-schedulers","version":1,"schedulers":[{"name":..,"bundle":ID,"version":..,"standby":bool,
     * "services":["TCP 10.0.0.1:80",...]}],"forwardingMethods":["masq",...],"unbound":[{"service":..,
     * "scheduler":..}],"unforwarded":[{"service":..,"server":..,"method":..}]}. A second registration of a name
     * is on standby and lists no services (the core keeps the one it bound).
     */
    public static String schedulers(List<SchedulerBundle> schedulers, Set<ForwardMethod> methods, List<ServiceInfo> services) {
        List<SchedulerBundle> sorted = new ArrayList<>(schedulers);
        sorted.sort(SCHEDULER_ORDER);
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-schedulers\",\"version\":1,\"schedulers\":[");
        String previous = null;
        for (int i = 0; i < sorted.size(); i++) {
            SchedulerBundle s = sorted.get(i);
            boolean standby = s.name().equals(previous);
            previous = s.name();
            b.append(i > 0 ? "," : "").append("{\"name\":").append(str(s.name()))
                    .append(",\"bundle\":").append(s.bundleId())
                    .append(",\"version\":").append(str(s.version()))
                    .append(",\"standby\":").append(standby)
                    .append(",\"services\":[").append(standby ? "" : strings(boundTo(s.name(), services))).append("]}");
        }
        b.append("],\"forwardingMethods\":[");
        List<String> fwd = new ArrayList<>();
        for (ForwardMethod m : ForwardMethod.values()) if (methods.contains(m)) fwd.add(m.id());
        b.append(strings(fwd)).append("],\"unbound\":[");
        StringBuilder unforwarded = new StringBuilder();
        boolean firstUnbound = true;
        for (ServiceInfo service : services) {
            String name = service.config().key().toString();
            if (!service.schedulerBound()) {
                b.append(firstUnbound ? "" : ",").append("{\"service\":").append(str(name))
                        .append(",\"scheduler\":").append(str(service.config().scheduler())).append('}');
                firstUnbound = false;
            }
            for (ServerInfo server : service.servers()) {
                ForwardMethod m = server.config().method();
                if (methods.contains(m)) continue;
                unforwarded.append(unforwarded.length() > 0 ? "," : "").append("{\"service\":").append(str(name))
                        .append(",\"server\":").append(str(server.config().endpoint()))
                        .append(",\"method\":").append(str(m.id())).append('}');
            }
        }
        return b.append("],\"unforwarded\":[").append(unforwarded).append("]}\n").toString();
    }

    /** The services (in the table's order) whose scheduler of that name is bound now, as "TCP 10.0.0.1:80". */
    public static List<String> boundTo(String scheduler, List<ServiceInfo> services) {
        List<String> names = new ArrayList<>();
        for (ServiceInfo service : services) {
            if (service.schedulerBound() && service.config().scheduler().equals(scheduler)) {
                names.add(service.config().key().toString());
            }
        }
        return names;
    }

    /**
     * {"format":"jlvs-marks","version":1,"rules":[{"mark":N,"protocol":"tcp|udp|any","from":"a.b.c.d",
     * "to":"a.b.c.d","firstPort":P,"lastPort":Q,"rule":"1 tcp 10.0.0.100 80"}]}: "rule" is the text lvs:mark-add
     * and etc/org.jlvs.marks.cfg take.
     */
    public static String marks(List<MarkRule> rules) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-marks\",\"version\":1,\"rules\":[");
        for (int i = 0; i < rules.size(); i++) {
            MarkRule r = rules.get(i);
            b.append(i > 0 ? "," : "").append("{\"mark\":").append(Integer.toUnsignedLong(r.mark()))
                    .append(",\"protocol\":").append(str(r.protocol() == null ? "any" : r.protocol().name().toLowerCase(Locale.ROOT)))
                    .append(",\"from\":").append(str(Ip4.toString(r.firstAddress())))
                    .append(",\"to\":").append(str(Ip4.toString(r.lastAddress())))
                    .append(",\"firstPort\":").append(r.firstPort())
                    .append(",\"lastPort\":").append(r.lastPort())
                    .append(",\"rule\":").append(str(r.toString())).append('}');
        }
        return b.append("]}\n").toString();
    }

    /**
     * {"format":"jlvs-sync","version":1,"installed":bool,"daemons":[{role, state, description, settings, counters,
     * last_resync}]}: the configured daemons (only {@code only}'s when it is not null); installed is false without
     * the sync bundle.
     */
    public static String sync(SyncDaemon daemon, SyncDaemon.Role only) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-sync\",\"version\":1,\"installed\":")
                .append(daemon != null).append(",\"daemons\":[");
        if (daemon != null) {
            boolean first = true;
            for (SyncDaemon.Role r : SyncDaemon.Role.values()) {
                SyncStatus s = only == null || only == r ? daemon.status(r) : null;
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
                        .append(",\"maxlen\":").append(s.settings().maxLen())
                        .append("},\"counters\":").append(ListJson.counters(s.counters()).strip());
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

    private static String strings(Collection<String> values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) b.append(b.length() > 0 ? "," : "").append(str(v));
        return b.toString();
    }
}
