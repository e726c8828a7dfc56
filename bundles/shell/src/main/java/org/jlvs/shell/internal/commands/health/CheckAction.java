package org.jlvs.shell.internal.commands.health;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.jlvs.api.HealthMonitor;
import org.jlvs.ipvsadm.Endpoint;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.shell.internal.commands.ServiceAction;

/** Base of the lvs:check* commands: the health monitor, which jlvs-healthcheck offers and may be absent. */
abstract class CheckAction extends ServiceAction {
    @Reference(optional = true)
    HealthMonitor monitor;

    /** The monitor, or a refusal that says to install jlvs-healthcheck. */
    HealthMonitor monitor() {
        return require(monitor, "the health monitor", "jlvs-healthcheck");
    }

    /** "RIP[:PORT]" or "[RIP6]:PORT", the port defaulting to the service's. */
    static Endpoint realServer(String text, int defaultPort) {
        return IpvsadmOptions.server(text, defaultPort);
    }

    /** The int address a monitor keys a real server by: an IPv6 server's fold. */
    static int key(Endpoint e) {
        return e.isIpv6() ? e.address6().fold() : e.address();
    }
}
