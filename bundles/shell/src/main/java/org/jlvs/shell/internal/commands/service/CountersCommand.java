package org.jlvs.shell.internal.commands.service;

import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.ipvsadm.ListJson;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.shell.internal.format.LvsFormat;

@Service
@Command(scope = "lvs", name = "counters", description = "Prints the packet path's counters (frames seen, dropped"
        + " and why), one 'name value' line each; an interface that is not in use (libpcap cannot be loaded,"
        + " no such interface, no permission) gets a line 'data path down on NAME: REASON' after them")
public class CountersCommand extends LvsAction {
    @Option(name = "--json", description = "for machines: the counters as one JSON object")
    boolean json;

    @Override
    protected void run() {
        Map<String, String> down = table.dataPathDown();
        if (json) {
            out().print(ListJson.counters(table.dataPathCounters(), down));
        } else {
            out().print(LvsFormat.counters(table.dataPathCounters()) + LvsFormat.dataPathDown(down));
        }
        out().flush();
    }
}
