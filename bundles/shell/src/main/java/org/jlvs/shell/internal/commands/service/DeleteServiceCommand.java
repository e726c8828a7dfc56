package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.shell.internal.commands.ServiceAction;

@Service
@Command(scope = "lvs", name = "delete-service",
        description = "Deletes a virtual service and its real servers (ipvsadm -D): lvs:delete-service -t|-u VIP:PORT")
public class DeleteServiceCommand extends ServiceAction {
    @Override
    protected void run() {
        table.deleteService(serviceKey(true));
    }
}
