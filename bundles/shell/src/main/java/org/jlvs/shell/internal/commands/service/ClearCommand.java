package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.shell.internal.commands.LvsAction;

@Service
@Command(scope = "lvs", name = "clear", description = "Deletes every virtual service (ipvsadm -C)")
public class ClearCommand extends LvsAction {
    @Override
    protected void run() {
        table.clear();
    }
}
