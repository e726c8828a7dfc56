package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ConnectionTable;
import org.jlvs.ipvsadm.ListJson;
import org.jlvs.shell.internal.commands.ServiceAction;

@Service
@Command(scope = "lvs", name = "connections", description = "Lists the connection entries as ipvsadm -L -n -c"
        + " (same as lvs:list -c): lvs:connections [--limit N] [-t|-u VIP:PORT|-f MARK] [--json]")
public class ConnectionsCommand extends ServiceAction {
    @Reference(optional = true)
    ConnectionTable connections;

    @Option(name = "-n", aliases = "--numeric", description = "numeric addresses and ports (always the case here)")
    boolean numeric;

    @Option(name = "--limit", description = "at most this many entries, default 1000, 0 = all")
    String limit;

    @Option(name = "--json", description = "for machines: the entries as JSON (format jlvs-connections, version 1)")
    boolean json;

    @Override
    protected void run() {
        if (json) {
            ListJson.connections(ConnectionPrinter.require(connections),
                    ConnectionPrinter.matching(serviceKey(false), table),
                    ConnectionPrinter.limit(limit), out());
            return;
        }
        ConnectionPrinter.print(connections, ConnectionPrinter.matching(serviceKey(false), table),
                ConnectionPrinter.limit(limit), out(), err());
    }
}
