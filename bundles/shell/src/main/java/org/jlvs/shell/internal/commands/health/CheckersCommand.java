package org.jlvs.shell.internal.commands.health;

import java.util.Set;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.ipvsadm.ListJson;

@Service
@Command(scope = "lvs", name = "checkers", description = "Lists the check types whose checkers are installed (the"
        + " --type values lvs:check-add accepts now), one a line.")
public class CheckersCommand extends CheckAction {
    @Option(name = "--json", description = "for machines: the check types as JSON (format jlvs-checkers, version 1)")
    boolean json;

    @Override
    protected void run() {
        Set<String> types = monitor().checkerTypes();
        if (json) {
            out().print("{\"format\":\"jlvs-checkers\",\"version\":1,\"checkers\":["
                    + types.stream().map(ListJson::str).collect(Collectors.joining(",")) + "]}\n");
        } else {
            for (String type : types) out().println(type);
        }
        out().flush();
    }
}
