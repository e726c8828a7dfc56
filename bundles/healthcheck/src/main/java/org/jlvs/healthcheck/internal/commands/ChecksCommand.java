package org.jlvs.healthcheck.internal.commands;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServiceKey;
import org.jlvs.healthcheck.internal.MonitorComponent;

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

    @Option(name = "--reset", description = "with --intervals: start the statistics over")
    boolean reset;

    PrintStream out = System.out;

    @Override
    void run() {
        if (intervals) {
            if (monitor instanceof MonitorComponent mc) out.print(mc.intervalSummary(reset));
            else throw new IllegalArgumentException("no interval statistics in this monitor");
            out.flush();
            return;
        }
        ServiceKey only = service(false);
        List<CheckStatus> checks = monitor.checks(only);
        out.print(format(checks, monitor, System.currentTimeMillis(), verbose));
        out.flush();
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
