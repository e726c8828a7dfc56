package org.jlvs.shell.internal.commands.health;

import java.io.PrintStream;
import java.util.Arrays;
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
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.shell.internal.format.Listing;

@Service
@Command(scope = "lvs", name = "checks", description = "Lists the health checks: lvs:checks [-n] [-t|-u VIP:PORT] [-v] [--no-format] [--json]:"
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

    @Option(name = "--no-format", description = "for scripts: one tab-separated line per check, no title, no boxes")
    boolean noFormat;

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
        if (json) out.print(JlvsJson.checks(checks, monitor));
        else table(checks, monitor, System.currentTimeMillis(), verbose).print(out, noFormat);
        out.flush();
    }

    /**
     * The table of lvs:checks, one row per check: service, real server, type, check state, the server's state,
     * last latency, consecutive failures, time in state, attempts, last result, and with {@code verbose} the
     * settings in effect ("key=value ..."). Karaf's table: boxed columns, or with --no-format one tab-separated
     * line per check and no title.
     */
    static Listing table(List<CheckStatus> checks, HealthStatus health, long nowMillis, boolean verbose) {
        Listing table = new Listing().column("Service").column("Real server").column("Type").column("State")
                .column("Server").numberColumn("Latency").numberColumn("Fails").numberColumn("In state")
                .numberColumn("Attempts").column("Last result").whenEmpty("no health checks");
        if (verbose) table.column("Settings");
        ServiceKey current = null;
        HealthStatus.ServiceHealth sh = null;
        for (CheckStatus c : checks) {
            CheckSpec s = c.spec();
            if (!s.service().equals(current)) {
                current = s.service();
                sh = health.service(current);
            }
            StringBuilder settings = new StringBuilder();
            c.effective().forEach((k, v) -> settings.append(settings.length() > 0 ? " " : "").append(k)
                    .append(v.isEmpty() ? "" : "=" + v));
            Object[] cells = {s.service().toString(), Ip4.toString(s.address(), s.port()), s.type(), c.state(),
                    JlvsJson.serverState(sh, s.address(), s.port()), latency(c.lastLatencyNanos()),
                    c.consecutiveFailures(), duration(nowMillis - c.stateSinceMillis()), c.attempts(), c.lastResult(),
                    settings.toString()};
            table.row(verbose ? cells : Arrays.copyOf(cells, cells.length - 1));
        }
        return table;
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
