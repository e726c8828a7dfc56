package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "lvs", name = "edit-service", description = "Changes a virtual service (ipvsadm -E):"
        + " lvs:edit-service -t|-u VIP:PORT -s SCHEDULER [-M NETMASK] [-b FLAGS] [-p [TIMEOUT]]."
        + " As with ipvsadm -E the options replace the service's settings: without -p it stops being persistent."
        + " Established connections keep their real servers.")
public class EditServiceCommand extends ServiceConfigAction {
    // Required here: ipvsadm -E would silently reset an omitted -s to wlc.
    @Option(name = "-s", aliases = "--scheduler", required = true,
            description = "scheduler (rr, wrr, lc, wlc, ...; lvs:schedulers lists the installed ones)")
    String scheduler;

    @Override
    String scheduler() {
        return scheduler;
    }

    @Override
    void run() {
        table.editService(serviceConfig());
    }
}
