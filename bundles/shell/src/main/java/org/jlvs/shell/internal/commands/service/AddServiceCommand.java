package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.shell.internal.commands.SchedulerCompleter;

@Service
@Command(scope = "lvs", name = "add-service", description = "Adds a virtual service (ipvsadm -A):"
        + " lvs:add-service -t|-u VIP:PORT [-s SCHEDULER] [-M NETMASK] [-b FLAGS] [-p [TIMEOUT]]")
public class AddServiceCommand extends ServiceConfigAction {
    @Option(name = "-s", aliases = "--scheduler",
            description = "scheduler (rr, wrr, lc, wlc, ...; lvs:schedulers lists the installed ones), default wlc")
    @Completion(SchedulerCompleter.class)
    String scheduler;

    @Override
    String scheduler() {
        return scheduler;
    }

    @Override
    protected void run() {
        table.addService(serviceConfig());
    }
}
