package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.CheckArgs;
import org.jlvs.ipvsadm.IpvsadmRules;

/**
 * Gives the health monitor the checks and quorum settings of an imported keepalived.conf, after the virtual
 * services are in the table: each imported service's checks become the file's (its former checks are removed)
 * and its quorum settings the file's (keepalived's defaults when the file has none).
 */
public final class HealthImport {
    private HealthImport() {}

    /** What {@link #apply} would do, one line each (for --dry-run). */
    public static List<String> describe(KeepalivedImport.Result result) {
        List<String> lines = new ArrayList<>();
        for (ServiceKey key : result.services().keySet()) {
            QuorumConfig q = result.quorums().getOrDefault(key, QuorumConfig.DEFAULT);
            lines.add("set quorum " + key + " " + quorum(q));
        }
        for (KeepalivedChecks.Imported c : result.checks()) lines.add("add check " + c.spec().service() + " " + CheckArgs.of(c.spec()));
        return lines;
    }

    /**
     * Applies the checks and quorum settings; a check the monitor refuses (no checker installed, a bad value) is
     * not added and is returned as "line N: ...: reason", the others are.
     */
    public static List<String> apply(HealthMonitor monitor, KeepalivedImport.Result result) {
        List<String> refused = new ArrayList<>();
        for (ServiceKey key : result.services().keySet()) {
            // once per server: the first call removes all its checks, and the monitor refuses a second
            Set<Long> done = new HashSet<>();
            for (CheckStatus s : monitor.checks(key)) {
                CheckSpec spec = s.spec();
                if (done.add(((long) spec.address() << 16) | spec.port())) {
                    monitor.removeChecks(key, spec.address(), spec.port(), null);
                }
            }
            monitor.setQuorum(key, result.quorums().getOrDefault(key, QuorumConfig.DEFAULT));
        }
        for (KeepalivedChecks.Imported c : result.checks()) {
            try {
                monitor.addCheck(c.spec());
            } catch (RuntimeException e) { // the monitor's refusal, reported per check: the others still apply
                refused.add("line " + c.line() + ": " + c.spec() + ": " + e.getMessage());
            }
        }
        return refused;
    }

    /** "quorum 2 hysteresis 1 sorry_server 10.0.2.1:80" */
    static String quorum(QuorumConfig q) {
        return "quorum " + q.quorum() + " hysteresis " + q.hysteresis()
                + (q.hasSorryServer() ? " sorry_server " + Ip4.toString(q.sorryAddress(), q.sorryPort()) : "");
    }
}
