package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.Endpoint;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.shell.internal.commands.RealServerCompleter;
import org.jlvs.shell.internal.commands.ServiceAction;

/** A command that names a real server of a virtual service: -t|-u VIP:PORT -r RIP[:PORT]. */
abstract class RealServerAction extends ServiceAction {
    @Option(name = "-r", aliases = "--real-server", required = true,
            description = "real server RIP[:PORT] or [RIP6][:PORT]; the port defaults to the service's port")
    @Completion(RealServerCompleter.class)
    String realServer;

    /** The -r address, its port defaulting to the service's. */
    Endpoint endpoint(ServiceKey key) {
        if (realServer == null) throw refuse("missing real server: give -r RIP[:PORT]");
        return IpvsadmOptions.server(realServer, key.port());
    }

    /** The real server's configuration as it is now (at {@code server}'s address and {@code port}), or a refusal naming it. */
    static ServerConfig existingServer(ServiceInfo service, Endpoint server, int port) {
        for (ServerInfo s : service.servers()) {
            ServerConfig c = s.config();
            boolean sameAddress = server.isIpv6() ? server.address6().equals(c.address6())
                    : !c.isIpv6() && c.address() == server.address();
            if (sameAddress && c.port() == port) return c;
        }
        throw refuse("No such real server: " + new Endpoint(server.address(), port, server.address6()) + " in "
                + service.config().key());
    }
}
