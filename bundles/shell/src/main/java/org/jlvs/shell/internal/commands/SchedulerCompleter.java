package org.jlvs.shell.internal.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.jlvs.api.VirtualServerTable;

/** Completes -s with the names of the installed schedulers. */
@Service
public class SchedulerCompleter implements Completer {
    @Reference
    VirtualServerTable table;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(table.schedulers()).complete(session, commandLine, candidates);
    }
}
