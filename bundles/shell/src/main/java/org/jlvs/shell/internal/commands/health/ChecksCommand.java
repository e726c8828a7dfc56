package org.jlvs.shell.internal.commands.health;

import static org.jlvs.ipvsadm.ListJson.str;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthIntervals;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServiceKey;

@Service
@Command(scope = "lvs", name = "checks", description = "Lists the health checks: lvs:checks [-n] [-t|-u VIP:PORT] [-v]:"
        + " per real server each check's state (UP, DOWN, SUSPENDED while its checker is not installed), the real"
        + " server's state, last result and latency, consecutive failures, time in state and attempts; -v adds the"
        + " settings in effect. --intervals prints how regular the schedule is (--reset starts it over).")
public class ChecksCommand extends CheckAction {
    @Option(name = "-n", aliases = "--numeric", description = "numeric addresses (always the case here)")
    boolean numeric;

    @Option(name = "-v", aliases = "--verbose", description = "also the settings in effect")
    boolean verbose;

    @Option(name = "--intervals", description = "time between consecutive checks and lateness, in ms")
    boolean intervals;

    @Option(name = "--json", description = "for machines: the checks as JSON (format jlvs-checks, version 1)")
    boolean json;

    @Option(name = "--reset", description = "with --intervals: start the statistics over")
    boolean reset;

    @Reference(optional = true)
    HealthIntervals intervalStats;

    @Override
    protected void run() {
        PrintStream out = out();
        if (intervals) {
            out.print(require(intervalStats, "the health monitor", "jlvs-healthcheck").intervalSummary(reset));
            out.flush();
            return;
        }
        ServiceKey only = serviceKey(false);
        List<CheckStatus> checks = monitor().checks(only);
        out.print(json ? json(checks, monitor) : format(checks, monitor, System.currentTimeMillis(), verbose));
        out.flush();
    }

    /** {"format":"jlvs-checks","version":1,"checks":[{...}]}: every field of the table, and the settings in effect. */
    static String json(List<CheckStatus> checks, HealthStatus health) {
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

    static String format(List<CheckStatus> checks, HealthStatus health, long nowMillis, boolean verbose) {
        StringBuilder sb = new StringBuilder(String.format("%-22s %-21s %-5s %-9s %-9s %9s %5s %8s %8s  %s%n",
                "Prot VirtualAddr:Port", "RealServer:Port", "Type", "State", "Server", "Latency", "Fails", "InState",
                "Attempts", "Last result"));
        ServiceKey current = null;
        HealthStatus.ServiceHealth sh = null;
        for (CheckStatus c : checks) {
            CheckSpec s = c.spec();
            if (!s.service().equals(current)) {
                current = s.service();
                sh = health.service(current);
            }
            String server = serverState(sh, s.address(), s.port());
            sb.append(String.format("%-22s %-21s %-5s %-9s %-9s %9s %5d %8s %8d  %s%n",
                    String.format("%-4s %s", s.service().protocol().label(), Ip4.toString(s.service().address(), s.service().port())),
                    Ip4.toString(s.address(), s.port()), s.type(), c.state(), server, latency(c.lastLatencyNanos()),
                    c.consecutiveFailures(), duration(nowMillis - c.stateSinceMillis()), c.attempts(), c.lastResult()));
            if (verbose) {
                StringBuilder o = new StringBuilder("    ");
                c.effective().forEach((k, v) -> o.append(' ').append(k).append(v.isEmpty() ? "" : "=" + v));
                sb.append(o).append('\n');
            }
        }
        return sb.toString();
    }

    private static String serverState(HealthStatus.ServiceHealth sh, int address, int port) {
        if (sh == null) return "-";
        for (HealthStatus.ServerHealth s : sh.servers()) {
            if (s.address() == address && s.port() == port && !s.sorry()) {
                return s.inTable() ? (s.detail().isEmpty() ? s.state() : s.state() + "/w0") : s.state() + "/out";
            }
        }
        return "-";
    }

    static String latency(long nanos) {
        if (nanos < 0) return "-";
        if (nanos < 10_000_000L) return String.format("%.2fms", nanos / 1e6);
        if (nanos < 10_000_000_000L) return String.format("%.0fms", nanos / 1e6);
        return String.format("%.1fs", nanos / 1e9);
    }

    static String duration(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        if (s < 86400) return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
        return (s / 86400) + "d" + String.format("%02d", (s % 86400) / 3600) + "h";
    }
}
