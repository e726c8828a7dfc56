package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.shell.format.LvsFormat;

@Service
@Command(scope = "lvs", name = "counters", description = "Prints the packet path's counters (frames seen, dropped"
        + " and why), one 'name value' line each")
public class CountersCommand extends LvsAction {
    @Override
    void run() {
        out().print(LvsFormat.counters(table.dataPathCounters()));
        out().flush();
    }
}
