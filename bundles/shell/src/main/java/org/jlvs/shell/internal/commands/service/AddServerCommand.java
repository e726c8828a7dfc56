package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;
import org.jlvs.ipvsadm.Endpoint;
import org.jlvs.ipvsadm.IpvsadmOptions;

@Service
@Command(scope = "lvs", name = "add-server", description = "Adds a real server to a virtual service (ipvsadm -a):"
        + " lvs:add-server -t|-u VIP:PORT -r RIP[:PORT] (IPv6: -t [VIP6]:PORT -r [RIP6]:PORT) [-m|-g|-i [--tun-type ipip|gue] [--tun-port PORT]]"
        + " [-w WEIGHT] [-x UPPER] [-y LOWER]."
        + " Unlike ipvsadm, whose default is -g (direct routing), the default method here is -m (NAT), this"
        + " appliance's default deployment. Weight defaults to 1; with -g or -i the port is the service's port.")
public class AddServerCommand extends ServerOptionsAction {
    @Override
    protected void run() {
        ServiceKey key = serviceKey(true);
        ForwardMethod given = givenMethod();
        // Deliberately NAT rather than ipvsadm's DR: jlvs is deployed as a NAT director by default.
        ForwardMethod method = given != null ? given : ForwardMethod.MASQ;
        Endpoint server = endpoint(key);
        ServerConfig config = new ServerConfig(server.address(), portFor(method, server.port(), key.port()), method,
                weightOr(1), upperOr(0), lowerOr(0), TunnelType.IPIP, 0, server.address6());
        config = withTunnel(config, config);
        IpvsadmOptions.requireForwarder(table.forwardMethods(), method);
        table.addServer(key, config);
    }
}
