package org.jlvs.config.internal.commands;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.config.internal.ConfigStatus;

@Service
@Command(scope = "lvs", name = "config-status", description = "Lists the service configurations (etc/org.jlvs.service-*.cfg)"
        + " and what became of each: applied, REJECTED (with the key and the reason; the service keeps running as it"
        + " was) or PENDING (it names a scheduler or forwarder that is not installed; retried every 2 s)")
public class ConfigStatusCommand implements Action {
    @Reference
    ConfigStatus status;

    @Override
    public Object execute() {
        List<ConfigStatus.Entry> entries = status.entries();
        System.out.print(format(entries));
        System.out.flush();
        return null;
    }

    /** A title, then one line per configuration: file, state, service, reason (the last may hold spaces). */
    static String format(List<ConfigStatus.Entry> entries) {
        StringBuilder out = new StringBuilder(line("File", "State", "Service", "Reason"));
        for (ConfigStatus.Entry e : entries) {
            out.append(line(e.source(), e.state() == ConfigStatus.State.APPLIED ? "applied" : e.state().name(),
                    e.service() == null ? "-" : e.service(), e.reason() == null ? "" : e.reason()));
        }
        return out.toString();
    }

    private static String line(String file, String state, String service, String reason) {
        return String.format("%-44s %-8s %-22s %s", file, state, service, reason).stripTrailing() + "\n";
    }
}
