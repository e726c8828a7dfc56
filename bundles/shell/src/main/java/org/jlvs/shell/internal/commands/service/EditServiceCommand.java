package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.Endpoint;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.shell.internal.commands.SchedulerCompleter;

@Service
@Command(scope = "lvs", name = "edit-service", description = "Changes a virtual service (ipvsadm -E):"
        + " lvs:edit-service -t|-u VIP:PORT -s SCHEDULER [-M NETMASK] [-b FLAGS] [-p [TIMEOUT]]."
        + " As with ipvsadm -E the options replace the service's settings: without -p it stops being persistent."
        + " Established connections keep their real servers. With the health monitor installed, keepalived's"
        + " quorum settings: [--quorum N] [--hysteresis N] [--sorry-server RIP[:PORT]|none], alone or with -s.")
public class EditServiceCommand extends ServiceConfigAction {
    // Required unless only quorum settings change: ipvsadm -E would silently reset an omitted -s to wlc.
    @Option(name = "-s", aliases = "--scheduler",
            description = "scheduler (rr, wrr, lc, wlc, ...; lvs:schedulers lists the installed ones)")
    @Completion(SchedulerCompleter.class)
    String scheduler;

    // Optional: without the health monitor only the quorum options are refused.
    @Reference(optional = true)
    HealthMonitor monitor;

    @Option(name = "--quorum", description = "keepalived's quorum: the live real servers' weights needed (default 1)")
    String quorum;

    @Option(name = "--hysteresis", description = "keepalived's hysteresis around the quorum (default 0)")
    String hysteresis;

    @Option(name = "--sorry-server", description = "real server RIP[:PORT] that takes the traffic while the quorum"
            + " is lost, or none")
    String sorryServer;

    @Override
    String scheduler() {
        return scheduler;
    }

    @Override
    protected void run() {
        boolean quorumOptions = quorum != null || hysteresis != null || sorryServer != null;
        if (scheduler == null && (!quorumOptions || persistent || netmask != null || flags != null)) {
            throw refuse("missing -s SCHEDULER: lvs:edit-service replaces the service's settings as ipvsadm -E,"
                    + " which would reset an omitted scheduler to wlc");
        }
        QuorumConfig q = null;
        if (quorumOptions) {
            if (monitor == null) {
                throw refuse("--quorum, --hysteresis and --sorry-server need the health monitor: install the"
                        + " jlvs-healthcheck feature");
            }
            ServiceKey key = serviceKey(true);
            existingService(key);
            QuorumConfig old = monitor.quorum(key);
            int n = quorum != null ? (int) IpvsadmOptions.number(quorum, 0, Integer.MAX_VALUE, "quorum") : old.quorum();
            int h = hysteresis != null ? (int) IpvsadmOptions.number(hysteresis, 0, Integer.MAX_VALUE, "hysteresis")
                    : old.hysteresis();
            int sorryAddress = old.sorryAddress(), sorryPort = old.sorryPort();
            if (sorryServer != null) {
                if (sorryServer.equalsIgnoreCase("none")) {
                    sorryAddress = 0;
                    sorryPort = 0;
                } else {
                    Endpoint e = IpvsadmOptions.server(sorryServer, key.port());
                    // QuorumConfig keeps an IPv4 address only (an api without an IPv6 sorry server)
                    if (e.isIpv6()) throw refuse("an IPv6 sorry server is not supported yet: " + e);
                    sorryAddress = e.address();
                    sorryPort = e.port();
                }
            }
            q = new QuorumConfig(n, h, sorryAddress, sorryPort);
        }
        // everything is checked before anything changes
        if (scheduler != null) table.editService(serviceConfig());
        if (q != null) monitor.setQuorum(serviceKey(true), q);
    }
}
