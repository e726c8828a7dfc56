package org.jlvs.shell.internal.commands.ha;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.ipvsadm.VrrpFormat;
import org.jlvs.shell.internal.commands.LvsAction;

@Service
@Command(scope = "lvs", name = "vrrp", description = "Lists the VRRP instances of director failover (the jlvs-ha"
        + " feature): state, configured and effective priority, the master's address, advert interval,"
        + " Master_Down timer, addresses and counters")
public class VrrpCommand extends LvsAction {
    // Optional: without the ha bundle there is no instance to list, and the other commands must stay.
    @Reference(optional = true)
    DirectorRole role;

    @Option(name = "--json", description = "for machines: the instances as one JSON object (jlvs-vrrp, version 1)")
    boolean json;

    @Override
    protected void run() {
        var instances = role == null ? java.util.List.<DirectorRole.Instance>of() : role.instances();
        if (json) out().print(VrrpFormat.json(instances));
        else if (instances.isEmpty()) {
            out().println(role == null ? "no VRRP: the jlvs-ha feature is not installed" : "no VRRP instance configured");
        } else out().print(VrrpFormat.text(instances));
        out().flush();
    }
}
