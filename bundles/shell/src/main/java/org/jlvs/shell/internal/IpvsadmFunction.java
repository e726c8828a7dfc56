package org.jlvs.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.LvsException;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.ipvsadm.Ipvsadm;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code lvs:ipvsadm ARGS...}: an ipvsadm command line, run as ipvsadm runs it ({@link Ipvsadm}). A Gogo
 * function rather than a Karaf action, because Karaf's option parser would refuse ipvsadm's syntax (-Ln,
 * -p with an optional value, the command as an option); Karaf's shell registers it like any command.
 */
@Component(service = Function.class, property = {
    "osgi.command.scope=lvs",
    "osgi.command.function=ipvsadm",
    "osgi.command.description=Runs an ipvsadm command line: lvs:ipvsadm -A -t 10.0.0.1:80 -s wlc, lvs:ipvsadm -Ln,"
            + " lvs:ipvsadm -S, ... (lvs:ipvsadm -h for the options)"
})
public class IpvsadmFunction implements Function {
    @Reference
    private VirtualServerTable table;

    // optional: without it, -c, --timeout and --set are refused but the rest works
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConnectionTable connections;

    // optional: without jlvs-sync, --start-daemon and --stop-daemon are refused and -L --daemon lists nothing
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SyncDaemon daemons;

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws Exception {
        List<String> argv = new ArrayList<>(arguments.size());
        for (Object a : arguments) argv.add(String.valueOf(a));
        try {
            // System.in and System.out are the calling session's (Karaf routes them per thread)
            new Ipvsadm(table, connections, daemons).run(argv, System.in, System.out);
        } catch (LvsException | IllegalArgumentException e) {
            // one line, as ipvsadm prints it; Karaf logs a CommandException at debug level only
            throw new CommandException(e.getMessage());
        }
        return null;
    }
}
