package org.jlvs.shell.internal.commands.config;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.config.ConfigStatus;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.shell.internal.format.Listing;

@Service
@Command(scope = "lvs", name = "config-status", description = "Lists the service configurations (etc/org.jlvs.service-*.cfg)"
        + " and what became of each: applied, REJECTED (with the key and the reason; the service keeps running as it"
        + " was) or PENDING (it names a scheduler or forwarder that is not installed; retried every 2 s)")
public class ConfigStatusCommand extends LvsAction {
    @Reference(optional = true)
    ConfigStatus status;

    @Option(name = "--json", description = "for machines: the configurations as JSON (format jlvs-config-status, version 1)")
    boolean json;

    @Option(name = "--no-format", description = "for scripts: one tab-separated line per configuration, no title, no boxes")
    boolean noFormat;

    @Override
    protected void run() {
        List<ConfigStatus.Entry> entries = require(status, "the configuration", "jlvs-config").entries();
        if (json) out().print(JlvsJson.configStatus(entries));
        else table(entries).print(out(), noFormat);
        out().flush();
    }

    /** One row per configuration: file, state, service, reason; Karaf's table, or tab-separated with --no-format. */
    static Listing table(List<ConfigStatus.Entry> entries) {
        Listing table = new Listing().column("File").column("State").column("Service").column("Reason")
                .whenEmpty("no service configuration");
        for (ConfigStatus.Entry e : entries) {
            table.row(e.source(), e.state() == ConfigStatus.State.APPLIED ? "applied" : e.state().name(),
                    e.service() == null ? "-" : e.service(), e.reason() == null ? "" : e.reason());
        }
        return table;
    }
}
