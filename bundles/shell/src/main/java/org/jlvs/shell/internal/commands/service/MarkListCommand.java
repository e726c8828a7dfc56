package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.shell.internal.commands.LvsAction;

@Service
@Command(scope = "lvs", name = "mark-list", description = "Lists the mark rules, one a line, as lvs:mark-add and"
        + " etc/org.jlvs.marks.cfg write them: MARK PROTOCOL ADDRESSES [PORTS]")
public class MarkListCommand extends LvsAction {
    @Override
    protected void run() {
        out().print(MarkRuleAction.listing(table.markRules()));
        out().flush();
    }
}
