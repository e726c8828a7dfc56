package org.jlvs.shell.internal.commands;

import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;

/** Completes -t / -u with the VIP:PORT of the table's services of that protocol. */
abstract class ServiceCompleter implements Completer {
    private final Protocol protocol;

    ServiceCompleter(Protocol protocol) {
        this.protocol = protocol;
    }

    abstract VirtualServerTable table();

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (ServiceInfo info : table().list()) {
            ServiceKey key = info.config().key();
            if (key.protocol() == protocol) names.getStrings().add(key.isIpv6() ? key.endpoint() : Ip4.toString(key.address(), key.port()));
        }
        return names.complete(session, commandLine, candidates);
    }
}
