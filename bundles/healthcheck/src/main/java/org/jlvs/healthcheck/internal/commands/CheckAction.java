package org.jlvs.healthcheck.internal.commands;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceKey;

/**
 * Base of the lvs:check* commands: -t|-u VIP:PORT as ipvsadm, and refusals as one-line errors (Karaf prints
 * "Error executing command: ..." and bin/client exits non-zero), like the other lvs:* commands.
 */
abstract class CheckAction implements Action {
    @Reference
    HealthMonitor monitor;

    @Option(name = "-t", aliases = "--tcp-service", description = "TCP virtual service VIP:PORT")
    String tcp;

    @Option(name = "-u", aliases = "--udp-service", description = "UDP virtual service VIP:PORT")
    String udp;

    @Override
    public final Object execute() throws Exception {
        try {
            run();
        } catch (LvsException | IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }

    abstract void run() throws Exception;

    /** The -t|-u service; null when neither is given and it is not required. */
    ServiceKey service(boolean required) {
        if (tcp != null && udp != null) throw new IllegalArgumentException("give either -t or -u, not both");
        if (tcp != null) return ServiceKey.parse(Protocol.TCP, tcp);
        if (udp != null) return ServiceKey.parse(Protocol.UDP, udp);
        if (required) throw new IllegalArgumentException("missing service: give -t VIP:PORT or -u VIP:PORT");
        return null;
    }

    /** "RIP[:PORT]", the port defaulting to the service's; returns {address, port}. */
    static int[] realServer(String text, int defaultPort) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("missing real server: give -r RIP[:PORT]");
        int colon = text.lastIndexOf(':');
        if (colon < 0) return new int[] {Ip4.parse(text), defaultPort};
        return new int[] {Ip4.parse(text.substring(0, colon)), ServiceKey.parsePort(text.substring(colon + 1), text)};
    }
}
