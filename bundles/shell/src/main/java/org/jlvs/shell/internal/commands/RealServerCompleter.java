package org.jlvs.shell.internal.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.VirtualServerTable;

/** Completes -r with the RIP:PORT of the real servers in the table. */
@Service
public class RealServerCompleter implements Completer {
    @Reference
    VirtualServerTable table;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (ServiceInfo info : table.list()) {
            for (ServerInfo server : info.servers()) {
                names.getStrings().add(server.config().endpoint());
            }
        }
        return names.complete(session, commandLine, candidates);
    }
}
