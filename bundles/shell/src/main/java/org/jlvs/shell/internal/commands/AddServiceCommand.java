package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "lvs", name = "add-service", description = "Adds a virtual service (ipvsadm -A):"
        + " lvs:add-service -t|-u VIP:PORT [-s SCHEDULER] [-M NETMASK] [-b FLAGS] [-p [TIMEOUT]]")
public class AddServiceCommand extends ServiceConfigAction {
    @Option(name = "-s", aliases = "--scheduler",
            description = "scheduler (rr, wrr, lc, wlc, ...; lvs:schedulers lists the installed ones), default wlc")
    String scheduler;

    @Override
    String scheduler() {
        return scheduler;
    }

    @Override
    void run() {
        table.addService(serviceConfig());
    }
}
