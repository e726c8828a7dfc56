package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.shell.format.LvsFormat;

@Service
@Command(scope = "lvs", name = "schedulers", description = "Lists the installed schedulers and forwarding methods,"
        + " the services whose scheduler is not installed (they refuse new connections) and the real servers"
        + " whose forwarding method is not installed")
public class SchedulersCommand extends LvsAction {
    @Override
    void run() {
        out().print(LvsFormat.schedulers(table.schedulers(), table.forwardMethods(), table.list()));
        out().flush();
    }
}
