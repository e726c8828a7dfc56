package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "lvs", name = "clear", description = "Deletes every virtual service (ipvsadm -C)")
public class ClearCommand extends LvsAction {
    @Override
    void run() {
        table.clear();
    }
}
