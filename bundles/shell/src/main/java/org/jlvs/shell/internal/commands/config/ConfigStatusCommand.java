package org.jlvs.shell.internal.commands.config;

import static org.jlvs.ipvsadm.ListJson.str;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.config.ConfigStatus;
import org.jlvs.shell.internal.commands.LvsAction;

@Service
@Command(scope = "lvs", name = "config-status", description = "Lists the service configurations (etc/org.jlvs.service-*.cfg)"
        + " and what became of each: applied, REJECTED (with the key and the reason; the service keeps running as it"
        + " was) or PENDING (it names a scheduler or forwarder that is not installed; retried every 2 s)")
public class ConfigStatusCommand extends LvsAction {
    @Reference(optional = true)
    ConfigStatus status;

    @Option(name = "--json", description = "for machines: the configurations as JSON (format jlvs-config-status, version 1)")
    boolean json;

    @Override
    protected void run() {
        List<ConfigStatus.Entry> entries = require(status, "the configuration", "jlvs-config").entries();
        out().print(json ? json(entries) : format(entries));
        out().flush();
    }

    /** {"format":"jlvs-config-status","version":1,"configurations":[{"source":..,"pid":..,"service":..,"state":..,"reason":..}]} */
    static String json(List<ConfigStatus.Entry> entries) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-config-status\",\"version\":1,\"configurations\":[");
        for (int i = 0; i < entries.size(); i++) {
            ConfigStatus.Entry e = entries.get(i);
            b.append(i > 0 ? "," : "").append("{\"source\":").append(str(e.source()))
                    .append(",\"pid\":").append(str(e.pid()))
                    .append(",\"service\":").append(str(e.service()))
                    .append(",\"state\":").append(str(e.state().name()))
                    .append(",\"reason\":").append(str(e.reason())).append('}');
        }
        return b.append("]}\n").toString();
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
