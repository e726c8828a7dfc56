package org.jlvs.healthcheck.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "lvs", name = "checkers", description = "Lists the check types whose checkers are installed (the"
        + " --type values lvs:check-add accepts now), one a line.")
public class CheckersCommand extends CheckAction {
    @Override
    void run() {
        for (String type : monitor.checkerTypes()) System.out.println(type);
        System.out.flush();
    }
}
