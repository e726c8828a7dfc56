package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.action.Option;
import org.jlvs.shell.format.ListJson;
import org.jlvs.shell.format.LvsFormat;

@Service
@Command(scope = "lvs", name = "counters", description = "Prints the packet path's counters (frames seen, dropped"
        + " and why), one 'name value' line each")
public class CountersCommand extends LvsAction {
    @Option(name = "--json", description = "for machines: the counters as one JSON object")
    boolean json;

    @Override
    void run() {
        out().print(json ? ListJson.counters(table.dataPathCounters()) : LvsFormat.counters(table.dataPathCounters()));
        out().flush();
    }
}
