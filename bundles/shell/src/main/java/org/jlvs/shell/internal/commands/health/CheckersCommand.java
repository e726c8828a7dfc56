package org.jlvs.shell.internal.commands.health;

import java.util.Set;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.shell.internal.format.Listing;

@Service
@Command(scope = "lvs", name = "checkers", description = "Lists the check types whose checkers are installed (the"
        + " --type values lvs:check-add accepts now): lvs:checkers [--no-format] [--json]")
public class CheckersCommand extends CheckAction {
    @Option(name = "--json", description = "for machines: the check types as JSON (format jlvs-checkers, version 1)")
    boolean json;

    @Option(name = "--no-format", description = "for scripts: one type a line, no title, no boxes")
    boolean noFormat;

    @Override
    protected void run() {
        Set<String> types = monitor().checkerTypes();
        if (json) {
            out().print(JlvsJson.checkers(types));
        } else {
            table(types).print(out(), noFormat);
        }
        out().flush();
    }

    static Listing table(Set<String> types) {
        Listing table = new Listing().column("Check type").whenEmpty("no checker is installed");
        for (String type : types) table.row(type);
        return table;
    }
}
