package org.jlvs.shell.internal.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.jlvs.api.HealthMonitor;

/** Completes --type with the check types whose checkers are installed (nothing without jlvs-healthcheck). */
@Service
public class CheckerCompleter implements Completer {
    @Reference(optional = true)
    HealthMonitor monitor;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        HealthMonitor m = monitor;
        if (m == null) return -1;
        return new StringsCompleter(m.checkerTypes()).complete(session, commandLine, candidates);
    }
}
