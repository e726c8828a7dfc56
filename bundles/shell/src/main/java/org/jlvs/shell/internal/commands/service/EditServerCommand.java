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
@Command(scope = "lvs", name = "edit-server", description = "Changes a real server (ipvsadm -e):"
        + " lvs:edit-server -t|-u VIP:PORT -r RIP[:PORT] [-m|-g|-i [--tun-type ipip|gue] [--tun-port PORT]]"
        + " [-w WEIGHT] [-x UPPER] [-y LOWER]."
        + " Unlike ipvsadm -e, which resets omitted options to their defaults, omitted options keep their"
        + " current values, so -w 0 alone quiesces a server without touching its forwarding method.")
public class EditServerCommand extends ServerOptionsAction {
    @Override
    protected void run() {
        ServiceKey key = serviceKey(true);
        ForwardMethod given = givenMethod();
        Endpoint server = endpoint(key);
        int port = given != null ? portFor(given, server.port(), key.port()) : server.port();
        int newWeight = weightOr(-1);
        int newUpper = upperOr(-1);
        int newLower = lowerOr(-1);
        ServerConfig current = existingServer(existingService(key), server, port);
        ForwardMethod method = given != null ? given : current.method();
        // A server whose forwarder has gone may still be edited (e.g. quiesced) as long as its method stays.
        if (method != current.method()) IpvsadmOptions.requireForwarder(table.forwardMethods(), method);
        ServerConfig edited = withTunnel(new ServerConfig(server.address(), port, method,
                newWeight >= 0 ? newWeight : current.weight(),
                newUpper >= 0 ? newUpper : current.upperThreshold(),
                newLower >= 0 ? newLower : current.lowerThreshold(), TunnelType.IPIP, 0, server.address6()), current);
        table.editServer(key, edited);
    }
}
