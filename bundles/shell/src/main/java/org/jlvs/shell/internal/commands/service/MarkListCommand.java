package org.jlvs.shell.internal.commands.service;

import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.MarkRule;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.shell.internal.format.Listing;

@Service
@Command(scope = "lvs", name = "mark-list", description = "Lists the mark rules, one a row, in the words lvs:mark-add and"
        + " etc/org.jlvs.marks.cfg take: MARK PROTOCOL ADDRESSES [PORTS] (ports 'all' when left out):"
        + " lvs:mark-list [--no-format] [--json]")
public class MarkListCommand extends LvsAction {
    @Option(name = "--json", description = "for machines: the rules as JSON (format jlvs-marks, version 1)")
    boolean json;

    @Option(name = "--no-format", description = "for scripts: one tab-separated line per rule, no title, no boxes")
    boolean noFormat;

    @Override
    protected void run() {
        List<MarkRule> rules = table.markRules();
        if (json) out().print(JlvsJson.marks(rules));
        else table(rules).print(out(), noFormat);
        out().flush();
    }

    /** Mark, protocol, addresses and ports of each rule, as its text form ("1 tcp 10.0.0.100 80") has them. */
    static Listing table(List<MarkRule> rules) {
        Listing table = new Listing().numberColumn("Mark").column("Protocol").column("Addresses").column("Ports")
                .whenEmpty("no mark rules");
        for (MarkRule r : rules) {
            String[] words = Arrays.copyOf(r.toString().split(" "), 4);
            table.row(words[0], words[1], words[2], words[3] == null ? "all" : words[3]);
        }
        return table;
    }
}
