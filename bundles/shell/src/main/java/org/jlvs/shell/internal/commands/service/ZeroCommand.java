package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ServiceKey;
import org.jlvs.shell.internal.commands.ServiceAction;

@Service
@Command(scope = "lvs", name = "zero", description = "Zeroes the counters of one service or of all (ipvsadm -Z):"
        + " lvs:zero [-t|-u VIP:PORT]")
public class ZeroCommand extends ServiceAction {
    @Override
    protected void run() {
        ServiceKey key = serviceKey(false);
        if (key != null) existingService(key);
        table.zero(key);
    }
}
