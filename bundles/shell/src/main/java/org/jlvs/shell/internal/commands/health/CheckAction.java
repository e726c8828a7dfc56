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

    /** "RIP[:PORT]", the port defaulting to the service's; returns {address, port}. */
    static int[] realServer(String text, int defaultPort) {
        Endpoint e = IpvsadmOptions.server(text, defaultPort);
        // CheckSpec keeps an IPv4 address only: a check of an IPv6 server needs an api with its IPv6 address
        if (e.isIpv6()) throw refuse("health checks of IPv6 real servers are not supported yet: " + e);
        return new int[] {e.address(), e.port()};
    }
}
