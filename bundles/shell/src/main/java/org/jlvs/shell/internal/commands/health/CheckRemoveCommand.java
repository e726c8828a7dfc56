package org.jlvs.shell.internal.commands.health;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.Endpoint;
import org.jlvs.shell.internal.commands.CheckerCompleter;
import org.jlvs.shell.internal.commands.RealServerCompleter;

@Service
@Command(scope = "lvs", name = "check-remove", description = "Removes the health checks of a real server (all, or those"
        + " of one type): lvs:check-remove -t|-u VIP:PORT -r RIP[:PORT] [--type TYPE]. A server the checks had taken"
        + " out of the service (or set to weight 0) is put back as configured.")
public class CheckRemoveCommand extends CheckAction {
    @Option(name = "-r", aliases = "--real-server", required = true, description = "real server RIP[:PORT]")
    @Completion(RealServerCompleter.class)
    String realServer;

    @Option(name = "--type", description = "only the checks of this type")
    @Completion(CheckerCompleter.class)
    String type;

    @Override
    protected void run() {
        ServiceKey key = serviceKey(true);
        Endpoint rs = realServer(realServer, key.port());
        monitor().removeChecks(key, key(rs), rs.port(), type);
    }
}
