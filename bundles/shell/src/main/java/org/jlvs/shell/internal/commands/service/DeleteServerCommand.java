package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.Endpoint;

@Service
@Command(scope = "lvs", name = "delete-server", description = "Removes a real server from a virtual service"
        + " (ipvsadm -d): lvs:delete-server -t|-u VIP:PORT -r RIP[:PORT]")
public class DeleteServerCommand extends RealServerAction {
    @Override
    protected void run() {
        ServiceKey key = serviceKey(true);
        Endpoint server = endpoint(key);
        if (server.isIpv6()) table.deleteServer(key, server.address6(), server.port());
        else table.deleteServer(key, server.address(), server.port());
    }
}
