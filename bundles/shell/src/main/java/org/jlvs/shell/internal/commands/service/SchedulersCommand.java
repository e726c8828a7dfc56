package org.jlvs.shell.internal.commands.service;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.ipvsadm.SchedulerBundle;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.shell.internal.format.LvsFormat;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

@Service
@Command(scope = "lvs", name = "schedulers", description = "Lists the installed schedulers with the id and version"
        + " of the bundle that provides each and the services using it, the installed forwarding methods, the"
        + " services whose scheduler is not installed (they refuse new connections) and the real servers whose"
        + " forwarding method is not installed")
public class SchedulersCommand extends LvsAction {
    /** Karaf's command extender injects the shell bundle's own context. */
    @Reference
    BundleContext bundleContext;

    @Option(name = "--json", description = "for machines: the listing as JSON (format jlvs-schedulers, version 1)")
    boolean json;

    @Option(name = "--no-format", description = "for scripts: the scheduler rows tab-separated, no title, no boxes")
    boolean noFormat;

    @Override
    protected void run() throws InvalidSyntaxException {
        List<SchedulerBundle> registered = registered();
        List<ServiceInfo> services = table.list();
        if (json) {
            out().print(JlvsJson.schedulers(registered, table.forwardMethods(), services));
        } else {
            if (registered.isEmpty()) out().println("Installed schedulers: none");
            else LvsFormat.schedulerTable(registered, services).print(out(), noFormat);
            out().print(LvsFormat.schedulerNotes(table.forwardMethods(), services));
        }
        out().flush();
    }

    /**
     * Every registered Scheduler service, read from the service registry rather than from the core: the
     * registry knows which bundle provides each, and the shell must not hold the schedulers themselves (no
     * getService, so listing never pins or activates one).
     */
    List<SchedulerBundle> registered() throws InvalidSyntaxException {
        List<SchedulerBundle> found = new ArrayList<>();
        for (ServiceReference<Scheduler> ref : bundleContext.getServiceReferences(Scheduler.class, null)) {
            Object name = ref.getProperty(Scheduler.PROPERTY);
            Bundle bundle = ref.getBundle(); // null once the service went away during this loop
            if (name == null || bundle == null) continue;
            Object serviceId = ref.getProperty(Constants.SERVICE_ID);
            found.add(new SchedulerBundle(name.toString(), bundle.getBundleId(), bundle.getVersion().toString(),
                    serviceId instanceof Long id ? id : -1L));
        }
        return found;
    }
}
